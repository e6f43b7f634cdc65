import Foundation
import Judge

/// One case of a pair as the suite reports it.
public struct PairCase: Sendable, Codable, Equatable {
    public var id: String
    /// The verdict that counts: a case that failed and then passed on a retry is `pass` with
    /// `flaky` set, and is counted as flaky, never as a plain pass.
    public var verdict: Verdict
    public var flaky: Bool
    public var reason: String
    public var weight: Double
    /// The frame that decided the verdict, relative to the run folder.
    public var evidence: String?
    /// The deciding frames of the retries, in order, relative to the run folder.
    public var retryEvidence: [String]
    /// Runs of this case: 1, or more with `--retries`.
    public var attempts: Int

    public init(
        id: String, verdict: Verdict, reason: String, weight: Double = 1, evidence: String? = nil, flaky: Bool = false,
        retryEvidence: [String] = [], attempts: Int = 1
    ) {
        self.id = id
        self.verdict = verdict
        self.flaky = flaky
        self.reason = reason
        self.weight = weight
        self.evidence = evidence
        self.retryEvidence = retryEvidence
        self.attempts = attempts
    }

    /// The bucket the case is counted in: its verdict, or `flaky`.
    public var bucket: String { flaky ? "flaky" : verdict.rawValue }

    private enum CodingKeys: String, CodingKey {
        case id, verdict, flaky, reason, weight, evidence, retryEvidence = "retry_evidence", attempts
    }
}

/// A finished pair: `pairs/<generator>/<task>/result.json`, written atomically when the pair
/// ends. Its presence is what tells `--resume` the pair is done.
public struct PairResult: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public var schemaVersion = PairResult.schemaVersion
    public var generator: String
    public var task: String
    public var scenario: String
    public var repository: String
    public var outcome: Outcome
    public var reason: String?
    public var cases: [PairCase]
    /// Evaluations of the whole pair: 1, or more after infrastructure errors with `--retry-infra`.
    public var attempts: Int
    public var seconds: Double
    /// The folder of the report that decided the outcome, relative to the run folder.
    public var report: String?

    public init(
        generator: String, task: String, scenario: String, repository: String, outcome: Outcome, reason: String?, cases: [PairCase],
        attempts: Int = 1, seconds: Double = 0, report: String? = nil
    ) {
        self.generator = generator
        self.task = task
        self.scenario = scenario
        self.repository = repository
        self.outcome = outcome
        self.reason = reason
        self.cases = cases
        self.attempts = attempts
        self.seconds = seconds
        self.report = report
    }

    /// Weighted pass rates of the pair; flaky cases count as passed, since they did pass.
    public var score: TaskReport.Score {
        TaskReport.Score(cases.map { ($0.verdict == .pass ? .pass : $0.verdict, $0.weight) })
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", generator, task, scenario, repository, outcome, reason, cases, attempts, seconds, report
    }
}

/// run.json: what a suite run was asked to do and on what, so it can be resumed and reproduced.
public struct SuiteManifest: Sendable, Codable, Equatable {
    public static let schemaVersion = 1

    public struct Generator: Sendable, Codable, Equatable {
        public var name: String
        public var directory: String
        public init(name: String, directory: String) {
            self.name = name
            self.directory = directory
        }
    }

    public struct TaskEntry: Sendable, Codable, Equatable {
        public var id: String
        public var directory: String
        /// SHA-256 of the task folder's files (task.json, screens, assets; not its reference or
        /// broken variants): a resumed run refuses tasks that changed.
        public var hash: String
        public init(id: String, directory: String, hash: String) {
            self.id = id
            self.directory = directory
            self.hash = hash
        }
    }

