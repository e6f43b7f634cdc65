import Desktop
import Foundation
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
    /// Seconds a browser may take to show the page.
    public var readyTimeout = 20.0
    /// Cases evaluated at once, each on its own private display.
    public var workers = 2

    public init(task: URL, repository: URL, output: URL, runId: String, sandboxDirectory: URL) {
        self.task = task
        self.repository = repository
        self.output = output
        self.runId = runId
        self.sandboxDirectory = sandboxDirectory
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
        let launcher = options.sandboxDirectory.appendingPathComponent("web-static.sh")
        guard FileManager.default.fileExists(atPath: launcher.path) else {
            throw .infrastructure("The sandbox launcher \(launcher.path) is missing; run appjudge from its repository or set APPJUDGE_HOME.")
        }
        do {
            try HostTools.check()
        } catch {
            throw RunError(error)
        }
        let workspace: Workspace
        let site: URL
        do {
            // Checked on the original first, so messages name the user's path and nothing is
            // copied for a repository that has nothing to serve.
            let folder = try StaticSite.locate(in: options.repository)
            workspace = try Workspace(copying: options.repository)
            site = folder.isEmpty ? workspace.repository : workspace.repository.appendingPathComponent(folder)
        } catch {
            throw RunError(error)
        }
        defer { workspace.remove() }

        let location = ReportLocation(directory: options.output.appendingPathComponent(spec.id))
        let frames: FrameDirectory
        do {
            try FileManager.default.createDirectory(at: location.directory, withIntermediateDirectories: true)
            frames = try FrameDirectory(url: location.directory.appendingPathComponent("frames"))
        } catch {
            throw .infrastructure("Cannot write the report folder \(location.directory.path): \(error.localizedDescription)")
        }
        let trace = TraceWriter(url: location.trace)
        let started = Date()
        var report = TaskReport(
            runId: options.runId, task: spec, repository: options.repository.path, judge: "script",
            startedAt: started, environment: Self.environment())
        @Sendable func save(_ report: inout TaskReport) {
            report.seconds = Date().timeIntervalSince(started)
            report.tally(total: cases.count)
            Self.write(report, frames: frames, to: location)
        }
        save(&report)
        trace.record("evaluation_start", ["task": spec.id, "repository": options.repository.path, "cases": cases.count])

        // Displays, input and OCR outlive the cases; the app does not. Each worker has its own.
        let viewport = spec.app.viewport
        var stations: [Station] = []
        var stationError: (any Error)?
        for i in 0..<max(1, min(options.workers, cases.count)) {
            do {
                stations.append(
                    try Station(
                        width: viewport.width, height: viewport.height,
                        log: location.directory.appendingPathComponent("xvfb-\(i).log").path))
            } catch {
                stationError = error
                break
            }
        }
        defer { stations.forEach { $0.close() } }
        guard !stations.isEmpty else {
            report.outcome = .infraError
            report.outcomeReason = "\(stationError.map { "\($0)" } ?? "no display")"
            report.status = .completed
            save(&report)
            throw .infrastructure(report.outcomeReason!)
        }
        let workers = stations
        trace.record("displays_ready", ["displays": stations.map(\.xvfb.displayName), "size": "\(viewport.width)x\(viewport.height)"])

        onStart?(spec, cases.count, workers.count)
        let logs = location.directory.appendingPathComponent("logs")
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let order = Dictionary(uniqueKeysWithValues: cases.enumerated().map { ($1.id, $0) })
        @Sendable func inTaskOrder(_ results: inout [CaseResult]) { results.sort { order[$0.id, default: 0] < order[$1.id, default: 0] } }
        let shared = SharedProgress(report: report)
        let entry = spec.app.entry
        DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
            let station = workers[worker]
            let sandbox = WebSandbox(
                site: site, entry: entry, display: station.xvfb.displayName,
                width: viewport.width, height: viewport.height, launcher: launcher)
            while !interrupt.isSet, let index = shared.claim(cases.count) {
                let testCase = cases[index]
                trace.record("case_start", ["case": testCase.id, "display": station.xvfb.displayName])
                let log = logs.appendingPathComponent("\(testCase.id).log").path
                let (result, launched) = evaluate(testCase, sandbox: sandbox, appLog: log, station: station, frames: frames)
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
                        "frames": result.evidence.frames, "seconds": result.seconds,
                    ])
                Self.capLog(log, bytes: 256 * 1024)
                shared.update { report in
                    report.cases.append(result)
                    inTaskOrder(&report.cases)
                    if !launched { shared.launchFailures += 1 }
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
        if shared.launchFailures == cases.count {
            report.outcome = .infraError
            report.outcomeReason = "The browser could not be started for any case; see logs/."
        }
        trace.record("evaluation_end", ["status": report.status.rawValue, "score": report.score])
        save(&report)
        return (report, location)
    }

    /// One case on a freshly launched app. Never throws: whatever goes wrong becomes the case's
    /// verdict, so one broken case never stops the others.
    private func evaluate(
        _ testCase: TestCase, sandbox: WebSandbox, appLog: String, station: Station,
        frames: FrameDirectory
    ) -> (CaseResult, launched: Bool) {
        let start = Date()
        guard testCase.script != nil else {
            return (ScriptJudge.unscripted(testCase), true)
        }
        let process: ChildProcess
        do {
            process = try sandbox.launch(log: appLog)
        } catch {
            return (CaseResult(id: testCase.id, verdict: .error, reason: "\(error)", seconds: Date().timeIntervalSince(start)), false)
        }
        let session = WebAppSession(display: station.display, input: station.input, sandbox: process)
        defer { session.close() }
        if let problem = session.waitUntilReady(timeout: options.readyTimeout) {
            return (
                CaseResult(
                    id: testCase.id, verdict: .error,
                    reason: "The app did not come up: \(problem). Last lines of its log: \(Self.tail(appLog, lines: 3))",
                    seconds: Date().timeIntervalSince(start)), false
            )
        }
        let ready = Date().timeIntervalSince(start)
        let observer = Observer(screen: station.display, ocr: station.ocr, sink: frames, prefix: testCase.id)
        let judge = ScriptJudge()
        var result = judge.run(testCase, session: session, observer: observer, cancelled: { [interrupt] in interrupt.isSet })
        result.seconds = Date().timeIntervalSince(start)
        result.appStartSeconds = ready
        result.ocrSeconds = observer.ocrSeconds
        return (result, true)
    }

    static func write(_ report: TaskReport, frames: FrameDirectory, to location: ReportLocation) {
        if let json = try? JSONEncoder.report.encode(report) {
            try? AtomicFile.write(json, to: location.json)
        }
        let html = HTMLReport.render(report, frames: frames.snapshot)
        try? AtomicFile.write(Data(html.utf8), to: location.html)
    }

    /// The last `lines` lines of a log, on one line.
    static func tail(_ path: String, lines: Int) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(empty)" }
        let last = text.split(separator: "\n").suffix(lines).joined(separator: " | ")
        return last.isEmpty ? "(empty)" : String(last.suffix(600))
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
