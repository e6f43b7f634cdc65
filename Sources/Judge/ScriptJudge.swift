import Desktop
import Foundation
import Imaging
import Perception
import Suite

/// The app as the judge sees it: a screen to look at, input to give, and the app-level
/// actions that are not plain input (a reload means F5 in a browser, a relaunch elsewhere).
public protocol AppSession: Sendable {
    var screen: any FrameSource { get }
    var input: any InputDevice { get }
    func reload() throws
    /// nil while the app runs; a sentence saying how it ended otherwise.
    func exitDescription() -> String?
}

/// Faults that end a case as `error`: the judge could not do its job.
struct JudgeFault: Error, CustomStringConvertible {
    var description: String
}

/// A step whose target is not on screen or whose expectation does not hold: the case fails.
struct CaseFailure: Error {
    var reason: String
    var evidence: Evidence
}

/// Runs a case's deterministic script against a live app and decides its verdict from what the
/// screen shows. Nothing here knows about layouts: targets are found by their text (tolerant
/// OCR matching) and by the row they share with other text.
public struct ScriptJudge: Sendable {
    /// How long a target or an expectation may take to appear before the case fails.
    public var patience: Double
    /// How long a reload may take to show any change.
    public var reloadTimeout: Double
    /// The task's reference screenshots, for `screenshot` expectations.
    public var screens: ScreenReferences?

    public init(patience: Double = 2.5, reloadTimeout: Double = 1.5, screens: ScreenReferences? = nil) {
        self.patience = patience
        self.reloadTimeout = reloadTimeout
        self.screens = screens
    }

    /// The verdict of a case that has no script: the script judge cannot decide it. Callers
    /// check for this before launching an app for nothing.
    public static func unscripted(_ testCase: TestCase) -> CaseResult {
        CaseResult(id: testCase.id, verdict: .skipped, reason: "The case has no script; only an agent judge can decide it.")
    }

    /// Runs the script; `cancelled` is polled between steps (Ctrl-C ends the case as skipped).
    public func run(_ testCase: TestCase, session: any AppSession, observer: Observer, cancelled: () -> Bool = { false }) -> CaseResult {
        let start = Date()
        guard let script = testCase.script else { return Self.unscripted(testCase) }
        var steps: [StepRecord] = []
        func finish(_ verdict: Verdict, _ reason: String, _ evidence: Evidence) -> CaseResult {
            CaseResult(
                id: testCase.id, verdict: verdict, reason: reason, evidence: evidence, steps: steps,
                seconds: Date().timeIntervalSince(start))
        }
        var current: Observation
        do {
            current = try observer.observe()
        } catch {
            return finish(.error, "The screen could not be observed: \(error)", Evidence())
        }
        var beforeLastAction = current
        var lastEvidence = Evidence(frames: [current.id])
        for (index, step) in script.enumerated() {
            if cancelled() {
                return finish(.skipped, "Interrupted before step \(index + 1); no verdict.", Evidence(frames: [current.id]))
            }
            let stepStart = Date()
            var record = StepRecord(
                index: index, action: step.name, description: step.description, point: nil,
                frameBefore: current.id, frameAfter: nil, ok: true, note: nil, seconds: 0)
            do {
                if let ended = session.exitDescription() {
                    throw CaseFailure(
                        reason: "The app stopped before step \(index + 1) (\(step)): \(ended).", evidence: Evidence(frames: [current.id]))
                }
                switch step {
                case .expect(let expectation):
                    let (observation, evidence, note) = try check(expectation, from: current, before: beforeLastAction, observer: observer)
                    current = observation
                    record.frameAfter = observation.id
                    record.note = note
                    lastEvidence = evidence
                default:
                    beforeLastAction = current
                    let (observation, point, note) = try perform(step, on: current, session: session, observer: observer)
                    current = observation
                    record.point = point
                    record.note = note
                    record.frameBefore = beforeLastAction.id
                    record.frameAfter = observation.id
                }
            } catch let failure as CaseFailure {
                record.ok = false
                record.note = failure.reason
                record.seconds = Date().timeIntervalSince(stepStart)
                steps.append(record)
                return finish(.fail, failure.reason, failure.evidence)
            } catch {
                record.ok = false
                record.note = "\(error)"
                record.seconds = Date().timeIntervalSince(stepStart)
                steps.append(record)
                return finish(.error, "Step \(index + 1) (\(step)) could not be carried out: \(error)", Evidence(frames: [current.id]))
            }
            record.seconds = Date().timeIntervalSince(stepStart)
            steps.append(record)
        }
        let checks = script.filter { if case .expect = $0 { true } else { false } }.count
        return finish(.pass, "All \(checks) expectation(s) held.", lastEvidence)
    }

