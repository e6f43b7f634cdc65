import Desktop
import Foundation
import Imaging
import Perception

/// Where frames go once seen: the report's frames/ folder, or memory in tests.
public protocol FrameSink: Sendable {
    /// Keeps `image` under `id`.
    func keep(_ image: Image, id: String) throws
}

/// One settled look at the screen: the frame, and what it shows (`content`: the page's structure
/// confirmed by these pixels on the web, OCR read lazily elsewhere).
public final class Observation: @unchecked Sendable {
    public let id: String
    public let image: Image
    let digest: UInt64
    public let content: ScreenContent

    init(id: String, image: Image, content: ScreenContent) {
        self.id = id
        self.image = image
        self.digest = image.digest
        self.content = content
    }

    /// The text shown as content: exact from the page on the web, OCR elsewhere.
    public func reading() throws(PerceptionError) -> TextReading { try content.content() }

    /// The elements a person can act on, numbered from 1 in this order for the agent.
    public func marks() throws(PerceptionError) -> [ScreenElement] {
        try content.elements().filter { $0.role.isControl }
    }
}

/// Captures settled frames, names and keeps them, and reads what they show: the page's structure
/// (read with the frame, so the two agree) when a browser backs the screen, and OCR at most once
/// per distinct picture (assertions that poll an unchanged screen cost nothing).
public final class Observer: @unchecked Sendable {
    let screen: any FrameSource
    let ocr: any TextRecognizer
    let sink: any FrameSink
    let prefix: String
    let structure: (any StructureSource)?
    private var counter = 0
    private var readings: [UInt64: TextReading] = [:]
    /// Seconds spent in OCR, for the report.
    public private(set) var ocrSeconds = 0.0
    /// Seconds spent reading the page's structure, for the report.
    public private(set) var structureSeconds = 0.0
    public var settleTimeout = 5.0
    /// A frame already seen to settle with no input since (the one the app was ready on): the
    /// first look starts from it, so a screen still showing it is taken without a second wait.
    public var settledStart: Image?

    public init(screen: any FrameSource, ocr: any TextRecognizer, sink: any FrameSink, prefix: String, structure: (any StructureSource)? = nil) {
        self.screen = screen
        self.ocr = ocr
        self.sink = sink
        self.prefix = prefix
        self.structure = structure
    }

    /// Waits until the screen is still, then keeps the frame (and the page's structure as it
    /// was while the frame stayed the same).
    public func observe(stableFrames: Int = 3) throws -> Observation {
        var frame: Image
        let seed = settledStart
        settledStart = nil
        if let seed, case let now = try screen.capture(), now.digest == seed.digest {
            frame = now
        } else {
            frame = try screen.waitUntilSettled(timeout: settleTimeout, stableFrames: stableFrames).frame
        }
        guard let structure else { return try record(frame, page: nil) }
        for _ in 0..<3 {
            let start = Date()
            let page = try structure.read()
            structureSeconds += Date().timeIntervalSince(start)
            // The structure belongs to this frame only if the screen did not change meanwhile.
            let after = try screen.capture()
            if after.digest == frame.digest { return try record(after, page: page) }
            frame = try screen.waitUntilSettled(timeout: settleTimeout, stableFrames: stableFrames).frame
        }
        // A page that never holds still (an animation): the structure read last, with the frame after it.
        let page = try structure.read()
        return try record(try screen.capture(), page: page)
    }

    /// Waits up to `timeout` for the screen to differ from `previous`, then until it is still.
    /// Used after actions whose effect may start late (a reload).
    public func observeChange(from previous: Observation, timeout: Double) throws -> Observation {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if try screen.capture().digest != previous.digest { break }
            usleep(20_000)
        }
        return try observe(stableFrames: 4)
    }

    /// Keeps a picture derived from `frame` (a difference map) as `<frame id>-<suffix>`.
    public func keepExtra(_ image: Image, of frame: Observation, suffix: String) throws -> String {
        let id = "\(frame.id)-\(suffix)"
        try sink.keep(image, id: id)
        return id
    }

    private func record(_ image: Image, page: PageStructure?) throws -> Observation {
        counter += 1
        let id = String(format: "%@-%02d", prefix, counter)
        try sink.keep(image, id: id)
        let digest = image.digest
        let content = ScreenContent(image: image, structure: page, source: page == nil ? nil : structure) { [self] () throws(OCRError) -> TextReading in
            if let known = readings[digest] { return known }
            let reading = try ocr.read(image)
            ocrSeconds += reading.seconds
            readings[digest] = reading
            return reading
        }
        return Observation(id: id, image: image, content: content)
    }
}
