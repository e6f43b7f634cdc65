import Foundation
import TestSupport
import Testing

/// A worker's browser is kept warm between cases; every case must still start with nothing of
/// the last one.
@Suite("The warm browser leaks nothing between cases", .serialized, .timeLimit(.minutes(5)))
struct BrowserStateTests {
    /// One worker runs every case in the same browser. The probe page stores everything a page
    /// can (local and session storage, a cookie, IndexedDB, Cache Storage, a service worker,
    /// history entries) and reports on load what an earlier visit left: every case must find it
    /// clean, and the case that reloads its own page must find its own state (the probe works).
    @Test func eachCaseStartsWithNothingOfTheLast() throws {
        let out = Scratch.directory("leak")
        defer { try? FileManager.default.removeItem(at: out) }
        let task = Repo.fixture("leak")
        let result = try CLI.run([
            "run", "--task", task.path, "--repo", task.appendingPathComponent("app").path, "--out", out.path, "--workers", "1",
        ])
        let json = try report(in: out, task: "leak")
        let cases = json["cases"] as? [[String: Any]] ?? []
        #expect(cases.count == 4)
        #expect(failing(json).isEmpty, "\(result.output)")
        #expect(result.status == 0, "\(result.output)")
        expectNothingLeftBehind()
    }
}
