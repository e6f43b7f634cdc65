/// Why an app could not be prepared or started. `nothingToServe` is bad input (the repository);
/// the others are AppJudge's own faults (a missing tool, a broken host).
public enum SandboxError: Error, CustomStringConvertible, Sendable {
    case repositoryMissing(String)
    case nothingToServe(String)
    case missingDependency(tool: String, package: String)
    case workspaceFailed(String)
    case launchFailed(String)

    public var description: String {
        switch self {
        case .repositoryMissing(let path): "The repository \(path) does not exist or is not a folder."
        case .nothingToServe(let path):
            "The repository \(path) has nothing to serve: no index.html at its root or in dist/, build/ or public/."
        case .missingDependency(let tool, let package):
            "\(tool) is not installed; install the Debian package \(package) (make demo and make test do this)."
        case .workspaceFailed(let why): "The sandbox work directory could not be prepared: \(why)."
        case .launchFailed(let why): "The app could not be launched: \(why)."
        }
    }

    /// True when the fault lies with the input, not with AppJudge or the host.
    public var isInputError: Bool {
        switch self {
        case .repositoryMissing, .nothingToServe: true
        default: false
        }
    }
}
