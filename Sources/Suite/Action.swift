/// What a person can see on screen and name: the roles of the WAI-ARIA vocabulary that matter
/// when using an app. Scripts name them (`{"role": "checkbox"}`), the agent is told them, and
/// the browser's accessibility tree reports them.
public enum ElementRole: String, Sendable, Codable, CaseIterable {
    case button, link, checkbox, radio
    case `switch`
    case textbox, combobox, listbox, option, tab, menuitem, slider, spinbutton
    case heading
    case image = "img"
    case cell, row, listitem, text

    /// Something a person acts on (clicks, ticks, types into), as opposed to what they read.
    public var isControl: Bool {
        switch self {
        case .button, .link, .checkbox, .radio, .switch, .textbox, .combobox, .listbox, .option, .tab, .menuitem, .slider, .spinbutton: true
        case .heading, .image, .cell, .row, .listitem, .text: false
        }
    }

    /// A control that holds a value typed or chosen (a field).
    public var isField: Bool {
        switch self {
        case .textbox, .combobox, .listbox, .spinbutton, .slider: true
        default: false
        }
    }

    public static let names = allCases.map(\.rawValue)
}

/// An element picked by what a person would call it: its role, its accessible name (the label
/// of a button, the label or placeholder of a field, the aria-label of an icon button), and the
/// row it sits in (the row that shows some other text).
public struct ElementQuery: Sendable, Equatable, Codable, CustomStringConvertible {
    public var role: ElementRole?
    /// The accessible name, matched whole (case and punctuation aside).
    public var name: String?
    /// Text shown in the same row (list item, table row, card) as the element.
    public var row: String?
    /// Only fields (text boxes, selects): `{"field": "New task"}` names one by label or placeholder.
    public var field: Bool

    public init(role: ElementRole? = nil, name: String? = nil, row: String? = nil, field: Bool = false) {
        self.role = role
        self.name = name
        self.row = row
        self.field = field
    }

    public var description: String {
        var what = field ? "the field" : role.map { "the \($0.rawValue)" } ?? "the element"
        if let name { what += " named \"\(name)\"" }
        if let row { what += " in the row of \"\(row)\"" }
        return what
    }
}

/// Where an action points: at what a person would click when told a text, at an element by
/// role and name, at a pixel, or (for the agent) at a numbered element of its last observation.
public enum Target: Sendable, Equatable, Codable, CustomStringConvertible {
    /// What shows this text: the control with that name before static text, a whole-name match
    /// before a word inside a longer text; with `row`, the one in the row that shows that text.
    case text(String, row: String? = nil)
    /// An element by role, name and row.
    case element(ElementQuery)
    /// Screen pixels of the app's display.
    case point(x: Int, y: Int)
    /// The element numbered `n` in the set of marks of the observation the agent last saw.
    case mark(Int)

    public var description: String {
        switch self {
        case .text(let t, let row): row.map { "\"\(t)\" in the row of \"\($0)\"" } ?? "\"\(t)\""
        case .element(let query): query.description
        case .point(let x, let y): "(\(x), \(y))"
        case .mark(let n): "element [\(n)]"
        }
    }

    /// The row this target is looked for in, if any.
    public var row: String? {
        switch self {
        case .text(_, let row): row
        case .element(let query): query.row
        case .point, .mark: nil
        }
    }

    private enum Keys: String, CodingKey { case text, row, control, role, name, field, x, y, element }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self = .text(text)
            return
        }
        guard let c = try? decoder.container(keyedBy: Keys.self) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a target is a text, or an object with \"text\", \"role\", \"name\", \"field\" or \"x\" and \"y\""))
        }
        let row = try c.decodeIfPresent(String.self, forKey: .row)
        if let text = try c.decodeIfPresent(String.self, forKey: .text) {
            self = .text(text, row: row)
        } else if let field = try c.decodeIfPresent(String.self, forKey: .field) {
            self = .element(ElementQuery(name: field, row: row, field: true))
        } else if c.contains(.role) || c.contains(.name) || c.contains(.control) {
            var role = try Self.role(in: c, key: .role)
            // The first vocabulary's `{"control": "checkbox"}` is a role by another name.
            if role == nil, c.contains(.control) { role = try Self.role(in: c, key: .control) }
            self = .element(ElementQuery(role: role, name: try c.decodeIfPresent(String.self, forKey: .name), row: row))
        } else if let n = try c.decodeIfPresent(Int.self, forKey: .element) {
            self = .mark(n)
        } else if let x = try c.decodeIfPresent(Int.self, forKey: .x), let y = try c.decodeIfPresent(Int.self, forKey: .y) {
            self = .point(x: x, y: y)
        } else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a target needs \"text\", \"role\", \"name\", \"field\" or \"x\" and \"y\""))
        }
    }

    static func role<K: CodingKey>(in c: KeyedDecodingContainer<K>, key: K) throws -> ElementRole? {
        guard let raw = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let role = ElementRole(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "unknown role '\(raw)'; the roles are \(ElementRole.names.joined(separator: ", "))")
        }
        return role
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .text(let t, let row):
            try c.encode(t, forKey: .text)
            try c.encodeIfPresent(row, forKey: .row)
        case .element(let query):
            if query.field {
                try c.encode(query.name ?? "", forKey: .field)
            } else {
                try c.encodeIfPresent(query.role?.rawValue, forKey: .role)
                try c.encodeIfPresent(query.name, forKey: .name)
            }
            try c.encodeIfPresent(query.row, forKey: .row)
        case .point(let x, let y):
            try c.encode(x, forKey: .x)
            try c.encode(y, forKey: .y)
        case .mark(let n):
            try c.encode(n, forKey: .element)
        }
    }
}

