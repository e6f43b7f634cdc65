import Foundation
import HTTP
import JSON
import Imaging
import Suite

/// The picture the model sees and how its coordinates map to the screen. Screenshots are
/// downscaled to the aspect-matched size of XGA, WXGA or FWXGA (never upscaled), and every
/// coordinate the model gives is converted back here and nowhere else.
public struct ScreenScale: Sendable, Equatable {
    public static let targets = [(1024, 768), (1280, 800), (1366, 768)]

    public let screenWidth: Int
    public let screenHeight: Int
    public let imageWidth: Int
    public let imageHeight: Int

    public init(screenWidth: Int, screenHeight: Int) {
        self.screenWidth = screenWidth
        self.screenHeight = screenHeight
        let aspect = Double(screenWidth) / Double(screenHeight)
        let (tw, th) = Self.targets.min { abs(Double($0.0) / Double($0.1) - aspect) < abs(Double($1.0) / Double($1.1) - aspect) }!
        let factor = min(1, min(Double(tw) / Double(screenWidth), Double(th) / Double(screenHeight)))
        imageWidth = max(1, Int((Double(screenWidth) * factor).rounded()))
        imageHeight = max(1, Int((Double(screenHeight) * factor).rounded()))
    }

    public var isIdentity: Bool { imageWidth == screenWidth && imageHeight == screenHeight }

    /// A point of the model's picture on the screen; nil when it lies outside the picture.
    public func toScreen(x: Int, y: Int) -> Point? {
        guard x >= 0, y >= 0, x < imageWidth, y < imageHeight else { return nil }
        let sx = Double(screenWidth) / Double(imageWidth), sy = Double(screenHeight) / Double(imageHeight)
        return Point(x: min(screenWidth - 1, Int((Double(x) + 0.5) * sx)), y: min(screenHeight - 1, Int((Double(y) + 0.5) * sy)))
    }

    /// A box on the screen in the model's picture.
    public func toImage(_ r: Rect) -> Rect {
        let sx = Double(imageWidth) / Double(screenWidth), sy = Double(imageHeight) / Double(screenHeight)
        let x = Int(Double(r.x) * sx), y = Int(Double(r.y) * sy)
        return Rect(x: x, y: y, width: max(1, Int(Double(r.maxX) * sx) - x), height: max(1, Int(Double(r.maxY) * sy) - y))
    }

    public func picture(of frame: Image) -> Image {
        isIdentity ? frame : frame.resized(width: imageWidth, height: imageHeight)
    }
}

/// What one tool call asks for.
public enum AgentAction: Sendable, Equatable {
    case step(Step)
    /// The agent's decision; `checks` are texts it says must (or must not) be on screen, which
    /// become the expectations of an exported script.
    case verdict(Verdict, reason: String, evidence: [String], checks: [Expectation])
}

/// The action vocabulary offered to models as tools, and the one place their calls are
/// validated and turned into typed actions. Nothing a model sends is executed as code.
public enum AgentTools {
    // Schemas stay terse because they ride along with every request; the conventions they
    // share (pixels of the screenshot, or a visible text and its row) are in the system prompt.
    static let point: [(String, JSONValue)] = [
        ("element", ["type": "integer"]), ("x", ["type": "integer"]), ("y", ["type": "integer"]), ("text", ["type": "string"]),
        ("row", ["type": "string"]),
    ]

    static func object(_ properties: [(String, JSONValue)], required: [String] = []) -> JSONValue {
        var schema: [(String, JSONValue)] = [("type", "object"), ("properties", .object(properties))]
        if !required.isEmpty { schema.append(("required", .array(required.map(JSONValue.string)))) }
        return .object(schema)
    }

