import Foundation
import FoundationXML
import Judge
import Processes
import Reports
@testable import Commands
@testable import Engine
import Sandbox
import Suite
import TestSupport
import Testing

/// Two small tasks, in memory: the fake evaluator never reads their folders.
let alpha = PlannedTask(
    directory: URL(fileURLWithPath: "/nonexistent/alpha"),
    spec: TaskSpec(
        id: "alpha", title: "Alpha", scenario: .display, requirement: "r",
        cases: ["a1", "a2", "a3"].map { TestCase(id: $0, description: "d") }))
let beta = PlannedTask(
    directory: URL(fileURLWithPath: "/nonexistent/beta"),
    spec: TaskSpec(id: "beta", title: "Beta", scenario: .data, requirement: "r", cases: ["b1", "b2"].map { TestCase(id: $0, description: "d") }))

/// What the fake answers for one call: the generator, the task, which call this is for the
/// pair (0 first), and the cases asked for.
struct Call: Sendable {
    var generator: String
    var task: PlannedTask
    var number: Int
    var cases: [String]
}

/// An evaluator whose answers a test writes as a closure; it records every call.
final class FakeEvaluator: PairEvaluator, @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private(set) var calls: [String] = []
    let answer: @Sendable (Call) -> Result<TaskReport, RunError>

    init(_ answer: @escaping @Sendable (Call) -> Result<TaskReport, RunError>) { self.answer = answer }

    func evaluate(_ request: PairRequest) -> Result<TaskReport, RunError> {
        let generator = request.repository.deletingLastPathComponent().lastPathComponent
        let key = "\(generator)/\(request.task.spec.id)"
        let number = lock.withLock {
            calls.append(key + (request.cases.isEmpty ? "" : "[\(request.cases.joined(separator: ","))]"))
            counts[key, default: 0] += 1
            return counts[key]! - 1
        }
        return answer(Call(generator: generator, task: request.task, number: number, cases: request.cases))
    }
}

/// A report of `task` where the listed cases fail and the others (of `only`, or all) pass.
func report(_ task: PlannedTask, failing: Set<String> = [], outcome: Outcome = .evaluated, status: ReportStatus = .completed, only: [String] = [])
    -> TaskReport
{
    var r = TaskReport(runId: "t", task: task.spec, repository: "/r", judge: "script", startedAt: Date(), environment: [:])
    let ids = only.isEmpty ? task.spec.cases.map(\.id) : only
    r.cases = ids.map { id in
        if outcome != .evaluated { return CaseResult(id: id, verdict: .skipped, reason: "Not run: \(outcome.rawValue).") }
        let fails = failing.contains(id)
        return CaseResult(id: id, verdict: fails ? .fail : .pass, reason: fails ? "It was not shown." : "Held.", evidence: Evidence(frames: ["\(id)-01"]))
    }
    r.outcome = outcome
    r.outcomeReason = outcome == .evaluated ? nil : "It did not \(outcome.rawValue)."
    r.status = status
    r.tally(total: ids.count)
    return r
}

/// Generators gen1 (alpha, beta) and gen2 (alpha only) in a scratch folder, and a run folder.
func layout() throws -> (root: URL, run: URL, generators: [Generator]) {
    let root = Scratch.directory("suiterun")
    for path in ["gen1/alpha", "gen1/beta", "gen2/alpha"] {
        try FileManager.default.createDirectory(at: root.appendingPathComponent(path), withIntermediateDirectories: true)
    }
    return (
        root, root.appendingPathComponent("run"),
        ["gen1", "gen2"].map { Generator(name: $0, directory: root.appendingPathComponent($0)) }
    )
}

/// The verdicts of a run, pair by pair, for comparing runs.
func verdicts(_ results: [PairResult]) -> [String] {
    results.map { r in "\(r.generator)/\(r.task) \(r.outcome.rawValue): " + r.cases.map { "\($0.id)=\($0.bucket)" }.joined(separator: " ") }
}

