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
    /// Set when the app, not a check, ended the case: launch_failed, not_ready or crashed.
    public var appFailure: String?
    /// The last lines of the app's log when it failed.
    public var logTail: String?

    private enum CodingKeys: String, CodingKey {
        case id, verdict, reason, evidence, steps, seconds, appStartSeconds = "app_start_seconds", ocrSeconds = "ocr_seconds"
        case appFailure = "app_failure", logTail = "log_tail"
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
