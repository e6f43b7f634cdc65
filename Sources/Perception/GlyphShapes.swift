import Imaging

/// Recognises the operator glyphs of calculator-like keys by their geometry: `-`, `=`, `+`,
/// `/`, `*`, `×`, `÷`, `(`, `)` and `.`. Tesseract's models read these poorly in isolation
/// ("=" as a dash, "*" as "oe"); their shapes are simple enough to decide exactly. Anything
/// else is nil, and the caller falls back to OCR.
public enum GlyphShapes {
    /// `ink` marks the glyph's dark pixels in a `width` x `height` picture.
    public static func classify(ink: [Bool], width: Int, height: Int) -> Character? {
        classify(ink: ink, width: width, height: height, parts: components(ink, width: width, height: height))
    }

    /// Whether the ink closes a region of background in `box` (the bowl of a 9, 6, 8 or 0):
    /// operator glyphs are open strokes.
    static func enclosesBackground(_ ink: [Bool], width: Int, box: Rect) -> Bool {
        var reached = [Bool](repeating: false, count: box.area)
        var stack: [(Int, Int)] = []
        for x in 0..<box.width { stack += [(x, 0), (x, box.height - 1)] }
        for y in 0..<box.height { stack += [(0, y), (box.width - 1, y)] }
        while let (x, y) = stack.popLast() {
            guard x >= 0, y >= 0, x < box.width, y < box.height, !reached[y * box.width + x],
                !ink[(box.y + y) * width + box.x + x]
            else { continue }
            reached[y * box.width + x] = true
            stack += [(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)]
        }
        for y in 0..<box.height {
            for x in 0..<box.width where !reached[y * box.width + x] && !ink[(box.y + y) * width + box.x + x] { return true }
        }
        return false
    }

    /// Whether most of the ink (`count` pixels in `box`) has ink at its mirror image across the
    /// box's vertical axis, within a pixel: +, * and × are symmetric, and the digits that could
    /// pass for them are not (a bold serif "3" has a full-height spine and arms in every corner).
    static func mirrorSymmetric(_ ink: [Bool], width: Int, box: Rect, count: Int) -> Bool {
        let mirrored = (box.y..<box.maxY).reduce(0) { sum, y in
            sum + (box.x..<box.maxX).filter { x in
                let m = box.x + box.maxX - 1 - x
                return ink[y * width + x] && (max(box.x, m - 1)...min(box.maxX - 1, m + 1)).contains { ink[y * width + $0] }
            }.count
        }
        return mirrored * 10 >= count * 8
    }