    public var schemaVersion = SuiteManifest.schemaVersion
    public var appjudge: String
    public var judge: String
    public var model: String?
    public var promptHash: String?
    public var startedAt: Date
    public var arguments: [String]
    public var tasks: [TaskEntry]
    public var generators: [Generator]
    /// Cases per pair run at once, pairs at once, and the retry settings.
    public var workers: Int
    public var jobs: Int
    public var retryInfra: Int
    public var retries: Int
    public var offline: Bool
    /// `--judge llm` and its model options as given (no keys: those come from the environment).
    public var judgeOptions: [String: String] = [:]
    /// The gate (`--min-score`, `--fail-on`), kept so a resumed run applies the same one.
    public var minScore: Double?
    public var failOn: [Verdict] = []
    /// Screen sizes, fonts, locale, time zone, Chromium and tesseract versions, host.
    public var environment: [String: String]
    /// The part of the plan this run evaluates when it is one shard of a sharded run.
    public var shard: Shard?

    /// Shard `index` of `count` (1-based) and the pairs it holds, as `generator/task`.
    public struct Shard: Sendable, Codable, Equatable {
        public var index: Int
        public var count: Int
        /// What the partition was balanced by: `cases`, or `durations` of an earlier run.
        public var balancedBy: String
        public var pairs: [String]
        public init(index: Int, count: Int, balancedBy: String, pairs: [String]) {
            self.index = index
            self.count = count
            self.balancedBy = balancedBy
            self.pairs = pairs
        }

        private enum CodingKeys: String, CodingKey {
            case index, count, balancedBy = "balanced_by", pairs
        }
    }

    public init(
        appjudge: String, judge: String, startedAt: Date, arguments: [String], tasks: [TaskEntry], generators: [Generator], workers: Int,
        jobs: Int, retryInfra: Int, retries: Int, offline: Bool, environment: [String: String]
    ) {
        self.appjudge = appjudge
        self.judge = judge
        self.startedAt = startedAt
        self.arguments = arguments
        self.tasks = tasks
        self.generators = generators
        self.workers = workers
        self.jobs = jobs
        self.retryInfra = retryInfra
        self.retries = retries
        self.offline = offline
        self.environment = environment
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", appjudge, judge, model, promptHash = "prompt_hash", startedAt = "started_at", arguments, tasks
        case generators, workers, jobs, retryInfra = "retry_infra", retries, offline, judgeOptions = "judge_options", minScore = "min_score", failOn = "fail_on"
        case environment, shard
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        appjudge = try c.decode(String.self, forKey: .appjudge)
        judge = try c.decode(String.self, forKey: .judge)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        promptHash = try c.decodeIfPresent(String.self, forKey: .promptHash)
        startedAt = try c.decode(Date.self, forKey: .startedAt)
        arguments = try c.decode([String].self, forKey: .arguments)
        tasks = try c.decode([TaskEntry].self, forKey: .tasks)
        generators = try c.decode([Generator].self, forKey: .generators)
        workers = try c.decodeIfPresent(Int.self, forKey: .workers) ?? 1
        jobs = try c.decodeIfPresent(Int.self, forKey: .jobs) ?? 1
        retryInfra = try c.decodeIfPresent(Int.self, forKey: .retryInfra) ?? 0
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? 0
        offline = try c.decodeIfPresent(Bool.self, forKey: .offline) ?? false
        judgeOptions = try c.decodeIfPresent([String: String].self, forKey: .judgeOptions) ?? [:]
        minScore = try c.decodeIfPresent(Double.self, forKey: .minScore)
        failOn = try c.decodeIfPresent([Verdict].self, forKey: .failOn) ?? []
        environment = try c.decodeIfPresent([String: String].self, forKey: .environment) ?? [:]
        shard = try c.decodeIfPresent(Shard.self, forKey: .shard)
    }
}

/// How a pair is named in a shard's list, in progress lines and in lookups: `generator/task`,
/// also its folder under `pairs/`.
public func pairKey(_ generator: String, _ task: String) -> String { "\(generator)/\(task)" }

extension PairResult {
    public var key: String { pairKey(generator, task) }
}

extension SuiteManifest {
    /// Every pair of the plan, generator by generator, in task order.
    public var pairKeys: [String] { generators.flatMap { g in tasks.map { pairKey(g.name, $0.id) } } }
}
