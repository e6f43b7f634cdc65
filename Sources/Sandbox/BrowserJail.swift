import CSystem
import DevTools
import Foundation
import JSON
import Processes

#if canImport(Glibc)
    import Glibc
#endif

/// One case's page in the worker's browser: a browser context of its own (storage, cookies,
/// cache, service workers, permissions and history start empty and die with it) showing the app
/// in a fullscreen window.
public struct BrowserPage: Sendable, Equatable {
    public var context: String
    public var target: String
    /// The DevTools session attached to the page, for reading its structure.
    public var session: String
}

/// A worker's Chromium, in a sandbox of its own, kept warm across cases.
///
/// The browser and a case's app never share a sandbox: they meet only in the browser's network
/// namespace (the app joins it, `Jail.Network.joined`), so the app's processes cannot see the
/// browser's processes, its files or the DevTools pipe, and a web app gets no X display at all.
/// Each case opens its page in a fresh browser context, so nothing of an earlier case's page
/// (storage, cookies, cache, service workers, permissions, history) reaches the next one.
///
/// DevTools is used to run the browser (open and close a case's page) and to read the page; the
/// app is used only through X11 input, as a person uses it.
public final class BrowserJail: @unchecked Sendable {
    public let devtools: DevToolsPipe
    /// The browser sandbox's network namespace, which a case's app joins.
    public let network: Jail.Network
    private let process: ChildProcess
    private let group: ControlGroup?
    private let home: URL
    public let log: String

    /// Starts Chromium at `width`x`height` on `display` and waits until it answers on its pipe.
    public init(
        display: String, width: Int, height: Int, support: URL, etc: URL, limits: ResourceLimits, log: String, timeout: Double = 20
    ) throws(SandboxError) {
        self.log = log
        home = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-browser-\(UUID().uuidString.prefix(8).lowercased())")
        do {
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        } catch {
            throw .workspaceFailed("the browser's folder \(home.path): \(error.localizedDescription)")
        }
        // commands: we write, the browser reads (its 3); answers: it writes (its 4), we read; info:
        // bubblewrap says which pid the sandbox has, whose namespace the apps join.
        var commands: [Int32] = [0, 0], answers: [Int32] = [0, 0], info: [Int32] = [0, 0]
        guard csystem_pipe_cloexec(&commands) == 0, csystem_pipe_cloexec(&answers) == 0, csystem_pipe_cloexec(&info) == 0 else {
            throw .launchFailed("no pipe for the browser: \(String(cString: strerror(errno)))")
        }
        var jail = Jail(work: home, support: support, etc: etc, limits: limits)
        jail.display = display
        jail.environment = Jail.baseEnvironment(port: nil)
        // GTK's settings there draw the caret steadily: a blinking one makes a focused field's
        // picture depend on when it is taken and restarts every wait for a still screen.
        jail.environment["XDG_CONFIG_HOME"] = "\(Jail.supportPath)/browser"
        jail.descriptors = [3: commands[0], 4: answers[1]]
        jail.infoDescriptor = info[1]
        let group = ControlGroup.create(name: "browser-\(UUID().uuidString.prefix(6).lowercased())", limits: limits)
        let argv = [HostTools.chromium] + Browser.flags(width: width, height: height) + ["--remote-debugging-pipe", "about:blank"]
        let process: ChildProcess
        do {
            process = try ChildProcess(jail.command(argv, group: group, log: log))
        } catch {
            for fd in commands + answers + info { Glibc.close(fd) }
            group?.remove()
            throw .launchFailed("the browser sandbox could not start: \(error)")
        }
        Glibc.close(commands[0])
        Glibc.close(answers[1])
        Glibc.close(info[1])
        self.process = process
        self.group = group
        devtools = DevToolsPipe(reading: answers[0], writing: commands[1])
        let childPid = Self.readChildPid(info[0], timeout: 5)
        Glibc.close(info[0])
        guard let childPid else {
            process.terminate(grace: 0)
            group?.remove()
            throw .launchFailed("the browser sandbox did not start (see \(log))")
        }
        network = .joined("/proc/\(childPid)/ns/net")
        do {
            _ = try devtools.call("Browser.getVersion", timeout: timeout)
        } catch {
            close()
            throw .launchFailed("the browser did not answer on its DevTools pipe: \(error) (see \(log))")
        }
    }

    deinit { close() }

    /// Whether the browser still runs and answers: its sandbox is up and its pipe open.
    public var isRunning: Bool { process.poll() == nil && devtools.isOpen }

    /// How the browser ended, once it has: its sandbox's exit status, or its pipe closing.
    public var ending: String? {
        if let status = process.poll() { return "\(status)" }
        return devtools.isOpen ? nil : "its DevTools pipe closed"
    }

    /// Ends the browser and everything in its sandbox.
    public func close() {
        devtools.close()
        group?.killAll()
        process.terminate(grace: 0)
        group?.remove()
        try? FileManager.default.removeItem(at: home)  // a temporary folder; nothing of value in it
    }