    public static let specs: [ToolSpec] = [
        ToolSpec(name: "click", description: "Left-click.", parameters: object(point)),
        ToolSpec(name: "double_click", description: "Double-click.", parameters: object(point)),
        ToolSpec(name: "right_click", description: "Right-click.", parameters: object(point)),
        ToolSpec(name: "move", description: "Hover.", parameters: object(point)),
        ToolSpec(
            name: "drag", description: "Drag from one point to another.",
            parameters: object(
                [
                    ("from_x", ["type": "integer"]), ("from_y", ["type": "integer"]), ("to_x", ["type": "integer"]),
                    ("to_y", ["type": "integer"]),
                ], required: ["from_x", "from_y", "to_x", "to_y"])),
        ToolSpec(name: "type", description: "Type into the focused field.", parameters: object([("text", ["type": "string"])], required: ["text"])),
        ToolSpec(
            name: "key", description: "Press keys: Return, Escape, Up, ctrl+a.",
            parameters: object([("keys", ["type": "string"])], required: ["keys"])),
        ToolSpec(
            name: "scroll", description: "Scroll dy notches (+ down), at x,y or the centre.",
            parameters: object(
                [("dy", ["type": "integer"]), ("dx", ["type": "integer"]), ("x", ["type": "integer"]), ("y", ["type": "integer"])],
                required: ["dy"])),
        ToolSpec(name: "wait", description: "Wait up to 10 s.", parameters: object([("seconds", ["type": "number"])], required: ["seconds"])),
        ToolSpec(name: "reload", description: "Reload the page or restart the app.", parameters: object([])),
        ToolSpec(
            name: "verdict",
            description: "Decide. evidence: frame ids showing it. checks: texts visible (or absent) when the app is correct.",
            parameters: object(
                [
                    ("result", ["type": "string", "enum": ["pass", "fail", "uncertain"]]), ("reason", ["type": "string"]),
                    ("evidence", ["type": "array", "items": ["type": "string"]]),
                    ("checks", ["type": "array", "items": object([("visible", ["type": "string"]), ("absent", ["type": "string"])])]),
                ], required: ["result", "reason", "evidence"])),
    ]

    public static let names = Set(specs.map(\.name))

    /// Key names a model may press (X keysyms), besides single printable characters.
    static let keyNames: Set<String> = [
        "Return", "Tab", "Escape", "BackSpace", "Delete", "space", "Up", "Down", "Left", "Right", "Home", "End", "Page_Up", "Page_Down",
        "Insert", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12", "plus", "minus", "equal", "slash",
        "asterisk", "period", "comma", "KP_Enter", "KP_Add", "KP_Subtract", "KP_Multiply", "KP_Divide",
    ]
    static let aliases = [
        "enter": "Return", "esc": "Escape", "backspace": "BackSpace", "del": "Delete", "pageup": "Page_Up",
        "pagedown": "Page_Down", "arrowup": "Up", "arrowdown": "Down", "arrowleft": "Left", "arrowright": "Right", "spacebar": "space",
    ]
    static let modifiers: Set<String> = ["ctrl", "shift", "alt", "super"]

    /// The typed action for `call`, or a sentence saying what is wrong with it.
    public static func parse(_ call: ToolCall, scale: ScreenScale) -> Result<AgentAction, ToolError> {
        guard names.contains(call.name) else {
            return .failure(ToolError("unknown tool '\(call.name)'; the tools are \(specs.map(\.name).joined(separator: ", "))"))
        }
        guard let args = call.arguments, args.keys != nil else {
            return .failure(ToolError("the arguments of \(call.name) are not a JSON object: \(call.rawArguments.prefix(120))"))
        }
        do {
            return .success(try action(call.name, args, scale))
        } catch {
            return .failure(error)
        }
    }

