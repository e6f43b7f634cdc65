import Foundation

/// What an app wrote to its log, as reports quote it.
public enum AppLog {
    /// The last `lines` lines of the log at `path` (at most 2,000 characters), or "(empty)".
    public static func tail(_ path: String, lines: Int) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(empty)" }
        let last = text.split(separator: "\n").suffix(lines).joined(separator: "\n")
        return last.isEmpty ? "(empty)" : String(last.suffix(2000))
    }
}
