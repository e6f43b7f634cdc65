import Foundation
import HTTP
import Judge
import TestSupport
import Testing

/// Waits the client asked for, instead of waiting.
final class Waits: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Double] = []
    var all: [Double] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
    func record(_ s: Double) {
        lock.lock()
        list.append(s)
        lock.unlock()
    }
}

func conversation(_ text: String = "hello") -> Conversation {
    Conversation(system: "sys", messages: [.user([.text(text)])], tools: AgentTools.specs)
}

@Suite struct ClientTests {
    func client(
        _ server: FakeModelServer, anthropic: Bool = false, key: String? = "sk-test-SECRET-123", waits: Waits = Waits(),
        recorder: ExchangeStore? = nil
    )
        -> ModelClient
    {
        var settings = ModelSettings(
            provider: anthropic ? AnthropicMessages() : OpenAIChat(), model: anthropic ? "claude-haiku-4-5" : "gpt-4.1-mini",
            baseURL: anthropic ? server.anthropicBaseURL : server.openAIBaseURL, key: key)
        settings.timeouts = HTTPTimeouts(connect: 2, total: 1.5)
        settings.attempts = 3
        return ModelClient(settings: settings, recorder: recorder, sleep: { waits.record($0) })
    }

    @Test func openAIRequestCarriesToolsKeyAndAnswerIsRead() throws {
        let server = try FakeModelServer { _, _ in .json(ModelReplies.openAI(tool: "click", ["text": "Add"], usage: (1234, 56))) }
        defer { server.stop() }
        let call = try client(server).complete(conversation(), tag: CallTag(scope: "c", episode: 0, call: 0))
        #expect(call.reply.calls.first?.name == "click")
        #expect(call.reply.calls.first?.arguments?["text"]?.string == "Add")
        #expect(call.reply.usage == TokenUsage(input: 1234, output: 56))
        #expect(call.attempts == 1)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/chat/completions")
        #expect(request.headers["authorization"] == "Bearer sk-test-SECRET-123")
        let body = try #require(request.json)
        #expect(body["model"]?.string == "gpt-4.1-mini")
        #expect(body["tool_choice"]?.string == "required")
        #expect(body["tools"]?.array?.compactMap { $0["function"]?["name"]?.string } == AgentTools.specs.map(\.name))
        #expect(body["messages"]?[0]?["role"]?.string == "system")
    }

