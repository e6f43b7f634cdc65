/// Why an app could not be prepared or started. `repositoryMissing` and `badManifest` are bad
/// input; `nothingToRun` / `nothingToServe` are the app's failure (it cannot be built or
/// launched); the others are AppJudge's own faults (a missing tool, a broken host).
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case repositoryMissing(String)
    case nothingToServe(String)
    case nothingToRun(String, kind: AppKind)
    case badManifest(String)
    case recipe(String)
    case missingDependency(tool: String, package: String)
    case workspaceFailed(String)
    case launchFailed(String)

    public var description: String {
        switch self {
        case .repositoryMissing(let path): "The repository \(path) does not exist or is not a folder."
        case .nothingToServe(let path):
            "The repository \(path) has nothing to serve: no index.html at its root or in dist/, build/ or public/."
        case .nothingToRun(let path, let kind):
            "No stack recipe recognises \(path) as a \(kind.rawValue) app and no start command is given; add an appjudge.json with \"start\"."
        case .badManifest(let why): "Bad launch hints in \(Self.sentence(why)) See README, 'Launching an app'."
        case .recipe(let why): "Bad stack recipe: \(Self.sentence(why))"
        case .missingDependency(let tool, let package):
            "\(tool) is not installed; install the Debian package \(package) (make demo and make test do this)."
        case .workspaceFailed(let why): "The sandbox work directory could not be prepared: \(why)."
        case .launchFailed(let why): "The app could not be launched: \(why)."
        }
    }

    /// `text` ending in exactly one full stop.
    static func sentence(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }

    /// True when the fault lies with the input (a path or file the user gave), not with the
    /// app, AppJudge or the host.
    public var isInputError: Bool {
        switch self {
        case .repositoryMissing: true
        default: false
        }
    }

    /// True when the app itself is at fault: the evaluation ends as `build_failed`.
    public var isAppFailure: Bool {
        switch self {
        case .nothingToServe, .nothingToRun, .badManifest: true
        default: false
        }
    }
}
