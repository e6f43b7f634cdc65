import Foundation
import Judge
import Processes
import Reports
import Suite

/// `appjudge suite`: every task x generator pair, N at a time, into one resumable run folder
/// with CI outputs and a gate.
extension AppJudgeCLI {
    /// What `suite` was asked, from its arguments.
    struct SuiteArguments {
        var tasks: String?
        var repos: [String] = []
        var taskIds: [String]?
        var jobs: Int?
        var workers = 1
        var out: String?
        var resume: String?
        var retryInfra = 0
        var retries = 0
        var minScore: Double?
        var failOn: Set<Verdict> = []
        var offline = false
        var startTimeout: Double?
        /// `--judge llm` and its model options, as `run` takes them.
        var judge: [String: String] = [:]
    }

    static func suite(_ args: [String]) -> Int32 {
        let parsed: SuiteArguments
        do {
            parsed = try parseSuite(args)
        } catch {
            if !error.message.isEmpty { printError(error.message) }
            return error.code
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func url(_ path: String) -> URL { URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL }
        guard let home = Self.home() else {
            printError("cannot find AppJudge's sandbox/ folder; run from the AppJudge repository or set APPJUDGE_HOME.")
            return ExitCode.infrastructure
        }
        let plan: SuitePlan
        do {
            if let resume = parsed.resume {
                plan = try SuitePlan.resuming(url(resume), jobs: parsed.jobs)
            } else {
                plan = try SuitePlan.fresh(parsed, cwd: cwd, arguments: Array(CommandLine.arguments.dropFirst()))
            }
        } catch {
            printError(error.message)
            return error.code
        }
        let run = plan.run
        // Hold the run, and clear what a killed holder left, before anything new is made.
        let lockFile = SuiteLock.file(in: run)
        var tag: String?
        if let data = FileManager.default.contents(atPath: lockFile.path), let old = try? JSONDecoder().decode(SuiteLock.self, from: data) {
            if old.isHeld {
                printError("\(run.path) is being run by process \(old.pid); wait for it to end or stop it before resuming.")
                return ExitCode.badInput
            }
            let swept = SuiteSweep.sweep(old)
            if !swept.isEmpty {
                print(
                    "appjudge: swept what the interrupted run left: \(swept.processes) process(es), \(swept.groups) control group(s)\(swept.workFolder ? ", its work folder" : "")"
                )
            }
            tag = old.tag
        }
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let lock = SuiteLock.current(tag: tag, base: base)
        do {
            try FileManager.default.createDirectory(atPath: lock.workFolder, withIntermediateDirectories: true)
            try AtomicFile.write(try JSONEncoder.report.encode(lock), to: lockFile)
        } catch {
            printError("cannot prepare the run folder \(run.path) or the work folder \(lock.workFolder): \(error.localizedDescription)")
            return ExitCode.infrastructure
        }
        // Every workspace, browser profile and control group of this run carries the tag (see SuiteSweep).
        setenv("TMPDIR", lock.workFolder, 1)
        setenv("APPJUDGE_RUN_TAG", lock.tag, 1)

        let interrupt = Interrupt()
        interrupt.install()
        var template = EvaluationOptions(
            task: run, repository: run, output: run, runId: run.lastPathComponent, sandboxDirectory: home.appendingPathComponent("sandbox"))
        do {
            // Keys come from the environment, never from run.json.
            template.agent = try ModelOptions.agent(plan.manifest.judgeOptions, environment: ProcessInfo.processInfo.environment, home: home)
        } catch {
            printError(error.message)
            return ExitCode.badInput
        }
        template.workers = plan.manifest.workers
        template.offline = plan.manifest.offline
        if let s = parsed.startTimeout { template.limits.startSeconds = s }
        let runner = SuiteRunner(
            run: run, tasks: plan.tasks, generators: plan.generators, evaluator: EnginePairEvaluator(template: template, interrupt: interrupt),
            interrupt: interrupt)
        runner.jobs = plan.jobs
        runner.retryInfra = plan.manifest.retryInfra
        runner.retries = plan.manifest.retries

        var problems: [String] = []
        let already = runner.finished(problems: &problems)
        problems.forEach { printError($0) }
        let progress = SuiteProgress(total: runner.pairs.count, done: already, terminal: isatty(STDOUT_FILENO) == 1)
        print(
            "appjudge: suite of \(plan.tasks.count) task(s) x \(plan.generators.count) generator(s) = \(runner.pairs.count) pair(s), \(already.count) already done; \(plan.jobs) at a time, \(plan.manifest.workers) case(s) at once each; run folder \(relative(run.path))"
        )
        runner.onStart = { g, t in progress.started(g, t) }
        runner.onResult = { r in progress.finished(r) }
        let results = runner.execute()
        progress.end()

        let outcome = SuiteOutputsWriter(run: run, manifest: plan.manifest, planned: runner.pairs.count).write(results)
        // The work folder is empty unless a sandbox failed to clean up; while it is there the
        // lock stays, so the next resume sweeps it.
        let cleaned = (try? FileManager.default.removeItem(atPath: lock.workFolder)) != nil
        if cleaned, outcome.error == nil {
            // A lock left behind only costs the next resume a sweep that finds nothing.
            try? FileManager.default.removeItem(at: lockFile)
        }
        if let error = outcome.error {
            printError(error)
            return ExitCode.infrastructure
        }
        let summary = outcome.summary
        for g in summary.generators {
            print(
                "\(pad(g.name, 16)) strict \(String(format: "%.2f", g.overall.strict)), lenient \(g.overall.lenient.map { String(format: "%.2f", $0) } ?? "-") over \(g.overall.pairs) pair(s); cases \(["pass", "flaky", "fail", "uncertain", "error", "skipped"].map { "\($0) \(g.overall.cases[$0] ?? 0)" }.joined(separator: ", "))"
            )
        }
        for p in summary.problems { print("  \(p.generator)/\(p.task): \(p.outcome.rawValue): \(p.reason)") }
        print("summary: \(relative(run.appendingPathComponent("summary.html").path)), junit: \(relative(run.appendingPathComponent("junit.xml").path))")
        if interrupt.isSet || summary.unfinished > 0 {
            print("appjudge: \(summary.unfinished) pair(s) unfinished; finish with: appjudge suite --resume \(relative(run.path))")
            // Unfinished without an interrupt: a result could not be written (said above).
            return interrupt.isSet ? ExitCode.interrupted : ExitCode.infrastructure
        }
        // A resumed run keeps the gate it was started with unless one is given now.
        let gate = SuiteGate(
            minScore: parsed.minScore ?? plan.manifest.minScore, failOn: parsed.failOn.isEmpty ? Set(plan.manifest.failOn) : parsed.failOn
        ).check(summary, results: results)
        if results.contains(where: { $0.outcome == .infraError }) {
            printError("\(summary.total.outcomes["infra_error"] ?? 0) pair(s) ended in AppJudge's own error (infra_error); see summary.md.")
            return ExitCode.infrastructure
        }
        for reason in gate { print("gate failed: \(reason)") }
        return gate.isEmpty ? ExitCode.allPassed : ExitCode.caseFailed
    }

    static func parseSuite(_ args: [String]) throws(Problem) -> SuiteArguments {
        var a = SuiteArguments()
        var i = 0
        func value(_ name: String) throws(Problem) -> String {
            guard i + 1 < args.count, !args[i + 1].hasPrefix("--") else { throw Problem("option \(name) needs a value.") }
            i += 1
            return args[i]
        }
        func count(_ name: String, _ range: ClosedRange<Int>) throws(Problem) -> Int {
            let text = try value(name)
            guard let n = Int(text), range.contains(n) else {
                throw Problem("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'.")
            }
            return n
        }
        while i < args.count {
            switch args[i] {
            case "--help", "-h":
                print(usage)
                throw Problem("", code: ExitCode.allPassed)
            case "--tasks": a.tasks = try value("--tasks")
            case "--repos": a.repos.append(try value("--repos"))
            case "--task-ids": a.taskIds = try value("--task-ids").split(separator: ",").map(String.init)
            case "--jobs": a.jobs = try count("--jobs", 1...64)
            case "--workers": a.workers = try count("--workers", 1...16)
            case "--out": a.out = try value("--out")
            case "--resume": a.resume = try value("--resume")
            case "--retry-infra": a.retryInfra = try count("--retry-infra", 0...10)
            case "--retries": a.retries = try count("--retries", 0...10)
            case "--offline": a.offline = true
            case "--start-timeout":
                let text = try value("--start-timeout")
                guard let s = Double(text), (1...3600).contains(s) else {
                    throw Problem("--start-timeout must be a number of seconds from 1 to 3600, not '\(text)'.")
                }
                a.startTimeout = s
            case "--min-score":
                let text = try value("--min-score")
                guard let x = Double(text), (0...1).contains(x) else { throw Problem("--min-score must be a number from 0 to 1, not '\(text)'.") }
                a.minScore = x
            case "--fail-on":
                for word in try value("--fail-on").split(separator: ",") {
                    guard let v = Verdict(rawValue: String(word)), [.fail, .uncertain, .error].contains(v) else {
                        throw Problem("--fail-on takes fail, uncertain and error (comma-separated), not '\(word)'.")
                    }
                    a.failOn.insert(v)
                }
            case let option where option.hasPrefix("--") && ModelOptions.agent.union(ModelOptions.connection).contains(String(option.dropFirst(2))):
                a.judge[String(option.dropFirst(2))] = try value(option)
            default:
                throw Problem("unknown option '\(args[i])' for suite. Run 'appjudge --help' for usage.")
            }
            i += 1
        }
        if a.resume != nil {
            guard a.tasks == nil, a.repos.isEmpty, a.taskIds == nil, a.out == nil, a.judge.isEmpty else {
                throw Problem(
                    "--resume RUN takes the tasks, repositories and judge from RUN/run.json; leave out --tasks, --repos, --task-ids, --out and the judge's options.")
            }
        } else {
            guard a.tasks != nil, !a.repos.isEmpty else {
                throw Problem("suite needs --tasks DIR and at least one --repos DIR (or --resume RUN). Run 'appjudge --help' for usage.")
            }
        }
        return a
    }
}

/// The tasks, generators and settings of a suite run, from arguments or from run.json.
struct SuitePlan {
    var run: URL
    var tasks: [PlannedTask]
    var generators: [Generator]
    var manifest: SuiteManifest
    var jobs: Int

