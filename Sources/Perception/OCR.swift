import CTesseract
import Foundation
import Imaging

/// One recognised word, its box in the coordinates of the image that was read.
public struct Word: Sendable, Equatable, Codable {
    public var text: String
    public var box: Rect
    /// Tesseract's confidence, 0-100.
    public var confidence: Double

    public init(text: String, box: Rect, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}

/// Words that sit side by side on one visual line, left to right.
public struct TextLine: Sendable, Equatable, Codable {
    public var words: [Word]
    public var text: String { words.map(\.text).joined(separator: " ") }
    public var box: Rect { words.dropFirst().reduce(words[0].box) { $0.union($1.box) } }
}

/// What OCR read from one frame.
public struct TextReading: Sendable, Equatable, Codable {
    public var words: [Word]
    public var lines: [TextLine]
    /// Seconds spent recognising.
    public var seconds: Double

    public init(words: [Word], seconds: Double = 0) {
        self.words = words
        self.lines = TextLine.group(words)
        self.seconds = seconds
    }

    /// All lines joined, top to bottom: what a report shows as "the text on screen".
    public var text: String { lines.map(\.text).joined(separator: "\n") }
}

public enum OCRError: Error, CustomStringConvertible, Sendable {
    case initFailed(language: String)
    case recognitionFailed

    public var description: String {
        switch self {
        case .initFailed(let language):
            "Tesseract could not load the '\(language)' language data; install tesseract-ocr-\(language)."
        case .recognitionFailed: "Tesseract failed to recognise the frame."
        }
    }
}

/// Reads text off a frame. The seam between judging and OCR: tests of judge logic put a fake here.
public protocol TextRecognizer: Sendable {
    func read(_ image: Image) throws(OCRError) -> TextReading
}

/// OCR with tesseract's C API. All tesseract calls of AppJudge are in this type.
///
/// UI text is small (9-16 px) and tesseract reads it poorly at 1x (86% of words; at 1.5x 100%,
/// see BENCHMARKS.md), so frames are converted to grey and upscaled by `scale` before
/// recognition; boxes come back in the frame's own pixels. Dark pages are inverted first so text is dark on light.
public final class TesseractOCR: TextRecognizer, @unchecked Sendable {
    private let api: OpaquePointer
    private let lock = NSLock()
    public let scale: Double

    public init(language: String = "eng", scale: Double = 1.5, pageSegmentation: TessPageSegMode = PSM_SPARSE_TEXT) throws(OCRError) {
        guard let api = TessBaseAPICreate() else { throw .initFailed(language: language) }
        guard TessBaseAPIInit3(api, nil, language) == 0 else {
            TessBaseAPIDelete(api)
            throw .initFailed(language: language)
        }
        self.api = api
        self.scale = scale
        TessBaseAPISetPageSegMode(api, pageSegmentation)
        // Keep tesseract's diagnostics off the user's terminal.
        _ = TessBaseAPISetVariable(api, "debug_file", "/dev/null")
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    /// Recognises `image` (TessBaseAPISetImage + TessBaseAPIRecognize) and walks the result
    /// word by word (TessResultIterator).
    public func read(_ image: Image) throws(OCRError) -> TextReading {
        let start = Date()
        guard image.width > 0, image.height > 0 else { return TextReading(words: []) }
        let source = scale == 1 ? image : image.scaled(by: scale)
        var grey = source.luma()
        if Self.isMostlyDark(grey) {
            for i in grey.indices { grey[i] = 255 - grey[i] }
        }
        lock.lock()
        defer { lock.unlock() }
        let words: [Word] = try grey.withUnsafeBufferPointer { buffer throws(OCRError) -> [Word] in
            TessBaseAPISetImage(api, buffer.baseAddress, Int32(source.width), Int32(source.height), 1, Int32(source.width))
            TessBaseAPISetSourceResolution(api, Int32(96 * scale))
            guard TessBaseAPIRecognize(api, nil) == 0 else { throw .recognitionFailed }
            defer { TessBaseAPIClear(api) }
            guard let iterator = TessBaseAPIGetIterator(api) else { return [] }
            defer { TessResultIteratorDelete(iterator) }
            var words: [Word] = []
            let page = TessResultIteratorGetPageIterator(iterator)
            repeat {
                guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
                let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
                TessDeleteText(raw)
                var l: Int32 = 0, t: Int32 = 0, r: Int32 = 0, b: Int32 = 0
                guard !text.isEmpty, TessPageIteratorBoundingBox(page, RIL_WORD, &l, &t, &r, &b) != 0 else { continue }
                let box = Rect(x: Int(Double(l) / scale), y: Int(Double(t) / scale),
                               width: max(1, Int((Double(r - l) / scale).rounded())), height: max(1, Int((Double(b - t) / scale).rounded())))
                words.append(Word(text: text, box: box, confidence: Double(TessResultIteratorConfidence(iterator, RIL_WORD))))
            } while TessResultIteratorNext(iterator, RIL_WORD) != 0
            return words
        }
        // Sparse-text mode reports specks and borders as low-confidence "words".
        let kept = words.filter { $0.confidence >= 20 || $0.text.count > 2 }
        return TextReading(words: kept, seconds: Date().timeIntervalSince(start))
    }

    private static func isMostlyDark(_ grey: [UInt8]) -> Bool {
        var dark = 0
        let step = 7
        var i = 0
        while i < grey.count {
            if grey[i] < 110 { dark += 1 }
            i += step
        }
        return dark * step > grey.count / 2
    }
}

extension TextLine {
    /// Groups words into visual lines: same row (vertical overlap) and close enough that no
    /// column gap separates them. Tesseract's own lines are not used because its sparse mode
    /// splits and joins UI text unpredictably.
    static func group(_ words: [Word]) -> [TextLine] {
        let sorted = words.sorted { ($0.box.midY, $0.box.x) < ($1.box.midY, $1.box.x) }
        var rows: [[Word]] = []
        for word in sorted {
            if let i = rows.lastIndex(where: { row in row.contains { $0.box.verticalOverlap(with: word.box) >= 0.5 } }) {
                rows[i].append(word)
            } else {
                rows.append([word])
            }
        }
        var lines: [TextLine] = []
        for row in rows {
            let ordered = row.sorted { $0.box.x < $1.box.x }
            var current: [Word] = []
            for word in ordered {
                if let last = current.last {
                    let gap = word.box.x - last.box.maxX
                    let height = max(last.box.height, word.box.height)
                    if gap > Int(Double(height) * 1.6) {
                        lines.append(TextLine(words: current))
                        current = []
                    }
                }
                current.append(word)
            }
            if !current.isEmpty { lines.append(TextLine(words: current)) }
        }
        return lines.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }
}
