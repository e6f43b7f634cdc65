/// Where an action points: at text on screen, at a text-less control, or at a pixel.
public enum Target: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Text found by OCR; with `row`, the occurrence on the same row as that other text.
    case text(String, row: String? = nil)
    /// A control without text of its own (a checkbox), optionally in the row of some text.
    case control(String, row: String? = nil)
    /// Screen pixels of the app's display.
    case point(x: Int, y: Int)

    public var description: String {
        switch self {
        case .text(let t, let row): row.map { "\"\(t)\" in the row of \"\($0)\"" } ?? "\"\(t)\""
        case .control(let kind, let row): row.map { "the \(kind) in the row of \"\($0)\"" } ?? "the \(kind)"
        case .point(let x, let y): "(\(x), \(y))"
        }
    }

    private enum Keys: String, CodingKey { case text, row, control, x, y }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self = .text(text)
            return
        }
        guard let c = try? decoder.container(keyedBy: Keys.self) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a target is a text, or an object with \"text\", \"control\" or \"x\" and \"y\""))
        }
        let row = try c.decodeIfPresent(String.self, forKey: .row)
        if let text = try c.decodeIfPresent(String.self, forKey: .text) {
            self = .text(text, row: row)
        } else if let control = try c.decodeIfPresent(String.self, forKey: .control) {
            guard control == "checkbox" else {
                throw DecodingError.dataCorruptedError(
                    forKey: .control, in: c, debugDescription: "unknown control '\(control)'; the known control is checkbox")
            }
            self = .control(control, row: row)
        } else if let x = try c.decodeIfPresent(Int.self, forKey: .x), let y = try c.decodeIfPresent(Int.self, forKey: .y) {
            self = .point(x: x, y: y)
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a target needs \"text\", \"control\" or \"x\" and \"y\""))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .text(let t, let row):
            try c.encode(t, forKey: .text)
            try c.encodeIfPresent(row, forKey: .row)
        case .control(let kind, let row):
            try c.encode(kind, forKey: .control)
            try c.encodeIfPresent(row, forKey: .row)
        case .point(let x, let y):
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
        }
    }
}

/// A rectangle of the screen in pixels, as task files write it.
public struct Region: Sendable, Equatable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

/// A check on what the screen shows.
public enum Expectation: Sendable, Equatable, Codable, CustomStringConvertible {
    case visible(String)
    case absent(String)
    /// How many times a text appears, compared with `count` (exactly), or at least / at most.
    case count(String, equals: Int?, atLeast: Int?, atMost: Int?)
    /// `text` appears on the same row as `row`.
    case inRow(String, row: String)
    /// An occurrence of `text` lies entirely above every other occurrence of `anchor`, and
    /// there is one: a calculator's display ("7" above the "7" key) told apart from the key.
    case above(String, anchor: String)
    /// The screen differs from the frame before the previous action.
    case changed
    /// The screen looks like the task's reference screenshot `screens/<name>.png`: SSIM on
    /// luminance at least `minimum`, leaving out the masked regions (a clock, an animation).
    case looksLike(String, minimum: Double, masks: [Region])
    /// The texts appear in this order, top to bottom (or left to right).
    case order([String], axis: Axis)
    /// The texts share an edge (or centre) within `tolerance` pixels: a row of cards, a column of labels.
    case aligned([String], edge: Edge, tolerance: Int)
    /// Each text is on screen and clear of its edges (not cut off by the viewport).
    case inside([String])
    /// No two words on screen overlap each other.
    case noOverlap
    /// The screen shows something: not one flat colour, and some text.
    case notBlank

    public enum Axis: String, Sendable, Codable { case vertical, horizontal }
    public enum Edge: String, Sendable, Codable { case left, right, top, bottom, center, middle }

    /// Whether checking this looks at layout or appearance rather than content.
    public var isVisual: Bool {
        switch self {
        case .looksLike, .order, .aligned, .inside, .noOverlap, .notBlank: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .visible(let t): "\"\(t)\" is visible"
        case .absent(let t): "\"\(t)\" is absent"
        case .count(let t, let eq, let lo, let hi):
            "\"\(t)\" appears "
                + [eq.map { "exactly \($0)" }, lo.map { "at least \($0)" }, hi.map { "at most \($0)" }]
                .compactMap { $0 }.joined(separator: " and ") + " time(s)"
        case .inRow(let t, let row): "\"\(t)\" is in the row of \"\(row)\""
        case .above(let t, let anchor): "\"\(t)\" is visible above \"\(anchor)\""
        case .changed: "the screen changed"
        case .looksLike(let name, let minimum, let masks):
            "the screen looks like screens/\(name).png (SSIM >= \(minimum)\(masks.isEmpty ? "" : ", \(masks.count) region(s) masked"))"
        case .order(let texts, let axis): "\(quoted(texts)) appear in this order \(axis == .vertical ? "top to bottom" : "left to right")"
        case .aligned(let texts, let edge, let tolerance): "\(quoted(texts)) are aligned on their \(edge.rawValue) (within \(tolerance) px)"
        case .inside(let texts): "\(quoted(texts)) are inside the viewport"
        case .noOverlap: "no text overlaps other text"
        case .notBlank: "the screen is not blank"
        }
    }

