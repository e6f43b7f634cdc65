import CSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Failures to start or talk to a child process. A child that runs and exits non-zero is not an
/// error: its status is data in `ExitStatus`.
public enum ProcessError: Error, CustomStringConvertible, Sendable {
    case executableNotFound(String)
    case spawnFailed(String, errno: Int32)
    case pipeFailed(errno: Int32)

    public var description: String {
        switch self {
        case .executableNotFound(let name): "\(name) is not installed or not on PATH."
        case .spawnFailed(let name, let e): "Could not start \(name): \(String(cString: strerror(e)))."
        case .pipeFailed(let e): "Could not create a pipe: \(String(cString: strerror(e)))."
        }
    }
}

/// How a child process ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    public var succeeded: Bool { self == .exited(0) }
    public var description: String {
        switch self {
        case .exited(let code): "exit code \(code)"
        case .signalled(let signal): "killed by signal \(signal)"
        }
    }
}

/// What a child is started with.
public struct Command: Sendable {
    public enum Output: Sendable {
        /// Appended to a file (a log); the file is created when missing.
        case file(String)
        /// Appended to a file through a pipe that keeps at most `limit` bytes: a child that
        /// floods its output cannot fill the disk, and is never blocked on a full pipe.
        case cappedFile(String, limit: Int)
        case discard
        /// Shared with this process (for interactive tools only).
        case inherit
    }

    public var executable: String
    public var arguments: [String]
    /// The complete environment of the child: nothing is inherited implicitly, so a secret in
    /// AppJudge's environment reaches a child only when a caller puts it here.
    public var environment: [String: String]
    public var workingDirectory: String?
    public var output: Output
    /// Descriptors of this process that the child inherits under the same numbers.
    public var inheritedDescriptors: [Int32]
    /// Descriptors of this process the child gets under other numbers (child's number: ours),
    /// e.g. the two ends of a browser's DevTools pipe, which it expects as 3 and 4.
    public var mappedDescriptors: [Int32: Int32] = [:]

    public init(
        _ executable: String, _ arguments: [String] = [], environment: [String: String] = Command.baseEnvironment(),
        workingDirectory: String? = nil, output: Output = .discard, inheritedDescriptors: [Int32] = []
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.output = output
        self.inheritedDescriptors = inheritedDescriptors
    }

    /// The minimal environment every child gets: a PATH and a locale, nothing else of ours.
    public static func baseEnvironment() -> [String: String] {
        ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"]
    }
}

