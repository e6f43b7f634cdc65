import Foundation
import Imaging
import Judge
import Perception
import Reports
import Suite
import TestSupport
import Testing

/// A small fixed report: one passing and one failing case, one frame each.
func sampleReport() throws -> (TaskReport, [String: (png: [UInt8], width: Int, height: Int)]) {
    let spec = try JSONDecoder().decode(
        TaskSpec.self,
        from: Data(
            """
            {"id": "demo", "title": "Demo <app>", "scenario": "data", "requirement": "Show \\"Hello\\" & count.",
             "app": {"viewport": {"width": 40, "height": 30}},
             "cases": [{"id": "hello", "description": "d", "script": [{"expect": {"visible": "Hello"}}]},
                       {"id": "count", "description": "d", "script": [{"click": "Add"}, {"expect": {"visible": "Count: 1"}}]}]}
            """.utf8))
    var report = TaskReport(
        runId: "golden", task: spec, repository: "/repos/demo", judge: "script",
        startedAt: Date(timeIntervalSince1970: 1_800_000_000), environment: ["appjudge": "test"])
    let match = TextMatch(text: "Hello", box: Rect(x: 2, y: 3, width: 20, height: 8), similarity: 1)
    report.cases = [
        CaseResult(
            id: "hello", verdict: .pass, reason: "All 1 expectation(s) held.",
            evidence: Evidence(frames: ["hello-01"], text: ["Hello"], matches: [match]),
            steps: [
                StepRecord(
                    index: 0, action: "expect", description: "expect \"Hello\" is visible", point: nil,
                    frameBefore: "hello-01", frameAfter: "hello-01", ok: true, note: "found \"Hello\"", seconds: 0.25)
            ],
            seconds: 1.5),
        CaseResult(
            id: "count", verdict: .fail, reason: "Expected \"Count: 1\" is visible, but it was not found on screen.",
            evidence: Evidence(frames: ["count-02"], text: ["Count: 0", "<script>alert(1)</script>"]),
            steps: [
                StepRecord(
                    index: 0, action: "click", description: "click \"Add\"", point: Point(x: 30, y: 20),
                    frameBefore: "count-01", frameAfter: "count-02", ok: true, note: nil, seconds: 0.5),
                StepRecord(
                    index: 1, action: "expect", description: "expect \"Count: 1\" is visible", point: nil,
                    frameBefore: "count-02", frameAfter: "count-02", ok: false, note: "not found", seconds: 2.5),
            ],
            seconds: 4),
    ]
    report.status = .completed
    report.seconds = 6
    report.tally(total: 2)
    var frames: [String: (png: [UInt8], width: Int, height: Int)] = [:]
    for (id, shade) in [("hello-01", UInt8(250)), ("count-01", 240), ("count-02", 230)] {
        frames[id] = (try PNG.encode(Image(width: 40, height: 30, fill: RGB(shade, shade, shade))), 40, 30)
    }
    return (report, frames)
}

/// Compares `text` with the golden file, or rewrites it when APPJUDGE_RECORD_GOLDEN=1.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = Repo.fixture("golden/\(name)")
    if ProcessInfo.processInfo.environment["APPJUDGE_RECORD_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    #expect(
        text == golden, "\(name) differs from its golden file; re-record with APPJUDGE_RECORD_GOLDEN=1 if the change is intended",
        sourceLocation: sourceLocation)
}

@Suite("Reports")
struct ReportTests {
    @Test func jsonMatchesGolden() throws {
        let (report, _) = try sampleReport()
        let json = String(decoding: try JSONEncoder.report.encode(report), as: UTF8.self)
        try expectGolden(json + "\n", "report.json")
        #expect(report.score == 0.5)
        #expect(report.counts["pass"] == 1 && report.counts["fail"] == 1)
        let back = try JSONDecoder.report.decode(TaskReport.self, from: Data(json.utf8))
        #expect(back == report)
    }

    @Test func htmlMatchesGolden() throws {
        let (report, frames) = try sampleReport()
        let html = HTMLReport.render(report, frames: frames)
        try expectGolden(html, "report.html")
        // What came from the app is escaped, never markup.
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Demo &lt;app&gt;"))
        // Each frame is embedded once however often it is shown; the click has its marker.
        #expect(html.components(separatedBy: "data:image/png;base64,").count - 1 == 3)
        #expect(html.contains("class=marker style=\"left:75.00%;top:66.67%\""))
        // Failing cases are open, passing ones folded.
        #expect(html.contains("<details open><summary><h2><span class=\"v fail\">"))
        #expect(html.contains("<details><summary><h2><span class=\"v pass\">"))
    }

    @Test func writesAreAtomic() throws {
        let dir = Scratch.directory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.json")
        try AtomicFile.write(Data("one".utf8), to: file)
        try AtomicFile.write(Data("two".utf8), to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["report.json"])
    }
}