    @Test func anthropicRequestAndAnswer() throws {
        let server = try FakeModelServer { _, _ in .json(ModelReplies.anthropic(tool: "key", ["keys": "Return"], usage: (900, 30))) }
        defer { server.stop() }
        let call = try client(server, anthropic: true).complete(conversation(), tag: CallTag(scope: "c", episode: 0, call: 0))
        #expect(call.reply.calls.first?.name == "key")
        #expect(call.reply.usage == TokenUsage(input: 900, output: 30))
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == "sk-test-SECRET-123")
        #expect(request.headers["anthropic-version"] == "2023-06-01")
        let body = try #require(request.json)
        #expect(body["system"]?.string == "sys")
        #expect(body["tool_choice"]?["type"]?.string == "any")
        #expect(body["tools"]?[0]?["input_schema"]?["type"]?.string == "object")
    }

    @Test func serverErrorsAreRetriedWithBackoff() throws {
        let server = try FakeModelServer { _, i in
            i < 2 ? .json(["error": ["message": "overloaded"]], status: 503) : .json(ModelReplies.openAI(tool: "wait", ["seconds": 1]))
        }
        defer { server.stop() }
        let waits = Waits()
        let call = try client(server, waits: waits).complete(conversation(), tag: CallTag(scope: "c", episode: 0, call: 0))
        #expect(call.attempts == 3)
        #expect(waits.all.count == 2)
        // Exponential with jitter in the upper half: about 1 s, then about 2 s.
        #expect((0.5...1.0).contains(waits.all[0]) && (1.0...2.0).contains(waits.all[1]), "\(waits.all)")
    }

    @Test func tooManyRequestsHonoursRetryAfter() throws {
        let server = try FakeModelServer { _, i in
            i == 0
                ? .json(["error": ["message": "slow down"]], status: 429, headers: ["Retry-After": "4"])
                : .json(ModelReplies.openAI(tool: "reload", [:]))
        }
        defer { server.stop() }
        let waits = Waits()
        _ = try client(server, waits: waits).complete(conversation(), tag: CallTag(scope: "c", episode: 0, call: 0))
        #expect(waits.all == [4])
    }

    @Test func hungAndTruncatedAnswersAreRetried() throws {
        let server = try FakeModelServer { _, i in
            switch i {
            case 0: .hang(seconds: 5)
            case 1: .truncated(ModelReplies.openAI(tool: "click", ["x": 1, "y": 2]))
            default: .raw(#"{"choices":[{"message":{"tool_calls":[{"id":"a","function":{"name":"cl"#)
            }
        }
        defer { server.stop() }
        let started = Date()
        do {
            _ = try client(server).complete(conversation(), tag: CallTag(scope: "c", episode: 0, call: 0))
            Issue.record("three broken answers gave a reply")
        } catch {
            guard case .unavailable(let why) = error else { Issue.record("expected unavailable, got \(error)"); return }
            #expect(why.contains("3 tries") && why.contains("unusable answer"), "\(why)")
        }
        #expect(server.requests.count == 3)
        #expect(Date().timeIntervalSince(started) < 5, "the hung call was not cut off by the total timeout")
    }

    @Test func aRefusedRequestIsNotRetried() throws {
        let server = try FakeModelServer { _, _ in .json(["error": ["message": "invalid x-api-key"]], status: 401) }
        defer { server.stop() }
        #expect(throws: ModelError.rejected(status: 401, message: "invalid x-api-key")) {
            _ = try client(server).complete(conversation(), tag: CallTag(scope: "c", episode: 0, call: 0))
        }
        #expect(server.requests.count == 1)
    }

    @Test func recordsAreContentAddressedKeyFreeAndReplayWithoutNetwork() throws {
        let server = try FakeModelServer { request, _ in
            .json(ModelReplies.openAI(tool: "type", ["text": .string(ModelReplies.texts(of: request.json!).last ?? "")]))
        }
        let folder = Scratch.directory("records").appendingPathComponent("llm")
        let store = try ExchangeStore(directory: folder)
        let live = client(server, recorder: store)
        for (i, text) in ["one", "two"].enumerated() {
            _ = try live.complete(conversation(text), tag: CallTag(scope: "case-a", episode: 0, call: i))
        }
        server.stop()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files.count == 3 && files.contains("index.jsonl"))
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("SECRET"), "\(file) holds the key")
        }
        let hash = ExchangeStore.key(provider: "openai", body: live.body(for: conversation("one")))
        #expect(files.contains("\(hash).json"))

        // Replay: the same request is answered exactly; a changed one by its position.
        let replay = ModelClient(settings: live.settings, mode: .replay(try ExchangeStore(directory: folder)))
        let same = try replay.complete(conversation("one"), tag: CallTag(scope: "case-a", episode: 0, call: 0))
        #expect(same.replayedExactly == true)
        #expect(same.reply.calls.first?.arguments?["text"]?.string == "one")
        let moved = try replay.complete(conversation("two, a pixel off"), tag: CallTag(scope: "case-a", episode: 0, call: 1))
        #expect(moved.replayedExactly == false)
        #expect(moved.reply.calls.first?.arguments?["text"]?.string == "two")
        #expect(throws: ModelError.self) {
            _ = try replay.complete(conversation("three"), tag: CallTag(scope: "case-a", episode: 0, call: 2))
        }
    }
}

@Suite struct ProviderFormatTests {
    let png = Data([0x89, 0x50, 0x4E, 0x47])

