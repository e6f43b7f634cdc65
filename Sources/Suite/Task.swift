import Foundation

/// A task: a requirement given to a code generator, and the cases that decide whether a
/// generated app meets it. Stored as `tasks/<id>/task.json`.
public struct TaskSpec: Sendable, Codable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var id: String
    public var title: String
    public var scenario: Scenario
    public var requirement: String
    public var features: [Feature]
    /// Files shipped with the task (data, images), relative to the task folder. At evaluation
    /// each is put into the app's folder at the same path unless the repository has it already,
    /// so a generated app reads them where the requirement says they are.
    public var assets: [String]
    public var app: AppHints
    public var cases: [TestCase]

    public enum Scenario: String, Sendable, Codable, CaseIterable { case display, analysis, data, game }

    public init(
        id: String, title: String, scenario: Scenario, requirement: String, features: [Feature] = [], assets: [String] = [],
        app: AppHints = AppHints(), cases: [TestCase]
    ) {
        self.schemaVersion = Self.currentSchemaVersion
        self.id = id
        self.title = title
        self.scenario = scenario
        self.requirement = requirement
        self.features = features
        self.assets = assets
        self.app = app
        self.cases = cases
    }

    public struct Feature: Sendable, Codable, Equatable {
        public var id: String
        public var description: String
        public init(id: String, description: String) {
            self.id = id
            self.description = description
        }
    }

    /// How the app is launched and shown.
    public struct AppHints: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable { case web, desktop }
        public var kind: Kind
        /// Page to open, relative to the served directory.
        public var entry: String
        public var viewport: Viewport
        /// Launch hints of the task (a repository's appjudge.json wins over them).
        public var launch: LaunchHints?

        public init(kind: Kind = .web, entry: String = "index.html", viewport: Viewport = Viewport(), launch: LaunchHints? = nil) {
            self.kind = kind
            self.entry = entry
            self.viewport = viewport
            self.launch = launch
        }

        private enum CodingKeys: String, CodingKey { case kind, entry, viewport, launch }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .web
            entry = try c.decodeIfPresent(String.self, forKey: .entry) ?? "index.html"
            viewport = try c.decodeIfPresent(Viewport.self, forKey: .viewport) ?? Viewport()
            launch = try c.decodeIfPresent(LaunchHints.self, forKey: .launch)
        }
    }

    public struct Viewport: Sendable, Codable, Equatable {
        public var width: Int
        public var height: Int
        public init(width: Int = 1024, height: Int = 768) {
            self.width = width
            self.height = height
        }
    }

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", id, title, scenario, requirement, features, assets, app, cases
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decodeIfPresent(Int.self, forKey: .schemaVersion) ?? 1
        id = try c.decode(String.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? id
        scenario = try c.decode(Scenario.self, forKey: .scenario)
        requirement = try c.decode(String.self, forKey: .requirement)
        features = try c.decodeIfPresent([Feature].self, forKey: .features) ?? []
        assets = try c.decodeIfPresent([String].self, forKey: .assets) ?? []
        app = try c.decodeIfPresent(AppHints.self, forKey: .app) ?? AppHints()
        cases = try c.decode([TestCase].self, forKey: .cases)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(scenario, forKey: .scenario)
        try c.encode(requirement, forKey: .requirement)
        try c.encode(features, forKey: .features)
        if !assets.isEmpty { try c.encode(assets, forKey: .assets) }
        try c.encode(app, forKey: .app)
        try c.encode(cases, forKey: .cases)
    }
}

/// One test case of a task.
public struct TestCase: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case functional, visual }

    public var id: String
    public var feature: String?
    public var kind: Kind
    /// Plain-language description: what a human or an LLM agent reads.
    public var description: String
    /// Deterministic steps and expectations; nil when only an agent can decide the case.
    public var script: [Step]?
    /// A viewport of its own (a narrow phone width for a responsive requirement); the task's otherwise.
    public var viewport: TaskSpec.Viewport?
    /// The case's weight in the task's scores (default 1).
    public var weight: Double?

    public init(
        id: String, feature: String? = nil, kind: Kind = .functional, description: String, script: [Step]? = nil,
        viewport: TaskSpec.Viewport? = nil
    ) {
        self.id = id
        self.feature = feature
        self.kind = kind
        self.description = description
        self.script = script
        self.viewport = viewport
    }

    private enum CodingKeys: String, CodingKey { case id, feature, kind, description, weight, script, viewport }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        feature = try c.decodeIfPresent(String.self, forKey: .feature)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .functional
        description = try c.decode(String.self, forKey: .description)
        script = try c.decodeIfPresent([Step].self, forKey: .script)
        viewport = try c.decodeIfPresent(TaskSpec.Viewport.self, forKey: .viewport)
        weight = try c.decodeIfPresent(Double.self, forKey: .weight)
    }
}
