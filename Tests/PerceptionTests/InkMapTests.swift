import Imaging
import Perception
import Testing

/// The ink map's line between a surface (what text sits on) and a glyph (what is read), on
/// shapes drawn here so every pixel's truth is known.
@Suite("Ink map")
struct InkMapTests {
    static let page = RGB(0xa9, 0xb9, 0x8a)
    static let ink = RGB(0x1f, 0x2a, 0x17)

    /// Marks the pixels of `shape` in a fresh frame and returns them with it.
    static func draw(_ size: Int, on fill: RGB = page, _ shape: (Int, Int) -> Bool) -> (Image, [Int]) {
        var image = Image(width: size, height: size, fill: fill)
        var marked: [Int] = []
        for y in 0..<size {
            for x in 0..<size where shape(x, y) {
                image[x, y] = ink
                marked.append(y * size + x)
            }
        }
        return (image, marked)
    }

    /// A `fill`-coloured shape (`where`) on a white page with white glyph pixels (`glyph`) set
    /// on it; returns the frame, the glyph pixels and the fill pixels `sampled` (away from
    /// edges, where anti-aliasing would blur what the truth is).
    static func surface(
        _ width: Int, _ height: Int, fill: RGB, where shape: (Int, Int) -> Bool, glyph: (Int, Int) -> Bool, sampled: (Int, Int) -> Bool
    ) -> (image: Image, glyphs: [Int], fill: [Int]) {
        let white = RGB(255, 255, 255)
        var image = Image(width: width, height: height, fill: white)
        var glyphs: [Int] = [], filled: [Int] = []
        for y in 0..<height {
            for x in 0..<width where shape(x, y) {
                let isGlyph = glyph(x, y)
                image[x, y] = isGlyph ? white : fill
                if isGlyph { glyphs.append(y * width + x) } else if sampled(x, y) { filled.append(y * width + x) }
            }
        }
        return (image, glyphs, filled)
    }

    /// Distance from (x, y) to the point (c, c).
    static func distance(_ x: Int, _ y: Int, from c: Double) -> Double {
        ((Double(x) - c) * (Double(x) - c) + (Double(y) - c) * (Double(y) - c)).squareRoot()
    }

    static func inkShare(_ map: InkMap, _ pixels: [Int]) -> Double {
        Double(pixels.filter { map.grey[$0] < 128 }.count) / Double(max(1, pixels.count))
    }

    /// Display-size bold glyphs: where two strokes 4-9 px wide cross ("+", "#"; "x" up to 7),
    /// the crossing is deep along both axes. It once made the whole glyph a surface of its own
    /// colour, and a calculator's "3+4" read as "3" and a fragment. (A diagonal stroke 8 px wide
    /// is as deep as a banner's diagonal stripe, which must stay a surface: bigger diagonal
    /// glyphs are a known limit.)
    @Test("a bold crossing is ink, not a surface", arguments: 4...9)
    func boldCrossingsAreInk(stroke: Int) {
        let half = Double(stroke) / 2
        let shapes: [String: (Int, Int) -> Bool] = [
            "+": { x, y in (abs(Double(x) - 40) < half && y >= 15 && y < 65) || (abs(Double(y) - 40) < half && x >= 15 && x < 65) },
            "x": { x, y in
                x >= 18 && x < 62 && y >= 18 && y < 62 && (abs(Double(x - y)) < half * 1.41 || abs(Double(x + y - 80)) < half * 1.41)
            },
            "#": { x, y in
                let inBox = x >= 12 && x < 68 && y >= 12 && y < 68
                return inBox && [28.0, 52.0].contains { abs(Double(x) - $0) < half || abs(Double(y) - $0) < half }
            },
        ]
        for (name, shape) in shapes where name != "x" || stroke <= 7 {
            let (image, glyph) = Self.draw(80, shape)
            let map = InkMap(image)
            #expect(Self.inkShare(map, glyph) >= 0.9, "\"\(name)\" with \(stroke) px strokes: \(Self.inkShare(map, glyph)) of it is ink")
        }
    }