/// States an element expectation can require, as the accessibility tree reports them.
public struct ElementStates: Sendable, Equatable, Codable {
    public var checked: Bool?
    public var disabled: Bool?
    public var selected: Bool?
    public var expanded: Bool?
    public var pressed: Bool?
    public var focused: Bool?

    public init(
        checked: Bool? = nil, disabled: Bool? = nil, selected: Bool? = nil, expanded: Bool? = nil, pressed: Bool? = nil, focused: Bool? = nil
    ) {
        self.checked = checked
        self.disabled = disabled
        self.selected = selected
        self.expanded = expanded
        self.pressed = pressed
        self.focused = focused
    }

    public var isEmpty: Bool { self == ElementStates() }

    /// The states as words, e.g. "checked, not disabled".
    public var description: String {
        [("checked", checked), ("disabled", disabled), ("selected", selected), ("expanded", expanded), ("pressed", pressed), ("focused", focused)]
            .compactMap { name, value in value.map { $0 ? name : "not \(name)" } }.joined(separator: ", ")
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
    /// The field named (by label or placeholder) holds exactly this value ("" for empty).
    case field(String, value: String)
    /// Elements by role, name and row: with `count`, how many are shown; else one is shown, and
    /// has every state given (ticked, disabled, ...).
    case element(ElementQuery, states: ElementStates, count: Int?)

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
        case .field(let name, let value): value.isEmpty ? "the field \"\(name)\" is empty" : "the field \"\(name)\" holds \"\(value)\""
        case .element(let query, let states, let count):
            if let count { "\(count) of \(query.description.replacingOccurrences(of: "the ", with: "", options: .anchored)) shown" }
            else if states.isEmpty { "\(query) is shown" }
            else { "\(query) is \(states.description)" }
        }
    }

    private func quoted(_ texts: [String]) -> String { texts.map { "\"\($0)\"" }.joined(separator: ", ") }

    private enum Keys: String, CodingKey {
        case visible, absent, text, count, at_least, at_most, row, above, changed, screenshot, min_ssim, mask, order, axis, aligned, edge
        case tolerance, inside, no_overlap, not_blank, field, value, role, name, checked, disabled, selected, expanded, pressed, focused
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
        } else if let name = try c.decodeIfPresent(String.self, forKey: .field) {
            guard let value = try c.decodeIfPresent(String.self, forKey: .value) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "a field expectation needs \"value\" (\"\" for an empty field)"))
            }
            self = .field(name, value: value)
        } else if c.contains(.role) || c.contains(.name) {
            let query = ElementQuery(
                role: try Target.role(in: c, key: .role), name: try c.decodeIfPresent(String.self, forKey: .name),
                row: try c.decodeIfPresent(String.self, forKey: .row))
            let states = ElementStates(
                checked: try c.decodeIfPresent(Bool.self, forKey: .checked), disabled: try c.decodeIfPresent(Bool.self, forKey: .disabled),
                selected: try c.decodeIfPresent(Bool.self, forKey: .selected), expanded: try c.decodeIfPresent(Bool.self, forKey: .expanded),
                pressed: try c.decodeIfPresent(Bool.self, forKey: .pressed), focused: try c.decodeIfPresent(Bool.self, forKey: .focused))
            let count = try c.decodeIfPresent(Int.self, forKey: .count)
            if count != nil, !states.isEmpty {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "an element expectation has either \"count\" or states, not both"))
            }
            self = .element(query, states: states, count: count)
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
                        "an expectation needs one of \"visible\", \"absent\", \"text\", \"role\", \"name\", \"field\", \"changed\", \"screenshot\", \"order\", \"aligned\", \"inside\", \"no_overlap\" or \"not_blank\""
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
        case .field(let name, let value):
            try c.encode(name, forKey: .field)
            try c.encode(value, forKey: .value)
        case .element(let query, let states, let count):
            try c.encodeIfPresent(query.role?.rawValue, forKey: .role)
            try c.encodeIfPresent(query.name, forKey: .name)
            try c.encodeIfPresent(query.row, forKey: .row)
            try c.encodeIfPresent(states.checked, forKey: .checked)
            try c.encodeIfPresent(states.disabled, forKey: .disabled)
            try c.encodeIfPresent(states.selected, forKey: .selected)
            try c.encodeIfPresent(states.expanded, forKey: .expanded)
            try c.encodeIfPresent(states.pressed, forKey: .pressed)
            try c.encodeIfPresent(states.focused, forKey: .focused)
            try c.encodeIfPresent(count, forKey: .count)
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
