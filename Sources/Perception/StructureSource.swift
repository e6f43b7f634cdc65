import DevTools
import Foundation
import Imaging
import JSON

/// Where a page's structure comes from: the browser's DevTools session in a run, a recorded or
/// made-up page in tests.
public protocol StructureSource: Sendable {
    /// The page as it is now.
    func read() throws(DevToolsError) -> PageStructure
    /// The backend node id of the topmost element under each screen point (nil where there is
    /// none): the browser's own hit test, which knows about overlays, clipping and stacking.
    func hitTest(_ points: [Point]) throws(DevToolsError) -> [Int?]
}

/// A page's structure read over DevTools: one pipelined round trip for the layout metrics, a
/// DOM snapshot with the styles that decide visibility, and the full accessibility tree.
public final class BrowserStructure: StructureSource, @unchecked Sendable {
    let devtools: DevToolsPipe
    let session: String
    /// Where the browser window's top-left corner is on screen.
    let window: Point

    public init(devtools: DevToolsPipe, session: String, window: Point = Point(x: 0, y: 0)) {
        self.devtools = devtools
        self.session = session
        self.window = window
    }

    /// The viewport's position, size and zoom from `Page.getLayoutMetrics`.
    struct Metrics {
        var origin: Point
        var scroll: (x: Double, y: Double)
        var zoom: Double
        var size: (width: Int, height: Int)
    }

    private var lastMetrics: Metrics?
    private let lock = NSLock()

    public func read() throws(DevToolsError) -> PageStructure {
        let answers = try devtools.callAll([
            DevToolsCommand("Page.getLayoutMetrics", session: session),
            DevToolsCommand(
                "DOMSnapshot.captureSnapshot",
                [
                    "computedStyles": .array(PageStructure.snapshotStyles.map { .string($0) }), "includePaintOrder": true,
                    "includeDOMRects": false,
                ], session: session),
            DevToolsCommand("Accessibility.getFullAXTree", session: session),
        ])
        let metrics = try Self.metrics(try answers[0].get(), window: window)
        lock.lock()
        lastMetrics = metrics
        lock.unlock()
        return PageStructure.decode(
            snapshot: try answers[1].get(), accessibility: try answers[2].get(), origin: metrics.origin, scroll: metrics.scroll, zoom: metrics.zoom,
            viewport: metrics.size)
    }

    static func metrics(_ m: JSONValue, window: Point) throws(DevToolsError) -> Metrics {
        guard let css = m["cssVisualViewport"], let width = css["clientWidth"]?.number, let height = css["clientHeight"]?.number, width > 0 else {
            throw .malformed("Page.getLayoutMetrics gave no cssVisualViewport")
        }
        // Screen pixels per CSS pixel: the device viewport over the CSS one (page zoom, pinch).
        let device = m["visualViewport"]?["clientWidth"]?.number ?? width
        let zoom = device / width
        return Metrics(
            origin: window, scroll: (css["pageX"]?.number ?? 0, css["pageY"]?.number ?? 0), zoom: zoom,
            size: (Int((width * zoom).rounded()), Int((height * zoom).rounded())))
    }

    public func hitTest(_ points: [Point]) throws(DevToolsError) -> [Int?] {
        guard !points.isEmpty else { return [] }
        lock.lock()
        let metrics = lastMetrics
        lock.unlock()
        let zoom = metrics?.zoom ?? 1, origin = metrics?.origin ?? window
        // The DOM agent answers hit tests only once the document was asked for.
        var commands = [DevToolsCommand("DOM.getDocument", ["depth": 0], session: session)]
        for p in points {
            commands.append(
                DevToolsCommand(
                    "DOM.getNodeForLocation",
                    [
                        "x": .number((Double(p.x - origin.x) / zoom).rounded(.down)), "y": .number((Double(p.y - origin.y) / zoom).rounded(.down)),
                        "ignorePointerEventsNone": true, "includeUserAgentShadowDOM": false,
                    ], session: session))
        }
        let answers = try devtools.callAll(commands)
        return answers.dropFirst().map { answer in (try? answer.get())?["backendNodeId"]?.integer }
    }
}