    /// Opens `url` in a fresh browser context, fullscreen, and waits (at most `timeout`) until
    /// the page has loaded. A navigation the browser refuses throws with its reason.
    public func openPage(_ url: String, timeout: Double) throws(DevToolsError) -> BrowserPage {
        let page = try preparePage()
        do {
            try navigate(page, to: url, timeout: timeout)
        } catch {
            closePage(page)
            throw error
        }
        return page
    }

    /// A fresh browser context with a blank fullscreen window, attached: made while the app is
    /// still starting, so only the navigation is left once it answers.
    public func preparePage() throws(DevToolsError) -> BrowserPage {
        try makePage(offScreen: false)
    }

    /// A fresh browser context with a blank window off the screen, unfocused: made while
    /// another case still uses the screen (it neither shows there nor takes the keyboard), and
    /// brought on with `show` when its case starts.
    public func prepareSparePage() throws(DevToolsError) -> BrowserPage {
        try makePage(offScreen: true)
    }

    /// Brings a page made off the screen on, fullscreen.
    public func show(_ page: BrowserPage) throws(DevToolsError) {
        let window = try devtools.call("Browser.getWindowForTarget", ["targetId": .string(page.target)])["windowId"]
        guard let window else { throw .malformed("Browser.getWindowForTarget gave no windowId") }
        _ = try devtools.call("Browser.setWindowBounds", ["windowId": window, "bounds": ["left": 0, "top": 0]])
        _ = try devtools.call("Browser.setWindowBounds", ["windowId": window, "bounds": ["windowState": "fullscreen"]])
    }

    private func makePage(offScreen: Bool) throws(DevToolsError) -> BrowserPage {
        let context = try devtools.call("Target.createBrowserContext", ["disposeOnDetach": false])["browserContextId"]?.string
        guard let context else { throw .malformed("Target.createBrowserContext gave no browserContextId") }
        do throws(DevToolsError) {
            var placement: [(String, JSONValue)] = [("windowState", "fullscreen"), ("focus", true)]
            // Far right of any screen AppJudge makes; the window manager-less X server keeps it there.
            if offScreen { placement = [("left", 20_000), ("top", 0), ("focus", false)] }
            let target = try devtools.call(
                "Target.createTarget",
                .object([("url", "about:blank"), ("browserContextId", .string(context)), ("newWindow", true)] + placement)
            )["targetId"]?.string
            guard let target else { throw .malformed("Target.createTarget gave no targetId") }
            let session = try devtools.call("Target.attachToTarget", ["targetId": .string(target), "flatten": true])["sessionId"]?.string
            guard let session else { throw .malformed("Target.attachToTarget gave no sessionId") }
            _ = try devtools.call("Page.enable", session: session)
            return BrowserPage(context: context, target: target, session: session)
        } catch {
            _ = try? devtools.call("Target.disposeBrowserContext", ["browserContextId": .string(context)])
            throw error
        }
    }

    /// Loads `url` in `page` and waits (at most `timeout`) for its load event; a navigation the
    /// browser refuses throws with its reason.
    public func navigate(_ page: BrowserPage, to url: String, timeout: Double) throws(DevToolsError) {
        devtools.dropEvents(session: page.session)
        let navigation = try devtools.call("Page.navigate", ["url": .string(url)], session: page.session)
        if let error = navigation["errorText"]?.string, !error.isEmpty {
            throw .rejected(method: "Page.navigate", code: 0, message: error)
        }
        // A page whose load never ends (a resource that hangs) is judged as it is.
        _ = try devtools.waitForEvent("Page.loadEventFired", session: page.session, timeout: timeout)
        // The accessibility tree is built on first demand and kept up to date once enabled:
        // built now, while the page paints, the first observation does not pay for it.
        _ = try? devtools.callAll([
            DevToolsCommand("Target.activateTarget", ["targetId": .string(page.target)]),
            DevToolsCommand("Accessibility.enable", session: page.session),
            DevToolsCommand("DOM.enable", session: page.session),
        ])
    }

    /// Closes a case's page and its browser context: everything it stored goes with it.
    public func closePage(_ page: BrowserPage) {
        devtools.dropEvents(session: page.session)
        // A browser that already died has nothing left to close.
        _ = try? devtools.call("Target.disposeBrowserContext", ["browserContextId": .string(page.context)], timeout: 5)
    }

    /// Reads bubblewrap's `{"child-pid": N}` from its info pipe.
    private static func readChildPid(_ fd: Int32, timeout: Double) -> Int? {
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 512)
        while Date() < deadline, !text.contains("}") {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard Glibc.poll(&pfd, 1, 200) >= 0 else { return nil }
            if pfd.revents == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            text += String(decoding: chunk[0..<n], as: UTF8.self)
        }
        return JSONValue.parse(text)?["child-pid"]?.integer
    }
}
