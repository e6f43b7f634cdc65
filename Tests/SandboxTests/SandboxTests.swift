import Foundation
import Processes
import Sandbox
import Suite
import TestSupport
import Testing

let book = try! RecipeBook(directory: Repo.root.appendingPathComponent("sandbox/stacks"))

func plan(_ fixture: String, kind: AppKind = .web, hints: LaunchHints = LaunchHints()) throws -> LaunchPlan {
    let repo = Repo.fixture(fixture)
    let manifest = try LaunchHints.manifest(in: repo)
    return try LaunchPlan.resolve(repository: repo, kind: kind, hints: (manifest ?? LaunchHints()).over(hints), entry: "index.html", book: book)
}

@Suite("Stack recipes and launch plans")
struct RecipeTests {
    @Test func theRecipesLoadInOrder() {
        #expect(book.recipes.map(\.name) == ["node", "python-web", "python-desktop", "static"])
    }

    @Test func nodeRecipesPickInstallBuildAndStart() throws {
        let server = try plan("stacks/node-server")
        #expect(server.stack == "node")
        #expect(server.install == nil, "no dependencies, no install")
        #expect(server.build == nil)
        #expect(server.start == "exec npm run start")
        #expect(try plan("stacks/node-fixed-port").start == "exec npm run dev")
        let built = try plan("stacks/node-build-static")
        #expect(built.build == "npm run build")
        #expect(built.start == nil && built.staticStart?.contains("{static}") == true)
        #expect(built.entryPath == "/index.html")
    }

    @Test func pythonRecipesFindTheEntryPoint() throws {
        let stdlib = try plan("stacks/python-web-stdlib")
        #expect(stdlib.stack == "python-web")
        #expect(stdlib.install == nil, "a requirements.txt of comments installs nothing")
        #expect(try plan("stacks/python-web-bottle").install?.contains("pip install -r requirements.txt") == true)
        #expect(stdlib.start == "exec python3 app.py")
        let package = try plan("stacks/python-package")
        #expect(package.install == nil, "a pyproject without dependencies installs nothing")
        #expect(package.start == "exec python3 -m counterapp")
        let desktop = try plan("calculator/correct-dark", kind: .desktop)
        #expect(desktop.stack == "python-desktop" && desktop.start == "exec python3 main.py")
    }

    @Test func hintsOverrideDetection() throws {
        let manifest = try plan("stacks/appjudge-json")
        #expect(manifest.start == "python3 srv/serve.py --listen 7000")
        #expect(manifest.port == 7000 && manifest.readyPath == "/ready" && manifest.entryPath == "/")
        var task = LaunchHints()
        task.start = "node other.js"
        task.windowTitle = "Counter"
        let overridden = try plan("stacks/node-server", hints: task)
        #expect(overridden.start == "node other.js" && overridden.windowTitle == "Counter")
        // The repository's own appjudge.json wins over the task's hints.
        #expect(try plan("stacks/appjudge-json", hints: task).start == "python3 srv/serve.py --listen 7000")
    }

    @Test func aRepositoryNoRecipeFitsIsTheAppsFailure() {
        #expect(throws: SandboxError.self) { try plan("golden") }
        do {
            _ = try plan("golden")
        } catch let error as SandboxError {
            #expect(error.isAppFailure)
            #expect(error.description.contains("add an appjudge.json with \"start\""))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func conditionsMatchFilesGlobsJsonAndText() throws {
        let repo = Repo.fixture("stacks/node-build-static")
        var match: String?
        #expect(Condition.json(file: "package.json", has: "scripts.build").holds(in: repo, match: &match))
        #expect(!Condition.json(file: "package.json", has: "scripts.start").holds(in: repo, match: &match))
        #expect(Condition.exists("src/*.html").holds(in: repo, match: &match) && match == "src/page.html")
        #expect(Condition.missing("dist/index.html").holds(in: repo, match: &match))
        var found: String?
        #expect(Condition.contains(glob: "*.py", text: "tkinter").holds(in: Repo.fixture("calculator/correct-dark"), match: &found))
        #expect(found == "main.py")
    }

    @Test func aBrokenRecipeIsNamedWithItsFileAndField() throws {
        let dir = Scratch.directory("recipes")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"name": "x", "kind": "web", "detect": [{"exits": "a"}]}"#.write(
            to: dir.appendingPathComponent("x.json"), atomically: true, encoding: .utf8)
        #expect {
            _ = try RecipeBook(directory: dir)
        } throws: { error in
            "\(error)".contains("x.json: detect[0]") && "\(error)".contains("a condition needs one of")
        }
    }
}

/// The jail on the real bubblewrap: what an app sees inside.
@Suite("The sandbox policy on real bubblewrap", .serialized)
struct JailTests {
    func inside(
        _ script: String, network: Bool = false, limits: ResourceLimits = ResourceLimits(), timeout: Double = 60
    ) throws -> (PhaseResult, String) {
        let root = Scratch.directory("jail")
        defer { try? FileManager.default.removeItem(at: root) }
        let work = root.appendingPathComponent("work"), etc = root.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Jail.writeEtc(to: etc)
        var jail = Jail(work: work, support: Repo.root.appendingPathComponent("sandbox"), etc: etc, limits: limits)
        jail.environment = Jail.baseEnvironment(port: 8000)
        let log = root.appendingPathComponent("phase.log").path
        let result = try PhaseRunner(jail: jail).run(phase: "test", command: script, network: network, timeout: timeout, log: log)
        // The log's first line is the command itself.
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return (result, String(text.dropFirst("$ \(script)\n".count)))
    }