@Suite("Suite runs with a fake evaluator", .serialized, .timeLimit(.minutes(2)))
struct SuiteRunTests {
    /// gen1/beta fails b2 (and gen2's alpha hits AppJudge's error); gen2/beta has no repository.
    static let standard: @Sendable (Call) -> Result<TaskReport, RunError> = { call in
        switch (call.generator, call.task.spec.id) {
        case ("gen1", "beta"): .success(report(call.task, failing: ["b2"], only: call.cases))
        case ("gen2", "alpha"): .failure(.infrastructure("No display could be started."))
        default: .success(report(call.task, only: call.cases))
        }
    }

    @Test func everyPairEndsWithAnOutcomeAndEveryPairCounts() throws {
        let (root, run, generators) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let fake = FakeEvaluator(Self.standard)
        let runner = SuiteRunner(run: run, tasks: [alpha, beta], generators: generators, evaluator: fake)
        runner.jobs = 3
        let results = runner.execute()
        #expect(
            verdicts(results) == [
                "gen1/alpha evaluated: a1=pass a2=pass a3=pass", "gen1/beta evaluated: b1=pass b2=fail",
                "gen2/alpha infra_error: a1=skipped a2=skipped a3=skipped", "gen2/beta skipped: b1=skipped b2=skipped",
            ])
        // The pair with no repository was reported, not asked of the evaluator.
        #expect(fake.calls.sorted() == ["gen1/alpha", "gen1/beta", "gen2/alpha"])
        for r in results {
            let file = run.appendingPathComponent("pairs/\(r.generator)/\(r.task)/result.json")
            #expect(try JSONDecoder.report.decode(PairResult.self, from: Data(contentsOf: file)) == r)
        }
        #expect(results[1].cases[1].evidence == "pairs/gen1/beta/frames/b2-01.png")

