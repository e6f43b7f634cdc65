import Imaging

/// A frame turned into what OCR reads best: dark ink on white, everywhere, whatever the colours.
///
/// Apps draw text light on dark and dark on light, on coloured buttons, cards, bars and
/// gradients, often all in one frame, so no single threshold or inversion suits a whole frame.
/// Each pixel is measured instead against its own background: the surface it sits on. Surfaces
/// are regions of one colour (or a smooth gradient) thick enough that no glyph stroke could be
/// one, or box-shaped fills (a button, a pill); every other pixel takes the colour of the
/// nearest surface pixel, and how far it is from that colour is how dark it is drawn.
public struct InkMap: Sendable {
    public let width: Int
    public let height: Int
    /// One byte per pixel: 255 where the pixel is its surface's colour, 0 where it differs by a
    /// clear contrast (ink), in between for anti-aliased edges and faint marks.
    public var grey: [UInt8]

    /// Differences in luma up to this are drawn white (faint borders, shading, gradients).
    static let quiet = 22
    /// From `quiet` to `quiet + span` the ink darkens to black.
    static let span = 58

    public init(_ image: Image) {
        width = image.width
        height = image.height
        let n = width * height
        var luma = [UInt8](repeating: 0, count: n)
        var rgb = [UInt32](repeating: 0, count: n)
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<n {
                let r = Int(p[i * 4]), g = Int(p[i * 4 + 1]), b = Int(p[i * 4 + 2])
                luma[i] = UInt8((r * 299 + g * 587 + b * 114) / 1000)
                rgb[i] = UInt32(r << 16 | g << 8 | b)
            }
        }
        // 1. Regions of one colour: 4-neighbours join when every channel differs by at most 6,
        //    so a gradient is one region and a glyph's anti-aliased rim is not part of the page.
        var label = [Int32](repeating: -1, count: n)
        var sizes: [Int] = []
        var boxes: [(Int, Int, Int, Int)] = []
        var stack: [Int] = []
        stack.reserveCapacity(4096)
        func close(_ a: UInt32, _ b: UInt32) -> Bool {
            let dr = abs(Int(a >> 16) - Int(b >> 16)), dg = abs(Int((a >> 8) & 255) - Int((b >> 8) & 255)), db = abs(Int(a & 255) - Int(b & 255))
            return dr <= 6 && dg <= 6 && db <= 6
        }
        for start in 0..<n where label[start] < 0 {
            let id = Int32(sizes.count)
            label[start] = id
            stack.append(start)
            var count = 0, x0 = width, y0 = height, x1 = 0, y1 = 0
            while let p = stack.popLast() {
                count += 1
                let x = p % width, y = p / width
                if x < x0 { x0 = x }
                if x > x1 { x1 = x }
                if y < y0 { y0 = y }
                if y > y1 { y1 = y }
                let c = rgb[p]
                if x > 0, label[p - 1] < 0, close(c, rgb[p - 1]) { label[p - 1] = id; stack.append(p - 1) }
                if x + 1 < width, label[p + 1] < 0, close(c, rgb[p + 1]) { label[p + 1] = id; stack.append(p + 1) }
                if y > 0, label[p - width] < 0, close(c, rgb[p - width]) { label[p - width] = id; stack.append(p - width) }
                if y + 1 < height, label[p + width] < 0, close(c, rgb[p + width]) { label[p + width] = id; stack.append(p + width) }
            }
            sizes.append(count)
            boxes.append((x0, y0, x1, y1))
        }
        // 2. Surfaces: regions with a core no glyph stroke has, or box-shaped fills the size of
        //    a label (a button, a pill). A core pixel lies 5 px deep inside its region in all four
        //    directions. Where two bold strokes cross ("+", "4", "#") the crossing is that deep
        //    too, but its core is a blob no wider than the strokes: a core counts when part of it
        //    spans 10 px or more, or when the region fills most of its box (a tile, a badge), which
        //    a glyph does not. Otherwise a big bold glyph would count as a surface and vanish.
        var coreCount = [Int](repeating: 0, count: sizes.count)
        var isCore = [Bool](repeating: false, count: n)
        // Deeper than any glyph stroke up to display sizes (a 96 px bold stroke is about 14 px,
        // and 20 px along the axes where it runs diagonally), diagonals included: where two such
        // strokes cross ("4", "+") the crossing is that deep along both axes.
        var thick = [Bool](repeating: false, count: sizes.count)
        let depth = 5, deep = 11, slant = 9
        if width > 2 * depth, height > 2 * depth {
            for y in depth..<(height - depth) {
                var i = y * width + depth
                for x in depth..<(width - depth) {
                    let l = label[i]
                    if sizes[Int(l)] >= 121, label[i - depth] == l, label[i + depth] == l, label[i - depth * width] == l, label[i + depth * width] == l,
                        label[i - 2] == l, label[i + 2] == l, label[i - 2 * width] == l, label[i + 2 * width] == l
                    {
                        coreCount[Int(l)] += 1
                        isCore[i] = true
                        if !thick[Int(l)], x >= deep, x < width - deep, y >= deep, y < height - deep, label[i - deep] == l, label[i + deep] == l,
                            label[i - deep * width] == l, label[i + deep * width] == l, label[i - slant * width - slant] == l,
                            label[i - slant * width + slant] == l, label[i + slant * width - slant] == l, label[i + slant * width + slant] == l
                        {
                            thick[Int(l)] = true
                        }
                    }
                    i += 1
                }
            }
        }
        // The widest span of any one connected piece of each region's core (8-neighbour: the
        // core of a diagonal stripe is a staircase).
        var coreSpan = [Int](repeating: 0, count: sizes.count)
        for (box, members) in ControlFinder.inkComponents(width: width, height: height, ink: { isCore[$0] }) {
            let l = Int(label[members[0]])
            coreSpan[l] = max(coreSpan[l], box.width, box.height)
        }
        var isSurface = [Bool](repeating: false, count: sizes.count)
        // Surfaces only by a thin core: a stripe of a striped banner, or a stroke of display-size
        // bold type.
        var thinCored = [Bool](repeating: false, count: sizes.count)
        for id in sizes.indices {
            let (x0, y0, x1, y1) = boxes[id]
            let w = x1 - x0 + 1, h = y1 - y0 + 1
            // A button or pill is wider than tall (a bold glyph filling its box is not).
            let boxShaped = w >= 14 && h >= 12 && h <= 120 && w * 5 >= h * 8 && sizes[id] * 10 >= w * h * 6
            let compact = sizes[id] * 10 >= w * h * 7
            isSurface[id] = (coreCount[id] >= 12 && (coreSpan[id] >= 10 || compact)) || boxShaped
            thinCored[id] = isSurface[id] && !boxShaped && !compact && !thick[id]
        }
        Self.demoteGlyphs(&isSurface, thinCored: thinCored, label: label, rgb: rgb, sizes: sizes, boxes: boxes, width: width, height: height)
        // 3. Every other pixel takes its background from the nearest surface pixel (breadth first,
        //    8-neighbour, so a glyph inside a button takes the button's fill).
        var owner = [Int32](repeating: -1, count: n)
        var queue = [Int32]()
        queue.reserveCapacity(n)
        for i in 0..<n where isSurface[Int(label[i])] {
            owner[i] = Int32(i)
            queue.append(Int32(i))
        }
        if queue.isEmpty {
            // A frame with no surface at all (noise, a photo): its commonest luma is the background.
            var histogram = [Int](repeating: 0, count: 256)
            for v in luma { histogram[Int(v)] += 1 }
            let bg = histogram.indices.max { histogram[$0] < histogram[$1] } ?? 255
            grey = luma.map { UInt8(255 - Self.darkness(abs(Int($0) - bg))) }
            return
        }
        var head = 0
        while head < queue.count {
            let p = Int(queue[head])
            head += 1
            let x = p % width, y = p / width
            let o = owner[p]
            for dy in -1...1 {
                let yy = y + dy
                guard yy >= 0, yy < height else { continue }
                for dx in -1...1 {
                    let xx = x + dx
                    guard xx >= 0, xx < width else { continue }
                    let q = yy * width + xx
                    if owner[q] < 0 {
                        owner[q] = o
                        queue.append(Int32(q))
                    }
                }
            }
        }
        // 4. Darkness from the difference with the background taken. A pixel on the edge between
        //    two surfaces (the anti-aliased corner of a rounded button) is a blend of the two,
        //    not ink: it stays white.
        var out = [UInt8](repeating: 255, count: n)
        for i in 0..<n {
            let d = abs(Int(luma[i]) - Int(luma[Int(owner[i])]))
            if d <= Self.quiet { continue }
            if !isSurface[Int(label[i])], Self.blend(i, luma: luma, label: label, isSurface: isSurface, width: width, height: height) { continue }
            out[i] = UInt8(255 - Self.darkness(d))
        }
        Self.eraseOutlines(&out, width: width, height: height)
        Self.eraseRules(&out, width: width, height: height)
        grey = out
    }

    /// A thin-cored region wrapped by one surface is ink drawn on it: display-size bold type (a
    /// 56 px serif "C" has strokes 11 px wide, deep enough for a core) sits on the page or a
    /// key, with nothing inside it but its counters, which show that surface again. A stripe of
    /// a striped banner is bordered by other stripes, and a band with text on it holds more
    /// holes than a glyph has: both stay surfaces. Looked at 3 px outside the region, past its
    /// anti-aliased rim.
    static func demoteGlyphs(
        _ isSurface: inout [Bool], thinCored: [Bool], label: [Int32], rgb: [UInt32], sizes: [Int], boxes: [(Int, Int, Int, Int)], width: Int,
        height: Int
    ) {
        guard thinCored.contains(true) else { return }
        // For each thin-cored region, what lies just outside it: per region, a count and one pixel.
        var around: [Int32: [Int32: (count: Int, pixel: Int)]] = [:]
        let reach = 3
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let l = label[i]
                guard thinCored[Int(l)] else { continue }
                for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, nx < width, ny >= 0, ny < height, label[ny * width + nx] != l else { continue }
                    let px = x + dx * reach, py = y + dy * reach
                    guard px >= 0, px < width, py >= 0, py < height else { continue }
                    let q = py * width + px
                    let m = label[q]
                    if m != l { around[l, default: [:]][m, default: (0, q)].count += 1 }
                }
            }
        }
        func within(_ a: (Int, Int, Int, Int), _ b: (Int, Int, Int, Int)) -> Bool { a.0 >= b.0 && a.1 >= b.1 && a.2 <= b.2 && a.3 <= b.3 }
        func alike(_ a: UInt32, _ b: UInt32) -> Bool {
            abs(Int(a >> 16) - Int(b >> 16)) <= 24 && abs(Int((a >> 8) & 255) - Int((b >> 8) & 255)) <= 24 && abs(Int(a & 255) - Int(b & 255)) <= 24
        }
        for (l, found) in around {
            let total = found.values.reduce(0) { $0 + $1.count }
            guard let (host, seen) = found.filter({ isSurface[Int($0.key)] && !thinCored[Int($0.key)] }).max(by: { $0.value.count < $1.value.count }),
                within(boxes[Int(l)], boxes[Int(host)])
            else { continue }
            let counters = found.filter { $0.key != host && within(boxes[Int($0.key)], boxes[Int(l)]) && alike(rgb[$0.value.pixel], rgb[seen.pixel]) }
            // A glyph has two counters at most ("B", "8"); more holes of the page's colour are
            // text set on the region.
            guard counters.keys.filter({ sizes[Int($0)] >= 6 }).count <= 2 else { continue }
            let wrapped = seen.count + counters.values.reduce(0) { $0 + $1.count }
            if wrapped * 5 >= total * 4 { isSurface[Int(l)] = false }
        }
    }

    /// The outline of a box that holds other ink (a bordered pill, a field, a framed list) is not
    /// a glyph, and set close to the text it frames it reads as "(" or "|": it is whitened. An
    /// outline with nothing inside ("O", an empty checkbox) is left alone.
    static func eraseOutlines(_ g: inout [UInt8], width: Int, height: Int) {
        let parts = ControlFinder.inkComponents(width: width, height: height) { g[$0] < 128 }
        for (box, members) in parts where box.width >= 20 && box.height >= 12 {
            let band = max(2, min(box.width, box.height) / 6)
            let onRim = members.filter { p in
                let x = p % width, y = p / width
                return x - box.x < band || box.maxX - 1 - x < band || y - box.y < band || box.maxY - 1 - y < band
            }.count
            guard onRim * 10 >= members.count * 9 else { continue }
            let inner = box.insetBy(1)
            guard parts.contains(where: { other in other.box != box && inner.contains(Point(x: other.box.x, y: other.box.y)) && inner.contains(Point(x: other.box.maxX - 1, y: other.box.maxY - 1)) }) else { continue }
            // Only the outline's own stroke: a glyph touching it from inside keeps its pixels.
            for p in members {
                let x = p % width, y = p / width
                if x - box.x < 2 || box.maxX - 1 - x < 2 || y - box.y < 2 || box.maxY - 1 - y < 2 { g[p] = 255 }
            }
        }
    }

    /// Long thin straight lines are not glyphs: box borders, rules, underlines, a strike
    /// through a done task. Text set close to a border merges with it and misreads ("8" as
    /// "B" beside a list box's edge), so lines of ink at most 2 px thick are whitened when they
    /// are long (30 px), or 16 px long and turning a corner into another line (a box's edge).
    static func eraseRules(_ g: inout [UInt8], width: Int, height: Int) {
        func dark(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height && g[y * width + x] < 128 }
        /// Length of the dark run through (x, y) along the other axis.
        func across(_ x: Int, _ y: Int, horizontal: Bool) -> Int {
            var n = 1
            var k = 1
            while horizontal ? dark(x, y - k) : dark(x - k, y) { n += 1; k += 1 }
            k = 1
            while horizontal ? dark(x, y + k) : dark(x + k, y) { n += 1; k += 1 }
            return n
        }
        func along(_ x: Int, _ y: Int, horizontal: Bool) -> Int {
            var n = 1
            var k = 1
            while horizontal ? dark(x + k, y) : dark(x, y + k) { n += 1; k += 1 }
            k = 1
            while horizontal ? dark(x - k, y) : dark(x, y - k) { n += 1; k += 1 }
            return n
        }
        var erase: [Int] = []
        for horizontal in [true, false] {
            let lines = horizontal ? height : width, span = horizontal ? width : height
            for line in 0..<lines {
                var at = 0
                while at < span {
                    let (x, y) = horizontal ? (at, line) : (line, at)
                    guard dark(x, y) else { at += 1; continue }
                    var end = at
                    while end < span, horizontal ? dark(end, line) : dark(line, end) { end += 1 }
                    let length = end - at
                    defer { at = end }
                    guard length >= 16 else { continue }
                    let thin = (at..<end).filter { k in across(horizontal ? k : line, horizontal ? line : k, horizontal: horizontal) <= 2 }.count
                    guard thin * 5 >= length * 4 else { continue }
                    var corner = false
                    if length < 30 {
                        for k in [at, end - 1] {
                            let (cx, cy) = horizontal ? (k, line) : (line, k)
                            if along(cx, cy, horizontal: !horizontal) >= 16 { corner = true }
                        }
                        guard corner else { continue }
                    }
                    for k in at..<end { erase.append(horizontal ? line * width + k : k * width + line) }
                }
            }
        }
        for i in erase { g[i] = 255 }
    }

    /// Whether pixel `i` lies between two different surfaces within 2 px and its luma between
    /// theirs: the blend at their common edge.
    static func blend(_ i: Int, luma: [UInt8], label: [Int32], isSurface: [Bool], width: Int, height: Int) -> Bool {
        let x = i % width, y = i / width
        var first: Int32 = -1
        var lo = 255, hi = 0
        var two = false
        for dy in -2...2 {
            let yy = y + dy
            guard yy >= 0, yy < height else { continue }
            for dx in -2...2 {
                let xx = x + dx
                guard xx >= 0, xx < width else { continue }
                let q = yy * width + xx
                let l = label[q]
                guard isSurface[Int(l)] else { continue }
                if first < 0 { first = l } else if l != first { two = true }
                lo = min(lo, Int(luma[q]))
                hi = max(hi, Int(luma[q]))
            }
        }
        let v = Int(luma[i])
        return two && v >= lo - 6 && v <= hi + 6
    }

    /// How dark a pixel is drawn for a luma difference `d` from its background.
    static func darkness(_ d: Int) -> Int {
        d <= quiet ? 0 : min(255, (d - quiet) * 255 / span)
    }

    /// The map as a picture (for `appjudge ocr --dump`).
    public var image: Image {
        var out = Image(width: width, height: height)
        for (i, v) in grey.enumerated() {
            out.pixels[i * 4] = v
            out.pixels[i * 4 + 1] = v
            out.pixels[i * 4 + 2] = v
        }
        return out
    }
}

extension InkMap {
    /// Runs of ink that look like text (three or more glyph-sized marks side by side on one
    /// line), as boxes. What OCR read is compared with these: a run no word covers is text the
    /// reader cannot vouch for.
    public func textLikeRuns() -> [Rect] {
        let parts = ControlFinder.inkComponents(width: width, height: height) { grey[$0] < 140 }.map(\.box)
            .filter { box in
                box.height >= 6 && box.height <= 80 && box.width <= 80
                    // Rules, borders and underlines are not glyphs.
                    && !(box.width > 8 * box.height) && !(box.height > 8 * box.width && box.height > 30)
            }
            .sorted { $0.x < $1.x }
        var runs: [(box: Rect, count: Int)] = []
        for part in parts {
            if let i = runs.lastIndex(where: { run in
                let gap = part.x - run.box.maxX
                return gap <= max(run.box.height, part.height) * 4 / 5 && gap > -part.width && run.box.verticalOverlap(with: part) >= 0.5
            }) {
                runs[i].box = runs[i].box.union(part)
                runs[i].count += 1
            } else {
                runs.append((part, 1))
            }
        }
        return runs.filter { $0.count >= 3 && $0.box.width * 2 >= $0.box.height * 3 }.map(\.box)
    }
}
