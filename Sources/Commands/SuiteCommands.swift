import Engine
import Foundation
import Judge
import Reports
import Suite

/// The commands that work on tasks and runs rather than evaluate an app: the suite (`tasks`),
/// its cases (`cases generate`, `cases export`), importing RealDevBench, calibration against
/// people, and a run's summary.
extension AppJudgeCLI {
    static func cases(_ args: [String]) -> Int32 {
        guard let which = args.first, ["generate", "export"].contains(which) else {
            printError("cases needs generate or export.")
            return ExitCode.badInput
        }
        // --replace is a flag; every other option takes a value.
        var rest = Array(args.dropFirst())
        let replace = rest.contains("--replace")
        rest.removeAll { $0 == "--replace" }
        let allowed: Set<String> = which == "generate" ? ModelOptions.connection.union(["task"]) : ["task", "report", "case"]
        let parsed: [String: String]
        switch options(rest, allowed: allowed) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        guard let taskPath = parsed["task"] else {
            printError("cases \(which) needs --task DIR.")
            return ExitCode.badInput
        }
        let loaded: LoadedTask
        do {
            loaded = try TaskLoader.load(
                directory: URL(fileURLWithPath: taskPath).standardizedFileURL, requireCases: which == "export")
        } catch {
            printError(error.description)
            return ExitCode.badInput
        }
        let file = loaded.directory.appendingPathComponent("task.json")
        do {
            let spec: TaskSpec
            var rescripted: Set<String> = []
            if which == "export" {
                guard let reportPath = parsed["report"] else {
                    printError("cases export needs --report FILE (a report.json of a run made with --judge llm).")
                    return ExitCode.badInput
                }
                let only = Set(parsed["case"].map { $0.split(separator: ",").map(String.init) } ?? [])
                let (exported, written, skipped) = try CaseTools.export(
                    report: URL(fileURLWithPath: reportPath), into: loaded, only: only, replace: replace)
                for line in skipped { print("  skipped \(line)") }
                print(
                    "exported \(written.count) script(s) into \(relative(file.path))\(written.isEmpty ? "" : ": " + written.joined(separator: ", "))")
                guard !written.isEmpty else { return ExitCode.caseFailed }
                spec = exported
                rescripted = Set(written)
            } else {
                let settings: ModelSettings
                do {
                    settings = try ModelOptions.settings(parsed, environment: ProcessInfo.processInfo.environment)
                } catch {
                    printError(error.message.replacingOccurrences(of: "--judge llm needs", with: "cases generate needs"))
                    return ExitCode.badInput
                }
                let prices: PriceTable
                do {
                    prices = try ModelOptions.prices(parsed, home: home())
                } catch {
                    printError(error.message)
                    return ExitCode.badInput
                }
                let (generated, added, usage) = try CaseTools.generate(task: loaded, client: ModelClient(settings: settings), replace: replace)
                for c in added { print("  \(pad(c.id, 24)) \(pad(c.feature ?? "", 12)) \(pad(c.kind.rawValue, 10)) \(c.description)") }
                let dollars = prices.dollars(usage, model: settings.model).map { String(format: "$%.4f", $0) } ?? "dollars unknown"
                print(
                    "wrote \(added.count) new case(s) into \(relative(file.path)) for review (\(usage.input) input + \(usage.output) output tokens, \(dollars))"
                )
                spec = generated
            }
            let original = try Data(contentsOf: file)
            try AtomicFile.write(try CaseTools.file(spec, original: original, rescripted: rescripted), to: file)
            return ExitCode.allPassed
        } catch let problem as Problem {
            printError(problem.message)
            return problem.code
        } catch {
            printError("cannot write \(file.path): \(error.localizedDescription)")
            return ExitCode.infrastructure
        }
    }

