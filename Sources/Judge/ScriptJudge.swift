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

/// A step the judge cannot decide from what it can read (a region OCR cannot vouch for where
/// an absent text might be): the case is `uncertain`, never a pass.
struct CaseUndecided: Error {
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
                    let (observation, evidence, note) = try check(
                        expectation, from: current, before: beforeLastAction, observer: observer, input: session.input)
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
            } catch let undecided as CaseUndecided {
                record.ok = false
                record.note = undecided.reason
                record.seconds = Date().timeIntervalSince(stepStart)
                steps.append(record)
                return finish(.uncertain, undecided.reason, undecided.evidence)
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
            let (observation, p, what) = try self.locate(target, from: located, observer: observer, input: input)
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

    /// Finds where `target` is, waiting up to `patience` for it to appear. A target in a row
    /// that is not there while the row is gets one hover over the row first: controls that
    /// appear only under the pointer (a delete button) are found as a person finds them.
    func locate(_ target: Target, from start: Observation, observer: Observer, input: (any InputDevice)? = nil) throws -> (Observation, Point, String) {
        if case .point(let x, let y) = target {
            guard x >= 0, y >= 0, x < start.image.width, y < start.image.height else {
                throw JudgeFault(description: "point (\(x), \(y)) is outside the \(start.image.width)x\(start.image.height) screen")
            }
            return (start, Point(x: x, y: y), "at (\(x), \(y))")
        }
        if case .mark = target {
            // A number names an element of the frame the agent saw: it is never looked up again later.
            switch try TargetResolver.resolve(target, in: start.content, marks: try start.marks()) {
            case .success(let resolution): return (start, resolution.point, resolution.note)
            case .failure(let failure): throw CaseFailure(reason: failure.reason, evidence: Evidence(frames: [start.id]))
            }
        }
        var observation = start
        let deadline = Date().addingTimeInterval(patience)
        var hovered = false
        while true {
            switch try TargetResolver.resolve(target, in: observation.content, marks: try observation.marks()) {
            case .success(let resolution):
                return (observation, resolution.point, (hovered ? "hovered over the row; " : "") + resolution.note)
            case .failure(.ambiguous(let reason)):
                throw CaseFailure(reason: reason, evidence: Evidence(frames: [observation.id], text: try observation.reading().lines.map(\.text)))
            case .failure(.notFound(let reason)):
                if !hovered, let input, let row = target.row, let anchor = TextSearch.find(row, in: try observation.content.text()).first {
                    hovered = true
                    try input.move(to: anchor.box.center)
                    observation = try observer.observe()
                    continue
                }
                if Date() >= deadline {
                    throw CaseFailure(reason: reason, evidence: Evidence(frames: [observation.id], text: try observation.reading().lines.map(\.text)))
                }
            }
            usleep(150_000)
            observation = try observer.observe()
        }
    }

    // MARK: - Expectations

    /// What one look at the screen says of an expectation.
    enum Finding {
        case holds
        case fails
        /// The reader cannot vouch either way (OCR could not read where the text might be).
        case undecided
    }

    /// Evaluates `expectation`, re-observing until it holds or `patience` runs out (apps update
    /// asynchronously; polling a settled screen is cheap because reading is cached per frame).
    func check(_ expectation: Expectation, from start: Observation, before: Observation, observer: Observer, input: (any InputDevice)? = nil)
        throws -> (Observation, Evidence, String)
    {
        var observation = start
        let deadline = Date().addingTimeInterval(patience)
        var hovered = false
        while true {
            let reading = try observation.reading()
            let (finding, detail, matches, difference): (Finding, String, [TextMatch], Image?)
            if expectation.isVisual {
                let (ok, d, m, diff) = evaluateVisual(expectation, reading: reading, frame: observation)
                (finding, detail, matches, difference) = (ok ? .holds : .fails, d, m, diff)
            } else {
                (finding, detail, matches) = try evaluate(expectation, reading: reading, frame: observation, before: before)
                difference = nil
            }
            var evidence = Evidence(
                frames: expectation == .changed ? [before.id, observation.id] : [observation.id],
                text: reading.lines.map(\.text), matches: matches)
            if finding == .holds { return (observation, evidence, hovered ? "hovered over the row; " + detail : detail) }
            // Something expected in a row may show only under the pointer (a delete button):
            // the row is hovered once, as a person checking it would.
            if case .inRow(_, let row) = expectation, !hovered, let input,
                let anchor = TextSearch.find(row, in: try observation.content.text()).first
            {
                hovered = true
                try input.move(to: anchor.box.center)
                observation = try observer.observe()
                continue
            }
            if Date() >= deadline {
                // A failed comparison shows where the screen differs from the reference.
                if let difference, let id = try? observer.keepExtra(difference, of: observation, suffix: "diff") {
                    evidence.frames.append(id)
                }
                if finding == .undecided {
                    throw CaseUndecided(reason: "Could not decide whether \(expectation): \(detail).", evidence: evidence)
                }
                throw CaseFailure(reason: "Expected \(expectation), but \(detail).", evidence: evidence)
            }
            usleep(150_000)
            observation = try observer.observe()
        }
    }

    func evaluate(_ expectation: Expectation, reading: TextReading, frame: Observation, before: Observation) throws -> (Finding, String, [TextMatch]) {
        func verdict(_ ok: Bool) -> Finding { ok ? .holds : .fails }
        switch expectation {
        case .visible(let text):
            let found = TextSearch.find(text, in: reading)
            return (verdict(!found.isEmpty), found.isEmpty ? "it was not found on screen" : "found \"\(found[0].text)\"", Array(found.prefix(1)))
        case .absent(let text):
            return try absence(of: text, reading: reading, frame: frame)
        case .count(let text, let eq, let lo, let hi):
            let found = TextSearch.find(text, in: reading)
            let n = found.count
            let ok = (eq.map { n == $0 } ?? true) && (lo.map { n >= $0 } ?? true) && (hi.map { n <= $0 } ?? true)
            // Fewer than expected may be text the reader missed; on pixels an unread region keeps
            // a count from being proven short, and never lets one pass.
            if !ok, !reading.exact, !reading.unread.isEmpty, lo.map({ n < $0 }) ?? eq.map({ n < $0 }) ?? false {
                return (.undecided, "it was read \(n) time(s), and \(reading.unread.count) region(s) with text could not be read", found)
            }
            return (verdict(ok), "it appears \(n) time(s)", found)
        case .above(let text, let anchor):
            // An occurrence of `text` above every other occurrence of `anchor`, and there is
            // another: with anchor == text, a display's "7" above the "7" key, which a screen
            // showing only the key does not satisfy.
            let anchors = TextSearch.find(anchor, in: reading)
            let found = TextSearch.find(text, in: reading)
            for hit in found {
                let others = anchors.filter { $0.box.intersection(hit.box) == nil }
                if !others.isEmpty, others.allSatisfy({ hit.box.maxY <= $0.box.y }) {
                    return (.holds, "found \"\(hit.text)\" above \"\(anchor)\"", [hit])
                }
            }
            if found.isEmpty { return (.fails, "it was not found on screen", []) }
            if anchors.allSatisfy({ a in found.contains { $0.box.intersection(a.box) != nil } }) {
                return (.fails, "no other \"\(anchor)\" was found to be above", found)
            }
            return (.fails, "it appears only level with or below \"\(anchor)\"", found + anchors.prefix(1))
        case .inRow(let text, let row):
            let anchors = TextSearch.find(row, in: try frame.content.text())
            guard !anchors.isEmpty else { return (.fails, "\"\(row)\" was not found on screen", []) }
            switch try TargetResolver.resolve(.text(text, row: row), in: frame.content) {
            case .success(let found):
                return (.holds, found.note, [TextMatch(text: text, box: found.box, similarity: 1), anchors[0]])
            case .failure(.ambiguous(let why)):
                // More than one in the row still means one is there.
                return (.holds, why, anchors)
            case .failure(.notFound):
                // Not part of the same item, but side by side on screen is a row too (cells of
                // a grid of divs): what the first vocabulary's row always meant. Another card
                // beside the anchor's own is not its row.
                for anchor in anchors {
                    let beside = TextSearch.find(text, inRowOf: anchor.box, in: reading)
                    if let hit = beside.first(where: { !TargetResolver.inAnotherItem($0.box, of: anchor, content: frame.content) }) {
                        return (.holds, "found \"\(hit.text)\" beside \"\(anchor.text)\" on screen", [anchor, hit])
                    }
                }
                return (.fails, "no \"\(text)\" on the row of \"\(anchors[0].text)\"", anchors)
            }
        case .field(let name, let value):
            switch try TargetResolver.resolve(.element(ElementQuery(name: name, field: true)), in: frame.content) {
            case .success(let found):
                let holds = (found.element?.value ?? "") == value
                let shows = (found.element?.value ?? "").isEmpty ? "is empty" : "holds \"\(found.element?.value ?? "")\""
                return (verdict(holds), "the field \(found.element?.label ?? name) \(shows)", [TextMatch(text: name, box: found.box, similarity: 1)])
            case .failure(let failure):
                if !frame.content.isStructured {
                    return (.undecided, "a field's value can be read only from the browser's structure; \(failure.reason)", [])
                }
                return (.fails, failure.reason, [])
            }
        case .element(let query, let states, let count):
            return try element(query, states: states, count: count, frame: frame)
        case .changed:
            let changed = frame.digest != before.digest
            return (verdict(changed), changed ? "the screen differs from frame \(before.id)" : "the screen is the same as frame \(before.id)", [])
        case .looksLike, .order, .aligned, .inside, .noOverlap, .notBlank:
            let (ok, detail, matches, _) = evaluateVisual(expectation, reading: reading, frame: frame)
            return (verdict(ok), detail, matches)
        }
    }

    /// A text is absent only when the reader can vouch for it: on the web, no text run of the page
    /// that is drawn at all (struck through, faint, small) says it, and no canvas shows it; on
    /// pixels, OCR does not read it and read every region that looks like text.
    func absence(of text: String, reading: TextReading, frame: Observation) throws -> (Finding, String, [TextMatch]) {
        let found = TextSearch.find(text, in: reading)
        if let first = found.first { return (.fails, "it is still shown (read as \"\(first.text)\")", found) }
        let content = frame.content
        if content.isStructured {
            let faint = try content.faintlyPresent(text)
            if let first = faint.first { return (.fails, "it is still on the page, drawn faintly at (\(first.box.x), \(first.box.y))", faint) }
            // What the page draws on canvases is not in its structure: OCR must vouch for those.
            let canvases = content.structure.map { content.canvasRegions($0) } ?? []
            if !canvases.isEmpty {
                let ocr = try content.ocr()
                let inside = ocr.words.filter { w in canvases.contains { $0.contains(w.box.center) } }
                let seen = TextSearch.find(text, in: TextReading(words: inside))
                if let first = seen.first { return (.fails, "a canvas shows it (read as \"\(first.text)\")", seen) }
                let unread = ocr.unread.filter { r in canvases.contains { $0.intersection(r) != nil } }
                if !unread.isEmpty {
                    return (.undecided, "\(unread.count) region(s) of a canvas hold text that could not be read", [])
                }
            }
            return (.holds, "not on the page", [])
        }
        if !reading.unread.isEmpty {
            let regions = reading.unread.prefix(3).map { "(\($0.x), \($0.y), \($0.width)x\($0.height))" }.joined(separator: ", ")
            return (.undecided, "it was not read, but \(reading.unread.count) region(s) with text could not be read: \(regions)", [])
        }
        return (.holds, "not on screen", [])
    }

    /// Elements by role, name and row: how many are shown, or the one that is and its states.
    func element(_ query: ElementQuery, states: ElementStates, count: Int?, frame: Observation) throws -> (Finding, String, [TextMatch]) {
        if let count {
            let found = try TargetResolver.matching(query, in: frame.content)
            let matches = found.map { TextMatch(text: $0.label, box: $0.box, similarity: 1) }
            return (count == found.count ? .holds : .fails, "\(found.count) shown\(found.isEmpty ? "" : ": " + found.prefix(4).map(\.label).joined(separator: ", "))", matches)
        }
        switch try TargetResolver.resolve(.element(query), in: frame.content) {
        case .success(let found):
            let match = [TextMatch(text: found.element?.label ?? query.description, box: found.box, similarity: 1)]
            guard let element = found.element else { return (.fails, "what was found is not an element with states", match) }
            let have = element.states
            let wrong = [
                ("checked", states.checked, have.checked), ("disabled", states.disabled, have.disabled), ("selected", states.selected, have.selected),
                ("expanded", states.expanded, have.expanded), ("pressed", states.pressed, have.pressed), ("focused", states.focused, have.focused),
            ].filter { _, want, got in want != nil && want != (got ?? false) }
            if wrong.isEmpty { return (.holds, "\(element.label) (\(found.note))", match) }
            return (.fails, "\(element.label) is " + wrong.map { name, _, got in (got ?? false) ? name : "not \(name)" }.joined(separator: ", "), match)
        case .failure(let failure):
            return (.fails, failure.reason, [])
        }
    }
}