        let summary = SuiteSummary(results, generators: ["gen1", "gen2"], planned: 4)
        #expect(summary.total.pairs == 4 && summary.unfinished == 0)
        #expect(summary.total.outcomes == ["evaluated": 2, "infra_error": 1, "skipped": 1, "build_failed": 0, "launch_failed": 0, "not_ready": 0, "crashed": 0])
        #expect(summary.generators[0].overall.strict == 0.75)
        #expect(summary.generators[0].scenarios["data"]?.strict == 0.5)
        // gen2 scored nothing it is answerable for: strict counts both pairs as 0, lenient has none.
        #expect(summary.generators[1].overall.strict == 0 && summary.generators[1].overall.lenient == nil)
        #expect(summary.problems.map(\.outcome) == [.infraError, .skipped])
    }

    @Test func aResumedRunRunsOnlyTheUnfinishedPairsAndEndsAsAnUninterruptedOne() throws {
        let (root, run, generators) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = SuiteRunner(
            run: root.appendingPathComponent("whole"), tasks: [alpha, beta], generators: generators, evaluator: FakeEvaluator(Self.standard)
        ).execute()

        // The second evaluation is cut short, as a kill would: it leaves a half-written folder and no result.
        let interrupt = Interrupt()
        let cut = FakeEvaluator { call in
            if call.generator == "gen1", call.task.spec.id == "beta" {
                interrupt.set()
                try? Data("{".utf8).write(to: run.appendingPathComponent("pairs/gen1/beta/report.json"))
                return .success(report(call.task, status: .interrupted))
            }
            return Self.standard(call)
        }
        try FileManager.default.createDirectory(at: run.appendingPathComponent("pairs/gen1/beta"), withIntermediateDirectories: true)
        let first = SuiteRunner(run: run, tasks: [alpha, beta], generators: generators, evaluator: cut, interrupt: interrupt).execute()
        #expect(verdicts(first) == ["gen1/alpha evaluated: a1=pass a2=pass a3=pass"])

        let again = FakeEvaluator(Self.standard)
        let resumed = SuiteRunner(run: run, tasks: [alpha, beta], generators: generators, evaluator: again).execute()
        #expect(again.calls == ["gen1/beta", "gen2/alpha"])
        #expect(verdicts(resumed) == verdicts(whole))
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("pairs/gen1/beta/report.json").path))
        let a = SuiteSummary(whole, generators: ["gen1", "gen2"], planned: 4)
        let b = SuiteSummary(resumed, generators: ["gen1", "gen2"], planned: 4)
        #expect(a == b)
    }

    @Test(arguments: [(1, Outcome.infraError, 2), (2, .evaluated, 3)])
    func infrastructureErrorsAreTriedAgainUpToK(retryInfra: Int, outcome: Outcome, attempts: Int) throws {
        let (root, run, generators) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        // AppJudge's browser fails twice, then works.
        let fake = FakeEvaluator { call in
            call.number < 2 ? .success(report(call.task, outcome: .infraError)) : .success(report(call.task))
        }
        let runner = SuiteRunner(run: run, tasks: [alpha], generators: [generators[0]], evaluator: fake)
        runner.retryInfra = retryInfra
        let r = try #require(runner.execute().first)
        #expect(r.outcome == outcome && r.attempts == attempts)
        if outcome == .evaluated { #expect(r.report == "pairs/gen1/alpha/attempts/infra-2/alpha") }
    }

    @Test func aCaseThatPassesOnlyOnARetryIsFlakyNeverAPlainPass() throws {
        let (root, run, generators) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        // a2 fails once then passes; a3 always fails.
        let fake = FakeEvaluator { call in
            .success(report(call.task, failing: call.number == 0 ? ["a2", "a3"] : ["a3"], only: call.cases))
        }
        let runner = SuiteRunner(run: run, tasks: [alpha], generators: [generators[0]], evaluator: fake)
        runner.retries = 2
        let r = try #require(runner.execute().first)
        #expect(fake.calls == ["gen1/alpha", "gen1/alpha[a2,a3]", "gen1/alpha[a3]"])
        #expect(r.cases.map(\.bucket) == ["pass", "flaky", "fail"])
        #expect(r.cases[1].attempts == 2 && r.cases[1].evidence == "pairs/gen1/alpha/frames/a2-01.png")
        #expect(r.cases[1].retryEvidence == ["pairs/gen1/alpha/attempts/retry-1/alpha/frames/a2-01.png"])
        #expect(r.cases[2].attempts == 3 && r.cases[2].retryEvidence.count == 2)
        let summary = SuiteSummary([r], generators: ["gen1"], planned: 1)
        #expect(summary.total.cases["pass"] == 1 && summary.total.cases["flaky"] == 1 && summary.total.cases["fail"] == 1)
        #expect(JUnitReport.render([r]).contains("<system-out>flaky:"))
    }

    @Test func aRetryThatCouldNotRunIsSaidInTheCasesReason() throws {
        let (root, run, generators) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let fake = FakeEvaluator { call in
            call.number == 0 ? .success(report(call.task, failing: ["a3"], only: call.cases)) : .failure(.infrastructure("No display could be started."))
        }
        let runner = SuiteRunner(run: run, tasks: [alpha], generators: [generators[0]], evaluator: fake)
        runner.retries = 1
        let r = try #require(runner.execute().first)
        #expect(r.cases[2].verdict == .fail && r.cases[2].attempts == 1)
        #expect(r.cases[2].reason.hasSuffix("(Retry 1 could not run: No display could be started.)"), "\(r.cases[2].reason)")
        #expect(!r.cases[1].reason.contains("Retry"))
    }

    @Test func junitMapsVerdictsAndOutcomesAndNamesTheEvidence() throws {
        let ran = PairResult(
            generator: "g", task: "alpha", scenario: "display", repository: "/r", outcome: .evaluated, reason: nil,
            cases: [
                PairCase(id: "a1", verdict: .pass, reason: "ok"),
                PairCase(id: "a2", verdict: .fail, reason: "No \"Total\" <shown> & more.", evidence: "pairs/g/alpha/frames/a2-03.png"),
                PairCase(id: "a3", verdict: .uncertain, reason: "Two buttons named Add."),
                PairCase(id: "a4", verdict: .error, reason: "The app crashed."),
            ])
        let down = PairResult(
            generator: "g", task: "beta", scenario: "data", repository: "/r", outcome: .buildFailed, reason: "npm install failed.",
            cases: [PairCase(id: "b1", verdict: .skipped, reason: "Not run: build_failed.")])
        let missing = PairResult(
            generator: "g", task: "gamma", scenario: "data", repository: "/r", outcome: .skipped, reason: "no folder",
            cases: [PairCase(id: "c1", verdict: .skipped, reason: "Not run: no folder.")])
        let xml = try XMLDocument(xmlString: JUnitReport.render([ran, down, missing]))
        let root = try #require(xml.rootElement())
        #expect(root.attribute(forName: "tests")?.stringValue == "6")
        #expect(root.attribute(forName: "failures")?.stringValue == "2")
        #expect(root.attribute(forName: "errors")?.stringValue == "2")
        #expect(root.attribute(forName: "skipped")?.stringValue == "1")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { $0.attribute(forName: "name")?.stringValue } == ["g/alpha", "g/beta", "g/gamma"])
        let failure = try #require(try xml.nodes(forXPath: "//testcase[@name='a2']/failure").first)
        #expect(failure.stringValue == "No \"Total\" <shown> & more.\nevidence: pairs/g/alpha/frames/a2-03.png")
        #expect(try xml.nodes(forXPath: "//testcase[@name='a3']/failure[@type='uncertain']").count == 1)
        #expect(try xml.nodes(forXPath: "//testcase[@name='b1']/error[@type='build_failed']").count == 1)
        #expect(try xml.nodes(forXPath: "//testcase[@name='c1']/skipped").count == 1)

        let md = MarkdownSummary.render(SuiteSummary([ran, down, missing], generators: ["g"], planned: 3), results: [ran, down, missing])
        #expect(md.contains("| g | alpha | a2 | fail | No \"Total\" <shown> & more. | `pairs/g/alpha/frames/a2-03.png` |"))
        #expect(md.contains("- g/beta: build_failed: npm install failed."))
        #expect(md.contains("- g/gamma: skipped: no folder"))
        #expect(!md.contains("| b1 |"))
    }
}

