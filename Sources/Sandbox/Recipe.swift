import Foundation
import Suite

/// A stack recipe: how to recognise one kind of repository and the commands that install,
/// build and start it. Recipes are data (`sandbox/stacks/*.json`), so supporting another
/// stack or changing a command is an edit there, not here.
public struct StackRecipe: Sendable, Codable, Equatable {
    public var name: String
    public var kind: AppKind
    /// Recipes are tried in ascending order; the first whose `detect` holds is used.
    public var order: Int
    public var detect: [Condition]
    /// Each phase is a list of alternatives; the first whose conditions hold runs, none means
    /// the phase is skipped.
    public var install: [Alternative]
    public var build: [Alternative]
    public var start: [Alternative]
    /// When no start alternative applies after the build, serve the built static output.
    public var staticFallback: Bool

    public struct Alternative: Sendable, Codable, Equatable {
        public var when: [Condition]
        public var run: String

        public init(when: [Condition] = [], run: String) {
            self.when = when
            self.run = run
        }

        private enum CodingKeys: String, CodingKey { case when, run }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            when = try c.decodeIfPresent([Condition].self, forKey: .when) ?? []
            run = try c.decode(String.self, forKey: .run)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case name, kind, order, detect, install, build, start, staticFallback = "static_fallback"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(AppKind.self, forKey: .kind)
        order = try c.decodeIfPresent(Int.self, forKey: .order) ?? 100
        detect = try c.decode([Condition].self, forKey: .detect)
        install = try c.decodeIfPresent([Alternative].self, forKey: .install) ?? []
        build = try c.decodeIfPresent([Alternative].self, forKey: .build) ?? []
        start = try c.decodeIfPresent([Alternative].self, forKey: .start) ?? []
        staticFallback = try c.decodeIfPresent(Bool.self, forKey: .staticFallback) ?? false
    }
}

/// Web apps are opened in a browser; desktop apps open their own window.
public typealias AppKind = TaskSpec.AppHints.Kind

