import Foundation
import Judge
import Reports
import Suite

/// One task of a suite plan.
public struct PlannedTask: Sendable {
    public var directory: URL
    public var spec: TaskSpec
    public init(directory: URL, spec: TaskSpec) {
        self.directory = directory
        self.spec = spec
    }
}

/// One generator: a folder with a repository per task id.
public struct Generator: Sendable, Equatable {
    public var name: String
    public var directory: URL
    public init(name: String, directory: URL) {
        self.name = name
        self.directory = directory
    }
}

/// One evaluation the suite asks for: a task on a repository, some or all of its cases, its
/// report written to `<output>/<task-id>/`.
public struct PairRequest: Sendable {
    public var task: PlannedTask
    public var repository: URL
    public var output: URL
    /// Only these cases (all when empty): a retry of the cases that failed.
    public var cases: [String]
}

/// The seam between suite logic and the engine: evaluates one pair. The real one runs an
/// `Evaluation`; tests put a fake here to drive resume, retries and summaries in-process.
public protocol PairEvaluator: Sendable {
    /// Returns the report (also when the app failed to build or start), or the error that
    /// stopped the evaluation before it had one.
    func evaluate(_ request: PairRequest) -> Result<TaskReport, RunError>
}

/// The real evaluator: an `Evaluation` per pair, with its own displays and sandboxes.
public struct EnginePairEvaluator: PairEvaluator {
    public var template: EvaluationOptions
    let interrupt: Interrupt
    /// The suite's run folder: a replay of an earlier suite run answers each pair (and each
    /// retry) from the same place in that run.
    let run: URL?

    /// - Parameter template: options every pair shares (sandbox folder, workers, limits);
    ///   task, repository, output and case filter are set per request.
    public init(template: EvaluationOptions, interrupt: Interrupt, run: URL? = nil) {
        self.template = template
        self.interrupt = interrupt
        self.run = run
    }

    public func evaluate(_ request: PairRequest) -> Result<TaskReport, RunError> {
        var options = template
        options.task = request.task.directory
        options.repository = request.repository
        options.output = request.output
        options.caseFilter = request.cases
        if let replay = template.agent?.replay, let run, FileManager.default.fileExists(atPath: replay.appendingPathComponent("run.json").path) {
            let pair = replay.appendingPathComponent(request.output.path(inside: run) ?? "")
            options.agent?.replay = pair
            // A pair the earlier run has no records of is not the app's fault: AppJudge cannot judge it here.
            if options.agent?.replayStore(task: request.task.spec.id) == nil {
                return .failure(
                    .infrastructure(
                        "\(replay.path) holds no recorded model calls for this pair (no \(pair.path)/\(request.task.spec.id)/llm/index.jsonl); the earlier run did not judge it with the model."
                    ))
            }
        }
        do {
            return .success(try Evaluation(options: options, interrupt: interrupt).run().0)
        } catch {
            return .failure(error)
        }
    }
}

/// A suite run: every task x generator pair, `jobs` at a time, each pair's result written
/// atomically to `<run>/pairs/<generator>/<task>/result.json` when it ends. Pairs that already
/// have a result are not run again, which is all `--resume` needs.
public final class SuiteRunner: @unchecked Sendable {
    public let run: URL
    public let tasks: [PlannedTask]
    public let generators: [Generator]
    let evaluator: any PairEvaluator
    public var jobs = 1
    /// Evaluations of a pair that ended in infra_error before it is reported so.
    public var retryInfra = 0
    /// Re-runs of the cases that failed, each on a fresh app.
    public var retries = 0
    let interrupt: Interrupt
    /// Called when a pair starts and when it ends (with its result), from worker threads.
    public var onStart: (@Sendable (_ generator: String, _ task: String) -> Void)?
    public var onResult: (@Sendable (PairResult) -> Void)?

    public init(run: URL, tasks: [PlannedTask], generators: [Generator], evaluator: any PairEvaluator, interrupt: Interrupt = Interrupt()) {
        self.run = run
        self.tasks = tasks
        self.generators = generators
        self.evaluator = evaluator
        self.interrupt = interrupt
    }

    /// When this run is one shard: its pairs, as `generator/task`.
    public var only: Set<String>?

