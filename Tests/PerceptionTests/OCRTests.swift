import Foundation
import Imaging
import Perception
import TestSupport
import Testing

/// Real frames of five differently styled todo apps (light, dark, cards with filled buttons,
/// table with a coloured header, numbered list with outlined pills), each with two tasks,
/// read by the real tesseract engine.
@Suite("OCR on real app frames", .serialized)
struct OCRTests {
    static let engine = try! TesseractOCR()
    static let styles = ["reference", "dark", "cards", "table", "ol"]

    static func frame(_ style: String) throws -> Image {
        try PNG.decode(Array(try Data(contentsOf: Repo.fixture("frames/todo-\(style)-two-rows.png"))))
    }

    @Test("every label is read, whatever the style", arguments: styles)
    func readsEveryLabel(style: String) throws {
        let reading = try Self.engine.read(try Self.frame(style))
        for phrase in ["Todo List", "Add", "Buy milk", "Walk dog", "Remaining: 2", "Clear done"] {
            #expect(TextSearch.first(phrase, in: reading) != nil, "\(style): \"\(phrase)\" not read in \(reading.text)")
        }
        #expect(TextSearch.find("Delete", in: reading).count == 2, "\(style): \(reading.text)")
        #expect(TextSearch.first("Remaining: 1", in: reading) == nil)
    }

    /// A Chromium frame of bold headings (34 px bold, 26 px bold, 28 px semibold) and a dark
    /// button: each bold glyph is a dark blob like a filled button, and reading it inverted
    /// once added words that are not there ("Alex Morgan Vi").
    @Test func boldHeadingsGetNoPhantomWords() throws {
        let image = try PNG.decode(Array(try Data(contentsOf: Repo.fixture("frames/bold-headings.png"))))
        let reading = try Self.engine.read(image)
        #expect(reading.lines.map(\.text) == ["Alex Morgan", "My story", "Selected Projects", "Get started"], "\(reading.text)")
    }

    /// A desk calculator's display: dark bold monospace, 44 and 60 px, on olive green. Where the
    /// strokes of "+" and "4" cross, the glyphs once counted as surfaces and vanished, and the
    /// rest read with phantom words beside it ("3+4 /", "42+8 e 2.").
    @Test func displaySizeBoldSumsReadWhole() throws {
        let image = try PNG.decode(Array(try Data(contentsOf: Repo.fixture("frames/display-bold-sums.png"))))
        let reading = try Self.engine.read(image)
        #expect(reading.lines.map(\.text) == ["3+4", "42+8"], "\(reading.text)")
    }

    @Test("the Delete of a row and its checkbox are found", arguments: styles)
    func rowsAndCheckboxes(style: String) throws {
        let image = try Self.frame(style)
        let reading = try Self.engine.read(image)
        let milk = try #require(TextSearch.first("Buy milk", in: reading))
        let dog = try #require(TextSearch.first("Walk dog", in: reading))
        let milkDelete = try #require(TextSearch.find("Delete", inRowOf: milk.box, in: reading).first)
        let dogDelete = try #require(TextSearch.find("Delete", inRowOf: dog.box, in: reading).first)
        #expect(milkDelete.box != dogDelete.box)
        #expect(abs(milkDelete.box.midY - milk.box.midY) < abs(dogDelete.box.midY - milk.box.midY))
        let band = Rect(x: 0, y: milk.box.midY - 24, width: image.width, height: 48)
        let boxes = ControlFinder.checkboxes(in: image, region: band, excluding: reading.words)
        #expect(boxes.count == 1, "\(style): \(boxes)")
        if let box = boxes.first { #expect(abs(box.midY - milk.box.midY) <= 6) }
    }

    @Test func upscalingReadsMoreThanNativeSize() throws {
        // What BENCHMARKS.md measures at scale: the default reads at least as much as 1x.
        let image = try Self.frame("table")
        let native = try TesseractOCR(scale: 1).read(image)
        let scaled = try Self.engine.read(image)
        #expect(scaled.words.count >= native.words.count - 1)
    }
}

/// A tkinter calculator on a private display without a window manager: a grid of one-character
/// keys that whole-page OCR does not read at all.
@Suite("Button labels")
struct ButtonLabelTests {
    /// Tk windows read as the judge reads a desktop app (page, keys, loose glyphs): headings in
    /// 56 px bold serif, whose thick strokes once counted as surfaces and whose closed "e" as a
    /// key, and key grids whose labels were misread (a bold serif "3" as "*" by its shape, a
    /// 16 px "*" as "H", ttk's classic bevel inside each key making "1" a "2" and "C" an "i").
    @Test(
        "desktop frames read line for line",
        arguments: [
            ("story-title-bold-serif", ["Choice Story", "A short adventure with three endings", "Start"]),
            ("story-end-bold-serif", ["The End", "Ending: The Open Sea", "Play again", "Choices made: 2"]),
            ("keys-serif-bold", ["6", "7 8 9 C /", "4 5 6 * -", "1 2 3 0 +", "="]),
            ("keys-small-asterisk", ["6", "/ 7 8 9", "* 4 5 6", "- 1 2 3", "+ C 0 ="]),
            ("keys-classic-bevel", ["0", "/ 7 8 9", "* 4 5 6", "- 1 2 3", "+ C 0 ="]),
        ])
    func desktopFramesRead(frame: String, lines: [String]) throws {
        let image = try PNG.decode(Array(try Data(contentsOf: Repo.fixture("frames/\(frame).png"))))
        let reading = try ButtonAwareOCR(TesseractOCR()).read(image)
        #expect(reading.lines.map(\.text) == lines, "\(reading.text)")
    }

    @Test func readsEveryKeyOfACalculator() throws {
        let image = try PNG.decode(Array(try Data(contentsOf: Repo.fixture("frames/calculator-tk.png"))))
        let window = Rect(x: 0, y: 0, width: 336, height: 255)
        let engine = try TesseractOCR()
        let keys = try engine.readButtons(image, in: window)
        let labels = Set(keys.map(\.text))
        for key in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "+", "-", "*", "/", "=", "C"] {
            #expect(labels.contains(key), "key \(key) not read; read \(keys.map { "\($0.text)@\($0.box.x),\($0.box.y)" })")
        }
        // Each label's box is its key: "7" is top left, "+" bottom right.
        let seven = try #require(keys.first { $0.text == "7" })
        let plus = try #require(keys.first { $0.text == "+" })
        #expect(seven.box.contains(Point(x: 41, y: 80)))
        #expect(plus.box.contains(Point(x: 293, y: 230)))
    }
}
