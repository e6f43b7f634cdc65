import Engine
import Foundation
import HTTP
import Judge

/// The command-line options that choose and limit a model, shared by `run --judge llm` and
/// `cases generate`.
enum ModelOptions {
    static let connection: Set<String> = ["model", "provider", "base-url", "prices", "timeout", "concurrency"]
    static let agent: Set<String> = [
        "judge", "votes", "replay", "max-steps", "max-case-seconds", "max-case-tokens", "max-case-usd", "max-task-tokens", "max-task-usd",
    ]


    /// Provider, model, endpoint and key. Keys come only from the environment, so they never
    /// appear in a command line, a shell history or a process listing.
    static func settings(_ parsed: [String: String], environment: [String: String]) throws(Problem) -> ModelSettings {
        guard let model = parsed["model"], !model.isEmpty else { throw Problem("--judge llm needs --model NAME (e.g. gpt-4.1-mini).") }
        guard let provider = ModelSettings.provider(named: parsed["provider"], model: model) else {
            throw Problem("--provider must be openai or anthropic, not '\(parsed["provider"]!)'.")
        }
        let isAnthropic = provider is AnthropicMessages
        let baseURL =
            parsed["base-url"] ?? environment[isAnthropic ? "ANTHROPIC_BASE_URL" : "OPENAI_BASE_URL"]
        if let baseURL, !(baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://")) {
            throw Problem("--base-url must start with http:// or https://, not '\(baseURL)'.")
        }
        let key = environment[isAnthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var settings = ModelSettings(provider: provider, model: model, baseURL: baseURL, key: key)
        if let t = parsed["timeout"] {
            guard let s = Double(t), s >= 1, s <= 3600 else { throw Problem("--timeout must be seconds from 1 to 3600, not '\(t)'.") }
            settings.timeouts.total = s
            settings.timeouts.lowSpeedSeconds = min(settings.timeouts.lowSpeedSeconds, s)
        }
        if let c = parsed["concurrency"] {
            guard let n = Int(c), (1...64).contains(n) else { throw Problem("--concurrency must be a whole number from 1 to 64, not '\(c)'.") }
            settings.concurrency = n
        }
        return settings
    }

    /// The price table: `--prices FILE`, else config/prices.json of the AppJudge checkout.
    static func prices(_ parsed: [String: String], home: URL?) throws(Problem) -> PriceTable {
        let file = parsed["prices"].map { URL(fileURLWithPath: $0) } ?? home?.appendingPathComponent("config/prices.json")
        guard let file, FileManager.default.fileExists(atPath: file.path) || parsed["prices"] != nil else { return PriceTable() }
        do {
            return try PriceTable.load(file)
        } catch {
            throw Problem(error.description)
        }
    }

    static func agent(_ parsed: [String: String], environment: [String: String], home: URL?) throws(Problem) -> AgentOptions? {
        switch parsed["judge"] ?? "script" {
        case "script":
            if let stray = parsed.keys.first(where: { (agent.union(connection)).subtracting(["judge"]).contains($0) }) {
                throw Problem("--\(stray) applies only to --judge llm.")
            }
            return nil
        case "llm": break
        case let other: throw Problem("--judge must be script or llm, not '\(other)'.")
        }
        var options = AgentOptions(model: try settings(parsed, environment: environment))
        options.prices = try prices(parsed, home: home)
        func int(_ name: String, _ range: ClosedRange<Int>) throws(Problem) -> Int? { try AppJudgeCLI.wholeNumber(parsed, name, in: range) }
        func number(_ name: String, _ range: ClosedRange<Double>) throws(Problem) -> Double? {
            guard let v = parsed[name] else { return nil }
            guard let n = Double(v), range.contains(n) else {
                throw Problem("--\(name) must be a number from \(range.lowerBound) to \(range.upperBound), not '\(v)'.")
            }
            return n
        }
        if let n = try int("votes", 1...9) { options.settings.votes = n }
        if let n = try int("max-steps", 1...200) { options.settings.budget.steps = n }
        if let n = try number("max-case-seconds", 10...7200) { options.settings.budget.seconds = n }
        if let n = try int("max-case-tokens", 1000...50_000_000) { options.settings.budget.tokens = n }
        if let n = try number("max-case-usd", 0...1000) { options.settings.budget.dollars = n }
        if let n = try int("max-task-tokens", 1000...500_000_000) { options.taskTokens = n }
        if let n = try number("max-task-usd", 0...10000) { options.taskDollars = n }
        if let r = parsed["replay"] {
            let url = URL(fileURLWithPath: r).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else { throw Problem("--replay \(r): no such run folder.") }
            options.replay = url
        }
        return options
    }
}
