import Foundation

/// Turns AppEvalPilot-style labelled case lists into task folders and label files.
///
/// Each line is one test case of one generated app: `test_case_name` (`<app>_caseNNN`),
/// `requirements` (the prompt the generator got), `test_case` ("Task: ... Expected Result: ...")
/// and the expert label `GT` (true, false or "uncertain"). The comparison sheet's shape is read
/// too: `case_name`, `test_case_en` with `expected_result_en`, the label in `人工标注结果` and
/// AppEvalPilot's own verdict in `os_agent_score` (1 pass, 0 fail).
///
/// Every app becomes a task: its requirement, features from the requirement's numbered lines,
/// and one case per line with its description and no script (an LLM judge decides them). The
/// labels go to `labels.csv` and any judge verdicts to `verdicts-<judge>.csv`, both
/// `task,case,...` rows that `appjudge calibrate` reads.
public enum LabelledCases {
    /// One labelled case, as read from its line.
    public struct Line: Sendable, Equatable {
        public var app: String
        public var caseId: String
        public var requirement: String?
        public var description: String
        /// pass, fail or uncertain.
        public var label: String
        /// AppEvalPilot's verdict, when the line carries one.
        public var verdict: Bool?
        public var scenario: String?
        public var line: Int
    }

    /// What an import did.
    public struct Summary: Sendable {
        public var tasks: [String] = []
        /// Apps whose lines name no requirement: their labels are kept, no task is written.
        public var withoutRequirement: [String] = []
        public var existing: [String] = []
        public var cases = 0
        public var labels: URL?
        public var verdicts: URL?
        /// Lines that were skipped, each a sentence naming file:line and field.
        public var rejected: [String] = []
    }

