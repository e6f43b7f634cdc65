import DevTools
import Foundation
import Imaging
import JSON
import Sandbox
import TestSupport
import Testing

/// How a worker's browser makes each case's page: the next page is made off the screen while a
/// case still runs, and must not show there or take the running case's keyboard.
@Suite("Case pages in the worker's browser", .serialized, .timeLimit(.minutes(3)))
struct BrowserPageTests {
    @Test func aPageMadeOffTheScreenLeavesTheRunningCaseAlone() throws {
        let page = try LivePage(html: "<body style='margin:0;background:#ffffff'><input id='f' style='font-size:20px'><p>Running case</p></body>")
        defer { page.close() }
        try page.input.click(at: .init(x: 60, y: 14), button: .left, count: 1)
        try page.input.type("abc")
        // No caret on screen while the pictures are compared: only the spare page may change them.
        try page.input.click(at: .init(x: 400, y: 400), button: .left, count: 1)
        let before = try page.display.waitUntilSettled(timeout: 3, stableFrames: 4).frame
        let spare = try page.browser.prepareSparePage()
        usleep(300_000)
        let after = try page.display.waitUntilSettled(timeout: 3, stableFrames: 4).frame
        #expect(after.digest == before.digest, "the spare page's window changed the screen")
        try page.input.click(at: .init(x: 60, y: 14), button: .left, count: 1)
        try page.input.key("End")
        try page.input.type("def")
        usleep(200_000)
        let value = try page.browser.devtools.call(
            "Runtime.evaluate", ["expression": "document.getElementById('f').value"], session: page.page.session)
        #expect(value["result"]?["value"]?.string == "abcdef", "typing went elsewhere: \(value)")

        // Shown, it fills the screen.
        try page.browser.show(spare)
        try page.browser.navigate(spare, to: "data:text/html,<body style='margin:0;background:rgb(200,30,30)'></body>", timeout: 10)
        let shown = try page.display.waitUntilSettled(timeout: 3, stableFrames: 4).frame
        let corners = [(5, 5), (shown.width - 5, 5), (5, shown.height - 5), (shown.width - 5, shown.height - 5), (shown.width / 2, shown.height / 2)]
        for (x, y) in corners {
            let i = (y * shown.width + x) * 4
            #expect(shown.pixels[i] == 200 && shown.pixels[i + 1] == 30, "pixel (\(x), \(y)) is not the spare page's")
        }
        page.browser.closePage(spare)
    }

    /// Chromium's own UI pages (the omnibox popups) are renderers that cost CPU every window and
    /// are never seen in kiosk mode: the flags keep them off.
    @Test func theBrowserRunsNoRendererForItsOwnUI() throws {
        let page = try LivePage(html: "<p>One page</p>")
        defer { page.close() }
        let extra = try page.browser.preparePage()
        usleep(1_500_000)
        let targets = try page.browser.devtools.call("Target.getTargets")["targetInfos"]?.array ?? []
        let ui = targets.filter { $0["type"]?.string == "browser_ui" }.compactMap { $0["url"]?.string }
        #expect(ui.isEmpty, "browser UI pages: \(ui)")
        page.browser.closePage(extra)
    }

    /// A caret that blinks makes the picture of a focused field depend on the moment it is
    /// taken, and restarts every wait for a still screen. The browser is told (through GTK's
    /// settings) to draw it steadily: it is there, and it holds still.
    @Test func theCaretIsDrawnAndHoldsStill() throws {
        let page = try LivePage(html: "<body style='margin:0;background:#ffffff'><input id='f' style='font-size:20px;width:300px'></body>")
        defer { page.close() }
        try page.input.click(at: .init(x: 400, y: 400), button: .left, count: 1)
        let blurred = try page.display.waitUntilSettled(timeout: 3, stableFrames: 4).frame
        try page.input.click(at: .init(x: 150, y: 14), button: .left, count: 1)
        let focused = try page.display.waitUntilSettled(timeout: 3, stableFrames: 4).frame
        #expect(focused.digest != blurred.digest, "focusing the field changed nothing on screen")
        var changes = 0
        var last = focused.digest
        for _ in 0..<30 {
            usleep(50_000)
            let now = try page.display.capture().digest
            if now != last { changes += 1 }
            last = now
        }
        #expect(changes == 0, "the focused field's picture changed \(changes) time(s) in 1.5 s")
        // The caret itself is drawn: a dark vertical run inside the field, left of its middle.
        var caretColumns = 0
        for x in 4..<150 {
            let dark = (4..<26).filter { y in
                let i = (y * focused.width + x) * 4
                return focused.pixels[i] < 100 && focused.pixels[i + 1] < 100 && focused.pixels[i + 2] < 100
            }.count
            if dark >= 12 { caretColumns += 1 }
        }
        #expect(caretColumns >= 1, "no caret in the focused field")
    }
}
