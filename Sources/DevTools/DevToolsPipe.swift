import Foundation
import JSON

#if canImport(Glibc)
    import Glibc
#endif

/// Failures of the DevTools channel. The browser answering a command with an error is one of
/// them (`rejected`), with the method and Chromium's own message attached.
public enum DevToolsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The browser closed its end of the pipe (it exited or crashed).
    case closed
    case timedOut(method: String, seconds: Double)
    case rejected(method: String, code: Int, message: String)
    /// A message that is not JSON, or an answer without the fields the method promises.
    case malformed(String)
    case writeFailed(errno: Int32)

    public var description: String {
        switch self {
        case .closed: "the browser closed its DevTools pipe"
        case .timedOut(let method, let seconds): "the browser did not answer \(method) within \(seconds) s"
        case .rejected(let method, let code, let message): "the browser refused \(method): \(message) (\(code))"
        case .malformed(let what): "the browser sent an unreadable DevTools message: \(what)"
        case .writeFailed(let e): "writing to the DevTools pipe failed: \(String(cString: strerror(e)))"
        }
    }
}

/// One command for `DevToolsPipe.call` or `callAll`: a method, its parameters, and the session
/// of the page it is for (nil for the browser itself).
public struct DevToolsCommand: Sendable {
    public var method: String
    public var params: JSONValue
    public var session: String?

    public init(_ method: String, _ params: JSONValue = .object([]), session: String? = nil) {
        self.method = method
        self.params = params
        self.session = session
    }
}

/// A message the browser sent on its own (an event), with the session it belongs to.
public struct DevToolsEvent: Sendable {
    public var method: String
    public var params: JSONValue
    public var session: String?
}

/// Chromium's DevTools protocol over `--remote-debugging-pipe`: the browser reads commands from
/// its descriptor 3 and writes answers and events to its descriptor 4, each message one JSON
/// text ended by a NUL byte. A pipe, unlike `--remote-debugging-port`, is reachable only by
/// whoever holds its ends, so nothing else in the browser's sandbox (the app under test) can
/// talk to the browser this way.
///
/// Commands may be pipelined (`callAll` writes them all, then collects the answers), which is
/// what makes hit-testing dozens of elements cost about one round trip. Events are kept in a
/// bounded queue until someone waits for them; the rest are dropped.
public final class DevToolsPipe: @unchecked Sendable {
    private let readFD: Int32
    private let writeFD: Int32
    private let lock = NSLock()
    private var nextId = 0
    private var buffer: [UInt8] = []
    private var answers: [Int: JSONValue] = [:]
    private var events: [DevToolsEvent] = []
    private var isClosed = false
    /// The browser's end closed (it exited or crashed): nothing more will come.
    private var ended = false
    /// Events beyond this many are dropped, oldest first (nobody waited for them).
    static let eventLimit = 256

    /// Takes ownership of `reading` (the browser's descriptor 4, our end) and `writing` (its 3).
    public init(reading: Int32, writing: Int32) {
        readFD = reading
        writeFD = writing
        _ = fcntl(reading, F_SETFL, fcntl(reading, F_GETFL) | O_NONBLOCK)
        // A browser that died must not kill AppJudge with SIGPIPE on the next write.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { close() }

    /// False once either end has closed the pipe: a browser whose pipe ended is gone, even while
    /// its sandbox is still winding down.
    public var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !isClosed && !ended
    }

