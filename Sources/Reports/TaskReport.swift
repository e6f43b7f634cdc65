import Foundation
import Judge
import Sandbox
import Scoring
import Suite

/// Whether the report is final.
public enum ReportStatus: String, Sendable, Codable {
    case running, completed, interrupted
}

/// The canonical record of one task evaluated on one repository: report.json.
public struct TaskReport: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public var schemaVersion = TaskReport.schemaVersion
    public var runId: String
    public var task: TaskInfo
    public var repository: String
    public var judge: String
    public var status: ReportStatus
    public var outcome: Outcome
    /// A sentence on why the outcome is not `evaluated`, if it is not.
    public var outcomeReason: String?
    /// The last lines of the log that explains a failed outcome.
    public var logTail: String?
    /// How the app was built: its stack, the phases run and the limits it ran under.
    public var build: BuildInfo?
    /// Fraction of cases that passed; every case counts, errors and skips included.
    public var score: Double
    public var counts: [String: Int]
    public var startedAt: Date
    public var seconds: Double
    public var environment: [String: String]
    public var cases: [CaseResult]
    /// With the agent judge: every model call of the task together.
    public var modelUsage: ModelUsage?
    /// Functional and visual scores, strict and lenient, and per feature.
    public var scores: Scores?
    /// Kind, feature and weight of each case, from the task (not written: the task has them).
    var caseInfo: [String: (kind: TestCase.Kind, feature: String?, weight: Double)] = [:]

    /// A weighted pass rate (Scoring's), strict and lenient.
    public typealias Score = Scoring.Score

    public struct Scores: Sendable, Codable, Equatable {
        public var functional: Score?
        public var visual: Score?
        public var features: [String: Score]
    }

    public struct TaskInfo: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var scenario: String
        public var requirement: String
        public var viewport: String
    }

    public init(runId: String, task: TaskSpec, repository: String, judge: String, startedAt: Date, environment: [String: String]) {
        self.runId = runId
        self.task = TaskInfo(
            id: task.id, title: task.title, scenario: task.scenario.rawValue, requirement: task.requirement,
            viewport: "\(task.app.viewport.width)x\(task.app.viewport.height)")
        self.repository = repository
        self.judge = judge
        self.status = .running
        self.outcome = .evaluated
        self.score = 0
        self.counts = [:]
        self.startedAt = startedAt
        self.seconds = 0
        self.environment = environment
        self.cases = []
        self.caseInfo = Dictionary(uniqueKeysWithValues: task.cases.map { ($0.id, ($0.kind, $0.feature, $0.weight ?? 1)) })
    }

    public static func == (a: TaskReport, b: TaskReport) -> Bool {
        (try? JSONEncoder.report.encode(a)) == (try? JSONEncoder.report.encode(b))
    }

    /// Scores only these cases (an evaluation of some cases with --case).
    public mutating func limit(to ids: [String]) {
        caseInfo = caseInfo.filter { ids.contains($0.key) }
    }

    /// Recomputes score and counts from the cases against the task's `total` cases.
    public mutating func tally(total: Int) {
        var counts = Dictionary(uniqueKeysWithValues: Verdict.allCases.map { ($0.rawValue, 0) })
        for c in cases { counts[c.verdict.rawValue, default: 0] += 1 }
        self.counts = counts
        score = total == 0 ? 0 : Double(counts["pass"] ?? 0) / Double(total)
        // Cases not yet run count as not passed in the strict figure.
        let weighed = caseInfo.map { id, info in (info, cases.first { $0.id == id }?.verdict ?? .skipped) }
        func rate(_ pick: (TestCase.Kind, String?) -> Bool) -> Score? {
            let chosen = weighed.filter { pick($0.0.kind, $0.0.feature) }
            guard !chosen.isEmpty else { return nil }
            return Score(chosen.map { ($0.1, $0.0.weight) })
        }
        let features = Set(caseInfo.values.compactMap(\.feature))
        scores = Scores(
            functional: rate { kind, _ in kind == .functional }, visual: rate { kind, _ in kind == .visual },
            features: Dictionary(uniqueKeysWithValues: features.compactMap { f in rate { _, feature in feature == f }.map { (f, $0) } }))
    }

    public var allPassed: Bool { !cases.isEmpty && cases.allSatisfy { $0.verdict == .pass } }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", runId = "run_id", task, repository, judge, status, outcome
        case outcomeReason = "outcome_reason", logTail = "log_tail", build, score, counts, startedAt = "started_at", seconds, environment, cases
        case modelUsage = "model_usage", scores
    }
}
extension Score {
    /// The score of verdicts with their weights: pass passes; pass and fail are decided.
    public init(_ verdicts: [(Verdict, Double)]) {
        self.init(verdicts.map { Case(passed: $0.0 == .pass, decided: $0.0 == .pass || $0.0 == .fail, weight: $0.1) })
    }
}

extension JSONEncoder {
    /// The encoder of every JSON file AppJudge writes: stable key order, ISO dates.
    public static var report: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }
}

extension JSONDecoder {
    public static var report: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
