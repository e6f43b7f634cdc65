import Desktop
import Perception
import Sandbox
import Suite

/// What stops an evaluation before any case can run, with the exit code the CLI uses.
public enum RunError: Error, CustomStringConvertible, Sendable {
    /// Bad usage or input (exit 2): a task file, a repository.
    case input(String)
    /// AppJudge's own fault or a missing dependency (exit 3).
    case infrastructure(String)

    public var description: String {
        switch self {
        case .input(let s), .infrastructure(let s): s
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .input: ExitCode.badInput
        case .infrastructure: ExitCode.infrastructure
        }
    }

    public init(_ error: SandboxError) {
        self = error.isInputError ? .input(error.description) : .infrastructure(error.description)
    }
}

/// Why a command cannot go on: one sentence for the user and the exit code to return (bad
/// input by default).
public struct Problem: Error, Sendable {
    public var message: String
    public var code: Int32
    public init(_ message: String, code: Int32 = ExitCode.badInput) {
        self.message = message
        self.code = code
    }
}

/// The documented exit codes of `appjudge`.
public enum ExitCode {
    public static let allPassed: Int32 = 0
    public static let caseFailed: Int32 = 1
    public static let badInput: Int32 = 2
    public static let infrastructure: Int32 = 3
    public static let interrupted: Int32 = 130
}
