import Foundation

/// Why a task could not be loaded: always names the file and, where known, the field.
public struct TaskError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var field: String?
    public var message: String
    /// The line of the file where the field is, when known.
    public var line: Int?

    public init(file: String, field: String?, message: String, line: Int? = nil) {
        self.file = file
        self.field = field
        self.message = message
        self.line = line
    }

    public var description: String {
        "\(file)" + (line.map { ":\($0)" } ?? "") + ": " + (field.map { "\($0): " } ?? "") + message
    }

    /// The same error with the line of its field in `data`.
    func located(in data: Data) -> TaskError {
        guard line == nil, let field else { return self }
        var copy = self
        copy.line = JSONLocator.line(of: field, in: data)
        return copy
    }
}

/// A task loaded from its folder.
public struct LoadedTask: Sendable {
    public var spec: TaskSpec
    /// The task's folder (holds task.json, reference/, assets).
    public var directory: URL
}

public enum TaskLoader {
    /// Reads and checks `DIR/task.json`. Every message names the file and the field.
    /// `requireCases: false` accepts a task without cases yet (one just imported, for `cases generate`).
    public static func load(directory: URL, requireCases: Bool = true) throws(TaskError) -> LoadedTask {
        let file = directory.appendingPathComponent("task.json")
        let display = file.path
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let exists = FileManager.default.fileExists(atPath: directory.path)
            throw TaskError(
                file: display, field: nil,
                message: exists ? "no task.json in this folder; a task folder needs one." : "the task folder does not exist.")
        }
        let spec: TaskSpec
        do {
            spec = try JSONDecoder().decode(TaskSpec.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, file: display, data: data).located(in: data)
        } catch {
            throw TaskError(file: display, field: nil, message: "is not valid JSON (\(error.localizedDescription)).")
        }
        do throws(TaskError) {
            try validate(spec, file: display, requireCases: requireCases)
            for (i, asset) in spec.assets.enumerated() {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(asset).path, isDirectory: &isDir), !isDir.boolValue
                else {
                    throw TaskError(
                        file: display, field: "assets[\(i)]", message: "'\(asset)' is not a file in the task folder; add it or remove the entry.")
                }
            }
        } catch {
            throw error.located(in: data)
        }
        return LoadedTask(spec: spec, directory: directory)
    }

    /// Checks what decoding cannot: identifiers, uniqueness, sizes, references between fields.
    public static func validate(_ spec: TaskSpec, file: String, requireCases: Bool = true) throws(TaskError) {
        guard spec.schemaVersion <= TaskSpec.currentSchemaVersion else {
            throw TaskError(
                file: file, field: "schema_version",
                message: "version \(spec.schemaVersion) is newer than this AppJudge understands (\(TaskSpec.currentSchemaVersion)); update AppJudge.")
        }
        guard isIdentifier(spec.id) else {
            throw TaskError(file: file, field: "id", message: "'\(spec.id)' is not a valid id; use lower-case letters, digits and dashes.")
        }
        let v = spec.app.viewport
        guard (200...3840).contains(v.width), (200...2160).contains(v.height) else {
            throw TaskError(file: file, field: "app.viewport", message: "\(v.width)x\(v.height) is outside 200x200...3840x2160.")
        }
        for (i, asset) in spec.assets.enumerated()
        where asset.isEmpty || asset.hasPrefix("/") || asset.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) {
            throw TaskError(
                file: file, field: "assets[\(i)]", message: "'\(asset)' must be a relative path inside the task folder, without '.' or '..'.")
        }
        guard !spec.cases.isEmpty || !requireCases else {
            throw TaskError(file: file, field: "cases", message: "the task has no cases; add at least one (appjudge cases generate proposes some).")
        }
        let features = Set(spec.features.map(\.id))
        var seen = Set<String>()
        for (i, c) in spec.cases.enumerated() {
            guard isIdentifier(c.id) else {
                throw TaskError(
                    file: file, field: "cases[\(i)].id", message: "'\(c.id)' is not a valid id; use lower-case letters, digits and dashes.")
            }
            guard seen.insert(c.id).inserted else {
                throw TaskError(file: file, field: "cases[\(i)].id", message: "'\(c.id)' is used by another case; case ids must be unique.")
            }
            if let f = c.feature, !features.isEmpty, !features.contains(f) {
                throw TaskError(
                    file: file, field: "cases[\(i)].feature",
                    message: "'\(f)' is not one of the task's features (\(features.sorted().joined(separator: ", "))).")
            }
            if let w = c.weight, !(w > 0 && w <= 100) {
                throw TaskError(file: file, field: "cases[\(i)].weight", message: "\(w) is not a weight; use a number above 0 and at most 100.")
            }
            if let v = c.viewport, !(200...3840).contains(v.width) || !(200...2160).contains(v.height) {
                throw TaskError(file: file, field: "cases[\(i)].viewport", message: "\(v.width)x\(v.height) is outside 200x200...3840x2160.")
            }
            if let script = c.script, script.isEmpty {
                throw TaskError(file: file, field: "cases[\(i)].script", message: "the script is empty; give steps or leave the script out.")
            }
        }
    }

    public static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Turns a DecodingError into one sentence naming the field path, e.g. `cases[2].script[0]`.
    /// Every JSON file AppJudge reads (tasks, stack recipes, appjudge.json) reports through this.
    public static func describe(_ error: DecodingError, file: String, data: Data) -> TaskError {
        func path(_ keys: [any CodingKey]) -> String? {
            var out = ""
            for key in keys {
                if let i = key.intValue { out += "[\(i)]" } else { out += (out.isEmpty ? "" : ".") + key.stringValue }
            }
            return out.isEmpty ? nil : out
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return TaskError(
                file: file, field: parent.map { "\($0).\(key.stringValue)" } ?? key.stringValue,
                message: "is missing; it is required.")
        case .typeMismatch(let type, let context):
            return TaskError(file: file, field: path(context.codingPath), message: "has the wrong type; expected \(describeType(type)).")
        case .valueNotFound(let type, let context):
            return TaskError(file: file, field: path(context.codingPath), message: "is null; expected \(describeType(type)).")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                // Foundation's parser says where it stopped ("around character 25"); say the line.
                var detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
                do {
                    _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
                } catch {
                    detail = detail ?? ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String)
                }
                var line: Int?
                if let detail, let range = detail.range(of: "character "),
                    let offset = Int(detail[range.upperBound...].prefix { $0.isNumber })
                {
                    line = data.prefix(offset).filter { $0 == 0x0A }.count + 1
                } else if detail?.contains("end of file") == true {
                    line = data.filter { $0 == 0x0A }.count + 1
                }
                return TaskError(
                    file: file, field: nil, message: "is not valid JSON" + (detail.map { " (\($0))" } ?? "") + "; fix the syntax.", line: line)
            }
            var message = context.debugDescription
            if message.hasPrefix("Cannot initialize") { message = "has a value that is not allowed (\(message))" }
            return TaskError(file: file, field: path(context.codingPath), message: message.hasSuffix(".") ? message : message + ".")
        @unknown default:
            return TaskError(file: file, field: nil, message: "could not be read (\(error)).")
        }
    }

    private static func describeType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        // Dictionaries are collections too: they are checked first.
        default: String(describing: type).hasPrefix("Dictionary") ? "an object" : type is any Collection.Type ? "a list" : "an object"
        }
    }
}
