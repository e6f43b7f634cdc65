import Desktop
import Foundation
import Imaging
import Judge
import Processes
import Sandbox

/// A launched web app: its sandbox (server and browser) on the evaluation's display.
final class WebAppSession: AppSession, @unchecked Sendable {
    let display: XDisplay
    let xdo: XdoInput
    let sandbox: ChildProcess
    var screen: any FrameSource { display }
    var input: any InputDevice { xdo }

    init(display: XDisplay, input: XdoInput, sandbox: ChildProcess) {
        self.display = display
        self.xdo = input
        self.sandbox = sandbox
    }

    /// A browser reload (F5 is handled by Chromium even in kiosk mode).
    func reload() throws {
        try xdo.key("F5")
    }

    func exitDescription() -> String? {
        sandbox.poll().map { "the browser sandbox ended with \($0)" }
    }

    /// Waits until the browser window is mapped and its page has painted and settled.
    /// Returns nil when ready, otherwise why not.
    func waitUntilReady(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        let minimumArea = display.width * display.height / 4
        while true {
            if let ended = exitDescription() { return ended }
            if let windows = try? display.windows(), windows.contains(where: { $0.mapped && $0.frame.area >= minimumArea }) { break }
            if Date() >= deadline { return "no browser window appeared within \(Int(timeout)) s" }
            usleep(50_000)
        }
        // A freshly mapped window is blank for a moment before the page paints.
        while Date() < deadline {
            if let ended = exitDescription() { return ended }
            guard let settled = try? display.waitUntilSettled(timeout: max(0.1, deadline.timeIntervalSinceNow), stableFrames: 4) else {
                return "the screen could not be captured"
            }
            if !settled.frame.isUniform { return nil }
            usleep(50_000)
        }
        // A page that stays blank is the app's problem, not a launch failure: judge what is there.
        return nil
    }

    func close() {
        sandbox.terminate(grace: 1)
    }
}

extension Image {
    /// True when every pixel has the same colour (sampled): a blank screen.
    var isUniform: Bool {
        guard pixels.count >= 4 else { return true }
        let first = (pixels[0], pixels[1], pixels[2])
        var i = 0
        while i < pixels.count {
            if (pixels[i], pixels[i + 1], pixels[i + 2]) != first { return false }
            i += 4 * 13
        }
        return true
    }
}
