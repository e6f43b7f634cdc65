import Foundation
import Judge
import Scoring

/// summary.json of a suite run: scores and counts per generator, and within each generator per
/// scenario and per task.
///
/// Every pair counts. `strict` is the mean over all pairs of the pair's weighted pass rate, so a
/// pair that did not build, start or run at all scores 0 there. `lenient` is the mean over the
/// pairs the app is answerable for (all but infra_error and skipped) of the pass rate among
/// decided cases, a pair with no decided case scoring 0; infra errors and skipped pairs are
/// counted in `outcomes` and listed apart.
public struct SuiteSummary: Sendable, Codable, Equatable {
    public struct Figures: Sendable, Codable, Equatable {
        public var strict: Double
        public var lenient: Double?
        public var pairs: Int
        /// Cases by verdict, with `flaky` apart from `pass`.
        public var cases: [String: Int]
        public var outcomes: [String: Int]

        public init(_ results: [PairResult]) {
            pairs = results.count
            (strict, lenient) = Score.suite(all: results.map(\.score), answerable: results.filter { !$0.outcome.isNotTheApps }.map(\.score))
            var cases = Dictionary(uniqueKeysWithValues: (Verdict.allCases.map(\.rawValue) + ["flaky"]).map { ($0, 0) })
            for c in results.flatMap(\.cases) { cases[c.bucket, default: 0] += 1 }
            self.cases = cases
            var outcomes = Dictionary(uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, 0) })
            for r in results { outcomes[r.outcome.rawValue, default: 0] += 1 }
            self.outcomes = outcomes
        }
    }

    public struct Generator: Sendable, Codable, Equatable {
        public var name: String
        public var overall: Figures
        public var scenarios: [String: Figures]
        public var tasks: [String: Figures]
    }

    /// A pair AppJudge could not evaluate, with why.
    public struct Problem: Sendable, Codable, Equatable {
        public var generator: String
        public var task: String
        public var outcome: Outcome
        public var reason: String
    }

    public var total: Figures
    public var generators: [Generator]
    /// Pairs that ended in infra_error (after any retries) or were skipped.
    public var problems: [Problem]
    /// Pairs of the plan that have no result yet (an interrupted run); 0 once complete.
    public var unfinished: Int

    /// - Parameters:
    ///   - results: the finished pairs.
    ///   - generators: generator names in the run's order (a generator without results is listed too).
    ///   - planned: the number of pairs in the plan.
    public init(_ results: [PairResult], generators names: [String], planned: Int) {
        total = Figures(results)
        generators = names.map { name in
            let mine = results.filter { $0.generator == name }
            return Generator(
                name: name, overall: Figures(mine),
                scenarios: Dictionary(grouping: mine, by: \.scenario).mapValues(Figures.init),
                tasks: Dictionary(grouping: mine, by: \.task).mapValues(Figures.init))
        }
        problems = results.filter(\.outcome.isNotTheApps).map {
            Problem(generator: $0.generator, task: $0.task, outcome: $0.outcome, reason: $0.reason ?? "")
        }
        unfinished = max(0, planned - results.count)
    }
}
