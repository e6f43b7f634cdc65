import Desktop
import Foundation
import HTTP
import Imaging
import Judge
import Perception
import Processes
import Reports
import Sandbox
import Suite

/// What to evaluate and where to write it.
public struct EvaluationOptions: Sendable {
    public var task: URL
    public var repository: URL
    /// The run folder; the task's report goes to `<output>/<task-id>/`.
    public var output: URL
    public var runId: String
    /// Only these case ids (all when empty).
    public var caseFilter: [String] = []
    /// Where the sandbox launchers live (the repository's sandbox/ folder).
    public var sandboxDirectory: URL
    /// Seconds a browser may take to show the page once the app's server answers.
    public var readyTimeout = 20.0
    /// Limits of every sandboxed phase.
    public var limits = ResourceLimits()
    /// Cases evaluated at once, each on its own private display.
    public var workers = 2
    /// The LLM agent judge; nil for the script judge.
    public var agent: AgentOptions?
    /// Record missing reference screenshots from this app (validating a task's reference).
    public var recordScreens = false
    /// No install: use what the repository commits (`--offline`).
    public var offline = false
    /// Displays and browsers to take the workers' from and give them back to, for runs of
    /// many evaluations; nil starts and stops them with this evaluation.
    public var stations: StationPool?

    public init(task: URL, repository: URL, output: URL, runId: String, sandboxDirectory: URL) {
        self.task = task
        self.repository = repository
        self.output = output
        self.runId = runId
        self.sandboxDirectory = sandboxDirectory
    }
}

/// How the agent judge is set up for an evaluation.
public struct AgentOptions: Sendable {
    public var model: ModelSettings
    public var settings = AgentSettings()
    public var prices = PriceTable()
    /// Tokens and dollars the whole task may spend.
    public var taskTokens = 2_000_000
    public var taskDollars = 5.0
    /// A previous run (its folder, or one task's report folder) to answer every model call
    /// from, with no network.
    public var replay: URL?
    public var transport: any HTTPTransport = CurlTransport()

    public init(model: ModelSettings) { self.model = model }

    /// The recorded exchanges of `task` under a replay folder, if there are any.
    func replayStore(task: String) -> URL? {
        guard let replay else { return nil }
        return [replay.appendingPathComponent(task).appendingPathComponent("llm"), replay.appendingPathComponent("llm")]
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("index.jsonl").path) }
    }
}

/// The files of one task's report.
public struct ReportLocation: Sendable {
    public var directory: URL
    public var json: URL { directory.appendingPathComponent("report.json") }
    public var html: URL { directory.appendingPathComponent("report.html") }
    public var trace: URL { directory.appendingPathComponent("trace.jsonl") }
}

/// One task evaluated on one repository, end to end: load, prepare, start the display, run
/// each case on a freshly launched app, judge, report, tear down.
public final class Evaluation: @unchecked Sendable {
    public let options: EvaluationOptions
    let interrupt: Interrupt
    /// The running evaluation's trace, for events deep inside a case.
    private var trace: TraceWriter?
    /// Called after each case, for progress output.
    public var onCase: (@Sendable (CaseResult) -> Void)?
    /// Called once the input is checked and the displays are up, before the first case.
    public var onStart: ((TaskSpec, _ cases: Int, _ workers: Int) -> Void)?

    public init(options: EvaluationOptions, interrupt: Interrupt = Interrupt()) {
        self.options = options
        self.interrupt = interrupt
    }

