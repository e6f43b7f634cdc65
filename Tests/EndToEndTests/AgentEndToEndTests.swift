import Foundation
import HTTP
import JSON
import Imaging
import TestSupport
import Testing

/// A scripted model: for each case a list of tool calls, then a verdict citing the newest
/// frame. Which step comes next is read from the request itself (how many answers the model
/// has given in it), so retries and re-probes need no bookkeeping here.
struct ScriptedModel: Sendable {
    var plans: [String: [(String, JSONValue)]]
    var verdicts: [String: JSONValue] = [:]

    func next(for request: JSONValue) -> (String, JSONValue) {
        let id = ModelReplies.caseId(in: request) ?? ""
        let plan = plans[id] ?? []
        let turn = ModelReplies.turns(in: request)
        if turn < plan.count { return plan[turn] }
        var verdict = verdicts[id] ?? ["result": "pass", "reason": "scripted", "checks": []]
        if verdict["evidence"] == nil, case .object(var pairs) = verdict {
            pairs.append(("evidence", [.string(ModelReplies.latestFrame(in: request) ?? "none")]))
            verdict = .object(pairs)
        }
        return ("verdict", verdict)
    }
}

/// Counts requests per case, for failures injected at a given try.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func next(_ key: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        counts[key, default: 0] += 1
        return counts[key]! - 1
    }
}

@Suite("The LLM agent judge end to end", .serialized, .timeLimit(.minutes(10)))
struct AgentEndToEndTests {
    static let canary = "sk-canary-\(UUID().uuidString.prefix(8))"

    static let addPlan: [(String, JSONValue)] = [
        ("click", ["text": "New task"]), ("type", ["text": "Buy milk"]), ("click", ["text": "Add"]),
    ]

    func runAgent(_ server: FakeModelServer, out: URL, cases: String, extra: [String] = [], provider: String = "openai") throws -> CLIResult {
        try CLI.run(
            [
                "run", "--task", Repo.todoTask.path, "--repo", Repo.todoTask.appendingPathComponent("reference").path, "--out", out.path,
                "--case", cases, "--judge", "llm", "--model", provider == "openai" ? "gpt-4.1-mini" : "claude-haiku-4-5",
                "--provider", provider, "--base-url", provider == "openai" ? server.openAIBaseURL : server.anthropicBaseURL, "--timeout", "3",
            ] + extra,
            environment: ["OPENAI_API_KEY": Self.canary, "ANTHROPIC_API_KEY": Self.canary])
    }

