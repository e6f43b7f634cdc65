import Foundation
import Processes

/// Where things are in the checkout, found from this file's location.
public enum Repo {
    public static let root: URL = {
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
    /// Runs the release `appjudge` with `arguments`, capturing its output.
    public static func run(_ arguments: [String], timeout: Double = 300, environment extra: [String: String] = [:]) throws -> CLIResult {
        var env = Command.baseEnvironment().merging(extra) { $1 }
        env["APPJUDGE_HOME"] = Repo.root.path
        env["OMP_THREAD_LIMIT"] = "1"
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
    /// Command lines of running processes that mention `needle` (from /proc).
    public static func matching(_ needle: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [String] = []
        for pid in entries where pid.allSatisfy(\.isNumber) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { continue }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            if line.contains(needle) { found.append("\(pid): \(line)") }
        }
        return found
    }
}
