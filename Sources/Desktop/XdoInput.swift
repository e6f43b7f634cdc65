import CXdo
import Foundation
import Imaging

/// Mouse buttons as X numbers them; 4-7 are the scroll wheel.
public enum MouseButton: Int32, Sendable {
    case left = 1, middle = 2, right = 3
    case wheelUp = 4, wheelDown = 5, wheelLeft = 6, wheelRight = 7
}

/// Real X11 input through libxdo (XTEST), sent to whatever is under the pointer or focused.
/// All xdo calls of AppJudge are in this type.
public final class XdoInput: @unchecked Sendable {
    private let xdo: UnsafeMutablePointer<xdo_t>
    private let lock = NSLock()
    /// Delay between typed characters, microseconds: fast enough for long text, slow enough
    /// for web apps that handle each keydown.
    public var keyDelay: useconds_t = 8_000

    /// Opens xdo's own connection to `display` (calls `xdo_new`).
    public init(display: String) throws(DesktopError) {
        guard let xdo = xdo_new(display) else { throw .cannotOpenDisplay(display) }
        self.xdo = xdo
    }

    private var closed = false

    /// Frees xdo and its display connection (xdo_free). Idempotent; input after it throws.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        xdo_free(xdo)
    }

    deinit { close() }

    private func call(_ what: String, _ body: (UnsafeMutablePointer<xdo_t>) -> Int32) throws(DesktopError) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { throw .inputFailed("\(what) after the display was closed") }
        let rc = body(xdo)
        if rc != 0 { throw .inputFailed("\(what) returned \(rc)") }
    }

    /// Moves the pointer (xdo_move_mouse) and waits until the server reports it there.
    public func move(to point: Point) throws(DesktopError) {
        try call("xdo_move_mouse") { xdo_move_mouse($0, Int32(point.x), Int32(point.y), 0) }
    }

    /// Clicks `count` times at `point`, 60 ms apart (a double click for count 2). Unlike
    /// xdo_click_window_multiple this does not sleep after the last click: what follows a
    /// click is waiting for the screen to settle, which is longer than any pause it needs.
    public func click(at point: Point, button: MouseButton = .left, count: Int = 1) throws(DesktopError) {
        try move(to: point)
        for i in 0..<max(1, count) {
            if i > 0 { usleep(60_000) }
            try call("xdo_click_window") { xdo_click_window($0, Window(CURRENTWINDOW), button.rawValue) }
        }
    }

    /// Presses at `from`, moves in steps to `to`, releases: a drag that apps with pointer-move
    /// handlers see as one.
    public func drag(from: Point, to: Point, steps: Int = 12) throws(DesktopError) {
        try move(to: from)
        try call("xdo_mouse_down") { xdo_mouse_down($0, Window(CURRENTWINDOW), MouseButton.left.rawValue) }
        for i in 1...max(1, steps) {
            let x = from.x + (to.x - from.x) * i / steps, y = from.y + (to.y - from.y) * i / steps
            try move(to: Point(x: x, y: y))
            usleep(10_000)
        }
        try call("xdo_mouse_up") { xdo_mouse_up($0, Window(CURRENTWINDOW), MouseButton.left.rawValue) }
    }

    /// Scrolls with the wheel at `point`: positive `dy` scrolls down, positive `dx` right.
    public func scroll(at point: Point, dx: Int = 0, dy: Int) throws(DesktopError) {
        try move(to: point)
        if dy != 0 { try click(at: point, button: dy > 0 ? .wheelDown : .wheelUp, count: abs(dy)) }
        if dx != 0 { try click(at: point, button: dx > 0 ? .wheelRight : .wheelLeft, count: abs(dx)) }
    }

    /// Types text as key presses (xdo_enter_text_window); characters missing from the keymap
    /// are mapped onto a spare keycode by xdo.
    public func type(_ text: String) throws(DesktopError) {
        let delay = keyDelay
        try call("xdo_enter_text_window") { xdo_enter_text_window($0, Window(CURRENTWINDOW), text, delay) }
    }

    /// Presses a key combination in xdo's syntax, e.g. `Return`, `ctrl+a`, `shift+Tab`
    /// (xdo_send_keysequence_window).
    public func key(_ combo: String) throws(DesktopError) {
        let delay = keyDelay
        try call("xdo_send_keysequence_window") { xdo_send_keysequence_window($0, Window(CURRENTWINDOW), combo, delay) }
    }
}

/// Input into the app's display: real xdo input, or a recorder in tests.
public protocol InputDevice: Sendable {
    func click(at point: Point, button: MouseButton, count: Int) throws(DesktopError)
    func move(to point: Point) throws(DesktopError)
    func drag(from: Point, to: Point, steps: Int) throws(DesktopError)
    func scroll(at point: Point, dx: Int, dy: Int) throws(DesktopError)
    func type(_ text: String) throws(DesktopError)
    func key(_ combo: String) throws(DesktopError)
}

extension XdoInput: InputDevice {}
