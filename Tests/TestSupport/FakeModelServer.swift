import Foundation
import HTTP
import JSON

/// A model API for tests: an HTTP/1.1 server on 127.0.0.1 (a real socket, a kernel-chosen
/// port) that answers from scripted replies and records every request it received. It
/// speaks whatever format the replies are written in, so one server stands in for an
/// OpenAI-compatible endpoint or for Anthropic Messages.
public final class FakeModelServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: Data
        public var json: JSONValue? { JSONValue.parse(body) }
    }

    public enum Reply: Sendable {
        case json(JSONValue, status: Int = 200, headers: [String: String] = [:])
        /// Accepts the request and never answers (until the server stops or `seconds` pass).
        case hang(seconds: Double)
        /// Announces the whole body, sends half of it, and closes the connection.
        case truncated(JSONValue)
        /// Sends these bytes as a 200 answer (e.g. JSON cut short but complete as HTTP).
        case raw(String, status: Int = 200)
    }

    public typealias Handler = @Sendable (_ request: Request, _ index: Int) -> Reply

    public let port: UInt16
    private let fd: Int32
    private let handler: Handler
    private let lock = NSLock()
    private var received: [Request] = []
    private var running = true

    public init(handler: @escaping Handler) throws {
        (fd, port) = try listenOnLoopback()
        self.handler = handler
        Thread { [self] in
            while isRunning {
                let client = accept(fd, nil, nil)
                if client >= 0 {
                    Thread { [self] in serve(client) }.start()
                } else {
                    usleep(5_000)
                }
            }
            close(fd)
        }.start()
    }

    /// For OpenAI-compatible clients.
    public var openAIBaseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// For Anthropic clients.
    public var anthropicBaseURL: String { "http://127.0.0.1:\(port)" }

    public var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    public func stop() {
        lock.lock()
        running = false
        lock.unlock()
    }

    private var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return running
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let n = recv(client, &chunk, chunk.count, 0)
            guard n > 0 else { return }
            buffer.append(contentsOf: chunk[0..<n])
            headerEnd = buffer.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(buffer[headerEnd!.upperBound...])
        while body.count < length {
            let n = recv(client, &chunk, chunk.count, 0)
            guard n > 0 else { return }
            body.append(contentsOf: chunk[0..<n])
        }
        let request = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body)
        lock.lock()
        let index = received.count
        received.append(request)
        lock.unlock()

        func answer(_ status: Int, _ extra: [String: String], _ payload: Data, declared: Int? = nil) {
            var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Type: application/json\r\n"
            head += "Content-Length: \(declared ?? payload.count)\r\nConnection: close\r\n"
            for (k, v) in extra { head += "\(k): \(v)\r\n" }
            let bytes = Data((head + "\r\n").utf8) + payload
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        }
        switch handler(request, index) {
        case .json(let value, let status, let extra): answer(status, extra, Data(value.serialized().utf8))
        case .raw(let text, let status): answer(status, [:], Data(text.utf8))
        case .truncated(let value):
            let full = Data(value.serialized().utf8)
            answer(200, [:], full.prefix(full.count / 2), declared: full.count)
        case .hang(let seconds):
            let until = Date().addingTimeInterval(seconds)
            while isRunning, Date() < until { usleep(50_000) }
        }
    }
}

/// Answers in each wire format, for scripted replies.
public enum ModelReplies {
    public static func openAI(tool name: String, _ arguments: JSONValue, id: String = "call_1", usage: (Int, Int) = (1500, 40)) -> JSONValue {
        [
            "id": "chatcmpl-test", "object": "chat.completion",
            "choices": [
                [
                    "index": 0, "finish_reason": "tool_calls",
                    "message": [
                        "role": "assistant", "content": .null,
                        "tool_calls": [
                            [
                                "id": .string(id), "type": "function",
                                "function": ["name": .string(name), "arguments": .string(arguments.serialized())],
                            ]
                        ],
                    ],
                ]
            ],
            "usage": ["prompt_tokens": .number(Double(usage.0)), "completion_tokens": .number(Double(usage.1))],
        ]
    }

    public static func anthropic(tool name: String, _ arguments: JSONValue, id: String = "toolu_1", usage: (Int, Int) = (1500, 40)) -> JSONValue {
        [
            "id": "msg_test", "type": "message", "role": "assistant", "stop_reason": "tool_use",
            "content": [["type": "tool_use", "id": .string(id), "name": .string(name), "input": arguments]],
            "usage": ["input_tokens": .number(Double(usage.0)), "output_tokens": .number(Double(usage.1))],
        ]
    }

    /// Every text part of a request's messages, in order (both formats).
    public static func texts(of request: JSONValue) -> [String] {
        var out: [String] = []
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let pairs):
                if v["type"]?.string == "text", let t = v["text"]?.string { out.append(t) }
                if v["role"]?.string == "tool", let t = v["content"]?.string { out.append(t) }
                for (k, child) in pairs where k != "tools" { walk(child) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(request["messages"] ?? .null)
        return out
    }

    /// The newest frame id the request shows the model ("Frame <id> after: ...").
    public static func latestFrame(in request: JSONValue) -> String? {
        texts(of: request).reversed().lazy.compactMap { text -> String? in
            guard text.hasPrefix("Frame "), let end = text.range(of: " after:") else { return nil }
            return String(text[text.index(text.startIndex, offsetBy: 6)..<end.lowerBound])
        }.first
    }

    /// How many answers the model has given so far in this conversation.
    public static func turns(in request: JSONValue) -> Int {
        (request["messages"]?.array ?? []).filter { $0["role"]?.string == "assistant" }.count
    }

    /// The case a request is about ("Test case <id>").
    public static func caseId(in request: JSONValue) -> String? {
        for text in texts(of: request) {
            guard let r = text.range(of: "Test case ") else { continue }
            return String(text[r.upperBound...].prefix { $0 != " " && $0 != ":" && $0 != "\n" && $0 != "," })
        }
        return nil
    }

    /// Every picture a request carries, decoded (both formats).
    public static func pictures(in request: JSONValue) -> [Data] {
        var out: [Data] = []
        func walk(_ v: JSONValue) {
            switch v {
            case .object(let pairs):
                if let url = v["image_url"]?["url"]?.string, let comma = url.firstIndex(of: ",") {
                    out.append(Data(base64Encoded: String(url[url.index(after: comma)...])) ?? Data())
                } else if v["type"]?.string == "image", let data = v["source"]?["data"]?.string {
                    out.append(Data(base64Encoded: data) ?? Data())
                }
                for (_, child) in pairs { walk(child) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(request["messages"] ?? .null)
        return out
    }
}
