import Foundation
import Imaging
import Judge
import Perception

/// report.html: one self-contained page (no scripts, no external files) showing the task, the
/// score and, per case, every step with the frame it acted on, a marker where it clicked, and
/// the evidence behind the verdict with the matched text outlined.
///
/// Each frame is embedded once, as a CSS class with a data-URL background, however often the
/// page shows it. Everything that came from the app (OCR text) is escaped.
public enum HTMLReport {
    /// Builds the page. `frames` maps frame ids to PNG bytes and size; frames missing from it
    /// are shown as a placeholder.
    static func usage(_ u: ModelUsage) -> String {
        "\(u.calls) calls, \(u.inputTokens) input + \(u.outputTokens) output tokens, "
            + (u.dollars.map { String(format: "$%.4f", $0) } ?? "dollars unknown (no price)")
            + String(format: ", %.1f s waiting for the model", u.seconds)
    }

    public static func render(_ report: TaskReport, frames: [String: (png: [UInt8], width: Int, height: Int)]) -> String {
        var used = Set<String>()
        var body = ""
        let passed = report.counts["pass"] ?? 0
        body += "<header><h1>\(esc(report.task.title)) <small>\(esc(report.task.id))</small></h1>"
        body += "<p class=meta>Repository <code>\(esc(report.repository))</code> · judge \(esc(report.judge)) · run \(esc(report.runId)) · "
        body += "\(String(format: "%.1f", report.seconds)) s · status <b>\(esc(report.status.rawValue))</b></p>"
        body += "<p class=score>Score <b>\(String(format: "%.2f", report.score))</b> — \(passed) of \(report.cases.count) cases passed"
        let others = ["fail", "error", "uncertain", "skipped"].compactMap { k in (report.counts[k] ?? 0) > 0 ? "\(report.counts[k]!) \(k)" : nil }
        if !others.isEmpty { body += " (" + others.joined(separator: ", ") + ")" }
        body += "</p>"
        if let scores = report.scores {
            func show(_ name: String, _ score: TaskReport.Score?) -> String? {
                score.map { s in
                    "\(name) <b>\(String(format: "%.2f", s.strict))</b>"
                        + (s.lenient.map { String(format: " (lenient %.2f over %d decided)", $0, s.decided) } ?? "")
                }
            }
            let parts = [show("Functional", scores.functional), show("Visual", scores.visual)].compactMap { $0 }
            if !parts.isEmpty {
                body +=
                    "<p class=meta>\(parts.joined(separator: " · ")) — strict counts uncertain, error and skipped cases as not passed; lenient leaves them out.</p>"
            }
        }
        if report.status == .interrupted { body += "<p class=warn>The run was interrupted; cases after the interruption have no verdict.</p>" }
        if let reason = report.outcomeReason { body += "<p class=warn>\(esc(report.outcome.rawValue)): \(esc(reason))</p>" }
        if let tail = report.logTail { body += "<details open><summary>End of the app's log</summary><pre>\(esc(tail))</pre></details>" }
        if let build = report.build {
            let phases = build.phases.map { "\($0.name): <code>\(esc($0.command))</code> \(esc($0.stopped ?? $0.status))" }
            body += "<p class=meta>Stack <b>\(esc(build.stack))</b> (\(esc(build.kind)))"
            body += (phases.isEmpty ? "" : " · " + phases.joined(separator: " · "))
            body += build.start.map { " · start <code>\(esc($0))</code>" } ?? ""
            body += "</p>"
        }
        if let u = report.modelUsage { body += "<p class=meta>Model: \(usage(u))</p>" }
        body += "<details><summary>Requirement</summary><pre>\(esc(report.task.requirement))</pre></details>"
        body += "<table class=summary><tr><th>case</th><th>verdict</th><th>reason</th></tr>"
        for c in report.cases {
            body +=
                "<tr><td><a href=\"#case-\(esc(c.id))\">\(esc(c.id))</a></td><td><span class=\"v \(c.verdict.rawValue)\">\(c.verdict.rawValue)</span></td><td>\(esc(c.reason))</td></tr>"
        }
        body += "</table></header>"

        for c in report.cases {
            // Passing cases start folded, so the failures are what a reader sees first.
            body +=
                "<section id=\"case-\(esc(c.id))\"><details\(c.verdict == .pass ? "" : " open")><summary><h2><span class=\"v \(c.verdict.rawValue)\">\(c.verdict.rawValue)</span> \(esc(c.id))</h2></summary>"
            body += "<p class=reason>\(esc(c.reason))</p>"
            if let agent = c.agent {
                let episodes = agent.episodes.map { "\($0.role) \($0.verdict.rawValue) in \($0.steps) steps" }.joined(separator: "; ")
                body += "<p class=meta>Agent \(esc(agent.model)): \(esc(episodes))"
                body += agent.agreement.map { String(format: " · agreement %.0f%%", $0 * 100) } ?? ""
                body += " · \(usage(agent.usage))</p>"
            }
            if let tail = c.logTail { body += "<details><summary>End of the app's log</summary><pre>\(esc(tail))</pre></details>" }
            // Evidence: the deciding frames with matched text outlined, and what OCR read.
            body += "<div class=evidence><h3>Evidence</h3><div class=row>"
            for id in c.evidence.frames {
                body += frame(id, frames: frames, used: &used, boxes: c.evidence.matches.map(\.box), marker: nil, caption: "frame \(id)")
            }
            body += "</div>"
            if !c.evidence.text.isEmpty {
                body +=
                    "<details><summary>Text read on screen (\(c.evidence.text.count) lines)</summary><pre>\(esc(c.evidence.text.joined(separator: "\n")))</pre></details>"
            }
            body += "</div><ol class=steps>"
            var shown: String?
            for s in c.steps {
                body += "<li class=\"\(s.ok ? "ok" : "bad")\"><div class=desc><b>\(esc(s.description))</b>"
                if let note = s.note { body += "<br><span class=note>\(esc(note))</span>" }
                body += "<br><span class=time>\(String(format: "%.2f", s.seconds)) s</span></div><div class=row>"
                if let point = s.point, let before = s.frameBefore {
                    body += frame(before, frames: frames, used: &used, boxes: [], marker: point, caption: "before: \(before)")
                }
                // A frame already shown just above is not repeated (expectations on a still screen).
                if let after = s.frameAfter, after != shown {
                    body += frame(after, frames: frames, used: &used, boxes: [], marker: nil, caption: "after: \(after)")
                }
                shown = s.frameAfter ?? shown
                body += "</div></li>"
            }
            body += "</ol></details></section>"
        }

        var css = style
        for id in used.sorted() {
            guard let f = frames[id] else { continue }
            css +=
                ".\(className(id)){background-image:url(data:image/png;base64,\(Data(f.png).base64EncodedString()));aspect-ratio:\(f.width)/\(f.height)}\n"
        }
        return
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>AppJudge: \(esc(report.task.id))</title><style>\(css)</style></head><body>\(body)</body></html>\n"
    }