    func cases(_ json: [String: Any]) -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: (json["cases"] as? [[String: Any]] ?? []).map { ($0["id"] as! String, $0) })
    }

    /// Every file of a run folder, as text, for leak checks.
    func allText(_ folder: URL) -> String {
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return files.filter { !$0.hasSuffix(".png") }.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
    }

    @Test func theAgentDrivesTheTodoAppThroughFailuresToVerdictsThenReplaysAndExports() throws {
        let model = ScriptedModel(
            plans: [
                "add-button": Self.addPlan,
                // Off-screen coordinates are answered with the error; the model then does it right.
                "add-enter": [
                    ("click", ["x": 5000, "y": 10]), ("click", ["text": "New task"]), ("type", ["text": "Walk dog"]), ("key", ["keys": "Return"]),
                ],
                // An unknown tool twice: the second time the case ends as error.
                "blank-ignored": [("run_shell", ["command": "cat /etc/passwd"]), ("run_shell", ["command": "id"])],
            ],
            verdicts: [
                "add-button": ["result": "pass", "reason": "Buy milk is listed", "checks": [["visible": "Buy milk"], ["visible": "Remaining: 1"]]],
                "add-enter": ["result": "pass", "reason": "Walk dog is listed", "checks": [["visible": "Remaining: 1"]]],
                "heading": ["result": "pass", "reason": "heading shown", "checks": [["visible": "Todo List"]]],
            ])
        let tally = Tally()
        let server = try FakeModelServer { request, _ in
            let body = request.json ?? .null
            let id = ModelReplies.caseId(in: body) ?? ""
            let frame = ModelReplies.latestFrame(in: body) ?? ""
            switch id {
            case "heading":
                // Every transient failure on the first call; the fifth try is answered.
                switch tally.next(id) {
                case 0: return .json(["error": ["message": "internal"]], status: 500)
                case 1: return .json(["error": ["message": "rate limited"]], status: 429, headers: ["Retry-After": "1"])
                case 2: return .hang(seconds: 8)
                case 3: return .truncated(ModelReplies.openAI(tool: "wait", ["seconds": 1]))
                default: break
                }
            case "toggle-done" where !frame.contains("-e"):
                // First episode: a verdict citing a frame that was never shown.
                return .json(ModelReplies.openAI(tool: "verdict", ["result": "pass", "reason": "looks fine", "evidence": ["toggle-done-99"]]))
            case "delete":
                return .json(["error": ["message": "model is down"]], status: 503)
            default: break
            }
            let (tool, args) = model.next(for: body)
            return .json(ModelReplies.openAI(tool: tool, args))
        }
        defer { server.stop() }
        let out = Scratch.directory("agent")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runAgent(server, out: out, cases: "heading,add-button,add-enter,blank-ignored,toggle-done,delete")
        #expect(result.status == 1, "\(result.output)")
        let json = try report(in: out)
        #expect((json["judge"] as? String)?.hasPrefix("llm:openai/gpt-4.1-mini") == true)
        let byId = cases(json)
        #expect(
            byId.mapValues { $0["verdict"] as? String } == [
                "heading": "pass", "add-button": "pass", "add-enter": "pass", "blank-ignored": "error", "toggle-done": "pass", "delete": "error",
            ], "\(result.output)")
        #expect((byId["blank-ignored"]?["reason"] as? String)?.contains("unknown tool 'run_shell'") == true)
        #expect((byId["delete"]?["reason"] as? String)?.contains("503") == true)
        // The re-probe: two episodes, the first not accepted for its made-up evidence.
        let toggle = try #require(byId["toggle-done"]?["agent"] as? [String: Any])
        let episodes = try #require(toggle["episodes"] as? [[String: Any]])
        #expect(episodes.map { $0["role"] as? String } == ["first", "re-probe"])
        #expect((episodes[0]["reason"] as? String)?.contains("do not exist (toggle-done-99)") == true)

        // What the model was sent: the tools, the key, an 800x600 screenshot (never upscaled).
        let requests = server.requests
        let first = try #require(requests.first { ModelReplies.caseId(in: $0.json ?? .null) == "add-button" })
        #expect(first.headers["authorization"] == "Bearer \(Self.canary)")
        let body = try #require(first.json)
        #expect(body["tools"]?.array?.count == 11)
        let picture = try PNG.decode([UInt8](try #require(ModelReplies.pictures(in: body).first)))
        #expect((picture.width, picture.height) == (800, 600))
        #expect(ModelReplies.texts(of: body).contains { $0.contains("untrusted") && $0.contains("Todo List") })
        // The off-screen click was answered with the validation error.
        #expect(requests.contains { ModelReplies.texts(of: $0.json ?? .null).contains { $0.contains("outside the 800x600 screenshot") } })

        // Usage per case and task; the key nowhere in what was written.
        let usage = try #require(json["model_usage"] as? [String: Any])
        #expect((usage["calls"] as? Int ?? 0) >= 10)
        #expect((usage["dollars"] as? Double ?? 0) > 0)
        #expect(((byId["add-button"]?["agent"] as? [String: Any])?["usage"] as? [String: Any])?["calls"] as? Int == 4)
        #expect(!allText(out).contains(Self.canary))
        #expect(!result.output.contains(Self.canary))
        let html = try String(contentsOf: out.appendingPathComponent("todo-list/report.html"), encoding: .utf8)
        #expect(html.contains("Agent gpt-4.1-mini") && html.contains("input + "))

        // Replay: no server, same verdicts.
        server.stop()
        let again = Scratch.directory("agent-replay")
        defer { try? FileManager.default.removeItem(at: again) }
        let replay = try runAgent(
            server, out: again, cases: "heading,add-button,add-enter,blank-ignored,toggle-done,delete", extra: ["--replay", out.path])
        let replayed = try report(in: again)
        #expect(cases(replayed).mapValues { $0["verdict"] as? String } == byId.mapValues { $0["verdict"] as? String }, "\(replay.output)")
        #expect((replayed["judge"] as? String)?.hasSuffix("(replay)") == true)

        // Export: the trajectories become scripts the script judge runs with no model at all.
        let task = Scratch.directory("exported-task")
        defer { try? FileManager.default.removeItem(at: task) }
        try FileManager.default.removeItem(at: task)
        try FileManager.default.copyItem(at: Repo.todoTask, to: task)
        let exported = try CLI.run([
            "cases", "export", "--task", task.path, "--report", out.appendingPathComponent("todo-list/report.json").path, "--replace",
        ])
        #expect(exported.status == 0, "\(exported.output)")
        #expect(exported.output.contains("exported 3 script(s)"), "\(exported.output)")
        let scripted = Scratch.directory("exported-run")
        defer { try? FileManager.default.removeItem(at: scripted) }
        let check = try CLI.run([
            "run", "--task", task.path, "--repo", Repo.todoTask.appendingPathComponent("reference").path, "--out", scripted.path,
            "--case", "add-button,add-enter",
        ])
        #expect(check.status == 0, "\(check.output)")
        let broken = try CLI.run([
            "run", "--task", task.path, "--repo", Repo.fixture("todo-list/broken-no-enter").path, "--out", scripted.path, "--case", "add-enter",
        ])
        #expect(broken.status == 1, "\(broken.output)")
        expectNothingLeftBehind()
    }

    @Test func anthropicVotesReportTheMajorityAndAgreement() throws {
        let tally = Tally()
        let server = try FakeModelServer { request, _ in
            let body = request.json ?? .null
            // Each episode: one look, then a verdict; the third episode disagrees.
            if ModelReplies.turns(in: body) == 0 {
                return .json(ModelReplies.anthropic(tool: "click", ["text": "Add"]))
            }
            let n = tally.next("verdicts")
            let frame = ModelReplies.latestFrame(in: body) ?? ""
            return .json(
                ModelReplies.anthropic(
                    tool: "verdict",
                    ["result": .string(n == 2 ? "fail" : "pass"), "reason": "nothing added", "evidence": [.string(frame)]]))
        }
        defer { server.stop() }
        let out = Scratch.directory("agent-votes")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runAgent(server, out: out, cases: "blank-ignored", extra: ["--votes", "3", "--workers", "1"], provider: "anthropic")
        #expect(result.status == 0, "\(result.output)")
        let c = try #require(cases(try report(in: out))["blank-ignored"])
        #expect(c["verdict"] as? String == "pass")
        let agent = try #require(c["agent"] as? [String: Any])
        #expect((agent["episodes"] as? [[String: Any]])?.count == 3)
        #expect(abs((agent["agreement"] as? Double ?? 0) - 2.0 / 3.0) < 0.001)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == Self.canary)
        #expect(ModelReplies.pictures(in: request.json ?? .null).count == 1)
    }
}