    private static func action(_ name: String, _ args: JSONValue, _ scale: ScreenScale) throws(ToolError) -> AgentAction {
        func int(_ key: String) throws(ToolError) -> Int? {
            guard let v = args[key], v != .null else { return nil }
            guard let i = v.integer ?? v.number.map({ Int($0.rounded()) }) else { throw ToolError("\(key) must be a whole number") }
            return i
        }
        func point(_ xKey: String, _ yKey: String) throws(ToolError) -> Target {
            guard let x = try int(xKey), let y = try int(yKey) else { throw ToolError("\(name) needs \(xKey) and \(yKey)") }
            guard let p = scale.toScreen(x: x, y: y) else {
                throw ToolError("(\(x), \(y)) is outside the \(scale.imageWidth)x\(scale.imageHeight) screenshot")
            }
            return .point(x: p.x, y: p.y)
        }
        func target() throws(ToolError) -> Target {
            if let n = try int("element") {
                guard n >= 1 else { throw ToolError("element numbers start at 1") }
                return .mark(n)
            }
            if let text = args["text"]?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                guard text.count <= 200 else { throw ToolError("text is longer than 200 characters") }
                return .text(text, row: args["row"]?.string.flatMap { $0.isEmpty ? nil : $0 })
            }
            return try point("x", "y")
        }
        switch name {
        case "click": return .step(.click(try target()))
        case "double_click": return .step(.doubleClick(try target()))
        case "right_click": return .step(.rightClick(try target()))
        case "move": return .step(.move(try target()))
        case "drag": return .step(.drag(from: try point("from_x", "from_y"), to: try point("to_x", "to_y")))
        case "type":
            guard let text = args["text"]?.string else { throw ToolError("type needs text") }
            guard text.count <= 500 else { throw ToolError("text is longer than 500 characters") }
            return .step(.type(text))
        case "key":
            guard let keys = args["keys"]?.string else { throw ToolError("key needs keys, e.g. \"Return\" or \"ctrl+a\"") }
            return .step(.key(try combo(keys)))
        case "scroll":
            guard let dy = try int("dy") else { throw ToolError("scroll needs dy") }
            let dx = try int("dx") ?? 0
            guard abs(dy) <= 50, abs(dx) <= 50 else { throw ToolError("scroll by at most 50 notches") }
            let at: Target? = args["x"] != nil || args["y"] != nil ? try point("x", "y") : nil
            return .step(.scroll(dx: dx, dy: dy, at: at))
        case "wait":
            guard let seconds = args["seconds"]?.number, (0...10).contains(seconds) else { throw ToolError("wait needs seconds between 0 and 10") }
            return .step(.wait(seconds: seconds))
        case "reload": return .step(.reload)
        default:
            guard let raw = args["result"]?.string, let result = ["pass": Verdict.pass, "fail": .fail, "uncertain": .uncertain][raw] else {
                throw ToolError("verdict needs result pass, fail or uncertain")
            }
            guard let reason = args["reason"]?.string, !reason.isEmpty else { throw ToolError("verdict needs a reason") }
            let evidence = (args["evidence"]?.array ?? []).compactMap(\.string)
            var checks: [Expectation] = []
            for check in args["checks"]?.array ?? [] {
                if let t = check["visible"]?.string, !t.isEmpty {
                    checks.append(.visible(t))
                } else if let t = check["absent"]?.string, !t.isEmpty {
                    checks.append(.absent(t))
                } else {
                    throw ToolError("each check needs \"visible\" or \"absent\" with a text")
                }
            }
            return .verdict(result, reason: String(reason.prefix(2000)), evidence: evidence, checks: checks)
        }
    }

    /// A key combination checked against known key names: "ctrl+a", "Return", "shift+Tab".
    static func combo(_ keys: String) throws(ToolError) -> String {
        let parts = keys.split(separator: "+", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, parts.count <= 4 else { throw ToolError("'\(keys)' is not a key combination") }
        var out: [String] = []
        for (i, part) in parts.enumerated() {
            let isLast = i == parts.count - 1
            if !isLast {
                guard modifiers.contains(part.lowercased()) else { throw ToolError("'\(part)' is not a modifier (ctrl, shift, alt, super)") }
                out.append(part.lowercased())
            } else if part.count == 1, let c = part.unicodeScalars.first, c.isASCII, c.value > 0x20, c.value < 0x7f {
                out.append(part)
            } else if let alias = aliases[part.lowercased()] {
                out.append(alias)
            } else if let known = keyNames.first(where: { $0.lowercased() == part.lowercased() }) {
                out.append(known)
            } else {
                throw ToolError("'\(part)' is not a key name AppJudge knows (e.g. Return, Escape, Tab, Up, F5, a)")
            }
        }
        return out.joined(separator: "+")
    }
}

public struct ToolError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