    // MARK: - Actions

    func perform(_ step: Step, on current: Observation, session: any AppSession, observer: Observer) throws -> (Observation, Point?, String?) {
        let input = session.input
        var point: Point?
        var note: String?
        var located: Observation = current
        func locate(_ target: Target) throws -> Point {
            let (observation, p, what) = try self.locate(target, from: located, observer: observer)
            located = observation
            note = what
            return p
        }
        switch step {
        case .click(let target):
            point = try locate(target)
            try input.click(at: point!, button: .left, count: 1)
        case .doubleClick(let target):
            point = try locate(target)
            try input.click(at: point!, button: .left, count: 2)
        case .rightClick(let target):
            point = try locate(target)
            try input.click(at: point!, button: .right, count: 1)
        case .move(let target):
            point = try locate(target)
            try input.move(to: point!)
        case .drag(let from, let to):
            let a = try locate(from), b = try locate(to)
            point = a
            try input.drag(from: a, to: b, steps: 12)
            note = "to (\(b.x), \(b.y))"
        case .type(let text):
            try input.type(text)
        case .key(let combo):
            try input.key(combo)
        case .scroll(let dx, let dy, let at):
            let p = try at.map(locate) ?? Point(x: current.image.width / 2, y: current.image.height / 2)
            point = p
            try input.scroll(at: p, dx: dx, dy: dy)
        case .wait(let seconds):
            usleep(useconds_t(seconds * 1_000_000))
        case .reload:
            try session.reload()
            return (try observer.observeChange(from: current, timeout: reloadTimeout), nil, nil)
        case .expect:
            preconditionFailure("expectations are checked, not performed")
        }
        return (try observer.observe(), point, note)
    }

    /// Finds where `target` is, waiting up to `patience` for it to appear.
    func locate(_ target: Target, from start: Observation, observer: Observer) throws -> (Observation, Point, String) {
        if case .point(let x, let y) = target {
            guard x >= 0, y >= 0, x < start.image.width, y < start.image.height else {
                throw JudgeFault(description: "point (\(x), \(y)) is outside the \(start.image.width)x\(start.image.height) screen")
            }
            return (start, Point(x: x, y: y), "at (\(x), \(y))")
        }
        var observation = start
        let deadline = Date().addingTimeInterval(patience)
        while true {
            let reading = try observation.reading()
            if let (box, seen) = find(target, in: observation, reading: reading) {
                return (observation, box.center, "found \(seen) at (\(box.x), \(box.y), \(box.width)x\(box.height))")
            }
            if Date() >= deadline {
                throw CaseFailure(
                    reason: "\(target.description.prefix(1).uppercased() + target.description.dropFirst()) was not found on screen.",
                    evidence: Evidence(frames: [observation.id], text: reading.lines.map(\.text)))
            }
            usleep(150_000)
            observation = try observer.observe()
        }
    }

    private func find(_ target: Target, in observation: Observation, reading: TextReading) -> (Rect, String)? {
        switch target {
        case .point(let x, let y):
            return (Rect(x: x, y: y, width: 1, height: 1), "point")
        case .text(let text, nil):
            return TextSearch.first(text, in: reading).map { ($0.box, "\"\($0.text)\"") }
        case .text(let text, let row?):
            for anchor in TextSearch.find(row, in: reading) {
                if let hit = TextSearch.find(text, inRowOf: anchor.box, in: reading).first {
                    return (hit.box, "\"\(hit.text)\" beside \"\(anchor.text)\"")
                }
            }
            return nil
        case .control(_, let row):
            let anchors: [Rect] = row.map { TextSearch.find($0, in: reading).map(\.box) } ?? [observation.image.bounds]
            for anchor in anchors {
                let band = row == nil ? anchor : rowBand(around: anchor, width: observation.image.width)
                let boxes = ControlFinder.checkboxes(in: observation.image, region: band, excluding: reading.words)
                let best = boxes.min { a, b in
                    (abs(a.midY - anchor.midY), abs(a.midX - anchor.midX)) < (abs(b.midY - anchor.midY), abs(b.midX - anchor.midX))
                }
                if let best { return (best, "checkbox") }
            }
            return nil
        }
    }