/// A fact about a repository's files that a recipe can test.
///
/// `exists` / `missing`: a path (a glob with `*` in its last part is allowed);
/// `json` + `has`: a JSON file whose dotted key holds a non-empty value;
/// `contains` + `text`: some file matching the glob contains the text;
/// `entries`: a list file (requirements.txt) has a line that is neither blank nor a comment;
/// `any`: at least one of the nested conditions.
public indirect enum Condition: Sendable, Codable, Equatable {
    case exists(String)
    case missing(String)
    case json(file: String, has: String)
    case contains(glob: String, text: String)
    case entries(String)
    case any([Condition])

    private enum CodingKeys: String, CodingKey { case exists, missing, json, has, contains, text, entries, any }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let path = try c.decodeIfPresent(String.self, forKey: .exists) {
            self = .exists(path)
        } else if let path = try c.decodeIfPresent(String.self, forKey: .missing) {
            self = .missing(path)
        } else if let file = try c.decodeIfPresent(String.self, forKey: .json) {
            self = .json(file: file, has: try c.decode(String.self, forKey: .has))
        } else if let glob = try c.decodeIfPresent(String.self, forKey: .contains) {
            self = .contains(glob: glob, text: try c.decode(String.self, forKey: .text))
        } else if let file = try c.decodeIfPresent(String.self, forKey: .entries) {
            self = .entries(file)
        } else if let any = try c.decodeIfPresent([Condition].self, forKey: .any) {
            self = .any(any)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a condition needs one of exists, missing, json, contains, entries or any"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .exists(let p): try c.encode(p, forKey: .exists)
        case .missing(let p): try c.encode(p, forKey: .missing)
        case .json(let file, let has):
            try c.encode(file, forKey: .json)
            try c.encode(has, forKey: .has)
        case .contains(let glob, let text):
            try c.encode(glob, forKey: .contains)
            try c.encode(text, forKey: .text)
        case .entries(let file): try c.encode(file, forKey: .entries)
        case .any(let all): try c.encode(all, forKey: .any)
        }
    }

    /// Whether the condition holds in `repository`. `match` receives the first path a glob
    /// matched (a recipe's command can name it as `{match}`, say a package to run with -m).
    public func holds(in repository: URL, match: inout String?) -> Bool {
        switch self {
        case .exists(let pattern):
            guard let found = Self.paths(pattern, in: repository).first else { return false }
            if match == nil { match = found }
            return true
        case .missing(let pattern):
            return Self.paths(pattern, in: repository).isEmpty
        case .json(let file, let key):
            guard let data = FileManager.default.contents(atPath: repository.appendingPathComponent(file).path),
                var value = try? JSONSerialization.jsonObject(with: data)
            else { return false }
            for part in key.split(separator: ".") {
                guard let object = value as? [String: Any], let next = object[String(part)] else { return false }
                value = next
            }
            if let object = value as? [String: Any] { return !object.isEmpty }
            if let array = value as? [Any] { return !array.isEmpty }
            if let string = value as? String { return !string.isEmpty }
            return !(value is NSNull)
        case .contains(let glob, let text):
            let found = Self.paths(glob, in: repository).first { path in
                guard let handle = FileHandle(forReadingAtPath: repository.appendingPathComponent(path).path) else { return false }
                defer { try? handle.close() }
                // Enough to see imports and declarations; a huge file is not read whole.
                let head = (try? handle.read(upToCount: 256 * 1024)) ?? Data()
                return String(decoding: head, as: UTF8.self).contains(text)
            }
            if match == nil { match = found }
            return found != nil
        case .entries(let file):
            guard let text = try? String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8) else { return false }
            return text.split(whereSeparator: \.isNewline).contains { line in
                let entry = line.trimmingCharacters(in: .whitespaces)
                return !entry.isEmpty && !entry.hasPrefix("#")
            }
        case .any(let conditions):
            return conditions.contains { $0.holds(in: repository, match: &match) }
        }
    }

    /// Relative paths matching `pattern` in `repository`: a plain path, or a path whose parts
    /// may contain `*` (one level each). Sorted, so a match is the same on every run.
    static func paths(_ pattern: String, in repository: URL) -> [String] {
        let fm = FileManager.default
        var current = [""]
        for part in pattern.split(separator: "/").map(String.init) {
            var next: [String] = []
            for prefix in current {
                let dir = prefix.isEmpty ? repository : repository.appendingPathComponent(prefix)
                if part.contains("*") {
                    let names = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
                    for name in names where !name.hasPrefix(".") && Self.glob(part, matches: name) {
                        next.append(prefix.isEmpty ? name : "\(prefix)/\(name)")
                    }
                } else if fm.fileExists(atPath: dir.appendingPathComponent(part).path) {
                    next.append(prefix.isEmpty ? part : "\(prefix)/\(part)")
                }
            }
            current = next
        }
        return current.filter { !$0.isEmpty }
    }

    static func glob(_ pattern: String, matches name: String) -> Bool {
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard name.hasPrefix(pieces[0]), name.count >= pieces.reduce(0, { $0 + $1.count }) else { return false }
        var rest = Substring(name.dropFirst(pieces[0].count))
        for (i, piece) in pieces.enumerated().dropFirst() {
            if i == pieces.count - 1 { return rest.hasSuffix(piece) }
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.isEmpty
    }
}

/// The recipes of `sandbox/stacks/`, in the order they are tried.
public struct RecipeBook: Sendable {
    public var recipes: [StackRecipe]

    public init(recipes: [StackRecipe]) {
        self.recipes = recipes.sorted { ($0.order, $0.name) < ($1.order, $1.name) }
    }

    /// Loads every `*.json` in `directory`; a broken recipe is named with its file and field.
    public init(directory: URL) throws(SandboxError) {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard !files.isEmpty else { throw .recipe("\(directory.path) holds no stack recipe (*.json)") }
        var recipes: [StackRecipe] = []
        for file in files {
            let url = directory.appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: url.path) else { throw .recipe("\(url.path) cannot be read") }
            do {
                recipes.append(try JSONDecoder().decode(StackRecipe.self, from: data))
            } catch let error as DecodingError {
                throw .recipe(TaskLoader.describe(error, file: url.path, data: data).description)
            } catch {
                throw .recipe("\(url.path): \(error.localizedDescription)")
            }
        }
        self.init(recipes: recipes)
    }
}
