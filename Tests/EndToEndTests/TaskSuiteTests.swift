import Foundation
import TestSupport
import Testing

@Suite("The task suite: list and validate", .serialized, .timeLimit(.minutes(45)))
struct TaskSuiteTests {
    @Test func listShowsEveryTaskAndTheScenarioCounts() throws {
        let r = try CLI.run(["tasks", "list"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("calculator") && r.output.contains("todo-list"))
        #expect(r.output.contains("28 task(s): display 11, analysis 5, data 6, game 6"), "\(r.output)")
    }

    /// What CI relies on: every reference passes and every broken variant fails exactly its cases.
    /// 28 tasks, 83 evaluations: about 11 minutes on the 2-core machine.
    @Test func theWholeSuiteValidates() throws {
        let r = try CLI.run(["tasks", "validate"], timeout: 2400)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("0 wrong verdict(s), 0 invalid task(s)"), "\(r.output)")
        #expect(!r.output.contains(" NO"))
        // The table keeps task order: tasks by folder name, each reference before its broken
        // variants, those by name.
        let rows = r.output.split(separator: "\n").filter { $0.hasSuffix(" yes") || $0.hasSuffix(" NO") }
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).prefix(2).map(String.init) }
        let keys = rows.map { [$0[0], $0[1] == "reference" ? "" : $0[1]] }
        #expect(rows.count == 83, "\(r.output)")
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) }, "\(r.output)")
    }

    @Test func aVariantWhoseListIsWrongAndABrokenTaskFileAreReported() throws {
        let suite = Scratch.directory("suite")
        defer { try? FileManager.default.removeItem(at: suite) }
        let fm = FileManager.default
        // The calculator, with its reference also filed as a variant that must fail "add".
        let task = suite.appendingPathComponent("calculator")
        try fm.copyItem(at: Repo.root.appendingPathComponent("tasks/calculator"), to: task)
        try fm.removeItem(at: task.appendingPathComponent("broken"))
        let variant = task.appendingPathComponent("broken/not-really")
        try fm.createDirectory(at: variant, withIntermediateDirectories: true)
        try fm.copyItem(at: task.appendingPathComponent("reference/main.py"), to: variant.appendingPathComponent("main.py"))
        try #"{"fail": ["add"]}"#.write(to: variant.appendingPathComponent("expected.json"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["tasks", "validate", suite.path], timeout: 600)
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("broken/not-really") && r.output.contains("fail add") && r.output.contains("NO"), "\(r.output)")

        // A variant whose expected outcome is not one AppJudge knows is named, never skipped.
        let odd = task.appendingPathComponent("broken/odd-outcome")
        try fm.createDirectory(at: odd, withIntermediateDirectories: true)
        try #"{"fail": [], "outcome": "exploded"}"#.write(to: odd.appendingPathComponent("expected.json"), atomically: true, encoding: .utf8)
        // Its output folder holds a file where the kept stations' folder would go: every
        // evaluation then starts its own display and browser, and says so once.
        let out = Scratch.directory("validate-out")
        defer { try? fm.removeItem(at: out) }
        try "".write(to: out.appendingPathComponent("stations"), atomically: true, encoding: .utf8)
        // Two evaluations at once: the rows still come in task order.
        let invalid = try CLI.run(["tasks", "validate", suite.path, "--out", out.path, "--jobs", "2", "--workers", "1"], timeout: 600)
        #expect(invalid.status == 2, "\(invalid.output)")
        let referenceRow = invalid.output.range(of: "calculator           reference"), variantRow = invalid.output.range(of: "calculator           broken/not-really")
        #expect(referenceRow != nil && variantRow != nil && referenceRow!.lowerBound < variantRow!.lowerBound, "\(invalid.output)")
        #expect(invalid.output.components(separatedBy: "each evaluation starts its own displays and browsers").count == 2, "\(invalid.output)")
        #expect(invalid.output.contains("reference                all pass               all pass"), "\(invalid.output)")
        #expect(invalid.output.contains("odd-outcome/expected.json: outcome: 'exploded' is not one of evaluated, build_failed"), "\(invalid.output)")

        let bad = suite.appendingPathComponent("bad")
        try fm.createDirectory(at: bad, withIntermediateDirectories: true)
        try #"{"id": "bad", "scenario": "sports", "requirement": "r", "cases": []}"#
            .write(to: bad.appendingPathComponent("task.json"), atomically: true, encoding: .utf8)
        let listed = try CLI.run(["tasks", "list", bad.path])
        #expect(listed.status == 2, "\(listed.output)")
        #expect(listed.output.contains("task.json") && listed.output.contains("scenario"), "\(listed.output)")
    }
}
