import Engine
import Foundation
import Imaging
import Judge
import Perception
import Reports
import Suite

/// `appjudge` argument parsing and the commands it runs. The executable only calls `main`.
public enum AppJudgeCLI {
    public static let usage = """
        AppJudge evaluates generated applications by using them: it launches the app on a private
        X display, clicks and types through the task's test cases, reads the screen, and reports
        a verdict with evidence for every case.

        Usage:
          appjudge run --task DIR --repo DIR [--out DIR] [--run-id ID] [--case ID[,ID...]] [--workers N]
                       [--start-timeout S] [--offline]
              Build the repository in a sandbox, then evaluate it against the task in DIR (a
              folder with task.json), each case on a freshly started copy of the app.
              --out DIR      run folder for results (default: results/<run-id>)
              --run-id ID    name of the run (default: date and time)
              --case IDS     only these cases
              --workers N    cases run at once, each on its own private display (default 2)
              --start-timeout S  seconds an app may take to become ready (default 45)
              --offline      no install: use what the repository commits (node_modules, a
                             built dist/); for machines without a package registry
              --judge script|llm   who decides the cases (default script: the cases' scripts)
            With --judge llm, an agent model uses the app for every case (keys only from
            OPENAI_API_KEY / ANTHROPIC_API_KEY):
              --model NAME         e.g. gpt-4.1-mini, claude-haiku-4-5 (required)
              --provider P         openai (chat completions; also vLLM, Ollama, llama.cpp,
                                   LM Studio) or anthropic; default: from the model name
              --base-url URL       the API's base (default https://api.openai.com/v1 or
                                   https://api.anthropic.com; or OPENAI_BASE_URL / ANTHROPIC_BASE_URL)
              --votes K            K episodes per case, majority verdict (default 1)
              --replay RUN         answer every model call from RUN's records; no network
              --prices FILE        dollars per million tokens (default config/prices.json)
              --max-steps N --max-case-seconds S --max-case-tokens N --max-case-usd D
              --max-task-tokens N --max-task-usd D   budgets (defaults 15, 300, 150000,
                                   0.50, 2000000, 5.00)
              --timeout S --concurrency N  per-call time limit (120) and calls at once (2)
          appjudge cases generate --task DIR --model NAME [--provider P] [--base-url URL]
                       [--replace]
              Ask the model for 8-20 cases covering every feature of the task and write them
              into its task.json for review (existing cases are kept unless --replace).
          appjudge cases export --task DIR --report FILE [--case ID[,ID...]] [--replace]
              Write the agent's trajectories of a report (its actions and the checks behind
              its verdicts) into task.json as scripts, so later runs need no model.
          appjudge bench capture [--frames N] [--width W --height H]
              Measure capture + PNG encode against ImageMagick and xwd; one JSON object per line.
          appjudge bench perception [--pages N] [--windows N] [--seed S] [--keep DIR] [--scale S]
              Read seeded, randomly styled pages (300) in Chromium and Tk windows (100), truth
              from the DOM and from Tk: recall, precision and grounding, fused and from pixels
              alone, and time per observation; --keep saves frames, pages and misses, --scale
              sets OCR's upscale.
          appjudge bench sandbox [--runs N]
              Measure the sandbox: a jailed start against a bare one, the install network, and
              build + launch-to-ready of each stack fixture; one JSON object per line.
          appjudge bench agent [--runs N]
              Measure an agent step without the model: capture, downscale, encode, OCR and
              request build; prompt tokens per step; projected dollars of a 15-case app.
          appjudge tasks list [DIR...]
              The suite's tasks (default: tasks/) with their cases and broken variants, and
              the count per scenario.
          appjudge tasks validate [DIR...] [--out DIR] [--record] [--jobs N] [--workers N]
              Check every task file, then evaluate each reference (all cases must pass) and
              each broken/<name> (exactly the cases in its expected.json must fail);
              --record writes missing reference screenshots (screens/*.png) from the reference.
              --jobs evaluations run at once (default 1) with --workers cases each (default
              2, or 1 with --jobs above 1); the table keeps task order.
          appjudge import realdevbench FILE.jsonl [--assets DIR] [--out DIR]
              Turn RealDevBench records (label, category, scenario, features, prompt, files)
              into task folders (default tasks/) with requirement, features and assets, ready
              for cases generate.
          appjudge import appevalpilot FILE.jsonl [--apps FILE.jsonl] [--out DIR]
              Turn AppEvalPilot-style labelled case lists (test_case_name, requirements,
              test_case, GT) into task folders with a case per line, labels.csv, and
              verdicts-appevalpilot.csv when the lines carry AppEvalPilot's verdicts.
          appjudge calibrate --labels FILE.csv (RUN | --verdicts FILE.csv) [--json]
              Compare a judge's verdicts (a run, or CSV task,case,verdict) with labels (CSV:
              task,case,label as pass/fail/uncertain): accuracy, Cohen's kappa, Pearson and
              Spearman of task scores with 95% bootstrap intervals over tasks, and the
              confusion table; with a run, writes RUN/calibration.json.
          appjudge suite --tasks DIR --repos [NAME=]DIR [--repos ...] [--task-ids A,B] [--jobs N]
                       [--workers N] [--out RUN] [--retry-infra K] [--retries K]
                       [--min-score X] [--fail-on fail,uncertain,error] [--offline]
                       [--start-timeout S] [--shard K/N [--durations RUN]]
                       [--judge llm --model NAME ...as for run]
          appjudge suite --resume RUN [--jobs N] [--min-score X] [--fail-on ...]
              Evaluate every task of DIR (or those of --task-ids) on every generator: each
              --repos folder holds one repository folder per task id (the generator's name is
              the folder's, or NAME). --jobs pairs run at once (default: one per core while
              each has 1 GiB of available memory per --workers case, default 1). Writes
              RUN/run.json, summary.json, summary.md, summary.html, junit.xml and each pair's
              report under RUN/pairs/<generator>/<task>/ (default RUN: results/suite-<time>).
              --resume finishes a run that was stopped or killed, keeping finished pairs.
              --retry-infra K  evaluate a pair that hit AppJudge's own error up to K more times
              --retries K      run failed cases again up to K times on a fresh app; a case
                               that passes only then is reported flaky
              --min-score X    gate: every generator's strict score must be at least X
              --fail-on V      gate: no case may end with these verdicts (error also counts
                               an app that did not build or come up)
              --shard K/N      evaluate only shard K of N: every machine deals the pairs to
                               shards the same way, balanced by case counts, or by the
                               pairs' durations in an earlier RUN with --durations RUN
              Exit codes: 0 gate passed, 1 gate failed, 2 bad input, 3 a pair ended in
              AppJudge's own error (infra_error) or an output could not be written,
              130 interrupted (resume it).
          appjudge merge --out RUN SHARD_RUN...
              Join the shards of one suite run into RUN: one run.json, summary.json,
              summary.md, summary.html and junit.xml, gated as the shards were asked to be.
              Refuses shards of different tasks, AppJudge versions or judge settings, and
              names the pairs without a result when a shard is missing. Exit codes as suite.
          appjudge diff RUN_A RUN_B [--html FILE]
              Compare two suite runs: cases whose verdict flipped, strict score changes per
              task and per scenario; --html writes a page with both runs' evidence frames side
              by side. Exit 0 when no case flipped, 1 when some did.
          appjudge summary RUN
              Scores of every task in a run, strict and lenient, functional and visual, and
              per scenario; writes RUN/summary.json.
          appjudge ocr FILE.png [--kind web|desktop] [--scale S] [--dump OUT.png] [--buttons X,Y,W,H]
              Print the text AppJudge reads on a screenshot, line by line with boxes, as it
              reads a web page or (--kind desktop) a desktop app's window with its buttons;
              --dump writes the picture the OCR engine is given; --buttons reads the keys in a region.
          appjudge --help | --version

        Exit codes:
          0  every case passed
          1  a case failed, errored or was skipped, or the app failed to build, launch,
             become ready or stay up (report.json "outcome" says which)
          2  bad usage or input (task file, repository)
          3  AppJudge's own fault (no Xvfb, the browser would not start, a missing dependency)
          130 interrupted (the report is kept, marked interrupted)

        Reports: <out>/<task-id>/report.json, report.html, trace.jsonl, frames/.
        """

