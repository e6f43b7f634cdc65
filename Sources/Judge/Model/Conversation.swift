import Foundation
import HTTP
import JSON

/// A conversation with a model, independent of any provider's wire format.
public struct Conversation: Sendable, Equatable {
    public var system: String
    public var messages: [Message]
    public var tools: [ToolSpec]
    /// When true the model must answer with a tool call.
    public var requireTool: Bool
    public var maxOutputTokens: Int

    public init(system: String, messages: [Message] = [], tools: [ToolSpec] = [], requireTool: Bool = true, maxOutputTokens: Int = 1024) {
        self.system = system
        self.messages = messages
        self.tools = tools
        self.requireTool = requireTool
        self.maxOutputTokens = maxOutputTokens
    }

    public enum Part: Sendable, Equatable {
        case text(String)
        /// A PNG picture.
        case png(Data)
    }

    public enum Message: Sendable, Equatable {
        case user([Part])
        case assistant(text: String?, calls: [ToolCall])
        /// Answers to the assistant's tool calls, in the order of the calls.
        case toolResults([ToolResult])
    }

    public struct ToolResult: Sendable, Equatable {
        public var callId: String
        public var parts: [Part]
        public init(callId: String, parts: [Part]) {
            self.callId = callId
            self.parts = parts
        }
    }
}

/// A tool offered to the model: a name, what it does, and a JSON schema of its arguments.
public struct ToolSpec: Sendable, Equatable {
    public var name: String
    public var description: String
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// A tool call the model made. `arguments` is nil when the model's argument text was not JSON.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: JSONValue?
    public var rawArguments: String

    public init(id: String, name: String, arguments: JSONValue?, rawArguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.rawArguments = rawArguments
    }
}

/// Tokens as the API counted them.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var input: Int
    public var output: Int
    public init(input: Int = 0, output: Int = 0) {
        self.input = input
        self.output = output
    }
    public var total: Int { input + output }
    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage { TokenUsage(input: a.input + b.input, output: a.output + b.output) }
}

/// What the model answered.
public struct ModelReply: Sendable, Equatable {
    public var text: String?
    public var calls: [ToolCall]
    public var usage: TokenUsage
    /// Why the model stopped ("tool_calls", "end_turn", "length", ...), as the API says it.
    public var stopReason: String?

    public init(text: String?, calls: [ToolCall], usage: TokenUsage, stopReason: String?) {
        self.text = text
        self.calls = calls
        self.usage = usage
        self.stopReason = stopReason
    }
}
