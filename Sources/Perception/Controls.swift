import Imaging

/// Kinds of text-less controls that scripts can point at.
public enum ControlKind: String, Sendable, Codable, CaseIterable {
    case checkbox
}

/// Finds controls that carry no text of their own, by their shape in the image.
///
/// A checkbox is a small square outline (or a filled square when ticked) that no OCR word
/// covers. Shapes are found as connected components of edge pixels (strong local contrast), so
/// row backgrounds, card shadows and colour themes do not matter, only the square's outline.
public enum ControlFinder {
    /// Candidate checkboxes inside `region`, as boxes in image coordinates.
    public static func checkboxes(in image: Image, region: Rect, excluding words: [Word]) -> [Rect] {
        guard let area = region.intersection(image.bounds) else { return [] }
        let w = area.width, h = area.height
        let edge = edges(image.cropped(to: area).luma(), width: w, height: h, threshold: 28)
        // Connected components of edge pixels, with how much of each lies along its box's rim:
        // a checkbox is an outline (ticked: an outline with a separate tick inside), a glyph of
        // the same size is strokes across its box.
        let squares = rings(width: w, height: h, ink: { edge[$0] }).compactMap { box, _, rimShare -> Rect? in
            let side = max(box.width, box.height)
            guard (10...40).contains(box.width), (10...40).contains(box.height), abs(box.width - box.height) <= max(2, side / 5),
                rimShare >= 0.75
            else { return nil }
            return Rect(x: area.x + box.x, y: area.y + box.y, width: box.width, height: box.height)
        }
        // A tick mark inside a ticked box is its own component: keep only outermost boxes.
        let outermost = squares.filter { box in
            !squares.contains { other in other != box && other.area > box.area && other.intersection(box) == box }
        }
        // OCR often reads a checkbox itself as a glyph ("{|", "O"), or its edge as a word one
        // pixel tall ("LJ"): only real words, of text height, mask a shape.
        let textWords = words.filter { $0.text.filter { $0.isLetter || $0.isNumber }.count >= 2 && $0.box.height >= 5 }
        return outermost.filter { box in
            !textWords.contains { word in
                guard let overlap = word.box.intersection(box) else { return false }
                return overlap.area * 2 > min(box.area, word.box.area)
            }
        }
    }

    /// A box that holds a label tesseract misses when reading the whole page.
    public struct LabelBox: Sendable, Equatable {
        /// Where to read: inside the box's border.
        public var inner: Rect
        /// The box is darker than its label (light text on a filled button).
        public var lightText: Bool
    }

    /// Buttons, badges, header bars and fields whose labels a whole-page pass misses:
    /// filled boxes darker than the page (light labels on them), and outlined boxes (pills,
    /// bordered buttons, inputs) whose border tesseract takes for part of the text.
    /// `luma` is one byte per pixel with the page already made light.
    public static func labelBoxes(luma: [UInt8], width: Int, height: Int) -> [LabelBox] {
        var histogram = [Int](repeating: 0, count: 256)
        for v in luma { histogram[Int(v)] += 1 }
        let page = histogram.indices.max { histogram[$0] < histogram[$1] } ?? 255
        func labelSized(_ box: Rect) -> Bool { box.width >= 16 && box.height >= 14 && box.height <= 160 }
        var boxes: [LabelBox] = []

        // Filled: regions of near-uniform grey clearly darker than the page, filling most of
        // their box (light text inside leaves holes; glyphs fill much less).
        for (box, count) in components(
            width: width, height: height, seeds: { luma[$0] < 170 && page - Int(luma[$0]) > 30 },
            joins: { a, b in abs(Int(luma[a]) - Int(luma[b])) <= 10 })
        where labelSized(box) && Double(count) / Double(box.area) >= 0.5 {
            boxes.append(LabelBox(inner: box.insetBy(2), lightText: true))
        }
        // Outlined: connected dark strokes that lie almost all along their bounding box's edge.
        let ink = { (p: Int) in page - Int(luma[p]) > 40 }
        for (box, _, edgeShare) in rings(width: width, height: height, ink: ink)
        where labelSized(box) && box.width >= 24 && edgeShare >= 0.9 {
            boxes.append(LabelBox(inner: box.insetBy(3), lightText: false))
        }
        return boxes.filter { $0.inner.width > 4 && $0.inner.height > 4 }
    }

