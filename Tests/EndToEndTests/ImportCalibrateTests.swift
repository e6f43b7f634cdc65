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
        #expect(json["kappa"] as? Double == 0.6667)
        #expect((json["unmatched_labels"] as? [String]) == ["delta/a"])
        #expect(json["undecided_counted_as_fail"] as? Int == 2)
        // Task scores judge (0.5, 0.25, 0.75) against human (0.75, 0.25, 1.0).
        let pearson = try #require(json["pearson"] as? Double)
        #expect(pearson > 0.9)
        #expect(json["spearman"] as? Double == 1)

        let bad = run.appendingPathComponent("bad.csv")
        try "task,case,label\nalpha,a,maybe\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["calibrate", "--labels", bad.path, run.path])
        #expect(refused.status == 2 && refused.output.contains("bad.csv: line 2: label 'maybe' is not pass, fail or uncertain"), "\(refused.output)")

        let summary = try CLI.run(["summary", run.path])
        #expect(summary.status == 0, "\(summary.output)")
        #expect(summary.output.contains("scenario game       2 task(s): functional 0.50 (0.62)"), "\(summary.output)")
        #expect(summary.output.contains("alpha                    display    0.67 (0.67)    0.00"), "\(summary.output)")
    }
}

/// The real, published RealDevBench material in ../shared/realdevbench (read, never copied).
enum SharedData {
    static var folder: URL? {
        let candidates = [
            ProcessInfo.processInfo.environment["APPJUDGE_SHARED"].map { URL(fileURLWithPath: $0).appendingPathComponent("realdevbench") },
            Repo.root.deletingLastPathComponent().appendingPathComponent("shared/realdevbench"),
            URL(fileURLWithPath: "/work/shared/realdevbench"),
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("cases-labelled.jsonl").path) }
    }

    static func require() throws -> URL {
        try #require(folder, "the shared RealDevBench data (../shared/realdevbench) is missing; set APPJUDGE_SHARED to the folder holding it")
    }
}

