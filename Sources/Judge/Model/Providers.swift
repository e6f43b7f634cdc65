import Foundation
import HTTP
import JSON

/// Why a model's answer could not be used.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}

/// A model API's wire format: how a conversation becomes a request body and how an answer is
/// read. Credentials are added by the client, never by the format.
public protocol ModelProvider: Sendable {
    /// "openai" or "anthropic", as recorded with each exchange.
    var name: String { get }
    /// The endpoint for `baseURL`.
    func endpoint(baseURL: String) -> String
    /// Headers that carry the key (kept out of every record).
    func authorization(key: String) -> [(name: String, value: String)]
    /// Headers that do not carry secrets.
    var headers: [(name: String, value: String)] { get }
    func body(for conversation: Conversation, model: String) -> JSONValue
    func reply(from body: Data) throws(ProviderError) -> ModelReply
    /// The API's own error message in a failed answer, if it gave one.
    func errorMessage(in body: Data) -> String?
}

extension ModelProvider {
    public func errorMessage(in body: Data) -> String? {
        guard let json = JSONValue.parse(body) else { return nil }
        return json["error"]?["message"]?.string ?? json["error"]?.string ?? json["message"]?.string
    }
}

private func joined(_ base: String, _ path: String) -> String {
    base.hasSuffix("/") ? String(base.dropLast()) + path : base + path
}

/// OpenAI chat completions, as served by OpenAI, vLLM, Ollama, llama.cpp, LM Studio and others.
public struct OpenAIChat: ModelProvider {
    public init() {}
    public var name: String { "openai" }
    public static let defaultBaseURL = "https://api.openai.com/v1"

    public func endpoint(baseURL: String) -> String { joined(baseURL, "/chat/completions") }
    public func authorization(key: String) -> [(name: String, value: String)] { [("Authorization", "Bearer \(key)")] }
    public var headers: [(name: String, value: String)] { [("Content-Type", "application/json")] }

    public func body(for conversation: Conversation, model: String) -> JSONValue {
        var messages: [JSONValue] = [["role": "system", "content": .string(conversation.system)]]
        for message in conversation.messages {
            switch message {
            case .user(let parts):
                messages.append(["role": "user", "content": .array(parts.map(content))])
            case .assistant(let text, let calls):
                var m: [(String, JSONValue)] = [("role", "assistant"), ("content", text.map(JSONValue.string) ?? .null)]
                if !calls.isEmpty {
                    m.append(
                        (
                            "tool_calls",
                            .array(
                                calls.map { call in
                                    [
                                        "id": .string(call.id), "type": "function",
                                        "function": ["name": .string(call.name), "arguments": .string(call.rawArguments)],
                                    ]
                                })
                        ))
                }
                messages.append(.object(m))
            case .toolResults(let results):
                // Tool messages carry text only; pictures follow in one user message.
                var pictures: [JSONValue] = []
                for result in results {
                    let text = result.parts.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined(separator: "\n")
                    messages.append(["role": "tool", "tool_call_id": .string(result.callId), "content": .string(text.isEmpty ? "ok" : text)])
                    pictures += result.parts.filter { if case .png = $0 { true } else { false } }.map(content)
                }
                if !pictures.isEmpty {
                    messages.append(["role": "user", "content": .array([["type": "text", "text": "The screen after that action:"]] + pictures)])
                }
            }
        }
        var body: [(String, JSONValue)] = [
            ("model", .string(model)), ("messages", .array(messages)), ("max_tokens", .number(Double(conversation.maxOutputTokens))),
            ("temperature", 0),
        ]
        if !conversation.tools.isEmpty {
            body.append(
                (
                    "tools",
                    .array(
                        conversation.tools.map { tool in
                            [
                                "type": "function",
                                "function": ["name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parameters],
                            ]
                        })
                ))
            body.append(("tool_choice", conversation.requireTool ? "required" : "auto"))
        }
        return .object(body)
    }

    private func content(_ part: Conversation.Part) -> JSONValue {
        switch part {
        case .text(let t): ["type": "text", "text": .string(t)]
        case .png(let data): ["type": "image_url", "image_url": ["url": .string("data:image/png;base64,\(data.base64EncodedString())")]]
        }
    }

    public func reply(from body: Data) throws(ProviderError) -> ModelReply {
        guard let json = JSONValue.parse(body) else { throw ProviderError(description: "the answer is not valid JSON") }
        guard let message = json["choices"]?[0]?["message"] else {
            throw ProviderError(description: "the answer has no choices[0].message")
        }
        var calls: [ToolCall] = []
        for (i, call) in (message["tool_calls"]?.array ?? []).enumerated() {
            guard let name = call["function"]?["name"]?.string else {
                throw ProviderError(description: "tool call \(i) has no function name")
            }
            // Arguments arrive as JSON text; some servers send an object instead.
            let raw = call["function"]?["arguments"]?.string ?? call["function"]?["arguments"]?.serialized() ?? "{}"
            calls.append(ToolCall(id: call["id"]?.string ?? "call_\(i)", name: name, arguments: JSONValue.parse(raw), rawArguments: raw))
        }
        let usage = TokenUsage(
            input: json["usage"]?["prompt_tokens"]?.integer ?? 0, output: json["usage"]?["completion_tokens"]?.integer ?? 0)
        return ModelReply(
            text: message["content"]?.string, calls: calls, usage: usage, stopReason: json["choices"]?[0]?["finish_reason"]?.string)
    }
}

/// Anthropic Messages.
public struct AnthropicMessages: ModelProvider {
    public init() {}
    public var name: String { "anthropic" }
    public static let defaultBaseURL = "https://api.anthropic.com"

