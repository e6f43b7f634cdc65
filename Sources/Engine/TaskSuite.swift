import Foundation
import Judge
import Reports
import Suite

/// The task folders of a suite and what each holds: the task file, its reference and its
/// broken variants with the cases they must fail (`broken/<name>/expected.json`).
public struct SuiteTask {
    public var directory: URL
    /// The loaded task, or why it could not be loaded (file and field named).
    public var loaded: Result<TaskSpec, TaskError>
    public var hasReference: Bool
    public var variants: [Variant]
    /// Broken variants whose expected.json is missing or unreadable, each a sentence.
    public var badVariants: [String] = []

    public struct Variant {
        public var name: String
        public var directory: URL
        /// Cases that must fail; every other case must pass.
        public var mustFail: Set<String>
        /// The outcome the evaluation must end in (default `evaluated`).
        public var outcome: Outcome
    }

    /// Task folders given as arguments: a folder holding task.json is one task; any other
    /// folder is searched one level down (so `tasks/` is the whole suite).
    public static func discover(_ paths: [URL]) -> [URL] {
        let fm = FileManager.default
        return paths.flatMap { path -> [URL] in
            if fm.fileExists(atPath: path.appendingPathComponent("task.json").path) { return [path] }
            let children = ((try? fm.contentsOfDirectory(atPath: path.path)) ?? []).sorted()
            let tasks = children.map { path.appendingPathComponent($0) }.filter { fm.fileExists(atPath: $0.appendingPathComponent("task.json").path) }
            // A folder that is neither a task nor holds any is named as it is, for the error.
            return tasks.isEmpty ? [path] : tasks
        }
    }

    public init(directory: URL) {
        self.directory = directory
        do {
            loaded = .success(try TaskLoader.load(directory: directory).spec)
        } catch {
            loaded = .failure(error)
        }
        let fm = FileManager.default
        hasReference = fm.fileExists(atPath: directory.appendingPathComponent("reference").path)
        let broken = directory.appendingPathComponent("broken")
        var problems: [String] = []
        variants = ((try? fm.contentsOfDirectory(atPath: broken.path)) ?? []).sorted().compactMap { name in
            let dir = broken.appendingPathComponent(name)
            let file = dir.appendingPathComponent("expected.json")
            guard let data = fm.contents(atPath: file.path), let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                problems.append("\(file.path): missing or not a JSON object; write {\"fail\": [the case ids that must fail]}.")
                return nil
            }
            let named = json["outcome"] as? String ?? Outcome.evaluated.rawValue
            guard let outcome = Outcome(rawValue: named), outcome != .skipped else {
                let known = Outcome.ofEvaluations.map(\.rawValue).joined(separator: ", ")
                problems.append("\(file.path): outcome: '\(named)' is not one of \(known).")
                return nil
            }
            return Variant(name: name, directory: dir, mustFail: Set(json["fail"] as? [String] ?? []), outcome: outcome)
        }
        badVariants = problems
    }
}
