import Foundation
import Processes
import TestSupport
import Testing

/// The counter task every stack fixture implements (Tests/Fixtures/stacks/).
let counterTask = Repo.fixture("stacks/counter-task")

/// Runs the counter task on one fixture and returns the CLI result and the report.
func evaluateCounter(_ fixture: String, extra: [String] = [], environment: [String: String] = [:]) throws -> (CLIResult, [String: Any], URL) {
    let out = Scratch.directory("stack")
    let result = try CLI.run(
        ["run", "--task", counterTask.path, "--repo", Repo.fixture(fixture).path, "--out", out.path] + extra, timeout: 600,
        environment: environment)
    return (result, try report(in: out, task: "counter"), out)
}

@Suite("Stacks build and launch in the sandbox", .serialized, .timeLimit(.minutes(15)))
struct StackTests {
    /// Each stack fixture serves the same counter page: built and started by its recipe, found
    /// on the port it really listens on, clicked, and judged.
    @Test(
        "a stack is detected, built, started and judged",
        arguments: [
            ("stacks/node-server", "node", "exec npm run start"),
            ("stacks/node-fixed-port", "node", "exec npm run dev"),
            ("stacks/node-daemon", "node", "exec npm run start"),
            ("stacks/node-build-static", "node", "static-server.py"),
            ("stacks/python-web-stdlib", "python-web", "exec python3 app.py"),
            ("stacks/python-package", "python-web", "exec python3 -m counterapp"),
            ("stacks/appjudge-json", "hints", "python3 srv/serve.py --listen 7000"),
            ("stacks/python-web-bottle", "python-web", "exec python3 app.py"),
        ])
    func stackRuns(fixture: String, stack: String, start: String) throws {
        let (result, json, out) = try evaluateCounter(fixture)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 0, "\(result.output)")
        #expect(json["outcome"] as? String == "evaluated")
        let build = try #require(json["build"] as? [String: Any])
        #expect(build["stack"] as? String == stack, "\(build)")
        #expect((build["start"] as? String)?.contains(start) == true, "\(build)")
        #expect(failing(json).isEmpty, "\(result.output)")
        expectNothingLeftBehind()
    }

    @Test func aBuildThatFailsIsBuildFailedWithItsLog() throws {
        let (result, json, out) = try evaluateCounter("stacks/build-fails")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 1, "\(result.output)")
        #expect(json["outcome"] as? String == "build_failed")
        #expect((json["outcome_reason"] as? String)?.contains("npm run build") == true)
        #expect((json["log_tail"] as? String)?.contains("error TS2304") == true, "\(json)")
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.allSatisfy { $0["verdict"] as? String == "skipped" })
        // The start command never ran.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("counter/logs/increment.log").path))
        expectNothingLeftBehind()
    }

    /// An install whose registry does not answer fails at once, saying so, instead of
    /// retrying for minutes (the fixture's .npmrc names a registry on the sandbox's loopback
    /// that refuses every connection).
    @Test func anInstallThatCannotReachItsRegistryFailsAtOnce() throws {
        let (result, json, out) = try evaluateCounter("stacks/node-committed-dist")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 1, "\(result.output)")
        #expect(json["outcome"] as? String == "build_failed")
        let reason = json["outcome_reason"] as? String ?? ""
        #expect(reason.contains("cannot reach its package registry 127.0.0.1:9") && reason.contains("--offline"), "\(reason)")
        let phases = (json["build"] as? [String: Any])?["phases"] as? [[String: Any]] ?? []
        let install = try #require(phases.first { $0["name"] as? String == "install" })
        #expect((install["seconds"] as? Double ?? 99) < 30, "\(install)")
        expectNothingLeftBehind()
    }

    /// Without a registry, `--offline` (or `"install": false` in appjudge.json) uses what the
    /// repository commits: here its built dist/, served as a static site.
    @Test func offlineUsesTheCommittedBuild() throws {
        let (result, json, out) = try evaluateCounter("stacks/node-committed-dist", extra: ["--offline"])
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 0, "\(result.output)")
        let build = try #require(json["build"] as? [String: Any])
        #expect(build["stack"] as? String == "node (committed build)", "\(build)")
        #expect((build["phases"] as? [Any])?.isEmpty != false, "\(build)")
        #expect(failing(json).isEmpty)

        let repo = Scratch.directory("install-false")
        defer { try? FileManager.default.removeItem(at: repo) }
        let copy = repo.appendingPathComponent("app")
        try FileManager.default.copyItem(at: Repo.fixture("stacks/node-committed-dist"), to: copy)
        try #"{"install": false}"#.write(to: copy.appendingPathComponent("appjudge.json"), atomically: true, encoding: .utf8)
        let out2 = Scratch.directory("stack")
        defer { try? FileManager.default.removeItem(at: out2) }
        let again = try CLI.run(["run", "--task", counterTask.path, "--repo", copy.path, "--out", out2.path], timeout: 600)
        #expect(again.status == 0, "\(again.output)")
        expectNothingLeftBehind()
    }

    @Test func aStartCommandThatExitsIsLaunchFailed() throws {
        let (result, json, out) = try evaluateCounter("stacks/launch-fails")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 1, "\(result.output)")
        #expect(json["outcome"] as? String == "launch_failed")
        #expect((json["log_tail"] as? String)?.contains("Cannot find module './routes'") == true, "\(json)")
        expectNothingLeftBehind()
    }

    @Test func anAppThatNeverListensIsNotReady() throws {
        let (result, json, out) = try evaluateCounter("stacks/never-ready", extra: ["--start-timeout", "4"])
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 1, "\(result.output)")
        #expect(json["outcome"] as? String == "not_ready")
        #expect((json["outcome_reason"] as? String)?.contains("no port was ever listening") == true, "\(json)")
        expectNothingLeftBehind()
    }

    @Test func aServerThatDiesUnderTestCrashed() throws {
        let (result, json, out) = try evaluateCounter("stacks/crash-during")
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(result.status == 1, "\(result.output)")
        #expect(json["outcome"] as? String == "crashed")
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.first?["verdict"] as? String == "fail")
        #expect(cases.first?["app_failure"] as? String == "crashed")
        #expect((json["log_tail"] as? String)?.contains("out of widgets") == true, "\(json)")
        expectNothingLeftBehind()
    }

    @Test func aRepositoryNoStackRecognisesIsBuildFailed() throws {
        let out = Scratch.directory("nostack")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run([
            "run", "--task", counterTask.path, "--repo", Repo.root.appendingPathComponent("Tests/Fixtures/golden").path, "--out", out.path,
        ])
        #expect(r.status == 1, "\(r.output)")
        let json = try report(in: out, task: "counter")
        #expect(json["outcome"] as? String == "build_failed")
        #expect((json["outcome_reason"] as? String)?.contains("add an appjudge.json with \"start\"") == true, "\(json)")
    }

    @Test func aBrokenAppjudgeJsonNamesTheFileAndField() throws {
        let repo = Scratch.directory("badmanifest")
        let out = Scratch.directory("badmanifest-out")
        defer {
            try? FileManager.default.removeItem(at: repo)
            try? FileManager.default.removeItem(at: out)
        }
        try #"{"start": "python3 app.py", "port": "eight"}"#.write(
            to: repo.appendingPathComponent("appjudge.json"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["run", "--task", counterTask.path, "--repo", repo.path, "--out", out.path])
        #expect(r.status == 1, "\(r.output)")
        let reason = try #require(try report(in: out, task: "counter")["outcome_reason"] as? String)
        #expect(reason.contains("appjudge.json: port:"), "\(reason)")
    }
}
