import Foundation

/// One HTTP request. Header values may hold credentials: nothing here ever logs them.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(method: String = "POST", url: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Seconds the server asked to wait (`Retry-After` as seconds or an HTTP date), if any.
    public func retryAfter(now: Date = Date()) -> Double? {
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return format.date(from: value).map { max(0, $0.timeIntervalSince(now)) }
    }
}

/// How long a request may take.
public struct HTTPTimeouts: Sendable, Equatable {
    /// Seconds to establish the connection.
    public var connect: Double
    /// Seconds for the whole exchange.
    public var total: Double
    /// The transfer is abandoned when it moves fewer than `lowSpeedBytes` per second for
    /// `lowSpeedSeconds` (a server that stalls mid-answer).
    public var lowSpeedBytes: Int
    public var lowSpeedSeconds: Double

    public init(connect: Double = 10, total: Double = 120, lowSpeedBytes: Int = 1, lowSpeedSeconds: Double = 60) {
        self.connect = connect
        self.total = total
        self.lowSpeedBytes = lowSpeedBytes
        self.lowSpeedSeconds = lowSpeedSeconds
    }
}

public enum HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request took longer than allowed (connect, total or low-speed limit).
    case timedOut(String)
    /// No connection could be made (refused, no route, DNS).
    case connectionFailed(String)
    /// The exchange broke off or was malformed.
    case transfer(String)
    /// The answer was larger than the transport accepts.
    case responseTooLarge(Int)
    /// The request itself cannot be sent (a bad URL, an unsupported scheme).
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .timedOut(let s): "timed out (\(s))"
        case .connectionFailed(let s): "could not connect (\(s))"
        case .transfer(let s): "the transfer failed (\(s))"
        case .responseTooLarge(let n): "the response exceeded \(n) bytes"
        case .invalidRequest(let s): "invalid request (\(s))"
        }
    }

    /// Worth trying again: the server or the network may do better next time.
    public var isTransient: Bool {
        switch self {
        case .timedOut, .connectionFailed, .transfer: true
        case .responseTooLarge, .invalidRequest: false
        }
    }
}

/// Sends a request and waits for the whole answer. Implementations block the calling thread:
/// call them from a worker thread, never from Swift concurrency's cooperative pool.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeouts: HTTPTimeouts) throws(HTTPError) -> HTTPResponse
}
