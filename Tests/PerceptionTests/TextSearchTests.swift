import Imaging
import Testing

@testable import Perception

/// Words set side by side as text is, 8 px per character and one space between words.
func words(_ text: String) -> [(String, Int)] {
    var x = 10
    return text.split(separator: " ").map { word in
        defer { x += word.count * 8 + 8 }
        return (String(word), x)
    }
}

/// A reading made of words on given rows, for search tests that need no OCR engine.
func reading(_ rows: [[(String, Int)]], rowHeight: Int = 16) -> TextReading {
    var words: [Word] = []
    for (r, row) in rows.enumerated() {
        for (text, x) in row {
            words.append(Word(text: text, box: Rect(x: x, y: 20 + r * 40, width: text.count * 8, height: rowHeight), confidence: 90))
        }
    }
    return TextReading(words: words)
}

@Suite("Tolerant text search")
struct TextSearchTests {
    @Test(
        "tolerates what OCR does to words",
        arguments: [
            ("Remaining: 0", "Remaining:0"),
            ("Remaining: 0", "Remaining; O"),
            ("Remaining: 1", "Rernaining: 1"),
            ("Clear done", "Clear done"),
            ("Buy milk", "Buy rnilk"),
            ("Add", "| Add |"),
            ("Todo List", "TodoList"),
        ])
    func matches(wanted: String, observed: String) {
        #expect(!TextSearch.find(wanted, in: reading([words(observed)])).isEmpty, "\(wanted) vs \(observed)")
    }

    @Test(
        "never confuses numbers or different words",
        arguments: [
            ("Remaining: 0", "Remaining: 1"),
            ("Remaining: 1", "Remaining: 10"),
            ("Remaining: 2", "Remaining:"),
            ("Add", "Address"),
            ("Add", "Ad"),
            ("Buy milk", "Buy silk bag"),
            ("Walk dog", "Walk dig"),
        ])
    func rejects(wanted: String, observed: String) {
        #expect(TextSearch.find(wanted, in: reading([words(observed)])).isEmpty, "\(wanted) vs \(observed)")
    }

    @Test func countsEveryOccurrence() {
        let r = reading([[("Buy", 40), ("milk", 80), ("Delete", 400)], [("Walk", 40), ("dog", 80), ("Delete", 400)]])
        #expect(TextSearch.find("Delete", in: r).count == 2)
    }

    @Test("finds text in the row of other text, whatever the order in the row")
    func rowRelative() throws {
        let r = reading([[("Delete", 20), ("Buy", 200), ("milk", 240)], [("Walk", 200), ("dog", 240), ("Delete", 500)]])
        let anchor = try #require(TextSearch.first("Walk dog", in: r))
        let hit = try #require(TextSearch.find("Delete", inRowOf: anchor.box, in: r).first)
        #expect(hit.box.x == 500)
        let other = try #require(TextSearch.first("Buy milk", in: r))
        #expect(TextSearch.find("Delete", inRowOf: other.box, in: r).first?.box.x == 20)
    }

    @Test func linesSplitAtColumnGaps() {
        let r = reading([[("Remaining:", 20), ("0", 105), ("Clear", 400), ("done", 450)]])
        #expect(r.lines.map(\.text) == ["Remaining: 0", "Clear done"])
    }
}

@Suite("Symbol labels")
struct SymbolSearchTests {
    @Test func operatorsMatchExactly() {
        let r = reading([[("7", 10), ("+", 60), ("—", 110), ("=", 160), ("|*|", 210)]])
        #expect(TextSearch.find("+", in: r).map(\.box.x) == [60])
        #expect(TextSearch.find("-", in: r).map(\.box.x) == [110])
        #expect(TextSearch.find("=", in: r).map(\.box.x) == [160])
        #expect(TextSearch.find("*", in: r).map(\.box.x) == [210])
        #expect(TextSearch.find("/", in: r).isEmpty)
    }
}

/// Glyphs drawn on a grid: '#' is ink.
func glyph(_ rows: [String]) -> (ink: [Bool], width: Int, height: Int) {
    (rows.flatMap { $0.map { $0 == "#" } }, rows[0].count, rows.count)
}

@Suite("Operator glyphs")
struct GlyphShapeTests {
    static let shapes: [(String, [String], Character?)] = [
        ("minus", ["..........", ".########.", ".########.", ".........."], "-"),
        ("equals", ["..........", ".########.", ".########.", "..........", "..........", ".########.", ".########.", ".........."], "="),
        ("plus", ["....##....", "....##....", "....##....", "##########", "##########", "....##....", "....##....", "....##...."], "+"),
        (
            "slash",
            [".......##", "......##.", "......##.", ".....##..", "....##...", "...##....", "...##....", "..##.....", ".##......", "##......."], "/"
        ),
        ("asterisk", ["#...#...#", ".#..#..#.", "..#.#.#..", "...###...", "#########", "...###...", "..#.#.#..", ".#..#..#.", "#...#...#"], "*"),
        ("divide", ["...##...", "...##...", "........", "########", "########", "........", "...##...", "...##..."], "÷"),
        ("one", ["...##...", "..###...", ".####...", "...##...", "...##...", "...##...", "...##...", ".######."], nil),
        ("zero", [".####.", "##..##", "##..##", "##..##", "##..##", "##..##", ".####."], nil),
        ("seven", ["#######", ".....##", "....##.", "...##..", "..##...", "..##...", "..##..."], nil),
        // A 16 px asterisk, faint ink included: its arms run together into a dense blot.
        ("small asterisk", ["...##...", ".#.##.#.", ".######.", "..####..", ".######.", "##.##.##", "...##..."], "*"),
        // A 20 px bold serif "3" (from a Tk key): a spine through its middle column and ink in
        // every corner, like an asterisk, but not symmetric.
        (
            "bold serif three",
            [
                "..#######...", ".##...####..", ".#.....####.", ".......####.", ".......####.", "......####..", "....#####...",
                "......####..", ".......####.", ".......####.", "........####", "##......####", "##.....####.", "###...####..",
                "..#######...",
            ], nil
        ),
    ]

    @Test("operators are told from digits", arguments: shapes.indices)
    func classify(index: Int) {
        let (name, rows, expected) = Self.shapes[index]
        let g = glyph(rows)
        #expect(GlyphShapes.classify(ink: g.ink, width: g.width, height: g.height) == expected, "\(name)")
    }
}