    public static func main(_ arguments: [String]) -> Int32 {
        limitOpenMPThreads(arguments)
        var args = Array(arguments.dropFirst())
        guard let command = args.first else {
            printError("no command given. Run 'appjudge --help' for usage.")
            return ExitCode.badInput
        }
        args.removeFirst()
        switch command {
        case "--help", "-h", "help":
            print(usage)
            return 0
        case "--version":
            print("appjudge \(AppJudgeVersion.current)")
            return 0
        case "run":
            return run(args)
        case "bench":
            return bench(args)
        case "tasks":
            return tasks(args)
        case "cases":
            return cases(args)
        case "import":
            return importTasks(args)
        case "calibrate":
            return calibrate(args)
        case "summary":
            return summary(args)
        case "suite":
            return suite(args)
        case "diff":
            return diff(args)
        case "merge":
            return merge(args)
        case "ocr":
            return ocr(args)
        default:
            printError("unknown command '\(command)'. Run 'appjudge --help' for usage.")
            return ExitCode.badInput
        }
    }

    /// Tesseract parallelises with OpenMP, whose worker threads spin on this 2-core class of
    /// machine and slow every other process (the browser, the second worker) more than they
    /// help: one thread per OCR engine made the todo task 30% faster. libgomp reads
    /// OMP_THREAD_LIMIT only when it loads, so the process re-executes itself once with it set.
    static func limitOpenMPThreads(_ arguments: [String]) {
        guard getenv("OMP_THREAD_LIMIT") == nil else { return }
        setenv("OMP_THREAD_LIMIT", "1", 1)
        let argv = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", argv)
        // Still here: exec failed; carry on with OpenMP's default.
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("appjudge: \(message)\n".utf8))
    }

    /// The whole number given as `--name`, nil when the option is absent; one sentence naming
    /// the option and its range when it is not such a number.
    static func wholeNumber(_ parsed: [String: String], _ name: String, in range: ClosedRange<Int>) throws(Problem) -> Int? {
        guard let given = parsed[name] else { return nil }
        guard let n = Int(given), range.contains(n) else {
            throw Problem("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(given)'.")
        }
        return n
    }

    /// The pool that keeps workers' displays and browsers between evaluations, kept in
    /// `folder`. Without one every evaluation starts its own: slower, never wrong, and said.
    static func stationPool(in folder: URL) -> StationPool? {
        do {
            return try StationPool(folder: folder)
        } catch {
            printError("note: each evaluation starts its own displays and browsers (slower): \(folder.path): \(error)")
            return nil
        }
    }

    /// Parses `--name value` pairs. `--help` prints the usage; an unknown or valueless option
    /// is a usage error. Either way the failure is the exit code to return.
    static func options(_ args: [String], allowed: Set<String>) -> Result<[String: String], CommandStop> {
        var out: [String: String] = [:]
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--help" || a == "-h" {
                print(usage)
                return .failure(CommandStop(ExitCode.allPassed))
            }
            guard a.hasPrefix("--"), allowed.contains(String(a.dropFirst(2))) else {
                printError("unknown option '\(a)'; the options are \(allowed.sorted().map { "--\($0)" }.joined(separator: ", ")).")
                return .failure(CommandStop(ExitCode.badInput))
            }
            guard i + 1 < args.count, !args[i + 1].hasPrefix("--") else {
                printError("option \(a) needs a value.")
                return .failure(CommandStop(ExitCode.badInput))
            }
            out[String(a.dropFirst(2))] = args[i + 1]
            i += 2
        }
        return .success(out)
    }

    /// The exit code of a command that stopped while parsing its options.
    struct CommandStop: Error {
        var code: Int32
        init(_ code: Int32) { self.code = code }
    }

    static func run(_ args: [String]) -> Int32 {
        let parsed: [String: String]
        let offline = args.contains("--offline")
        switch options(
            args.filter { $0 != "--offline" },
            allowed: Set(["task", "repo", "out", "run-id", "case", "workers", "start-timeout"]).union(ModelOptions.agent).union(
                ModelOptions.connection))
        {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        guard let task = parsed["task"], let repo = parsed["repo"] else {
            printError("run needs --task DIR and --repo DIR. Run 'appjudge --help' for usage.")
            return ExitCode.badInput
        }
        let runId = parsed["run-id"] ?? Self.defaultRunId()
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let out =
            parsed["out"].map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
            ?? cwd.appendingPathComponent("results").appendingPathComponent(runId)
        guard let home = Self.home() else {
            printError("cannot find AppJudge's sandbox/ folder; run from the AppJudge repository or set APPJUDGE_HOME.")
            return ExitCode.infrastructure
        }
        var options = EvaluationOptions(
            task: URL(fileURLWithPath: task, relativeTo: cwd).standardizedFileURL,
            repository: URL(fileURLWithPath: repo, relativeTo: cwd).standardizedFileURL,
            output: out, runId: runId, sandboxDirectory: home.appendingPathComponent("sandbox"))
        options.caseFilter = parsed["case"].map { $0.split(separator: ",").map(String.init) } ?? []
        options.offline = offline
        do {
            if let n = try wholeNumber(parsed, "workers", in: 1...16) { options.workers = n }
        } catch {
            printError(error.message)
            return ExitCode.badInput
        }
        if let seconds = parsed["start-timeout"] {
            guard let n = Double(seconds), n >= 1, n <= 3600 else {
                printError("--start-timeout must be a number of seconds from 1 to 3600, not '\(seconds)'.")
                return ExitCode.badInput
            }
            options.limits.startSeconds = n
        }
        do {
            options.agent = try ModelOptions.agent(parsed, environment: ProcessInfo.processInfo.environment, home: home)
        } catch {
            printError(error.message)
            return ExitCode.badInput
        }
        let interrupt = Interrupt()
        interrupt.install()
        let evaluation = Evaluation(options: options, interrupt: interrupt)
        evaluation.onStart = { spec, cases, workers in
            print("appjudge: evaluating \(repo) against \(spec.id) (\(cases) cases, \(workers) workers)")
        }
        evaluation.onCase = { result in
            print("  \(pad(result.id, 16)) \(pad(result.verdict.rawValue, 8)) \(String(format: "%5.1f s", result.seconds))  \(result.reason)")
        }
        do {
            let (report, location) = try evaluation.run()
            let passed = report.counts["pass"] ?? 0
            print(
                "\(report.task.id): score \(String(format: "%.2f", report.score)) (\(passed)/\(report.cases.count) passed) in \(String(format: "%.1f", report.seconds)) s"
            )
            if report.outcome != .evaluated, report.outcome != .infraError {
                print("\(report.task.id): \(report.outcome.rawValue): \(report.outcomeReason ?? "")")
            }
            print("report: \(relative(location.html.path))")
            if report.status == .interrupted { return ExitCode.interrupted }
            if report.outcome == .infraError {
                printError(report.outcomeReason ?? "infrastructure error")
                return ExitCode.infrastructure
            }
            return report.allPassed ? ExitCode.allPassed : ExitCode.caseFailed
        } catch {
            printError(error.description)
            return error.exitCode
        }
    }

    static func bench(_ args: [String]) -> Int32 {
        guard let which = args.first, ["capture", "sandbox", "agent", "perception"].contains(which) else {
            printError("bench needs a benchmark name: capture, sandbox, agent or perception.")
            return ExitCode.badInput
        }
        let allowed: Set<String> =
            switch which {
            case "capture": ["frames", "width", "height"]
            case "perception": ["pages", "windows", "seed", "keep", "scale"]
            default: ["runs"]
            }
        let parsed: [String: String]
        switch options(Array(args.dropFirst()), allowed: allowed) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        guard let home = Self.home() else {
            printError("cannot find AppJudge's repository (tasks/, sandbox/); run from it or set APPJUDGE_HOME.")
            return ExitCode.infrastructure
        }
        if which == "perception" {
            var counts: [String: Int] = [:]
            for (name, fallback) in [("pages", 300), ("windows", 100), ("seed", 1)] {
                guard let value = parsed[name].map({ Int($0) }) ?? fallback, value >= 0 else {
                    printError("--\(name) must be a whole number of 0 or more, not '\(parsed[name] ?? "")'.")
                    return ExitCode.badInput
                }
                counts[name] = value
            }
            let scale = parsed["scale"].map { Double($0) }
            if let scale, scale.map({ !(1...4).contains($0) }) ?? true {
                printError("--scale must be a number from 1 to 4, not '\(parsed["scale"]!)'.")
                return ExitCode.badInput
            }
            do {
                try PerceptionBenchmark(
                    home: home, pages: counts["pages"]!, windows: counts["windows"]!, seed: UInt64(counts["seed"]!),
                    keep: parsed["keep"].map { URL(fileURLWithPath: $0) }, ocrScale: scale ?? nil
                ).run { line in FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
                return 0
            } catch {
                printError(error.description)
                return error.exitCode
            }
        }
        if which == "sandbox" || which == "agent" {
            let runs = max(1, Int(parsed["runs"] ?? "") ?? 5)
            do {
                if which == "agent" {
                    try AgentBenchmark(home: home, runs: runs).run { line in print(line) }
                } else {
                    try SandboxBenchmark(home: home, runs: runs).run { line in print(line) }
                }
                return 0
            } catch {
                printError(error.description)
                return error.exitCode
            }
        }
        do {
            let bench = CaptureBenchmark(
                home: home, frames: Int(parsed["frames"] ?? "") ?? 60,
                width: Int(parsed["width"] ?? "") ?? 1280, height: Int(parsed["height"] ?? "") ?? 800)
            try bench.run { line in print(line) }
            return 0
        } catch {
            printError(error.description)
            return error.exitCode
        }
    }

    static func ocr(_ args: [String]) -> Int32 {
        guard let file = args.first, !file.hasPrefix("--") else {
            printError("ocr needs a PNG file. Run 'appjudge --help' for usage.")
            return ExitCode.badInput
        }
        let parsed: [String: String]
        switch options(Array(args.dropFirst()), allowed: ["scale", "dump", "buttons", "kind", "preprocess"]) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        guard let bytes = FileManager.default.contents(atPath: file) else {
            printError("cannot read \(file).")
            return ExitCode.badInput
        }
        do {
            let image = try PNG.decode(Array(bytes))
            // The judge's own upscale unless one is asked for.
            let engine = try parsed["scale"].flatMap(Double.init).map { try TesseractOCR(scale: $0) } ?? TesseractOCR()
            if let mode = parsed["preprocess"] {
                guard let chosen = TesseractOCR.Preprocessing(rawValue: mode) else {
                    printError("--preprocess is \(TesseractOCR.Preprocessing.allCases.map(\.rawValue).joined(separator: " or ")), not '\(mode)'.")
                    return ExitCode.badInput
                }
                engine.preprocessing = chosen
            }
            guard ["web", "desktop"].contains(parsed["kind"] ?? "web") else {
                printError("--kind is web or desktop, not '\(parsed["kind"]!)'.")
                return ExitCode.badInput
            }
            // Read as the judge reads that kind of app: desktop frames with their buttons too.
            let reading = parsed["kind"] == "desktop" ? try ButtonAwareOCR(engine).read(image) : try engine.read(image)
            if let dump = parsed["dump"] {
                try Data(PNG.encode(engine.preprocessed(image))).write(to: URL(fileURLWithPath: dump))
            }
            for line in reading.lines {
                let b = line.box
                print("\(pad("(\(b.x),\(b.y) \(b.width)x\(b.height))", 22)) \(line.text)")
            }
            for region in reading.unread {
                print("unread text-like ink at (\(region.x),\(region.y) \(region.width)x\(region.height))")
            }
            print(String(format: "%d words in %.0f ms", reading.words.count, reading.seconds * 1000))
            if let region = parsed["buttons"] {
                let n = region.split(separator: ",").compactMap { Int($0) }
                guard n.count == 4 else {
                    printError("--buttons takes the region to search as X,Y,WIDTH,HEIGHT.")
                    return ExitCode.badInput
                }
                let keys = try engine.readButtons(image, in: Rect(x: n[0], y: n[1], width: n[2], height: n[3]), known: reading.words)
                for key in keys { print("\(pad("[\(key.box.x),\(key.box.y) \(key.box.width)x\(key.box.height)]", 22)) \(key.text)") }
            }
            return 0
        } catch let error as PNGError {
            printError("\(file): \(error)")
            return ExitCode.badInput
        } catch {
            printError("\(error)")
            return ExitCode.infrastructure
        }
    }

    /// The AppJudge checkout: $APPJUDGE_HOME, else the first folder holding sandbox/launch-web.sh
    /// above the executable or the working directory.
    static func home() -> URL? {
        if let env = ProcessInfo.processInfo.environment["APPJUDGE_HOME"] { return URL(fileURLWithPath: env) }
        let starts = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        ]
        for start in starts {
            var dir = start.standardizedFileURL
            while dir.path != "/" {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("sandbox/launch-web.sh").path) { return dir }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    static func defaultRunId() -> String { RunName.now() }

    static func pad(_ s: String, _ n: Int) -> String { s.padded(to: n) }

    static func relative(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}