    /// Connected regions (4-neighbour) grown from pixels where `seeds` holds, through
    /// neighbours that `joins` the pixel they are reached from; each with its box and size.
    static func components(width: Int, height: Int, seeds: (Int) -> Bool, joins: (Int, Int) -> Bool) -> [(Rect, Int)] {
        var seen = [Bool](repeating: false, count: width * height)
        var found: [(Rect, Int)] = []
        var stack: [Int] = []
        for start in 0..<(width * height) where !seen[start] && seeds(start) {
            seen[start] = true
            stack.append(start)
            var minX = width, minY = height, maxX = 0, maxY = 0, count = 0
            while let p = stack.popLast() {
                count += 1
                let px = p % width, py = p / width
                minX = min(minX, px); maxX = max(maxX, px); minY = min(minY, py); maxY = max(maxY, py)
                for q in [px > 0 ? p - 1 : -1, px + 1 < width ? p + 1 : -1, py > 0 ? p - width : -1, py + 1 < height ? p + width : -1]
                where q >= 0 && !seen[q] && joins(start, q) {
                    seen[q] = true
                    stack.append(q)
                }
            }
            found.append((Rect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1), count))
        }
        return found
    }

    /// Connected ink (8-neighbour) with the share of its pixels near its box's edge.
    static func rings(width: Int, height: Int, minimumSide: Int = 10, ink: (Int) -> Bool) -> [(Rect, Int, Double)] {
        inkComponents(width: width, height: height, ink: ink).compactMap { box, members in
            guard box.width >= minimumSide, box.height >= minimumSide else { return nil }
            // Rounded corners (pills) stray from the box edge by about 0.3 of their radius.
            let band = max(2, min(box.width, box.height) / 6)
            let onEdge = members.filter { p in
                let x = p % width, y = p / width
                return x - box.x < band || box.maxX - 1 - x < band || y - box.y < band || box.maxY - 1 - y < band
            }.count
            return (box, members.count, Double(onEdge) / Double(members.count))
        }
    }

    /// Connected components (8-neighbour, or 4 without `diagonal`) of the pixels where `ink`
    /// holds: each with its box and its pixel indices.
    static func inkComponents(width: Int, height: Int, diagonal: Bool = true, ink: (Int) -> Bool) -> [(box: Rect, members: [Int])] {
        var seen = [Bool](repeating: false, count: width * height)
        var found: [(box: Rect, members: [Int])] = []
        var stack: [Int] = []
        for start in 0..<(width * height) where !seen[start] && ink(start) {
            seen[start] = true
            stack.append(start)
            var members: [Int] = []
            var minX = width, minY = height, maxX = 0, maxY = 0
            while let p = stack.popLast() {
                members.append(p)
                let px = p % width, py = p / width
                minX = min(minX, px); maxX = max(maxX, px); minY = min(minY, py); maxY = max(maxY, py)
                for dy in -1...1 {
                    for dx in -1...1 where diagonal || dx == 0 || dy == 0 {
                        let nx = px + dx, ny = py + dy
                        guard nx >= 0, ny >= 0, nx < width, ny < height else { continue }
                        let q = ny * width + nx
                        if !seen[q] && ink(q) {
                            seen[q] = true
                            stack.append(q)
                        }
                    }
                }
            }
            found.append((Rect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1), members))
        }
        return found
    }

    /// Edge map: where a pixel differs from its right or lower neighbour by more than `threshold`.
    static func edges(_ luma: [UInt8], width: Int, height: Int, threshold: Int) -> [Bool] {
        var edge = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let v = Int(luma[y * width + x])
                let right = x + 1 < width ? Int(luma[y * width + x + 1]) : v
                let down = y + 1 < height ? Int(luma[(y + 1) * width + x]) : v
                if abs(v - right) > threshold || abs(v - down) > threshold { edge[y * width + x] = true }
            }
        }
        return edge
    }

    /// Clusters of glyph-sized ink outside `covered`: text the page pass did not find (a lone
    /// "0" in a calculator's display, a digit on a dark panel). Ink is where the picture has
    /// edges, so light-on-dark and dark-on-light count alike; glyphs of like height closer than
    /// their own height on one line are clustered into one word-like box, and thin tall ink
    /// (the side of a frame) is no glyph.
    public static func looseGlyphs(in image: Image, covered: [Rect]) -> [Rect] {
        let w = image.width, h = image.height
        guard w > 0, h > 0 else { return [] }
        let edge = edges(image.luma(), width: w, height: h, threshold: 40)
        func glyphSized(_ box: Rect) -> Bool {
            // A minus or the bars of an equals sign are flat.
            if (1...5).contains(box.height), (4...40).contains(box.width) { return true }
            guard (6...90).contains(box.height), (3...90).contains(box.width) else { return false }
            return box.width <= box.height * 2 && box.height <= box.width * 6
        }
        var glyphs = inkComponents(width: w, height: h, ink: { edge[$0] }).map(\.box).filter { box in
            glyphSized(box) && !covered.contains { $0.contains(box.center) }
        }
        glyphs.sort { ($0.x, $0.y) < ($1.x, $1.y) }
        var clusters: [Rect] = []
        for glyph in glyphs {
            if let i = clusters.firstIndex(where: { c in
                let overlap = min(c.maxY, glyph.maxY) - max(c.y, glyph.y)
                let gap = glyph.x - c.maxX
                let similar = max(c.height, glyph.height) * 2 <= min(c.height, glyph.height) * 3
                return similar && overlap > min(c.height, glyph.height) / 2 && gap < max(c.height, glyph.height) && gap > -c.width
            }) {
                clusters[i] = clusters[i].union(glyph)
            } else {
                clusters.append(glyph)
            }
        }
        // Stacked bars (an equals sign) are one glyph.
        var merged: [Rect] = []
        for cluster in clusters.sorted(by: { ($0.y, $0.x) < ($1.y, $1.x) }) {
            if cluster.height <= 5, let i = merged.firstIndex(where: { m in
                let overlap = min(m.maxX, cluster.maxX) - max(m.x, cluster.x)
                return m.height <= 5 && overlap * 10 >= min(m.width, cluster.width) * 6 && cluster.y - m.maxY <= max(6, m.width / 2)
            }) {
                merged[i] = merged[i].union(cluster)
            } else {
                merged.append(cluster)
            }
        }
        clusters = merged
        // A glyph is taller than a speck and not a lone line of a border; smaller ink may be an
        // operator, which the reader accepts only by its shape.
        return clusters.filter { ($0.height >= 10 && $0.area >= 60) || ($0.height >= 2 && $0.width >= 4 && max($0.width, $0.height) >= 5) }
    }

    /// Button-like regions in `region`: closed rectangular outlines (raised or sunken relief,
    /// flat borders, the edge of a filled key) of button size. This is how a grid of one-character
    /// keys (a calculator) is found: tesseract's page layout finds no text there at all.
    public static func buttons(in image: Image, region: Rect? = nil) -> [Rect] {
        guard let area = (region ?? image.bounds).intersection(image.bounds) else { return [] }
        let w = area.width, h = area.height
        let luma = image.cropped(to: area).luma()
        func keySized(_ box: Rect) -> Bool {
            // Up to a window-wide one-line box: a calculator's display is read like a key. Keys
            // may span rows (a numpad's tall + and =) but stay narrower than 3 of their heights.
            guard (18...720).contains(box.width), box.height >= 18 else { return false }
            return box.height <= 120 || (box.height <= h * 3 / 4 && box.width <= box.height)
        }
        // A key is an outline (its relief, border or the edge of its fill) ...
        let edge = edges(luma, width: w, height: h, threshold: 24)
        // A big "0" or "O" is a ring too: just inside it is ink, and its middle is the
        // background outside it again. A key's inside is its own fill, or the window's.
        func medianLuma(_ points: [(Int, Int)]) -> Int {
            let values = points.filter { $0.0 >= 0 && $0.1 >= 0 && $0.0 < w && $0.1 < h }.map { Int(luma[$0.1 * w + $0.0]) }.sorted()
            return values.isEmpty ? 0 : values[values.count / 2]
        }
        func perimeter(_ r: Rect) -> [(Int, Int)] {
            (r.x..<r.maxX).flatMap { [($0, r.y), ($0, r.maxY - 1)] } + (r.y..<r.maxY).flatMap { [(r.x, $0), (r.maxX - 1, $0)] }
        }
        func roundGlyph(_ box: Rect) -> Bool {
            let d = max(2, min(box.width, box.height) / 10), m = min(box.width, box.height) / 3
            let outside = medianLuma(perimeter(box.insetBy(-1)))
            let band = medianLuma(perimeter(box.insetBy(d)))
            let middle = box.insetBy(m)
            guard middle.width > 0, middle.height > 0 else { return false }
            let centre = medianLuma((middle.y..<middle.maxY).flatMap { y in (middle.x..<middle.maxX).map { ($0, y) } })
            return abs(band - outside) > 60 && abs(centre - outside) < 30
        }
        let outlines = rings(width: w, height: h, minimumSide: 18, ink: { edge[$0] }).compactMap { box, _, rimShare in
            keySized(box) && rimShare >= 0.8 && !roundGlyph(box) ? box : nil
        }
        // ... or a fill closed by faint edges (grey keys on a grey window, keys whose outlines
        // touch their neighbours'): a 4-connected area without edges that nearly fills its box,
        // away from the window's border.
        let faint = edges(luma, width: w, height: h, threshold: 10)
        let fills = inkComponents(width: w, height: h, diagonal: false, ink: { !faint[$0] }).compactMap { box, members -> Rect? in
            guard box.x > 0, box.y > 0, box.maxX < w, box.maxY < h, Double(members.count) >= 0.75 * Double(box.area) else { return nil }
            let key = box.insetBy(-1)
            return keySized(key) ? key : nil
        }
        // The same key found both ways counts once.
        var found: [Rect] = []
        for box in (outlines + fills).sorted(by: { $0.area > $1.area }) {
            let same = found.contains { kept in
                guard let overlap = kept.intersection(box) else { return false }
                return Double(overlap.area) >= 0.6 * Double(kept.area + box.area - overlap.area)
            }
            if !same { found.append(box) }
        }
        found = found.map { Rect(x: area.x + $0.x, y: area.y + $0.y, width: $0.width, height: $0.height) }
        func inside(_ inner: Rect, _ outer: Rect) -> Bool { inner != outer && outer.area > inner.area && outer.intersection(inner) == inner }
        // An outline around keys that fill much of it frames a group (a row of touching keys, a
        // keypad's frame): it is no key itself. The outlines of a label's glyphs ("8", "AC")
        // are small beside their key.
        func isGroup(_ box: Rect) -> Bool {
            let children = found.filter { inside($0, box) && $0.area * 2 < box.area && $0.area * 40 >= box.area }
            var disjoint: [Rect] = []
            for child in children.sorted(by: { $0.area > $1.area }) where !disjoint.contains(where: { $0.intersection(child) != nil }) {
                disjoint.append(child)
            }
            return disjoint.count >= 2 && disjoint.reduce(0) { $0 + $1.area } * 10 >= box.area * 3
        }
        let groups = Set(found.filter(isGroup))
        return found.filter { box in
            if groups.contains(box) { return false }
            // A key drawn with two nested outlines (a focus ring, a bevel) counts once: the outer one.
            return !found.contains { outer in inside(box, outer) && !groups.contains(outer) }
        }
    }
}
