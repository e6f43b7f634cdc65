import Foundation
import Reports

/// Progress of a suite: on a terminal one line redrawn in place; otherwise a line per pair.
final class SuiteProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private var done: Int
    private let doneBefore: Int
    private var passed = 0
    private var cases = 0
    private var running: [String] = []
    private let terminal: Bool
    private let started = Date()

    init(total: Int, done: [PairResult], terminal: Bool) {
        self.total = total
        self.done = done.count
        doneBefore = done.count
        self.terminal = terminal
        for r in done {
            passed += r.cases.filter { $0.verdict == .pass }.count
            cases += r.cases.count
        }
    }

    func started(_ generator: String, _ task: String) {
        lock.withLock {
            running.append("\(generator)/\(task)")
            draw()
        }
    }

    func finished(_ r: PairResult) {
        lock.withLock {
            done += 1
            passed += r.cases.filter { $0.verdict == .pass }.count
            cases += r.cases.count
            running.removeAll { $0 == "\(r.generator)/\(r.task)" }
            if terminal {
                draw()
            } else {
                let s = r.score
                print(
                    "  [\(done)/\(total)] \(AppJudgeCLI.pad("\(r.generator)/\(r.task)", 32)) \(AppJudgeCLI.pad(r.outcome.rawValue, 13)) strict \(String(format: "%.2f", s.strict)) (\(s.passed)/\(s.total))\(r.cases.contains(where: \.flaky) ? ", flaky \(r.cases.filter(\.flaky).count)" : "") \(String(format: "%.1f s", r.seconds))"
                )
                fflush(nil)  // all streams: Swift 6 will not name the global stdout
            }
        }
    }

    /// Must be called with the lock held.
    private func draw() {
        guard terminal else { return }
        let width = 24
        let filled = total == 0 ? width : width * done / total
        let rate = cases == 0 ? "-" : String(format: "%.0f%%", Double(passed) / Double(cases) * 100)
        let thisRun = done - doneBefore
        let eta =
            thisRun == 0
            ? "-" : { let s = Int(Date().timeIntervalSince(started) / Double(thisRun) * Double(total - done)); return "\(s / 60)m\(String(format: "%02d", s % 60))s" }()
        let line =
            "[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) pass \(rate) ETA \(eta) running: \(running.joined(separator: ", "))"
        print("\r\u{1B}[K" + String(line.prefix(160)), terminator: "")
        fflush(nil)  // all streams: Swift 6 will not name the global stdout
    }

    func end() {
        if terminal { lock.withLock { print("") } }
    }
}
