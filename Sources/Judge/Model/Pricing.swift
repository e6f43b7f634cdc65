import Foundation
import HTTP
import JSON

/// Dollars per million tokens for each model, read from a JSON file:
/// `{"models": {"gpt-4.1-mini": {"input": 0.40, "output": 1.60}, ...}}`. A model not listed
/// costs nothing known: its dollars are reported as unknown, never guessed.
public struct PriceTable: Sendable, Equatable {
    public struct Price: Sendable, Equatable, Codable {
        /// Dollars per million input tokens.
        public var input: Double
        /// Dollars per million output tokens.
        public var output: Double
        public init(input: Double, output: Double) {
            self.input = input
            self.output = output
        }
    }

    public var models: [String: Price]

    public init(models: [String: Price] = [:]) { self.models = models }

    /// The price of `model`: an exact entry, else the longest listed name it starts with
    /// (dated snapshots such as "gpt-4.1-mini-2025-04-14" use their family's price).
    public func price(of model: String) -> Price? {
        if let exact = models[model] { return exact }
        return models.keys.filter { model.hasPrefix($0) }.max { $0.count < $1.count }.flatMap { models[$0] }
    }

    /// Dollars for `usage` with `model`, or nil when the model has no price.
    public func dollars(_ usage: TokenUsage, model: String) -> Double? {
        price(of: model).map { (Double(usage.input) * $0.input + Double(usage.output) * $0.output) / 1_000_000 }
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func load(_ file: URL) throws(LoadError) -> PriceTable {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw LoadError(description: "\(file.path): cannot be read; give a price file that exists.")
        }
        guard let json = JSONValue.parse(data), let models = json["models"], let names = models.keys else {
            throw LoadError(description: "\(file.path): models: is missing; the file must be {\"models\": {NAME: {\"input\": D, \"output\": D}}}.")
        }
        var table: [String: Price] = [:]
        for name in names {
            guard let input = models[name]?["input"]?.number, let output = models[name]?["output"]?.number, input >= 0, output >= 0 else {
                throw LoadError(
                    description: "\(file.path): models.\(name): needs \"input\" and \"output\" as dollars per million tokens (numbers >= 0).")
            }
            table[name] = Price(input: input, output: output)
        }
        return PriceTable(models: table)
    }
}
