import Foundation
import TestSupport
import Testing

/// One generated app: its files (path relative to the repository root: content), a one-line
/// description of its style, and the cases of the task it must fail (empty: a correct app).
struct GauntletApp: Sendable {
    var files: [String: String]
    var style: String
    var fault: String?  // nil for a correct app
    var mustFail: Set<String>  // case ids of the task that the fault breaks
}

/// Apps written the way different code generators write them (themes, fonts, layouts, markup,
/// toolkits), each correct or with one seeded fault, evaluated by the real tool: every verdict
/// must be the one the app deserves.
@Suite("Style gauntlet", .serialized, .timeLimit(.minutes(40)))
struct GauntletTests {
    static let todoSeeds: [UInt64] = Array(1...30)
    static let calculatorSeeds: [UInt64] = Array(1...16)

    @Test("todo-list apps in many styles get the right verdicts", arguments: todoSeeds)
    func todo(seed: UInt64) throws {
        try evaluate(TodoGauntlet.app(seed: seed), seed: seed, task: "todo-list")
    }

    @Test("calculators in many styles get the right verdicts", arguments: calculatorSeeds)
    func calculator(seed: UInt64) throws {
        try evaluate(CalculatorGauntlet.app(seed: seed), seed: seed, task: "calculator")
    }

    private func evaluate(_ app: GauntletApp, seed: UInt64, task: String) throws {
        let repo = Scratch.directory("gauntlet-\(task)-\(seed)")
        let out = Scratch.directory("gauntlet-\(task)-\(seed)-out")
        defer {
            try? FileManager.default.removeItem(at: repo)
            try? FileManager.default.removeItem(at: out)
        }
        for (path, content) in app.files {
            let url = repo.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: url, atomically: true, encoding: .utf8)
        }

        let result = try CLI.run(
            ["run", "--task", Repo.root.appendingPathComponent("tasks/\(task)").path, "--repo", repo.path, "--out", out.path], timeout: 300)
        let what = "\(task) seed \(seed): \(app.style); fault: \(app.fault ?? "none")"
        let json = try #require(try? report(in: out, task: task), "no report for \(what)\n\(result.output)")
        let failed = failing(json)

        let cases = json["cases"] as? [[String: Any]] ?? []
        let wrong = cases.compactMap { item -> String? in
            guard let id = item["id"] as? String else { return nil }
            let verdict = item["verdict"] as? String ?? "?"
            let shouldPass = !app.mustFail.contains(id)
            guard (verdict == "pass") != shouldPass else { return nil }
            let reason = item["reason"] as? String ?? ""
            return "  \(id): \(verdict) (expected \(shouldPass ? "pass" : "fail")): \(reason)"
        }
        let missing = app.mustFail.subtracting(cases.compactMap { $0["id"] as? String })
        let outcome = json["outcome"] as? String ?? "?"
        #expect(
            failed == app.mustFail,
            """
            wrong verdicts for \(what)
            outcome: \(outcome) \(json["outcome_reason"] as? String ?? "")
            \(wrong.joined(separator: "\n"))\(missing.isEmpty ? "" : "\n  cases missing from the report: \(missing.sorted())")
            """)
        #expect(
            result.status == (app.mustFail.isEmpty ? 0 : 1),
            "exit status \(result.status) for \(what)\n\(result.output.suffix(2000))")
        expectNothingLeftBehind()
    }
}