    static func importTasks(_ args: [String]) -> Int32 {
        if args.first == "appevalpilot" { return importLabelledCases(Array(args.dropFirst())) }
        guard args.first == "realdevbench", args.count >= 2, !args[1].hasPrefix("--") else {
            printError(
                "import needs the format and a file: appjudge import realdevbench FILE.jsonl [--assets DIR] [--out DIR], or appjudge import appevalpilot FILE.jsonl [--apps FILE.jsonl] [--out DIR]."
            )
            return ExitCode.badInput
        }
        let parsed: [String: String]
        switch options(Array(args.dropFirst(2)), allowed: ["assets", "out"]) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let out = URL(fileURLWithPath: parsed["out"] ?? "tasks", relativeTo: cwd).standardizedFileURL
        let assets = parsed["assets"].map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        if let assets, !FileManager.default.fileExists(atPath: assets.path) {
            printError("--assets \(assets.path): no such folder.")
            return ExitCode.badInput
        }
        do {
            let results = try RealDevBench.importFile(URL(fileURLWithPath: args[1], relativeTo: cwd).standardizedFileURL, assets: assets, into: out)
            var created = 0, rejected = 0
            for (line, outcome) in results {
                switch outcome {
                case .created(let id, let n):
                    created += 1
                    print("  line \(line): created \(relative(out.appendingPathComponent(id).path))" + (n > 0 ? " with \(n) asset(s)" : ""))
                case .exists(let id): print("  line \(line): \(id) exists; left as it is")
                case .rejected(let why):
                    rejected += 1
                    printError(why)
                }
            }
            print("imported \(created) task(s), \(rejected) rejected; next: appjudge cases generate --task DIR --model NAME")
            return rejected > 0 ? ExitCode.badInput : ExitCode.allPassed
        } catch {
            printError(error.description)
            return ExitCode.badInput
        }
    }

    /// `import appevalpilot FILE.jsonl [--apps FILE.jsonl] [--out DIR]`: labelled case lists
    /// into task folders, labels.csv and (when the lines carry them) AppEvalPilot's verdicts.
    static func importLabelledCases(_ args: [String]) -> Int32 {
        guard let first = args.first, !first.hasPrefix("--") else {
            printError("import appevalpilot needs a file: appjudge import appevalpilot FILE.jsonl [--apps FILE.jsonl] [--out DIR].")
            return ExitCode.badInput
        }
        let parsed: [String: String]
        switch options(Array(args.dropFirst()), allowed: ["apps", "out"]) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let out = URL(fileURLWithPath: parsed["out"] ?? "tasks", relativeTo: cwd).standardizedFileURL
        var scenarios: [String: String] = [:]
        if let apps = parsed["apps"] {
            guard let text = try? String(contentsOfFile: apps, encoding: .utf8) else {
                printError("--apps \(apps): cannot be read; give apps.jsonl (project_name, scenario per line).")
                return ExitCode.badInput
            }
            for (i, line) in text.split(separator: "\n").enumerated() {
                guard let row = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                    let name = row["project_name"] as? String, let scenario = row["scenario"] as? String
                else {
                    printError("\(apps):\(i + 1): project_name and scenario are needed; the line is skipped.")
                    continue
                }
                scenarios[name] = scenario.lowercased()
            }
        }
        do {
            let summary = try LabelledCases.importFile(URL(fileURLWithPath: first, relativeTo: cwd).standardizedFileURL, scenarios: scenarios, into: out)
            summary.rejected.forEach { printError($0) }
            for id in summary.tasks { print("  created \(relative(out.appendingPathComponent(id).path))") }
            for id in summary.existing { print("  \(id) exists; left as it is") }
            if !summary.withoutRequirement.isEmpty {
                print("  \(summary.withoutRequirement.count) app(s) have no requirement in this file: labels only, no task folder")
            }
            print(
                "imported \(summary.cases) case(s) of \(summary.tasks.count + summary.existing.count + summary.withoutRequirement.count) app(s), \(summary.rejected.count) line(s) rejected"
            )
            if let labels = summary.labels { print("labels: \(relative(labels.path))") }
            if let verdicts = summary.verdicts { print("AppEvalPilot's verdicts: \(relative(verdicts.path))") }
            return summary.rejected.isEmpty ? ExitCode.allPassed : ExitCode.badInput
        } catch {
            printError(error.description)
            return ExitCode.badInput
        }
    }

