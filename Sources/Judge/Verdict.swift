import Imaging
import Perception
import Suite

/// The outcome of one case.
/// How an evaluation of one task ended as a whole, and for a case that the app (or AppJudge)
/// ended before its checks could, which of these it was: one vocabulary for the case's
/// `app_failure`, the report's `outcome`, the trace and a task's expected outcome.
public enum Outcome: String, Sendable, Codable, CaseIterable {
    /// Cases ran and have verdicts.
    case evaluated
    /// The app could not be installed or built (or no stack fits it); no case ran.
    case buildFailed = "build_failed"
    /// Its start command ended before the app was ready.
    case launchFailed = "launch_failed"
    /// It kept running but never became ready (no port answering, no window).
    case notReady = "not_ready"
    /// It died while a case was testing it.
    case crashed
    /// AppJudge itself failed (display, browser, OCR); the cases are not the app's fault.
    case infraError = "infra_error"
    /// Not evaluated: a suite run's generator has no repository for the task.
    case skipped

    /// Not the app's doing: left out of lenient scores and reported apart.
    public var isNotTheApps: Bool { self == .infraError || self == .skipped }

    /// How an evaluation can end (all but `skipped`, which only a suite run gives a pair).
    public static var ofEvaluations: [Outcome] { allCases.filter { $0 != .skipped } }
}

public enum Verdict: String, Sendable, Codable, CaseIterable {
    case pass, fail, uncertain, error, skipped
}

/// What decided a verdict: the frames looked at and the text read on them.
public struct Evidence: Sendable, Codable, Equatable {
    /// Ids of frames (files `frames/<id>.png` of the report).
    public var frames: [String]
    /// The OCR text of the deciding frame, line by line.
    public var text: [String]
    /// Where the text that decided it was found, if anywhere.
    public var matches: [TextMatch]

    public init(frames: [String] = [], text: [String] = [], matches: [TextMatch] = []) {
        self.frames = frames
        self.text = text
        self.matches = matches
    }
}

/// One executed step of a case, for the trace and the report.
public struct StepRecord: Sendable, Codable, Equatable {
    public var index: Int
    public var action: String
    public var description: String
    /// Where the pointer acted, in screen pixels.
    public var point: Point?
    /// The frame the target was found on (the click marker belongs on it).
    public var frameBefore: String?
    /// The settled frame after the step.
    public var frameAfter: String?
    public var ok: Bool
    public var note: String?
    public var seconds: Double

    private enum CodingKeys: String, CodingKey {
        case index, action, description, point, frameBefore = "frame_before", frameAfter = "frame_after", ok, note, seconds
    }

    public init(
        index: Int, action: String, description: String, point: Point?, frameBefore: String?, frameAfter: String?,
        ok: Bool, note: String?, seconds: Double
    ) {
        self.index = index
        self.action = action
        self.description = description
        self.point = point
        self.frameBefore = frameBefore
        self.frameAfter = frameAfter
        self.ok = ok
        self.note = note
        self.seconds = seconds
    }
}

public struct CaseResult: Sendable, Codable, Equatable {
    public var id: String
    public var verdict: Verdict
    public var reason: String
    public var evidence: Evidence
    public var steps: [StepRecord]
    public var seconds: Double
    /// Seconds from launching the app until it was ready, for this case's fresh instance.
    public var appStartSeconds: Double?
    /// Seconds spent reading frames with OCR in this case.
    public var ocrSeconds: Double?
    /// Set when the app, not a check, ended the case (launch_failed, not_ready, crashed), or
    /// AppJudge did (infra_error).
    public var appFailure: Outcome?
    /// The last lines of the app's log when it failed.
    public var logTail: String?
    /// For the agent judge: its episodes, votes and what the model calls cost.
    public var agent: AgentSummary?
    /// For the agent judge: the actions it took and the checks its verdict rests on, as a
    /// script (`appjudge cases export` writes it into task.json).
    public var trajectory: [Step]?

    private enum CodingKeys: String, CodingKey {
        case id, verdict, reason, evidence, steps, seconds, appStartSeconds = "app_start_seconds", ocrSeconds = "ocr_seconds"
        case appFailure = "app_failure", logTail = "log_tail", agent, trajectory
    }

    public init(id: String, verdict: Verdict, reason: String, evidence: Evidence = Evidence(), steps: [StepRecord] = [], seconds: Double = 0) {
        self.id = id
        self.verdict = verdict
        self.reason = reason
        self.evidence = evidence
        self.steps = steps
        self.seconds = seconds
    }
}

/// What model calls cost, as the API counted it.
public struct ModelUsage: Sendable, Codable, Equatable {
    public var calls = 0
    public var inputTokens = 0
    public var outputTokens = 0
    /// Dollars at the price table's rates; nil when the model has no price there.
    public var dollars: Double? = 0
    /// Seconds spent waiting for answers (retries and their waits included).
    public var seconds = 0.0

    public init() {}

    public var tokens: Int { inputTokens + outputTokens }

    public static func + (a: ModelUsage, b: ModelUsage) -> ModelUsage {
        var sum = ModelUsage()
        sum.calls = a.calls + b.calls
        sum.inputTokens = a.inputTokens + b.inputTokens
        sum.outputTokens = a.outputTokens + b.outputTokens
        sum.dollars = a.dollars.flatMap { x in b.dollars.map { x + $0 } }
        sum.seconds = a.seconds + b.seconds
        return sum
    }

    private enum CodingKeys: String, CodingKey {
        case calls, inputTokens = "input_tokens", outputTokens = "output_tokens", dollars, seconds
    }
}

/// How the agent judge reached a case's verdict.
public struct AgentSummary: Sendable, Codable, Equatable {
    public struct Episode: Sendable, Codable, Equatable {
        public var verdict: Verdict
        public var reason: String
        public var steps: Int
        /// Why this episode ran: "first", "re-probe" (after uncertain) or "vote".
        public var role: String
    }
    public var model: String
    public var episodes: [Episode]
    /// With votes: the share of episodes that agree with the majority verdict.
    public var agreement: Double?
    public var usage: ModelUsage

    private enum CodingKeys: String, CodingKey { case model, episodes, agreement, usage }
}
