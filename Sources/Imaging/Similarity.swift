/// How alike two screenshots look: the structural similarity index (SSIM) of their luminance,
/// over small windows, averaged. Unlike a pixel difference it tolerates anti-aliasing and
/// small colour noise but drops when shapes move, change contrast or disappear: a shifted,
/// recoloured or overlapping layout.
public struct Similarity: Sendable {
    /// Mean SSIM over the windows compared, in -1...1; 1 is identical. Windows flat and equal in
    /// both pictures (empty page) are left out: on a mostly empty screen they would drown a
    /// moved button in perfect scores.
    public var score: Double
    /// The least similar window, if any was compared.
    public var worst: Rect?
    /// Windows compared (not masked, not flat and equal in both).
    public var windows: Int
    /// The first image, dimmed, with each dissimilar window tinted red by how far its SSIM is
    /// below 1: what a report shows for a failed comparison.
    public var map: Image
}

extension Image {
    /// SSIM against `other` (same size; nil otherwise) on `window`-pixel windows every
    /// `window / 2` pixels. Windows whose centre lies in a `masked` rectangle (a clock, an
    /// animation, a random avatar) are left out.
    public func similarity(to other: Image, window: Int = 8, masked: [Rect] = []) -> Similarity? {
        guard width == other.width, height == other.height, width >= window, height >= window, window >= 2 else { return nil }
        let a = luma(), b = other.luma()
        // The usual constants for 8-bit data: (0.01 * 255)^2 and (0.03 * 255)^2.
        let c1 = 6.5025, c2 = 58.5225
        let step = max(1, window / 2)
        let n = Double(window * window)
        var total = 0.0, count = 0
        var worst: (Rect, Double)?
        var tint: [(Rect, Double)] = []
        var y = 0
        while y + window <= height {
            var x = 0
            while x + window <= width {
                let rect = Rect(x: x, y: y, width: window, height: window)
                if !masked.contains(where: { $0.contains(rect.center) }) {
                    var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
                    for wy in y..<(y + window) {
                        let row = wy * width
                        for wx in x..<(x + window) {
                            let va = Double(a[row + wx]), vb = Double(b[row + wx])
                            sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb
                        }
                    }
                    let ma = sa / n, mb = sb / n
                    let va = saa / n - ma * ma, vb = sbb / n - mb * mb, cov = sab / n - ma * mb
                    let ssim = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2))
                    if va < 1, vb < 1, abs(ma - mb) < 1 {
                        x += step
                        continue
                    }
                    total += ssim
                    count += 1
                    if worst == nil || ssim < worst!.1 { worst = (rect, ssim) }
                    if ssim < 0.98 { tint.append((rect, ssim)) }
                }
                x += step
            }
            y += step
        }
        return Similarity(score: count == 0 ? 1 : total / Double(count), worst: worst?.0, windows: count, map: heatMap(tint, luma: a))
    }

    /// This image in dimmed grey (`luma` is its luminance, already computed), with the given
    /// windows tinted red by 1 - SSIM.
    private func heatMap(_ windows: [(Rect, Double)], luma grey: [UInt8]) -> Image {
        var out = self
        for i in 0..<(width * height) {
            let v = UInt8(Int(grey[i]) / 3 + 150)
            out.pixels[i * 4] = v
            out.pixels[i * 4 + 1] = v
            out.pixels[i * 4 + 2] = v
        }
        for (rect, ssim) in windows {
            let strength = min(1, max(0, 1 - ssim))
            for y in rect.y..<rect.maxY {
                for x in rect.x..<rect.maxX {
                    let i = (y * width + x) * 4
                    out.pixels[i] = UInt8(Double(out.pixels[i]) * (1 - strength) + 255 * strength)
                    out.pixels[i + 1] = UInt8(Double(out.pixels[i + 1]) * (1 - strength))
                    out.pixels[i + 2] = UInt8(Double(out.pixels[i + 2]) * (1 - strength))
                }
            }
        }
        return out
    }
}
