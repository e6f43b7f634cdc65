import Foundation
import Judge
import Reports
import Scoring

/// `appjudge calibrate --labels FILE.csv RUN`: a judge's verdicts in a run against people's
/// labels of the same cases.
enum Calibration {
    typealias Problem = AppJudgeCLI.Problem

    /// One human label: the case of a task, passed or not.
    struct Label {
        var task: String
        var caseId: String
        var pass: Bool
        var line: Int
    }

    /// Reads `task,case,label` rows (a header first; label pass/fail, 1/0, yes/no, true/false).
    static func labels(_ file: URL) throws(Problem) -> [Label] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw Problem("\(file.path): cannot be read; give a CSV file of task,case,label rows.")
        }
        var rows = text.split(whereSeparator: \.isNewline).enumerated().map { ($0 + 1, $1.split(separator: ",", omittingEmptySubsequences: false)) }
        guard let header = rows.first?.1.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }),
            let t = header.firstIndex(of: "task"), let c = header.firstIndex(of: "case"), let l = header.firstIndex(of: "label")
        else {
            throw Problem("\(file.path): line 1: the header must name the columns task, case and label.")
        }
        rows.removeFirst()
        var out: [Label] = [], seen = Set<String>()
        for (line, fields) in rows {
            let cells = fields.map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            if cells.allSatisfy(\.isEmpty) { continue }
            guard cells.count > max(t, c, l) else {
                throw Problem("\(file.path): line \(line): has \(cells.count) column(s); task, case and label are needed.")
            }
            let verdict: Bool
            switch cells[l].lowercased() {
            case "pass", "1", "yes", "true", "y": verdict = true
            case "fail", "0", "no", "false", "n": verdict = false
            default: throw Problem("\(file.path): line \(line): label '\(cells[l])' is not pass or fail.")
            }
            guard seen.insert("\(cells[t])/\(cells[c])").inserted else {
                throw Problem("\(file.path): line \(line): \(cells[t]) \(cells[c]) is labelled twice.")
            }
            out.append(Label(task: cells[t], caseId: cells[c], pass: verdict, line: line))
        }
        guard !out.isEmpty else { throw Problem("\(file.path): holds no labels.") }
        return out
    }

    /// Every report.json under `run`, by task id.
    static func reports(in run: URL) throws(Problem) -> [String: (TaskReport, URL)] {
        guard let walker = FileManager.default.enumerator(at: run, includingPropertiesForKeys: nil) else {
            throw Problem("\(run.path): no such run folder.")
        }
        var out: [String: (TaskReport, URL)] = [:]
        for case let url as URL in walker where url.lastPathComponent == "report.json" {
            guard let data = try? Data(contentsOf: url), let report = try? JSONDecoder.report.decode(TaskReport.self, from: data) else { continue }
            if let other = out[report.task.id] {
                throw Problem(
                    "\(run.path) holds two reports of task \(report.task.id) (\(other.1.path) and \(url.path)); calibrate one run of each task.")
            }
            out[report.task.id] = (report, url)
        }
        guard !out.isEmpty else { throw Problem("\(run.path): holds no report.json; give the folder of a run.") }
        return out
    }

    struct Result {
        var pairs: Int
        var accuracy: Double?
        var kappa: Double?
        var pearson: Double?
        var spearman: Double?
        /// Labelled cases the judge did not decide (uncertain, error, skipped): counted as fail.
        var undecided: Int
        /// Labels with no verdict in the run.
        var unmatched: [String]
        var tasks: [(id: String, judge: Double, human: Double, cases: Int)]
    }

    static func compare(_ labels: [Label], _ reports: [String: (TaskReport, URL)]) -> Result {
        var pairs: [(Bool, Bool)] = [], unmatched: [String] = [], undecided = 0
        var perTask: [String: [(Bool, Bool)]] = [:]
        for label in labels {
            guard let verdict = reports[label.task]?.0.cases.first(where: { $0.id == label.caseId })?.verdict else {
                unmatched.append("\(label.task)/\(label.caseId)")
                continue
            }
            if verdict != .pass && verdict != .fail { undecided += 1 }
            pairs.append((verdict == .pass, label.pass))
            perTask[label.task, default: []].append((verdict == .pass, label.pass))
        }
        let tasks = perTask.keys.sorted().map { id -> (String, Double, Double, Int) in
            let p = perTask[id]!
            return (id, Double(p.filter(\.0).count) / Double(p.count), Double(p.filter(\.1).count) / Double(p.count), p.count)
        }
        return Result(
            pairs: pairs.count, accuracy: Agreement.accuracy(pairs), kappa: Agreement.cohenKappa(pairs),
            pearson: Agreement.pearson(tasks.map(\.1), tasks.map(\.2)), spearman: Agreement.spearman(tasks.map(\.1), tasks.map(\.2)),
            undecided: undecided, unmatched: unmatched, tasks: tasks)
    }

    static func json(_ r: Result, judges: [String]) -> Data {
        func n(_ v: Double?) -> Any { v.map { ($0 * 10000).rounded() / 10000 } ?? NSNull() }
        let object: [String: Any] = [
            "cases": r.pairs, "accuracy": n(r.accuracy), "cohen_kappa": n(r.kappa), "pearson": n(r.pearson), "spearman": n(r.spearman),
            "undecided_counted_as_fail": r.undecided, "unmatched_labels": r.unmatched, "judges": judges,
            "tasks": r.tasks.map { ["task": $0.id, "judge_score": n($0.judge), "human_score": n($0.human), "cases": $0.cases] },
            "paper_appevalpilot": ["accuracy": 0.92, "correlation": 0.85],
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
    }
}
