import Engine
import Foundation
import Judge
import Reports
import Suite

/// `appjudge tasks list` and `appjudge tasks validate`.
enum TaskSuiteCommand {
    /// One line per task, then the count per scenario.
    static func list(_ tasks: [SuiteTask], print: (String) -> Void) -> Int32 {
        print("task                 scenario   kind     cases scripted variants")
        var perScenario: [String: Int] = [:]
        var invalid = 0
        for task in tasks {
            switch task.loaded {
            case .success(let spec):
                perScenario[spec.scenario.rawValue, default: 0] += 1
                let scripted = spec.cases.filter { $0.script != nil }.count
                print(
                    "\(AppJudgeCLI.pad(spec.id, 20)) \(AppJudgeCLI.pad(spec.scenario.rawValue, 10)) \(AppJudgeCLI.pad(spec.app.kind.rawValue, 8)) \(AppJudgeCLI.pad("\(spec.cases.count)", 5)) \(AppJudgeCLI.pad("\(scripted)", 8)) \(task.variants.count)"
                )
            case .failure(let error):
                invalid += 1
                print("\(AppJudgeCLI.pad(task.directory.lastPathComponent, 20)) invalid: \(error)")
            }
        }
        let scenarios = TaskSpec.Scenario.allCases.map { "\($0.rawValue) \(perScenario[$0.rawValue] ?? 0)" }
        print("\(tasks.count) task(s): " + scenarios.joined(separator: ", ") + (invalid > 0 ? ", \(invalid) invalid" : ""))
        return invalid > 0 ? ExitCode.badInput : ExitCode.allPassed
    }

    /// Checks every task file, then evaluates each reference (every case must pass) and each
    /// broken variant (exactly its listed cases must fail) with the script judge, `jobs`
    /// evaluations at once with `workers` cases each. Prints a table in task order, each row as
    /// soon as the rows before it are known; exit 0 when everything holds, 1 when a verdict is
    /// wrong, 2 when a task file is invalid. With `record`, the reference's run writes reference
    /// screenshots that are missing.
    static func validate(
        _ tasks: [SuiteTask], home: URL, output: URL, record: Bool = false, jobs: Int = 1, workers: Int = 2, print: @escaping @Sendable (String) -> Void
    ) -> Int32 {
        /// One row of the table: a problem with a task file, or an app to evaluate.
        enum Row: Sendable {
            case invalid(String)
            case app(task: URL, id: String, name: String, repository: URL, mustFail: Set<String>, outcome: Outcome)
        }
        var rows: [Row] = []
        for task in tasks {
            guard case .success(let spec) = task.loaded else {
                if case .failure(let error) = task.loaded { rows.append(.invalid("\(AppJudgeCLI.pad(task.directory.lastPathComponent, 20)) invalid: \(error)")) }
                continue
            }
            rows += task.badVariants.map { .invalid("\(AppJudgeCLI.pad(spec.id, 20)) invalid: \($0)") }
            guard task.hasReference else {
                rows.append(.invalid("\(AppJudgeCLI.pad(spec.id, 20)) invalid: \(task.directory.path) has no reference/ implementation."))
                continue
            }
            rows.append(.app(task: task.directory, id: spec.id, name: "reference", repository: task.directory.appendingPathComponent("reference"), mustFail: [], outcome: .evaluated))
            rows += task.variants.map {
                .app(task: task.directory, id: spec.id, name: "broken/\($0.name)", repository: $0.directory, mustFail: $0.mustFail, outcome: $0.outcome)
            }
        }
        let invalid = rows.filter { if case .invalid = $0 { true } else { false } }.count
        // The workers' displays and browsers go from one evaluation to the next (their logs in OUT/stations).
        let stations = AppJudgeCLI.stationPool(in: output.appendingPathComponent("stations"))
        defer { stations?.close() }
        print("task                 app                      expected               got                    ok")
        let table = RowsInOrder(count: rows.count, print: print)
        let all = rows
        eachIndex(all.count, jobs: jobs) { index in
            guard case .app(let taskDirectory, let id, let name, let repository, let mustFail, let outcome) = all[index] else {
                if case .invalid(let line) = all[index] { table.set(index, line, ok: true) }
                return
            }
            var options = EvaluationOptions(
                task: taskDirectory, repository: repository, output: output.appendingPathComponent(id).appendingPathComponent(name),
                runId: "validate", sandboxDirectory: home.appendingPathComponent("sandbox"))
            options.workers = workers
            options.stations = stations
            options.recordScreens = record && name == "reference"
            let expected = mustFail.isEmpty ? "all pass" : "fail " + mustFail.sorted().joined(separator: ",")
            let got: String
            let ok: Bool
            do {
                let (report, _) = try Evaluation(options: options).run()
                let failed = Set(report.cases.filter { $0.verdict != .pass }.map(\.id))
                got =
                    (failed.isEmpty ? "all pass" : "fail " + failed.sorted().joined(separator: ","))
                    + (report.outcome == .evaluated ? "" : " (\(report.outcome.rawValue))")
                ok = failed == mustFail && report.outcome == outcome
            } catch {
                got = "error: \(error)"
                ok = false
            }
            table.set(
                index,
                "\(AppJudgeCLI.pad(id, 20)) \(AppJudgeCLI.pad(name, 24)) \(AppJudgeCLI.pad(expected, 22)) \(AppJudgeCLI.pad(got, 22)) \(ok ? "yes" : "NO")",
                ok: ok)
        }
        print("\(tasks.count) task(s) validated: \(table.wrong) wrong verdict(s), \(invalid) invalid task(s)")
        if invalid > 0 { return ExitCode.badInput }
        return table.wrong > 0 ? ExitCode.caseFailed : ExitCode.allPassed
    }
}

/// A table's rows, filled in any order from several threads and printed in their own order:
/// each as soon as every row before it is known; it counts the rows whose verdicts were wrong.
private final class RowsInOrder: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [String?]
    private var next = 0
    private var wrongRows = 0
    var wrong: Int { lock.withLock { wrongRows } }
    private let print: @Sendable (String) -> Void

    init(count: Int, print: @escaping @Sendable (String) -> Void) {
        rows = Array(repeating: nil, count: count)
        self.print = print
    }

    func set(_ index: Int, _ line: String, ok: Bool) {
        lock.withLock {
            rows[index] = line
            if !ok { wrongRows += 1 }
            while next < rows.count, let ready = rows[next] {
                print(ready)
                next += 1
            }
        }
    }
}