    /// Pairs at once when --jobs is not given: one per core, as long as each has 1 GiB of the
    /// memory available now per case it runs at once (a case's app, browser and display peak
    /// below that; see BENCHMARKS.md).
    static func defaultJobs(workers: Int) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let available = meminfo.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }.map { $0 >> 20 }  // kB to GiB
        return max(1, min(cores, (available ?? 1) / max(1, workers)))
    }

    static func fresh(_ a: AppJudgeCLI.SuiteArguments, cwd: URL, arguments: [String]) throws(AppJudgeCLI.Problem) -> SuitePlan {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL }
        let fm = FileManager.default
        let tasksDir = url(a.tasks!)
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: tasksDir.path, isDirectory: &isDir), isDir.boolValue else {
            throw .init("--tasks \(tasksDir.path): no such folder; give the folder that holds the task folders (like tasks/).")
        }
        var tasks: [PlannedTask] = []
        for dir in SuiteTask.discover([tasksDir]) {
            do {
                tasks.append(PlannedTask(directory: dir, spec: try TaskLoader.load(directory: dir).spec))
            } catch {
                throw .init("\(error.description) Fix the task file or leave it out with --task-ids.")
            }
        }
        if let ids = a.taskIds {
            let known = Set(tasks.map(\.spec.id))
            if let unknown = ids.first(where: { !known.contains($0) }) {
                throw .init("--task-ids: no task '\(unknown)' in \(tasksDir.path); the tasks there are \(known.sorted().joined(separator: ", ")).")
            }
            tasks = ids.compactMap { id in tasks.first { $0.spec.id == id } }
        }
        guard !tasks.isEmpty else { throw .init("--tasks \(tasksDir.path) holds no task folder (a folder with a task.json).") }
        var generators: [Generator] = []
        for spec in a.repos {
            let (name, path): (String, String) =
                if let eq = spec.firstIndex(of: "="), eq != spec.startIndex { (String(spec[..<eq]), String(spec[spec.index(after: eq)...])) } else {
                    (url(spec).lastPathComponent, spec)
                }
            let dir = url(path)
            guard fm.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
                throw .init("--repos \(spec): no such folder; give a folder with one repository folder per task id, optionally as NAME=DIR.")
            }
            guard !name.isEmpty, !name.contains("/"), name != "." else {
                throw .init("--repos \(spec): '\(name)' cannot name a generator; write NAME=DIR.")
            }
            guard !generators.contains(where: { $0.name == name }) else {
                throw .init("--repos \(spec): a second generator named '\(name)'; give each its own name as NAME=DIR.")
            }
            generators.append(Generator(name: name, directory: dir))
        }
        let run = a.out.map(url) ?? cwd.appendingPathComponent("results/suite-\(AppJudgeCLI.defaultRunId())")
        if fm.fileExists(atPath: run.appendingPathComponent("run.json").path) {
            throw .init("\(run.path) already holds a suite run; finish it with --resume \(run.path) or choose another --out.")
        }
        let jobs = a.jobs ?? defaultJobs(workers: a.workers)
        var manifest = SuiteManifest(
            appjudge: AppJudgeVersion.current, judge: "script", startedAt: Date(), arguments: arguments,
            tasks: tasks.map { .init(id: $0.spec.id, directory: $0.directory.path, hash: contentHash($0.directory)) },
            generators: generators.map { .init(name: $0.name, directory: $0.directory.path) }, workers: a.workers, jobs: jobs,
            retryInfra: a.retryInfra, retries: a.retries, offline: a.offline, environment: [:])
        if a.judge["judge"] == "llm" {
            manifest.judge = "llm"
            manifest.model = a.judge["model"]
            // What the agent is told decides its verdicts as much as the model does.
            manifest.promptHash = SHA256.hex(Data(AgentJudge.systemPrompt.utf8))
        }
        manifest.judgeOptions = a.judge
        manifest.minScore = a.minScore
        manifest.failOn = Verdict.allCases.filter { a.failOn.contains($0) }
        manifest.environment = environment(tasks)
        do {
            try fm.createDirectory(at: run, withIntermediateDirectories: true)
            try AtomicFile.write(try JSONEncoder.report.encode(manifest), to: run.appendingPathComponent("run.json"))
        } catch {
            throw .init("cannot write \(run.appendingPathComponent("run.json").path): \(error.localizedDescription)", code: ExitCode.infrastructure)
        }
        return SuitePlan(run: run, tasks: tasks, generators: generators, manifest: manifest, jobs: jobs)
    }

    static func resuming(_ run: URL, jobs: Int?) throws(AppJudgeCLI.Problem) -> SuitePlan {
        let manifest = try SuiteRunFolder.manifest(
            run, missing: "--resume \(run.path): no run.json there; give the folder of a suite run.", broken: "; start a new run instead")
        var tasks: [PlannedTask] = []
        for entry in manifest.tasks {
            let dir = URL(fileURLWithPath: entry.directory)
            guard contentHash(dir) == entry.hash else {
                throw .init(
                    "task \(entry.id) (\(entry.directory)) changed since the run started (run.json tasks: hash); resuming would mix verdicts of two versions, so start a new run.")
            }
            do {
                tasks.append(PlannedTask(directory: dir, spec: try TaskLoader.load(directory: dir).spec))
            } catch {
                throw .init(error.description)
            }
        }
        let generators = manifest.generators.map { Generator(name: $0.name, directory: URL(fileURLWithPath: $0.directory)) }
        return SuitePlan(run: run, tasks: tasks, generators: generators, manifest: manifest, jobs: jobs ?? manifest.jobs)
    }

    /// SHA-256 over the task folder's files (paths and bytes, sorted), without the repositories
    /// it holds (reference/, broken/).
    static func contentHash(_ dir: URL) -> String {
        let fm = FileManager.default
        var bytes = Data()
        let files = (fm.enumerator(atPath: dir.path)?.allObjects as? [String] ?? [])
            .filter { !$0.hasPrefix("reference") && !$0.hasPrefix("broken") }.sorted()
        for path in files {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: dir.appendingPathComponent(path).path, isDirectory: &isDir), !isDir.boolValue else { continue }
            bytes += Data(path.utf8) + Data([0]) + (fm.contents(atPath: dir.appendingPathComponent(path).path) ?? Data()) + Data([0])
        }
        return SHA256.hex(bytes)
    }

    /// What could change a verdict besides the app: screen sizes, fonts, locale, time zone, the
    /// browser and OCR versions, the host.
    static func environment(_ tasks: [PlannedTask]) -> [String: String] {
        var env = Evaluation.environment()
        env["screens"] = Set(tasks.map { "\($0.spec.app.viewport.width)x\($0.spec.app.viewport.height)" }).sorted().joined(separator: ", ")
        func first(_ tool: String, _ args: [String]) -> String? {
            guard let out = try? Command(tool, args).run(timeout: 10, outputLimit: 4000).output else { return nil }
            return out.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        env["tesseract"] = first("tesseract", ["--version"])
        env["font_sans"] = first("fc-match", ["sans-serif"])
        env["font_mono"] = first("fc-match", ["monospace"])
        env["fonts"] = (try? Command("fc-list", []).run(timeout: 10, outputLimit: 1 << 20).output).map { "\($0.split(separator: "\n").count) installed" }
        // Apps run with the children's base environment, not the caller's.
        env["locale"] = Command.baseEnvironment()["LANG"]
        env["time_zone"] = TimeZone.current.identifier
        env["cores"] = "\(ProcessInfo.processInfo.activeProcessorCount)"
        return env
    }
}

