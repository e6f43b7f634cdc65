import Imaging
import Perception

/// The outcome of one case.
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

    public init(id: String, verdict: Verdict, reason: String, evidence: Evidence = Evidence(), steps: [StepRecord] = [], seconds: Double = 0) {
        self.id = id
        self.verdict = verdict
        self.reason = reason
        self.evidence = evidence
        self.steps = steps
        self.seconds = seconds
    }
}
