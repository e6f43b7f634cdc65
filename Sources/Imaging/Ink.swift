/// How much of a region is drawn on, against the region's own background.
public struct Ink: Sendable, Equatable {
    /// The region's most common colour: what it is drawn on.
    public var background: RGB
    /// Pixels that differ clearly from the background (a channel by 40 or more): text a person reads.
    public var clear: Int
    /// Pixels that differ at all (a channel by 6 or more): faint text counts here too.
    public var faint: Int
    public var area: Int

    /// Whether the region shows something drawn a person can make out: a few clear pixels, not
    /// one speck.
    public var isClear: Bool { clear >= 3 && clear * 200 >= area }
    /// Whether anything is drawn at all, however faint.
    public var isAny: Bool { faint >= 3 }
}

extension Image {
    /// The ink in `rect` (clipped to the picture) measured against the rect's commonest colour.
    public func ink(in rect: Rect) -> Ink {
        guard let r = rect.intersection(bounds), r.area > 0 else { return Ink(background: RGB(255, 255, 255), clear: 0, faint: 0, area: 0) }
        // The background is the commonest colour at 4 bits a channel, averaged in full precision.
        var counts = [Int32](repeating: 0, count: 4096)
        pixels.withUnsafeBufferPointer { p in
            for y in r.y..<r.maxY {
                var i = (y * width + r.x) * 4
                for _ in 0..<r.width {
                    counts[Int(p[i] >> 4) << 8 | Int(p[i + 1] >> 4) << 4 | Int(p[i + 2] >> 4)] += 1
                    i += 4
                }
            }
        }
        let mode = counts.indices.max { counts[$0] < counts[$1] } ?? 0
        var sum = (0, 0, 0, 0)
        pixels.withUnsafeBufferPointer { p in
            for y in r.y..<r.maxY {
                var i = (y * width + r.x) * 4
                for _ in 0..<r.width {
                    if Int(p[i] >> 4) << 8 | Int(p[i + 1] >> 4) << 4 | Int(p[i + 2] >> 4) == mode {
                        sum.0 += Int(p[i]); sum.1 += Int(p[i + 1]); sum.2 += Int(p[i + 2]); sum.3 += 1
                    }
                    i += 4
                }
            }
        }
        let n = max(1, sum.3)
        let bg = (sum.0 / n, sum.1 / n, sum.2 / n)
        var clear = 0, faint = 0
        pixels.withUnsafeBufferPointer { p in
            for y in r.y..<r.maxY {
                var i = (y * width + r.x) * 4
                for _ in 0..<r.width {
                    let d = max(abs(Int(p[i]) - bg.0), abs(Int(p[i + 1]) - bg.1), abs(Int(p[i + 2]) - bg.2))
                    if d >= 6 { faint += 1 }
                    if d >= 40 { clear += 1 }
                    i += 4
                }
            }
        }
        return Ink(background: RGB(UInt8(bg.0), UInt8(bg.1), UInt8(bg.2)), clear: clear, faint: faint, area: r.area)
    }
}
