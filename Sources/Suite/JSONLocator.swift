import Foundation

/// Finds the line of a field in JSON text, so that a message about `cases[2].script[1]` can
/// say where in the file to look. Reads just enough of the text to walk the path.
enum JSONLocator {
    /// Path components of a field as messages write it: `cases[2].script[1].expect`.
    static func components(_ field: String) -> [Either] {
        var out: [Either] = []
        for part in field.split(separator: ".") {
            var name = Substring(part)
            if let bracket = name.firstIndex(of: "[") {
                if bracket > name.startIndex { out.append(.key(String(name[..<bracket]))) }
                name = name[bracket...]
                while name.hasPrefix("["), let close = name.firstIndex(of: "]") {
                    if let i = Int(name[name.index(after: name.startIndex)..<close]) { out.append(.index(i)) }
                    name = name[name.index(after: close)...]
                }
            } else {
                out.append(.key(String(name)))
            }
        }
        return out
    }

    enum Either: Equatable {
        case key(String)
        case index(Int)
    }

    /// The 1-based line where the deepest reachable part of `field` starts.
    static func line(of field: String, in data: Data) -> Int? {
        let bytes = [UInt8](data)
        var at = 0
        var found: Int?
        func skipSpace() { while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 } }
        func lineNumber(_ offset: Int) -> Int { bytes[..<min(offset, bytes.count)].filter { $0 == 0x0A }.count + 1 }
        func skipString() {
            at += 1
            while at < bytes.count, bytes[at] != UInt8(ascii: "\"") {
                at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1
            }
            at += 1
        }
        func readString() -> String {
            let start = at + 1
            skipString()
            return String(decoding: bytes[start..<max(start, at - 1)], as: UTF8.self)
        }
        /// Skips one value; when `path` is not empty, walks into it along the path instead.
        func value(_ path: ArraySlice<Either>) -> Bool {
            skipSpace()
            guard at < bytes.count else { return false }
            found = lineNumber(at)
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                while true {
                    skipSpace()
                    guard at < bytes.count else { return false }
                    if bytes[at] == UInt8(ascii: "}") {
                        at += 1
                        return path.isEmpty
                    }
                    if bytes[at] == UInt8(ascii: ",") {
                        at += 1
                        continue
                    }
                    guard bytes[at] == UInt8(ascii: "\"") else { return false }
                    let keyLine = lineNumber(at)
                    let key = readString()
                    skipSpace()
                    guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { return false }
                    at += 1
                    if let first = path.first, first == .key(key) {
                        found = keyLine
                        return value(path.dropFirst())
                    }
                    guard value([]) else { return false }
                }
            case UInt8(ascii: "["):
                at += 1
                var index = 0
                while true {
                    skipSpace()
                    guard at < bytes.count else { return false }
                    if bytes[at] == UInt8(ascii: "]") {
                        at += 1
                        return path.isEmpty
                    }
                    if bytes[at] == UInt8(ascii: ",") {
                        at += 1
                        index += 1
                        continue
                    }
                    if let first = path.first, first == .index(index) { return value(path.dropFirst()) }
                    guard value([]) else { return false }
                }
            case UInt8(ascii: "\""):
                skipString()
                return path.isEmpty
            default:
                while at < bytes.count, !",]} \n\r\t".utf8.contains(bytes[at]) { at += 1 }
                return path.isEmpty
            }
        }
        _ = value(ArraySlice(components(field)))
        return found
    }
}
