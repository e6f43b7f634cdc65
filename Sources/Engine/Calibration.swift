import Foundation
import Judge
import Reports
import Scoring

/// `appjudge calibrate --labels FILE.csv (RUN | --verdicts FILE.csv)`: a judge's verdicts (a
/// run of AppJudge, or any judge's or person's verdicts in a CSV file) against labels of the
/// same cases.
///
/// How undecided answers count: a label `uncertain` leaves its case out (there is nothing to
/// agree with); a verdict that is not pass or fail (uncertain, error, skipped) counts as fail,
/// since the judge did not vouch for the feature. Both are counted in the report.
public enum Calibration {

    /// One row of a `task,case,<column>` file.
    public struct Row {
        public var task: String
        public var caseId: String
        public var value: String
        public var line: Int
    }

    /// Reads `task,case,<column>` rows (a header first); `accept` maps a cell to its canonical
    /// value, nil for a cell it refuses (`expected` says what it takes).
    public static func rows(_ file: URL, column: String, expected: String, accept: (String) -> String?) throws(Problem) -> [Row] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw Problem("\(file.path): cannot be read; give a CSV file of task,case,\(column) rows.")
        }
        var rows = text.split(whereSeparator: \.isNewline).enumerated().map { ($0 + 1, $1.split(separator: ",", omittingEmptySubsequences: false)) }
        guard let header = rows.first?.1.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
            let t = header.firstIndex(of: "task"), let c = header.firstIndex(of: "case"), let l = header.firstIndex(of: column)
        else {
            throw Problem("\(file.path): line 1: the header must name the columns task, case and \(column).")
        }
        rows.removeFirst()
        var out: [Row] = [], seen = Set<String>()
        for (line, fields) in rows {
            let cells = fields.map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            if cells.allSatisfy(\.isEmpty) { continue }
            guard cells.count > max(t, c, l) else {
                throw Problem("\(file.path): line \(line): has \(cells.count) column(s); task, case and \(column) are needed.")
            }
            guard let value = accept(cells[l].lowercased()) else {
                throw Problem("\(file.path): line \(line): \(column) '\(cells[l])' is not \(expected).")
            }
            guard seen.insert("\(cells[t])/\(cells[c])").inserted else {
                throw Problem("\(file.path): line \(line): \(cells[t]) \(cells[c]) appears twice.")
            }
            out.append(Row(task: cells[t], caseId: cells[c], value: value, line: line))
        }
        guard !out.isEmpty else { throw Problem("\(file.path): holds no rows.") }
        return out
    }

    /// Labels: pass or fail (1/0, yes/no, true/false), or uncertain.
    public static func labels(_ file: URL) throws(Problem) -> [Row] {
        try rows(file, column: "label", expected: "pass, fail or uncertain") { cell in
            switch cell {
            case "pass", "1", "yes", "true", "y": "pass"
            case "fail", "0", "no", "false", "n": "fail"
            case "uncertain": "uncertain"
            default: nil
            }
        }
    }

    /// Verdicts of any judge: pass or fail (1/0, yes/no, true/false), or one of AppJudge's
    /// undecided verdicts (uncertain, error, skipped).
    public static func verdicts(_ file: URL) throws(Problem) -> [String: Verdict] {
        let rows = try rows(file, column: "verdict", expected: "pass, fail, uncertain, error or skipped") { cell in
            switch cell {
            case "pass", "1", "yes", "true", "y": "pass"
            case "fail", "0", "no", "false", "n": "fail"
            default: Verdict(rawValue: cell)?.rawValue
            }
        }
        return Dictionary(uniqueKeysWithValues: rows.map { ("\($0.task)/\($0.caseId)", Verdict(rawValue: $0.value)!) })
    }

    /// Every report.json under `run`, by task id. A report that cannot be read stops the
    /// calibration with its name: leaving it out would change every figure silently.
    public static func reports(in run: URL) throws(Problem) -> [String: (TaskReport, URL)] {
        guard let walker = FileManager.default.enumerator(at: run, includingPropertiesForKeys: nil) else {
            throw Problem("\(run.path): no such run folder.")
        }
        var out: [String: (TaskReport, URL)] = [:]
        for case let url as URL in walker where url.lastPathComponent == "report.json" {
            let report: TaskReport
            do {
                report = try JSONDecoder.report.decode(TaskReport.self, from: try Data(contentsOf: url))
            } catch {
                throw Problem("\(url.path): cannot be read as an AppJudge report (\(error.localizedDescription)); repair or remove it.")
            }
            if let other = out[report.task.id] {
                throw Problem(
                    "\(run.path) holds two reports of task \(report.task.id) (\(other.1.path) and \(url.path)); calibrate one run of each task.")
            }
            out[report.task.id] = (report, url)
        }
        guard !out.isEmpty else { throw Problem("\(run.path): holds no report.json; give the folder of a run.") }
        return out
    }

    /// The verdicts of a run, keyed task/case.
    public static func verdicts(of reports: [String: (TaskReport, URL)]) -> [String: Verdict] {
        var out: [String: Verdict] = [:]
        for (task, (report, _)) in reports {
            for result in report.cases { out["\(task)/\(result.id)"] = result.verdict }
        }
        return out
    }

    public struct Result {
        public var figures: CalibrationFigures
        /// Labelled cases the judge did not decide (uncertain, error, skipped): counted as fail.
        public var undecided: Int
        /// Cases labelled uncertain: left out.
        public var uncertainLabels: Int
        /// Labels with no verdict.
        public var unmatched: [String]
        public var tasks: [(id: String, judge: Double, human: Double, cases: Int)]
    }

    public static func compare(_ labels: [Row], _ verdicts: [String: Verdict]) -> Result {
        var unmatched: [String] = [], undecided = 0, uncertain = 0
        var perTask: [String: [(judge: Bool, label: Bool)]] = [:]
        for label in labels {
            guard label.value != "uncertain" else {
                uncertain += 1
                continue
            }
            guard let verdict = verdicts["\(label.task)/\(label.caseId)"] else {
                unmatched.append("\(label.task)/\(label.caseId)")
                continue
            }
            if verdict != .pass && verdict != .fail { undecided += 1 }
            perTask[label.task, default: []].append((verdict == .pass, label.value == "pass"))
        }
        let tasks = perTask.keys.sorted().map { id -> (String, Double, Double, Int) in
            let p = perTask[id]!
            return (id, Double(p.filter(\.judge).count) / Double(p.count), Double(p.filter(\.label).count) / Double(p.count), p.count)
        }
        return Result(figures: CalibrationFigures(pairs: perTask), undecided: undecided, uncertainLabels: uncertain, unmatched: unmatched, tasks: tasks)
    }

    public static func rounded(_ v: Double?) -> Any { v.map { ($0 * 10000).rounded() / 10000 } ?? NSNull() }

    /// The figures as one JSON object: each figure, its interval (`<figure>_ci`: [low, high]),
    /// the confusion table and how undecided answers were counted.
    public static func object(_ r: Result, judges: [String]) -> [String: Any] {
        let f = r.figures
        func ci(_ e: Estimate) -> Any { e.low.map { [rounded($0), rounded(e.high)] } ?? NSNull() }
        return [
            "cases": f.cases, "tasks": f.tasks,
            "accuracy": rounded(f.accuracy.value), "accuracy_ci": ci(f.accuracy),
            "kappa": rounded(f.kappa.value), "kappa_ci": ci(f.kappa),
            "pearson": rounded(f.pearson.value), "pearson_ci": ci(f.pearson),
            "spearman": rounded(f.spearman.value), "spearman_ci": ci(f.spearman),
            "ci": "95%, bootstrap over tasks, \(f.resamples) resamples",
            "confusion": [
                "judge_pass_label_pass": f.confusion.bothPass, "judge_pass_label_fail": f.confusion.judgePassLabelFail,
                "judge_fail_label_pass": f.confusion.judgeFailLabelPass, "judge_fail_label_fail": f.confusion.bothFail,
            ],
            "uncertain_labels_left_out": r.uncertainLabels, "undecided_counted_as_fail": r.undecided, "unmatched_labels": r.unmatched,
            "judges": judges,
            "task_scores": r.tasks.map { ["task": $0.id, "judge_score": rounded($0.judge), "human_score": rounded($0.human), "cases": $0.cases] },
            "paper_appevalpilot": ["accuracy": 0.92, "correlation": 0.85],
        ]
    }

    public static func json(_ r: Result, judges: [String], pretty: Bool = true) -> Data {
        (try? JSONSerialization.data(withJSONObject: object(r, judges: judges), options: pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]))
            ?? Data()
    }

    /// The figures for a person: per task, then each figure with its interval, the confusion
    /// table, and how undecided answers were counted.
    public static func lines(_ r: Result) -> [String] {
        func f(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "n/a" }
        func e(_ x: Estimate) -> String { f(x.value) + (x.low.map { " [\(f($0)), \(f(x.high))]" } ?? "") }
        var out = ["\(pad("task", 24)) \(pad("cases", 6)) \(pad("judge", 7)) human"]
        out += r.tasks.map { "\(pad($0.id, 24)) \(pad("\($0.cases)", 6)) \(pad(f($0.judge), 7)) \(f($0.human))" }
        let g = r.figures
        out.append("cases \(g.cases): accuracy \(e(g.accuracy)), Cohen's kappa \(e(g.kappa))")
        out.append("tasks \(g.tasks): Pearson \(e(g.pearson)), Spearman \(e(g.spearman))")
        out.append("(95% intervals: bootstrap over tasks, \(g.resamples) resamples)")
        let c = g.confusion
        out.append("")
        out.append("                 label pass  label fail")
        out.append("judge pass       \(pad("\(c.bothPass)", 11)) \(c.judgePassLabelFail)")
        out.append("judge fail       \(pad("\(c.judgeFailLabelPass)", 11)) \(c.bothFail)")
        out.append("")
        if r.uncertainLabels > 0 { out.append("\(r.uncertainLabels) case(s) labelled uncertain are left out") }
        if r.undecided > 0 { out.append("\(r.undecided) labelled case(s) the judge did not decide (uncertain, error, skipped) count as fail") }
        if !r.unmatched.isEmpty {
            out.append("\(r.unmatched.count) label(s) match no verdict: \(r.unmatched.prefix(10).joined(separator: ", "))")
        }
        out.append("AppEvalPilot in the RealDevWorld paper: accuracy 0.92, correlation 0.85")
        return out
    }

    private static func pad(_ s: String, _ n: Int) -> String { s.padded(to: n) }
}
