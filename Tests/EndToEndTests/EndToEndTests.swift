import Foundation
import Processes
import TestSupport
import Testing

/// Reads `<out>/todo-list/report.json` as plain JSON (the schema a user's tooling sees).
func report(in out: URL, task: String = "todo-list") throws -> [String: Any] {
    let data = try Data(contentsOf: out.appendingPathComponent(task).appendingPathComponent("report.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func failing(_ report: [String: Any]) -> Set<String> {
    let cases = report["cases"] as? [[String: Any]] ?? []
    return Set(cases.filter { $0["verdict"] as? String != "pass" }.compactMap { $0["id"] as? String })
}

/// The apps with known verdicts (an expected.json beside their index.html), as paths below the
/// checkout: the test fixtures, the held-out ones, and the task's own broken variants.
func appsWithExpectations() -> [String] {
    ["Tests/Fixtures/todo-list", "Tests/Fixtures/todo-list-holdout", "tasks/todo-list/broken"].flatMap { folder in
        ((try? FileManager.default.contentsOfDirectory(atPath: Repo.root.appendingPathComponent(folder).path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted().map { "\(folder)/\($0)" }
    }
}

/// No process of an evaluation may outlive it: no sandbox, no browser, no private X server.
func expectNothingLeftBehind(sourceLocation: SourceLocation = #_sourceLocation) {
    var left: [String] = []
    for _ in 0..<30 {
        left =
            HostProcesses.matching("appjudge-jail") + HostProcesses.matching("/srv/appjudge/") + HostProcesses.matching("-displayfd")
            + HostProcesses.matching("--user-data-dir=/tmp/profile")
        if left.isEmpty { return }
        usleep(100_000)
    }
    Issue.record("processes left behind: \(left)", sourceLocation: sourceLocation)
}

@Suite("The todo-list task end to end", .serialized, .timeLimit(.minutes(10)))
struct TodoEndToEndTests {
    @Test func theReferencePassesAndTheReportExplainsIt() throws {
        let out = Scratch.directory("reference")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CLI.run([
            "run", "--task", Repo.todoTask.path, "--repo", Repo.todoTask.appendingPathComponent("reference").path,
            "--out", out.path,
        ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("score 1.00 (8/8 passed)"))
        #expect(result.output.contains("report: "))

        let json = try report(in: out)
        #expect(json["schema_version"] as? Int == 1)
        #expect(json["status"] as? String == "completed")
        #expect(json["score"] as? Double == 1.0)
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(
            cases.map { $0["id"] as? String } == [
                "heading", "add-button", "add-enter", "blank-ignored", "toggle-done", "delete", "persist", "clear-done",
            ])
        let dir = out.appendingPathComponent("todo-list")
        for c in cases {
            #expect(c["verdict"] as? String == "pass")
            #expect(!(c["reason"] as? String ?? "").isEmpty)
            let evidence = try #require(c["evidence"] as? [String: Any])
            let frames = try #require(evidence["frames"] as? [String])
            #expect(!frames.isEmpty)
            for frame in frames {
                #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("frames/\(frame).png").path))
            }
            #expect(!(evidence["text"] as? [String] ?? []).isEmpty)
        }
        // The HTML page stands alone: frames inline, no scripts, nothing fetched.
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("data:image/png;base64,"))
        #expect(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("url(http"))
        #expect(html.contains("class=marker"))
        // The trace is one JSON object per line, ending with the evaluation's end.
        let trace = try String(contentsOf: dir.appendingPathComponent("trace.jsonl"), encoding: .utf8).split(separator: "\n")
        let events = try trace.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.filter { $0?["event"] as? String == "verdict" }.count == 8)
        #expect(events.last??["event"] as? String == "evaluation_end")
        expectNothingLeftBehind()
    }

    /// Every correct implementation passes every case and every broken one fails exactly the
    /// cases its fault breaks, whatever its layout, colours, fonts, row order or markup.
    @Test("right verdicts on every fixture", arguments: appsWithExpectations())
    func verdicts(fixture: String) throws {
        let dir = Repo.root.appendingPathComponent(fixture)
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("expected.json"))) as? [String: [String]]
        let mustFail = Set(expected?["fail"] ?? [])
        let out = Scratch.directory("fixture")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try CLI.run(["run", "--task", Repo.todoTask.path, "--repo", dir.path, "--out", out.path])
        let json = try report(in: out)
        let cases = json["cases"] as? [[String: Any]] ?? []
        let detail = cases.filter { ($0["verdict"] as? String == "pass") == mustFail.contains($0["id"] as? String ?? "") }
            .map { "\($0["id"] ?? ""): \($0["verdict"] ?? "") - \($0["reason"] ?? "")" }
        #expect(failing(json) == mustFail, "\(fixture): \(detail)")
        #expect(result.status == (mustFail.isEmpty ? 0 : 1))
        expectNothingLeftBehind()
    }
}

@Suite("Command line", .serialized)
struct CommandLineTests {
    @Test func help() throws {
        let r = try CLI.run(["--help"])
        #expect(r.status == 0)
        #expect(r.output.contains("appjudge run --task DIR --repo DIR"))
        #expect(r.output.contains("Exit codes"))
        for command in [["run", "--help"], ["ocr", "x.png", "--help"], ["bench", "capture", "--help"]] {
            let sub = try CLI.run(command)
            #expect(sub.status == 0, "\(command)")
            #expect(sub.output.contains("Usage:"), "\(command): \(sub.output)")
        }
    }

    /// Bad usage and bad input: exit 2 and one sentence, no stack trace.
    @Test(
        "bad usage and input",
        arguments: [
            ([] as [String], "no command given"),
            (["frobnicate"], "unknown command 'frobnicate'"),
            (["run", "--repo", "x"], "run needs --task DIR and --repo DIR"),
            (["run", "--task", "tasks/todo-list", "--repo", "tasks/todo-list/reference", "--colour", "red"], "unknown option '--colour'"),
            (["run", "--task", "tasks/nope", "--repo", "tasks/todo-list/reference"], "tasks/nope/task.json: the task folder does not exist."),
            (["run", "--task", "tasks/todo-list", "--repo", "/nonexistent/repo"], "The repository /nonexistent/repo does not exist"),
            (["run", "--task", "tasks/todo-list", "--repo", "tasks/todo-list/reference", "--case", "nope"], "No case of"),
            (["run", "--task", "tasks/todo-list", "--repo", "tasks/todo-list/reference", "--workers", "0"], "--workers must be a whole number"),
        ])
    func badInput(arguments: [String], message: String) throws {
        let r = try CLI.run(arguments)
        #expect(r.status == 2, "\(r.output)")
        #expect(r.output.contains(message), "\(r.output)")
        #expect(r.output.split(separator: "\n").count == 1, "\(r.output)")
        #expect(!r.output.contains("Fatal error") && !r.output.contains("Backtrace"))
    }

    /// AppJudge's own fault (here: its sandbox launcher is missing) is exit 3, not the app's.
    @Test func infrastructureFaultsExitThree() throws {
        let home = Scratch.directory("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let done = try Command(
            Repo.releaseBinary.path,
            [
                "run", "--task", Repo.todoTask.path, "--repo",
                Repo.todoTask.appendingPathComponent("reference").path,
            ],
            environment: Command.baseEnvironment().merging(["APPJUDGE_HOME": home.path]) { $1 },
            workingDirectory: home.path
        ).run(timeout: 60)
        #expect(done.status == .exited(3), "\(done.output)")
        #expect(done.output.contains("sandbox support file") && done.output.contains("is missing"), "\(done.output)")
    }

    /// A report that cannot be written is an error with the file's name, never a silent loss.
    @Test func aReportThatCannotBeWrittenIsAnError() throws {
        let out = Scratch.directory("unwritable")
        defer { try? FileManager.default.removeItem(at: out) }
        // A folder where the report file should go: no write can replace it.
        try FileManager.default.createDirectory(at: out.appendingPathComponent("todo-list/report.json"), withIntermediateDirectories: true)
        let result = try CLI.run(["run", "--task", "tasks/todo-list", "--repo", "tasks/todo-list/reference", "--case", "heading", "--out", out.path])
        #expect(result.status == 3, "\(result.output)")
        #expect(result.output.contains("Cannot write the report") && result.output.contains("report.json"), "\(result.output)")
        expectNothingLeftBehind()
    }

    @Test func ocrPrintsWhatItReads() throws {
        let r = try CLI.run(["ocr", Repo.fixture("frames/todo-table-two-rows.png").path])
        #expect(r.status == 0)
        #expect(r.output.contains("Buy milk") && r.output.contains("Walk dog") && r.output.contains("Remaining: 2"), "\(r.output)")
        let bad = try CLI.run(["ocr", Repo.todoTask.appendingPathComponent("task.json").path])
        #expect(bad.status == 2)
        #expect(bad.output.contains("is not a readable PNG image"), "\(bad.output)")
    }

    @Test func aMalformedTaskNamesTheField() throws {
        let dir = Scratch.directory("badtask")
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"id": "x", "scenario": "display", "requirement": "r", "cases": [{"id": "a", "description": "d", "script": [{"click": 5}]}]}"#
            .write(to: dir.appendingPathComponent("task.json"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--task", dir.path, "--repo", "tasks/todo-list/reference"])
        #expect(r.status == 2)
        #expect(r.output.contains("task.json:1: cases[0].script[0].click: a target is a text, or an object"), "\(r.output)")
    }
}

@Suite("Interruption and isolation", .serialized, .timeLimit(.minutes(5)))
struct InterruptTests {
    @Test("Ctrl-C leaves a report marked interrupted and nothing running")
    func interrupt() throws {
        let out = Scratch.directory("interrupt")
        defer { try? FileManager.default.removeItem(at: out) }
        var env = Command.baseEnvironment()
        env["APPJUDGE_HOME"] = Repo.root.path
        let log = out.appendingPathComponent("stdout.txt").path
        let child = try ChildProcess(
            Command(
                Repo.releaseBinary.path,
                [
                    "run", "--task", Repo.todoTask.path, "--repo",
                    Repo.todoTask.appendingPathComponent("reference").path, "--out", out.path,
                ],
                environment: env, output: .file(log)))
        let trace = out.appendingPathComponent("todo-list/trace.jsonl")
        var started = false
        for _ in 0..<600 where !started {
            started = (try? String(contentsOf: trace, encoding: .utf8))?.contains("\"verdict\"") ?? false
            usleep(50_000)
        }
        #expect(started, "no case finished")
        kill(-child.pid, SIGINT)  // what a terminal sends on Ctrl-C: the whole foreground group
        let status = child.wait(timeout: 60)
        #expect(status == .exited(130), "\(String(describing: status)) \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        let json = try report(in: out)
        #expect(json["status"] as? String == "interrupted")
        let cases = json["cases"] as? [[String: Any]] ?? []
        #expect(cases.count == 8)
        #expect(cases.contains { $0["verdict"] as? String == "pass" })
        #expect(cases.contains { $0["verdict"] as? String == "skipped" })
        expectNothingLeftBehind()
    }

    /// A page whose script tries to reach a server on the host's loopback, and to read a host
    /// file through a symbolic link in the repository: neither gets anywhere.
    @Test func theAppCannotReachTheHost() throws {
        let listener = try LoopbackListener()
        defer { listener.stop() }
        let port = listener.port

        let repo = Scratch.directory("hostile")
        let out = Scratch.directory("hostile-out")
        defer {
            try? FileManager.default.removeItem(at: repo)
            try? FileManager.default.removeItem(at: out)
        }
        try FileManager.default.createSymbolicLink(atPath: repo.appendingPathComponent("secret.txt").path, withDestinationPath: "/etc/hostname")
        let page = """
            <!doctype html><html><body style="font:20px sans-serif"><h1>Todo List</h1><p id=net>network: trying</p><p id=file>file: trying</p>
            <script>
            fetch('http://127.0.0.1:\(port)/leak').then(() => net.textContent = 'network: REACHED').catch(() => net.textContent = 'network: blocked');
            fetch('secret.txt').then(r => r.ok ? r.text() : 'blocked').then(t => file.textContent = 'file: ' + t).catch(() => file.textContent = 'file: blocked');
            </script></body></html>
            """
        try page.write(to: repo.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--task", Repo.todoTask.path, "--repo", repo.path, "--out", out.path, "--case", "heading"])
        #expect(r.status == 1, "\(r.output)")  // "Remaining: 0" is not on this page
        #expect(listener.connections == 0, "the app connected to a listener on the host's loopback")
        let json = try report(in: out)
        let text = ((json["cases"] as? [[String: Any]])?.first?["evidence"] as? [String: Any])?["text"] as? [String] ?? []
        #expect(text.contains { $0.contains("network: blocked") }, "\(text)")
        #expect(text.contains { $0.contains("file: blocked") }, "\(text)")
        expectNothingLeftBehind()
    }
}