    var exchange: Conversation {
        var c = Conversation(system: "sys", tools: AgentTools.specs)
        c.messages = [
            .user([.text("intro"), .png(png)]),
            .assistant(text: nil, calls: [ToolCall(id: "t1", name: "click", arguments: ["text": "Add"], rawArguments: #"{"text":"Add"}"#)]),
            .toolResults([.init(callId: "t1", parts: [.text("Frame c-02 after: click"), .png(png)])]),
        ]
        return c
    }

    @Test func openAIPutsPicturesAfterToolMessages() throws {
        let body = OpenAIChat().body(for: exchange, model: "m")
        let messages = try #require(body["messages"]?.array)
        #expect(messages.map { $0["role"]?.string ?? "" } == ["system", "user", "assistant", "tool", "user"])
        #expect(messages[1]["content"]?[1]?["image_url"]?["url"]?.string == "data:image/png;base64,\(png.base64EncodedString())")
        #expect(messages[2]["tool_calls"]?[0]?["function"]?["arguments"]?.string == #"{"text":"Add"}"#)
        #expect(messages[3]["tool_call_id"]?.string == "t1")
        #expect(messages[3]["content"]?.string == "Frame c-02 after: click")
        #expect(messages[4]["content"]?[1]?["image_url"] != nil)
        #expect(ModelReplies.pictures(in: body) == [png, png])
    }

    @Test func anthropicAnswersToolUseWithToolResult() throws {
        let body = AnthropicMessages().body(for: exchange, model: "m")
        let messages = try #require(body["messages"]?.array)
        #expect(messages.map { $0["role"]?.string ?? "" } == ["user", "assistant", "user"])
        #expect(messages[1]["content"]?[0]?["type"]?.string == "tool_use")
        #expect(messages[1]["content"]?[0]?["input"]?["text"]?.string == "Add")
        let result = try #require(messages[2]["content"]?[0])
        #expect(result["type"]?.string == "tool_result")
        #expect(result["tool_use_id"]?.string == "t1")
        #expect(result["content"]?[1]?["source"]?["media_type"]?.string == "image/png")
        #expect(ModelReplies.pictures(in: body) == [png, png])
    }

    @Test func answersWithoutToolsOrWithGarbageAreNamed() {
        #expect(throws: ProviderError.self) { _ = try OpenAIChat().reply(from: Data("{}".utf8)) }
        #expect(throws: ProviderError.self) { _ = try AnthropicMessages().reply(from: Data("not json".utf8)) }
        let reply = try? OpenAIChat().reply(from: Data(#"{"choices":[{"message":{"content":"I think it passes"}}]}"#.utf8))
        #expect(reply?.calls.isEmpty == true && reply?.text == "I think it passes")
    }

    @Test func priceTableMatchesSnapshotsAndRejectsBadFiles() throws {
        let table = PriceTable(models: ["gpt-4.1": .init(input: 2, output: 8), "gpt-4.1-mini": .init(input: 0.4, output: 1.6)])
        #expect(table.price(of: "gpt-4.1-mini-2025-04-14")?.input == 0.4)
        #expect(table.price(of: "gpt-4.1-2025-04-14")?.input == 2)
        #expect(table.dollars(TokenUsage(input: 1_000_000, output: 500_000), model: "gpt-4.1-mini") == 1.2)
        #expect(table.dollars(TokenUsage(input: 10, output: 10), model: "llama3") == nil)
        let bad = Scratch.directory("prices").appendingPathComponent("prices.json")
        try Data(#"{"models": {"x": {"input": "cheap"}}}"#.utf8).write(to: bad)
        #expect(throws: PriceTable.LoadError.self) { _ = try PriceTable.load(bad) }
        let shipped = try PriceTable.load(Repo.root.appendingPathComponent("config/prices.json"))
        #expect(shipped.price(of: "gpt-4.1-mini") != nil && shipped.price(of: "claude-haiku-4-5") != nil)
    }
}
