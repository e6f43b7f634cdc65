/// A screen-sized RGBA picture: 8 bits per channel, rows packed without padding.
///
/// Everything AppJudge sees goes through this type: captures from the display, frames written to
/// reports, inputs to OCR. It is a value type so a captured frame can be kept as evidence while
/// the screen moves on.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// RGBA bytes, `width * 4` per row.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height * 4, "pixel buffer does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A picture filled with one colour.
    public init(width: Int, height: Int, fill: RGB = RGB(255, 255, 255)) {
        var pixels = [UInt8](repeating: 255, count: width * height * 4)
        for i in stride(from: 0, to: pixels.count, by: 4) {
            pixels[i] = fill.r
            pixels[i + 1] = fill.g
            pixels[i + 2] = fill.b
        }
        self.init(width: width, height: height, pixels: pixels)
    }

    public subscript(x: Int, y: Int) -> RGB {
        get {
            let i = (y * width + x) * 4
            return RGB(pixels[i], pixels[i + 1], pixels[i + 2])
        }
        set {
            let i = (y * width + x) * 4
            pixels[i] = newValue.r
            pixels[i + 1] = newValue.g
            pixels[i + 2] = newValue.b
            pixels[i + 3] = 255
        }
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }
}

public struct RGB: Sendable, Equatable, Hashable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }
    /// Rec. 601 luma, 0-255.
    public var luma: Int { (Int(r) * 299 + Int(g) * 587 + Int(b) * 114) / 1000 }
}

/// An axis-aligned rectangle in pixels of some image or screen.
public struct Rect: Sendable, Equatable, Hashable, Codable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var midX: Int { x + width / 2 }
    public var midY: Int { y + height / 2 }
    public var center: Point { Point(x: midX, y: midY) }
    public var area: Int { max(0, width) * max(0, height) }

    public func intersection(_ other: Rect) -> Rect? {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return x1 > x0 && y1 > y0 ? Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0) : nil
    }

    public func union(_ other: Rect) -> Rect {
        let x0 = min(x, other.x), y0 = min(y, other.y)
        return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }

    public func insetBy(_ d: Int) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }

    /// Vertical overlap with `other` as a fraction of the shorter of the two heights.
    public func verticalOverlap(with other: Rect) -> Double {
        let overlap = min(maxY, other.maxY) - max(y, other.y)
        let shorter = min(height, other.height)
        return shorter > 0 ? Double(max(0, overlap)) / Double(shorter) : 0
    }

    public func contains(_ p: Point) -> Bool { p.x >= x && p.x < maxX && p.y >= y && p.y < maxY }

    /// The shortest distance between the two boxes' edges (0 when they touch or overlap).
    public func distance(to other: Rect) -> Double {
        let dx = max(0, max(other.x - maxX, x - other.maxX))
        let dy = max(0, max(other.y - maxY, y - other.maxY))
        return (Double(dx * dx + dy * dy)).squareRoot()
    }
}

public struct Point: Sendable, Equatable, Hashable, Codable {
    public var x: Int, y: Int
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}
