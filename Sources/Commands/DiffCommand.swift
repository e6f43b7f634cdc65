import Engine
import Foundation
import Reports

extension AppJudgeCLI {
    /// `appjudge diff RUN_A RUN_B [--html FILE]`: flipped cases and score deltas. Exit 0 when no
    /// case flipped, 1 when some did, 2 when a run folder cannot be read.
    static func diff(_ args: [String]) -> Int32 {
        let paths = Array(args.prefix { !$0.hasPrefix("--") })
        guard paths.count == 2 else {
            printError("diff needs two suite run folders: appjudge diff RUN_A RUN_B [--html FILE].")
            return ExitCode.badInput
        }
        let parsed: [String: String]
        switch options(Array(args.dropFirst(2)), allowed: ["html"]) {
        case .success(let o): parsed = o
        case .failure(let stop): return stop.code
        }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let runs = paths.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL }
        let a: [PairResult], b: [PairResult]
        do {
            a = try SuiteRunFolder.results(runs[0])
            b = try SuiteRunFolder.results(runs[1])
        } catch {
            printError(error.message)
            return error.code
        }
        let diff = RunDiff(a, b)
        diff.lines().forEach { print($0) }
        if let html = parsed["html"] {
            let file = URL(fileURLWithPath: html, relativeTo: cwd).standardizedFileURL
            do {
                try AtomicFile.write(Data(diff.html(runA: runs[0], runB: runs[1]).utf8), to: file)
                print("diff: \(relative(file.path))")
            } catch {
                printError("cannot write \(file.path): \(error.localizedDescription)")
                return ExitCode.infrastructure
            }
        }
        return diff.flips.isEmpty ? ExitCode.allPassed : ExitCode.caseFailed
    }
}
