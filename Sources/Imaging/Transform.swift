extension Image {
    /// The part of the picture inside `rect`, clipped to the picture.
    public func cropped(to rect: Rect) -> Image {
        guard let r = rect.intersection(bounds) else { return Image(width: 0, height: 0, pixels: []) }
        var out = [UInt8](repeating: 0, count: r.width * r.height * 4)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<r.height {
                    let from = ((r.y + row) * width + r.x) * 4
                    let to = row * r.width * 4
                    for i in 0..<(r.width * 4) { dst[to + i] = src[from + i] }
                }
            }
        }
        return Image(width: r.width, height: r.height, pixels: out)
    }

    /// 8-bit luma, one byte per pixel, row-major.
    public func luma() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(width * height) {
                    let p = i * 4
                    let r = Int(src[p]) * 299, g = Int(src[p + 1]) * 587, b = Int(src[p + 2]) * 114
                    dst[i] = UInt8((r + g + b) / 1000)
                }
            }
        }
        return out
    }

    /// Resized by bilinear interpolation to `newWidth` x `newHeight`.
    public func resized(width newWidth: Int, height newHeight: Int) -> Image {
        guard newWidth > 0, newHeight > 0, width > 0, height > 0 else { return Image(width: 0, height: 0, pixels: []) }
        var out = [UInt8](repeating: 255, count: newWidth * newHeight * 4)
        let sx = Double(width) / Double(newWidth), sy = Double(height) / Double(newHeight)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<newHeight {
                    let fy = max(0, (Double(y) + 0.5) * sy - 0.5)
                    let y0 = min(Int(fy), height - 1), y1 = min(y0 + 1, height - 1)
                    let wy = fy - Double(y0)
                    for x in 0..<newWidth {
                        let fx = max(0, (Double(x) + 0.5) * sx - 0.5)
                        let x0 = min(Int(fx), width - 1), x1 = min(x0 + 1, width - 1)
                        let wx = fx - Double(x0)
                        let o = (y * newWidth + x) * 4
                        for c in 0..<3 {
                            let a = Double(src[(y0 * width + x0) * 4 + c]), b = Double(src[(y0 * width + x1) * 4 + c])
                            let d = Double(src[(y1 * width + x0) * 4 + c]), e = Double(src[(y1 * width + x1) * 4 + c])
                            let top = a + (b - a) * wx, bottom = d + (e - d) * wx
                            dst[o + c] = UInt8(max(0, min(255, (top + (bottom - top) * wy).rounded())))
                        }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, pixels: out)
    }

    /// Scaled by a factor, keeping the aspect ratio.
    public func scaled(by factor: Double) -> Image {
        resized(width: max(1, Int((Double(width) * factor).rounded())), height: max(1, Int((Double(height) * factor).rounded())))
    }
}