/// The gate CI reads from the exit code.
struct SuiteGate {
    var minScore: Double?
    var failOn: Set<Verdict>

    /// Why the gate fails, one sentence each; empty when it passes.
    func check(_ summary: SuiteSummary, results: [PairResult]) -> [String] {
        var reasons: [String] = []
        if let minScore {
            for g in summary.generators where g.overall.strict < minScore {
                reasons.append("\(g.name) scored \(String(format: "%.3f", g.overall.strict)) strict, below --min-score \(minScore).")
            }
        }
        for verdict in Verdict.allCases where failOn.contains(verdict) {
            let hit = results.flatMap { r in r.cases.filter { !$0.flaky && $0.verdict == verdict }.map { "\(r.generator)/\(r.task)/\($0.id)" } }
            // An app that did not build or come up had no case decided: that is an error too.
            let down = verdict == .error ? results.filter { ![.evaluated, .skipped, .infraError].contains($0.outcome) }.map { "\($0.generator)/\($0.task) (\($0.outcome.rawValue))" } : []
            if !(hit + down).isEmpty {
                reasons.append("--fail-on \(verdict.rawValue): \((hit + down).count) hit: \((hit + down).prefix(10).joined(separator: ", "))\(hit.count + down.count > 10 ? ", ..." : "").")
            }
        }
        return reasons
    }
}

