import Foundation
import Judge

/// summary.html of a suite run: one self-contained page (no external files) with the scores
/// per generator and per scenario as SVG bar charts, and a table of every pair that sorts by a
/// click on a heading and filters by typed text, each row linking to its pair's report.html.
public enum SuiteDashboard {
    public static func render(_ summary: SuiteSummary, results: [PairResult], title: String) -> String {
        var body = "<h1>AppJudge suite <small>\(esc(title))</small></h1>"
        let t = summary.total
        body += "<p class=meta>\(t.pairs) pair(s) · strict <b>\(pct(t.strict))</b> · lenient <b>\(pct(t.lenient))</b> · cases "
        body += ["pass", "flaky", "fail", "uncertain", "error", "skipped"].map { "\(t.cases[$0] ?? 0) \($0)" }.joined(separator: ", ")
        body += "</p>"
        if summary.unfinished > 0 { body += "<p class=warn>\(summary.unfinished) pair(s) unfinished: resume the run.</p>" }
        for p in summary.problems { body += "<p class=warn>\(esc(p.generator))/\(esc(p.task)): \(p.outcome.rawValue): \(esc(p.reason))</p>" }

        body += "<h2>Per generator</h2>"
        body += chart(summary.generators.map { ($0.name, $0.overall.strict, $0.overall.lenient) })
        let scenarios = Set(summary.generators.flatMap(\.scenarios.keys)).sorted()
        body += "<h2>Per scenario</h2>"
        body += chart(
            scenarios.flatMap { s in
                summary.generators.compactMap { g in g.scenarios[s].map { ("\(s) · \(g.name)", $0.strict, $0.lenient) } }
            })

        body += "<h2>Pairs</h2><p><input id=filter placeholder=\"filter: generator, task, outcome...\" oninput=\"filterRows()\"></p>"
        body += "<table id=pairs><thead><tr>"
        for (i, h) in ["generator", "task", "scenario", "outcome", "strict", "lenient", "pass", "flaky", "not passed", "seconds"].enumerated() {
            body += "<th onclick=\"sortBy(\(i))\">\(h)</th>"
        }
        body += "</tr></thead><tbody>"
        for r in results {
            let s = r.score
            let link = r.report.map { "<a href=\"\(esc($0))/report.html\">\(esc(r.task))</a>" } ?? esc(r.task)
            let notPassed = r.cases.filter { $0.verdict != .pass }.count
            body += "<tr class=\"o-\(r.outcome.rawValue)\"><td>\(esc(r.generator))</td><td>\(link)</td><td>\(esc(r.scenario))</td>"
            body += "<td>\(r.outcome.rawValue)</td><td data-v=\(s.strict)>\(pct(s.strict))</td><td data-v=\(s.lenient ?? -1)>\(pct(s.lenient))</td>"
            body += "<td>\(r.cases.filter { $0.verdict == .pass && !$0.flaky }.count)</td><td>\(r.cases.filter(\.flaky).count)</td>"
            body += "<td title=\"\(esc(r.cases.filter { $0.verdict != .pass }.map { "\($0.id): \($0.verdict.rawValue)" }.joined(separator: ", ")))\">\(notPassed)</td>"
            body += "<td data-v=\(r.seconds)>\(String(format: "%.1f", r.seconds))</td></tr>"
        }
        body += "</tbody></table>"
        body += "<p class=meta>strict counts every case of every pair (not run = not passed); lenient counts only decided cases of the pairs the app is answerable for.</p>"
        return page(title: "AppJudge suite \(title)", body: body, script: script)
    }

