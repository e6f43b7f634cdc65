import Foundation
import HTTP
import JSON
import Judge
import TestSupport
import Testing

/// `appjudge suite` end to end on the real binary and real apps: `--retries` on the real engine,
/// and `--judge llm` through the suite path against a scripted model on 127.0.0.1.
///
/// Flakiness by construction. Every case runs on a fresh copy of the built app in a fresh
/// sandbox with a fresh browser context, and a retry is a new evaluation with a new workspace,
/// display and browser: a web app has nothing that survives from one attempt to the next, so
/// an app cannot be flaky deterministically (a delay would only be flaky by luck). The first
/// test therefore checks the honest alternative on the script judge: a case that fails every
/// time is run K more times and stays a failure, a passing case is not run again. The second
/// test makes the *judge* flaky instead (the scripted model fails a case in its first episode
/// and passes it in the retry's), which is deterministic and reaches `flaky` on the real engine.
@Suite("Suite runs with retries and the LLM judge end to end", .serialized, .timeLimit(.minutes(10)))
struct SuiteJudgeEndToEndTests {
    static let canary = "sk-canary-suite-\(UUID().uuidString.prefix(8))"
    static let model = "gpt-4.1-mini"

    /// The app every repository of these tests holds: a heading, a counter and its button.
    /// It never says "Goodbye for now".
    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>Greeting Board</title>
        <style>
          body { font-family: "DejaVu Sans", sans-serif; font-size: 28px; background: #ffffff; color: #111111; margin: 40px; }
          h1 { font-size: 44px; margin: 0 0 24px 0; }
          #count { margin: 0 0 24px 0; }
          button { font-family: "DejaVu Sans", sans-serif; font-size: 28px; padding: 10px 24px; }
        </style>
        </head>
        <body>
        <h1>Greeting Board</h1>
        <p id="count">Waves: 0</p>
        <button id="wave" type="button">Wave</button>
        <script>
          var waves = 0;
          document.getElementById('wave').addEventListener('click', function () {
            waves += 1;
            document.getElementById('count').textContent = 'Waves: ' + waves;
          });
        </script>
        </body>
        </html>
        """

    /// Writes `tasks/<id>/task.json` for each task and `gen/<id>/index.html` (the app) beside it.
    func writeTasks(_ tasks: [(id: String, cases: [[String: Any]])], in scratch: URL) throws -> (tasks: URL, generator: URL) {
        let fm = FileManager.default
        let tasksDir = scratch.appendingPathComponent("tasks"), generator = scratch.appendingPathComponent("gen")
        for (id, cases) in tasks {
            let task = tasksDir.appendingPathComponent(id), repo = generator.appendingPathComponent(id)
            try fm.createDirectory(at: task, withIntermediateDirectories: true)
            try fm.createDirectory(at: repo, withIntermediateDirectories: true)
            let spec: [String: Any] = [
                "schema_version": 1, "id": id, "title": "Greeting board", "scenario": "display",
                "requirement":
                    "Build a page with the heading \"Greeting Board\", a status \"Waves: N\" starting at 0 and a button \"Wave\" that adds one to it.",
                "app": ["kind": "web", "entry": "index.html", "viewport": ["width": 640, "height": 480]],
                "cases": cases,
            ]
            try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys]).write(to: task.appendingPathComponent("task.json"))
            try Data(Self.page.utf8).write(to: repo.appendingPathComponent("index.html"))
        }
        return (tasksDir, generator)
    }

    func object(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], "\(url.path)")
    }

    /// A pair's result.json cases by id.
    func resultCases(_ run: URL, _ pair: String) throws -> (result: [String: Any], cases: [String: [String: Any]]) {
        let result = try object(run.appendingPathComponent("pairs/\(pair)/result.json"))
        let list = result["cases"] as? [[String: Any]] ?? []
        return (result, Dictionary(uniqueKeysWithValues: list.map { ($0["id"] as? String ?? "", $0) }))
    }

    /// The counts by verdict of a summary.json figures object, for the buckets these tests use.
    func counts(_ figures: Any?) -> [String: Int] {
        let cases = (figures as? [String: Any])?["cases"] as? [String: Int] ?? [:]
        return cases.filter { ["pass", "flaky", "fail", "uncertain", "error", "skipped"].contains($0.key) }
    }

    /// The `<testsuite ...>` opening tag and the `<testcase ...>...</testcase>` elements of junit.xml.
    func junitSuite(_ xml: String, _ name: String) -> String? {
        guard let start = xml.range(of: "<testsuite name=\"\(name)\"") else { return nil }
        guard let end = xml.range(of: "</testsuite>", range: start.upperBound..<xml.endIndex) else { return nil }
        return String(xml[start.lowerBound..<end.upperBound])
    }

    func junitCase(_ suite: String, _ name: String) -> String? {
        guard let start = suite.range(of: "name=\"\(name)\">") else { return nil }
        guard let end = suite.range(of: "</testcase>", range: start.upperBound..<suite.endIndex) else { return nil }
        return String(suite[start.upperBound..<end.lowerBound])
    }

    /// The ids and verdicts of a report.json's cases.
    func reportVerdicts(_ url: URL) throws -> [String: String] {
        let cases = try object(url)["cases"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: cases.map { ($0["id"] as? String ?? "", $0["verdict"] as? String ?? "") })
    }

    // MARK: - --retries on the script judge

    /// `--retries 2` on the real engine: the case the app always fails is run twice more, each
    /// time alone on a fresh app, and stays `fail` (not flaky) with three attempts and the two
    /// retries' evidence; the passing case is run once. result.json, summary.json and junit.xml
    /// all say so.
    @Test func aCaseThatFailsEveryAttemptIsRetriedKTimesAndAPassingCaseIsNot() throws {
        let scratch = Scratch.directory("suite-retries")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (tasks, generator) = try writeTasks(
            [
                (
                    "greeting",
                    [
                        [
                            "id": "title", "description": "The page shows the heading \"Greeting Board\".",
                            "script": [["expect": ["visible": "Greeting Board"]]],
                        ],
                        [
                            "id": "farewell", "description": "The page says \"Goodbye for now\".",
                            "script": [["expect": ["visible": "Goodbye for now"]]],
                        ],
                    ]
                )
            ], in: scratch)
        let run = scratch.appendingPathComponent("run")
        let started = Date()
        let result = try CLI.run(
            ["suite", "--tasks", tasks.path, "--repos", "gen=\(generator.path)", "--retries", "2", "--jobs", "1", "--out", run.path], timeout: 300)
        let seconds = Date().timeIntervalSince(started)
        // No gate was given: a completed run exits 0 even with a failed case.
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("cases pass 1, flaky 0, fail 1, uncertain 0, error 0, skipped 0"), "\(result.output)")
        print("suite --retries 2 took \(String(format: "%.1f", seconds)) s")

        let manifest = try object(run.appendingPathComponent("run.json"))
        #expect(manifest["judge"] as? String == "script")
        #expect(manifest["retries"] as? Int == 2)

        let (pair, cases) = try resultCases(run, "gen/greeting")
        #expect(pair["outcome"] as? String == "evaluated", "\(pair)")
        #expect(pair["attempts"] as? Int == 1, "one evaluation of the pair: retries are not infra retries")
        #expect(Set(cases.keys) == ["title", "farewell"])

        let title = try #require(cases["title"])
        #expect(title["verdict"] as? String == "pass", "\(title)")
        #expect(title["attempts"] as? Int == 1, "a passing case is not run again: \(title)")
        #expect(title["flaky"] as? Bool == false)
        #expect((title["retry_evidence"] as? [String])?.isEmpty == true, "\(title)")

        let farewell = try #require(cases["farewell"])
        #expect(farewell["verdict"] as? String == "fail", "\(farewell)")
        #expect(farewell["flaky"] as? Bool == false, "\(farewell)")
        #expect(farewell["attempts"] as? Int == 3, "the first run and two retries: \(farewell)")
        #expect((farewell["reason"] as? String)?.contains("Goodbye for now") == true, "\(farewell)")
        let evidence = try #require(farewell["evidence"] as? String)
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(evidence).path), "\(evidence)")
        let retryEvidence = farewell["retry_evidence"] as? [String] ?? []
        #expect(retryEvidence.count == 2, "\(farewell)")
        for (i, frame) in retryEvidence.enumerated() {
            #expect(frame.hasPrefix("pairs/gen/greeting/attempts/retry-\(i + 1)/greeting/frames/farewell-"), "\(frame)")
            #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(frame).path), "\(frame)")
        }
        // Each retry is an evaluation of only the failing case, on a fresh app; there is no third.
        for round in 1...2 {
            let report = run.appendingPathComponent("pairs/gen/greeting/attempts/retry-\(round)/greeting/report.json")
            #expect(try reportVerdicts(report) == ["farewell": "fail"], "retry \(round)")
        }
        #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("pairs/gen/greeting/attempts/retry-3").path))

        let summary = try object(run.appendingPathComponent("summary.json"))
        let expected = ["pass": 1, "flaky": 0, "fail": 1, "uncertain": 0, "error": 0, "skipped": 0]
        #expect(counts(summary["total"]) == expected, "\(summary)")
        let generators = summary["generators"] as? [[String: Any]] ?? []
        #expect(generators.map { $0["name"] as? String } == ["gen"])
        #expect(counts(generators.first?["overall"]) == expected, "\(generators)")
        #expect(((summary["total"] as? [String: Any])?["outcomes"] as? [String: Int])?["evaluated"] == 1)

        let junit = try String(contentsOf: run.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("<testsuites name=\"appjudge\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"), "\(junit)")
        let suite = try #require(junitSuite(junit, "gen/greeting"), "\(junit)")
        #expect(suite.contains("tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\""), "\(suite)")
        #expect(junitCase(suite, "title") == "", "\(suite)")
        let failure = try #require(junitCase(suite, "farewell"), "\(suite)")
        #expect(failure.hasPrefix("<failure type=\"fail\"") && failure.contains("evidence: \(evidence)"), "\(failure)")
        expectNothingLeftBehind()
    }

    // MARK: - --judge llm through the suite

    /// `appjudge suite --judge llm` with a scripted OpenAI-shaped model on 127.0.0.1, two tasks
    /// on one generator, `--retries 1` and `--fail-on fail`: the verdicts are the model's, the
    /// model's first-episode failure of `sticky` that it passes on the retry is flaky (and not
    /// a gate hit), run.json names the judge, the model and the hash of the prompt the model
    /// was really sent, and the key reaches the model and nothing written.
    @Test func theLLMJudgeDecidesEveryPairOfASuiteAndAFailureOnlyOfItsFirstEpisodeIsFlaky() throws {
        let scratch = Scratch.directory("suite-llm")
        defer { try? FileManager.default.removeItem(at: scratch) }
        func described(_ id: String, _ text: String) -> [String: Any] { ["id": id, "description": text] }
        let (tasks, generator) = try writeTasks(
            [
                (
                    "greeting",
                    [
                        described("title", "The page shows the heading \"Greeting Board\"."),
                        described("farewell", "The page says \"Goodbye for now\"."),
                    ]
                ),
                (
                    "waves",
                    [
                        described("wave", "Click Wave: the status reads \"Waves: 1\"."),
                        described("sticky", "The status reads \"Waves: 0\" on load."),
                    ]
                ),
            ], in: scratch)

        // The model: title passes at once; farewell fails every episode; wave clicks Wave, then
        // passes; sticky fails in its first episode and passes in any later one. Each verdict
        // cites the newest frame it was shown.
        let episodes = EpisodeCounter()
        let server = try FakeModelServer { request, _ in
            let body = request.json ?? .null
            let id = ModelReplies.caseId(in: body) ?? "?"
            let turn = ModelReplies.turns(in: body)
            let episode = turn == 0 ? episodes.start(id) : episodes.current(id)
            func verdict(_ result: String, _ reason: String) -> FakeModelServer.Reply {
                .json(
                    ModelReplies.openAI(
                        tool: "verdict",
                        ["result": .string(result), "reason": .string(reason), "evidence": [.string(ModelReplies.latestFrame(in: body) ?? "none")]]))
            }
            switch (id, turn) {
            case ("title", _): return verdict("pass", "The heading Greeting Board is shown.")
            case ("farewell", _): return verdict("fail", "Nothing says Goodbye for now.")
            case ("wave", 0): return .json(ModelReplies.openAI(tool: "click", ["text": "Wave"]))
            case ("wave", _): return verdict("pass", "Waves: 1 after one click.")
            case ("sticky", _) where episode == 0: return verdict("fail", "First look: not convinced.")
            case ("sticky", _): return verdict("pass", "Waves: 0 is shown.")
            default: return verdict("uncertain", "unknown case \(id)")
            }
        }
        defer { server.stop() }

        let run = scratch.appendingPathComponent("run")
        let started = Date()
        let result = try CLI.run(
            [
                "suite", "--tasks", tasks.path, "--repos", "gen=\(generator.path)", "--jobs", "2", "--retries", "1", "--fail-on", "fail",
                "--out", run.path, "--judge", "llm", "--model", Self.model, "--base-url", server.openAIBaseURL, "--timeout", "30",
            ], timeout: 300, environment: ["OPENAI_API_KEY": Self.canary])
        let seconds = Date().timeIntervalSince(started)
        print("suite --judge llm took \(String(format: "%.1f", seconds)) s, \(server.requests.count) model call(s)")
        // The gate fails on farewell only: sticky passed on its retry, so it is flaky, not a hit.
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("gate failed: --fail-on fail: 1 hit: gen/greeting/farewell."), "\(result.output)")
        #expect(result.output.contains("cases pass 2, flaky 1, fail 1, uncertain 0, error 0, skipped 0"), "\(result.output)")

        // What the model server received: every call with the key, for this model, with the
        // screen of the real app (after the click, its new status).
        let requests = server.requests
        #expect(requests.count > 0)
        #expect(requests.allSatisfy { $0.path == "/v1/chat/completions" && $0.headers["authorization"] == "Bearer \(Self.canary)" })
        #expect(requests.allSatisfy { $0.json?["model"]?.string == Self.model })
        // Episodes per case: one each, and one more for each case the retry ran (farewell, sticky).
        #expect(episodes.started == ["title": 1, "farewell": 2, "wave": 1, "sticky": 2], "\(episodes.started)")
        #expect(requests.count == 7, "title 1 + farewell 2 + wave 2 + sticky 2 calls, not \(requests.count)")
        let afterClick = requests.filter { ModelReplies.caseId(in: $0.json ?? .null) == "wave" && ModelReplies.turns(in: $0.json ?? .null) == 1 }
        #expect(afterClick.count == 1)
        #expect(afterClick.contains { ModelReplies.texts(of: $0.json ?? .null).contains { $0.contains("Waves: 1") } }, "the click reached the app")
        let systemPrompts = Set(requests.compactMap { $0.json?["messages"]?.array?.first?["content"]?.string })
        #expect(systemPrompts.count == 1)

        // run.json: the judge, the model, the options as given (no key) and the prompt's hash.
        let manifest = try object(run.appendingPathComponent("run.json"))
        #expect(manifest["judge"] as? String == "llm", "\(manifest)")
        #expect(manifest["model"] as? String == Self.model, "\(manifest)")
        #expect(manifest["retries"] as? Int == 1)
        let hash = try #require(manifest["prompt_hash"] as? String, "\(manifest)")
        #expect(hash.count == 64 && hash.allSatisfy(\.isHexDigit), "\(hash)")
        #expect(hash == SHA256.hex(Data(AgentJudge.systemPrompt.utf8)))
        #expect(systemPrompts.first.map { SHA256.hex(Data($0.utf8)) } == hash, "run.json hashes the prompt the model was sent")
        let options = manifest["judge_options"] as? [String: String] ?? [:]
        #expect(options["judge"] == "llm" && options["model"] == Self.model && options["base-url"] == server.openAIBaseURL, "\(options)")

        // Each pair: the verdicts the scripted answers imply, from the LLM judge, retries included.
        let (greeting, greetingCases) = try resultCases(run, "gen/greeting")
        #expect(greeting["outcome"] as? String == "evaluated", "\(greeting)")
        #expect(greetingCases.mapValues { $0["verdict"] as? String } == ["title": "pass", "farewell": "fail"], "\(greetingCases)")
        #expect(greetingCases["title"]?["attempts"] as? Int == 1)
        #expect(greetingCases["farewell"]?["attempts"] as? Int == 2)
        #expect(greetingCases["farewell"]?["flaky"] as? Bool == false)
        #expect((greetingCases["farewell"]?["reason"] as? String)?.contains("Nothing says Goodbye for now.") == true, "\(greetingCases)")

        let (waves, waveCases) = try resultCases(run, "gen/waves")
        #expect(waves["outcome"] as? String == "evaluated", "\(waves)")
        #expect(waveCases.mapValues { $0["verdict"] as? String } == ["wave": "pass", "sticky": "pass"], "\(waveCases)")
        #expect(waveCases.mapValues { $0["flaky"] as? Bool } == ["wave": false, "sticky": true], "\(waveCases)")
        #expect(waveCases.mapValues { $0["attempts"] as? Int } == ["wave": 1, "sticky": 2], "\(waveCases)")
        let sticky = try #require(waveCases["sticky"])
        let stickyReason = sticky["reason"] as? String ?? ""
        #expect(stickyReason.hasPrefix("Flaky: passed on retry 1 after failing:") && stickyReason.contains("First look: not convinced."), "\(sticky)")
        let stickyFrames = [sticky["evidence"] as? String] + (sticky["retry_evidence"] as? [String] ?? []).map { Optional($0) }
        #expect(stickyFrames.count == 2, "the first attempt's evidence and the retry's: \(sticky)")
        for frame in stickyFrames {
            #expect(frame.map { FileManager.default.fileExists(atPath: run.appendingPathComponent($0).path) } == true, "\(frame ?? "none")")
        }

        // The LLM judge's options reached every evaluation, the retries' too.
        for report in [
            "pairs/gen/greeting/report.json", "pairs/gen/waves/report.json", "pairs/gen/greeting/attempts/retry-1/greeting/report.json",
            "pairs/gen/waves/attempts/retry-1/waves/report.json",
        ] {
            let json = try object(run.appendingPathComponent(report))
            #expect(json["judge"] as? String == "llm:openai/\(Self.model)", "\(report): \(json["judge"] ?? "none")")
        }
        #expect(try reportVerdicts(run.appendingPathComponent("pairs/gen/waves/attempts/retry-1/waves/report.json")) == ["sticky": "pass"])
        #expect(try reportVerdicts(run.appendingPathComponent("pairs/gen/greeting/attempts/retry-1/greeting/report.json")) == ["farewell": "fail"])

        let summary = try object(run.appendingPathComponent("summary.json"))
        #expect(counts(summary["total"]) == ["pass": 2, "flaky": 1, "fail": 1, "uncertain": 0, "error": 0, "skipped": 0], "\(summary)")
        let junit = try String(contentsOf: run.appendingPathComponent("junit.xml"), encoding: .utf8)
        let waveSuite = try #require(junitSuite(junit, "gen/waves"), "\(junit)")
        #expect(waveSuite.contains("tests=\"2\" failures=\"0\" errors=\"0\""), "\(waveSuite)")
        #expect(junitCase(waveSuite, "sticky")?.hasPrefix("<system-out>flaky: failed, then passed on a retry (2 runs).") == true, "\(waveSuite)")
        let greetingSuite = try #require(junitSuite(junit, "gen/greeting"), "\(junit)")
        #expect(greetingSuite.contains("tests=\"2\" failures=\"1\" errors=\"0\""), "\(greetingSuite)")

        // The key went to the model only: not into the run folder, not to the output.
        let files = FileManager.default.enumerator(atPath: run.path)?.compactMap { $0 as? String } ?? []
        let written = files.filter { !$0.hasSuffix(".png") }.compactMap { try? String(contentsOf: run.appendingPathComponent($0), encoding: .utf8) }
        #expect(!written.isEmpty && !written.contains { $0.contains(Self.canary) })
        #expect(!result.output.contains(Self.canary))

        // The same suite replayed from the run's records, with no model server: every pair (and
        // each retry) is answered from its own place in the earlier run, to the same verdicts.
        let calls = server.requests.count
        server.stop()
        let again = scratch.appendingPathComponent("replayed")
        let replayed = try CLI.run(
            [
                "suite", "--tasks", tasks.path, "--repos", "gen=\(generator.path)", "--jobs", "2", "--retries", "1", "--out", again.path,
                "--judge", "llm", "--model", Self.model, "--replay", run.path,
            ], timeout: 300)
        #expect(replayed.status == 0, "\(replayed.output)")
        #expect(replayed.output.contains("cases pass 2, flaky 1, fail 1, uncertain 0, error 0, skipped 0"), "\(replayed.output)")
        for pair in ["gen/greeting", "gen/waves"] {
            let (first, firstCases) = try resultCases(run, pair)
            let (second, secondCases) = try resultCases(again, pair)
            #expect(second["outcome"] as? String == first["outcome"] as? String)
            #expect(secondCases.mapValues { "\($0["verdict"] ?? "")/\($0["flaky"] ?? "")" } == firstCases.mapValues { "\($0["verdict"] ?? "")/\($0["flaky"] ?? "")" })
        }
        #expect(server.requests.count == calls)
        expectNothingLeftBehind()
    }
}

/// Counts the episodes the scripted model saw start, per case (an episode starts with a
/// request in which the model has not answered yet).
private final class EpisodeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    /// Records a new episode of `id`; returns its number from 0.
    func start(_ id: String) -> Int {
        lock.withLock {
            counts[id, default: 0] += 1
            return counts[id]! - 1
        }
    }

    /// The number of the episode of `id` under way.
    func current(_ id: String) -> Int { lock.withLock { max(0, counts[id, default: 1] - 1) } }

    var started: [String: Int] { lock.withLock { counts } }
}
