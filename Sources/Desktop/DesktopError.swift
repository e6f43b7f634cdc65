/// Faults of the private display. All of them are AppJudge's own (infrastructure), never the app's.
public enum DesktopError: Error, CustomStringConvertible, Sendable {
    case xvfbMissing
    case xvfbFailed(String)
    case cannotOpenDisplay(String)
    case xError(request: Int, code: Int, message: String)
    case captureFailed(String)
    case inputFailed(String)

    public var description: String {
        switch self {
        case .xvfbMissing: "Xvfb is not installed; install the Debian package xvfb (make test and make demo do this)."
        case .xvfbFailed(let why): "The private X display could not be started: \(why)."
        case .cannotOpenDisplay(let name): "Could not connect to X display \(name)."
        case .xError(let request, let code, let message): "X request \(request) failed with error \(code): \(message)."
        case .captureFailed(let why): "Screen capture failed: \(why)."
        case .inputFailed(let why): "Input could not be sent: \(why)."
        }
    }
}
