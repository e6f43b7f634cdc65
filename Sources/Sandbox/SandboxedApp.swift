import Desktop
import DevTools
import Foundation
import Imaging
import Perception
import Processes

/// Why a launched app did not become ready. `infrastructure` is AppJudge's fault (the browser
/// would not start); the others are the app's.
public enum LaunchProblem: Error, CustomStringConvertible {
    case launchFailed(String)
    case notReady(String)
    case infrastructure(String)

    public var description: String {
        switch self {
        case .launchFailed(let why), .notReady(let why), .infrastructure(let why): why
        }
    }
}

/// One case's instance of a prepared app on one station: a fresh copy of the built app in a
/// fresh sandbox, its own control group, and for a web app its own browser profile.
public final class SandboxedApp: @unchecked Sendable {
    public let prepared: PreparedApp
    public let station: Station
    public let caseName: String
    public let log: String
    /// Seconds the browser may take to show a page once the server is ready.
    public let browserTimeout: Double
    public var screen: any FrameSource { station.display }
    public var input: any InputDevice { station.input }

    private var process: ChildProcess?
    private var group: ControlGroup?
    private var status: URL?
    private var disk: DiskWatch?
    private var stoppedForSize: String?
    /// The desktop app's window, once found.
    public private(set) var window: UInt?
    /// The web app's page in the worker's browser, once open.
    private var page: (browser: BrowserJail, page: BrowserPage)?
    /// The page's structure, read over DevTools (web apps).
    public private(set) var structure: (any StructureSource)?
    /// The still frame readiness ended on, when the screen did settle: the first look at the
    /// app need not wait for stillness again if nothing has changed since.
    public private(set) var readyFrame: Image?
    /// Seconds each part of the last launch took, for the trace: the sandbox, the page's
    /// window, the app until it answered, the page's load, its first paint.
    public private(set) var launchTimes: [(String, Double)] = []
    private var launchedAt = Date()

    private func mark(_ phase: String) {
        let now = Date()
        launchTimes.append((phase, now.timeIntervalSince(launchedAt)))
        launchedAt = now
    }

    public init(prepared: PreparedApp, station: Station, caseName: String, log: String, browserTimeout: Double) {
        self.prepared = prepared
        self.station = station
        self.caseName = caseName
        self.log = log
        self.browserTimeout = browserTimeout
    }

    private var isWeb: Bool { prepared.plan.kind == .web }

    /// Starts the sandbox. Throws only for AppJudge's own faults.
    public func launch() throws(SandboxError) {
        launchTimes = []
        launchedAt = Date()
        if !isWeb {
            do {
                try station.displayForDesktopApp()
            } catch {
                throw .launchFailed("no clean display for the app: \(error)")
            }
        }
        let instance = try prepared.workspace.instance(named: caseName)
        var jail = Jail(work: instance.app, support: prepared.support, etc: prepared.etc, limits: prepared.limits)
        jail.readOnly = instance.shared
        jail.display = station.xvfb.displayName
        jail.status = instance.status
        status = instance.status
        disk = DiskWatch(directory: instance.app, limit: prepared.limits.workBytes)
        stoppedForSize = nil
        window = nil
        page = nil
        structure = nil
        readyFrame = nil
        let argv: [String]
        var network = Jail.Network.isolated
        if isWeb {
            // The app joins its worker's browser on a loopback of their own, and gets no display.
            network = try station.liveBrowser().network
            jail.display = nil
            jail.environment = Jail.baseEnvironment(port: station.nextPort())
            jail.environment["APPJUDGE_START"] = prepared.start
            jail.environment["APPJUDGE_PORT_HINT"] = prepared.plan.port.map(String.init) ?? ""
            jail.environment["APPJUDGE_READY_PATH"] = prepared.plan.readyPath
            jail.environment["APPJUDGE_READY_TIMEOUT"] = "\(Int(prepared.limits.startSeconds))"
            argv = ["/bin/bash", "\(Jail.supportPath)/launch-web.sh"]
        } else {
            jail.environment = Jail.baseEnvironment(port: nil)
            argv = ["/bin/sh", "-c", prepared.start]
        }
        group = ControlGroup.create(name: "\(caseName)-\(UUID().uuidString.prefix(6).lowercased())", limits: prepared.limits)
        do {
            process = try ChildProcess(jail.command(argv, group: group, network: network, log: log))
        } catch {
            throw .launchFailed(error.description)
        }
        mark("sandbox")
        if isWeb {
            // The page's context and window are made while the app boots; only the navigation waits for it.
            if let (browser, blank) = try? station.takePage() { page = (browser, blank) }
            mark("window")
        }
    }

