import Foundation

/// The build of the app under evaluation, as the report shows it.
public struct BuildInfo: Sendable, Codable, Equatable {
    public var stack: String
    public var kind: String
    public var start: String?
    public var phases: [Phase]
    /// Limits the kernel enforced (processes, memory) besides the rlimits, time and size limits.
    public var enforcedLimits: [String]

    public struct Phase: Sendable, Codable, Equatable {
        public var name: String
        public var command: String
        public var status: String
        public var seconds: Double
        public var stopped: String?
        public var log: String

        public init(name: String, command: String, status: String, seconds: Double, stopped: String?, log: String) {
            self.name = name
            self.command = command
            self.status = status
            self.seconds = seconds
            self.stopped = stopped
            self.log = log
        }
    }

    public init(stack: String, kind: String, start: String?, phases: [Phase], enforcedLimits: [String]) {
        self.stack = stack
        self.kind = kind
        self.start = start
        self.phases = phases
        self.enforcedLimits = enforcedLimits
    }

    private enum CodingKeys: String, CodingKey { case stack, kind, start, phases, enforcedLimits = "enforced_limits" }
}
