import Foundation
import Processes

/// How one install or build phase ended.
public struct PhaseResult: Sendable, Equatable {
    public var phase: String
    public var command: String
    public var status: ExitStatus
    public var seconds: Double
    /// Why the phase was stopped, when AppJudge stopped it (time or size limit).
    public var stopped: String?

    public var succeeded: Bool { status.succeeded && stopped == nil }

    /// One sentence for a report.
    public var summary: String {
        if let stopped { return "\(phase) (\(command)) was stopped: \(stopped)" }
        return "\(phase) (\(command)) ended with \(status) after \(String(format: "%.1f", seconds)) s"
    }
}

/// Runs one sandboxed phase to its end under a time limit and the work-directory size limit,
/// then kills whatever it left behind.
public struct PhaseRunner: Sendable {
    public var jail: Jail

    public init(jail: Jail) { self.jail = jail }

    public func run(phase: String, command: String, network: Bool, timeout: Double, log: String) throws(SandboxError) -> PhaseResult {
        let start = Date()
        let header = "$ \(command)\n"
        FileManager.default.createFile(atPath: log, contents: Data(header.utf8))
        let egress = network ? try Egress() : nil
        defer { egress?.close() }
        let group = ControlGroup.create(name: "\(phase)-\(UUID().uuidString.prefix(8).lowercased())", limits: jail.limits)
        defer { group?.remove() }
        let process: ChildProcess
        do {
            process = try ChildProcess(jail.command(["/bin/sh", "-c", command], group: group, network: egress.map { .egress($0) } ?? .isolated, log: log))
        } catch {
            throw .launchFailed("\(phase): \(error)")
        }
        let watch = DiskWatch(directory: jail.work, limit: jail.limits.workBytes)
        var stopped: String?
        let deadline = start.addingTimeInterval(timeout)
        var status: ExitStatus?
        while status == nil {
            status = process.wait(timeout: 0.25)
            if status != nil { break }
            if Date() >= deadline {
                stopped = "it took longer than its limit of \(Int(timeout)) s"
            } else if let over = watch.exceeded() {
                stopped = over
            }
            if stopped != nil {
                group?.killAll()
                status = process.terminate(grace: 0)
            }
        }
        // Daemons the phase started do not live on into the next one.
        group?.killAll()
        return PhaseResult(phase: phase, command: command, status: status!, seconds: Date().timeIntervalSince(start), stopped: stopped)
    }
}

/// Measures a directory tree now and then, to stop an app that fills the disk. The check is a
/// walk of the tree, so it runs at most every half second.
public final class DiskWatch: @unchecked Sendable {
    public let directory: URL
    public let limit: Int
    private var last = Date.distantPast

    public init(directory: URL, limit: Int) {
        self.directory = directory
        self.limit = limit
    }

    /// A sentence when the directory is over its limit, else nil.
    public func exceeded() -> String? {
        guard Date().timeIntervalSince(last) >= 0.5 else { return nil }
        last = Date()
        let used = Self.size(of: directory)
        guard used > limit else { return nil }
        return "its work directory grew past the limit of \(limit >> 20) MiB"
    }

    /// Bytes allocated to the regular files under `directory` (links not followed).
    public static func size(of directory: URL) -> Int {
        var total = 0
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return 0 }
        while let item = walker.nextObject() as? String {
            var info = stat()
            if lstat(directory.appendingPathComponent(item).path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG {
                total += Int(info.st_blocks) * 512
            }
        }
        return total
    }
}
