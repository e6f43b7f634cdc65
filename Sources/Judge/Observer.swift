import Desktop
import Foundation
import Imaging
import Perception

/// Where frames go once seen: the report's frames/ folder, or memory in tests.
public protocol FrameSink: Sendable {
    /// Keeps `image` under `id`.
    func keep(_ image: Image, id: String) throws
}

/// One settled look at the screen, read lazily: OCR runs only when something asks for text.
public final class Observation: @unchecked Sendable {
    public let id: String
    public let image: Image
    let digest: UInt64
    private let readText: () throws(OCRError) -> TextReading
    private var cached: TextReading?

    init(id: String, image: Image, read: @escaping () throws(OCRError) -> TextReading) {
        self.id = id
        self.image = image
        self.digest = image.digest
        self.readText = read
    }

    public func reading() throws(OCRError) -> TextReading {
        if let cached { return cached }
        let r = try readText()
        cached = r
        return r
    }
}

/// Captures settled frames, names and keeps them, and reads them with OCR at most once per
/// distinct picture (assertions that poll an unchanged screen cost nothing).
public final class Observer: @unchecked Sendable {
    let screen: any FrameSource
    let ocr: any TextRecognizer
    let sink: any FrameSink
    let prefix: String
    private var counter = 0
    private var readings: [UInt64: TextReading] = [:]
    /// Seconds spent in OCR, for the report.
    public private(set) var ocrSeconds = 0.0
    public var settleTimeout = 5.0

    public init(screen: any FrameSource, ocr: any TextRecognizer, sink: any FrameSink, prefix: String) {
        self.screen = screen
        self.ocr = ocr
        self.sink = sink
        self.prefix = prefix
    }

    /// Waits until the screen is still, then keeps the frame.
    public func observe(stableFrames: Int = 3) throws -> Observation {
        let settled = try screen.waitUntilSettled(timeout: settleTimeout, stableFrames: stableFrames)
        return try record(settled.frame)
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

    private func record(_ image: Image) throws -> Observation {
        counter += 1
        let id = String(format: "%@-%02d", prefix, counter)
        try sink.keep(image, id: id)
        let digest = image.digest
        return Observation(id: id, image: image) { [self] () throws(OCRError) -> TextReading in
            if let known = readings[digest] { return known }
            let reading = try ocr.read(image)
            ocrSeconds += reading.seconds
            readings[digest] = reading
            return reading
        }
    }
}
