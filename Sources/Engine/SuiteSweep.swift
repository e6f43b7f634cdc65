import Foundation
import Reports
import Processes
import Sandbox

/// What marks a suite run's leftovers as its own: a tag in the name of its work folder (its
/// TMPDIR, where every sandbox workspace and browser profile is made) and of every control
/// group it creates. A resumed run sweeps what carries the tag, and nothing of anyone else's.
public struct SuiteLock: Sendable, Codable, Equatable {
    /// The process that holds the run, with its start time (so a reused pid is not mistaken for it).
    public var pid: Int32
    public var started: UInt64
    public var tag: String
    public var workFolder: String

    public static func file(in run: URL) -> URL { run.appendingPathComponent(".suite-lock") }

    /// A fresh lock for this process; the tag is kept from an earlier lock of the same run.
    public static func current(tag: String?, base: String) -> SuiteLock {
        let tag = tag ?? "s" + String(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(8)).lowercased()
        let pid = getpid()
        return SuiteLock(pid: pid, started: startTime(pid) ?? 0, tag: tag, workFolder: "\(base)/appjudge-suite-\(tag)")
    }

    /// Whether the process that wrote this lock is still running. A killed process that is
    /// still exiting or not yet reaped (a zombie) holds nothing.
    public var isHeld: Bool {
        guard pid != getpid(), let (state, start) = Self.stat(pid) else { return false }
        return start == started && state != "Z" && state != "X"
    }

    /// The start time of a process in clock ticks since boot (/proc/PID/stat field 22).
    public static func startTime(_ pid: Int32) -> UInt64? { stat(pid)?.start }

    /// State (field 3) and start time (field 22) of /proc/PID/stat.
    public static func stat(_ pid: Int32) -> (state: Character, start: UInt64)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Fields after the command start at field 3 (state); field 22 is at index 19.
        guard fields.count > 19, let start = UInt64(fields[19]), let state = fields[0].first else { return nil }
        return (state, start)
    }
}

/// Removes what a killed suite run left: its processes, control groups and work folder.
extension SuiteLock {
    /// Holds `run` for this process: refuses while a live process holds it, sweeps what a killed
    /// holder left (its tag is kept, so what it left is found again on a later resume), then
    /// writes the lock, makes the work folder and points TMPDIR and APPJUDGE_RUN_TAG at them so
    /// every workspace, browser profile and control group of this run carries the tag.
    public static func hold(_ run: URL) throws(Problem) -> (lock: SuiteLock, swept: SuiteSweep.Swept?) {
        let lockFile = file(in: run)
        var tag: String?
        var swept: SuiteSweep.Swept?
        if let data = FileManager.default.contents(atPath: lockFile.path), let old = try? JSONDecoder().decode(SuiteLock.self, from: data) {
            if old.isHeld {
                throw Problem("\(run.path) is being run by process \(old.pid); wait for it to end or stop it before resuming.")
            }
            swept = SuiteSweep.sweep(old)
            tag = old.tag
        }
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let lock = current(tag: tag, base: base)
        do {
            try FileManager.default.createDirectory(atPath: lock.workFolder, withIntermediateDirectories: true)
            try AtomicFile.write(try JSONEncoder.report.encode(lock), to: lockFile)
        } catch {
            throw Problem(
                "cannot prepare the run folder \(run.path) or the work folder \(lock.workFolder): \(error.localizedDescription)", code: ExitCode.infrastructure)
        }
        setenv("TMPDIR", lock.workFolder, 1)
        setenv("APPJUDGE_RUN_TAG", lock.tag, 1)
        return (lock, swept)
    }
}

public enum SuiteSweep {
    public struct Swept: Sendable, Equatable {
        public var processes = 0
        public var groups = 0
        public var workFolder = false
        public var isEmpty: Bool { processes == 0 && groups == 0 && !workFolder }
    }

    /// - Parameters:
    ///   - lock: the killed run's lock (its tag and work folder).
    ///   - cgroupRoot: the control group file system.
    public static func sweep(_ lock: SuiteLock, cgroupRoot: String = "/sys/fs/cgroup") -> Swept {
        var swept = Swept()
        let fm = FileManager.default
        // Processes whose command line names the work folder: sandboxes and browsers it started.
        for entry in (try? fm.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(), let data = fm.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            if command.contains(lock.workFolder), kill(pid, SIGKILL) == 0 { swept.processes += 1 }
        }
        // Control groups named with the tag, in every hierarchy; what runs in them goes too.
        let prefix = "appjudge-\(lock.tag)-"
        for parent in [cgroupRoot, "\(cgroupRoot)/pids", "\(cgroupRoot)/memory", "\(cgroupRoot)/unified"] {
            for name in ((try? fm.contentsOfDirectory(atPath: parent)) ?? []) where name.hasPrefix(prefix) {
                let dir = "\(parent)/\(name)"
                for _ in 0..<50 {
                    let procs = (try? String(contentsOfFile: "\(dir)/cgroup.procs", encoding: .utf8)) ?? ""
                    let pids = procs.split(separator: "\n").compactMap { Int32($0) }
                    if pids.isEmpty { break }
                    if fm.fileExists(atPath: "\(dir)/cgroup.kill") {
                        // Best effort: the loop below kills one by one when this is refused.
                        try? "1".write(toFile: "\(dir)/cgroup.kill", atomically: false, encoding: .utf8)
                    }
                    for pid in pids where kill(pid, SIGKILL) == 0 { swept.processes += 1 }
                    usleep(20_000)
                }
                if rmdir(dir) == 0 { swept.groups += 1 }
            }
        }
        if fm.fileExists(atPath: lock.workFolder) {
            // Sandboxed files may be read-only to their owner; make them writable before removing.
            _ = try? Command("/bin/chmod", ["-R", "u+rwX", lock.workFolder]).run(timeout: 60, outputLimit: 1000)
            swept.workFolder = (try? fm.removeItem(atPath: lock.workFolder)) != nil
        }
        return swept
    }
}
