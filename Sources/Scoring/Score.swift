/// A weighted pass rate, two ways: `strict` counts every case (uncertain, error and skipped as
/// not passed); `lenient` only the decided ones (pass and fail).
public struct Score: Sendable, Codable, Equatable {
    public var strict: Double
    public var lenient: Double?
    public var passed: Int
    public var decided: Int
    public var total: Int

    /// One case as a score sees it.
    public struct Case: Sendable, Equatable {
        public var passed: Bool
        /// Passed or failed: the judge vouched either way.
        public var decided: Bool
        public var weight: Double
        public init(passed: Bool, decided: Bool, weight: Double) {
            self.passed = passed
            self.decided = decided
            self.weight = weight
        }
    }

    public init(_ cases: [Case]) {
        let all = cases.map(\.weight).reduce(0, +)
        let passedWeight = cases.filter(\.passed).map(\.weight).reduce(0, +)
        let decidedWeight = cases.filter(\.decided).map(\.weight).reduce(0, +)
        strict = all > 0 ? passedWeight / all : 0
        lenient = decidedWeight > 0 ? passedWeight / decidedWeight : nil
        passed = cases.filter(\.passed).count
        decided = cases.filter(\.decided).count
        total = cases.count
    }

    /// The figures of a suite over its pairs: `strict` the mean over every pair, `lenient` the
    /// mean over the pairs the app is answerable for, a pair with no decided case scoring 0.
    public static func suite(all: [Score], answerable: [Score]) -> (strict: Double, lenient: Double?) {
        (
            all.isEmpty ? 0 : all.map(\.strict).reduce(0, +) / Double(all.count),
            answerable.isEmpty ? nil : answerable.map { $0.lenient ?? 0 }.reduce(0, +) / Double(answerable.count)
        )
    }

    /// The figures of a run over its tasks' scores (those that have one): `strict` their mean,
    /// `lenient` the mean over the tasks with a decided case; nil when no task has a score.
    public static func run(_ scores: [Score?]) -> (strict: Double, lenient: Double?, tasks: Int)? {
        let present = scores.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        let lenient = present.compactMap(\.lenient)
        return (
            present.map(\.strict).reduce(0, +) / Double(present.count), lenient.isEmpty ? nil : lenient.reduce(0, +) / Double(lenient.count),
            present.count
        )
    }
}
