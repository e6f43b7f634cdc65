import Foundation
import Processes
import TestSupport
import Testing

/// Two generators over two small tasks: "ref" has the references of todo-list and calculator,
/// "broken" has todo-list's no-persist variant and no calculator at all.
func suiteGenerators(in scratch: URL) throws -> URL {
    let fm = FileManager.default
    let root = scratch.appendingPathComponent("generators")
    for (target, source) in [
        ("ref/todo-list", "tasks/todo-list/reference"), ("ref/calculator", "tasks/calculator/reference"),
        ("broken/todo-list", "tasks/todo-list/broken/no-persist"),
    ] {
        try fm.createDirectory(at: root.appendingPathComponent(target).deletingLastPathComponent(), withIntermediateDirectories: true)
        try fm.copyItem(at: Repo.root.appendingPathComponent(source), to: root.appendingPathComponent(target))
    }
    return root
}

/// Each pair's outcome and case verdicts, read from its result.json.
func pairVerdicts(_ run: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    for pair in ["ref/todo-list", "ref/calculator", "broken/todo-list", "broken/calculator"] {
        let data = try Data(contentsOf: run.appendingPathComponent("pairs/\(pair)/result.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = (json["cases"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")=\($0["verdict"] ?? "")" }
        out[pair] = "\(json["outcome"] ?? ""): \(cases.joined(separator: " "))"
    }
    return out
}

@Suite("Suite runs end to end", .serialized, .timeLimit(.minutes(10)))
struct SuiteEndToEndTests {
    /// The real binary on real tasks: an uninterrupted run, then a run killed with SIGKILL once a
    /// pair has finished and resumed; both end with the same verdicts and summary, the finished
    /// pair is not redone, and nothing of the killed run is left.
    @Test func aKilledRunResumesToTheVerdictsOfAnUninterruptedOne() throws {
        let scratch = Scratch.directory("suite-e2e")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let generators = try suiteGenerators(in: scratch)
        func arguments(_ out: URL) -> [String] {
            [
                "suite", "--tasks", Repo.root.appendingPathComponent("tasks").path, "--task-ids", "todo-list,calculator",
                "--repos", generators.appendingPathComponent("ref").path, "--repos", generators.appendingPathComponent("broken").path,
                "--jobs", "2", "--out", out.path, "--fail-on", "fail",
            ]
        }
        let whole = scratch.appendingPathComponent("whole")
        let first = try CLI.run(arguments(whole), timeout: 300)
        #expect(first.status == 1, "\(first.output)")
        #expect(first.output.contains("gate failed: --fail-on fail: 1 hit: broken/todo-list/persist"), "\(first.output)")
        let expected = try pairVerdicts(whole)
        #expect(expected["ref/todo-list"]?.hasPrefix("evaluated: heading=pass") == true)
        #expect(expected["broken/todo-list"]?.contains("persist=fail") == true)
        #expect(expected["broken/calculator"]?.hasPrefix("skipped: display-zero=skipped") == true)
        for file in ["run.json", "summary.json", "junit.xml", "summary.md", "pairs/ref/todo-list/report.html"] {
            #expect(FileManager.default.fileExists(atPath: whole.appendingPathComponent(file).path), "\(file)")
        }

        // The same run, killed with SIGKILL as soon as one pair has its result.
        let killed = scratch.appendingPathComponent("killed")
        var env = Command.baseEnvironment()
        env["APPJUDGE_HOME"] = Repo.root.path
        env["OMP_THREAD_LIMIT"] = "1"
        let process = try ChildProcess(
            Command(
                Repo.releaseBinary.path, arguments(killed), environment: env, workingDirectory: Repo.root.path,
                output: .file(scratch.appendingPathComponent("killed.log").path)))
        var done: [String] = []
        for _ in 0..<1200 where done.isEmpty {
            usleep(100_000)
            done = ["ref/todo-list", "ref/calculator", "broken/todo-list"].filter {
                FileManager.default.fileExists(atPath: killed.appendingPathComponent("pairs/\($0)/result.json").path)
            }
        }
        let finished = try #require(done.first, "no pair finished before the kill")
        kill(process.pid, SIGKILL)
        #expect(process.wait(timeout: 10) == .signalled(SIGKILL))
        let kept = try Data(contentsOf: killed.appendingPathComponent("pairs/\(finished)/result.json"))
        let lock = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: killed.appendingPathComponent(".suite-lock"))) as? [String: Any])
        let tag = try #require(lock["tag"] as? String)

        let resumed = try CLI.run(["suite", "--resume", killed.path], timeout: 300)
        #expect(resumed.status == 1, "\(resumed.output)")
        #expect(resumed.output.contains("1 already done") || resumed.output.contains("2 already done") || resumed.output.contains("3 already done"), "\(resumed.output)")
        #expect(resumed.output.contains("swept what the interrupted run left"), "\(resumed.output)")
        #expect(try pairVerdicts(killed) == expected)
        // The pair that had finished was not evaluated again.
        #expect(try Data(contentsOf: killed.appendingPathComponent("pairs/\(finished)/result.json")) == kept)
        let a = try JSONSerialization.jsonObject(with: Data(contentsOf: whole.appendingPathComponent("summary.json"))) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(contentsOf: killed.appendingPathComponent("summary.json"))) as? NSDictionary
        #expect(a == b)

        // Nothing of the killed run is left: no work folder, no control group, no process.
        let cgroups = ["", "/pids", "/memory", "/unified"].flatMap { parent in
            ((try? FileManager.default.contentsOfDirectory(atPath: "/sys/fs/cgroup\(parent)")) ?? []).filter { $0.hasPrefix("appjudge-\(tag)-") }
        }
        #expect(cgroups.isEmpty, "\(cgroups)")
        #expect(!FileManager.default.fileExists(atPath: lock["workFolder"] as? String ?? "/"))
        expectNothingLeftBehind()
    }
}