/// A running child in its own process group. The group is what gets signalled, so helpers the
/// child spawned go down with it; `deinit` makes sure nothing outlives its owner.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    public let name: String
    private let lock = NSLock()
    private var status: ExitStatus?
    /// Signalled when a capped log has read the child's last output.
    private var drained: DispatchSemaphore?

    /// Starts `command` with posix_spawn: own process group, empty signal mask and default
    /// signal handlers (Foundation.Process on Linux would pass its blocked mask on).
    public init(_ command: Command) throws(ProcessError) {
        name = (command.executable as NSString).lastPathComponent
        guard let path = ChildProcess.resolve(command.executable, path: command.environment["PATH"]) else {
            throw .executableNotFound(command.executable)
        }
        var stdinFD: Int32 = -1, outFD: Int32 = -1
        stdinFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        switch command.output {
        case .file(let logPath): outFD = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        case .cappedFile(let logPath, let limit):
            var fds: [Int32] = [0, 0]
            guard csystem_pipe_cloexec(&fds) == 0 else { throw .pipeFailed(errno: errno) }
            outFD = fds[1]
            drained = LogDrain.start(reading: fds[0], into: logPath, limit: limit)
        case .discard: outFD = open("/dev/null", O_WRONLY | O_CLOEXEC)
        case .inherit: outFD = -1
        }
        defer {
            if stdinFD >= 0 { close(stdinFD) }
            if outFD >= 0 { close(outFD) }
        }
        pid = try ChildProcess.spawn(path: path, command: command, stdin: stdinFD, stdout: outFD, stderr: outFD)
    }

    /// Starts `command` with the given descriptors as its standard streams (-1: inherit).
    init(_ command: Command, stdin: Int32, stdout: Int32, stderr: Int32) throws(ProcessError) {
        name = (command.executable as NSString).lastPathComponent
        guard let path = ChildProcess.resolve(command.executable, path: command.environment["PATH"]) else {
            throw .executableNotFound(command.executable)
        }
        pid = try ChildProcess.spawn(path: path, command: command, stdin: stdin, stdout: stdout, stderr: stderr)
    }

    deinit {
        if isRunning { terminate(grace: 0.5) }
    }

    /// Finds an executable the way a shell would, on the child's PATH.
    public static func resolve(_ executable: String, path: String?) -> String? {
        if executable.contains("/") { return access(executable, X_OK) == 0 ? executable : nil }
        for dir in (path ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(executable)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Every child is started on one thread that never ends. The kernel counts a child's parent
    /// as the thread that started it: a sandbox run with `--die-with-parent` (bubblewrap's
    /// PR_SET_PDEATHSIG) is killed the moment that thread exits, so a browser started on a
    /// short-lived thread died under its first case.
    private static func spawn(path: String, command: Command, stdin: Int32, stdout: Int32, stderr: Int32) throws(ProcessError) -> pid_t {
        try SpawnThread.shared.run { () throws(ProcessError) -> pid_t in
            try spawnHere(path: path, command: command, stdin: stdin, stdout: stdout, stderr: stderr)
        }
    }

    /// Every child is killed by the kernel when AppJudge dies, even by SIGKILL: util-linux's
    /// `setpriv` (essential in Debian) sets a parent-death signal and becomes the child.
    /// Cleanup code cannot run after a SIGKILL; without this an Xvfb that had no client yet,
    /// or an install network's holder, outlived the run.
    private static let setpriv = "/usr/bin/setpriv"

    private static func spawnHere(path: String, command: Command, stdin: Int32, stdout: Int32, stderr: Int32) throws(ProcessError) -> pid_t {
        guard access(setpriv, X_OK) == 0 else { throw .executableNotFound("\(setpriv) (Debian package util-linux)") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if stdin >= 0 { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
        if stdout >= 0 { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        if stderr >= 0 { posix_spawn_file_actions_adddup2(&actions, stderr, 2) }
        for fd in command.inheritedDescriptors {
            // dup2 onto itself clears FD_CLOEXEC in the child (POSIX 2024 behaviour of glibc).
            posix_spawn_file_actions_adddup2(&actions, fd, fd)
        }
        // Copies above every target number first, so one mapping cannot overwrite the source
        // of another (our end of a pipe may itself be descriptor 3 or 4).
        var lifted: [Int32] = []
        defer { lifted.forEach { close($0) } }
        for (target, source) in command.mappedDescriptors.sorted(by: { $0.key < $1.key }) {
            let high = fcntl(source, F_DUPFD_CLOEXEC, 64)
            guard high >= 0 else { throw .spawnFailed(command.executable, errno: errno) }
            lifted.append(high)
            posix_spawn_file_actions_adddup2(&actions, high, target)
        }
        if let dir = command.workingDirectory { csystem_spawn_addchdir(&actions, dir) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([setpriv, "--pdeathsig", "KILL", "--", path] + command.arguments).map { strdup($0) } + [nil]
        let envp = command.environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, setpriv, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw .spawnFailed(command.executable, errno: rc) }
        return pid
    }

    /// Reaps the child if it has ended, without blocking.
    @discardableResult
    public func poll() -> ExitStatus? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        let rc = waitpid(pid, &raw, WNOHANG)
        if rc == pid {
            status = ChildProcess.decode(raw)
        } else if rc < 0 && errno == ECHILD {
            status = .exited(-1)
        }
        if status != nil, let drained {
            // The log is complete once the child is seen to end (bounded: a daemon it left may
            // still hold the pipe).
            _ = drained.wait(timeout: .now() + 2)
            self.drained = nil
        }
        return status
    }

    public var isRunning: Bool { poll() == nil }

    /// Waits for the child to end, at most `timeout` seconds; nil when it is still running.
    public func wait(timeout: Double = .infinity) -> ExitStatus? {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while true {
            if let status = poll() { return status }
            if Date() >= deadline { return nil }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Ends the child's whole process group: SIGTERM, then SIGKILL after `grace` seconds.
    @discardableResult
    public func terminate(grace: Double = 2) -> ExitStatus {
        if let status = poll() {
            // The leader is gone but members of its group may remain.
            kill(-pid, SIGKILL)
            return status
        }
        kill(-pid, SIGTERM)
        if let status = wait(timeout: grace) {
            kill(-pid, SIGKILL)
            return status
        }
        kill(-pid, SIGKILL)
        return wait(timeout: 5) ?? .signalled(SIGKILL)
    }

    private static func decode(_ raw: Int32) -> ExitStatus {
        let signal = raw & 0x7f
        return signal == 0 ? .exited((raw >> 8) & 0xff) : .signalled(signal)
    }
}

/// The one thread children are started on (see `ChildProcess.spawn`): it lives as long as the
/// process, and runs one start at a time for callers on any thread.
private final class SpawnThread: @unchecked Sendable {
    static let shared = SpawnThread()
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [self] in serve() }
        thread.name = "appjudge-spawn"
        thread.start()
    }

    private func serve() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    func run(_ body: @escaping () throws(ProcessError) -> pid_t) throws(ProcessError) -> pid_t {
        final class Box: @unchecked Sendable { var result: Result<pid_t, ProcessError>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        condition.lock()
        jobs.append {
            box.result = Result { () throws(ProcessError) -> pid_t in try body() }
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return try box.result!.get()
    }
}

/// Copies a child's output from a pipe to a log file until the pipe closes, keeping the first
/// `limit` bytes and counting the rest, which is noted at the end of the log.
enum LogDrain {
    static func start(reading fd: Int32, into path: String, limit: Int) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            defer { close(fd) }
            let out = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            defer { if out >= 0 { close(out) } }
            var kept = 0, dropped = 0
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                let room = max(0, min(n, limit - kept))
                if room > 0, out >= 0 { _ = chunk.withUnsafeBytes { write(out, $0.baseAddress, room) } }
                kept += room
                dropped += n - room
            }
            if dropped > 0, out >= 0 {
                let note = "\n[AppJudge: \(dropped) more bytes of output were dropped; the log keeps the first \(limit)]\n"
                _ = note.withCString { write(out, $0, strlen($0)) }
            }
        }
        thread.start()
        return done
    }
}

/// The result of running a command to completion.
public struct Completed: Sendable {
    public var status: ExitStatus
    /// Standard output and error interleaved, cut at the byte limit.
    public var output: String
    public var timedOut: Bool
}

extension Command {
    /// Runs the command to completion, capturing at most `outputLimit` bytes of its output and
    /// killing its process group after `timeout` seconds.
    public func run(timeout: Double = 60, outputLimit: Int = 1 << 20) throws(ProcessError) -> Completed {
        var fds: [Int32] = [0, 0]
        guard csystem_pipe_cloexec(&fds) == 0 else { throw .pipeFailed(errno: errno) }
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let child: ChildProcess
        do {
            child = try ChildProcess(self, stdin: devNull, stdout: fds[1], stderr: fds[1])
        } catch {
            close(fds[0]); close(fds[1]); close(devNull)
            throw error
        }
        close(fds[1]); close(devNull)
        defer { close(fds[0]) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        var captured = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        var open = true
        while open {
            var pfd = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { timedOut = true; break }
            _ = Glibc.poll(&pfd, 1, Int32(min(remaining, 0.2) * 1000))
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
                if n > 0 {
                    let room = outputLimit - captured.count
                    if room > 0 { captured.append(contentsOf: chunk.prefix(min(n, room))) }
                } else {
                    if n == 0 { open = false }
                    break
                }
            }
        }
        let status = timedOut ? child.terminate(grace: 1) : (child.wait(timeout: 5) ?? child.terminate(grace: 1))
        return Completed(status: status, output: String(decoding: captured, as: UTF8.self), timedOut: timedOut)
    }
}