/// Writes summary.json, junit.xml, summary.md and summary.html of a run.
struct SuiteOutputsWriter {
    var run: URL
    var manifest: SuiteManifest
    var planned: Int

    func write(_ results: [PairResult]) -> (summary: SuiteSummary, error: String?) {
        let summary = SuiteSummary(results, generators: manifest.generators.map(\.name), planned: planned)
        var firstError: String?
        func put(_ name: String, _ data: () throws -> Data) {
            do {
                try AtomicFile.write(try data(), to: run.appendingPathComponent(name))
            } catch {
                if firstError == nil { firstError = "cannot write \(run.appendingPathComponent(name).path): \(error.localizedDescription)" }
            }
        }
        put("summary.json") { try JSONEncoder.report.encode(summary) }
        put("junit.xml") { Data(JUnitReport.render(results).utf8) }
        put("summary.md") { Data(MarkdownSummary.render(summary, results: results).utf8) }
        put("summary.html") { Data(SuiteDashboard.render(summary, results: results, title: run.lastPathComponent).utf8) }
        return (summary, firstError)
    }
}

/// Progress of a suite: on a terminal one line redrawn in place; otherwise a line per pair.
final class SuiteProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var done: Int
    private let doneBefore: Int
    private var passed = 0
    private var cases = 0
    private var running: [String] = []
    private let terminal: Bool
    private let started = Date()

    init(total: Int, done: [PairResult], terminal: Bool) {
        self.total = total
        self.done = done.count
        doneBefore = done.count
        self.terminal = terminal
        for r in done {
            passed += r.cases.filter { $0.verdict == .pass }.count
            cases += r.cases.count
        }
    }

    func started(_ generator: String, _ task: String) {
        lock.withLock {
            running.append("\(generator)/\(task)")
            draw()
        }
    }

    func finished(_ r: PairResult) {
        lock.withLock {
            done += 1
            passed += r.cases.filter { $0.verdict == .pass }.count
            cases += r.cases.count
            running.removeAll { $0 == "\(r.generator)/\(r.task)" }
            if terminal {
                draw()
            } else {
                let s = r.score
                print(
                    "  [\(done)/\(total)] \(AppJudgeCLI.pad("\(r.generator)/\(r.task)", 32)) \(AppJudgeCLI.pad(r.outcome.rawValue, 13)) strict \(String(format: "%.2f", s.strict)) (\(s.passed)/\(s.total))\(r.cases.contains(where: \.flaky) ? ", flaky \(r.cases.filter(\.flaky).count)" : "") \(String(format: "%.1f s", r.seconds))"
                )
                fflush(nil)  // all streams: Swift 6 will not name the global stdout
            }
        }
    }

    /// Must be called with the lock held.
    private func draw() {
        guard terminal else { return }
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let rate = cases == 0 ? "-" : String(format: "%.0f%%", Double(passed) / Double(cases) * 100)
        let thisRun = done - doneBefore
        let eta =
            thisRun == 0
            ? "-" : { let s = Int(Date().timeIntervalSince(started) / Double(thisRun) * Double(total - done)); return "\(s / 60)m\(String(format: "%02d", s % 60))s" }()
        let line =
            "[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) pass \(rate) ETA \(eta) running: \(running.joined(separator: ", "))"
        print("\r\u{1B}[K" + String(line.prefix(160)), terminator: "")
        fflush(nil)  // all streams: Swift 6 will not name the global stdout
    }

    func end() {
        if terminal { lock.withLock { print("") } }
    }
}

