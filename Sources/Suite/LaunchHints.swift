import Foundation

/// Launch hints that override detection: a repository's own `appjudge.json`, or the `launch`
/// object of a task's `app`. Every field is optional.
public struct LaunchHints: Sendable, Codable, Equatable {
    public var kind: TaskSpec.AppHints.Kind?
    public var install: String?
    /// `"install": false`: no install at all; the repository's committed dependencies (or built
    /// site) are used as they are.
    public var skipInstall: Bool?
    public var build: String?
    public var start: String?
    /// The port the app listens on, when it does not take `PORT`.
    public var port: Int?
    /// The path that answers once the app is ready (default: the entry page).
    public var readyURL: String?
    /// The title of the app's main window (desktop apps).
    public var windowTitle: String?
    /// Whether install may reach the internet (default: yes).
    public var installNetwork: Bool?

    public init() {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(TaskSpec.AppHints.Kind.self, forKey: .kind)
        // "install" is a command, or false for none.
        if let off = try? c.decodeIfPresent(Bool.self, forKey: .install) {
            guard !off else {
                throw DecodingError.dataCorruptedError(
                    forKey: .install, in: c, debugDescription: "must be a command, or false to install nothing")
            }
            skipInstall = true
        } else {
            install = try c.decodeIfPresent(String.self, forKey: .install)
        }
        build = try c.decodeIfPresent(String.self, forKey: .build)
        start = try c.decodeIfPresent(String.self, forKey: .start)
        port = try c.decodeIfPresent(Int.self, forKey: .port)
        readyURL = try c.decodeIfPresent(String.self, forKey: .readyURL)
        windowTitle = try c.decodeIfPresent(String.self, forKey: .windowTitle)
        installNetwork = try c.decodeIfPresent(Bool.self, forKey: .installNetwork)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(kind, forKey: .kind)
        if skipInstall == true { try c.encode(false, forKey: .install) } else { try c.encodeIfPresent(install, forKey: .install) }
        try c.encodeIfPresent(build, forKey: .build)
        try c.encodeIfPresent(start, forKey: .start)
        try c.encodeIfPresent(port, forKey: .port)
        try c.encodeIfPresent(readyURL, forKey: .readyURL)
        try c.encodeIfPresent(windowTitle, forKey: .windowTitle)
        try c.encodeIfPresent(installNetwork, forKey: .installNetwork)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, install, build, start, port, readyURL = "ready_url", windowTitle = "window_title", installNetwork = "install_network"
    }

    /// `self`, with each field missing here taken from `other`.
    public func over(_ other: LaunchHints?) -> LaunchHints {
        guard let other else { return self }
        var merged = self
        merged.kind = kind ?? other.kind
        merged.install = install ?? other.install
        merged.skipInstall = skipInstall ?? other.skipInstall
        merged.build = build ?? other.build
        merged.start = start ?? other.start
        merged.port = port ?? other.port
        merged.readyURL = readyURL ?? other.readyURL
        merged.windowTitle = windowTitle ?? other.windowTitle
        merged.installNetwork = installNetwork ?? other.installNetwork
        return merged
    }
}