    /// Runs the evaluation. Throws only when nothing could be evaluated for a reason that is
    /// the input's or the host's; everything after the report folder exists ends in a report.
    public func run() throws(RunError) -> (TaskReport, ReportLocation) {
        let loaded: LoadedTask
        do {
            loaded = try TaskLoader.load(directory: options.task)
        } catch {
            throw .input(error.description)
        }
        let spec = loaded.spec
        let cases = options.caseFilter.isEmpty ? spec.cases : spec.cases.filter { options.caseFilter.contains($0.id) }
        guard !cases.isEmpty else {
            throw .input("No case of \(options.task.path) matches --case \(options.caseFilter.joined(separator: ",")).")
        }
        for file in ["launch-web.sh", "ready.py", "stacks"]
        where !FileManager.default.fileExists(atPath: options.sandboxDirectory.appendingPathComponent(file).path) {
            throw .infrastructure(
                "The sandbox support file \(options.sandboxDirectory.appendingPathComponent(file).path) is missing; run appjudge from its repository or set APPJUDGE_HOME."
            )
        }
        do {
            try HostTools.check()
        } catch {
            throw RunError(error)
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.repository.path, isDirectory: &isDir), isDir.boolValue else {
            throw RunError(SandboxError.repositoryMissing(options.repository.path))
        }

        let location = ReportLocation(directory: options.output.appendingPathComponent(spec.id))
        let frames: FrameDirectory
        let logs = location.directory.appendingPathComponent("logs")
        do {
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            frames = try FrameDirectory(url: location.directory.appendingPathComponent("frames"))
        } catch {
            throw .infrastructure("Cannot write the report folder \(location.directory.path): \(error.localizedDescription)")
        }
        let trace = TraceWriter(url: location.trace)
        self.trace = trace
        var agentJudge: AgentJudge?
        if let options = options.agent {
            let mode: ModelClient.Mode
            var recorder: ExchangeStore?
            do {
                if options.replay != nil {
                    guard let store = options.replayStore(task: spec.id) else {
                        throw RunError.input(
                            "\(options.replay!.path) holds no recorded model calls for task \(spec.id) (no \(spec.id)/llm/index.jsonl); give the folder of a run made with --judge llm."
                        )
                    }
                    mode = .replay(try ExchangeStore(directory: store))
                } else {
                    mode = .live(options.transport)
                    recorder = try ExchangeStore(directory: location.directory.appendingPathComponent("llm"))
                }
            } catch let error as RunError {
                throw error
            } catch {
                throw .infrastructure("Cannot open the model records: \(error.localizedDescription)")
            }
            agentJudge = AgentJudge(
                client: ModelClient(settings: options.model, mode: mode, recorder: recorder), prices: options.prices, settings: options.settings,
                ledger: TaskLedger(maxTokens: options.taskTokens, maxDollars: options.taskDollars))
        }
        let agent = agentJudge
        let judgeName = options.agent.map { "llm:\($0.model.provider.name)/\($0.model.model)" + ($0.replay != nil ? " (replay)" : "") } ?? "script"
        let started = Date()
        var report = TaskReport(
            runId: options.runId, task: spec, repository: options.repository.path, judge: judgeName,
            startedAt: started, environment: Self.environment())
        report.limit(to: cases.map(\.id))
        let writeFailure = FirstError()
        @Sendable func save(_ report: inout TaskReport) {
            report.seconds = Date().timeIntervalSince(started)
            if let agent { report.modelUsage = agent.ledger.usage }
            report.tally(total: cases.count)
            do {
                try Self.write(report, frames: frames, to: location)
            } catch {
                // The cases go on (a later write may succeed); the run ends with this error.
                writeFailure.set(error)
            }
        }
        save(&report)
        trace.record("evaluation_start", ["task": spec.id, "repository": options.repository.path, "cases": cases.count])
        /// Ends the evaluation before any case ran: every case is skipped, the report says why.
        func end(_ outcome: Outcome, _ reason: String, logTail: String? = nil) -> (TaskReport, ReportLocation) {
            report.outcome = outcome
            report.outcomeReason = reason
            report.logTail = logTail
            report.cases = cases.map { CaseResult(id: $0.id, verdict: .skipped, reason: "Not run: \(outcome.rawValue).") }
            report.status = .completed
            trace.record("evaluation_end", ["status": report.status.rawValue, "outcome": outcome.rawValue])
            save(&report)
            return (report, location)
        }

        // Install and build once, in the sandbox; each case then starts its own copy.
        let prepared: PreparedApp
        let preparing: Result<PreparedApp, PreparedApp.Failure>
        do {
            preparing = try PreparedApp.prepare(
                repository: options.repository, app: spec.app,
                assets: spec.assets.map { (loaded.directory.appendingPathComponent($0), $0) }, support: options.sandboxDirectory,
                limits: options.limits, logs: logs,
                record: { trace.record($0, $1) }, offline: options.offline)
        } catch {
            _ = end(.infraError, error.description)
            throw RunError(error)
        }
        switch preparing {
        case .success(let app): prepared = app
        case .failure(let failure):
            report.build = failure.build
            let ended = end(.buildFailed, failure.reason, logTail: failure.logTail)
            if let failed = writeFailure.error { throw failed }
            return ended
        }
        defer { prepared.workspace.remove() }
        report.build = prepared.build
        save(&report)

        // Displays, input and OCR outlive the cases; the app does not. Each worker has its own.
        let viewport = spec.app.viewport
        var stations: [Station] = []
        var stationError: (any Error)?
        // Web apps are shown by a browser each worker keeps warm; each case gets a fresh context.
        let fit = StationPool.Fit(
            width: viewport.width, height: viewport.height, web: prepared.plan.kind == .web, support: prepared.support, limits: prepared.limits)
        @Sendable func openStation(_ fit: StationPool.Fit, named name: String) throws -> Station {
            try fit.station(
                etc: prepared.etc, xvfbLog: location.directory.appendingPathComponent("xvfb-\(name).log").path,
                browserLog: logs.appendingPathComponent("browser-\(name).log").path)
        }
        // Taken from the pool when one is given, else started side by side: each is a display and
        // a browser that mostly wait for themselves.
        let pool = options.stations
        let opening = Slots<Result<Station, any Error>>(count: max(1, min(options.workers, cases.count)))
        for i in 0..<opening.count { opening[i] = pool?.take(fit).map { .success($0) } }
        onThreads(opening.count) { i in
            guard opening[i] == nil else { return }
            opening[i] = Result {
                if let pool { return try pool.start(fit) }
                return try openStation(fit, named: "\(i)")
            }
        }
        for case let result? in opening.values {
            switch result {
            case .success(let station): stations.append(station)
            case .failure(let error): stationError = error
            }
        }
        defer {
            for station in stations {
                if let pool, !interrupt.isSet { pool.giveBack(station, fit: fit) } else { station.close() }
            }
        }
        guard !stations.isEmpty else {
            let reason = "\(stationError.map { "\($0)" } ?? "no display")"
            _ = end(.infraError, reason)
            throw .infrastructure(reason)
        }
        let workers = stations
        trace.record("displays_ready", ["displays": stations.map(\.xvfb.displayName), "size": "\(viewport.width)x\(viewport.height)"])

        onStart?(spec, cases.count, workers.count)
        let order = Dictionary(uniqueKeysWithValues: cases.enumerated().map { ($1.id, $0) })
        @Sendable func inTaskOrder(_ results: inout [CaseResult]) { results.sort { order[$0.id, default: 0] < order[$1.id, default: 0] } }
        let shared = SharedProgress(report: report)
        let screens = ScreenReferences(directory: loaded.directory.appendingPathComponent("screens"), record: options.recordScreens)
        // Longest cases first, so the workers finish together instead of one ending on a long case.
        let runOrder = cases.indices.sorted { (Self.expectedCost(cases[$0]), $1) > (Self.expectedCost(cases[$1]), $0) }
        // One thread per worker: concurrentPerform would run no more at once than there are cores.
        onThreads(workers.count) { [self] worker in
            // Cases with a viewport of their own get a display of that size, made once per worker.
            var sized: [String: Station] = [:]
            defer { sized.values.forEach { $0.close() } }
            while !interrupt.isSet, let claimed = shared.claim(cases.count) {
                let testCase = cases[runOrder[claimed]]
                // Cases with a viewport of their own run on a display of that size; when it cannot
                // be started the case is an error, recorded like any other verdict.
                var station: Station? = workers[worker]
                if let v = testCase.viewport, v != viewport {
                    let key = "\(v.width)x\(v.height)"
                    if sized[key] == nil {
                        var size = fit
                        (size.width, size.height) = (v.width, v.height)
                        sized[key] = try? openStation(size, named: "\(worker)-\(key)")
                    }
                    station = sized[key]
                }
                let result: CaseResult
                if let station {
                    trace.record("case_start", ["case": testCase.id, "display": station.xvfb.displayName])
                    var attempt = evaluate(
                        testCase, spec: spec, agent: agent, screens: screens, prepared: prepared, logs: logs, station: station, frames: frames)
                    // AppJudge's own fault (its browser ended or would not start) gets one more
                    // try on a fresh browser; the first attempt's reason stays in the record.
                    if attempt.appFailure == .infraError, !interrupt.isSet {
                        trace.record("case_retry", ["case": testCase.id, "reason": attempt.reason])
                        let first = attempt.reason
                        station.discardBrowser()
                        attempt = evaluate(
                            testCase, spec: spec, agent: agent, screens: screens, prepared: prepared, logs: logs, station: station, frames: frames)
                        attempt.reason += " (Run a second time: the first attempt hit an infrastructure error: \(first))"
                    }
                    result = attempt
                } else {
                    let size = testCase.viewport.map { "\($0.width)x\($0.height)" } ?? ""
                    var failed = CaseResult(id: testCase.id, verdict: .error, reason: "A \(size) display could not be started.")
                    failed.appFailure = .infraError
                    result = failed
                }
                for step in result.steps {
                    trace.record(
                        "step",
                        [
                            "case": testCase.id, "index": step.index, "action": step.action, "description": step.description,
                            "ok": step.ok, "note": step.note ?? "", "frame": step.frameAfter ?? "", "seconds": step.seconds,
                        ])
                }
                trace.record(
                    "verdict",
                    [
                        "case": testCase.id, "verdict": result.verdict.rawValue, "reason": result.reason,
                        "frames": result.evidence.frames, "seconds": result.seconds, "app_failure": result.appFailure?.rawValue ?? "",
                    ])
                shared.update { report in
                    report.cases.append(result)
                    inTaskOrder(&report.cases)
                    onCase?(result)
                    save(&report)
                }
            }
        }
        report = shared.report
        if interrupt.isSet {
            for testCase in cases where !report.cases.contains(where: { $0.id == testCase.id }) {
                report.cases.append(CaseResult(id: testCase.id, verdict: .skipped, reason: "Not run: the evaluation was interrupted."))
            }
            inTaskOrder(&report.cases)
            report.status = .interrupted
        } else {
            report.status = .completed
        }
        Self.classify(&report)
        trace.record("evaluation_end", ["status": report.status.rawValue, "score": report.score, "outcome": report.outcome.rawValue])
        save(&report)
        if let failed = writeFailure.error { throw failed }
        return (report, location)
    }