    private func quoted(_ texts: [String]) -> String { texts.map { "\"\($0)\"" }.joined(separator: ", ") }

    private enum Keys: String, CodingKey {
        case visible, absent, text, count, at_least, at_most, row, above, changed, screenshot, min_ssim, mask, order, axis, aligned, edge
        case tolerance, inside, no_overlap, not_blank
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let t = try c.decodeIfPresent(String.self, forKey: .visible) {
            if let anchor = try c.decodeIfPresent(String.self, forKey: .above) {
                self = .above(t, anchor: anchor)
            } else {
                self = .visible(t)
            }
        } else if let t = try c.decodeIfPresent(String.self, forKey: .absent) {
            self = .absent(t)
        } else if try c.decodeIfPresent(Bool.self, forKey: .changed) == true {
            self = .changed
        } else if let name = try c.decodeIfPresent(String.self, forKey: .screenshot) {
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .screenshot, in: c, debugDescription: "'\(name)' is not a screenshot name; use letters, digits, '-' and '_'")
            }
            let minimum = try c.decodeIfPresent(Double.self, forKey: .min_ssim) ?? 0.95
            guard (0...1).contains(minimum) else {
                throw DecodingError.dataCorruptedError(forKey: .min_ssim, in: c, debugDescription: "min_ssim must be between 0 and 1")
            }
            self = .looksLike(name, minimum: minimum, masks: try c.decodeIfPresent([Region].self, forKey: .mask) ?? [])
        } else if let texts = try c.decodeIfPresent([String].self, forKey: .order) {
            guard texts.count >= 2 else {
                throw DecodingError.dataCorruptedError(forKey: .order, in: c, debugDescription: "order needs at least two texts")
            }
            self = .order(texts, axis: try c.decodeIfPresent(Axis.self, forKey: .axis) ?? .vertical)
        } else if let texts = try c.decodeIfPresent([String].self, forKey: .aligned) {
            guard texts.count >= 2 else {
                throw DecodingError.dataCorruptedError(forKey: .aligned, in: c, debugDescription: "aligned needs at least two texts")
            }
            self = .aligned(
                texts, edge: try c.decodeIfPresent(Edge.self, forKey: .edge) ?? .left,
                tolerance: try c.decodeIfPresent(Int.self, forKey: .tolerance) ?? 6)
        } else if let texts = try c.decodeIfPresent([String].self, forKey: .inside) {
            self = .inside(texts)
        } else if try c.decodeIfPresent(Bool.self, forKey: .no_overlap) == true {
            self = .noOverlap
        } else if try c.decodeIfPresent(Bool.self, forKey: .not_blank) == true {
            self = .notBlank
        } else if let t = try c.decodeIfPresent(String.self, forKey: .text) {
            if let row = try c.decodeIfPresent(String.self, forKey: .row) {
                self = .inRow(t, row: row)
            } else {
                let eq = try c.decodeIfPresent(Int.self, forKey: .count)
                let lo = try c.decodeIfPresent(Int.self, forKey: .at_least)
                let hi = try c.decodeIfPresent(Int.self, forKey: .at_most)
                guard eq != nil || lo != nil || hi != nil else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: decoder.codingPath,
                            debugDescription: "an expectation on \"text\" needs \"row\", \"count\", \"at_least\" or \"at_most\""))
                }
                self = .count(t, equals: eq, atLeast: lo, atMost: hi)
            }
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "an expectation needs one of \"visible\", \"absent\", \"text\", \"changed\", \"screenshot\", \"order\", \"aligned\", \"inside\", \"no_overlap\" or \"not_blank\""
                ))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .visible(let t): try c.encode(t, forKey: .visible)
        case .above(let t, let anchor):
            try c.encode(t, forKey: .visible)
            try c.encode(anchor, forKey: .above)
        case .absent(let t): try c.encode(t, forKey: .absent)
        case .changed: try c.encode(true, forKey: .changed)
        case .inRow(let t, let row):
            try c.encode(t, forKey: .text)
            try c.encode(row, forKey: .row)
        case .count(let t, let eq, let lo, let hi):
            try c.encode(t, forKey: .text)
            try c.encodeIfPresent(eq, forKey: .count)
            try c.encodeIfPresent(lo, forKey: .at_least)
            try c.encodeIfPresent(hi, forKey: .at_most)
        case .looksLike(let name, let minimum, let masks):
            try c.encode(name, forKey: .screenshot)
            try c.encode(minimum, forKey: .min_ssim)
            if !masks.isEmpty { try c.encode(masks, forKey: .mask) }
        case .order(let texts, let axis):
            try c.encode(texts, forKey: .order)
            try c.encode(axis, forKey: .axis)
        case .aligned(let texts, let edge, let tolerance):
            try c.encode(texts, forKey: .aligned)
            try c.encode(edge, forKey: .edge)
            try c.encode(tolerance, forKey: .tolerance)
        case .inside(let texts): try c.encode(texts, forKey: .inside)
        case .noOverlap: try c.encode(true, forKey: .no_overlap)
        case .notBlank: try c.encode(true, forKey: .not_blank)
        }
    }
}

