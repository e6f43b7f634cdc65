import Foundation
import HTTP
import JSON
import Judge
import Reports
import Suite

/// Writing cases into a task: scripts exported from the agent's trajectories, and new cases
/// proposed by a model. Both leave existing cases alone unless asked to replace them.
public enum CaseTools {

    /// Turns the trajectories of `report` into scripts for the task's cases. A trajectory is
    /// exported only when its verdict was pass or fail and it holds at least one check, so
    /// every exported script can fail. Returns the ids written and why others were not.
    public static func export(report file: URL, into task: LoadedTask, only: Set<String>, replace: Bool) throws(Problem) -> (TaskSpec, [String], [String]) {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw Problem("\(file.path): cannot be read; give the report.json of a run made with --judge llm.")
        }
        let report: TaskReport
        do {
            report = try JSONDecoder.report.decode(TaskReport.self, from: data)
        } catch {
            throw Problem("\(file.path): is not an AppJudge report (\(error)).")
        }
        guard report.task.id == task.spec.id else {
            throw Problem("\(file.path): is a report of task \(report.task.id), not \(task.spec.id).")
        }
        var spec = task.spec
        var written: [String] = [], skipped: [String] = []
        for result in report.cases where only.isEmpty || only.contains(result.id) {
            guard let index = spec.cases.firstIndex(where: { $0.id == result.id }) else {
                skipped.append("\(result.id): no longer a case of the task")
                continue
            }
            guard let trajectory = result.trajectory, result.verdict == .pass || result.verdict == .fail else {
                skipped.append("\(result.id): no agent verdict to export (\(result.verdict.rawValue))")
                continue
            }
            guard trajectory.contains(where: { if case .expect = $0 { true } else { false } }) else {
                skipped.append("\(result.id): the verdict named no checks, so a script could never fail")
                continue
            }
            if spec.cases[index].script != nil && !replace {
                skipped.append("\(result.id): has a script already (use --replace)")
                continue
            }
            spec.cases[index].script = trajectory
            written.append(result.id)
        }
        return (spec, written, skipped)
    }

    /// task.json with `spec`'s cases, written over `original` so that everything else stays
    /// as its author wrote it: fields in their order, untouched cases as they were.
    /// `rescripted` names the cases whose script is new.
    public static func file(_ spec: TaskSpec, original: Data, rescripted: Set<String> = []) throws -> Data {
        guard let root = JSONValue.parse(original), let old = root["cases"]?.array else {
            throw Problem("task.json changed while cases were written; run again.", code: ExitCode.infrastructure)
        }
        let byId = Dictionary(old.compactMap { c in c["id"]?.string.map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        let encoder = JSONEncoder()
        var cases: [JSONValue] = []
        for c in spec.cases {
            let script = try c.script.map { steps in JSONValue.array(try steps.map { JSONValue.parse(try encoder.encode($0)) ?? .null }) }
            if var kept = byId[c.id] {
                if let script, rescripted.contains(c.id) { kept = kept.setting("script", to: script) }
                cases.append(kept)
            } else {
                var fresh: [(String, JSONValue)] = [("id", .string(c.id))]
                if let f = c.feature { fresh.append(("feature", .string(f))) }
                fresh += [("kind", .string(c.kind.rawValue)), ("description", .string(c.description))]
                if let script { fresh.append(("script", script)) }
                cases.append(.object(fresh))
            }
        }
        return Data((root.setting("cases", to: .array(cases)).pretty(broken: ["cases", "features", "script"]) + "\n").utf8)
    }

    public static let generationPrompt = """
        You write acceptance test cases for an application, from its requirement. Each case checks \
        one behaviour a user can see, says in plain language what to do and what must be seen, and \
        names the feature it covers. Cover every feature; include edge cases (empty input, limits, \
        persistence) where the requirement implies them. Answer with the propose_cases tool.
        """

    public static let proposeTool = ToolSpec(
        name: "propose_cases", description: "The proposed test cases.",
        parameters: [
            "type": "object",
            "properties": [
                "cases": [
                    "type": "array",
                    "items": [
                        "type": "object",
                        "properties": [
                            "id": ["type": "string", "description": "lower-case letters, digits and dashes"],
                            "feature": ["type": "string"], "kind": ["type": "string", "enum": ["functional", "visual"]],
                            "description": ["type": "string"],
                        ],
                        "required": ["id", "feature", "kind", "description"],
                    ],
                ]
            ],
            "required": ["cases"],
        ])

    /// Asks the model for 8-20 cases covering every feature. An invalid proposal is answered
    /// with what is wrong once; a second invalid one is an error.
    public static func generate(task: LoadedTask, client: ModelClient, replace: Bool) throws(Problem) -> (TaskSpec, [TestCase], TokenUsage) {
        var spec = task.spec
        guard !spec.features.isEmpty else {
            throw Problem(
                "\(task.directory.appendingPathComponent("task.json").path): features: is empty; case generation maps cases to features, add them first."
            )
        }
        let kept = replace ? [] : spec.cases
        var intro = "Task: \(spec.title)\nRequirement:\n\(spec.requirement)\n\nFeatures:\n"
        intro += spec.features.map { "- \($0.id): \($0.description)" }.joined(separator: "\n")
        if !kept.isEmpty {
            intro +=
                "\n\nExisting cases (keep their ids free, do not repeat them):\n"
                + kept.map { "- \($0.id): \($0.description)" }.joined(separator: "\n")
        }
        intro += "\n\nPropose 8 to 20 new cases."
        var conversation = Conversation(system: generationPrompt, messages: [.user([.text(intro)])], tools: [proposeTool], maxOutputTokens: 4000)
        var usage = TokenUsage()
        for attempt in 0..<2 {
            let call: ModelCall
            do {
                call = try client.complete(conversation, tag: CallTag(scope: "", episode: 0, call: attempt))
            } catch {
                throw Problem("case generation failed: \(error).", code: error.isInput ? ExitCode.badInput : ExitCode.infrastructure)
            }
            usage = usage + call.reply.usage
            let problem: String
            if let proposal = call.reply.calls.first(where: { $0.name == proposeTool.name }) {
                switch check(proposal.arguments, spec: spec, kept: kept) {
                case .success(let cases):
                    spec.cases = kept + cases
                    return (spec, cases, usage)
                case .failure(let why): problem = why.description
                }
                conversation.messages.append(.assistant(text: call.reply.text, calls: call.reply.calls))
                conversation.messages.append(
                    .toolResults(call.reply.calls.map { .init(callId: $0.id, parts: [.text("Not accepted: \(problem). Propose again.")]) }))
            } else {
                problem = "the model did not call propose_cases"
                conversation.messages.append(.assistant(text: call.reply.text ?? "", calls: []))
                conversation.messages.append(.user([.text("Answer with the propose_cases tool.")]))
            }
            if attempt == 1 {
                throw Problem("the model's cases were not usable twice; the last problem: \(problem).", code: ExitCode.caseFailed)
            }
        }
        preconditionFailure("unreachable")
    }

    /// The proposal as cases, or what is wrong with it.
    public static func check(_ arguments: JSONValue?, spec: TaskSpec, kept: [TestCase]) -> Result<[TestCase], Rejection> {
        guard let items = arguments?["cases"]?.array else { return .failure(Rejection(description: "propose_cases needs a list \"cases\"")) }
        guard (8...20).contains(items.count) else { return .failure(Rejection(description: "\(items.count) cases were proposed; propose 8 to 20")) }
        let features = Set(spec.features.map(\.id))
        var ids = Set(kept.map(\.id))
        var cases: [TestCase] = []
        for (i, item) in items.enumerated() {
            guard let id = item["id"]?.string, let feature = item["feature"]?.string, let description = item["description"]?.string,
                !description.isEmpty
            else { return .failure(Rejection(description: "case \(i) needs id, feature and description")) }
            guard TaskLoader.isIdentifier(id) else {
                return .failure(Rejection(description: "case \(i): '\(id)' is not an id of lower-case letters, digits and dashes"))
            }
            guard ids.insert(id).inserted else { return .failure(Rejection(description: "case id '\(id)' is used twice")) }
            guard features.contains(feature) else {
                return .failure(Rejection(description: "case \(id): '\(feature)' is not a feature (\(features.sorted().joined(separator: ", ")))"))
            }
            let kind = TestCase.Kind(rawValue: item["kind"]?.string ?? "functional") ?? .functional
            cases.append(TestCase(id: id, feature: feature, kind: kind, description: description))
        }
        let covered = Set((kept + cases).compactMap(\.feature))
        let missing = features.subtracting(covered)
        guard missing.isEmpty else { return .failure(Rejection(description: "no case covers \(missing.sorted().joined(separator: ", "))")) }
        return .success(cases)
    }

    /// What is wrong with a proposal, as the model is told.
    public struct Rejection: Error, CustomStringConvertible {
        public var description: String
    }
}

extension ModelError {
    public var isInput: Bool { if case .rejected = self { true } else { false } }
}