    public func endpoint(baseURL: String) -> String { joined(baseURL, "/v1/messages") }
    public func authorization(key: String) -> [(name: String, value: String)] { [("x-api-key", key)] }
    public var headers: [(name: String, value: String)] { [("Content-Type", "application/json"), ("anthropic-version", "2023-06-01")] }

    public func body(for conversation: Conversation, model: String) -> JSONValue {
        var messages: [JSONValue] = []
        for message in conversation.messages {
            switch message {
            case .user(let parts):
                messages.append(["role": "user", "content": .array(parts.map(content))])
            case .assistant(let text, let calls):
                var blocks: [JSONValue] = text.map { [["type": "text", "text": .string($0)]] } ?? []
                blocks += calls.map { call in
                    ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": call.arguments ?? [:]]
                }
                messages.append(["role": "assistant", "content": .array(blocks)])
            case .toolResults(let results):
                messages.append([
                    "role": "user",
                    "content": .array(
                        results.map { ["type": "tool_result", "tool_use_id": .string($0.callId), "content": .array($0.parts.map(content))] }),
                ])
            }
        }
        var body: [(String, JSONValue)] = [
            ("model", .string(model)), ("max_tokens", .number(Double(conversation.maxOutputTokens))), ("system", .string(conversation.system)),
            ("messages", .array(messages)), ("temperature", 0),
        ]
        if !conversation.tools.isEmpty {
            body.append(
                (
                    "tools",
                    .array(
                        conversation.tools.map { ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.parameters] })
                ))
            body.append(("tool_choice", conversation.requireTool ? ["type": "any"] : ["type": "auto"]))
        }
        return .object(body)
    }

    private func content(_ part: Conversation.Part) -> JSONValue {
        switch part {
        case .text(let t): ["type": "text", "text": .string(t)]
        case .png(let data):
            ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": .string(data.base64EncodedString())]]
        }
    }

    public func reply(from body: Data) throws(ProviderError) -> ModelReply {
        guard let json = JSONValue.parse(body) else { throw ProviderError(description: "the answer is not valid JSON") }
        guard let blocks = json["content"]?.array else { throw ProviderError(description: "the answer has no content list") }
        var calls: [ToolCall] = []
        var texts: [String] = []
        for (i, block) in blocks.enumerated() {
            switch block["type"]?.string {
            case "text": texts.append(block["text"]?.string ?? "")
            case "tool_use":
                guard let name = block["name"]?.string else { throw ProviderError(description: "tool_use block \(i) has no name") }
                let input = block["input"]
                calls.append(
                    ToolCall(id: block["id"]?.string ?? "toolu_\(i)", name: name, arguments: input, rawArguments: input?.serialized() ?? "{}"))
            default: continue
            }
        }
        let usage = TokenUsage(input: json["usage"]?["input_tokens"]?.integer ?? 0, output: json["usage"]?["output_tokens"]?.integer ?? 0)
        return ModelReply(
            text: texts.isEmpty ? nil : texts.joined(separator: "\n"), calls: calls, usage: usage, stopReason: json["stop_reason"]?.string)
    }
}
