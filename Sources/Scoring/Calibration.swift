import Foundation

/// A figure with its 95% confidence interval (percentile bootstrap); nil where the figure is
/// undefined (no pairs, no variance).
public struct Estimate: Sendable, Equatable {
    public var value: Double?
    public var low: Double?
    public var high: Double?
}

/// How one judge's verdicts line up with labels: the two-by-two table of pass and fail.
public struct Confusion: Sendable, Equatable {
    /// Judge pass, label pass.
    public var bothPass = 0
    /// Judge pass, label fail: the judge let a failure through.
    public var judgePassLabelFail = 0
    /// Judge fail, label pass: the judge failed a working feature.
    public var judgeFailLabelPass = 0
    public var bothFail = 0

    public init(_ pairs: [(judge: Bool, label: Bool)]) {
        for (judge, label) in pairs {
            switch (judge, label) {
            case (true, true): bothPass += 1
            case (true, false): judgePassLabelFail += 1
            case (false, true): judgeFailLabelPass += 1
            case (false, false): bothFail += 1
            }
        }
    }
}

/// A judge against labels, as the RealDevWorld paper measures AppEvalPilot against experts:
/// case accuracy and Cohen's kappa over all labelled cases, Pearson and Spearman over the
/// tasks' pass rates, each with a bootstrap interval that resamples whole tasks (apps), since
/// the cases of one app are not independent of each other.
public struct CalibrationFigures: Sendable {
    public var cases: Int
    public var tasks: Int
    public var accuracy: Estimate
    public var kappa: Estimate
    public var pearson: Estimate
    public var spearman: Estimate
    public var confusion: Confusion
    /// Bootstrap resamples behind the intervals.
    public var resamples: Int

    /// `pairs` by task: each case's (judge passed, label passed). The resampling is seeded, so
    /// the same input always gives the same intervals.
    public init(pairs byTask: [String: [(judge: Bool, label: Bool)]], resamples: Int = 2000, seed: UInt64 = 0x5EED) {
        let ids = byTask.keys.sorted()
        let groups = ids.map { byTask[$0]! }.filter { !$0.isEmpty }
        func figures(_ sample: [[(judge: Bool, label: Bool)]]) -> [Double?] {
            let all = sample.flatMap { $0 }.map { ($0.judge, $0.label) }
            let judge = sample.map { Double($0.filter(\.judge).count) / Double($0.count) }
            let label = sample.map { Double($0.filter(\.label).count) / Double($0.count) }
            return [Agreement.accuracy(all), Agreement.cohenKappa(all), Agreement.pearson(judge, label), Agreement.spearman(judge, label)]
        }
        let point = figures(groups)
        var draws: [[Double]] = Array(repeating: [], count: point.count)
        var random = SplitMix64(seed: seed)
        if groups.count >= 2 {
            for _ in 0..<resamples {
                let sample = (0..<groups.count).map { _ in groups[Int(random.next() % UInt64(groups.count))] }
                for (i, value) in figures(sample).enumerated() { if let value { draws[i].append(value) } }
            }
        }
        func estimate(_ i: Int) -> Estimate {
            let sorted = draws[i].sorted()
            // An interval only when most resamples define the figure (a correlation needs spread).
            guard let value = point[i], sorted.count >= resamples / 2, !sorted.isEmpty else { return Estimate(value: point[i]) }
            func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.down))))] }
            return Estimate(value: value, low: at(0.025), high: at(0.975))
        }
        cases = groups.reduce(0) { $0 + $1.count }
        tasks = groups.count
        accuracy = estimate(0)
        kappa = estimate(1)
        pearson = estimate(2)
        spearman = estimate(3)
        confusion = Confusion(groups.flatMap { $0 })
        self.resamples = resamples
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed gives
/// the same bootstrap on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
