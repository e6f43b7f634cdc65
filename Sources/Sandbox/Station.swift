import Desktop
import Foundation
import Perception

/// One worker's private desktop: an Xvfb of the task's viewport size, an Xlib connection for
/// capture, xdo for input, its own OCR engine and, for web apps, its own browser kept warm
/// between cases. Cases on different stations never share a screen, a pointer, a keyboard focus
/// or a browser; cases of desktop apps on one station never share an X server either.
public final class Station: @unchecked Sendable {
    public private(set) var xvfb: Xvfb
    public private(set) var display: XDisplay
    public private(set) var input: XdoInput
    public let ocr: TesseractOCR
    private let log: String
    /// Desktop apps started on this station so far.
    private var desktopApps = 0
    /// What a browser needs to be started (web apps only).
    public struct BrowserSetup: Sendable {
        public var support: URL
        public var etc: URL
        public var limits: ResourceLimits
        public var log: String

        public init(support: URL, etc: URL, limits: ResourceLimits, log: String) {
            self.support = support
            self.etc = etc
            self.limits = limits
            self.log = log
        }
    }
    private let browserSetup: BrowserSetup?
    private var browser: BrowserJail?
    private var cases = 0
    private let lock = NSLock()
    /// The next case's page, being made off the screen while the current case runs.
    private var spare: SparePage?

    public init(width: Int, height: Int, log: String, browser: BrowserSetup? = nil) throws {
        (xvfb, display, input) = try Self.openDisplay(width: width, height: height, log: log)
        self.log = log
        browserSetup = browser
        do {
            ocr = try TesseractOCR()
        } catch {
            input.close()
            display.close()
            xvfb.stop()
            throw error
        }
        if browser != nil {
            do {
                _ = try liveBrowser()
            } catch {
                close()
                throw error
            }
        }
    }

    /// A station with a browser of its own outside any evaluation (the benchmarks): its
    /// sandbox's /etc files live in a temporary folder removed with the station.
    public convenience init(width: Int, height: Int, home: URL) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-station-\(UUID().uuidString.prefix(8).lowercased())")
        try Jail.writeEtc(to: scratch.appendingPathComponent("etc"))
        do {
            try self.init(
                width: width, height: height, log: "/dev/null",
                browser: BrowserSetup(
                    support: home.appendingPathComponent("sandbox"), etc: scratch.appendingPathComponent("etc"), limits: ResourceLimits(),
                    log: "/dev/null"))
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        scratchFolder = scratch
    }

    private var scratchFolder: URL?

    /// The worker's browser, started (again, if it died) when needed.
    public func liveBrowser() throws(SandboxError) -> BrowserJail {
        lock.lock()
        defer { lock.unlock() }
        if let browser, browser.isRunning { return browser }
        browser?.close()
        guard let setup = browserSetup else { throw .launchFailed("this display has no browser") }
        let started = try BrowserJail(
            display: xvfb.displayName, width: xvfb.width, height: xvfb.height, support: setup.support, etc: setup.etc, limits: setup.limits,
            log: setup.log)
        browser = started
        return started
    }

    /// Called before a desktop app starts: every desktop app after the first gets an X server
    /// of its own. A server keeps what a client leaves on it (root window properties such as
    /// the cut buffers, the keyboard mapping, grabs), which the next case's app could read or
    /// trip over; a new Xvfb costs about 80 ms. Web apps never reach the display (the browser
    /// shows them, each case in a fresh context), so their station keeps its server.
    public func displayForDesktopApp() throws(DesktopError) {
        lock.lock()
        defer { lock.unlock() }
        desktopApps += 1
        guard desktopApps > 1 else { return }
        let fresh = try Self.openDisplay(width: xvfb.width, height: xvfb.height, log: log)
        input.close()
        display.close()
        xvfb.stop()
        (xvfb, display, input) = fresh
    }

    /// A new X server with a connection for capture and one for input.
    private static func openDisplay(width: Int, height: Int, log: String) throws(DesktopError) -> (Xvfb, XDisplay, XdoInput) {
        let server = try Xvfb(width: width, height: height, log: log)
        do {
            return (server, try XDisplay(server.displayName), try XdoInput(display: server.displayName))
        } catch {
            server.stop()
            throw error
        }
    }

    /// Starts making the next case's page (a fresh context, its window off the screen) while
    /// this case runs, so the next case starts without waiting for a window.
    public func prepareNextPage() {
        lock.lock()
        defer { lock.unlock() }
        guard spare == nil, let browser, browser.isRunning else { return }
        spare = SparePage(browser: browser)
    }

    /// A fresh page for a case, on the screen: the one made in advance when there is one (from
    /// the browser still running), else a new one.
    public func takePage() throws -> (BrowserJail, BrowserPage) {
        let browser = try liveBrowser()
        lock.lock()
        let waiting = spare
        spare = nil
        lock.unlock()
        if let waiting, let made = waiting.page() {
            if waiting.browser === browser, (try? browser.show(made)) != nil { return (browser, made) }
            waiting.browser.closePage(made)
        }
        return (browser, try browser.preparePage())
    }

    /// Closes the browser (and a page made for it in advance): the next case starts a fresh one.
    public func discardBrowser() {
        lock.lock()
        defer { lock.unlock() }
        if let waiting = spare, let made = waiting.page() { waiting.browser.closePage(made) }
        spare = nil
        browser?.close()
        browser = nil
    }

    /// A port of its own for each case's app, so nothing of the last case's connections (a
    /// socket still closing) stands in the way of the next server.
    public func nextPort() -> Int {
        lock.lock()
        defer { lock.unlock() }
        cases += 1
        return 8000 + cases % 1000
    }

    /// Closes the browser and the connections before the server goes, then stops the server.
    public func close() {
        discardBrowser()
        input.close()
        display.close()
        xvfb.stop()
        if let scratchFolder { try? FileManager.default.removeItem(at: scratchFolder) }  // the station's own temporary /etc
    }
}

/// A page being made on a thread of its own; `page()` waits for it (nil if it failed).
private final class SparePage: @unchecked Sendable {
    let browser: BrowserJail
    private var made: BrowserPage?
    private let done = DispatchSemaphore(value: 0)

    init(browser: BrowserJail) {
        self.browser = browser
        Thread.detachNewThread { [self] in
            made = try? browser.prepareSparePage()
            done.signal()
        }
    }

    func page() -> BrowserPage? {
        done.wait()
        done.signal()  // a second call returns at once
        return made
    }
}
