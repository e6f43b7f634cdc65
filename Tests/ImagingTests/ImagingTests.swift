import Foundation
import Imaging
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
