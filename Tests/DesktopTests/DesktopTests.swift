import Desktop
import Foundation
import Imaging
import Processes
import TestSupport
import Testing

@Suite("Private X display", .serialized)
struct XvfbTests {
    @Test func startsOnAFreeDisplayAndLeavesNothingBehind() throws {
        let a = try Xvfb(width: 320, height: 200)
        let b = try Xvfb(width: 320, height: 200)
        #expect(a.displayName != b.displayName)
        let socket = "/tmp/.X11-unix/X\(a.displayName.dropFirst())"
        #expect(FileManager.default.fileExists(atPath: socket))
        let display = try XDisplay(a.displayName)
        #expect(display.width == 320 && display.height == 200)
        display.close()
        a.stop()
        b.stop()
        #expect(!a.isRunning && !b.isRunning)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func captureHasTheScreenSize() throws {
        let x = try Xvfb(width: 640, height: 360)
        defer { x.stop() }
        let display = try XDisplay(x.displayName)
        defer { display.close() }
        let frame = try display.capture()
        #expect(frame.width == 640 && frame.height == 360)
        let part = try display.capture(Rect(x: 10, y: 10, width: 50, height: 40))
        #expect(part.width == 50 && part.height == 40)
        let still = try display.waitUntilSettled(timeout: 2)
        #expect(still.settled)
    }

    @Test("a bad window id is an error, not an exit")
    func badWindowIsAnError() throws {
        let x = try Xvfb(width: 320, height: 200)
        defer { x.stop() }
        let display = try XDisplay(x.displayName)
        defer { display.close() }
        #expect(throws: DesktopError.self) { try display.frame(of: 0x7ff_fff0) }
        #expect(throws: DesktopError.self) { try display.focus(window: 0x7ff_fff0) }
        // The connection is still good afterwards.
        #expect(try display.capture().width == 320)
    }

    @Test func aDisplayThatDoesNotExist() {
        #expect(throws: DesktopError.self) { try XDisplay(":987") }
    }
}

@Suite("Input and windows with a real browser", .serialized, .timeLimit(.minutes(2)))
struct InputTests {
    /// A page that shows what was typed and where it was clicked, in big text.
    static let page = """
        <html><body style="margin:0;font:28px sans-serif">
        <input id=i style="font:28px sans-serif;width:500px" autofocus>
        <div id=c style="height:300px;background:#eee">click here</div>
        <script>
        document.getElementById('c').addEventListener('click', e => document.getElementById('c').textContent = 'clicked ' + e.detail);
        document.addEventListener('keydown', e => { if (e.ctrlKey && e.key === 'b') document.body.style.background = '#003'; });
        </script></body></html>
        """

    @Test func typesClicksAndFindsTheBrowserWindow() throws {
        let x = try Xvfb(width: 640, height: 400)
        defer { x.stop() }
        let display = try XDisplay(x.displayName)
        defer { display.close() }
        let input = try XdoInput(display: x.displayName)
        defer { input.close() }
        let dir = Scratch.directory("input")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.page.write(to: dir.appendingPathComponent("p.html"), atomically: true, encoding: .utf8)
        var env = Command.baseEnvironment()
        env["DISPLAY"] = x.displayName
        env["HOME"] = dir.path
        let browser = try ChildProcess(
            Command(
                "/usr/lib/chromium/chromium",
                [
                    "--no-sandbox", "--test-type", "--kiosk", "--user-data-dir=\(dir.path)/profile", "--no-first-run", "--disable-gpu",
                    "--window-position=0,0", "--window-size=640,400", "--app=file://\(dir.path)/p.html",
                ], environment: env))
        defer { browser.terminate(grace: 0) }

        var windows: [XDisplay.WindowInfo] = []
        for _ in 0..<200 where windows.isEmpty {
            windows = try display.windows(ofProcess: browser.pid).filter { $0.frame.area > 1000 }
            usleep(50_000)
        }
        #expect(!windows.isEmpty, "no window with _NET_WM_PID \(browser.pid)")
        // Wait for the page itself to paint (the input box border).
        var painted = false
        for _ in 0..<100 where !painted {
            painted =
                try display.waitUntilSettled(timeout: 1).frame.difference(
                    from: Image(width: 640, height: 400, fill: RGB(255, 255, 255)),
                    tolerance: 40)?.count ?? 0 > 200
        }
        #expect(painted)

        let before = try display.waitUntilSettled().frame
        try input.click(at: Point(x: 200, y: 20), button: .left, count: 1)
        try input.type("Hello, X!")
        let typed = try display.waitUntilSettled().frame
        #expect(typed.difference(from: before, tolerance: 40) != nil, "typing changed nothing on screen")

        try input.click(at: Point(x: 300, y: 200), button: .left, count: 2)
        let clicked = try display.waitUntilSettled().frame
        #expect(clicked.difference(from: typed, tolerance: 40) != nil, "clicking changed nothing on screen")

        try input.key("ctrl+b")
        let dark = try display.waitUntilSettled().frame
        #expect(dark[630, 390].luma < 60, "ctrl+b did not reach the page")
    }
}