@Suite("The suite's gate and its sweep of a killed run", .serialized, .timeLimit(.minutes(2)))
struct SuiteGateAndSweepTests {
    @Test func theGateFailsOnTheScoreOrTheVerdictsAskedFor() {
        let r = PairResult(
            generator: "g", task: "t", scenario: "data", repository: "/r", outcome: .evaluated, reason: nil,
            cases: [PairCase(id: "a", verdict: .pass, reason: ""), PairCase(id: "b", verdict: .uncertain, reason: "")])
        let summary = SuiteSummary([r], generators: ["g"], planned: 1)
        #expect(SuiteGate(minScore: 0.5, failOn: []).check(summary, results: [r]).isEmpty)
        #expect(SuiteGate(minScore: 0.6, failOn: []).check(summary, results: [r]).count == 1)
        #expect(SuiteGate(minScore: nil, failOn: [.fail]).check(summary, results: [r]).isEmpty)
        #expect(SuiteGate(minScore: nil, failOn: [.uncertain]).check(summary, results: [r]).first?.contains("g/t/b") == true)
    }

    @Test func theSweepTakesTheTaggedLeftoversAndNothingElse() throws {
        let scratch = Scratch.directory("sweep")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let lock = SuiteLock(pid: 1, started: 0, tag: "stest\(getpid())", workFolder: scratch.appendingPathComponent("appjudge-suite-x").path)
        try FileManager.default.createDirectory(atPath: lock.workFolder + "/appjudge-1234/repo", withIntermediateDirectories: true)
        // A process of the killed run names its work folder; another process does not.
        let ours = try ChildProcess(Command("/bin/sh", ["-c", "sleep 30", lock.workFolder + "/appjudge-1234"]))
        let theirs = try ChildProcess(Command("/bin/sh", ["-c", "sleep 30", scratch.path + "/other"]))
        defer { _ = theirs.terminate() }
        setenv(ControlGroup.runTagVariable, lock.tag, 1)
        let group = ControlGroup.create(name: "case-1", limits: ResourceLimits())
        unsetenv(ControlGroup.runTagVariable)

        let swept = SuiteSweep.sweep(lock)
        #expect(ours.wait(timeout: 5) == .signalled(SIGKILL))
        #expect(theirs.isRunning)
        #expect(swept.processes >= 1 && swept.workFolder)
        #expect(!FileManager.default.fileExists(atPath: lock.workFolder))
        if let group {
            // Only where this host lets AppJudge make control groups.
            #expect(group.directories.allSatisfy { $0.contains("appjudge-\(lock.tag)-case-1") && !FileManager.default.fileExists(atPath: $0) })
            #expect(swept.groups == group.directories.count)
        }
    }
}