    /// Waits until the app is ready to be tested; returns why not otherwise.
    public func waitUntilReady() -> LaunchProblem? {
        isWeb ? waitForWebApp() : waitForWindow()
    }

    private func statusFile(_ name: String) -> [String: Any]? {
        guard let status, let data = FileManager.default.contents(atPath: status.appendingPathComponent(name).path) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    private func waitForWebApp() -> LaunchProblem? {
        // The launcher inside gives up on the app after startSeconds and says so.
        let deadline = Date().addingTimeInterval(prepared.limits.startSeconds + 10)
        while statusFile("ready") == nil {
            if let failure = statusFile("failure") {
                let reason = failure["reason"] as? String ?? "the app did not become ready"
                return failure["class"] as? String == "not_ready" ? .notReady(reason) : .launchFailed(reason)
            }
            // The launcher reports every failure of the app; a sandbox that ends without a
            // report never got as far as starting it.
            if let ended = process?.poll(), statusFile("failure") == nil {
                return .infrastructure("the sandbox ended with \(ended) before starting the app")
            }
            if Date() >= deadline { return .notReady("the app did not become ready within \(Int(prepared.limits.startSeconds)) s") }
            usleep(10_000)
        }
        // The server answers; the worker's browser opens the page in a fresh context.
        guard let port = statusFile("ready")?["port"] as? Int else { return .infrastructure("the launcher reported no port") }
        mark("server")
        let browser: BrowserJail
        let opened: BrowserPage
        do {
            if let page {
                (browser, opened) = page
            } else {
                browser = try station.liveBrowser()
                opened = try browser.preparePage()
                page = (browser, opened)
            }
        } catch {
            return .infrastructure("the browser could not open a page: \(error)")
        }
        var refusals = 0
        while true {
            do {
                try browser.navigate(opened, to: "http://127.0.0.1:\(port)\(prepared.plan.entryPath)", timeout: browserTimeout)
                break
            } catch {
                if let ended = exitDescription() { return .launchFailed(ended) }
                guard case .rejected(_, _, let why) = error else { return .infrastructure("the browser did not open the page: \(error)") }
                // The launcher has just had an answer from the app on this port: a refusal now is
                // the browser's side (seen only under heavy load), tried again, then AppJudge's.
                if why.contains("ERR_CONNECTION_REFUSED") {
                    refusals += 1
                    if refusals < 4 {
                        usleep(300_000)
                        continue
                    }
                    return .infrastructure("the browser was refused on port \(port), where the app had just answered the launcher (\(why))")
                }
                return .launchFailed("the browser could not open the app's page: \(why)")
            }
        }
        mark("page")
        structure = BrowserStructure(devtools: browser.devtools, session: opened.session)
        station.prepareNextPage()
        // A freshly opened window shows a flat colour until the page paints: wait for content,
        // then for it to settle. A page that stays blank is judged as it is.
        let inside = Rect(x: 0, y: 0, width: station.display.width, height: station.display.height).insetBy(2)
        let contentDeadline = Date().addingTimeInterval(min(browserTimeout, 8))
        while Date() < contentDeadline {
            if let ended = exitDescription() { return .launchFailed(ended) }
            guard let settled = try? station.display.waitUntilSettled(timeout: max(0.1, contentDeadline.timeIntervalSinceNow), stableFrames: 3)
            else { return .infrastructure("the screen could not be captured") }
            if !settled.frame.cropped(to: inside).isUniform {
                if settled.settled { readyFrame = settled.frame }
                mark("paint")
                return nil
            }
            usleep(30_000)
        }
        return nil
    }

    /// The app's top-level window: mapped, of a client process in this sandbox's control
    /// group (the X server names the client's host pid), with the hinted title when one is given.
    private func appWindow() -> XDisplay.WindowInfo? {
        guard let windows = try? station.display.windows() else { return nil }
        let members = Set(group?.members ?? [])
        let candidates = windows.filter { info in
            guard info.mapped, info.frame.width >= 32, info.frame.height >= 32 else { return false }
            guard !members.isEmpty else { return true }
            return (try? station.display.clientPID(of: info.id)).flatMap { $0 }.map(members.contains) ?? false
        }
        if let title = prepared.plan.windowTitle, let titled = candidates.first(where: { $0.title == title }) { return titled }
        return candidates.max { $0.frame.area < $1.frame.area }
    }

    private func waitForWindow() -> LaunchProblem? {
        let deadline = Date().addingTimeInterval(prepared.limits.startSeconds)
        while true {
            if let ended = process?.poll() {
                if ended == .exited(Jail.setupFailed) || AppLog.tail(log, lines: 3).contains("bwrap:") {
                    return .infrastructure("the sandbox could not be set up (\(ended))")
                }
                return .launchFailed("the app ended with \(ended) before it showed a window")
            }
            if let found = appWindow() {
                window = found.id
                // No window manager: the keyboard focus must be given explicitly.
                try? station.display.focus(window: found.id)
                let settled = try? station.display.waitUntilSettled(timeout: 3, stableFrames: 4)
                // Toolkits may show a first window and replace it (SDL does, while it loads
                // OpenGL): ready means a window that is still there once the screen is still.
                if isMapped(found.id) {
                    readyFrame = settled.flatMap { $0.settled ? $0.frame : nil }
                    return nil
                }
                continue
            }
            if Date() >= deadline { return .notReady("no window appeared within \(Int(prepared.limits.startSeconds)) s") }
            usleep(50_000)
        }
    }

    /// A browser reload, or for a desktop app a fresh launch.
    public func reload() throws {
        if isWeb {
            try station.input.key("F5")
            return
        }
        close()
        try launch()
        if let problem = waitUntilReady() { throw problem }
    }

    public func exitDescription() -> String? {
        if let stoppedForSize { return stoppedForSize }
        if let over = disk?.exceeded() {
            stoppedForSize = "AppJudge stopped the app: \(over)"
            group?.killAll()
            process?.terminate(grace: 0)
            return stoppedForSize
        }
        if isWeb, let status, let code = try? String(contentsOf: status.appendingPathComponent("app-exit"), encoding: .utf8) {
            return "the app's server ended with status \(code.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        if let ended = browserEnded() { return ended }
        if let ended = process?.poll() { return "the app's sandbox ended with \(ended)" }
        if !isWeb, let window, !isMapped(window), !followReplacementWindow() {
            return "the app's window closed"
        }
        return nil
    }

    private func isMapped(_ id: UInt) -> Bool {
        (try? station.display.windows())?.contains { $0.id == id && $0.mapped } == true
    }

    /// The app's window is gone but the app runs: a toolkit replacing its window (SDL swaps
    /// its first window for the real one) is followed to the new one, given a moment to
    /// appear. False when no window of the app comes.
    private func followReplacementWindow() -> Bool {
        let deadline = Date().addingTimeInterval(2)
        repeat {
            if process?.poll() != nil { return false }
            if let found = appWindow() {
                window = found.id
                try? station.display.focus(window: found.id)
                _ = try? station.display.waitUntilSettled(timeout: 3, stableFrames: 4)
                return true
            }
            usleep(50_000)
        } while Date() < deadline
        return false
    }

    /// Why the page can no longer be shown when AppJudge's own browser ended: its fault, not the app's.
    public func browserEnded() -> String? {
        guard let page, let ending = page.browser.ending else { return nil }
        return "AppJudge's browser showing the app ended (\(ending))"
    }

    /// Kills the sandbox and everything in its control group at once (its state is
    /// disposable), then waits, bounded, until its windows have left the screen, so the next
    /// instance's readiness check cannot mistake the old window for the new one.
    public func close() {
        // The page first: its connections close from the browser's side, then the server goes.
        if let page { page.browser.closePage(page.page) }
        page = nil
        structure = nil
        group?.killAll()
        process?.terminate(grace: 0)
        group?.remove()
        group = nil
        // A web app's window is the browser's, closed with its context above; the browser's own
        // blank window stays for the next case.
        guard !isWeb else { return }
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, let windows = try? station.display.windows(), windows.contains(where: \.mapped) {
            usleep(20_000)
        }
    }

    deinit { close() }
}

extension Image {
    /// True when every pixel has the same colour (sampled): a blank screen.
    public var isUniform: Bool {
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
