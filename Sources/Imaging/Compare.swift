extension Image {
    /// A 64-bit FNV-1a digest of the pixels: two frames with equal digests are taken as equal
    /// by the settle loop (a false match needs a collision, not a near-identical frame).
    public var digest: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        pixels.withUnsafeBytes { raw in
            // Word-at-a-time: a full FNV over 4 MB per frame would dominate the settle loop.
            let words = raw.bindMemory(to: UInt64.self)
            for w in words {
                hash = (hash ^ w) &* 0x100_0000_01b3
            }
            for i in (words.count * 8)..<raw.count {
                hash = (hash ^ UInt64(raw[i])) &* 0x100_0000_01b3
            }
        }
        return hash &+ UInt64(width) << 32 &+ UInt64(height)
    }

    /// The bounding box of the pixels that differ between two equally sized images (any channel
    /// by more than `tolerance`), and how many differ; nil when nothing does.
    public func difference(from other: Image, tolerance: UInt8 = 0) -> (box: Rect, count: Int)? {
        guard width == other.width, height == other.height else { return (bounds, width * height) }
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1, count = 0
        pixels.withUnsafeBufferPointer { a in
            other.pixels.withUnsafeBufferPointer { b in
                for y in 0..<height {
                    for x in 0..<width {
                        let i = (y * width + x) * 4
                        if absDiff(a[i], b[i]) > tolerance || absDiff(a[i + 1], b[i + 1]) > tolerance || absDiff(a[i + 2], b[i + 2]) > tolerance {
                            count += 1
                            minX = Swift.min(minX, x); maxX = Swift.max(maxX, x)
                            minY = Swift.min(minY, y); maxY = Swift.max(maxY, y)
                        }
                    }
                }
            }
        }
        guard count > 0 else { return nil }
        return (Rect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1), count)
    }
}

@inline(__always) private func absDiff(_ a: UInt8, _ b: UInt8) -> UInt8 { a > b ? a - b : b - a }
