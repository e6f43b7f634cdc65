import Engine
import Foundation
import Processes
import Reports
import Sandbox
import Suite

/// `appjudge bench sandbox`: what the sandbox costs. A process started in the jail (bubblewrap
/// with its namespaces, its control group and rlimits) against the same process started bare,
/// in the same run; the install network's setup; and for each stack fixture the whole
/// build (install + build phases) and the launch until the app is ready to be judged.
///
/// Prints one JSON object per line like `bench capture`.
struct SandboxBenchmark {
    var home: URL
    var runs: Int

    func run(_ emit: (String) -> Void) throws(RunError) {
        do {
            try HostTools.check()
        } catch {
            throw RunError(error)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-bench-sandbox-\(getpid())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let work = scratch.appendingPathComponent("work"), etc = scratch.appendingPathComponent("etc")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        do {
            try Jail.writeEtc(to: etc)
        } catch {
            throw RunError(error)
        }
        let limits = ResourceLimits()
        var jail = Jail(work: work, support: home.appendingPathComponent("sandbox"), etc: etc, limits: limits)
        jail.environment = Jail.baseEnvironment(port: nil)
        let log = scratch.appendingPathComponent("log").path

        func spawnAndWait(_ command: Command) {
            guard let child = try? ChildProcess(command) else { return }
            _ = child.wait(timeout: 30)
        }
        for (name, argv) in [("true", ["/bin/true"]), ("python", ["/usr/bin/python3", "-c", "pass"])] {
            let bare = Bench.measure(runs * 4) { spawnAndWait(Command(argv[0], Array(argv.dropFirst()), output: .discard)) }
            emit(Bench.line("start_bare_\(name)", bare))
            let jailed = Bench.measure(runs * 4) { spawnAndWait(jail.command(argv, group: nil, log: log)) }
            emit(Bench.line("start_bwrap_\(name)", jailed, baseline: ("start_bare_\(name)", bare)))
            let grouped = Bench.measure(runs * 4) {
                let group = ControlGroup.create(name: "bench-\(UUID().uuidString.prefix(8).lowercased())", limits: limits)
                spawnAndWait(jail.command(argv, group: group, log: log))
                group?.remove()
            }
            emit(
                Bench.line(
                    "start_bwrap_cgroup_\(name)", grouped, baseline: ("start_bare_\(name)", bare),
                    extra: ["enforced": ControlGroup.create(name: "bench-probe", limits: limits)?.enforced ?? []]))
        }
        let egress = Bench.measure(runs) { (try? Egress())?.close() }
        emit(Bench.line("install_network_setup", egress))

        // Whole build and launch of each stack fixture, each on a fresh display.
        let counter = TaskSpec.AppHints(kind: .web, viewport: .init(width: 800, height: 500))
        let calculator = TaskSpec.AppHints(kind: .desktop, viewport: .init(width: 480, height: 640))
        let fixtures: [(String, String, TaskSpec.AppHints)] = [
            ("static", "tasks/todo-list/reference", TaskSpec.AppHints(kind: .web, viewport: .init(width: 800, height: 600))),
            ("node", "Tests/Fixtures/stacks/node-server", counter),
            ("node_build_static", "Tests/Fixtures/stacks/node-build-static", counter),
            ("python_web", "Tests/Fixtures/stacks/python-web-stdlib", counter),
            ("python_package", "Tests/Fixtures/stacks/python-package", counter),
            ("python_desktop", "tasks/calculator/reference", calculator),
        ]
        for (name, path, app) in fixtures {
            let station: Station
            do {
                station = app.kind == .web ? try Station(width: app.viewport.width, height: app.viewport.height, home: home) : try Station(width: app.viewport.width, height: app.viewport.height, log: "/dev/null")
            } catch {
                throw .infrastructure("\(error)")
            }
            defer { station.close() }
            var build: [Double] = [], launch: [Double] = []
            for _ in 0..<runs {
                let logs = scratch.appendingPathComponent("logs-\(name)")
                try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
                let start = DispatchTime.now().uptimeNanoseconds
                let prepared: PreparedApp
                do {
                    guard
                        case .success(let app) = try PreparedApp.prepare(
                            repository: home.appendingPathComponent(path), app: app, support: home.appendingPathComponent("sandbox"),
                            limits: limits, logs: logs, record: TraceWriter(url: logs.appendingPathComponent("trace.jsonl")).record)
                    else { throw RunError.infrastructure("the \(name) fixture did not build") }
                    prepared = app
                } catch let error as SandboxError {
                    throw RunError(error)
                } catch {
                    throw error as! RunError
                }
                defer { prepared.workspace.remove() }
                let built = DispatchTime.now().uptimeNanoseconds
                let session = SandboxedApp(
                    prepared: prepared, station: station, caseName: "bench", log: logs.appendingPathComponent("app.log").path,
                    browserTimeout: 30)
                do {
                    try session.launch()
                } catch {
                    throw RunError(error)
                }
                if let problem = session.waitUntilReady() {
                    session.close()
                    throw .infrastructure("the \(name) fixture did not come up: \(problem)")
                }
                let ready = DispatchTime.now().uptimeNanoseconds
                session.close()
                build.append(Double(built - start) / 1e6)
                launch.append(Double(ready - built) / 1e6)
            }
            emit(Bench.line("stack_\(name)_build", build, extra: ["fixture": path]))
            emit(Bench.line("stack_\(name)_launch_to_ready", launch, extra: ["fixture": path]))
        }
    }
}

/// Timing helpers shared by the benchmarks.
enum Bench {
    static func measure(_ n: Int, _ body: () throws -> Void) -> [Double] {
        (0..<n).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            try? body()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// One JSON line: `name`, `median_ms`, `runs`, and for comparisons `baseline` and `ratio`
    /// (the baseline's median over ours: above 1 is faster than the baseline, below is slower).
    static func line(_ name: String, _ samples: [Double], baseline: (String, [Double])? = nil, extra: [String: Any] = [:]) -> String {
        var object: [String: Any] = extra
        object["name"] = name
        object["median_ms"] = (median(samples) * 100).rounded() / 100
        object["runs"] = samples.count
        if let (baselineName, baselineSamples) = baseline {
            object["baseline"] = baselineName
            object["ratio"] = (median(baselineSamples) / max(median(samples), 1e-9) * 100).rounded() / 100
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
