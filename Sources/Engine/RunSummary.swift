import Foundation
import Judge
import Reports
import Scoring

/// The scores of a run's tasks together: per task, and per scenario as the mean of its tasks.
public struct RunSummary {
    public struct Row {
        var id: String
        var scenario: String
        var functional: TaskReport.Score?
        var visual: TaskReport.Score?
        var outcome: Outcome
    }

    public var rows: [Row]

    public init(_ reports: [TaskReport]) {
        rows = reports.map { r in
            Row(id: r.task.id, scenario: r.task.scenario, functional: r.scores?.functional, visual: r.scores?.visual, outcome: r.outcome)
        }
    }

    public var scenarios: [(String, functional: (strict: Double, lenient: Double?, tasks: Int)?, visual: (strict: Double, lenient: Double?, tasks: Int)?)] {
        Dictionary(grouping: rows, by: \.scenario).keys.sorted().map { s in
            let chosen = rows.filter { $0.scenario == s }
            return (s, Score.run(chosen.map(\.functional)), Score.run(chosen.map(\.visual)))
        }
    }

    public func lines() -> [String] {
        func f(_ s: TaskReport.Score?) -> String {
            guard let s else { return "-" }
            return String(format: "%.2f", s.strict) + (s.lenient.map { String(format: " (%.2f)", $0) } ?? "")
        }
        var out = ["task                     scenario   functional     visual         outcome"]
        for r in rows {
            out.append(
                "\(r.id.padded(to: 24)) \(r.scenario.padded(to: 10)) \(f(r.functional).padded(to: 14)) \(f(r.visual).padded(to: 14)) \(r.outcome.rawValue)"
            )
        }
        for (s, fun, vis) in scenarios {
            func m(_ x: (strict: Double, lenient: Double?, tasks: Int)?) -> String {
                x.map { String(format: "%.2f", $0.strict) + ($0.lenient.map { String(format: " (%.2f)", $0) } ?? "") } ?? "-"
            }
            out.append("scenario \(s.padded(to: 10)) \(rows.filter { $0.scenario == s }.count) task(s): functional \(m(fun)), visual \(m(vis))")
        }
        out.append("strict counts uncertain, error and skipped cases as not passed; lenient (in brackets) leaves them out")
        return out
    }

    public func json() -> Data {
        func score(_ s: TaskReport.Score?) -> Any {
            guard let s else { return NSNull() }
            return [
                "strict": s.strict, "lenient": s.lenient.map { $0 as Any } ?? NSNull(), "passed": s.passed, "decided": s.decided, "total": s.total,
            ]
        }
        func mean(_ x: (strict: Double, lenient: Double?, tasks: Int)?) -> Any {
            x.map { ["strict": $0.strict, "lenient": $0.lenient.map { $0 as Any } ?? NSNull(), "tasks": $0.tasks] } ?? NSNull()
        }
        let object: [String: Any] = [
            "tasks": rows.map {
                ["task": $0.id, "scenario": $0.scenario, "functional": score($0.functional), "visual": score($0.visual), "outcome": $0.outcome.rawValue]
            },
            "scenarios": Dictionary(uniqueKeysWithValues: scenarios.map { ($0.0, ["functional": mean($0.functional), "visual": mean($0.visual)]) }),
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }
}
