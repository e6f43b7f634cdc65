import Judge
import Sandbox

/// A case's app as the judges see it.
extension SandboxedApp: AppSession {}

extension LaunchProblem {
    /// How the evaluation of a case ends when its app did not come up.
    public var outcome: Outcome {
        switch self {
        case .launchFailed: .launchFailed
        case .notReady: .notReady
        case .infrastructure: .infraError
        }
    }
}
