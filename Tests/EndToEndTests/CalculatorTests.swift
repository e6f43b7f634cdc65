import Foundation
import TestSupport
import Testing

/// The calculators with known verdicts (expected.json beside main.py): differently styled
/// correct ones and broken ones, in the fixtures and in the task's own broken/ folder.
func calculators() -> [String] {
    ["Tests/Fixtures/calculator", "tasks/calculator/broken"].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent(folder).path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }
}

/// The desktop task end to end: a tkinter app launched in the sandbox on the private display,
/// found by its process, given the keyboard focus, driven by clicks on keys the OCR reads one
/// by one, and by typing.
@Suite("The calculator task end to end", .serialized, .timeLimit(.minutes(15)))
struct CalculatorEndToEndTests {
    static let task = Repo.root.appendingPathComponent("tasks/calculator")

    @Test func theReferencePasses() throws {
        let out = Scratch.directory("calc-ref")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "--task", Self.task.path, "--repo", Self.task.appendingPathComponent("reference").path, "--out", out.path])
        #expect(r.status == 0, "\(r.output)")
        let json = try report(in: out, task: "calculator")
        #expect(json["outcome"] as? String == "evaluated")
        #expect((json["build"] as? [String: Any])?["stack"] as? String == "python-desktop")
        #expect(failing(json).isEmpty, "\(r.output)")
        expectNothingLeftBehind()
    }

    @Test("each calculator gets the verdicts its expected.json names", arguments: calculators())
    func verdictsMatch(app: String) throws {
        let expected = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Repo.root.appendingPathComponent(app).appendingPathComponent("expected.json")))
                as? [String: Any])
        let out = Scratch.directory("calc")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["run", "--task", Self.task.path, "--repo", Repo.root.appendingPathComponent(app).path, "--out", out.path])
        let json = try report(in: out, task: "calculator")
        let wanted = Set(expected["fail"] as? [String] ?? [])
        #expect(failing(json) == wanted, "\(app): \(r.output)")
        #expect(r.status == (wanted.isEmpty ? 0 : 1))
        #expect(json["outcome"] as? String == (expected["outcome"] as? String ?? "evaluated"), "\(app)")
        expectNothingLeftBehind()
    }
}