    /// The evaluation's outcome from its cases: the app's worst failure in any case (launch
    /// failure, then never ready, then a crash), or AppJudge's fault when the browser failed
    /// in every case that needed one; `evaluated` otherwise.
    /// About how long a case takes, in expectation-checks: an action waits for the screen to
    /// settle, a check mostly reads what is already seen, a wait is its seconds, and a case the
    /// agent decides (no script) takes longest of all.
    static func expectedCost(_ testCase: TestCase) -> Double {
        guard let script = testCase.script else { return 1_000 }
        return script.reduce(2) { total, step in
            switch step {
            case .expect: total + 1
            case .wait(let seconds): total + 10 * seconds
            case .reload: total + 6
            default: total + 3
            }
        }
    }

    static func classify(_ report: inout TaskReport) {
        let launched = report.cases.filter { $0.verdict != .skipped }
        for outcome in [Outcome.launchFailed, .notReady, .crashed] {
            let hit = launched.filter { $0.appFailure == outcome }
            guard let first = hit.first else { continue }
            report.outcome = outcome
            report.outcomeReason = "In \(hit.count) of \(report.cases.count) case(s) (\(hit.map(\.id).joined(separator: ", "))): \(first.reason)"
            report.logTail = first.logTail
            return
        }
        let infra = launched.filter { $0.appFailure == .infraError }
        if !launched.isEmpty, infra.count == launched.count {
            report.outcome = .infraError
            report.outcomeReason = "The browser could not be started for any case: \(infra[0].reason)"
            report.logTail = infra[0].logTail
        }
    }

