import Foundation
import Imaging
import TestSupport
import Testing

@Suite("PNG codec")
struct PNGTests {
    static func gradient(width: Int, height: Int) -> Image {
        var image = Image(width: width, height: height)
        for y in 0..<height {
            for x in 0..<width { image[x, y] = RGB(UInt8(x % 256), UInt8(y % 256), UInt8((x * y) % 256)) }
        }
        return image
    }

    @Test("fast and default encodings decode to the same pixels", arguments: [PNG.Effort.fast, .small])
    func roundTrip(effort: PNG.Effort) throws {
        let image = Self.gradient(width: 123, height: 77)
        let bytes = try PNG.encode(image, effort: effort)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try PNG.decode(bytes) == image)
    }

    @Test func flatScreensCompressWell() throws {
        let screen = Image(width: 1280, height: 800, fill: RGB(250, 250, 250))
        #expect(try PNG.encode(screen).count < 20_000)
    }

    @Test func garbageIsADecodeError() {
        #expect(throws: PNGError.self) { try PNG.decode([1, 2, 3, 4, 5]) }
        do {
            _ = try PNG.decode(Array("not a png".utf8))
        } catch {
            #expect(error.description.hasPrefix("The file is not a readable PNG image"))
        }
    }
}

@Suite("Image operations")
struct ImageTests {
    @Test func cropClipsToBounds() {
        let image = PNGTests.gradient(width: 50, height: 40)
        let crop = image.cropped(to: Rect(x: 40, y: 30, width: 20, height: 20))
        #expect(crop.width == 10 && crop.height == 10)
        #expect(crop[0, 0] == image[40, 30])
    }

    @Test func scalingKeepsFlatColours() {
        let image = Image(width: 10, height: 10, fill: RGB(10, 200, 30))
        let big = image.scaled(by: 1.5)
        #expect(big.width == 15 && big.height == 15)
        #expect(big[7, 7] == RGB(10, 200, 30))
    }

    @Test func differenceFindsTheChangedBox() {
        let a = Image(width: 100, height: 80)
        var b = a
        b[10, 20] = RGB(0, 0, 0)
        b[30, 25] = RGB(0, 0, 0)
        #expect(a.difference(from: a) == nil)
        let d = try! #require(b.difference(from: a))
        #expect(d.box == Rect(x: 10, y: 20, width: 21, height: 6))
        #expect(d.count == 2)
        #expect(a.digest != b.digest)
        #expect(a.digest == Image(width: 100, height: 80).digest)
    }

    @Test func rowOverlap() {
        let a = Rect(x: 0, y: 10, width: 50, height: 20)
        #expect(a.verticalOverlap(with: Rect(x: 200, y: 15, width: 10, height: 10)) == 1)
        #expect(a.verticalOverlap(with: Rect(x: 0, y: 40, width: 10, height: 10)) == 0)
    }
}

/// SSIM on real screenshots, against deliberate layout faults: a block moved, recoloured, or
/// overlapped by another, and changes inside a masked region.
@Suite("Perceptual similarity")
struct SimilarityTests {
    static func frame() throws -> Image {
        try PNG.decode(Array(Data(contentsOf: Repo.fixture("frames/todo-reference-two-rows.png"))))
    }

    /// `image` with the pixels of `rect` moved by `dx` (the vacated strip filled with the page colour).
    static func shifted(_ image: Image, _ rect: Rect, dx: Int) -> Image {
        var out = image
        let page = image[0, image.height - 1]
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX { out[x, y] = page }
        }
        for y in rect.y..<rect.maxY {
            for x in rect.x..<rect.maxX where x + dx >= 0 && x + dx < image.width { out[x + dx, y] = image[x, y] }
        }
        return out
    }

    @Test func identicalFramesScoreOne() throws {
        let image = try Self.frame()
        let s = try #require(image.similarity(to: image))
        #expect(s.score == 1)
        #expect(s.windows > 1000)
    }

    @Test func noiseAndAntiAliasingAreTolerated() throws {
        let image = try Self.frame()
        var noisy = image
        for i in stride(from: 0, to: noisy.pixels.count, by: 4) {
            let d = (i / 4) % 3 == 0 ? 2 : 0
            noisy.pixels[i] = noisy.pixels[i] > 250 ? noisy.pixels[i] - UInt8(d) : noisy.pixels[i] + UInt8(d)
        }
        #expect(try #require(image.similarity(to: noisy)).score > 0.99)
    }

    @Test func aShiftedBlockIsCaughtWhereItMoved() throws {
        let image = try Self.frame()
        let block = Rect(x: 0, y: 40, width: image.width / 2, height: 60)
        let s = try #require(image.similarity(to: Self.shifted(image, block, dx: 12)))
        #expect(s.score < 0.97, "\(s.score)")
        #expect(s.worst.map { block.intersection($0) != nil } == true)
        // The map marks the change in red.
        let marked = (0..<(s.map.width * s.map.height)).filter { s.map.pixels[$0 * 4] > 200 && s.map.pixels[$0 * 4 + 1] < 100 }.count
        #expect(marked > 100)
    }

    @Test func aRecolouredOrOverlappingLayoutIsCaught() throws {
        let image = try Self.frame()
        var recoloured = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                let p = image[x, y]
                // Dark text becomes light grey: the same shapes, little contrast left.
                if p.luma < 128 { recoloured[x, y] = RGB(200, 200, 200) }
            }
        }
        #expect(try #require(image.similarity(to: recoloured)).score < 0.9)
        var overlapped = image
        for y in 30..<90 {
            for x in 100..<400 { overlapped[x, y] = RGB(40, 90, 200) }
        }
        #expect(try #require(image.similarity(to: overlapped)).score < 0.97)
    }

    @Test func maskedRegionsAreIgnoredAndSizesMustMatch() throws {
        let image = try Self.frame()
        var changed = image
        let clock = Rect(x: 10, y: 10, width: 80, height: 24)
        for y in clock.y..<clock.maxY {
            for x in clock.x..<clock.maxX { changed[x, y] = RGB(0, 0, 0) }
        }
        #expect(try #require(image.similarity(to: changed)).score < 1)
        #expect(try #require(image.similarity(to: changed, masked: [clock.insetBy(-8)])).score == 1)
        #expect(image.similarity(to: Image(width: 10, height: 10)) == nil)
    }
}
