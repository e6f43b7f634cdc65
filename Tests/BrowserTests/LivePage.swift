import Desktop
import DevTools
import Foundation
import Imaging
import Perception
import Processes
import Sandbox
import TestSupport

/// A page in the real browser on a private display, as an evaluation shows an app: Chromium in
/// its own sandbox, the page served by a static server in a second sandbox that joined the
/// browser's network namespace, read over the DevTools pipe.
final class LivePage: @unchecked Sendable {
    let xvfb: Xvfb
    let display: XDisplay
    let input: XdoInput
    let browser: BrowserJail
    let server: ChildProcess
    let page: BrowserPage
    let structure: BrowserStructure
    let ocr: TesseractOCR
    private let folder: URL

    init(html: String, width: Int = 800, height: Int = 600, files: [String: String] = [:]) throws {
        folder = Scratch.directory("page")
        try html.write(to: folder.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let etc = folder.appendingPathComponent(".etc")
        try Jail.writeEtc(to: etc)
        let support = Repo.root.appendingPathComponent("sandbox")
        xvfb = try Xvfb(width: width, height: height)
        display = try XDisplay(xvfb.displayName)
        input = try XdoInput(display: xvfb.displayName)
        ocr = try TesseractOCR()
        browser = try BrowserJail(
            display: xvfb.displayName, width: width, height: height, support: support, etc: etc, limits: ResourceLimits(),
            log: folder.appendingPathComponent(".browser.log").path)
        let port = Int.random(in: 20_000..<30_000)
        var jail = Jail(work: folder, support: support, etc: etc, limits: ResourceLimits())
        jail.environment = Jail.baseEnvironment(port: port)
        server = try ChildProcess(
            jail.command(
                ["/usr/bin/python3", "-m", "http.server", "\(port)", "--bind", "127.0.0.1"], group: nil, network: browser.network,
                log: folder.appendingPathComponent(".server.log").path))
        var opened: BrowserPage?
        let deadline = Date().addingTimeInterval(10)
        while opened == nil {
            do {
                opened = try browser.openPage("http://127.0.0.1:\(port)/index.html", timeout: 10)
            } catch {
                if Date() > deadline { throw error }
                usleep(100_000)
            }
        }
        page = opened!
        structure = BrowserStructure(devtools: browser.devtools, session: page.session)
        _ = try display.waitUntilSettled(timeout: 3, stableFrames: 4)
    }

    /// What the screen shows now, read as an evaluation reads it.
    func content() throws -> ScreenContent {
        var frame = try display.waitUntilSettled(timeout: 3, stableFrames: 3).frame
        for _ in 0..<3 {
            let page = try structure.read()
            let after = try display.capture()
            if after.digest == frame.digest {
                return ScreenContent(image: after, structure: page, source: structure) { [ocr] () throws(OCRError) -> TextReading in try ocr.read(after) }
            }
            frame = after
            usleep(100_000)
        }
        throw DevToolsError.malformed("the page never held still")
    }

    private var closed = false

    func close() {
        guard !closed else { return }
        closed = true
        browser.closePage(page)
        server.terminate(grace: 0)
        browser.close()
        input.close()
        display.close()
        xvfb.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { close() }
}

extension ScreenContent {
    /// The shown text, line by line.
    func lines() throws -> [String] { try content().lines.map(\.text) }
}