    /// One case: with the script judge one run of its script, with the agent judge as many
    /// episodes as it asks for, each on a freshly launched app. Never throws: whatever goes
    /// wrong becomes the case's verdict, so one broken case never stops the others.
    private func evaluate(
        _ testCase: TestCase, spec: TaskSpec, agent: AgentJudge?, screens: ScreenReferences, prepared: PreparedApp, logs: URL, station: Station,
        frames: FrameDirectory
    )
        -> CaseResult
    {
        let cancelled = { [interrupt] in interrupt.isSet }
        if let agent {
            return agent.decide(testCase) { number, _ in
                episode(testCase, number: number, prepared: prepared, logs: logs, station: station, frames: frames) { app, observer in
                    agent.runEpisode(testCase, task: spec, number: number, session: app, observer: observer, cancelled: cancelled)
                }
            }
        }
        guard testCase.script != nil else { return ScriptJudge.unscripted(testCase) }
        return episode(testCase, number: 0, prepared: prepared, logs: logs, station: station, frames: frames) { app, observer in
            ScriptJudge(screens: screens).run(testCase, session: app, observer: observer, cancelled: cancelled)
        }
    }

    /// Launches a fresh copy of the app, waits until it is ready, lets `judge` work on it, and
    /// tells an app that crashed under test from a failed check.
    private func episode(
        _ testCase: TestCase, number: Int, prepared: PreparedApp, logs: URL, station: Station, frames: FrameDirectory,
        judge: (SandboxedApp, Observer) -> CaseResult
    ) -> CaseResult {
        let start = Date()
        let name = number == 0 ? testCase.id : "\(testCase.id)-e\(number)"
        let appLog = logs.appendingPathComponent("\(name).log").path
        let app = SandboxedApp(prepared: prepared, station: station, caseName: name, log: appLog, browserTimeout: options.readyTimeout)
        defer { app.close() }
        func failed(_ failure: Outcome, _ reason: String) -> CaseResult {
            app.close()
            var result = CaseResult(id: testCase.id, verdict: .error, reason: reason, seconds: Date().timeIntervalSince(start))
            result.appFailure = failure
            result.logTail = AppLog.tail(appLog, lines: 12)
            return result
        }
        do {
            try app.launch()
        } catch {
            return failed(.infraError, "\(error)")
        }
        if let problem = app.waitUntilReady() {
            return failed(problem.outcome, "The app did not come up: \(problem).")
        }
        let ready = Date().timeIntervalSince(start)
        trace?.record("app_ready", ["case": testCase.id, "seconds": ready].merging(app.launchTimes.map { ($0.0, $0.1 as any Sendable) }) { a, _ in a })
        // Desktop apps are read with their buttons too: toolkits draw key grids tesseract's page
        // layout skips.
        let ocr: any TextRecognizer = prepared.plan.kind == .desktop ? ButtonAwareOCR(station.ocr) : station.ocr
        let observer = Observer(screen: station.display, ocr: ocr, sink: frames, prefix: name, structure: app.structure)
        observer.settledStart = app.readyFrame
        var result = judge(app, observer)
        if let ended = app.browserEnded(), !interrupt.isSet {
            // The browser is AppJudge's: whatever the steps saw after it ended says nothing of the app.
            app.close()
            result.verdict = .error
            result.appFailure = .infraError
            result.reason = "\(ended) during the case; no verdict on the app. \(result.reason)"
        } else if let ended = app.exitDescription(), !interrupt.isSet {
            // An app that died under test failed the case, whatever the checks before said.
            app.close()
            result.verdict = .fail
            result.appFailure = .crashed
            if !result.reason.contains(ended) { result.reason = "The app crashed during the case: \(ended). \(result.reason)" }
            result.logTail = AppLog.tail(appLog, lines: 12)
        }
        result.seconds = Date().timeIntervalSince(start)
        result.appStartSeconds = ready
        result.ocrSeconds = observer.ocrSeconds
        return result
    }

