import Foundation
import Processes
import TestSupport
import Testing

/// Where deploy/ and its tools are, and how the tests run them.
enum Deploy {
    static var folder: URL { Repo.root.appendingPathComponent("deploy") }
    static func file(_ path: String) -> URL { folder.appendingPathComponent(path) }

    /// The virtual environment `make deps` fills with the validators (check-jsonschema,
    /// kubernetes-validate, and PyYAML with them).
    static var venv: URL { Repo.root.appendingPathComponent(".build/deploy-venv/bin") }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A tool of the virtual environment; its absence fails the test that needs it.
    static func tool(_ name: String) throws -> String {
        let path = venv.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure(description: "\(path) is missing: run `make deps`, which installs the deploy validators")
        }
        return path
    }

    /// The environment of the tools: this process's PATH (swift, podman, mmdebstrap), HOME,
    /// a proxy if one is set; nothing else.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        let mine = ProcessInfo.processInfo.environment
        var env = Command.baseEnvironment()
        for key in ["PATH", "HOME", "TMPDIR", "http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"] {
            if let value = mine[key] { env[key] = value }
        }
        return env.merging(extra) { $1 }
    }

    /// A finished command: its exit code (128+N for signal N) and output.
    struct Ran {
        var status: Int32
        var output: String
    }

    /// Runs a command to completion.
    static func run(_ executable: String, _ arguments: [String], timeout: Double = 120, outputLimit: Int = 4 << 20) throws -> Ran {
        let done = try Command(executable, arguments, environment: environment(), workingDirectory: Repo.root.path)
            .run(timeout: timeout, outputLimit: outputLimit)
        if done.timedOut { throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) ran past \(Int(timeout)) s:\n\(done.output)") }
        switch done.status {
        case .exited(let code): return Ran(status: code, output: done.output)
        case .signalled(let signal): return Ran(status: 128 + signal, output: done.output)
        }
    }

    /// A YAML file as JSON values, read by PyYAML of the virtual environment.
    static func yaml(_ file: URL) throws -> Any {
        let script = "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)"
        let read = try run(try tool("python"), ["-c", script, file.path])
        guard read.status == 0 else { throw Failure(description: "reading \(file.path): \(read.output)") }
        return try JSONSerialization.jsonObject(with: Data(read.output.utf8))
    }
}

/// The value at a path through nested JSON objects and arrays: `dig(job, "spec", "template")`.
func dig(_ value: Any?, _ path: Any...) -> Any? {
    var current = value
    for key in path {
        switch (current, key) {
        case (let object as [String: Any], let key as String): current = object[key]
        case (let array as [Any], let index as Int) where array.indices.contains(index): current = array[index]
        default: return nil
        }
    }
    return current
}
