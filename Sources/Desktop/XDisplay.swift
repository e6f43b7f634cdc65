import CX11
import Foundation
import Imaging

/// The last X protocol error seen by this process. Xlib reports errors through one global
/// callback, so the handler records here and the call that caused it reads it after XSync.
nonisolated(unsafe) private var lastXError: (request: Int, code: Int, text: String)?
private let xErrorLock = NSLock()

/// Installed once: turns X errors into values instead of Xlib's default exit(1), and keeps an
/// I/O error (the server died) from ending the process.
private let installHandlers: Void = {
    XInitThreads()
    // The default I/O error handler prints and exits; returning lets the exit handler below
    // (set per connection) keep the process alive with the connection marked failed.
    _ = XSetIOErrorHandler { _ in 0 }
    _ = XSetErrorHandler { display, event in
        guard let display, let event else { return 0 }
        var buffer = [CChar](repeating: 0, count: 256)
        XGetErrorText(display, Int32(event.pointee.error_code), &buffer, Int32(buffer.count))
        lastXError = (
            Int(event.pointee.request_code), Int(event.pointee.error_code),
            String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        )
        return 0
    }
}()

/// One Xlib connection to a display: capture and window queries. Xlib connections are not
/// thread safe, so every call holds the connection's lock.
public final class XDisplay: @unchecked Sendable {
    public let name: String
    private let display: OpaquePointer
    private let root: Window
    public let width: Int
    public let height: Int
    private let lock = NSLock()
    nonisolated(unsafe) private static var dead = Set<String>()

    public init(_ name: String) throws(DesktopError) {
        _ = installHandlers
        guard let display = XOpenDisplay(name) else { throw .cannotOpenDisplay(name) }
        self.name = name
        self.display = display
        // If the server dies, Xlib would exit the process after its I/O error handler; the exit
        // handler returning instead leaves the connection failed and the evaluation in charge.
        XSetIOErrorExitHandler(display, { _, _ in }, nil)
        let screen = XDefaultScreen(display)
        root = XRootWindow(display, screen)
        width = Int(XDisplayWidth(display, screen))
        height = Int(XDisplayHeight(display, screen))
    }

    private var closed = false