    /// Writes the report's JSON and HTML; says which file could not be written, and why.
    static func write(_ report: TaskReport, frames: FrameDirectory, to location: ReportLocation) throws(RunError) {
        do {
            try AtomicFile.write(try JSONEncoder.report.encode(report), to: location.json)
        } catch {
            throw .infrastructure("Cannot write the report \(location.json.path): \(error.localizedDescription).")
        }
        let (kept, frameFailure) = frames.written()
        let html = HTMLReport.render(report, frames: kept)
        do {
            try AtomicFile.write(Data(html.utf8), to: location.html)
        } catch {
            throw .infrastructure("Cannot write the report \(location.html.path): \(error.localizedDescription).")
        }
        if let frameFailure { throw .infrastructure(frameFailure) }
    }

    /// Keeps only the last `bytes` of a log an app may have flooded.
    static func capLog(_ path: String, bytes: Int) {
        guard let data = FileManager.default.contents(atPath: path), data.count > bytes else { return }
        try? AtomicFile.write(
            Data("[... \(data.count - bytes) earlier bytes dropped ...]\n".utf8) + data.suffix(bytes), to: URL(fileURLWithPath: path))
    }

    static func environment() -> [String: String] {
        var env = ["appjudge": AppJudgeVersion.current]
        if let out = try? Command(HostTools.chromium, ["--version"]).run(timeout: 10, outputLimit: 200).output {
            env["chromium"] = out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        env["host"] = ProcessInfo.processInfo.hostName
        return env
    }
}

/// The default name of a run: its start time in UTC, `yyyyMMdd-HHmmss`.
public enum RunName {
    public static func now() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }
}

