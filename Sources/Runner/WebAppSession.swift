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
    func waitUntilReady(timeout: Double, contentTimeout: Double = 8) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        let minimumArea = display.width * display.height / 4
        var window: Rect?
        while window == nil {
            if let ended = exitDescription() { return ended }
            window = (try? display.windows())?.filter { $0.mapped && $0.frame.area >= minimumArea }.map(\.frame).max { $0.area < $1.area }
            if window != nil { break }
            if Date() >= deadline { return "no browser window appeared within \(Int(timeout)) s" }
            usleep(50_000)
        }
        // A freshly mapped window shows a flat colour until the page paints: wait for content
        // inside the window (the root around it does not count), then for it to settle.
        let inside = window!.insetBy(2)
        let contentDeadline = min(deadline, Date().addingTimeInterval(contentTimeout))
        while Date() < contentDeadline {
            if let ended = exitDescription() { return ended }
            guard let settled = try? display.waitUntilSettled(timeout: max(0.1, contentDeadline.timeIntervalSinceNow), stableFrames: 4) else {
                return "the screen could not be captured"
            }
            if !settled.frame.cropped(to: inside).isUniform { return nil }
            usleep(50_000)
        }
        // A page that stays blank is the app's problem, not a launch failure: judge what is there.
        return nil
    }

    /// Kills the sandbox at once: its profile and state are disposable, and bubblewrap's pid
    /// namespace takes every process of the app with it.
    /// Also waits (bounded) until the browser's window has left the screen, so the next
    /// instance's readiness check cannot mistake the old page for the new one.
    func close() {
        sandbox.terminate(grace: 0)
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, let windows = try? display.windows(), windows.contains(where: \.mapped) {
            usleep(20_000)
        }
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