    /// Closes the connection (XCloseDisplay); must happen before the server stops, or Xlib
    /// reports a fatal I/O error. Idempotent.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        XCloseDisplay(display)
    }

    deinit { close() }

    /// Runs `body` holding the connection, then surfaces any X error it caused, except the
    /// error codes in `tolerating`.
    private func checked<T>(tolerating: Set<Int> = [], _ body: (OpaquePointer) -> T) throws(DesktopError) -> T {
        lock.lock()
        defer { lock.unlock() }
        xErrorLock.lock()
        lastXError = nil
        let result = body(display)
        XSync(display, 0)
        let error = lastXError
        lastXError = nil
        xErrorLock.unlock()
        if let error, !tolerating.contains(error.code) { throw .xError(request: error.request, code: error.code, message: error.text) }
        return result
    }

    /// Captures the whole screen with XGetImage as RGBA.
    public func capture() throws(DesktopError) -> Image {
        try capture(Rect(x: 0, y: 0, width: width, height: height))
    }

    /// Captures part of the screen. Calls XGetImage on the root window, then converts the
    /// server's 32-bit BGRX pixels to RGBA.
    public func capture(_ rect: Rect) throws(DesktopError) -> Image {
        let rootWindow = root
        let image: UnsafeMutablePointer<XImage>? = try checked { display in
            XGetImage(
                display, rootWindow, Int32(rect.x), Int32(rect.y), UInt32(rect.width), UInt32(rect.height),
                UInt(bitPattern: -1) /* AllPlanes */, ZPixmap)
        }
        guard let image else { throw .captureFailed("XGetImage returned no image") }
        // XDestroyImage is a macro over the image's own destroy function.
        defer { _ = image.pointee.f.destroy_image(image) }
        let xi = image.pointee
        guard xi.bits_per_pixel == 32, let data = xi.data else {
            throw .captureFailed("unsupported pixel format (\(xi.bits_per_pixel) bits per pixel)")
        }
        let w = Int(xi.width), h = Int(xi.height), stride = Int(xi.bytes_per_line)
        let redShift = xi.red_mask == 0xff0000 ? 16 : 0, blueShift = 16 - redShift
        var pixels = [UInt8](repeating: 255, count: w * h * 4)
        data.withMemoryRebound(to: UInt8.self, capacity: stride * h) { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let row = UnsafeRawPointer(src + y * stride).assumingMemoryBound(to: UInt32.self)
                    var o = y * w * 4
                    for x in 0..<w {
                        let p = row[x]
                        dst[o] = UInt8(truncatingIfNeeded: p >> UInt32(redShift))
                        dst[o + 1] = UInt8(truncatingIfNeeded: p >> 8)
                        dst[o + 2] = UInt8(truncatingIfNeeded: p >> UInt32(blueShift))
                        o += 4
                    }
                }
            }
        }
        return Image(width: w, height: h, pixels: pixels)
    }

    /// A top-level or nested window with what the server knows of it.
    public struct WindowInfo: Sendable, Equatable {
        public var id: UInt
        public var pid: Int32?
        public var title: String?
        public var frame: Rect
        public var mapped: Bool
    }

    /// All windows below the root (depth first) with their `_NET_WM_PID`, title and geometry.
    public func windows() throws(DesktopError) -> [WindowInfo] {
        let rootWindow = root
        // Apps create and destroy windows while the tree is walked: one that is gone by the time
        // it is asked about (BadWindow) is skipped, not an error.
        return try checked(tolerating: [Int(BadWindow)]) { display in
            let pidAtom = XInternAtom(display, "_NET_WM_PID", 0)
            var result: [WindowInfo] = []
            func walk(_ window: Window) {
                var rootRet: Window = 0, parent: Window = 0
                var children: UnsafeMutablePointer<Window>?
                var count: UInt32 = 0
                guard XQueryTree(display, window, &rootRet, &parent, &children, &count) != 0 else { return }
                defer { if let children { XFree(children) } }
                for i in 0..<Int(count) {
                    let child = children![i]
                    var attributes = XWindowAttributes()
                    guard XGetWindowAttributes(display, child, &attributes) != 0 else { continue }
                    var x: Int32 = 0, y: Int32 = 0, ignored: Window = 0
                    XTranslateCoordinates(display, child, rootWindow, 0, 0, &x, &y, &ignored)
                    var namePtr: UnsafeMutablePointer<CChar>?
                    var title: String?
                    if XFetchName(display, child, &namePtr) != 0, let namePtr {
                        title = String(cString: namePtr)
                        XFree(namePtr)
                    }
                    var type: Atom = 0, format: Int32 = 0
                    var items: UInt = 0, after: UInt = 0
                    var prop: UnsafeMutablePointer<UInt8>?
                    var pid: Int32?
                    if XGetWindowProperty(display, child, pidAtom, 0, 1, 0, Atom(XA_CARDINAL), &type, &format, &items, &after, &prop) == Success,
                        let prop, items == 1
                    {
                        // 32-bit format properties come back as C longs.
                        pid = Int32(truncatingIfNeeded: UnsafeRawPointer(prop).load(as: Int.self))
                    }
                    if let prop { XFree(prop) }
                    result.append(
                        WindowInfo(
                            id: UInt(child), pid: pid, title: title,
                            frame: Rect(x: Int(x), y: Int(y), width: Int(attributes.width), height: Int(attributes.height)),
                            mapped: attributes.map_state == IsViewable))
                    walk(child)
                }
            }
            walk(rootWindow)
            return result
        }
    }

    /// The mapped windows that belong to process `pid` (by `_NET_WM_PID`).
    public func windows(ofProcess pid: Int32) throws(DesktopError) -> [WindowInfo] {
        try windows().filter { $0.pid == pid && $0.mapped }
    }

    /// The host process id of the X client that created `window`, from the X-Resource
    /// extension. Unlike `_NET_WM_PID` (set by the client, and from inside a pid namespace a
    /// number that means nothing out here), the server reads it from the socket's peer.
    public func clientPID(of window: UInt) throws(DesktopError) -> Int32? {
        try checked(tolerating: [Int(BadWindow)]) { display in
            var spec = XResClientIdSpec(client: XID(window), mask: UInt32(XRES_CLIENT_ID_PID_MASK.rawValue))
            var count: Int = 0
            var ids: UnsafeMutablePointer<XResClientIdValue>?
            guard XResQueryClientIds(display, 1, &spec, &count, &ids) == Success, let ids else { return nil }
            defer { XResClientIdsDestroy(count, ids) }
            for i in 0..<count where XResGetClientIdType(&ids[i]) == XRES_CLIENT_ID_PID {
                let pid = XResGetClientPid(&ids[i])
                if pid > 0 { return Int32(pid) }
            }
            return nil
        }
    }

    /// Gives `window` the keyboard focus. Without a window manager, XSetInputFocus is the only
    /// way to do this (xdo's windowactivate asks a window manager and silently does nothing).
    public func focus(window: UInt) throws(DesktopError) {
        try checked { display in
            _ = XSetInputFocus(display, Window(window), Int32(RevertToPointerRoot), UInt(CurrentTime))
        }
    }

    /// The geometry of one window; throws (BadWindow) for an id that does not exist.
    public func frame(of window: UInt) throws(DesktopError) -> Rect {
        let rootWindow = root
        return try checked { display in
            var attributes = XWindowAttributes()
            XGetWindowAttributes(display, Window(window), &attributes)
            var x: Int32 = 0, y: Int32 = 0, ignored: Window = 0
            XTranslateCoordinates(display, Window(window), rootWindow, 0, 0, &x, &y, &ignored)
            return Rect(x: Int(x), y: Int(y), width: Int(attributes.width), height: Int(attributes.height))
        }
    }
}
