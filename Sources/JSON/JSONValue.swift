import Foundation

/// Any JSON value: what model APIs send and receive beyond fixed shapes (tool schemas, tool
/// arguments). Object keys keep their insertion order so encoded requests are byte-stable,
/// which content-addressed recording relies on.
public enum JSONValue: Sendable, Equatable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var number: Double? { if case .number(let n) = self { n } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var keys: [String]? { if case .object(let pairs) = self { pairs.map(\.0) } else { nil } }
    /// A whole number, if this is a number without a fraction.
    public var integer: Int? {
        guard let n = number, n.rounded() == n, abs(n) < 1e15 else { return nil }
        return Int(n)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            // Keyed containers do not promise the document's key order; keep what they give, sorted
            // for stability.
            let keyed = try decoder.container(keyedBy: AnyKey.self)
            self = .object(
                try keyed.allKeys.sorted { $0.stringValue < $1.stringValue }.map { ($0.stringValue, try keyed.decode(JSONValue.self, forKey: $0)) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let n):
            var c = encoder.singleValueContainer()
            if let i = integer { try c.encode(i) } else { try c.encode(n) }
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let a):
            var c = encoder.unkeyedContainer()
            for item in a { try c.encode(item) }
        case .object(let pairs):
            // Request bodies are written with `serialized()`, which keeps the key order; an
            // encoder may reorder keys, which only matters for values embedded in reports.
            var c = encoder.container(keyedBy: AnyKey.self)
            for (k, v) in pairs { try c.encode(v, forKey: AnyKey(stringValue: k)!) }
        }
    }

    /// Compact JSON text with keys in insertion order.
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Indented JSON for files people review: a value whose compact form fits in `width`
    /// characters stays on one line (a script step, a feature), larger ones are broken up.
    /// Lists under a key in `broken` always get a line per item (a script's steps).
    public func pretty(indent: String = "", width: Int = 120, broken: Set<String> = [], breakHere: Bool = false) -> String {
        let compact = inline()
        switch self {
        case .array(let items) where !items.isEmpty && (breakHere || indent.count + compact.count > width):
            let inner = indent + "  "
            return "[\n" + items.map { inner + $0.pretty(indent: inner, width: width, broken: broken) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let pairs) where !pairs.isEmpty && (indent.isEmpty || indent.count + compact.count > width):
            let inner = indent + "  "
            return "{\n"
                + pairs.map { key, value in
                    var k = ""
                    Self.quote(key, into: &k)
                    return inner + k + ": " + value.pretty(indent: inner, width: width, broken: broken, breakHere: broken.contains(key))
                }.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return compact
        }
    }

    /// One line with a space after each colon and comma, as people write small JSON.
    private func inline() -> String {
        switch self {
        case .array(let items): return "[" + items.map { $0.inline() }.joined(separator: ", ") + "]"
        case .object(let pairs):
            return "{"
                + pairs.map { key, value in
                    var k = ""
                    Self.quote(key, into: &k)
                    return k + ": " + value.inline()
                }.joined(separator: ", ") + "}"
        default: return serialized()
        }
    }

    /// Replaces the value of `key` in an object, or appends it.
    public func setting(_ key: String, to value: JSONValue) -> JSONValue {
        guard case .object(var pairs) = self else { return self }
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            if let i = integer { out += String(i) } else if n.isFinite { out += String(n) } else { out += "null" }
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Parses JSON text, keeping the order of object keys; nil when it is not valid JSON.
    public static func parse(_ data: Data) -> JSONValue? {
        var parser = JSONParser(bytes: [UInt8](data))
        guard let value = parser.value(depth: 0) else { return nil }
        parser.skipSpace()
        return parser.atEnd ? value : nil
    }

    public static func parse(_ text: String) -> JSONValue? { parse(Data(text.utf8)) }
}

/// A strict RFC 8259 reader. Foundation's JSONSerialization loses key order and, on Linux,
/// the difference between `true` and `1`.
private struct JSONParser {
    let bytes: [UInt8]
    var at = 0
    var atEnd: Bool { at == bytes.count }

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    mutating func literal(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard at + w.count <= bytes.count, Array(bytes[at..<at + w.count]) == w else { return false }
        at += w.count
        return true
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard depth < 256 else { return nil }
        skipSpace()
        guard at < bytes.count else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var pairs: [(String, JSONValue)] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object(pairs)
            }
            while true {
                skipSpace()
                guard let key = string() else { return nil }
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return nil }
                at += 1
                guard let v = value(depth: depth + 1) else { return nil }
                pairs.append((key, v))
                skipSpace()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(pairs) }
                return nil
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [JSONValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array(items)
            }
            while true {
                guard let v = value(depth: depth + 1) else { return nil }
                items.append(v)
                skipSpace()
                guard at < bytes.count else { return nil }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                return nil
            }
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default: return number()
        }
    }

    mutating func number() -> JSONValue? {
        let start = at
        while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
        guard at > start, let text = String(bytes: bytes[start..<at], encoding: .ascii), let n = Double(text) else { return nil }
        return .number(n)
    }

    mutating func string() -> String? {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        at += 1
        var scalars = String.UnicodeScalarView()
        var run = at
        func flush(_ end: Int) -> Bool {
            guard let s = String(bytes: bytes[run..<end], encoding: .utf8) else { return false }
            scalars.append(contentsOf: s.unicodeScalars)
            return true
        }
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                guard flush(at) else { return nil }
                at += 1
                return String(scalars)
            }
            if b < 0x20 { return nil }
            if b == UInt8(ascii: "\\") {
                guard flush(at), at + 1 < bytes.count else { return nil }
                let e = bytes[at + 1]
                at += 2
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                        bytes[at + 1] == UInt8(ascii: "u")
                    {
                        at += 2
                        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: return nil
                }
                run = at
                continue
            }
            at += 1
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count, let text = String(bytes: bytes[at..<at + 4], encoding: .ascii), let v = UInt32(text, radix: 16)
        else { return nil }
        at += 4
        return v
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