@Suite("Bad suite input is one sentence naming what to fix", .timeLimit(.minutes(1)))
struct SuiteInputTests {
    @Test(arguments: [
        (["--tasks", "t", "--repos", "r", "--jobs", "0"], "--jobs must be a whole number from 1 to 64, not '0'."),
        (["--tasks", "t", "--repos", "r", "--fail-on", "skipped"], "--fail-on takes fail, uncertain and error (comma-separated), not 'skipped'."),
        (["--tasks", "t", "--repos", "r", "--min-score", "90"], "--min-score must be a number from 0 to 1, not '90'."),
        (["--tasks", "t"], "suite needs --tasks DIR and at least one --repos DIR (or --resume RUN). Run 'appjudge --help' for usage."),
        (
            ["--resume", "r", "--repos", "x"],
            "--resume RUN takes the tasks, repositories, shard and judge from RUN/run.json; leave out --tasks, --repos, --task-ids, --out, --shard, --durations and the judge's options."
        ),
        (["--tasks", "t", "--repos", "r", "--shard", "3/2"], "--shard must be K/N with 1 <= K <= N (shard K of N, like 2/4), not '3/2'."),
        (["--tasks", "t", "--repos", "r", "--durations", "old"], "--durations RUN balances shards; give it with --shard K/N."),
    ])
    func optionsAreChecked(arguments: [String], message: String) {
        #expect(throws: Problem.self) { try AppJudgeCLI.parseSuite(arguments) }
        do {
            _ = try AppJudgeCLI.parseSuite(arguments)
        } catch {
            #expect(error.message == message)
            #expect(error.code == ExitCode.badInput)
        }
    }