    /// The same, for a caller that already has the ink's connected components.
    static func classify(ink: [Bool], width: Int, height: Int, parts all: [Part]) -> Character? {
        let parts = all.filter { $0.count >= 3 }
        guard !parts.isEmpty, parts.count <= 3 else { return nil }
        func isBar(_ p: Part) -> Bool { p.box.width * 5 >= p.box.height * 8 && Double(p.count) / Double(p.box.area) > 0.6 }
        if parts.count == 2 {
            let (a, b) = (parts[0], parts[1])
            let stacked = a.box.maxY <= b.box.y || b.box.maxY <= a.box.y
            if isBar(a), isBar(b), stacked, abs(a.box.width - b.box.width) <= max(2, a.box.width / 5) { return "=" }
            return nil
        }
        if parts.count == 3 {
            let sorted = parts.sorted { $0.box.y < $1.box.y }
            let (top, bar, bottom) = (sorted[0], sorted[1], sorted[2])
            if isBar(bar), top.box.width < bar.box.width / 2, bottom.box.width < bar.box.width / 2,
                top.box.maxY <= bar.box.y, bar.box.maxY <= bottom.box.y
            {
                return "÷"
            }
            return nil
        }
        let p = parts[0], box = p.box
        if isBar(p) { return "-" }
        // A dot: one small solid blob, alone in its key.
        if box.width <= max(6, width / 8), box.height <= max(6, height / 5), abs(box.width - box.height) <= 2,
            Double(p.count) / Double(box.area) > 0.6
        {
            return "."
        }
        // Share of each row / column of the box that is ink, through the middle.
        func row(_ y: Int) -> Double { Double((box.x..<box.maxX).filter { ink[y * width + $0] }.count) / Double(box.width) }
        func column(_ x: Int) -> Double { Double((box.y..<box.maxY).filter { ink[$0 * width + x] }.count) / Double(box.height) }
        let fill = Double(p.count) / Double(box.area)
        let square = box.width * 10 >= box.height * 7 && box.height * 10 >= box.width * 7
        let midRow = max(row(box.midY), row(box.midY - 1), row(box.midY + 1))
        let midColumn = max(column(box.midX), column(box.midX - 1), column(box.midX + 1))
        let centre = ink[box.midY * width + box.midX]
        let corner = max(2, box.width / 3)
        let corners = [(box.x, box.y), (box.maxX - corner, box.y), (box.x, box.maxY - corner), (box.maxX - corner, box.maxY - corner)]
            .filter { cx, cy in (cy..<cy + corner).contains { y in (cx..<cx + corner).contains { ink[y * width + $0] } } }.count
        // Digits have full-width bars at their top or bottom (1, 2, 7); operators do not.
        let openEnds = row(box.y) < 0.7 && row(box.maxY - 1) < 0.7
        // Small asterisks are dense: their arms run together into a blot at 16 px.
        if square && fill < (box.height <= 12 ? 0.65 : 0.5) && centre && openEnds && !enclosesBackground(ink, width: width, box: box)
            && mirrorSymmetric(ink, width: width, box: box, count: p.count)
        {
            // A plus is two full bars with empty corners; an asterisk (five or six arms) and a
            // multiplication cross reach into the corners.
            if midRow >= 0.8 && midColumn >= 0.8 && corners < 2 && fill < 0.5 { return "+" }
            if (midRow >= 0.8 || midColumn >= 0.8) && corners >= 3 { return "*" }
            if midRow < 0.5 && midColumn < 0.5 && corners >= 3 && fill < 0.5 { return "×" }
        }
        // A parenthesis: a tall thin stroke whose middle bulges to one side of its ends.
        if box.height >= box.width * 2, box.height >= 8 {
            var centres: [Double] = []
            var thin = true
            for y in box.y..<box.maxY {
                let xs = (box.x..<box.maxX).filter { ink[y * width + $0] }
                guard !xs.isEmpty else { continue }
                if xs.count > max(3, box.width * 3 / 5) { thin = false }
                centres.append(Double(xs.reduce(0, +)) / Double(xs.count))
            }
            if thin, centres.count >= box.height * 3 / 4 {
                let ends = (centres.first! + centres.last!) / 2, middle = centres[centres.count / 2]
                let bulge = Double(box.width) * 0.3
                if ends - middle >= bulge { return "(" }
                if middle - ends >= bulge { return ")" }
            }
        }
        // A slash: a thin stroke in every row, moving steadily from one side to the other.
        if box.height >= box.width {
            var centres: [Double] = []
            var thin = true
            for y in box.y..<box.maxY {
                let xs = (box.x..<box.maxX).filter { ink[y * width + $0] }
                guard !xs.isEmpty else { continue }
                if xs.count > max(3, box.width * 2 / 5) { thin = false }
                centres.append(Double(xs.reduce(0, +)) / Double(xs.count))
            }
            if thin, centres.count >= box.height * 3 / 4, let first = centres.first, let last = centres.last,
                first - last >= Double(box.width) * 0.5
            {
                return "/"
            }
        }
        return nil
    }

    struct Part {
        var box: Rect
        var count: Int
    }

    static func components(_ ink: [Bool], width: Int, height: Int) -> [Part] {
        ControlFinder.inkComponents(width: width, height: height, ink: { ink[$0] }).map { Part(box: $0.box, count: $0.members.count) }
    }
}
