import Foundation

/// trace.jsonl: one JSON object per line, appended as things happen, so even a killed run
/// leaves a record of how far it got.
public final class TraceWriter: @unchecked Sendable {
    private let handle: FileHandle?
    private let start = Date()
    private let lock = NSLock()

    public init(url: URL) {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try? FileHandle(forWritingTo: url)
        _ = try? handle?.seekToEnd()
    }

    deinit { try? handle?.close() }

    /// Appends an event with its time since the trace began.
    public func record(_ event: String, _ fields: [String: any Sendable] = [:]) {
        var object: [String: Any] = fields
        object["event"] = event
        object["t"] = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
        guard JSONSerialization.isValidJSONObject(object),
            var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        line.append(0x0A)
        lock.lock()
        defer { lock.unlock() }
        try? handle?.write(contentsOf: line)
    }
}
