import Foundation
import HTTP
import JSON

/// Where in an evaluation a model call was made; replay finds an answer by its content first
/// and by this position second.
public struct CallTag: Sendable, Equatable, Hashable, Codable {
    /// The case id, or "" for calls outside a case (case generation).
    public var scope: String
    public var episode: Int
    public var call: Int
    public init(scope: String, episode: Int, call: Int) {
        self.scope = scope
        self.episode = episode
        self.call = call
    }
}

/// The model exchanges of one evaluation, stored content-addressed in the report folder:
/// `llm/<sha256 of request>.json` holds request and answer bodies (no headers, so no key),
/// and `llm/index.jsonl` says which call of which case each one was.
public final class ExchangeStore: @unchecked Sendable {
    public let directory: URL
    private let lock = NSLock()
    private var byTag: [CallTag: String] = [:]

    public init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let index = directory.appendingPathComponent("index.jsonl")
        if let text = try? String(contentsOf: index, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                guard let json = JSONValue.parse(String(line)), let hash = json["hash"]?.string, let scope = json["scope"]?.string,
                    let episode = json["episode"]?.integer, let call = json["call"]?.integer
                else { continue }
                byTag[CallTag(scope: scope, episode: episode, call: call)] = hash
            }
        }
    }

    public static func key(provider: String, body: Data) -> String {
        SHA256.hex(Data("\(provider)\n".utf8) + body)
    }

    public func record(provider: String, request: Data, response: Data, tag: CallTag) {
        let hash = Self.key(provider: provider, body: request)
        let entry: JSONValue = [
            "provider": .string(provider), "request": JSONValue.parse(request) ?? .string(String(decoding: request, as: UTF8.self)),
            "response": .string(String(decoding: response, as: UTF8.self)),
        ]
        lock.lock()
        defer { lock.unlock() }
        try? Data(entry.serialized().utf8).write(to: directory.appendingPathComponent("\(hash).json"), options: .atomic)
        byTag[tag] = hash
        let line: JSONValue = [
            "scope": .string(tag.scope), "episode": .number(Double(tag.episode)), "call": .number(Double(tag.call)), "hash": .string(hash),
        ]
        let index = directory.appendingPathComponent("index.jsonl")
        if let handle = FileHandle(forWritingAtPath: index.path) {
            handle.seekToEndOfFile()
            handle.write(Data((line.serialized() + "\n").utf8))
            handle.closeFile()
        } else {
            try? Data((line.serialized() + "\n").utf8).write(to: index)
        }
    }

    /// The recorded answer for this request: the same bytes if they were sent before, else
    /// the answer given at the same position (a screenshot may differ by a pixel between runs).
    public func answer(provider: String, request: Data, tag: CallTag) -> (response: Data, exact: Bool)? {
        let hash = Self.key(provider: provider, body: request)
        if let data = response(hash: hash) { return (data, true) }
        lock.lock()
        let positional = byTag[tag]
        lock.unlock()
        return positional.flatMap { response(hash: $0) }.map { ($0, false) }
    }

    private func response(hash: String) -> Data? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("\(hash).json").path),
            let text = JSONValue.parse(data)?["response"]?.string
        else { return nil }
        return Data(text.utf8)
    }
}
