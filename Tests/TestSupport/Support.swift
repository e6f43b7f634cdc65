import CSystem
import Foundation
import Processes

/// Where things are in the checkout, found from this file's location.
public enum Repo {
    public static let root: URL = {
        // Every test touches the checkout first: from then on, whatever a test starts stays below
        // this process even when orphaned, so "nothing left behind" can look at our own only.
        HostProcesses.adoptOrphans()
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }()

    public static var todoTask: URL { root.appendingPathComponent("tasks/todo-list") }
    public static func fixture(_ path: String) -> URL { root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path) }

    /// The release build of the CLI (`make test` builds it first): end-to-end tests drive the
    /// real tool, as a user would, and debug builds are too slow at image work for that.
    public static var releaseBinary: URL { root.appendingPathComponent(".build/release/appjudge") }
}

/// A finished `appjudge` invocation.
public struct CLIResult: Sendable {
    public var status: Int32
    public var output: String
}

public enum CLI {
    /// What the release `appjudge` runs with in tests: this checkout as its home, one OCR thread.
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = Command.baseEnvironment().merging(extra) { $1 }
        env["APPJUDGE_HOME"] = Repo.root.path
        env["OMP_THREAD_LIMIT"] = "1"
        return env
    }

    /// Runs the release `appjudge` with `arguments`, capturing its output.
    public static func run(_ arguments: [String], timeout: Double = 300, environment extra: [String: String] = [:]) throws -> CLIResult {
        let env = environment(extra)
        let done = try Command(Repo.releaseBinary.path, arguments, environment: env, workingDirectory: Repo.root.path)
            .run(timeout: timeout, outputLimit: 4 << 20)
        let status: Int32
        switch done.status {
        case .exited(let code): status = code
        case .signalled(let signal): status = 128 + signal
        }
        return CLIResult(status: status, output: done.output)
    }
}

public enum Scratch {
    /// A fresh empty directory for one test.
    public static func directory(_ name: String = "test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

public enum HostProcesses {
    nonisolated(unsafe) private static var adopting = false

    /// Makes this process the subreaper of everything it starts (once).
    public static func adoptOrphans() {
        guard !adopting else { return }
        adopting = csystem_become_subreaper() == 0
    }

    /// Command lines of running processes below this one that mention `needle` (from /proc):
    /// what this test process started and left, never another run on the same machine.
    public static func matching(_ needle: String) -> [String] {
        adoptOrphans()
        return below(getpid()).filter { $0.command.contains(needle) }.map { "\($0.pid): \($0.command)" }
    }

    /// The running processes below `root`, from /proc. Zombies are not running; they are left
    /// for their parent to reap.
    public static func below(_ root: Int32) -> [(pid: Int32, command: String)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var parent: [Int32: Int32] = [:]
        var commands: [Int32: String] = [:]
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", let ppid = Int32(fields[1]) else { continue }
            parent[pid] = ppid
            let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") ?? Data()
            commands[pid] = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        }
        func descends(_ pid: Int32) -> Bool {
            var p = pid
            for _ in 0..<64 {
                guard let up = parent[p] else { return false }
                if up == root { return true }
                p = up
            }
            return false
        }
        return parent.keys.filter(descends).sorted().map { ($0, commands[$0] ?? "") }
    }
}
