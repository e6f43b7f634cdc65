import Foundation
import TestSupport
import Testing

/// Visual cases on a real page: a reference screenshot compared by SSIM with a diff image for
/// the report, layout assertions from OCR boxes, and a second, narrow viewport.
@Suite("Visual criteria end to end", .serialized, .timeLimit(.minutes(10)))
struct VisualEndToEndTests {
    @Test func shiftedRecolouredOverlappingAndUnresponsiveLayoutsAreCaught() throws {
        let task = Scratch.directory("visual-task")
        let out = Scratch.directory("visual-out")
        defer {
            try? FileManager.default.removeItem(at: task)
            try? FileManager.default.removeItem(at: out)
        }
        try FileManager.default.removeItem(at: task)
        try FileManager.default.copyItem(at: Repo.fixture("visual-task"), to: task)

        // Without a reference screenshot the comparison cannot pass, and says how to get one.
        let unrecorded = try CLI.run([
            "run", "--task", task.path, "--repo", task.appendingPathComponent("reference").path, "--out", out.path, "--case", "looks",
        ])
        #expect(unrecorded.status == 1)
        #expect(unrecorded.output.contains("appjudge tasks validate --record"), "\(unrecorded.output)")

        // Validation records it from the reference, then every variant fails exactly its cases.
        let result = try CLI.run(["tasks", "validate", task.path, "--record", "--out", out.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: task.appendingPathComponent("screens/home.png").path))
        for variant in ["shifted", "recoloured", "overlapping", "not-responsive"] {
            #expect(result.output.contains("broken/\(variant)"), "\(result.output)")
        }

        // The failed comparison carries its difference picture into the report.
        let shifted = try report(in: out.appendingPathComponent("visual-layout/broken/shifted"), task: "visual-layout")
        let looks = try #require((shifted["cases"] as? [[String: Any]])?.first { $0["id"] as? String == "looks" })
        let frames = try #require((looks["evidence"] as? [String: Any])?["frames"] as? [String])
        let diff = try #require(frames.first { $0.hasSuffix("-diff") })
        #expect(
            FileManager.default.fileExists(atPath: out.appendingPathComponent("visual-layout/broken/shifted/visual-layout/frames/\(diff).png").path))
        #expect((looks["reason"] as? String)?.contains("SSIM against screens/home.png is 0.") == true)
        let html = try String(contentsOf: out.appendingPathComponent("visual-layout/broken/shifted/visual-layout/report.html"), encoding: .utf8)
        #expect(html.contains("frame \(diff)"))
        // Visual score beside the functional one: 4 of 5 visual cases passed.
        let visual = try #require((shifted["scores"] as? [String: Any])?["visual"] as? [String: Any])
        #expect(visual["strict"] as? Double == 0.8)
        expectNothingLeftBehind()
    }
}
