import Foundation
import Judge

/// junit.xml of a suite run: a testsuite per task x repository pair, a testcase per case.
///
/// fail and uncertain are failures (the type says which); error is an error; a case not run
/// because its app did not build, start or become ready is an error of that outcome; a pair
/// with no repository is skipped; a flaky case passes with a note in its system-out.
public enum JUnitReport {
    public static func render(_ results: [PairResult]) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for r in results {
            var tests: [String] = []
            var counts = (failures: 0, errors: 0, skipped: 0)
            for c in r.cases {
                let evidence = c.evidence.map { "\nevidence: \($0)" } ?? ""
                let body: String
                switch (c.verdict, r.outcome) {
                case (.pass, _):
                    body = c.flaky ? "<system-out>\(xml("flaky: failed, then passed on a retry (\(c.attempts) runs). \(c.reason)\(evidence)"))</system-out>" : ""
                case (.fail, _), (.uncertain, _):
                    counts.failures += 1
                    body = "<failure type=\"\(c.verdict.rawValue)\" message=\"\(xml(c.reason))\">\(xml(c.reason + evidence))</failure>"
                case (.error, _):
                    counts.errors += 1
                    body = "<error type=\"error\" message=\"\(xml(c.reason))\">\(xml(c.reason + evidence))</error>"
                case (.skipped, .skipped), (.skipped, .evaluated):
                    counts.skipped += 1
                    body = "<skipped message=\"\(xml(c.reason))\"/>"
                case (.skipped, let outcome):
                    // Not run because the app did not build or come up (or AppJudge failed): an error, never a silent skip.
                    counts.errors += 1
                    let why = r.reason ?? c.reason
                    body = "<error type=\"\(outcome.rawValue)\" message=\"\(xml(why))\">\(xml(why))</error>"
                }
                tests.append(
                    "    <testcase classname=\"\(xml("\(r.generator).\(r.task)"))\" name=\"\(xml(c.id))\">\(body)</testcase>")
            }
            totals.tests += r.cases.count
            totals.failures += counts.failures
            totals.errors += counts.errors
            totals.skipped += counts.skipped
            suites.append(
                """
                  <testsuite name="\(xml("\(r.generator)/\(r.task)"))" tests="\(r.cases.count)" failures="\(counts.failures)" errors="\(counts.errors)" skipped="\(counts.skipped)" time="\(String(format: "%.1f", r.seconds))">
                    <properties><property name="outcome" value="\(r.outcome.rawValue)"/><property name="repository" value="\(xml(r.repository))"/>\(r.report.map { "<property name=\"report\" value=\"\(xml($0))/report.html\"/>" } ?? "")</properties>
                \(tests.joined(separator: "\n"))
                  </testsuite>
                """)
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="appjudge" tests="\(totals.tests)" failures="\(totals.failures)" errors="\(totals.errors)" skipped="\(totals.skipped)">
            \(suites.joined(separator: "\n"))
            </testsuites>

            """
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out.unicodeScalars.append(ch)
            // XML 1.0 has no way to write other control characters; an app's log may hold some.
            case _ where ch.value < 0x20: out += "?"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// summary.md of a suite run, short enough for a pull-request comment.
public enum MarkdownSummary {
    /// - Parameter maxFailures: failing cases listed before the rest are only counted.
    public static func render(_ summary: SuiteSummary, results: [PairResult], maxFailures: Int = 40) -> String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func counts(_ f: SuiteSummary.Figures) -> String {
            ["pass", "flaky", "fail", "uncertain", "error", "skipped"].map { "\(f.cases[$0] ?? 0)" }.joined(separator: " | ")
        }
        func notEvaluated(_ f: SuiteSummary.Figures) -> String {
            let parts = Outcome.allCases.filter { $0 != .evaluated && (f.outcomes[$0.rawValue] ?? 0) > 0 }
                .map { "\($0.rawValue) \(f.outcomes[$0.rawValue]!)" }
            return parts.isEmpty ? "-" : parts.joined(separator: ", ")
        }
        let t = summary.total
        var lines = [
            "## AppJudge suite: strict \(pct(t.strict)), lenient \(pct(t.lenient)) over \(t.pairs) pair(s)", "",
        ]
        if summary.unfinished > 0 { lines += ["**\(summary.unfinished) pair(s) unfinished** (interrupted; `appjudge suite --resume` finishes them).", ""] }
        lines += [
            "| generator | pairs | strict | lenient | pass | flaky | fail | uncertain | error | skipped | not evaluated |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        for g in summary.generators {
            let f = g.overall
            lines.append("| \(cell(g.name)) | \(f.pairs) | \(pct(f.strict)) | \(pct(f.lenient)) | \(counts(f)) | \(notEvaluated(f)) |")
        }
        lines += ["", "| generator | scenario | pairs | strict | lenient |", "|---|---|---:|---:|---:|"]
        for g in summary.generators {
            for (scenario, f) in g.scenarios.sorted(by: { $0.key < $1.key }) {
                lines.append("| \(cell(g.name)) | \(cell(scenario)) | \(f.pairs) | \(pct(f.strict)) | \(pct(f.lenient)) |")
            }
        }
        // Pairs whose cases never ran are listed once below, not case by case.
        let ran = results.filter { $0.outcome == .evaluated || $0.outcome == .crashed }
        let failing = ran.flatMap { r in r.cases.filter { $0.verdict != .pass || $0.flaky }.map { (r, $0) } }
        if !failing.isEmpty {
            lines += ["", "### Cases that did not pass (\(failing.count))", "", "| generator | task | case | verdict | reason | evidence |", "|---|---|---|---|---|---|"]
            for (r, c) in failing.prefix(maxFailures) {
                lines.append(
                    "| \(cell(r.generator)) | \(cell(r.task)) | \(cell(c.id)) | \(c.bucket) | \(cell(String(c.reason.prefix(160)))) | \(c.evidence.map { "`\($0)`" } ?? "-") |")
            }
            if failing.count > maxFailures { lines += ["", "and \(failing.count - maxFailures) more in junit.xml and summary.html."] }
        }
        let down = results.filter { $0.outcome != .evaluated && $0.outcome != .crashed && !$0.outcome.isNotTheApps }
        if !down.isEmpty {
            lines += ["", "### Apps that did not build or come up (\(down.count))", ""]
            for r in down { lines.append("- \(r.generator)/\(r.task): \(r.outcome.rawValue): \(cell(String((r.reason ?? "").prefix(300))))") }
        }
        if !summary.problems.isEmpty {
            lines += ["", "### Not evaluated, not the app's doing (\(summary.problems.count))", ""]
            for p in summary.problems { lines.append("- \(p.generator)/\(p.task): \(p.outcome.rawValue): \(cell(p.reason))") }
        }
        lines.append("")
        lines.append("strict counts every case of every pair (not run = not passed); lenient counts only decided cases of the pairs the app is answerable for.")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The string with spaces after it up to `width` characters, for columns of plain text.
    public func padded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
