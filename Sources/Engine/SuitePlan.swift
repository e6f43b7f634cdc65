import Foundation
import Judge
import Processes
import Reports
import Suite

/// What a suite run is asked to do: the `suite` command's options.
public struct SuiteRequest: Sendable {
    public var tasks: String?
    public var repos: [String] = []
    public var taskIds: [String]?
    public var jobs: Int?
    public var workers = 1
    public var out: String?
    public var resume: String?
    public var retryInfra = 0
    public var retries = 0
    public var minScore: Double?
    public var failOn: Set<Verdict> = []
    public var offline = false
    public var startTimeout: Double?
    /// `--judge llm` and its model options, as `run` takes them.
    public var judge: [String: String] = [:]
    /// Only this shard's part of the plan (`--shard K/N`), balanced by an earlier run's
    /// durations (`--durations RUN`) when given, else by case counts.
    public var shard: ShardSelection?
    public var durations: String?

    public init() {}
}

/// The tasks, generators and settings of a suite run, from arguments or from run.json.
public struct SuitePlan {
    public var run: URL
    public var tasks: [PlannedTask]
    public var generators: [Generator]
    public var manifest: SuiteManifest
    public var jobs: Int

    /// The pairs this run evaluates (`generator/task`): a shard's, or nil for all of the plan's.
    public var pairs: Set<String>? { manifest.shard.map { Set($0.pairs) } }

    /// Pairs at once when --jobs is not given: one per core, as long as each has 1 GiB of the
    /// memory available now per case it runs at once (a case's app, browser and display peak
    /// below that; see BENCHMARKS.md).
    public static func defaultJobs(workers: Int) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let available = meminfo.split(separator: "\n").first { $0.hasPrefix("MemAvailable:") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }.map { $0 >> 20 }  // kB to GiB
        return max(1, min(cores, (available ?? 1) / max(1, workers)))
    }

    public static func fresh(_ a: SuiteRequest, cwd: URL, arguments: [String]) throws(Problem) -> SuitePlan {
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
        let run = a.out.map(url) ?? cwd.appendingPathComponent("results/suite-\(RunName.now())")
        if fm.fileExists(atPath: run.appendingPathComponent("run.json").path) {
            throw .init("\(run.path) already holds a suite run; finish it with --resume \(run.path) or choose another --out.")
        }
        var shard: SuiteManifest.Shard?
        if let selection = a.shard {
            var earlier: [PairResult]?
            if let durations = a.durations {
                do {
                    earlier = try SuiteRunFolder.results(url(durations))
                } catch {
                    throw Problem("--durations: \(error.message)")
                }
            }
            let weights = SuitePartition.weights(tasks: tasks, generators: generators.map(\.name), durations: earlier)
            let assigned = SuitePartition.assign(weights, shards: selection.count)
            let pairs = generators.flatMap { g in tasks.map { pairKey(g.name, $0.spec.id) } }.filter { assigned[$0] == selection.index }
            shard = .init(index: selection.index, count: selection.count, balancedBy: earlier == nil ? "cases" : "durations", pairs: pairs)
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
        manifest.shard = shard
        do {
            try fm.createDirectory(at: run, withIntermediateDirectories: true)
            try AtomicFile.write(try JSONEncoder.report.encode(manifest), to: run.appendingPathComponent("run.json"))
        } catch {
            throw .init("cannot write \(run.appendingPathComponent("run.json").path): \(error.localizedDescription)", code: ExitCode.infrastructure)
        }
        return SuitePlan(run: run, tasks: tasks, generators: generators, manifest: manifest, jobs: jobs)
    }

    public static func resuming(_ run: URL, jobs: Int?) throws(Problem) -> SuitePlan {
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
    public static func contentHash(_ dir: URL) -> String {
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
    public static func environment(_ tasks: [PlannedTask]) -> [String: String] {
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
public struct SuiteGate {
    public var minScore: Double?
    public var failOn: Set<Verdict>

    public init(minScore: Double?, failOn: Set<Verdict>) {
        self.minScore = minScore
        self.failOn = failOn
    }

    /// Why the gate fails, one sentence each; empty when it passes.
    public func check(_ summary: SuiteSummary, results: [PairResult]) -> [String] {
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
public struct SuiteOutputsWriter {
    public var run: URL
    public var manifest: SuiteManifest
    public var planned: Int

    public init(run: URL, manifest: SuiteManifest, planned: Int) {
        self.run = run
        self.manifest = manifest
        self.planned = planned
    }

    public func write(_ results: [PairResult]) -> (summary: SuiteSummary, error: String?) {
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

/// Reading a finished (or partly finished) suite run folder.
public enum SuiteRunFolder {
    /// A run's run.json; `missing` is the sentence when there is none, `broken` what follows the
    /// reason when it cannot be read.
    public static func manifest(_ run: URL, missing: String, broken: String = "") throws(Problem) -> SuiteManifest {
        let file = run.appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: file.path) else { throw .init(missing) }
        do {
            return try JSONDecoder.report.decode(SuiteManifest.self, from: data)
        } catch {
            throw .init("\(file.path) is not a suite run's manifest (\(error))\(broken).")
        }
    }

    /// The results of a run in its plan's order (generators, then tasks, as in run.json).
    public static func results(_ run: URL) throws(Problem) -> [PairResult] {
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