    private static func frame(
        _ id: String, frames: [String: (png: [UInt8], width: Int, height: Int)], used: inout Set<String>,
        boxes: [Rect], marker: Point?, caption: String
    ) -> String {
        guard let f = frames[id] else { return "<figure class=missing><figcaption>\(esc(caption)) (not kept)</figcaption></figure>" }
        used.insert(id)
        func pct(_ v: Int, _ total: Int) -> String { String(format: "%.2f%%", Double(v) * 100 / Double(max(total, 1))) }
        var html = "<figure><div class=\"frame \(className(id))\">"
        for b in boxes {
            html +=
                "<span class=box style=\"left:\(pct(b.x, f.width));top:\(pct(b.y, f.height));width:\(pct(b.width, f.width));height:\(pct(b.height, f.height))\"></span>"
        }
        if let m = marker {
            html += "<span class=marker style=\"left:\(pct(m.x, f.width));top:\(pct(m.y, f.height))\"></span>"
        }
        return html + "</div><figcaption>\(esc(caption))</figcaption></figure>"
    }

    private static func className(_ id: String) -> String {
        "f-" + id.map { $0.isLetter || $0.isNumber || $0 == "-" ? String($0) : "_" }.joined()
    }

    /// HTML-escapes text that may come from the app under test.
    public static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    private static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px;color:#222;background:#fafafa}
        h1 small{color:#888;font-weight:normal;font-size:60%}
        .meta{color:#555}.score{font-size:18px}.warn{background:#fff3cd;padding:6px 10px;border-radius:4px}
        table.summary{border-collapse:collapse;margin:8px 0}table.summary td,table.summary th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
        .v{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px;font-weight:bold;text-transform:uppercase}
        .v.pass{background:#2e7d32}.v.fail{background:#c62828}.v.error{background:#6a1b9a}.v.uncertain{background:#ef6c00}.v.skipped{background:#757575}
        section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 16px;margin:16px 0}
        summary h2{display:inline;font-size:20px}summary{cursor:pointer;margin:6px 0}
        .reason{font-size:15px}.row{display:flex;flex-wrap:wrap;gap:10px}
        figure{margin:0;width:360px}figcaption{color:#666;font-size:12px}
        .frame{position:relative;width:100%;background-size:100% 100%;border:1px solid #ccc}
        .marker{position:absolute;width:18px;height:18px;margin:-9px 0 0 -9px;border:3px solid #e91e63;border-radius:50%;box-sizing:border-box}
        .box{position:absolute;outline:2px solid #1e88e5}
        ol.steps li{margin:10px 0;padding:6px;border-left:4px solid #2e7d32}ol.steps li.bad{border-left-color:#c62828}
        .desc{margin-bottom:6px}.note{color:#555}.time{color:#999;font-size:12px}
        pre{white-space:pre-wrap;background:#f4f4f4;padding:8px;border-radius:4px}

        """
}