    @Test func foldersTaskIdsAndGeneratorNamesAreChecked() throws {
        let (root, _, _) = try layout()
        defer { try? FileManager.default.removeItem(at: root) }
        let tasks = Repo.root.appendingPathComponent("tasks").path
        func problem(_ args: [String]) -> String? {
            do {
                _ = try SuitePlan.fresh(try AppJudgeCLI.parseSuite(args), cwd: URL(fileURLWithPath: root.path + "/"), arguments: args)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(problem(["--tasks", "nowhere", "--repos", "gen1"])?.hasPrefix("--tasks \(root.path)/nowhere: no such folder") == true)
        #expect(problem(["--tasks", tasks, "--repos", "gen1", "--task-ids", "todo-list,nope"])?.hasPrefix("--task-ids: no task 'nope' in") == true)
        #expect(problem(["--tasks", tasks, "--repos", "gen3"]) == "--repos gen3: no such folder; give a folder with one repository folder per task id, optionally as NAME=DIR.")
        #expect(
            problem(["--tasks", tasks, "--repos", "gen1", "--repos", "gen1=gen2", "--task-ids", "todo-list"])
                == "--repos gen1=gen2: a second generator named 'gen1'; give each its own name as NAME=DIR.")
    }
}

@Suite("The lock of a suite run", .timeLimit(.minutes(1)))
struct SuiteLockTests {
    /// A resume right after a kill -9 finds the process gone or a zombie: neither holds the run.
    @Test func aKilledProcessHoldsNothingEvenBeforeItIsReaped() throws {
        let child = try ChildProcess(Command("/bin/sleep", ["30"]))
        let started = try #require(SuiteLock.startTime(child.pid))
        let lock = SuiteLock(pid: child.pid, started: started, tag: "t", workFolder: "/nonexistent")
        #expect(lock.isHeld)
        #expect(!SuiteLock(pid: child.pid, started: started + 1, tag: "t", workFolder: "/nonexistent").isHeld)
        kill(child.pid, SIGKILL)
        // Not reaped yet: a zombie until `wait` below.
        for _ in 0..<100 where lock.isHeld { usleep(20_000) }
        #expect(!lock.isHeld)
        #expect(child.wait(timeout: 5) == .signalled(SIGKILL))
        #expect(!lock.isHeld)
    }
}

@Suite("Shards of a suite run and their merge", .serialized, .timeLimit(.minutes(2)))
struct SuiteShardTests {
    static let taskIds = ["todo-list", "calculator", "link-tree", "business-card", "mini-shop"]

    /// gen1 has every task, gen2 all but mini-shop (a skipped pair); gen1's calculator fails a
    /// case and gen2's link-tree hits AppJudge's error.
    static func generators() throws -> URL {
        let root = Scratch.directory("shards")
        for g in ["gen1", "gen2"] {
            for t in taskIds where !(g == "gen2" && t == "mini-shop") {
                try FileManager.default.createDirectory(at: root.appendingPathComponent("\(g)/\(t)"), withIntermediateDirectories: true)
            }
        }
        return root
    }

    static let answer: @Sendable (Call) -> Result<TaskReport, RunError> = { call in
        switch (call.generator, call.task.spec.id) {
        case ("gen1", "calculator"): .success(report(call.task, failing: [call.task.spec.cases[1].id], only: call.cases))
        case ("gen2", "link-tree"): .failure(.infrastructure("No display could be started."))
        default: .success(report(call.task, only: call.cases))
        }
    }

    /// Plans a run from `extra` arguments and runs it with the fake evaluator.
    static func run(_ root: URL, _ extra: [String]) throws -> (plan: SuitePlan, results: [PairResult]) {
        let args =
            ["--tasks", Repo.root.appendingPathComponent("tasks").path, "--repos", "gen1", "--repos", "gen2", "--task-ids", taskIds.joined(separator: ",")]
            + extra
        let plan = try SuitePlan.fresh(try AppJudgeCLI.parseSuite(args), cwd: URL(fileURLWithPath: root.path + "/"), arguments: args)
        let runner = SuiteRunner(run: plan.run, tasks: plan.tasks, generators: plan.generators, evaluator: FakeEvaluator(answer))
        runner.only = plan.pairs
        let results = runner.execute()
        #expect(SuiteOutputsWriter(run: plan.run, manifest: plan.manifest, planned: runner.pairs.count).write(results).error == nil)
        return (plan, results)
    }

    @Test func theDealIsTheSameWhateverTheOrderAndBalanced() {
        var forward: [String: Double] = [:], backward: [String: Double] = [:]
        let weights = (0..<40).map { ("g\($0 % 3)/t\($0)", Double(5 + ($0 * 7) % 13)) }
        for (k, w) in weights { forward[k] = w }
        for (k, w) in weights.reversed() { backward[k] = w }
        for n in [1, 2, 3, 4, 7] {
            let a = SuitePartition.assign(forward, shards: n)
            #expect(a == SuitePartition.assign(backward, shards: n))
            #expect(Set(a.values).isSubset(of: Set(1...n)) && a.count == 40)
            let loads = (1...n).map { k in a.filter { $0.value == k }.map { forward[$0.key]! }.reduce(0, +) }
            // Greedy on the heaviest first: no shard exceeds another by more than the heaviest pair.
            #expect(loads.max()! - loads.min()! <= 17)
        }
    }

