import Engine
import Foundation
import Reports

extension AppJudgeCLI {
    /// `appjudge merge --out RUN SHARD_RUN...`: the shards of one suite run joined into one run
    /// folder with one summary, JUnit file, pull-request summary and dashboard, gated as the
    /// shards were asked to be. Exit codes as for `suite`.
    static func merge(_ args: [String]) -> Int32 {
        if args.contains("--help") || args.contains("-h") {
            print(usage)
            return ExitCode.allPassed
        }
        var out: String?
        var shards: [String] = []
        var i = 0
        while i < args.count {
            if args[i] == "--out" {
                guard i + 1 < args.count, !args[i + 1].hasPrefix("--") else {
                    printError("option --out needs a value.")
                    return ExitCode.badInput
                }
                out = args[i + 1]
                i += 2
            } else if args[i].hasPrefix("--") {
                printError("unknown option '\(args[i])' for merge. Run 'appjudge --help' for usage.")
                return ExitCode.badInput
            } else {
                shards.append(args[i])
                i += 1
            }
        }
        guard let out, !shards.isEmpty else {
            printError("merge needs --out RUN and the shard run folders: appjudge merge --out RUN SHARD_RUN....")
            return ExitCode.badInput
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func url(_ path: String) -> URL { URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL }
        let run = url(out)
        let started = Date()
        let merged: (manifest: SuiteManifest, results: [PairResult])
        do {
            merged = try SuiteMerge.merge(shards.map(url), into: run, arguments: ["merge"] + Array(args))
        } catch {
            printError(error.message)
            return error.code
        }
        let written = SuiteOutputsWriter(run: run, manifest: merged.manifest, planned: merged.results.count).write(merged.results)
        if let error = written.error {
            printError(error)
            return ExitCode.infrastructure
        }
        print(
            "appjudge: merged \(shards.count) shard(s), \(merged.results.count) pair(s), into \(relative(run.path)) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
        )
        let gate = SuiteGate(minScore: merged.manifest.minScore, failOn: Set(merged.manifest.failOn))
        return conclude(written.summary, results: merged.results, run: run, gate: gate, interrupted: false)
    }
}