    static func calibrate(_ args: [String]) -> Int32 {
        var rest = args
        let asJSON = rest.contains("--json")
        rest.removeAll { $0 == "--json" }
        let run = rest.last.flatMap { $0.hasPrefix("--") || rest.count % 2 == 0 ? nil : $0 }
        let parsed: [String: String]
        switch options(run == nil ? rest : Array(rest.dropLast()), allowed: ["labels", "verdicts"]) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        guard let labelsPath = parsed["labels"], (run == nil) != (parsed["verdicts"] == nil) else {
            printError(
                "calibrate needs --labels FILE.csv and either a run folder or --verdicts FILE.csv: appjudge calibrate --labels FILE.csv (RUN | --verdicts FILE.csv) [--json]."
            )
            return ExitCode.badInput
        }
        do {
            let labels = try Calibration.labels(URL(fileURLWithPath: labelsPath))
            let verdicts: [String: Verdict]
            var judges: [String] = []
            var written: URL?
            if let file = parsed["verdicts"] {
                verdicts = try Calibration.verdicts(URL(fileURLWithPath: file))
                judges = [URL(fileURLWithPath: file).lastPathComponent]
            } else {
                let runURL = URL(fileURLWithPath: run!).standardizedFileURL
                let reports = try Calibration.reports(in: runURL)
                verdicts = Calibration.verdicts(of: reports)
                judges = Set(reports.values.map(\.0.judge)).sorted()
                written = runURL.appendingPathComponent("calibration.json")
            }
            let result = Calibration.compare(labels, verdicts)
            if let written {
                do {
                    try AtomicFile.write(Calibration.json(result, judges: judges), to: written)
                } catch {
                    printError("Cannot write \(written.path): \(error.localizedDescription).")
                    return ExitCode.infrastructure
                }
            }
            if asJSON {
                print(String(decoding: Calibration.json(result, judges: judges, pretty: false), as: UTF8.self))
            } else {
                Calibration.lines(result).forEach { print($0) }
                if let written { print("written: \(relative(written.path))") }
            }
            return result.figures.cases > 0 ? ExitCode.allPassed : ExitCode.caseFailed
        } catch {
            printError(error.message)
            return ExitCode.badInput
        }
    }

    static func summary(_ args: [String]) -> Int32 {
        guard args.count == 1, !args[0].hasPrefix("--") else {
            if args.contains("--help") {
                print(usage)
                return ExitCode.allPassed
            }
            printError("summary needs one run folder: appjudge summary RUN.")
            return ExitCode.badInput
        }
        let run = URL(fileURLWithPath: args[0]).standardizedFileURL
        do {
            let reports = try Calibration.reports(in: run).values.map(\.0).sorted { $0.task.id < $1.task.id }
            let summary = RunSummary(reports)
            summary.lines().forEach { print($0) }
            let file = run.appendingPathComponent("summary.json")
            do {
                try AtomicFile.write(summary.json(), to: file)
            } catch {
                printError("cannot write \(file.path): \(error.localizedDescription)")
                return ExitCode.infrastructure
            }
            print("written: \(relative(file.path))")
            return ExitCode.allPassed
        } catch {
            printError(error.message)
            return ExitCode.badInput
        }
    }

    static func tasks(_ args: [String]) -> Int32 {
        guard let which = args.first, ["list", "validate"].contains(which) else {
            printError("tasks needs list or validate.")
            return ExitCode.badInput
        }
        var rest = Array(args.dropFirst())
        let record = which == "validate" && rest.contains("--record")
        rest.removeAll { $0 == "--record" }
        let folders = rest.prefix { !$0.hasPrefix("--") }
        let parsed: [String: String]
        switch options(Array(rest.dropFirst(folders.count)), allowed: which == "validate" ? ["out", "jobs", "workers"] : []) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        // One evaluation at a time with two workers by default: on a 2-core machine two at once
        // with one worker each bought no clear gain (728 s against 756 s, one run each; BENCHMARKS.md).
        let jobs: Int, workers: Int
        do {
            jobs = try wholeNumber(parsed, "jobs", in: 1...64) ?? 1
            workers = try wholeNumber(parsed, "workers", in: 1...16) ?? (jobs > 1 ? 1 : 2)
        } catch {
            printError(error.message)
            return ExitCode.badInput
        }
        guard let home = Self.home() else {
            printError("cannot find AppJudge's repository (tasks/, sandbox/); run from it or set APPJUDGE_HOME.")
            return ExitCode.infrastructure
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let roots =
            folders.isEmpty ? [home.appendingPathComponent("tasks")] : folders.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        for root in roots where !FileManager.default.fileExists(atPath: root.path) {
            printError("\(root.path): no such folder.")
            return ExitCode.badInput
        }
        let suite = SuiteTask.discover(roots).map(SuiteTask.init(directory:))
        if which == "list" { return TaskSuiteCommand.list(suite) { print($0) } }
        let out =
            parsed["out"].map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-validate-\(getpid())")
        defer { if parsed["out"] == nil { try? FileManager.default.removeItem(at: out) } }
        return TaskSuiteCommand.validate(suite, home: home, output: out, record: record, jobs: jobs, workers: workers) { line in
            // Each row as soon as it is known: a whole suite takes minutes.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