    /// The plan's pairs (this shard's, when it is one), generator by generator, in task order.
    public var pairs: [(generator: Generator, task: PlannedTask)] {
        generators.flatMap { g in tasks.map { (g, $0) } }.filter { only?.contains(pairKey($0.0.name, $0.1.spec.id)) ?? true }
    }

    public func pairDirectory(_ generator: String, _ task: String) -> URL {
        run.appendingPathComponent("pairs").appendingPathComponent(generator).appendingPathComponent(task)
    }

    /// The results already written, in plan order. An unreadable result.json is left out (its
    /// pair is run again) and named in `problems`.
    public func finished(problems: inout [String]) -> [PairResult] {
        pairs.compactMap { g, t in
            let file = pairDirectory(g.name, t.spec.id).appendingPathComponent("result.json")
            guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
            do {
                return try JSONDecoder.report.decode(PairResult.self, from: data)
            } catch {
                problems.append("\(file.path) is unreadable (\(error)); the pair is evaluated again.")
                return nil
            }
        }
    }

    /// Runs every pair without a result. Returns all results in plan order; pairs cut short by
    /// an interrupt have none.
    public func execute() -> [PairResult] {
        var ignored: [String] = []
        let done = Set(finished(problems: &ignored).map(\.key))
        let todo = pairs.filter { !done.contains(pairKey($0.generator.name, $0.task.spec.id)) }
        eachIndex(todo.count, jobs: jobs, until: { [interrupt] in interrupt.isSet }) { [self] index in
            let (generator, task) = todo[index]
            onStart?(generator.name, task.spec.id)
            guard let result = evaluate(generator, task) else { return }
            let directory = pairDirectory(generator.name, task.spec.id)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try AtomicFile.write(try JSONEncoder.report.encode(result), to: directory.appendingPathComponent("result.json"))
            } catch {
                // Without its result the pair is not done: the run reports it unfinished and a resume runs it again.
                FileHandle.standardError.write(Data("appjudge: cannot write the result of \(generator.name)/\(task.spec.id): \(error.localizedDescription)\n".utf8))
                return
            }
            onResult?(result)
        }
        return finished(problems: &ignored)
    }

    /// One pair, with its retries. Nil when an interrupt cut it short (no result is written).
    func evaluate(_ generator: Generator, _ task: PlannedTask) -> PairResult? {
        let started = Date()
        let spec = task.spec
        let directory = pairDirectory(generator.name, spec.id)
        let repository = generator.directory.appendingPathComponent(spec.id)
        let weights = Dictionary(uniqueKeysWithValues: spec.cases.map { ($0.id, $0.weight ?? 1) })
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository.path, isDirectory: &isDir), isDir.boolValue else {
            let reason = "\(generator.name) has no repository for \(spec.id) (no folder \(repository.path))."
            return PairResult(
                generator: generator.name, task: spec.id, scenario: spec.scenario.rawValue, repository: repository.path, outcome: .skipped,
                reason: reason, cases: spec.cases.map { PairCase(id: $0.id, verdict: .skipped, reason: "Not run: \(reason)", weight: weights[$0.id] ?? 1) },
                seconds: Date().timeIntervalSince(started))
        }
        // What an earlier, killed run left of this pair is half-written; it starts over.
        try? FileManager.default.removeItem(at: directory)

        var attempts = 0
        var report: TaskReport?
        var failure: RunError?
        var reportFolder = directory
        while attempts <= retryInfra {
            // The first attempt writes where `appjudge run --out <pairs/generator>` would; later ones keep it.
            let output = attempts == 0 ? directory.deletingLastPathComponent() : directory.appendingPathComponent("attempts/infra-\(attempts)")
            attempts += 1
            switch evaluator.evaluate(PairRequest(task: task, repository: repository, output: output, cases: [])) {
            case .success(let r):
                report = r
                failure = nil
                reportFolder = output.appendingPathComponent(spec.id)
            case .failure(let e):
                report = nil
                failure = e
            }
            if interrupt.isSet || report?.status == .interrupted { return nil }
            let infra = report?.outcome == .infraError || { if case .infrastructure = failure { true } else { false } }()
            if !infra { break }
        }
        var result: PairResult
        if let report {
            result = PairResult(
                generator: generator.name, task: spec.id, scenario: spec.scenario.rawValue, repository: repository.path,
                outcome: report.outcome, reason: report.outcomeReason,
                cases: report.cases.map { c in
                    PairCase(
                        id: c.id, verdict: c.verdict, reason: c.reason, weight: weights[c.id] ?? 1,
                        evidence: c.evidence.frames.last.map { relative(reportFolder.appendingPathComponent("frames/\($0).png")) })
                },
                attempts: attempts, report: relative(reportFolder))
        } else {
            let error = failure ?? .infrastructure("The evaluation ended without a report.")
            // An input error here is the repository's (not a folder AppJudge can copy, say): the app is answerable.
            let outcome: Outcome = if case .input = error { .buildFailed } else { .infraError }
            result = PairResult(
                generator: generator.name, task: spec.id, scenario: spec.scenario.rawValue, repository: repository.path, outcome: outcome,
                reason: error.description,
                cases: spec.cases.map { PairCase(id: $0.id, verdict: .skipped, reason: "Not run: \(outcome.rawValue).", weight: weights[$0.id] ?? 1) },
                attempts: attempts)
        }
        if result.outcome == .evaluated, retries > 0 {
            guard retryFailedCases(&result, task: task, repository: repository, directory: directory) else { return nil }
        }
        result.seconds = Date().timeIntervalSince(started)
        return result
    }

    /// Runs the cases that failed or errored again, each on a fresh app, up to `retries` times.
    /// A case that passes on a retry becomes flaky; one that never does keeps its first verdict
    /// and evidence, with the retries' evidence beside it. False when interrupted.
    func retryFailedCases(_ result: inout PairResult, task: PlannedTask, repository: URL, directory: URL) -> Bool {
        for round in 1...retries {
            let failing = result.cases.filter { !$0.flaky && ($0.verdict == .fail || $0.verdict == .error) }.map(\.id)
            guard !failing.isEmpty else { break }
            let output = directory.appendingPathComponent("attempts/retry-\(round)")
            let again = evaluator.evaluate(PairRequest(task: task, repository: repository, output: output, cases: failing))
            if interrupt.isSet { return false }
            guard case .success(let report) = again, report.status == .completed else {
                // A retry that could not run proves nothing either way; the cases say so.
                let why: String =
                    switch again {
                    case .failure(let error): error.description
                    case .success(let report): "its evaluation ended \(report.status.rawValue)"
                    }
                for i in result.cases.indices where failing.contains(result.cases[i].id) {
                    result.cases[i].reason += " (Retry \(round) could not run: \(why))"
                }
                continue
            }
            let folder = output.appendingPathComponent(task.spec.id)
            for retried in report.cases {
                guard let i = result.cases.firstIndex(where: { $0.id == retried.id }) else { continue }
                result.cases[i].attempts += 1
                if let frame = retried.evidence.frames.last {
                    result.cases[i].retryEvidence.append(relative(folder.appendingPathComponent("frames/\(frame).png")))
                }
                if retried.verdict == .pass {
                    result.cases[i].verdict = .pass
                    result.cases[i].flaky = true
                    result.cases[i].reason = "Flaky: passed on retry \(round) after failing: \(result.cases[i].reason)"
                }
            }
        }
        return true
    }

    /// A path inside the run folder, relative to it.
    func relative(_ url: URL) -> String { url.path(inside: run) ?? url.standardizedFileURL.path }
}

extension URL {
    /// This path relative to `folder` when it lies inside it, else nil.
    func path(inside folder: URL) -> String? {
        let base = folder.standardizedFileURL.path + "/", path = standardizedFileURL.path
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : nil
    }
}

/// Runs `body` once for every index below `count` (in order of the indexes), at most `jobs` at
/// once, each on a thread of its own; claims no more indexes once `stop` says so. Returns when
/// every started index has ended. Evaluations mostly wait on their apps and browsers, so jobs
/// are threads, not tasks of a pool sized to the cores.
public func eachIndex(_ count: Int, jobs: Int, until stop: @escaping @Sendable () -> Bool = { false }, _ body: @escaping @Sendable (Int) -> Void) {
    let queue = SharedQueue(count)
    onThreads(max(1, min(jobs, count))) { _ in
        while !stop(), let index = queue.claim() { body(index) }
    }
}

/// Hands out indexes below a count to several threads, each once.
final class SharedQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    init(_ count: Int) { self.count = count }
    func claim() -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }
}