extension AppJudgeCLI {
    /// `appjudge diff RUN_A RUN_B [--html FILE]`: flipped cases and score deltas. Exit 0 when no
    /// case flipped, 1 when some did, 2 when a run folder cannot be read.
    static func diff(_ args: [String]) -> Int32 {
        let paths = Array(args.prefix { !$0.hasPrefix("--") })
        guard paths.count == 2 else {
            printError("diff needs two suite run folders: appjudge diff RUN_A RUN_B [--html FILE].")
            return ExitCode.badInput
        }
        let parsed: [String: String]
        switch options(Array(args.dropFirst(2)), allowed: ["html"]) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let runs = paths.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        let a: [PairResult], b: [PairResult]
        do {
            a = try SuiteRunFolder.results(runs[0])
            b = try SuiteRunFolder.results(runs[1])
        } catch {
            printError(error.message)
            return error.code
        }
        let diff = RunDiff(a, b)
        diff.lines().forEach { print($0) }
        if let html = parsed["html"] {
            let file = URL(fileURLWithPath: html, relativeTo: cwd).standardizedFileURL
            do {
                try AtomicFile.write(Data(diff.html(runA: runs[0], runB: runs[1]).utf8), to: file)
                print("diff: \(relative(file.path))")
            } catch {
                printError("cannot write \(file.path): \(error.localizedDescription)")
                return ExitCode.infrastructure
            }
        }
        return diff.flips.isEmpty ? ExitCode.allPassed : ExitCode.caseFailed
    }
}

