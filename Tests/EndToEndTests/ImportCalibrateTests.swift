import Foundation
import HTTP
import Judge
import Reports
import Suite
import TestSupport
import Testing

@Suite("RealDevBench import, calibration and run summary", .serialized)
struct ImportCalibrateTests {
    let records: [[String: Any]] = [
        [
            "label": "Sales Dashboard", "category": "Data Visualization", "scenario": "Analysis",
            "features": ["Summary cards with totals", "Filter by region", "Bar chart of revenue"],
            "prompt": "Build a dashboard over sales.csv with summary cards, a region filter and a bar chart.", "files": ["sales.csv"],
        ],
        [
            "label": "Snake Game", "category": "Game", "scenario": "Game", "features": "Arrow keys steer\nScore counts food\nGame over on walls",
            "prompt": "Make a snake game in the browser.", "files": [],
        ],
        ["label": "Portfolio", "category": "Website", "scenario": "Display", "features": ["About section"], "prompt": "A portfolio page."],
        ["label": "No Prompt", "scenario": "Display", "features": []],
        ["label": "Odd", "scenario": "Shopping", "prompt": "x"],
    ]

    func writeRecords(to file: URL) throws {
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\nnot json\n").write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func importRoundTripsRecordsIntoTasksReadyForCaseGeneration() throws {
        let dir = Scratch.directory("import")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("realdevbench.jsonl")
        try writeRecords(to: file)
        let assets = dir.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: assets.appendingPathComponent("Sales Dashboard"), withIntermediateDirectories: true)
        try "date,region,revenue\n2026-01-01,North,100\n".write(
            to: assets.appendingPathComponent("Sales Dashboard/sales.csv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("tasks")

        let result = try CLI.run(["import", "realdevbench", file.path, "--assets", assets.path, "--out", out.path])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("imported 3 task(s), 3 rejected"), "\(result.output)")
        #expect(result.output.contains("realdevbench.jsonl:4: prompt: is missing or empty"), "\(result.output)")
        #expect(result.output.contains("realdevbench.jsonl:5: scenario: 'Shopping' is not one of"), "\(result.output)")
        #expect(result.output.contains("realdevbench.jsonl:6: is not a JSON object"), "\(result.output)")

        // Every field of each record is in its task, and the task loads (with no cases yet).
        for record in records.prefix(3) {
            let id = RealDevBench.identifier(record["label"] as! String)
            let loaded = try TaskLoader.load(directory: out.appendingPathComponent(id), requireCases: false)
            #expect(loaded.spec.title == record["label"] as? String)
            #expect(loaded.spec.scenario.rawValue == (record["scenario"] as? String)?.lowercased())
            #expect(loaded.spec.requirement == record["prompt"] as? String)
            let features = (record["features"] as? [String]) ?? (record["features"] as? String)?.split(separator: "\n").map(String.init) ?? []
            #expect(loaded.spec.features.map(\.description) == features)
            #expect(loaded.spec.assets == ((record["files"] as? [String]) ?? []).map { "assets/\($0)" })
            #expect(loaded.spec.cases.isEmpty)
        }
        let csv = try String(contentsOf: out.appendingPathComponent("sales-dashboard/assets/sales.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("date,region,revenue"))

        // A second import leaves existing tasks alone.
        let again = try CLI.run(["import", "realdevbench", file.path, "--assets", assets.path, "--out", out.path])
        #expect(again.output.contains("sales-dashboard exists; left as it is"), "\(again.output)")

        // Ready for cases generate: proposed cases are written into the imported task.
        let loaded = try TaskLoader.load(directory: out.appendingPathComponent("snake-game"), requireCases: false)
        let ids = loaded.spec.features.map(\.id)
        let server = try FakeModelServer { _, _ in
            .json(
                ModelReplies.openAI(
                    tool: "propose_cases",
                    [
                        "cases": .array(
                            (0..<9).map { i in
                                [
                                    "id": .string("case-\(i)"), "feature": .string(ids[i % ids.count]), "kind": "functional",
                                    "description": "Play and check.",
                                ]
                            })
                    ]))
        }
        defer { server.stop() }
        let generated = try CLI.run([
            "cases", "generate", "--task", out.appendingPathComponent("snake-game").path, "--model", "gpt-4.1-mini", "--base-url",
            server.openAIBaseURL,
        ])
        #expect(generated.status == 0, "\(generated.output)")
        #expect(try TaskLoader.load(directory: out.appendingPathComponent("snake-game")).spec.cases.count == 9)
    }

    /// A report of `task` with these verdicts, as an evaluation writes it.
    func writeReport(task: String, scenario: TaskSpec.Scenario, verdicts: [String: Verdict], visual: Set<String> = [], in run: URL) throws {
        let spec = TaskSpec(
            id: task, title: task, scenario: scenario, requirement: "r",
            cases: verdicts.keys.sorted().map { TestCase(id: $0, kind: visual.contains($0) ? .visual : .functional, description: "d") })
        var report = TaskReport(runId: "r", task: spec, repository: "/repo", judge: "llm:openai/m", startedAt: Date(), environment: [:])
        report.cases = verdicts.keys.sorted().map { CaseResult(id: $0, verdict: verdicts[$0]!, reason: "") }
        report.tally(total: verdicts.count)
        let folder = run.appendingPathComponent(task)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try JSONEncoder.report.encode(report).write(to: folder.appendingPathComponent("report.json"))
    }

    @Test func calibrationAgainstHumanLabelsAndTheRunSummary() throws {
        let run = Scratch.directory("calibrate-run")
        defer { try? FileManager.default.removeItem(at: run) }
        try writeReport(task: "alpha", scenario: .display, verdicts: ["a": .pass, "b": .pass, "c": .fail, "d": .uncertain], visual: ["d"], in: run)
        try writeReport(task: "beta", scenario: .game, verdicts: ["a": .pass, "b": .fail, "c": .fail, "d": .fail], in: run)
        try writeReport(task: "gamma", scenario: .game, verdicts: ["a": .pass, "b": .pass, "c": .pass, "d": .error], in: run)
        let labels = run.appendingPathComponent("labels.csv")
        try """
        task,case,label
        alpha,a,pass
        alpha,b,pass
        alpha,c,pass
        alpha,d,fail
        beta,a,pass
        beta,b,fail
        beta,c,fail
        beta,d,fail
        gamma,a,pass
        gamma,b,pass
        gamma,c,pass
        gamma,d,pass
        delta,a,pass
        """.write(to: labels, atomically: true, encoding: .utf8)
        let result = try CLI.run(["calibrate", "--labels", labels.path, run.path])
        #expect(result.status == 0, "\(result.output)")
        // 12 matched: agreements 10 (alpha c and gamma d disagree); kappa from the 2x2 table.
        #expect(result.output.contains("cases 12: accuracy 0.833"), "\(result.output)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("calibration.json"))) as? [String: Any])
        #expect(json["accuracy"] as? Double == 0.8333)
        // judge yes 6 / human yes 8 of 12; both yes 6, both no 4: po 10/12, pe 0.5*0.667+0.5*0.333 = 0.5.
        #expect(json["cohen_kappa"] as? Double == 0.6667)
        #expect((json["unmatched_labels"] as? [String]) == ["delta/a"])
        #expect(json["undecided_counted_as_fail"] as? Int == 2)
        // Task scores judge (0.5, 0.25, 0.75) against human (0.75, 0.25, 1.0).
        let pearson = try #require(json["pearson"] as? Double)
        #expect(pearson > 0.9)
        #expect(json["spearman"] as? Double == 1)

        let bad = run.appendingPathComponent("bad.csv")
        try "task,case,label\nalpha,a,maybe\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["calibrate", "--labels", bad.path, run.path])
        #expect(refused.status == 2 && refused.output.contains("bad.csv: line 2: label 'maybe' is not pass or fail"), "\(refused.output)")

        let summary = try CLI.run(["summary", run.path])
        #expect(summary.status == 0, "\(summary.output)")
        #expect(summary.output.contains("scenario game       2 task(s): functional 0.50 (0.62)"), "\(summary.output)")
        #expect(summary.output.contains("alpha                    display    0.67 (0.67)    0.00"), "\(summary.output)")
    }
}