    /// The full-width strip of screen that holds the row of `anchor`.
    private func rowBand(around anchor: Rect, width: Int) -> Rect {
        let half = max(anchor.height, 16) + 4
        return Rect(x: 0, y: anchor.midY - half, width: width, height: 2 * half)
    }

    // MARK: - Expectations

    /// Evaluates `expectation`, re-observing until it holds or `patience` runs out (apps update
    /// asynchronously; polling a settled screen is cheap because OCR is cached per frame).
    func check(_ expectation: Expectation, from start: Observation, before: Observation, observer: Observer) throws -> (
        Observation, Evidence, String
    ) {
        var observation = start
        let deadline = Date().addingTimeInterval(patience)
        while true {
            let reading = try observation.reading()
            let (ok, detail, matches, difference): (Bool, String, [TextMatch], Image?) =
                expectation.isVisual
                ? evaluateVisual(expectation, reading: reading, frame: observation)
                : {
                    let (o, d, m) = evaluate(expectation, reading: reading, frame: observation, before: before); return (o, d, m, nil)
                }()
            var evidence = Evidence(
                frames: expectation == .changed ? [before.id, observation.id] : [observation.id],
                text: reading.lines.map(\.text), matches: matches)
            if ok { return (observation, evidence, detail) }
            if Date() >= deadline {
                // A failed comparison shows where the screen differs from the reference.
                if let difference, let id = try? observer.keepExtra(difference, of: observation, suffix: "diff") {
                    evidence.frames.append(id)
                }
                throw CaseFailure(reason: "Expected \(expectation), but \(detail).", evidence: evidence)
            }
            usleep(150_000)
            observation = try observer.observe()
        }
    }

    func evaluate(_ expectation: Expectation, reading: TextReading, frame: Observation, before: Observation) -> (Bool, String, [TextMatch]) {
        switch expectation {
        case .visible(let text):
            let found = TextSearch.find(text, in: reading)
            return (!found.isEmpty, found.isEmpty ? "it was not found on screen" : "found \"\(found[0].text)\"", Array(found.prefix(1)))
        case .absent(let text):
            let found = TextSearch.find(text, in: reading)
            return (found.isEmpty, found.isEmpty ? "not on screen" : "it is still shown (read as \"\(found[0].text)\")", found)
        case .count(let text, let eq, let lo, let hi):
            let found = TextSearch.find(text, in: reading)
            let n = found.count
            let ok = (eq.map { n == $0 } ?? true) && (lo.map { n >= $0 } ?? true) && (hi.map { n <= $0 } ?? true)
            return (ok, "it appears \(n) time(s)", found)
        case .above(let text, let anchor):
            // An occurrence of `text` above every other occurrence of `anchor`, and there is
            // another: with anchor == text, a display's "7" above the "7" key, which a screen
            // showing only the key does not satisfy.
            let anchors = TextSearch.find(anchor, in: reading)
            let found = TextSearch.find(text, in: reading)
            for hit in found {
                let others = anchors.filter { $0.box.intersection(hit.box) == nil }
                if !others.isEmpty, others.allSatisfy({ hit.box.maxY <= $0.box.y }) {
                    return (true, "found \"\(hit.text)\" above \"\(anchor)\"", [hit])
                }
            }
            if found.isEmpty { return (false, "it was not found on screen", []) }
            if anchors.allSatisfy({ a in found.contains { $0.box.intersection(a.box) != nil } }) {
                return (false, "no other \"\(anchor)\" was found to be above", found)
            }
            return (false, "it appears only level with or below \"\(anchor)\"", found + anchors.prefix(1))
        case .inRow(let text, let row):
            let anchors = TextSearch.find(row, in: reading)
            guard !anchors.isEmpty else { return (false, "\"\(row)\" was not found on screen", []) }
            for anchor in anchors {
                if let hit = TextSearch.find(text, inRowOf: anchor.box, in: reading).first {
                    return (true, "found \"\(hit.text)\" beside \"\(anchor.text)\"", [anchor, hit])
                }
            }
            return (false, "no \"\(text)\" on the row of \"\(anchors[0].text)\"", anchors)
        case .changed:
            let changed = frame.digest != before.digest
            return (changed, changed ? "the screen differs from frame \(before.id)" : "the screen is the same as frame \(before.id)", [])
        case .looksLike, .order, .aligned, .inside, .noOverlap, .notBlank:
            let (ok, detail, matches, _) = evaluateVisual(expectation, reading: reading, frame: frame)
            return (ok, detail, matches)
        }
    }
}
