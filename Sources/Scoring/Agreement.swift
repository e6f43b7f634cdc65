import Foundation

/// How well one set of judgements agrees with another: the figures the RealDevWorld paper
/// reports for a judge against human experts (accuracy, Cohen's kappa on case verdicts;
/// Pearson and Spearman correlation of task scores).
public enum Agreement {
    /// The share of pairs that agree; nil for no pairs.
    public static func accuracy(_ pairs: [(Bool, Bool)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        return Double(pairs.filter { $0.0 == $0.1 }.count) / Double(pairs.count)
    }

    /// Cohen's kappa for two raters' yes/no judgements: agreement beyond what their base rates
    /// give by chance. 1 when both always say the same single answer (no disagreement to
    /// measure); nil for no pairs.
    public static func cohenKappa(_ pairs: [(Bool, Bool)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        let n = Double(pairs.count)
        let observed = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        let a = Double(pairs.filter(\.0).count) / n, b = Double(pairs.filter(\.1).count) / n
        let chance = a * b + (1 - a) * (1 - b)
        guard chance < 1 else { return observed == 1 ? 1 : 0 }
        return (observed - chance) / (1 - chance)
    }

    /// Pearson's correlation; nil with fewer than two points or no variance in either.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Spearman's rank correlation: Pearson's on ranks, ties sharing their average rank.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count else { return nil }
        return pearson(ranks(x), ranks(y))
    }

    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count, values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }
}