/// Reading a finished (or partly finished) suite run folder.
enum SuiteRunFolder {
    /// A run's run.json; `missing` is the sentence when there is none, `broken` what follows the
    /// reason when it cannot be read.
    static func manifest(_ run: URL, missing: String, broken: String = "") throws(AppJudgeCLI.Problem) -> SuiteManifest {
        let file = run.appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { throw .init(missing) }
        do {
            return try JSONDecoder.report.decode(SuiteManifest.self, from: data)
        } catch {
            throw .init("\(file.path) is not a suite run's manifest (\(error))\(broken).")
        }
    }

    /// The results of a run in its plan's order (generators, then tasks, as in run.json).
    static func results(_ run: URL) throws(AppJudgeCLI.Problem) -> [PairResult] {
        let manifest = try manifest(run, missing: "\(run.path): no run.json there; give the folder of a suite run (appjudge suite --out).")
        var results: [PairResult] = []
        for g in manifest.generators {
            for t in manifest.tasks {
                let path = run.appendingPathComponent("pairs/\(g.name)/\(t.id)/result.json")
                guard let bytes = FileManager.default.contents(atPath: path.path) else { continue }
                do {
                    results.append(try JSONDecoder.report.decode(PairResult.self, from: bytes))
                } catch {
                    throw .init("\(path.path) is unreadable (\(error)); resume the run to evaluate that pair again.")
                }
            }
        }
        return results
    }
}