    /// A horizontal bar chart: per label a strict bar and a lenient bar, 0 to 100%.
    static func chart(_ rows: [(label: String, strict: Double, lenient: Double?)]) -> String {
        let labelWidth = 220, barWidth = 400, rowHeight = 34
        let height = rows.count * rowHeight + 30
        var svg = "<svg class=chart width=\"\(labelWidth + barWidth + 70)\" height=\"\(height)\" role=img xmlns=\"http://www.w3.org/2000/svg\">"
        for (i, row) in rows.enumerated() {
            let y = i * rowHeight + 4
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 17)\" text-anchor=end>\(esc(row.label))</text>"
            svg += "<rect class=strict x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(Int(row.strict * Double(barWidth)))\" height=\"13\"/>"
            svg += "<text x=\"\(labelWidth + Int(row.strict * Double(barWidth)) + 4)\" y=\"\(y + 11)\">\(pct(row.strict))</text>"
            if let lenient = row.lenient {
                svg += "<rect class=lenient x=\"\(labelWidth)\" y=\"\(y + 15)\" width=\"\(Int(lenient * Double(barWidth)))\" height=\"13\"/>"
                svg += "<text x=\"\(labelWidth + Int(lenient * Double(barWidth)) + 4)\" y=\"\(y + 26)\">\(pct(lenient))</text>"
            }
        }
        let legend = rows.count * rowHeight + 20
        svg += "<rect class=strict x=\"\(labelWidth)\" y=\"\(legend - 9)\" width=\"10\" height=\"10\"/><text x=\"\(labelWidth + 14)\" y=\"\(legend)\">strict</text>"
        svg += "<rect class=lenient x=\"\(labelWidth + 70)\" y=\"\(legend - 9)\" width=\"10\" height=\"10\"/><text x=\"\(labelWidth + 84)\" y=\"\(legend)\">lenient</text>"
        return svg + "</svg>"
    }

    static let script = """
        function filterRows(){var q=document.getElementById('filter').value.toLowerCase();
        document.querySelectorAll('#pairs tbody tr').forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});}
        var order=[];
        function sortBy(i){var b=document.querySelector('#pairs tbody');var rows=Array.from(b.rows);order[i]=!order[i];
        rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i];var u=a.dataset.v!==undefined?parseFloat(a.dataset.v):a.textContent,
        v=c.dataset.v!==undefined?parseFloat(c.dataset.v):c.textContent;return (u<v?-1:u>v?1:0)*(order[i]?1:-1);});
        rows.forEach(function(r){b.appendChild(r);});}
        // A link can carry the view: summary.html#filter=broken&sort=4
        var h=new URLSearchParams(location.hash.slice(1));
        if(h.get('filter')){document.getElementById('filter').value=h.get('filter');filterRows();}
        if(h.get('sort')){sortBy(parseInt(h.get('sort'),10));}
        """

    static func page(title: String, body: String, script: String) -> String {
        """
        <!doctype html><html lang=en><head><meta charset=utf-8><title>\(esc(title))</title><style>
        body{font:14px/1.4 sans-serif;margin:24px;color:#222}h1 small{color:#777;font-weight:normal}
        .meta{color:#555}.warn{color:#a40}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}
        th{background:#eee;cursor:pointer}tr.o-evaluated td:nth-child(4){color:#070}tr:not(.o-evaluated) td:nth-child(4){color:#a00;font-weight:bold}
        .chart text{font:12px sans-serif;fill:#333}.chart rect.strict{fill:#2b6cb0}.chart rect.lenient{fill:#90cdf4}
        .side{display:flex;gap:12px}.side figure{margin:0}.side img{max-width:480px;border:1px solid #ccc}
        .flip{border-top:1px solid #ddd;padding:8px 0}
        </style></head><body>\(body)<script>\(script)</script></body></html>

        """
    }

    static func pct(_ x: Double?) -> String { x.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// What changed between two suite runs: cases whose verdict flipped and score deltas per task
/// and per scenario, matched by generator and task.
public struct RunDiff: Sendable {
    public struct Flip: Sendable, Equatable {
        public var generator: String
        public var task: String
        public var caseId: String
        /// Verdict buckets (pass, flaky, fail...) in A and in B.
        public var before: String
        public var after: String
        public var evidenceBefore: String?
        public var evidenceAfter: String?
        public var reasonAfter: String
    }

    public struct Delta: Sendable, Equatable {
        public var generator: String
        /// A task id, or a scenario name.
        public var name: String
        public var before: Double?
        public var after: Double?
        public var change: Double? { before.flatMap { b in after.map { $0 - b } } }
    }

    public var flips: [Flip] = []
    public var tasks: [Delta] = []
    public var scenarios: [Delta] = []

    public init(_ a: [PairResult], _ b: [PairResult]) {
        let before = Dictionary(a.map { ($0.key, $0) }) { x, _ in x }
        let after = Dictionary(b.map { ($0.key, $0) }) { x, _ in x }
        let keys = (a + b).map(\.key).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for key in keys {
            let x = before[key], y = after[key]
            let any = (x ?? y)!
            tasks.append(Delta(generator: any.generator, name: any.task, before: x?.score.strict, after: y?.score.strict))
            guard let x, let y else { continue }
            for c in y.cases {
                guard let old = x.cases.first(where: { $0.id == c.id }), old.bucket != c.bucket else { continue }
                flips.append(
                    Flip(
                        generator: y.generator, task: y.task, caseId: c.id, before: old.bucket, after: c.bucket, evidenceBefore: old.evidence,
                        evidenceAfter: c.evidence, reasonAfter: c.reason))
            }
        }
        let generators = (a + b).map(\.generator).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for g in generators {
            let sa = SuiteSummary(a.filter { $0.generator == g }, generators: [g], planned: 0).generators[0].scenarios
            let sb = SuiteSummary(b.filter { $0.generator == g }, generators: [g], planned: 0).generators[0].scenarios
            for s in Set(sa.keys).union(sb.keys).sorted() {
                scenarios.append(Delta(generator: g, name: s, before: sa[s]?.strict, after: sb[s]?.strict))
            }
        }
    }

    public func lines() -> [String] {
        func f(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "-" }
        func d(_ x: Double?) -> String { x.map { String(format: "%+.2f", $0) } ?? "" }
        var out = ["\(flips.count) case(s) flipped"]
        for f in flips { out.append("  \(f.generator)/\(f.task)/\(f.caseId): \(f.before) -> \(f.after)") }
        out.append("strict score per task (A -> B):")
        for t in tasks { out.append("  \(t.generator)/\(t.name): \(f(t.before)) -> \(f(t.after)) \(d(t.change))") }
        out.append("strict score per scenario (A -> B):")
        for s in scenarios { out.append("  \(s.generator)/\(s.name): \(f(s.before)) -> \(f(s.after)) \(d(s.change))") }
        return out
    }

    /// A self-contained page: the deltas, and every flipped case with the two runs' evidence
    /// frames side by side (embedded, so the page can be sent alone).
    public func html(runA: URL, runB: URL) -> String {
        func frame(_ run: URL, _ path: String?) -> String {
            guard let path, let data = FileManager.default.contents(atPath: run.appendingPathComponent(path).path) else {
                return "<p class=meta>(no frame)</p>"
            }
            return "<img alt=\"\(SuiteDashboard.esc(path))\" src=\"data:image/png;base64,\(data.base64EncodedString())\">"
        }
        let esc = SuiteDashboard.esc
        var body = "<h1>AppJudge run diff</h1><p class=meta>A: <code>\(esc(runA.path))</code> · B: <code>\(esc(runB.path))</code></p>"
        body += "<h2>\(flips.count) case(s) flipped</h2>"
        for f in flips {
            body += "<div class=flip><h3>\(esc(f.generator))/\(esc(f.task))/\(esc(f.caseId)): \(f.before) → \(f.after)</h3><p>\(esc(f.reasonAfter))</p>"
            body += "<div class=side><figure><figcaption>A: \(f.before)</figcaption>\(frame(runA, f.evidenceBefore))</figure>"
            body += "<figure><figcaption>B: \(f.after)</figcaption>\(frame(runB, f.evidenceAfter))</figure></div></div>"
        }
        func table(_ title: String, _ rows: [Delta]) -> String {
            var t = "<h2>\(title)</h2><table><tr><th>generator</th><th>name</th><th>A</th><th>B</th><th>change</th></tr>"
            for r in rows {
                t += "<tr><td>\(esc(r.generator))</td><td>\(esc(r.name))</td><td>\(SuiteDashboard.pct(r.before))</td><td>\(SuiteDashboard.pct(r.after))</td>"
                t += "<td>\(r.change.map { String(format: "%+.0f%%", $0 * 100) } ?? "")</td></tr>"
            }
            return t + "</table>"
        }
        body += table("Strict score per task", tasks) + table("Strict score per scenario", scenarios)
        return SuiteDashboard.page(title: "AppJudge run diff", body: body, script: "")
    }
}