public enum AppJudgeVersion {
    public static let current = "0.1.0"
}

/// The report under construction, shared by the workers.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var nextCase = 0
    private(set) var report: TaskReport
    var launchFailures = 0

    init(report: TaskReport) { self.report = report }

    /// The index of the next case to run, or nil when all are taken.
    func claim(_ count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextCase < count else { return nil }
        nextCase += 1
        return nextCase - 1
    }

    func update(_ body: (inout TaskReport) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&report)
    }
}

/// Runs `body` for every index below `count`, each on a thread of its own, and returns when all
/// have: `--workers N` means N cases at once, whatever the number of cores.
func onThreads(_ count: Int, _ body: @escaping (Int) -> Void) {
    // Handed to the threads as is: the caller waits here until every one of them has ended.
    struct Work: @unchecked Sendable { let run: (Int) -> Void }
    let work = Work(run: body)
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread.detachNewThread {
            work.run(index)
            group.leave()
        }
    }
    group.wait()
}

/// The first error of many attempts, kept from any thread.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: RunError?
    var error: RunError? { lock.withLock { first } }
    func set(_ error: RunError) { lock.withLock { if first == nil { first = error } } }
}

/// A fixed number of slots filled from several threads, each writing its own.
final class Slots<Value>: @unchecked Sendable {
    private var items: [Value?]
    private let lock = NSLock()
    let count: Int

    init(count: Int) {
        self.count = count
        items = Array(repeating: nil, count: count)
    }

    subscript(index: Int) -> Value? {
        get { lock.withLock { items[index] } }
        set { lock.withLock { items[index] = newValue } }
    }

    var values: [Value?] { lock.withLock { items } }
}