@Suite("Published RealDevBench labels: import and calibration", .serialized)
struct PublishedLabelsTests {
    /// All 522 labelled cases of 34 apps (30 distinct requirements) become 34 tasks, every case
    /// kept, with the expert labels beside them and the scenarios from apps.jsonl.
    @Test func everyPublishedCaseBecomesATaskCase() throws {
        let data = try SharedData.require()
        let out = Scratch.directory("import-labelled")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CLI.run([
            "import", "appevalpilot", data.appendingPathComponent("cases-labelled.jsonl").path, "--apps", data.appendingPathComponent("apps.jsonl").path,
            "--out", out.path,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("imported 522 case(s) of 34 app(s), 0 line(s) rejected"), "\(result.output)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasSuffix(".csv") }
        #expect(folders.count == 34)
        var cases = 0
        var requirements = Set<String>()
        for folder in folders {
            let task = try TaskLoader.load(directory: out.appendingPathComponent(folder)).spec
            cases += task.cases.count
            requirements.insert(task.requirement)
            #expect(task.cases.allSatisfy { $0.script == nil && $0.description.hasPrefix("Task:") && $0.description.contains("Expected Result:") })
            #expect(!task.features.isEmpty, "\(folder) has no features")
        }
        #expect(cases == 522)
        #expect(requirements.count == 30)
        let labels = try String(contentsOf: out.appendingPathComponent("labels.csv"), encoding: .utf8).split(separator: "\n")
        #expect(labels.count == 523)
        #expect(labels.filter { $0.hasSuffix(",uncertain") }.count == 1)
        let list = try CLI.run(["tasks", "list", out.path])
        #expect(list.output.contains("34 task(s): display 28, analysis 0, data 1, game 5"), "\(list.output)")
    }

    /// AppEvalPilot's verdicts against the experts' labels, as published: over the 521
    /// true/false cases accuracy 0.739 and kappa 0.479, per app Pearson 0.807.
    @Test func calibrationReproducesThePublishedAgreement() throws {
        let data = try SharedData.require()
        let out = Scratch.directory("import-vs-human")
        defer { try? FileManager.default.removeItem(at: out) }
        let imported = try CLI.run(["import", "appevalpilot", data.appendingPathComponent("appevalpilot-vs-human.jsonl").path, "--out", out.path])
        #expect(imported.status == 0, "\(imported.output)")
        let result = try CLI.run([
            "calibrate", "--labels", out.appendingPathComponent("labels.csv").path, "--verdicts",
            out.appendingPathComponent("verdicts-appevalpilot.csv").path, "--json",
        ])
        #expect(result.status == 0, "\(result.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result.output)")
        #expect(json["cases"] as? Int == 521)
        #expect(json["tasks"] as? Int == 34)
        func near(_ key: String, _ value: Double) -> Bool { abs((json[key] as? Double ?? -9) - value) < 0.0006 }
        #expect(near("accuracy", 0.739) && near("kappa", 0.479) && near("pearson", 0.807), "\(json)")
        for key in ["accuracy", "kappa", "pearson", "spearman"] {
            let ci = try #require(json[key + "_ci"] as? [Double], "\(key) has no interval")
            let value = try #require(json[key] as? Double)
            #expect(ci[0] <= value && value <= ci[1] && ci[0] < ci[1], "\(key) \(value) outside \(ci)")
        }
        let confusion = try #require(json["confusion"] as? [String: Int])
        #expect(confusion.values.reduce(0, +) == 521)
        #expect(confusion["judge_pass_label_pass"]! + confusion["judge_fail_label_fail"]! == 385)  // 0.739 of 521
        #expect(json["uncertain_labels_left_out"] as? Int == 1)
        let text = try CLI.run([
            "calibrate", "--labels", out.appendingPathComponent("labels.csv").path, "--verdicts", out.appendingPathComponent("verdicts-appevalpilot.csv").path,
        ])
        #expect(text.output.contains("judge pass") && text.output.contains("labelled uncertain are left out"), "\(text.output)")
    }

    /// A line that cannot be read is named (file:line: field) and skipped; the rest import.
    @Test func badLinesAreNamedAndSkipped() throws {
        let out = Scratch.directory("import-bad-lines")
        defer { try? FileManager.default.removeItem(at: out) }
        let file = out.appendingPathComponent("cases.jsonl")
        let good = #"{"test_case_name": "Tiny Timer_case001", "requirements": "A timer.\n1.Start: a start button\n2.Reset: back to zero", "test_case": "Task: press Start\nExpected Result: it counts", "GT": true}"#
        try [
            good,
            "not json",
            #"{"test_case_name": "Tiny Timer case002", "test_case": "Task: x", "GT": true}"#,
            #"{"test_case_name": "Tiny Timer_case003", "test_case": "Task: x", "GT": "maybe"}"#,
            #"{"test_case_name": "Tiny Timer_case004", "GT": false}"#,
            good.replacingOccurrences(of: "case001", with: "case005").replacingOccurrences(of: "true", with: "false"),
        ].joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["import", "appevalpilot", file.path, "--out", out.appendingPathComponent("tasks").path])
        #expect(result.status == 2, "\(result.output)")
        for named in ["cases.jsonl:2: is not a JSON object", "cases.jsonl:3: test_case_name:", "cases.jsonl:4: GT: 'maybe'", "cases.jsonl:5: test_case: is missing"] {
            #expect(result.output.contains(named), "\(named) in \(result.output)")
        }
        let task = try TaskLoader.load(directory: out.appendingPathComponent("tasks/tiny-timer")).spec
        #expect(task.cases.map(\.id) == ["case001", "case005"])
        #expect(task.features.map(\.id) == ["start", "reset"])
        let labels = try String(contentsOf: out.appendingPathComponent("tasks/labels.csv"), encoding: .utf8)
        #expect(labels == "task,case,label\ntiny-timer,case001,pass\ntiny-timer,case005,fail\n")
    }

    /// The Hugging Face record shape: features only as `feature_list` text, files as paths.
    @Test func theHuggingFaceRecordShape() throws {
        let out = Scratch.directory("import-hf")
        defer { try? FileManager.default.removeItem(at: out) }
        let assets = out.appendingPathComponent("assets")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        try "month,amount\nJan,3\n".write(to: assets.appendingPathComponent("budget.csv"), atomically: true, encoding: .utf8)
        let record: [String: Any] = [
            "label": "Budget View", "category": "Data Visualization", "scenario": "Data", "features": [],
            "feature_list": "1. Monthly table\n2. Totals row\n3. Bar chart", "prompt": "Show budget.csv as a table and a chart.",
            "files": ["data/benchmark/Budget View/budget.csv"],
        ]
        let file = out.appendingPathComponent("records.jsonl")
        try JSONSerialization.data(withJSONObject: record).write(to: file)
        let result = try CLI.run(["import", "realdevbench", file.path, "--assets", assets.path, "--out", out.appendingPathComponent("tasks").path])
        #expect(result.status == 0, "\(result.output)")
        // No cases yet (cases generate proposes them), so read as the file it is.
        let task = try JSONDecoder().decode(TaskSpec.self, from: Data(contentsOf: out.appendingPathComponent("tasks/budget-view/task.json")))
        #expect(task.features.map(\.description) == ["Monthly table", "Totals row", "Bar chart"])
        #expect(task.scenario == .data)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("tasks/budget-view/assets/data/benchmark/Budget View/budget.csv").path))
    }

    /// A report in the run that cannot be read is named, never left out of the figures.
    @Test func anUnreadableReportStopsCalibrationAndSummary() throws {
        let run = Scratch.directory("unreadable-report")
        defer { try? FileManager.default.removeItem(at: run) }
        try FileManager.default.createDirectory(at: run.appendingPathComponent("broken"), withIntermediateDirectories: true)
        try "{ not a report".write(to: run.appendingPathComponent("broken/report.json"), atomically: true, encoding: .utf8)
        let labels = run.appendingPathComponent("labels.csv")
        try "task,case,label\nbroken,a,pass\n".write(to: labels, atomically: true, encoding: .utf8)
        for args in [["calibrate", "--labels", labels.path, run.path], ["summary", run.path]] {
            let result = try CLI.run(args)
            #expect(result.status == 2 && result.output.contains("broken/report.json: cannot be read as an AppJudge report"), "\(args[0]): \(result.output)")
        }
    }
}
