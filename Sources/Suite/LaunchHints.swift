import Foundation

/// Launch hints that override detection: a repository's own `appjudge.json`, or the `launch`
/// object of a task's `app`. Every field is optional.
public struct LaunchHints: Sendable, Codable, Equatable {
    public var kind: TaskSpec.AppHints.Kind?
    public var install: String?
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

    private enum CodingKeys: String, CodingKey {
        case kind, install, build, start, port, readyURL = "ready_url", windowTitle = "window_title", installNetwork = "install_network"
    }

    /// `self`, with each field missing here taken from `other`.
    public func over(_ other: LaunchHints?) -> LaunchHints {
        guard let other else { return self }
        var merged = self
        merged.kind = kind ?? other.kind
        merged.install = install ?? other.install
        merged.build = build ?? other.build
        merged.start = start ?? other.start
        merged.port = port ?? other.port
        merged.readyURL = readyURL ?? other.readyURL
        merged.windowTitle = windowTitle ?? other.windowTitle
        merged.installNetwork = installNetwork ?? other.installNetwork
        return merged
    }
}