    /// Display-size bold type: a "C" whose stroke swells to 12 px (a 56 px bold serif) has a
    /// long core of its own, as a banner's stripe does, but the page wraps all around it: it is
    /// ink. So is an "O" of the same weight, whose counter is a region of its own inside it, and
    /// a "+" whose crossing is as deep as a small panel along both axes.
    @Test("a thick-stroked glyph on the page is ink", arguments: [10, 12, 14, 16])
    func thickStrokedGlyphsAreInk(stroke: Int) {
        let r = 30.0, t = Double(stroke)
        let shapes: [String: (Int, Int) -> Bool] = [
            "C": { x, y in
                let d = Self.distance(x, y, from: 50)
                return d <= r && d > r - t && !(x > 60 && abs(y - 50) < 14)
            },
            "O": { x, y in
                let d = Self.distance(x, y, from: 50)
                return d <= r && d > r - t
            },
            // Crossing strokes this wide are deep along both axes where they meet.
            "+": { x, y in (abs(Double(x) - 50) < t / 2 && y >= 15 && y < 85) || (abs(Double(y) - 50) < t / 2 && x >= 15 && x < 85) },
        ]
        for (name, shape) in shapes {
            let (image, glyph) = Self.draw(100, shape)
            let map = InkMap(image)
            #expect(Self.inkShare(map, glyph) >= 0.9, "\"\(name)\" with \(stroke) px strokes: \(Self.inkShare(map, glyph)) of it is ink")
        }
    }

    /// A thin-cored region with text on it is what the text sits on, even when the page wraps
    /// it and its holes show the page: a ring 14 px thick (no button by its shape, no deep
    /// core) with four glyph-like bars in the page's white set on it.
    @Test func aThinRingWithTextStaysASurface() {
        let (image, glyphs, fill) = Self.surface(
            120, 120, fill: RGB(0x1d, 0x35, 0x57),
            where: { x, y in
                let d = Self.distance(x, y, from: 60)
                return d > 36 && d <= 50
            },
            // Bars 3 px wide and 8 tall across the top of the ring.
            glyph: { x, y in y >= 14 && y < 22 && x >= 44 && x < 76 && (x - 44) % 8 < 3 },
            sampled: { x, y in
                let d = Self.distance(x, y, from: 60)
                return d > 38 && d < 48 && !(y >= 13 && y < 27 && x >= 41 && x < 79)
            })
        let map = InkMap(image)
        #expect(Self.inkShare(map, fill) < 0.05, "the ring's fill is drawn as ink")
        #expect(Self.inkShare(map, glyphs) >= 0.9, "the glyphs on the ring are not ink")
    }

    /// What text sits on stays a surface: a square icon tile (not wider than tall, so not a
    /// button by its shape) with a small glyph is read against its own fill, so the fill is
    /// white and the glyph ink.
    @Test func fillsWithTextOnThemStaySurfaces() {
        let (image, glyph, fill) = Self.surface(
            120, 80, fill: RGB(0x1d, 0x35, 0x57),
            where: { x, y in (10..<46).contains(x) && (20..<56).contains(y) },
            // A "1" 3 px wide on the tile.
            glyph: { x, y in x >= 27 && x < 30 && y >= 30 && y < 46 },
            sampled: { x, y in x > 11 && x < 44 && y > 21 && y < 54 })
        let map = InkMap(image)
        #expect(Self.inkShare(map, fill) == 0, "the tile's fill is drawn as ink")
        #expect(Self.inkShare(map, glyph) >= 0.9, "the glyph on the tile is not ink")
    }

    /// A banner of diagonal stripes 10 px wide (a CSS repeating gradient): each stripe is as
    /// thin as a bold stroke, but long, and text sits on it. Requiring depth along the diagonals
    /// once turned every stripe into ink and lost the banner's heading.
    @Test func diagonalStripesStaySurfaces() {
        let colours = [RGB(0xcb, 0xbb, 0x37), RGB(0x32, 0x58, 0xb6), RGB(0x79, 0x58, 0xf0)]
        var image = Image(width: 200, height: 80)
        for y in 0..<80 {
            for x in 0..<200 { image[x, y] = colours[((x + y) / 14) % 3] }
        }
        let map = InkMap(image)
        // Inside the banner: the stripes cut off at its corners are specks of their own.
        let inner = (15..<65).flatMap { y in (15..<185).map { y * 200 + $0 } }
        let inked = inner.filter { map.grey[$0] < 128 }.count
        #expect(inked == 0, "\(inked) of \(inner.count) pixels inside a plain striped banner are ink")
    }
}