    /// Closes our ends; the browser sees its pipe close and exits.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(readFD)
        Glibc.close(writeFD)
    }

    /// Sends one command and waits for its answer's `result`.
    public func call(_ method: String, _ params: JSONValue = .object([]), session: String? = nil, timeout: Double = 10) throws(DevToolsError)
        -> JSONValue
    {
        let results = try callAll([DevToolsCommand(method, params, session: session)], timeout: timeout)
        return try results[0].get()
    }

    /// Sends every command before reading any answer, then returns the answers in order; one
    /// command's refusal does not fail the others. Throws only when the channel itself fails.
    /// Callers on several threads may wait at once: whoever reads files every answer and event,
    /// and each caller takes its own.
    public func callAll(_ commands: [DevToolsCommand], timeout: Double = 10) throws(DevToolsError) -> [Result<JSONValue, DevToolsError>] {
        var ids: [Int] = []
        var out: [UInt8] = []
        lock.lock()
        guard !isClosed else {
            lock.unlock()
            throw .closed
        }
        for command in commands {
            nextId += 1
            ids.append(nextId)
            var message: [(String, JSONValue)] = [("id", .number(Double(nextId))), ("method", .string(command.method)), ("params", command.params)]
            if let session = command.session { message.append(("sessionId", .string(session))) }
            out += Array(JSONValue.object(message).serialized().utf8)
            out.append(0)
        }
        do {
            try write(out)
        } catch {
            lock.unlock()
            throw error
        }
        lock.unlock()
        let deadline = Date().addingTimeInterval(timeout)
        var results: [Result<JSONValue, DevToolsError>] = []
        for (index, id) in ids.enumerated() {
            let method = commands[index].method
            let answer = try awaitMessage(deadline: deadline) { () -> JSONValue? in answers.removeValue(forKey: id) }
            guard let answer else { throw .timedOut(method: method, seconds: timeout) }
            if let error = answer["error"] {
                results.append(.failure(.rejected(method: method, code: error["code"]?.integer ?? 0, message: error["message"]?.string ?? "")))
            } else {
                results.append(.success(answer["result"] ?? .object([])))
            }
        }
        return results
    }

    /// Waits for the first event named `method` (of `session`, when given) that arrives or has
    /// arrived since the last wait, at most `timeout` seconds; nil when none came.
    public func waitForEvent(_ method: String, session: String? = nil, timeout: Double) throws(DevToolsError) -> DevToolsEvent? {
        try awaitMessage(deadline: Date().addingTimeInterval(timeout)) { () -> DevToolsEvent? in
            events.firstIndex { $0.method == method && (session == nil || $0.session == session) }.map { events.remove(at: $0) }
        }
    }

    /// Reads until `take` (called under the lock) finds what it waits for, or the deadline
    /// passes (nil). The lock is held only to read what has arrived, never while waiting, so a
    /// slow command on one thread does not hold up another thread's quick one.
    private func awaitMessage<T>(deadline: Date, _ take: () -> T?) throws(DevToolsError) -> T? {
        while true {
            lock.lock()
            if let found = take() {
                lock.unlock()
                return found
            }
            guard !isClosed else {
                lock.unlock()
                throw .closed
            }
            let arrived: Bool
            do {
                arrived = try readAvailable()
            } catch {
                lock.unlock()
                throw error
            }
            lock.unlock()
            if arrived { continue }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return nil }
            // Bounded, so a pipe closed meanwhile is noticed on the next turn.
            var pfd = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            _ = Glibc.poll(&pfd, 1, Int32(max(1, min(remaining, 0.02) * 1000)))
        }
    }

    /// Forgets queued events (of one session, or all).
    public func dropEvents(session: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        events.removeAll { session == nil || $0.session == session }
    }

    // MARK: - Wire

    private func write(_ bytes: [UInt8]) throws(DevToolsError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(writeFD, $0.baseAddress! + sent, bytes.count - sent) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw .closed }
                throw .writeFailed(errno: errno)
            }
            sent += n
        }
    }

    /// Files every complete message the browser has written so far, without waiting (the
    /// descriptor is non-blocking); false when nothing had arrived. Called with the lock held.
    private func readAvailable() throws(DevToolsError) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let n = chunk.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return false }
            ended = true
            throw .closed
        }
        if n == 0 {
            ended = true
            throw .closed
        }
        var start = buffer.count
        buffer.append(contentsOf: chunk[0..<n])
        // Split off every NUL-terminated message now complete.
        var consumed = 0
        while let end = buffer[start...].firstIndex(of: 0) {
            try file(Array(buffer[consumed..<end]))
            consumed = end + 1
            start = consumed
        }
        if consumed > 0 { buffer.removeFirst(consumed) }
        return true
    }

    private func file(_ message: [UInt8]) throws(DevToolsError) {
        guard let value = JSONValue.parse(Data(message)) else {
            throw .malformed(String(decoding: message.prefix(120), as: UTF8.self))
        }
        if let id = value["id"]?.integer {
            answers[id] = value
        } else if let method = value["method"]?.string {
            events.append(DevToolsEvent(method: method, params: value["params"] ?? .null, session: value["sessionId"]?.string))
            if events.count > Self.eventLimit { events.removeFirst(events.count - Self.eventLimit) }
        }
    }
}
