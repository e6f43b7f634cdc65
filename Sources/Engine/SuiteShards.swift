import Foundation
import Judge
import Reports

/// Shard K of N of a suite run (`--shard K/N`, 1-based).
public struct ShardSelection: Sendable, Equatable {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Reads `K/N`; nil unless 1 <= K <= N <= 1000.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), (1...1000).contains(n), (1...n).contains(k) else { return nil }
        self.init(index: k, count: n)
    }
}

/// How the pairs of a plan are dealt to shards: the same answer on every machine that is given
/// the same tasks, generators and weights, because it depends on nothing else (not paths, not
/// the clock, not which repositories exist there).
public enum SuitePartition {
    /// The shard (1-based) of each pair, keyed `generator/task`. Heaviest pairs first, each to the
    /// shard with the least weight so far (the lowest index on a tie); equal weights are taken
    /// in name order.
    public static func assign(_ weights: [String: Double], shards: Int) -> [String: Int] {
        var load = [Double](repeating: 0, count: shards)
        var out: [String: Int] = [:]
        let ordered = weights.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        for (pair, weight) in ordered {
            var best = 0
            for i in 1..<shards where load[i] < load[best] { best = i }
            load[best] += weight
            out[pair] = best + 1
        }
        return out
    }

    /// Weights of the plan's pairs: seconds a finished earlier run took per pair (`durations`,
    /// rounded to a tenth so the figure written is the figure read), and for a pair that run
    /// lacks, its case count times the earlier run's median seconds per case; without an earlier
    /// run, the case count.
    public static func weights(tasks: [PlannedTask], generators: [String], durations: [PairResult]?) -> [String: Double] {
        var seconds: [String: Double] = [:]
        var perCase: [Double] = []
        for r in durations ?? [] where r.outcome != .skipped {
            seconds[r.key] = (r.seconds * 10).rounded() / 10
            if !r.cases.isEmpty { perCase.append(r.seconds / Double(r.cases.count)) }
        }
        perCase.sort()
        let unit = perCase.isEmpty ? 1 : (perCase[perCase.count / 2] * 10).rounded() / 10
        var out: [String: Double] = [:]
        for g in generators {
            for t in tasks {
                let key = pairKey(g, t.spec.id)
                out[key] = seconds[key] ?? Double(max(1, t.spec.cases.count)) * unit
            }
        }
        return out
    }
}

/// `appjudge merge`: shard runs of one plan joined into one run, as if it had run unsharded.
public enum SuiteMerge {
    /// Checks that `shards` are the shards of one plan with the same AppJudge and judge, that each
    /// pair is in exactly one and has its result; then copies every pair's folder into `out` and
    /// writes its run.json. Returns the merged manifest and the results in plan order.
    public static func merge(_ shards: [URL], into out: URL, arguments: [String]) throws(Problem) -> (manifest: SuiteManifest, results: [PairResult]) {
        guard !shards.isEmpty else { throw Problem("merge needs the shard run folders: appjudge merge --out RUN SHARD_RUN....") }
        var manifests: [SuiteManifest] = []
        for run in shards {
            let m = try SuiteRunFolder.manifest(run, missing: "\(run.path): no run.json there; give the folders the shards wrote (appjudge suite --shard K/N --out).")
            guard m.shard != nil else {
                throw Problem("\(run.path) is a whole run, not a shard (it was not started with --shard K/N); merge joins shards of one run.")
            }
            manifests.append(m)
        }
        let first = manifests[0]
        // Everything that decides a verdict or a denominator must be the same in every shard.
        func same<T: Equatable>(_ field: String, _ value: (SuiteManifest) -> T) throws(Problem) {
            for (i, m) in manifests.enumerated().dropFirst() where value(m) != value(first) {
                throw Problem(
                    "\(shards[i].path) and \(shards[0].path) differ in run.json \(field); shards of different runs cannot be merged (run every shard with the same AppJudge, tasks, repositories and judge).")
            }
        }
        try same("appjudge (version)") { $0.appjudge }
        try same("tasks (ids and content hashes)") { $0.tasks.map { "\($0.id) \($0.hash)" } }
        try same("generators") { $0.generators.map(\.name) }
        try same("judge") { $0.judge }
        try same("model") { $0.model }
        try same("prompt_hash") { $0.promptHash }
        try same("judge_options") { $0.judgeOptions }
        try same("retries") { $0.retries }
        try same("offline") { $0.offline }
        try same("workers") { $0.workers }
        try same("shard count") { $0.shard!.count }

        let count = first.shard!.count
        var owner: [String: Int] = [:]
        for (i, m) in manifests.enumerated() {
            let shard = m.shard!
            if let j = manifests.prefix(i).firstIndex(where: { $0.shard!.index == shard.index }) {
                throw Problem("\(shards[i].path) and \(shards[j].path) are both shard \(shard.index)/\(count); give each shard once.")
            }
            for pair in shard.pairs {
                if let j = owner[pair] {
                    throw Problem(
                        "pair \(pair) is in shard \(manifests[j].shard!.index) (\(shards[j].path)) and shard \(shard.index) (\(shards[i].path)): the shards were partitioned differently (give every shard the same --durations, or none).")
                }
                owner[pair] = i
            }
        }
        var results: [String: PairResult] = [:]
        for (i, run) in shards.enumerated() {
            for r in try SuiteRunFolder.results(run) where owner[r.key] == i {
                results[r.key] = r
            }
        }
        let plan = first.pairKeys
        let missing = plan.filter { results[$0] == nil }
        if !missing.isEmpty {
            let present = Set(manifests.map { $0.shard!.index })
            let absent = (1...count).filter { !present.contains($0) }
            let why =
                absent.isEmpty
                ? "a shard did not finish them; resume it (appjudge suite --resume SHARD_RUN) and merge again"
                : "shard\(absent.count == 1 ? "" : "s") \(absent.map { "\($0)/\(count)" }.joined(separator: ", ")) \(absent.count == 1 ? "is" : "are") not among the folders given"
            throw Problem(
                "\(missing.count) pair(s) have no result: \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? ", ..." : ""); \(why).")
        }

        let fm = FileManager.default
        if fm.fileExists(atPath: out.appendingPathComponent("run.json").path) {
            throw Problem("\(out.path) already holds a run; choose another --out.")
        }
        var manifest = first
        manifest.shard = nil
        manifest.startedAt = manifests.map(\.startedAt).min()!
        manifest.arguments = arguments
        manifest.jobs = manifests.map(\.jobs).reduce(0, +)
        do {
            for key in plan {
                let source = shards[owner[key]!].appendingPathComponent("pairs/\(key)")
                let target = out.appendingPathComponent("pairs/\(key)")
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                try fm.copyItem(at: source, to: target)
            }
            try AtomicFile.write(try JSONEncoder.report.encode(manifest), to: out.appendingPathComponent("run.json"))
        } catch {
            throw Problem("cannot write the merged run into \(out.path): \(error.localizedDescription)", code: ExitCode.infrastructure)
        }
        return (manifest, plan.map { results[$0]! })
    }
}