/// One step of a case script: an action of the shared vocabulary, or an expectation.
/// In JSON a step is an object with exactly one key naming the action, e.g. `{"click": "Add"}`.
public enum Step: Sendable, Equatable, Codable, CustomStringConvertible {
    case click(Target)
    case doubleClick(Target)
    case rightClick(Target)
    case move(Target)
    case drag(from: Target, to: Target)
    case type(String)
    case key(String)
    case scroll(dx: Int, dy: Int, at: Target?)
    case wait(seconds: Double)
    case reload
    case expect(Expectation)

    public static let names = ["click", "double_click", "right_click", "move", "drag", "type", "key", "scroll", "wait", "reload", "expect"]

    /// The action's name in the vocabulary (what traces and reports show).
    public var name: String {
        switch self {
        case .click: "click"
        case .doubleClick: "double_click"
        case .rightClick: "right_click"
        case .move: "move"
        case .drag: "drag"
        case .type: "type"
        case .key: "key"
        case .scroll: "scroll"
        case .wait: "wait"
        case .reload: "reload"
        case .expect: "expect"
        }
    }

    public var description: String {
        switch self {
        case .click(let t): "click \(t)"
        case .doubleClick(let t): "double-click \(t)"
        case .rightClick(let t): "right-click \(t)"
        case .move(let t): "move to \(t)"
        case .drag(let a, let b): "drag from \(a) to \(b)"
        case .type(let s): "type \"\(s)\""
        case .key(let k): "press \(k)"
        case .scroll(let dx, let dy, let at): "scroll by (\(dx), \(dy))" + (at.map { " at \($0)" } ?? "")
        case .wait(let s): "wait \(s) s"
        case .reload: "reload"
        case .expect(let e): "expect \(e)"
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private enum DragKeys: String, CodingKey { case from, to }
    private enum ScrollKeys: String, CodingKey { case dx, dy, at }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "a step must have exactly one of the keys \(Step.names.joined(separator: ", ")), found \(c.allKeys.map(\.stringValue).sorted())"
                ))
        }
        switch key.stringValue {
        case "click": self = .click(try c.decode(Target.self, forKey: key))
        case "double_click": self = .doubleClick(try c.decode(Target.self, forKey: key))
        case "right_click": self = .rightClick(try c.decode(Target.self, forKey: key))
        case "move": self = .move(try c.decode(Target.self, forKey: key))
        case "drag":
            let d = try c.nestedContainer(keyedBy: DragKeys.self, forKey: key)
            self = .drag(from: try d.decode(Target.self, forKey: .from), to: try d.decode(Target.self, forKey: .to))
        case "type": self = .type(try c.decode(String.self, forKey: key))
        case "key": self = .key(try c.decode(String.self, forKey: key))
        case "scroll":
            let s = try c.nestedContainer(keyedBy: ScrollKeys.self, forKey: key)
            self = .scroll(
                dx: try s.decodeIfPresent(Int.self, forKey: .dx) ?? 0, dy: try s.decodeIfPresent(Int.self, forKey: .dy) ?? 0,
                at: try s.decodeIfPresent(Target.self, forKey: .at))
        case "wait":
            let seconds = try c.decode(Double.self, forKey: key)
            guard (0...60).contains(seconds) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "wait must be between 0 and 60 seconds")
            }
            self = .wait(seconds: seconds)
        case "reload": self = .reload
        case "expect": self = .expect(try c.decode(Expectation.self, forKey: key))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription: "unknown step '\(key.stringValue)'; expected one of \(Step.names.joined(separator: ", "))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let key = Key(name)
        switch self {
        case .click(let t), .doubleClick(let t), .rightClick(let t), .move(let t): try c.encode(t, forKey: key)
        case .drag(let from, let to):
            var d = c.nestedContainer(keyedBy: DragKeys.self, forKey: key)
            try d.encode(from, forKey: .from)
            try d.encode(to, forKey: .to)
        case .type(let s), .key(let s): try c.encode(s, forKey: key)
        case .scroll(let dx, let dy, let at):
            var s = c.nestedContainer(keyedBy: ScrollKeys.self, forKey: key)
            try s.encode(dx, forKey: .dx)
            try s.encode(dy, forKey: .dy)
            try s.encodeIfPresent(at, forKey: .at)
        case .wait(let seconds): try c.encode(seconds, forKey: key)
        case .reload: try c.encode(true, forKey: key)
        case .expect(let e): try c.encode(e, forKey: key)
        }
    }
}
