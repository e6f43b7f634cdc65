import Foundation
import HTTP

/// Which model to ask and how.
public struct ModelSettings: Sendable {
    public var provider: any ModelProvider
    public var model: String
    public var baseURL: String
    /// The API key; nil for local servers that need none. Never written anywhere.
    public var key: String?
    public var timeouts = HTTPTimeouts()
    /// Tries per call, the first included, before the call fails.
    public var attempts = 5
    /// Backoff before retry n is about `backoff * 2^(n-1)` seconds (with jitter), at most `maxBackoff`.
    public var backoff = 1.0
    public var maxBackoff = 30.0
    /// Calls in flight at once across the whole run.
    public var concurrency = 2

    public init(provider: any ModelProvider, model: String, baseURL: String? = nil, key: String? = nil) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL ?? (provider is AnthropicMessages ? AnthropicMessages.defaultBaseURL : OpenAIChat.defaultBaseURL)
        self.key = key
    }

    /// The provider a model name implies: Claude models speak Anthropic Messages, the rest
    /// OpenAI chat completions.
    public static func provider(named name: String?, model: String) -> (any ModelProvider)? {
        switch name?.lowercased() {
        case nil: model.lowercased().hasPrefix("claude") ? AnthropicMessages() : OpenAIChat()
        case "openai": OpenAIChat()
        case "anthropic": AnthropicMessages()
        default: nil
        }
    }
}

public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every try failed on something that may pass (timeouts, 429, 5xx, broken answers).
    case unavailable(String)
    /// The API refused the request for good (bad key, unknown model, a 4xx).
    case rejected(status: Int, message: String)
    /// Replaying, and no recorded answer fits this call.
    case notRecorded(String)

    public var description: String {
        switch self {
        case .unavailable(let s): "the model could not be reached: \(s)"
        case .rejected(let status, let message): "the model API refused the request (HTTP \(status)): \(message)"
        case .notRecorded(let s): "no recorded answer for this call (\(s))"
        }
    }
}

/// One answered call.
public struct ModelCall: Sendable {
    public var reply: ModelReply
    /// Seconds from the first try to the answer, waits between tries included.
    public var seconds: Double
    public var attempts: Int
    /// Answered from records: nil when live, true when the request's bytes were recorded,
    /// false when the answer was found by position rather than content.
    public var replayedExactly: Bool?
}

/// Sends conversations to a model with retries, a run-wide concurrency limit, and recording;
/// or, replaying, answers them from a previous run's records without any network.
public final class ModelClient: @unchecked Sendable {
    public enum Mode: Sendable {
        case live(any HTTPTransport)
        case replay(ExchangeStore)
    }

    public let settings: ModelSettings
    let mode: Mode
    /// Where live exchanges are recorded (the report's llm/ folder).
    var recorder: ExchangeStore?
    let gate: DispatchSemaphore
    /// Waits between tries; tests pass a recording stub.
    let sleep: @Sendable (Double) -> Void

    public init(
        settings: ModelSettings, mode: Mode = .live(CurlTransport()), recorder: ExchangeStore? = nil,
        sleep: @escaping @Sendable (Double) -> Void = { usleep(useconds_t(max(0, $0) * 1_000_000)) }
    ) {
        self.settings = settings
        self.mode = mode
        self.recorder = recorder
        self.gate = DispatchSemaphore(value: max(1, settings.concurrency))
        self.sleep = sleep
    }

    /// The request body for `conversation` (what is sent and recorded).
    public func body(for conversation: Conversation) -> Data {
        Data(settings.provider.body(for: conversation, model: settings.model).serialized().utf8)
    }

    /// Asks the model. Blocks the calling thread; call it from a worker thread.
    public func complete(_ conversation: Conversation, tag: CallTag) throws(ModelError) -> ModelCall {
        let provider = settings.provider
        let body = body(for: conversation)
        let start = Date()
        if case .replay(let store) = mode {
            guard let (data, exact) = store.answer(provider: provider.name, request: body, tag: tag) else {
                throw .notRecorded("\(tag.scope.isEmpty ? "" : "case \(tag.scope), ")episode \(tag.episode), call \(tag.call)")
            }
            do {
                let reply = try provider.reply(from: data)
                return ModelCall(reply: reply, seconds: Date().timeIntervalSince(start), attempts: 0, replayedExactly: exact)
            } catch {
                throw .notRecorded("the recorded answer cannot be read: \(error)")
            }
        }
        guard case .live(let transport) = mode else { preconditionFailure() }
        let request = HTTPRequest(
            url: provider.endpoint(baseURL: settings.baseURL),
            headers: provider.headers + (settings.key.map(provider.authorization) ?? []), body: body)
        var lastProblem = ""
        for attempt in 1...max(1, settings.attempts) {
            var wait: Double? = nil
            gate.wait()
            let outcome = Result { () throws(HTTPError) in try transport.send(request, timeouts: settings.timeouts) }
            gate.signal()
            switch outcome {
            case .failure(let error):
                guard error.isTransient else { throw .unavailable(error.description) }
                lastProblem = error.description
            case .success(let response) where (200..<300).contains(response.status):
                do {
                    let reply = try provider.reply(from: response.body)
                    recorder?.record(provider: provider.name, request: body, response: response.body, tag: tag)
                    return ModelCall(reply: reply, seconds: Date().timeIntervalSince(start), attempts: attempt, replayedExactly: nil)
                } catch {
                    // A cut-off or garbled answer is the transport's fault more often than the model's.
                    lastProblem = "unusable answer: \(error)"
                }
            case .success(let response):
                let message = provider.errorMessage(in: response.body) ?? String(decoding: response.body.prefix(200), as: UTF8.self)
                guard response.status == 429 || response.status == 408 || response.status >= 500 else {
                    throw .rejected(status: response.status, message: message)
                }
                lastProblem = "HTTP \(response.status): \(message)"
                wait = response.retryAfter().map { min($0, settings.maxBackoff * 4) }
            }
            if attempt < settings.attempts {
                sleep(wait ?? backoff(attempt))
            }
        }
        throw .unavailable("\(settings.attempts) tries; the last: \(lastProblem)")
    }

    /// Exponential backoff with full jitter in its upper half, so parallel workers spread out.
    func backoff(_ attempt: Int) -> Double {
        let ceiling = min(settings.maxBackoff, settings.backoff * pow(2, Double(attempt - 1)))
        return ceiling * Double.random(in: 0.5...1.0)
    }
}