    @Test func shardsMergedEqualAnUnshardedRunVerdictForVerdict() throws {
        let root = try Self.generators()
        defer { try? FileManager.default.removeItem(at: root) }
        let whole = try Self.run(root, ["--out", "whole"])
        #expect(whole.results.count == 10)
        var shardRuns: [URL] = []
        var seen: [String] = []
        for k in 1...3 {
            let shard = try Self.run(root, ["--out", "shard-\(k)", "--shard", "\(k)/3"])
            let pairs = try #require(shard.plan.manifest.shard).pairs
            #expect(!pairs.isEmpty && shard.results.count == pairs.count)
            seen += pairs
            shardRuns.append(shard.plan.run)
        }
        #expect(seen.count == 10 && Set(seen).count == 10)

        let merged = root.appendingPathComponent("merged")
        let (manifest, results) = try SuiteMerge.merge(shardRuns.reversed(), into: merged, arguments: ["merge"])
        #expect(verdicts(results) == verdicts(whole.results))
        #expect(manifest.shard == nil && manifest.tasks == whole.plan.manifest.tasks)
        let summary = SuiteOutputsWriter(run: merged, manifest: manifest, planned: results.count).write(results)
        #expect(summary.error == nil)
        let wholeSummary = SuiteSummary(whole.results, generators: ["gen1", "gen2"], planned: 10)
        #expect(summary.summary.generators.map(\.overall) == wholeSummary.generators.map(\.overall))
        #expect(summary.summary.total == wholeSummary.total)
        // Evidence paths are relative to the run folder and still lead to the pair's files.
        for r in results {
            #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent("pairs/\(r.generator)/\(r.task)/result.json").path))
        }
        for file in ["run.json", "summary.json", "junit.xml", "summary.md", "summary.html"] {
            #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent(file).path))
        }

        // Balanced by the durations of the whole run, the deal is recorded as such.
        let timed = try Self.run(root, ["--out", "timed-1", "--shard", "1/2", "--durations", "whole"])
        #expect(timed.plan.manifest.shard?.balancedBy == "durations")
    }

    @Test func mergeRefusesWhatIsNotOneRunAndNamesMissingPairs() throws {
        let root = try Self.generators()
        defer { try? FileManager.default.removeItem(at: root) }
        let shards = try (1...2).map { k in try Self.run(root, ["--out", "s\(k)", "--shard", "\(k)/2"]).plan }
        func problem(_ runs: [URL], out: String) -> String? {
            do {
                _ = try SuiteMerge.merge(runs, into: root.appendingPathComponent(out), arguments: ["merge"])
                return nil
            } catch {
                return error.message
            }
        }
        let missing = try #require(problem([shards[0].run], out: "m1"))
        #expect(missing.contains("\(shards[1].pairs!.count) pair(s) have no result: "))
        #expect(missing.hasSuffix("shard 2/2 is not among the folders given."))
        #expect(problem([shards[0].run, shards[0].run], out: "m2")?.contains("are both shard 1/2") == true)

        let whole = try Self.run(root, ["--out", "whole"]).plan
        #expect(problem([whole.run], out: "m3")?.contains("is a whole run, not a shard") == true)

        // A shard judged by another model is not part of the same run.
        let file = shards[1].run.appendingPathComponent("run.json")
        var manifest = try JSONDecoder.report.decode(SuiteManifest.self, from: Data(contentsOf: file))
        manifest.judge = "llm"
        try JSONEncoder.report.encode(manifest).write(to: file)
        #expect(problem(shards.map(\.run), out: "m4")?.contains("differ in run.json judge") == true)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("m4").path))
    }
}
