import Foundation
import Judge
import Processes
import Reports
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

        try shardsSideBySideMergeToTheSameRun(whole, arguments: arguments, scratch: scratch)

        // The same run, killed with SIGKILL as soon as one pair has its result.
        let killed = scratch.appendingPathComponent("killed")
        let env = CLI.environment()
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

        try dashboardAndDiffRenderInChromium(whole, scratch: scratch)
    }

    /// The same plan as two shards run side by side (two processes, a pair at a time each), then
    /// merged: the verdicts and summary of the unsharded run `whole`.
    func shardsSideBySideMergeToTheSameRun(_ whole: URL, arguments: (URL) -> [String], scratch: URL) throws {
        let env = CLI.environment()
        let shards = [1, 2].map { scratch.appendingPathComponent("shard-\($0)") }
        func shardArguments(_ k: Int) -> [String] { arguments(shards[k - 1]).filter { $0 != "2" && $0 != "--jobs" } + ["--jobs", "1", "--shard", "\(k)/2"] }
        let first = try ChildProcess(
            Command(
                Repo.releaseBinary.path, shardArguments(1), environment: env, workingDirectory: Repo.root.path,
                output: .file(scratch.appendingPathComponent("shard-1.log").path)))
        let second = try CLI.run(shardArguments(2), timeout: 300)
        let firstEnd = first.wait(timeout: 300)
        let firstLog = (try? String(contentsOf: scratch.appendingPathComponent("shard-1.log"), encoding: .utf8)) ?? ""
        #expect([ExitStatus.exited(0), .exited(1)].contains(firstEnd), "\(firstLog)")
        #expect([0, 1].contains(second.status), "\(second.output)")
        var dealt: [String] = []
        for shard in shards {
            let manifest = try JSONDecoder.report.decode(SuiteManifest.self, from: Data(contentsOf: shard.appendingPathComponent("run.json")))
            dealt += try #require(manifest.shard).pairs
        }
        #expect(dealt.sorted() == ["broken/calculator", "broken/todo-list", "ref/calculator", "ref/todo-list"])

        let merged = scratch.appendingPathComponent("merged")
        let merge = try CLI.run(["merge", "--out", merged.path] + shards.map(\.path))
        // The gate the shards were given (--fail-on fail) holds for the merged run too.
        #expect(merge.status == 1, "\(merge.output)")
        #expect(merge.output.contains("merged 2 shard(s), 4 pair(s)") && merge.output.contains("gate failed: --fail-on fail"), "\(merge.output)")
        #expect(try pairVerdicts(merged) == (try pairVerdicts(whole)))
        let a = try JSONSerialization.jsonObject(with: Data(contentsOf: whole.appendingPathComponent("summary.json"))) as? NSDictionary
        let b = try JSONSerialization.jsonObject(with: Data(contentsOf: merged.appendingPathComponent("summary.json"))) as? NSDictionary
        #expect(a == b)
        for file in ["run.json", "junit.xml", "summary.md", "summary.html", "pairs/ref/todo-list/report.html"] {
            #expect(FileManager.default.fileExists(atPath: merged.appendingPathComponent(file).path), "\(file)")
        }
        // One shard alone is refused, naming what is missing.
        let alone = try CLI.run(["merge", "--out", scratch.appendingPathComponent("alone").path, shards[0].path])
        #expect(alone.status == 2 && alone.output.contains("shard 2/2 is not among the folders given"), "\(alone.output)")
    }

    /// summary.html and a diff page, rendered by headless Chromium: the DOM after the page's own
    /// script ran, and the screenshot read back through AppJudge's OCR.
    func dashboardAndDiffRenderInChromium(_ run: URL, scratch: URL) throws {
        // The dashboard, filtered through its link: only the broken generator's rows stay shown.
        let dom = try chromium(["--dump-dom", "file://\(run.path)/summary.html#filter=broken"], scratch: scratch)
        #expect(dom.components(separatedBy: "<tr class=\"o-").count - 1 == 4, "\(dom.prefix(3000))")
        #expect(dom.components(separatedBy: "style=\"display: none;\"").count - 1 == 2, "\(dom.prefix(3000))")
        #expect(dom.contains("<svg") && dom.contains("<rect class=\"strict\""))
        #expect(dom.contains("href=\"pairs/ref/todo-list/report.html\""))
        #expect(!dom.contains("src=\"http") && !dom.contains("href=\"http"))
        let shot = scratch.appendingPathComponent("summary.png")
        _ = try chromium(["--screenshot=\(shot.path)", "--window-size=1100,900", "file://\(run.path)/summary.html"], scratch: scratch)
        let read = try CLI.run(["ocr", shot.path])
        #expect(read.status == 0 && read.output.contains("AppJudge suite") && read.output.contains("Per scenario"), "\(read.output)")

        // A second run where the broken app was fixed and the reference lost its heading.
        let other = scratch.appendingPathComponent("other")
        try FileManager.default.copyItem(at: run, to: other)
        for (pair, id, verdict) in [("broken/todo-list", "persist", Verdict.pass), ("ref/todo-list", "heading", .fail)] {
            let file = other.appendingPathComponent("pairs/\(pair)/result.json")
            var result = try JSONDecoder.report.decode(PairResult.self, from: Data(contentsOf: file))
            let i = try #require(result.cases.firstIndex { $0.id == id })
            result.cases[i].verdict = verdict
            try JSONEncoder.report.encode(result).write(to: file)
        }
        let page = scratch.appendingPathComponent("diff.html")
        let diff = try CLI.run(["diff", run.path, other.path, "--html", page.path])
        #expect(diff.status == 1, "\(diff.output)")
        #expect(diff.output.contains("2 case(s) flipped") && diff.output.contains("ref/todo-list/heading: pass -> fail"), "\(diff.output)")
        #expect(diff.output.contains("broken/todo-list: 0.88 -> 1.00"), "\(diff.output)")
        let diffDom = try chromium(["--dump-dom", "file://\(page.path)"], scratch: scratch)
        #expect(diffDom.components(separatedBy: "src=\"data:image/png;base64,").count - 1 == 4, "\(diffDom.prefix(2000))")
        let diffShot = scratch.appendingPathComponent("diff.png")
        _ = try chromium(["--screenshot=\(diffShot.path)", "--window-size=1100,900", "file://\(page.path)"], scratch: scratch)
        let diffRead = try CLI.run(["ocr", diffShot.path])
        #expect(diffRead.output.contains("case(s) flipped"), "\(diffRead.output)")
    }

    /// Headless Chromium on a page; returns what it prints (the DOM with --dump-dom).
    func chromium(_ arguments: [String], scratch: URL) throws -> String {
        let done = try Command(
            "/usr/lib/chromium/chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(scratch.appendingPathComponent("chromium-profile").path)"] + arguments
        ).run(timeout: 60, outputLimit: 8 << 20)
        #expect(done.status == .exited(0), "\(done.output.suffix(2000))")
        return done.output
    }
}
