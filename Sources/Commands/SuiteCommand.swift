import Engine
import Foundation
import Judge
import Processes
import Reports
import Suite

/// `appjudge suite`: every task x generator pair, N at a time, into one resumable run folder
/// with CI outputs and a gate.
extension AppJudgeCLI {

    static func suite(_ args: [String]) -> Int32 {
        let parsed: SuiteRequest
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
        let lock: SuiteLock
        do {
            let held = try SuiteLock.hold(run)
            lock = held.lock
            if let swept = held.swept, !swept.isEmpty {
                print(
                    "appjudge: swept what the interrupted run left: \(swept.processes) process(es), \(swept.groups) control group(s)\(swept.workFolder ? ", its work folder" : "")"
                )
            }
        } catch {
            printError(error.message)
            return error.code
        }
        let lockFile = SuiteLock.file(in: run)

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
        // The workers' displays and browsers go from one pair to the next (their logs in RUN/stations).
        template.stations = AppJudgeCLI.stationPool(in: run.appendingPathComponent("stations"))
        defer { template.stations?.close() }
        if let s = parsed.startTimeout { template.limits.startSeconds = s }
        let runner = SuiteRunner(
            run: run, tasks: plan.tasks, generators: plan.generators, evaluator: EnginePairEvaluator(template: template, interrupt: interrupt, run: run),
            interrupt: interrupt)
        runner.only = plan.pairs
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
        // A resumed run keeps the gate it was started with unless one is given now.
        let gate = SuiteGate(
            minScore: parsed.minScore ?? plan.manifest.minScore, failOn: parsed.failOn.isEmpty ? Set(plan.manifest.failOn) : parsed.failOn)
        return conclude(outcome.summary, results: results, run: run, gate: gate, interrupted: interrupt.isSet)
    }

    /// Prints a finished (or stopped) suite run's scores, problems and gate, and returns its exit code.
    static func conclude(_ summary: SuiteSummary, results: [PairResult], run: URL, gate: SuiteGate, interrupted: Bool) -> Int32 {
        for g in summary.generators {
            print(
                "\(pad(g.name, 16)) strict \(String(format: "%.2f", g.overall.strict)), lenient \(g.overall.lenient.map { String(format: "%.2f", $0) } ?? "-") over \(g.overall.pairs) pair(s); cases \(["pass", "flaky", "fail", "uncertain", "error", "skipped"].map { "\($0) \(g.overall.cases[$0] ?? 0)" }.joined(separator: ", "))"
            )
        }
        for p in summary.problems { print("  \(p.generator)/\(p.task): \(p.outcome.rawValue): \(p.reason)") }
        print("summary: \(relative(run.appendingPathComponent("summary.html").path)), junit: \(relative(run.appendingPathComponent("junit.xml").path))")
        if interrupted || summary.unfinished > 0 {
            print("appjudge: \(summary.unfinished) pair(s) unfinished; finish with: appjudge suite --resume \(relative(run.path))")
            // Unfinished without an interrupt: a result could not be written (said above).
            return interrupted ? ExitCode.interrupted : ExitCode.infrastructure
        }
        let reasons = gate.check(summary, results: results)
        if results.contains(where: { $0.outcome == .infraError }) {
            printError("\(summary.total.outcomes["infra_error"] ?? 0) pair(s) ended in AppJudge's own error (infra_error); see summary.md.")
            return ExitCode.infrastructure
        }
        for reason in reasons { print("gate failed: \(reason)") }
        return reasons.isEmpty ? ExitCode.allPassed : ExitCode.caseFailed
    }

    static func parseSuite(_ args: [String]) throws(Problem) -> SuiteRequest {
        var a = SuiteRequest()
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
            case "--shard":
                let text = try value("--shard")
                guard let shard = ShardSelection(text) else {
                    throw Problem("--shard must be K/N with 1 <= K <= N (shard K of N, like 2/4), not '\(text)'.")
                }
                a.shard = shard
            case "--durations": a.durations = try value("--durations")
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
            guard a.tasks == nil, a.repos.isEmpty, a.taskIds == nil, a.out == nil, a.judge.isEmpty, a.shard == nil, a.durations == nil else {
                throw Problem(
                    "--resume RUN takes the tasks, repositories, shard and judge from RUN/run.json; leave out --tasks, --repos, --task-ids, --out, --shard, --durations and the judge's options.")
            }
        } else {
            if a.durations != nil, a.shard == nil { throw Problem("--durations RUN balances shards; give it with --shard K/N.") }
            guard a.tasks != nil, !a.repos.isEmpty else {
                throw Problem("suite needs --tasks DIR and at least one --repos DIR (or --resume RUN). Run 'appjudge --help' for usage.")
            }
        }
        return a
    }
}