@Suite("Case generation", .serialized)
struct CaseGenerationTests {
    func proposal(_ count: Int, features: [String]) -> JSONValue {
        .object([
            (
                "cases",
                .array(
                    (0..<count).map { i in
                        [
                            "id": .string("generated-\(i)"), "feature": .string(features[i % features.count]), "kind": "functional",
                            "description": .string("Step \(i): do something and see its effect."),
                        ]
                    })
            )
        ])
    }

    @Test func aRejectedProposalIsAnsweredOnceThenTheCasesAreWrittenBesideTheOldOnes() throws {
        let features = ["layout", "add", "done", "delete", "persist"]
        let server = try FakeModelServer { request, index in
            // First: too few cases, and one feature missing; then a good proposal.
            index == 0
                ? .json(ModelReplies.openAI(tool: "propose_cases", proposal(3, features: ["layout"])))
                : .json(ModelReplies.openAI(tool: "propose_cases", proposal(10, features: features)))
        }
        defer { server.stop() }
        let task = Scratch.directory("generate")
        defer { try? FileManager.default.removeItem(at: task) }
        try FileManager.default.removeItem(at: task)
        try FileManager.default.copyItem(at: Repo.todoTask, to: task)
        let result = try CLI.run(
            ["cases", "generate", "--task", task.path, "--model", "gpt-4.1-mini", "--base-url", server.openAIBaseURL],
            environment: ["OPENAI_API_KEY": "sk-generate"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("wrote 10 new case(s)"), "\(result.output)")
        #expect(server.requests.count == 2)
        let retry = try #require(server.requests.last?.json)
        #expect(ModelReplies.texts(of: retry).contains { $0.contains("Not accepted: 3 cases were proposed") })
        let first = try #require(server.requests.first?.json)
        #expect(ModelReplies.texts(of: first).contains { $0.contains("Existing cases") && $0.contains("add-button") })
        // The file still loads, keeps the eight scripted cases and adds the ten for review.
        let listed = try CLI.run(["tasks", "list", task.path])
        #expect(listed.output.contains("web      18    8"), "\(listed.output)")
    }

    @Test func aProposalThatStaysWrongIsAnErrorAndTheTaskIsUntouched() throws {
        let server = try FakeModelServer { _, _ in .json(ModelReplies.openAI(tool: "propose_cases", proposal(9, features: ["nope"]))) }
        defer { server.stop() }
        let task = Scratch.directory("generate-bad")
        defer { try? FileManager.default.removeItem(at: task) }
        try FileManager.default.removeItem(at: task)
        try FileManager.default.copyItem(at: Repo.todoTask, to: task)
        let before = try Data(contentsOf: task.appendingPathComponent("task.json"))
        let result = try CLI.run(["cases", "generate", "--task", task.path, "--model", "gpt-4.1-mini", "--base-url", server.openAIBaseURL])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("'nope' is not a feature"), "\(result.output)")
        #expect(try Data(contentsOf: task.appendingPathComponent("task.json")) == before)
    }

    @Test func badModelOptionsAreOneSentence() throws {
        let noModel = try CLI.run(["run", "--task", Repo.todoTask.path, "--repo", "/nonexistent", "--judge", "llm"])
        #expect(noModel.status == 2 && noModel.output.contains("--judge llm needs --model NAME"), "\(noModel.output)")
        let stray = try CLI.run(["run", "--task", Repo.todoTask.path, "--repo", "/nonexistent", "--votes", "3"])
        #expect(stray.status == 2 && stray.output.contains("--votes applies only to --judge llm"), "\(stray.output)")
        let replay = try CLI.run([
            "run", "--task", Repo.todoTask.path, "--repo", Repo.todoTask.appendingPathComponent("reference").path, "--judge", "llm", "--model", "m",
            "--replay", Scratch.directory("empty-run").path, "--out", Scratch.directory("replay-out").path,
        ])
        #expect(replay.status == 2 && replay.output.contains("holds no recorded model calls for task todo-list"), "\(replay.output)")
    }
}
