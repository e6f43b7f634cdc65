import Foundation

/// Turns RealDevBench records (one JSON object per line, as the Hugging Face dataset ships them:
/// label, category, scenario, features as a list, feature_list as text, prompt, files as paths) into task folders: task.json with the requirement, features and
/// assets, and no cases yet (`appjudge cases generate` proposes them).
public enum RealDevBench {
    /// One record, as the benchmark ships it.
    public struct Record: Sendable, Equatable {
        public var label: String
        public var category: String?
        public var scenario: String
        public var features: [String]
        public var prompt: String
        public var files: [String]
    }

    /// What happened to one line.
    public enum Outcome: Sendable, Equatable {
        case created(id: String, assets: Int)
        case exists(id: String)
        case rejected(String)
    }

    /// Reads one line; every problem is a sentence naming the line and the field.
    public static func record(_ line: String, number: Int, file: String) -> Result<Record, TaskError> {
        func bad(_ field: String?, _ message: String) -> Result<Record, TaskError> {
            .failure(TaskError(file: "\(file):\(number)", field: field, message: message))
        }
        guard let data = line.data(using: .utf8), let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return bad(nil, "is not a JSON object; each line must be one record.")
        }
        guard let label = (object["label"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !label.isEmpty else {
            return bad("label", "is missing or empty; each record needs a label.")
        }
        guard let prompt = object["prompt"] as? String, !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return bad("prompt", "is missing or empty; it is the requirement.")
        }
        guard let scenario = object["scenario"] as? String, TaskSpec.Scenario(rawValue: scenario.lowercased()) != nil else {
            return bad("scenario", "'\(object["scenario"].map { "\($0)" } ?? "")' is not one of Display, Analysis, Data, Game.")
        }
        // Features come as a list, or as one text with a feature per line or per semicolon.
        var features: [String]
        switch object["features"] {
        case let list as [Any]: features = list.compactMap { $0 as? String }
        case let text as String: features = text.components(separatedBy: CharacterSet(charactersIn: "\n;"))
        case nil, is NSNull: features = []
        default: return bad("features", "must be a list of texts or one text.")
        }
        // The Hugging Face records carry the features twice: as a list, and as `feature_list` text.
        if features.isEmpty, let text = object["feature_list"] as? String {
            features = text.components(separatedBy: CharacterSet(charactersIn: "\n;"))
                .map { $0.replacingOccurrences(of: #"^\s*\d{1,2}\s*[.)]\s*"#, with: "", options: .regularExpression) }
        }
        features = features.map { $0.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "-*•"))) }
            .filter { !$0.isEmpty }
        var files: [String] = []
        switch object["files"] {
        case let list as [Any]:
            for item in list {
                if let name = item as? String {
                    files.append(name)
                } else if let name = (item as? [String: Any])?["name"] as? String {
                    files.append(name)
                }
            }
        case let name as String where !name.isEmpty: files = [name]
        case nil, is NSNull, is String: break
        default: return bad("files", "must be a list of file names.")
        }
        for name in files where name.hasPrefix("/") || name.split(separator: "/").contains("..") {
            return bad("files", "'\(name)' must be a relative name inside the assets folder.")
        }
        return .success(
            Record(
                label: label, category: object["category"] as? String, scenario: scenario.lowercased(), features: features, prompt: prompt,
                files: files))
    }

    /// A task id from a label: lower case, words joined by dashes.
    public static func identifier(_ label: String) -> String {
        var out = ""
        for c in label.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(c), c.isASCII { out.unicodeScalars.append(c) } else if !out.hasSuffix("-") { out += "-" }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return String(trimmed.prefix(64)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// The task a record becomes (no cases yet).
    public static func task(_ record: Record) -> TaskSpec {
        var used = Set<String>()
        let features = record.features.enumerated().map { i, text -> TaskSpec.Feature in
            var id = identifier(String(text.prefix(40)))
            if id.isEmpty { id = "feature" }
            if !used.insert(id).inserted { id += "-\(i + 1)" }
            used.insert(id)
            return TaskSpec.Feature(id: id, description: text)
        }
        return TaskSpec(
            id: identifier(record.label), title: record.label, scenario: TaskSpec.Scenario(rawValue: record.scenario)!, requirement: record.prompt,
            features: features, assets: record.files.map { "assets/\($0)" }, app: TaskSpec.AppHints(), cases: [])
    }

    /// Imports every line of `file` into `output`. Assets are copied from `assets/<file>` or
    /// `assets/<label>/<file>`; a record whose files are missing is rejected, the others go on.
    public static func importFile(_ file: URL, assets: URL?, into output: URL) throws(TaskError) -> [(line: Int, outcome: Outcome)] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw TaskError(file: file.path, field: nil, message: "cannot be read; give a RealDevBench .jsonl file.")
        }
        let fm = FileManager.default
        var results: [(Int, Outcome)] = []
        var ids = Set<String>()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let record: Record
            switch self.record(line, number: i + 1, file: file.path) {
            case .failure(let error):
                results.append((i + 1, .rejected(error.description)))
                continue
            case .success(let r): record = r
            }
            let spec = task(record)
            guard !spec.id.isEmpty, ids.insert(spec.id).inserted else {
                results.append(
                    (
                        i + 1,
                        .rejected("\(file.path):\(i + 1): label: '\(record.label)' gives the task id '\(spec.id)', already used; labels must differ.")
                    ))
                continue
            }
            let folder = output.appendingPathComponent(spec.id)
            if fm.fileExists(atPath: folder.appendingPathComponent("task.json").path) {
                results.append((i + 1, .exists(id: spec.id)))
                continue
            }
            var sources: [(URL, String)] = []
            var missing: [String] = []
            for name in record.files {
                // As named, below the record's label, or (paths under data/benchmark/) by file name.
                let base = (name as NSString).lastPathComponent
                let candidates = [
                    assets?.appendingPathComponent(name), assets?.appendingPathComponent(record.label).appendingPathComponent(name),
                    assets?.appendingPathComponent(base), assets?.appendingPathComponent(record.label).appendingPathComponent(base),
                ]
                if let found = candidates.compactMap({ $0 }).first(where: { fm.fileExists(atPath: $0.path) }) {
                    sources.append((found, name))
                } else {
                    missing.append(name)
                }
            }
            if !missing.isEmpty {
                let where_ = assets.map { "in \($0.path)" } ?? "(no --assets folder given)"
                results.append(
                    (i + 1, .rejected("\(file.path):\(i + 1): files: \(missing.joined(separator: ", ")) not found \(where_); pass --assets DIR.")))
                continue
            }
            do {
                try fm.createDirectory(at: folder.appendingPathComponent("assets"), withIntermediateDirectories: true)
                for (source, name) in sources {
                    let target = folder.appendingPathComponent("assets").appendingPathComponent(name)
                    try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try fm.copyItem(at: source, to: target)
                }
                if sources.isEmpty { try? fm.removeItem(at: folder.appendingPathComponent("assets")) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try (try encoder.encode(spec) + Data("\n".utf8)).write(to: folder.appendingPathComponent("task.json"))
            } catch {
                try? fm.removeItem(at: folder)
                throw TaskError(file: folder.path, field: nil, message: "cannot be written (\(error.localizedDescription)).")
            }
            results.append((i + 1, .created(id: spec.id, assets: sources.count)))
        }
        return results
    }
}
