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
    /// broken variant (exactly its listed cases must fail) with the script judge. Prints a
    /// table; exit 0 when everything holds, 1 when a verdict is wrong, 2 when a task file is invalid.
    /// With `record`, the reference's run writes reference screenshots that are missing.
    static func validate(_ tasks: [SuiteTask], home: URL, output: URL, record: Bool = false, print: (String) -> Void) -> Int32 {
        var invalid = 0, wrong = 0
        // The workers' displays and browsers go from one evaluation to the next (their logs in OUT/stations).
        let stations = AppJudgeCLI.stationPool(in: output.appendingPathComponent("stations"))
        defer { stations?.close() }
        print("task                 app                      expected               got                    ok")
        for task in tasks {
            guard case .success(let spec) = task.loaded else {
                if case .failure(let error) = task.loaded { print("\(AppJudgeCLI.pad(task.directory.lastPathComponent, 20)) invalid: \(error)") }
                invalid += 1
                continue
            }
            for problem in task.badVariants {
                print("\(AppJudgeCLI.pad(spec.id, 20)) invalid: \(problem)")
                invalid += 1
            }
            var apps: [(String, URL, Set<String>, Outcome)] = []
            if task.hasReference { apps.append(("reference", task.directory.appendingPathComponent("reference"), [], .evaluated)) }
            apps += task.variants.map { ("broken/\($0.name)", $0.directory, $0.mustFail, $0.outcome) }
            if !task.hasReference {
                print("\(AppJudgeCLI.pad(spec.id, 20)) invalid: \(task.directory.path) has no reference/ implementation.")
                invalid += 1
                continue
            }
            for (name, repository, mustFail, outcome) in apps {
                var options = EvaluationOptions(
                    task: task.directory, repository: repository, output: output.appendingPathComponent(spec.id).appendingPathComponent(name),
                    runId: "validate", sandboxDirectory: home.appendingPathComponent("sandbox"))
                options.workers = 2
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
                if !ok { wrong += 1 }
                print(
                    "\(AppJudgeCLI.pad(spec.id, 20)) \(AppJudgeCLI.pad(name, 24)) \(AppJudgeCLI.pad(expected, 22)) \(AppJudgeCLI.pad(got, 22)) \(ok ? "yes" : "NO")"
                )
            }
        }
        print("\(tasks.count) task(s) validated: \(wrong) wrong verdict(s), \(invalid) invalid task(s)")
        if invalid > 0 { return ExitCode.badInput }
        return wrong > 0 ? ExitCode.caseFailed : ExitCode.allPassed
    }
}