    @Test func theAppSeesOnlyItsOwnWorld() throws {
        setenv("APPJUDGE_TEST_SECRET", "do-not-leak", 1)
        defer { unsetenv("APPJUDGE_TEST_SECRET") }
        let (result, log) = try inside(
            "id -u; echo HOME=$HOME; env | grep -c SECRET; ls /; test -e /root/.bashrc && echo SAW-ROOT; test -e /work && echo SAW-WORK; touch /usr/x 2>&1 | head -1; echo written > here.txt && echo WROTE-WORK"
        )
        #expect(result.succeeded, "\(result) \(log)")
        let lines = log.split(separator: "\n").map(String.init)
        #expect(lines.contains("1000"), "\(log)")
        #expect(lines.contains("HOME=/tmp"))
        #expect(lines.contains("0"), "no SECRET in the environment: \(log)")
        #expect(!log.contains("SAW-ROOT") && !log.contains("SAW-WORK"), "\(log)")
        #expect(log.contains("Read-only file system"), "\(log)")
        #expect(log.contains("WROTE-WORK"))
    }

    @Test func thereIsNoNetworkAtRunTime() throws {
        let (_, log) = try inside(
            "python3 -c \"import socket; s=socket.socket(); s.settimeout(2)\ntry:\n s.connect(('1.1.1.1', 80)); print('CONNECTED')\nexcept OSError as e: print('blocked', e)\"; cat /proc/net/dev | tail -n +3 | cut -d: -f1"
        )
        #expect(log.contains("blocked"), "\(log)")
        #expect(!log.contains("CONNECTED"))
        #expect(!log.contains("tap0") && !log.contains("eth"), "only loopback: \(log)")
    }

    @Test func aPhaseOverItsTimeIsStopped() throws {
        let start = Date()
        let (result, _) = try inside("sleep 60 & setsid sleep 61 & wait", timeout: 1.5)
        #expect(!result.succeeded)
        #expect(result.stopped?.contains("longer than its limit of 1 s") == true, "\(result)")
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(HostProcesses.matching("sleep 61").isEmpty)
    }

    @Test func theProcessLimitHolds() throws {
        var limits = ResourceLimits()
        limits.processes = 64
        let (result, log) = try inside(
            "python3 -c \"import subprocess\nn = 0\nkids = []\nfor i in range(200):\n    try:\n        kids.append(subprocess.Popen(['sleep', '30'])); n += 1\n    except OSError:\n        pass\nprint('started=%d' % n)\nfor k in kids: k.kill()\"",
            limits: limits)
        let started = log.firstMatch(of: /started=\s*(\d+)/).flatMap { Int($0.1) } ?? 999
        #expect(started < 64, "\(result) \(log)")
    }
}

/// The "nothing left behind" checks look at what this test process started, even once it is
/// orphaned, and at nothing else on the machine.
@Suite("Processes left behind")
struct LeftBehindTests {
    @Test func anOrphanOfOursIsSeenAndOtherProcessesAreNot() throws {
        HostProcesses.adoptOrphans()
        // The shell ends at once; its sleep is orphaned and comes to this process.
        let shell = try ChildProcess(Command("/bin/sh", ["-c", "sleep 47.5 </dev/null >/dev/null 2>&1 &"]))
        _ = shell.wait(timeout: 5)
        let found = HostProcesses.matching("sleep 47.5")
        #expect(found.count == 1, "\(found)")
        if let pid = found.first.flatMap({ Int32($0.split(separator: ":")[0]) }) { kill(pid, SIGKILL) }
        // PID 1 and its other children are not below this process.
        #expect(!HostProcesses.below(getpid()).contains { $0.pid == 1 })
        #expect(HostProcesses.below(1).contains { $0.pid == getpid() })
    }
}

@Suite("Children outlive the thread that started them")
struct SpawnThreadTests {
    /// A sandbox run with --die-with-parent dies when the thread that started it ends, unless
    /// every child is started on a thread that never ends: stations start their browsers on
    /// threads of their own, and those browsers died under their first case.
    @Test func aSandboxStartedOnAShortLivedThreadKeepsRunning() throws {
        final class Box: @unchecked Sendable { var child: Result<ChildProcess, ProcessError>? }
        let box = Box()
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            box.child = Result { () throws(ProcessError) -> ChildProcess in
                try ChildProcess(Command("/usr/bin/bwrap", ["--ro-bind", "/", "/", "--unshare-pid", "--die-with-parent", "sleep", "30"]))
            }
            started.signal()
        }
        started.wait()
        let child = try #require(try box.child?.get())
        defer { child.terminate(grace: 0) }
        usleep(500_000)  // the thread has ended by now; a parent-death signal would have come
        #expect(child.poll() == nil, "the sandbox ended with \(child.poll().map { "\($0)" } ?? "")")
    }
}
