import Foundation

/// What one sandboxed phase (install, build, or one case's run) may use.
public struct ResourceLimits: Sendable, Equatable {
    /// Processes and threads together (a pids cgroup counts both; Chromium alone runs ~150 threads).
    public var processes = 1024
    public var memoryBytes = 4 << 30
    /// CPU seconds per process (RLIMIT_CPU).
    public var cpuSeconds = 900
    /// Largest single file a process may write (RLIMIT_FSIZE).
    public var fileBytes = 1 << 30
    /// Bytes kept of each phase's output; the rest is counted and dropped.
    public var logBytes = 512 * 1024
    /// The whole work directory (repository, dependencies, build output) may not grow past this.
    public var workBytes = 2 << 30
    /// The sandbox's private /tmp (a tmpfs, so it is memory).
    public var tmpBytes = 512 << 20
    public var installSeconds = 600.0
    public var buildSeconds = 300.0
    /// From the start command to a ready app.
    public var startSeconds = 45.0

    public init() {}
}

/// A control group for one sandbox: the kernel's count of its processes and memory, and the
/// way to kill all of them at once, daemons that left the process group included.
///
/// Works with the cgroup v1 `pids` and `memory` hierarchies and with a unified (v2) hierarchy,
/// whichever the host has; `cgroup.kill` (v2) is used when present. When the host gives no
/// writable cgroup, `create` returns nil and the caller reports the limits it could not enforce.
public final class ControlGroup: @unchecked Sendable {
    /// The cgroup directories this group made, one per hierarchy.
    public let directories: [String]
    /// Which limits the kernel enforces for this group ("processes", "memory").
    public let enforced: [String]
    private let killFile: String?

    private init(directories: [String], enforced: [String], killFile: String?) {
        self.directories = directories
        self.enforced = enforced
        self.killFile = killFile
    }

    /// The environment variable a suite run sets to put its tag into every group's name, so a
    /// resumed run can find and remove the groups a killed one left, and no one else's.
    public static let runTagVariable = "APPJUDGE_RUN_TAG"
    /// `appjudge-<tag>-` under a suite run, `appjudge-` otherwise.
    public static var namePrefix: String {
        guard let tag = ProcessInfo.processInfo.environment[runTagVariable], !tag.isEmpty else { return "appjudge-" }
        return "appjudge-\(tag)-"
    }

    /// Makes `appjudge-<name>` (with the run's tag, see `namePrefix`) in each usable hierarchy
    /// and sets the limits. Nil when none is usable.
    public static func create(name: String, limits: ResourceLimits, root: String = "/sys/fs/cgroup") -> ControlGroup? {
        let fm = FileManager.default
        var dirs: [String] = []
        var enforced: [String] = []
        var killFile: String?
        func make(_ parent: String) -> String? {
            let dir = "\(parent)/\(namePrefix)\(name)"
            guard fm.fileExists(atPath: parent), (try? fm.createDirectory(atPath: dir, withIntermediateDirectories: false)) != nil
            else { return nil }
            return dir
        }
        func write(_ value: String, _ file: String) -> Bool {
            (try? value.write(toFile: file, atomically: false, encoding: .utf8)) != nil
        }
        if fm.fileExists(atPath: "\(root)/cgroup.controllers") {
            // A pure v2 host: one hierarchy with every controller.
            _ = write("+pids +memory", "\(root)/cgroup.subtree_control")
            if let dir = make(root) {
                dirs.append(dir)
                if write("\(limits.processes)", "\(dir)/pids.max") { enforced.append("processes") }
                if write("\(limits.memoryBytes)", "\(dir)/memory.max") { enforced.append("memory") }
                if fm.fileExists(atPath: "\(dir)/cgroup.kill") { killFile = "\(dir)/cgroup.kill" }
            }
        } else {
            if let dir = make("\(root)/pids") {
                dirs.append(dir)
                if write("\(limits.processes)", "\(dir)/pids.max") { enforced.append("processes") }
            }
            if let dir = make("\(root)/memory") {
                dirs.append(dir)
                if write("\(limits.memoryBytes)", "\(dir)/memory.limit_in_bytes") { enforced.append("memory") }
            }
            // The unified hierarchy of a hybrid host has no controllers but can kill a whole group.
            if let dir = make("\(root)/unified") {
                dirs.append(dir)
                if fm.fileExists(atPath: "\(dir)/cgroup.kill") { killFile = "\(dir)/cgroup.kill" }
            }
        }
        guard !dirs.isEmpty else { return nil }
        return ControlGroup(directories: dirs, enforced: enforced, killFile: killFile)
    }

    /// Shell that moves the current shell into every hierarchy of the group; run before exec'ing
    /// the sandbox, so everything it starts is counted from its first instruction.
    public var joinScript: String {
        directories.map { "echo $$ > '\($0)/cgroup.procs'" }.joined(separator: " && ")
    }

    /// Process ids currently in the group.
    public var members: [Int32] {
        var pids = Set<Int32>()
        for dir in directories {
            let text = (try? String(contentsOfFile: "\(dir)/cgroup.procs", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") { if let pid = Int32(line) { pids.insert(pid) } }
        }
        return pids.sorted()
    }

    /// The limits the group ran into so far, as phrases for a report ("its limit of 1024
    /// processes"): from pids.events, and memory.events (v2) or memory.failcnt (v1).
    public func limitsHit(_ limits: ResourceLimits) -> [String] {
        var hit: [String] = []
        func counter(_ file: String, _ key: String?) -> Int {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return 0 }
            guard let key else { return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, parts[0] == key { return Int(parts[1]) ?? 0 }
            }
            return 0
        }
        for dir in directories {
            if counter("\(dir)/pids.events", "max") > 0 { hit.append("its limit of \(limits.processes) processes") }
            if counter("\(dir)/memory.events", "oom_kill") > 0 || counter("\(dir)/memory.failcnt", nil) > 0 {
                hit.append("its memory limit of \(limits.memoryBytes >> 20) MiB")
            }
        }
        return hit
    }

    /// Kills every process in the group and waits (bounded) until it is empty. A fork loop
    /// cannot outrun this: cgroup.kill is atomic, and without it the loop repeats until no
    /// member is left.
    @discardableResult
    public func killAll(timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        if let killFile { try? "1".write(toFile: killFile, atomically: false, encoding: .utf8) }
        while true {
            let pids = members
            if pids.isEmpty { return true }
            if Date() >= deadline { return false }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }

    /// Kills what is left and removes the group's directories.
    public func remove() {
        killAll()
        for dir in directories { rmdir(dir) }
    }

    deinit { remove() }
}
