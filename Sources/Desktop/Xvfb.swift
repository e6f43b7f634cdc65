import CSystem
import Foundation
import Processes

#if canImport(Glibc)
    import Glibc
#endif

/// A private X server for one evaluation. The display number is chosen by Xvfb itself
/// (`-displayfd`), so concurrent evaluations never race for a fixed number.
public final class Xvfb: @unchecked Sendable {
    public let displayName: String
    public let width: Int
    public let height: Int
    private let process: ChildProcess

    /// Starts Xvfb with one screen of `width` x `height` at 24 bits and waits until it accepts
    /// connections (it writes its display number only once it does).
    public init(width: Int, height: Int, log: String? = nil, timeout: Double = 10) throws(DesktopError) {
        guard ChildProcess.resolve("Xvfb", path: Command.baseEnvironment()["PATH"]) != nil else { throw .xvfbMissing }
        var fds: [Int32] = [0, 0]
        guard csystem_pipe_cloexec(&fds) == 0 else { throw .xvfbFailed("no pipe") }
        defer { close(fds[0]) }
        let command = Command(
            "Xvfb",
            [
                "-displayfd", "\(fds[1])", "-screen", "0", "\(width)x\(height)x24",
                "-nolisten", "tcp", "-dpi", "96", "-wr",
                // Exit when the last client disconnects: if AppJudge dies, so does its display.
                "-terminate",
            ],
            output: log.map { .file($0) } ?? .discard, inheritedDescriptors: [fds[1]])
        do {
            process = try ChildProcess(command)
        } catch {
            close(fds[1])
            throw .xvfbFailed(error.description)
        }
        close(fds[1])
        self.width = width
        self.height = height
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        var byte: UInt8 = 0
        while !text.hasSuffix("\n") {
            var pfd = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let left = deadline.timeIntervalSinceNow
            guard left > 0, Glibc.poll(&pfd, 1, Int32(left * 1000)) > 0, read(fds[0], &byte, 1) == 1 else {
                process.terminate(grace: 0.5)
                throw .xvfbFailed("Xvfb did not report a display within \(Int(timeout)) s")
            }
            text.append(Character(UnicodeScalar(byte)))
        }
        guard let number = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate(grace: 0.5)
            throw .xvfbFailed("Xvfb reported '\(text)' instead of a display number")
        }
        displayName = ":\(number)"
    }

    public var isRunning: Bool { process.isRunning }
    public var pid: pid_t { process.pid }

    /// Stops the server; its socket and lock file go with it.
    public func stop() {
        process.terminate(grace: 2)
    }

    deinit { stop() }
}