    /// Reads one line; a problem is a sentence naming the line and the field.
    public static func read(_ text: String, number: Int, file: String) -> Result<Line, TaskError> {
        func bad(_ field: String?, _ message: String) -> Result<Line, TaskError> {
            .failure(TaskError(file: file, field: field, message: message, line: number))
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return bad(nil, "is not a JSON object; each line must be one labelled case.")
        }
        let nameField = object["test_case_name"] != nil ? "test_case_name" : "case_name"
        guard let name = object[nameField] as? String, let split = name.range(of: "_case", options: .backwards),
            !name[..<split.lowerBound].trimmingCharacters(in: .whitespaces).isEmpty, Int(name[split.upperBound...]) != nil
        else {
            return bad(nameField, "'\(object[nameField].map { "\($0)" } ?? "")' is not <app>_caseNNN.")
        }
        let app = String(name[..<split.lowerBound]).trimmingCharacters(in: .whitespaces)
        let caseId = "case" + name[split.upperBound...]
        var description: String
        if let text = object["test_case"] as? String {
            description = text
        } else if let task = object["test_case_en"] as? String {
            description = "Task: \(task)"
            if let expected = object["expected_result_en"] as? String, !expected.isEmpty { description += "\nExpected Result: \(expected)" }
        } else {
            return bad("test_case", "is missing; each line needs the case's text (test_case, or test_case_en).")
        }
        // The published lists keep line breaks as the two characters \ and n.
        description = description.replacingOccurrences(of: "\\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { return bad("test_case", "is empty.") }
        let labelField = object["GT"] != nil ? "GT" : "人工标注结果"
        let label: String
        switch object[labelField] {
        case let b as Bool: label = b ? "pass" : "fail"
        case let s as String where ["true", "pass", "1"].contains(s.lowercased()): label = "pass"
        case let s as String where ["false", "fail", "0"].contains(s.lowercased()): label = "fail"
        case let s as String where s.lowercased() == "uncertain": label = "uncertain"
        case let n as NSNumber: label = n.intValue == 1 ? "pass" : "fail"
        default: return bad(labelField, "'\(object[labelField].map { "\($0)" } ?? "")' is not true, false or uncertain.")
        }
        var verdict: Bool?
        if let score = object["os_agent_score"] {
            guard let n = score as? NSNumber, n.intValue == 0 || n.intValue == 1 else {
                return bad("os_agent_score", "'\(score)' is not 1 (pass) or 0 (fail).")
            }
            verdict = n.intValue == 1
        }
        let requirement = (object["requirements"] as? String).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return .success(
            Line(
                app: app, caseId: caseId, requirement: requirement, description: description, label: label, verdict: verdict,
                scenario: (object["scenario"] as? String)?.lowercased(), line: number))
    }

    /// Features from a requirement's numbered lines ("1.Editable Profile Information: Users
    /// can ..."), named by the words before the colon.
    public static func features(of requirement: String) -> [TaskSpec.Feature] {
        var used = Set<String>()
        var out: [TaskSpec.Feature] = []
        for raw in requirement.components(separatedBy: .newlines) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard let match = line.range(of: #"^\d{1,2}\s*[.)、:]\s*"#, options: .regularExpression) else { continue }
            let text = String(line[match.upperBound...]).trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let title = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
            var id = RealDevBench.identifier(String(title.prefix(40)))
            if id.isEmpty { id = "feature" }
            if !used.insert(id).inserted { id += "-\(out.count + 1)" }
            out.append(TaskSpec.Feature(id: id, description: text))
        }
        return out
    }

    /// Imports `file` into `output`: a task folder per app with a requirement, `labels.csv`,
    /// and `verdicts-appevalpilot.csv` when the lines carry AppEvalPilot's verdicts. Bad lines
    /// are skipped and named; `scenarios` maps app names to a scenario (apps.jsonl's
    /// `project_name` and `scenario`), Display otherwise.
    public static func importFile(_ file: URL, scenarios: [String: String] = [:], into output: URL) throws(TaskError) -> Summary {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw TaskError(file: file.path, field: nil, message: "cannot be read; give a labelled case list (.jsonl).")
        }
        var summary = Summary()
        var byApp: [String: [Line]] = [:]
        var order: [String] = []
        var seen = Set<String>()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            switch read(trimmed, number: i + 1, file: file.path) {
            case .failure(let error): summary.rejected.append(error.description)
            case .success(let line):
                guard seen.insert("\(line.app)/\(line.caseId)").inserted else {
                    summary.rejected.append("\(file.path):\(i + 1): test_case_name: \(line.app) \(line.caseId) appears twice; the first is kept.")
                    continue
                }
                if byApp[line.app] == nil { order.append(line.app) }
                byApp[line.app, default: []].append(line)
            }
        }
        let fm = FileManager.default
        var ids: [String: String] = [:]
        var labelRows = ["task,case,label"], verdictRows = ["task,case,verdict"]
        for app in order {
            let lines = byApp[app]!
            var id = RealDevBench.identifier(app)
            if id.isEmpty { id = "app" }
            while let other = ids[id], other != app { id += "-2" }
            ids[id] = app
            for line in lines {
                labelRows.append("\(id),\(line.caseId),\(line.label)")
                if let verdict = line.verdict { verdictRows.append("\(id),\(line.caseId),\(verdict ? "pass" : "fail")") }
            }
            summary.cases += lines.count
            guard let requirement = lines.compactMap(\.requirement).first else {
                summary.withoutRequirement.append(id)
                continue
            }
            let folder = output.appendingPathComponent(id)
            if fm.fileExists(atPath: folder.appendingPathComponent("task.json").path) {
                summary.existing.append(id)
                continue
            }
            // A second generation of an app is named like the first with a number after it ("Math Game2").
            let firstGeneration = app.replacingOccurrences(of: #"\s*\d+$"#, with: "", options: .regularExpression)
            let scenarioName = (lines.compactMap(\.scenario).first ?? scenarios[app] ?? scenarios[firstGeneration] ?? "display").lowercased()
            let spec = TaskSpec(
                id: id, title: app, scenario: TaskSpec.Scenario(rawValue: scenarioName) ?? .display, requirement: requirement,
                features: features(of: requirement),
                cases: lines.map { TestCase(id: $0.caseId, description: $0.description) })
            do {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try (try encoder.encode(spec) + Data("\n".utf8)).write(to: folder.appendingPathComponent("task.json"))
            } catch {
                throw TaskError(file: folder.path, field: nil, message: "cannot be written (\(error.localizedDescription)).")
            }
            summary.tasks.append(id)
        }
        do {
            try fm.createDirectory(at: output, withIntermediateDirectories: true)
            let labels = output.appendingPathComponent("labels.csv")
            try Data((labelRows.joined(separator: "\n") + "\n").utf8).write(to: labels)
            summary.labels = labels
            if verdictRows.count > 1 {
                let verdicts = output.appendingPathComponent("verdicts-appevalpilot.csv")
                try Data((verdictRows.joined(separator: "\n") + "\n").utf8).write(to: verdicts)
                summary.verdicts = verdicts
            }
        } catch {
            throw TaskError(file: output.path, field: nil, message: "the label files cannot be written (\(error.localizedDescription)).")
        }
        return summary
    }
}
