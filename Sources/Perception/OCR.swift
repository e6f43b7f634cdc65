import CTesseract
import Foundation
import Imaging

/// One recognised word, its box in the coordinates of the image that was read.
public struct Word: Sendable, Equatable, Codable {
    public var text: String
    public var box: Rect
    /// Tesseract's confidence, 0-100 (100 for text the browser reported).
    public var confidence: Double
    /// Read inside a control's shape (a button, a key): a click on it presses that control.
    public var control: Bool

    public init(text: String, box: Rect, confidence: Double, control: Bool = false) {
        self.text = text
        self.box = box
        self.confidence = confidence
        self.control = control
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
    /// The words are the page's own text (from the browser), not OCR's reading: they are matched
    /// exactly, with no tolerance for misreadings.
    public var exact: Bool
    /// Where ink that looks like text was seen but no word was read: a reader that cannot vouch
    /// for these regions cannot prove that a text is absent.
    public var unread: [Rect]
    /// In an exact reading, what OCR read where the page's structure cannot see (a canvas):
    /// matched with OCR's tolerance, beside the exact words.
    public var pixels: [Word]
    /// In an exact reading, text that flows over several lines (a wrapped sentence), as one
    /// row of words each: a phrase is found across its line breaks, as a person reads it.
    public var passages: [[Word]]

    public init(words: [Word], seconds: Double = 0, exact: Bool = false, unread: [Rect] = [], pixels: [Word] = [], passages: [[Word]] = []) {
        self.words = words
        self.lines = (TextLine.group(words, strict: exact) + (pixels.isEmpty ? [] : TextLine.group(pixels))).sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
        self.seconds = seconds
        self.exact = exact
        self.unread = unread
        self.pixels = pixels
        self.passages = passages
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
    let pageSegmentation: TessPageSegMode
    /// How a frame is made dark-on-light before tesseract reads it.
    public enum Preprocessing: String, Sendable, CaseIterable {
        /// Each pixel against its own surface (`InkMap`): any polarity, colour or gradient.
        case inkMap = "ink-map"
        /// Grey, inverted when the page is dark: one polarity for the whole frame.
        case lightPage = "light-page"
    }
    public var preprocessing: Preprocessing = .inkMap
    /// Readings of lone labels (keys, glyphs) by their pixels: a key that did not change
    /// between two observations is not read again. Guarded by `lock`.
    private var labelCache: [Int: String?] = [:]

    public init(language: String = "eng", scale: Double = 2.0, pageSegmentation: TessPageSegMode = PSM_SPARSE_TEXT) throws(OCRError) {
        guard let api = TessBaseAPICreate() else { throw .initFailed(language: language) }
        guard TessBaseAPIInit3(api, nil, language) == 0 else {
            TessBaseAPIDelete(api)
            throw .initFailed(language: language)
        }
        self.api = api
        self.scale = scale
        self.pageSegmentation = pageSegmentation
        TessBaseAPISetPageSegMode(api, pageSegmentation)
        // Keep tesseract's diagnostics off the user's terminal.
        _ = TessBaseAPISetVariable(api, "debug_file", "/dev/null")
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    /// Recognises `image` and walks the result word by word.
    ///
    /// Two stages. The whole frame is read as grey, upscaled, and inverted if the page is dark.
    /// Tesseract then still misses light text in dark filled boxes (buttons, header bars) on a
    /// light page and dark text inside outlined pills, so each such box is found
    /// (`ControlFinder.labelBoxes`), cut out, made dark-on-light and read on its own; what it
    /// reads replaces what the first stage read inside that box.
    public func read(_ image: Image) throws(OCRError) -> TextReading {
        let start = Date()
        guard image.width > 0, image.height > 0 else { return TextReading(words: []) }
        lock.lock()
        defer { lock.unlock() }
        let map = preprocessing == .inkMap ? InkMap(image) : nil
        let luma = map?.grey ?? Self.lightPage(image)
        var words = try recognize(luma, width: image.width, height: image.height, origin: Point(x: 0, y: 0))
        let firstStage = words.filter { $0.confidence >= 60 }
        // The ink map already gives every box its own polarity; re-reading boxes is for the light page.
        for box in (map == nil ? ControlFinder.labelBoxes(luma: luma, width: image.width, height: image.height) : []) {
            let inner = box.inner
            // A large bold glyph is a dark blob filling its box like a button does; when it lies
            // inside a word already read, reading it "inverted" only invents text ("Morgan Vi").
            if firstStage.contains(where: { word in
                inner.intersection(word.box).map { $0.width * $0.height * 5 >= inner.width * inner.height * 4 } ?? false
            }) {
                continue
            }
            var crop = [UInt8](repeating: 0, count: inner.width * inner.height)
            for y in 0..<inner.height {
                for x in 0..<inner.width {
                    let v = luma[(inner.y + y) * image.width + inner.x + x]
                    crop[y * inner.width + x] = box.lightText ? 255 - v : v
                }
            }
            let found = try recognize(crop, width: inner.width, height: inner.height, origin: Point(x: inner.x, y: inner.y))
            // The box read on its own is the better reading of what is inside it.
            if found.contains(where: { $0.text.contains { $0.isLetter || $0.isNumber } }) {
                words.removeAll { inner.contains($0.box.center) }
                words += found
            }
        }
        // Sparse-text mode reports specks and borders as low-confidence "words".
        let kept = words.filter { $0.confidence >= 20 || $0.text.count > 2 }
        // Text-like ink no word explains: the reading cannot vouch for what it says.
        let unread = (map?.textLikeRuns() ?? []).filter { run in
            let covered = kept.filter { $0.confidence >= 40 }.reduce(0) { $0 + ($1.box.insetBy(-2).intersection(run)?.area ?? 0) }
            return covered * 2 < run.area
        }
        return TextReading(words: kept, seconds: Date().timeIntervalSince(start), unread: unread)
    }

    /// Reads the label of every button-like region in `region` (see `ControlFinder.buttons`)
    /// that holds no word of `known` yet, one region at a time: the key's inside is cut out,
    /// made dark-on-light from its own fill, given a white margin, upscaled 2x and read as one
    /// line (one character first when its ink is one glyph; operators by `GlyphShapes`). Returns the labels as words whose
    /// boxes are the buttons, so scripts can click "7" or "=" like any other text.
    public func readButtons(_ image: Image, in region: Rect? = nil, known: [Word] = []) throws(OCRError) -> [Word] {
        lock.lock()
        defer { lock.unlock() }
        var labels: [Word] = []
        for button in ControlFinder.buttons(in: image, region: region) {
            // A key holds its label; an outline inside a word already read is one of its glyphs
            // (the closed "e" of a display-size heading).
            if known.contains(where: { button.contains($0.box.center) || $0.box.insetBy(-2).intersection(button) == button }) { continue }
            // Past the key's border and bevel, which tesseract would take for strokes.
            let inner = button.insetBy(max(4, min(button.width, button.height) / 8))
            // A key is a control; a display (much wider than tall) is something to read.
            if let text = try readAlone(image, inner, rimInset: 3)?.text {
                labels.append(Word(text: text, box: button, confidence: 90, control: button.width <= button.height * 3))
            }
        }
        return labels
    }

    /// Reads each of `regions` on its own, as `readButtons` reads a key (`looseGlyphs` finds
    /// such regions); the words' boxes are the regions.
    public func readRegions(_ image: Image, _ regions: [Rect]) throws(OCRError) -> [Word] {
        lock.lock()
        defer { lock.unlock() }
        var words: [Word] = []
        for region in regions {
            // A little of the surroundings, so the crop's median is the background.
            guard let inner = region.insetBy(-4).intersection(image.bounds) else { continue }
            // Tesseract's reading of a lone speck is a guess: below glyph size only an operator
            // by its shape counts; at glyph size, words with letters or digits and lone operators.
            guard let (text, shaped) = try readAlone(image, inner) else { continue }
            let glyphSized = region.height >= 10 && region.area >= 60
            let lone = text.count == 1 && "+-*/=×÷".contains(text)
            if shaped || (glyphSized && (lone || text.contains(where: { $0.isLetter || $0.isNumber }))) {
                words.append(Word(text: text, box: region, confidence: 80))
            }
        }
        return words
    }

    /// One small region read on its own: made dark-on-light from its own fill, cut to its ink
    /// with a white margin, scaled to sizes tesseract reads well and read as one line (one
    /// character first when its ink is one glyph; operators by `GlyphShapes`). The caller
    /// holds the lock.
    private func readAlone(_ image: Image, _ inner: Rect, rimInset: Int = 0) throws(OCRError) -> (text: String, shaped: Bool)? {
        guard inner.width > 4, inner.height > 4 else { return nil }
        var grey = image.cropped(to: inner).luma()
        // The fill is what the region's rim shows (a bold glyph may cover most of a tight
        // crop); the text is whichever extreme lies farther from it, made dark. A key's rim is
        // taken a little inside its crop, past a bevel the crop may still hold: light on two
        // sides and dark on the others, it splits the rim and can pass for the fill.
        let r = inner.width > 2 * rimInset + 4 && inner.height > 2 * rimInset + 4 ? rimInset : 0
        var rim: [UInt8] = []
        for x in r..<(inner.width - r) { rim += [grey[r * inner.width + x], grey[(inner.height - 1 - r) * inner.width + x]] }
        for y in r..<(inner.height - r) { rim += [grey[y * inner.width + r], grey[y * inner.width + inner.width - 1 - r]] }
        let background = Int(Self.median(rim))
        let lightText = Int(grey.max() ?? 0) - background > background - Int(grey.min() ?? 255)
        if lightText {
            for i in grey.indices { grey[i] = 255 - grey[i] }
        }
        // Stretched so the fill is white like the margin and the darkest ink black: a mid-grey
        // key next to a white margin would otherwise be binarised as one solid block. The
        // glyph's anti-aliased edge is kept (hard thresholds turn a thin "7" into a "j").
        let fill = lightText ? 255 - background : background, darkest = Int(grey.min() ?? 255)
        guard fill - darkest >= 48 else { return nil }
        for i in grey.indices { grey[i] = UInt8(max(0, min(255, (Int(grey[i]) - darkest) * 255 / (fill - darkest)))) }
        // What hugs the crop's edge along half a side is the key's bevel or inner border
        // (ttk's classic keys have a second frame inside), not its label: "1" beside it read "2".
        let band = 3
        for (box, members) in ControlFinder.inkComponents(width: inner.width, height: inner.height, ink: { grey[$0] < 128 })
        where box.width * 2 >= inner.width || box.height * 2 >= inner.height {
            let hugs = members.allSatisfy { p in
                let x = p % inner.width, y = p / inner.width
                return x < band || y < band || x >= inner.width - band || y >= inner.height - band
            }
            if hugs { for p in members { grey[p] = 255 } }
        }
        let ink = grey.map { $0 < 128 }
        let parts = GlyphShapes.components(ink, width: inner.width, height: inner.height)
        // A label whose ink is about as wide as it is tall is one character: read it as one
        // (line mode turns "=" into a dash and "*" into letters).
        let inkBox = parts.dropFirst().reduce(parts.first?.box) { $0?.union($1.box) }
        // Tesseract is given the label alone, cut to its ink with a white margin of half its
        // height and scaled to about 32 px tall: a lone glyph in a wide fill, or at a size
        // far from what the model saw in training, is read differently from one run to the
        // next ("4" as "a" or "d").
        let label = parts.filter { $0.count >= 3 }.dropFirst().reduce(parts.first { $0.count >= 3 }?.box) { $0?.union($1.box) }
            ?? Rect(x: 0, y: 0, width: inner.width, height: inner.height)
        let single = inkBox.map { $0.width <= $0.height * 3 / 2 } ?? false
        let oneBlot = single && parts.filter { $0.count >= 3 }.count == 1
        // A small operator's thin strokes are mostly anti-aliasing (a 16 px "*" keeps only its
        // crossbars below mid-grey): read its shape from the faint ink too.
        let small = inkBox.map { $0.height <= 10 && $0.width <= 12 } ?? false
        if let symbol = GlyphShapes.classify(ink: ink, width: inner.width, height: inner.height, parts: parts)
            ?? (small ? GlyphShapes.classify(ink: grey.map { $0 < 200 }, width: inner.width, height: inner.height) : nil)
        {
            return (String(symbol), true)
        }
        let margin = max(8, label.height / 2)
        let width = label.width + 2 * margin, height = label.height + 2 * margin
        var padded = [UInt8](repeating: 255, count: width * height)
        for y in 0..<label.height {
            for x in 0..<label.width { padded[(y + margin) * width + x + margin] = grey[(label.y + y) * inner.width + label.x + x] }
        }
        var hasher = Hasher()
        hasher.combine(width)
        hasher.combine(padded)
        let key = hasher.finalize()
        if let known = labelCache[key] { return known.map { ($0, false) } }
        // A lone label is read at three sizes and the readings vote, weighted by tesseract's
        // confidence: one reading of one glyph is a coin toss between look-alikes ("0" and "O").
        var votes: [String: Double] = [:]
        for mode in single ? [PSM_SINGLE_CHAR, PSM_SINGLE_LINE] : [PSM_SINGLE_LINE, PSM_SINGLE_CHAR] where votes.isEmpty {
            TessBaseAPISetPageSegMode(api, mode)
            for size in [26.0, 32.0, 40.0] {
                let scale = min(5, max(0.75, size / Double(max(1, label.height))))
                let words = try recognize(padded, width: width, height: height, origin: Point(x: 0, y: 0), scale: scale)
                var reading = words.map(\.text).joined(separator: " ").trimmingCharacters(in: .whitespaces)
                // One connected, roughly square blot of ink is one character, whatever the model
                // adds ("C" comes back as "Cc").
                if oneBlot, reading.count > 1 { reading = String(reading.prefix(1)) }
                guard !reading.isEmpty else { continue }
                votes[reading, default: 0] += max(1, words.map(\.confidence).min() ?? 0)
            }
        }
        TessBaseAPISetPageSegMode(api, pageSegmentation)
        let text = votes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? ""
        if labelCache.count > 4096 { labelCache.removeAll() }
        labelCache.updateValue(text.isEmpty ? nil : text, forKey: key)
        return text.isEmpty ? nil : (text, false)
    }

    /// One tesseract pass over a grey picture (TessBaseAPISetImage + TessBaseAPIRecognize, then
    /// TessResultIterator), upscaled by `scale`; boxes are returned in frame pixels, offset by
    /// `origin`.
    private func recognize(_ grey: [UInt8], width: Int, height: Int, origin: Point, scale: Double? = nil) throws(OCRError) -> [Word] {
        let scale = scale ?? self.scale
        let (pixels, w, h) = scale == 1 ? (grey, width, height) : Self.upscale(grey, width: width, height: height, by: scale)
        return try pixels.withUnsafeBufferPointer { buffer throws(OCRError) -> [Word] in
            TessBaseAPISetImage(api, buffer.baseAddress, Int32(w), Int32(h), 1, Int32(w))
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
                let box = Rect(
                    x: origin.x + Int(Double(l) / scale), y: origin.y + Int(Double(t) / scale),
                    width: max(1, Int((Double(r - l) / scale).rounded())), height: max(1, Int((Double(b - t) / scale).rounded())))
                words.append(Word(text: text, box: box, confidence: Double(TessResultIteratorConfidence(iterator, RIL_WORD))))
            } while TessResultIteratorNext(iterator, RIL_WORD) != 0
            return words
        }
    }

    /// What tesseract is given for the first stage, as a picture (for `appjudge ocr --dump`).
    public func preprocessed(_ image: Image) -> Image {
        let luma = page(image)
        var out = Image(width: image.width, height: image.height)
        for (i, v) in luma.enumerated() { out.pixels[i * 4] = v; out.pixels[i * 4 + 1] = v; out.pixels[i * 4 + 2] = v }
        for box in ControlFinder.labelBoxes(luma: luma, width: image.width, height: image.height).map(\.inner) {
            for x in box.x..<box.maxX { out[x, box.y] = RGB(255, 0, 0); out[x, box.maxY - 1] = RGB(255, 0, 0) }
            for y in box.y..<box.maxY { out[box.x, y] = RGB(255, 0, 0); out[box.maxX - 1, y] = RGB(255, 0, 0) }
        }
        return out
    }

    /// The frame as the first stage reads it: dark ink on a light page.
    func page(_ image: Image) -> [UInt8] {
        switch preprocessing {
        case .inkMap: InkMap(image).grey
        case .lightPage: Self.lightPage(image)
        }
    }

    /// The frame in grey, inverted when the page is dark, so the page is light.
    static func lightPage(_ image: Image) -> [UInt8] {
        var luma = image.luma()
        if median(luma) < 110 {
            for i in luma.indices { luma[i] = 255 - luma[i] }
        }
        return luma
    }

    static func median(_ values: [UInt8]) -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        for v in values { histogram[Int(v)] += 1 }
        var seen = 0
        for (v, n) in histogram.enumerated() {
            seen += n
            if seen * 2 >= values.count { return UInt8(v) }
        }
        return 255
    }

    /// Bilinear upscale of a grey picture.
    static func upscale(_ grey: [UInt8], width: Int, height: Int, by factor: Double) -> ([UInt8], Int, Int) {
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for (i, v) in grey.enumerated() { rgba[i * 4] = v }
        let scaled = Image(width: width, height: height, pixels: rgba).scaled(by: factor)
        var out = [UInt8](repeating: 0, count: scaled.width * scaled.height)
        for i in out.indices { out[i] = scaled.pixels[i * 4] }
        return (out, scaled.width, scaled.height)
    }
}

extension TextLine {
    /// Groups words into visual lines: same row (vertical overlap) and close enough that no
    /// column gap separates them. Tesseract's own lines are not used because its sparse mode
    /// splits and joins UI text unpredictably.
    static func group(_ words: [Word], strict: Bool = false) -> [TextLine] {
        let sorted = words.sorted { ($0.box.midY, $0.box.x) < ($1.box.midY, $1.box.x) }
        var rows: [[Word]] = []
        // The page's own boxes are exact, and a tall box (an inline block) must not pull the
        // line above or below into its row: their centres must nearly agree.
        func sameRow(_ a: Rect, _ b: Rect) -> Bool {
            strict ? abs(a.midY - b.midY) <= max(2, min(a.height, b.height) / 3) : a.verticalOverlap(with: b) >= 0.5
        }
        for word in sorted {
            if let i = rows.lastIndex(where: { row in row.contains { sameRow($0.box, word.box) } }) {
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

/// Reading for desktop apps: the frame's text, then each button-like region that text did not
/// explain, read on its own (`TesseractOCR.readButtons`). A grid of one-character keys - a
/// calculator, a keypad, a game board - is invisible to the first pass and found by the second.
public struct ButtonAwareOCR: TextRecognizer {
    public let base: TesseractOCR

    public init(_ base: TesseractOCR) { self.base = base }

    public func read(_ image: Image) throws(OCRError) -> TextReading {
        let start = Date()
        var words = try base.read(image).words
        // Every key-like region is re-read, unless the page pass read real words in it (a framed
        // list, a field with text): one key is one label on one line. A "key" that reads as
        // neither a word nor an operator was the ring of a bold glyph (an "0" is a closed
        // outline too); the glyph pass below reads it instead.
        let known = words.filter { $0.confidence >= 60 && $0.text.filter { $0.isLetter || $0.isNumber }.count >= 2 }
        let keys = try base.readButtons(image, known: known).filter { key in
            key.text.contains { $0.isLetter || $0.isNumber } || key.text.allSatisfy { "+-*/=×÷().%".contains($0) }
        }
        // The page pass's reading of a key grid ("7|8|" across two keys) gives way to the keys'.
        words.removeAll { word in keys.contains { $0.box.intersection(word.box) != nil } }
        // Then what neither pass explained: lone glyphs (a display's "0").
        // A page-pass word of one character does not vouch for its place: a lone glyph in a
        // framed box is what that pass misreads most ("0" as "J").
        let covered = keys.map(\.box) + words.filter { $0.text.filter { $0.isLetter || $0.isNumber }.count >= 2 }.map(\.box)
        let loose = try base.readRegions(image, ControlFinder.looseGlyphs(in: image, covered: covered))
        words.removeAll { word in loose.contains { $0.box.intersection(word.box) != nil } }
        return TextReading(words: words + keys + loose, seconds: Date().timeIntervalSince(start))
    }
}
