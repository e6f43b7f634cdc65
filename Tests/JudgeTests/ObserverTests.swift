import Desktop
import Foundation
import Imaging
import Perception
import Testing

@testable import Judge

/// A screen that shows `colour` and counts how often it was photographed.
private final class CountingScreen: FrameSource, FrameSink, TextRecognizer, @unchecked Sendable {
    var colour: UInt8 = 0
    var captures = 0
    func capture() throws(DesktopError) -> Image {
        captures += 1
        return Image(width: 40, height: 30, fill: RGB(colour, 0, 0))
    }
    func keep(_ image: Image, id: String) throws {}
    func read(_ image: Image) throws(OCRError) -> TextReading { TextReading(words: []) }
}

@Suite("Observer")
struct ObserverTests {
    @Test func theFrameTheAppWasReadyOnNeedsNoSecondWait() throws {
        let screen = CountingScreen()
        let observer = Observer(screen: screen, ocr: screen, sink: screen, prefix: "c")
        observer.settledStart = try screen.capture()
        screen.captures = 0
        _ = try observer.observe()
        #expect(screen.captures == 1)
        // Only the first look starts from it: the next one waits for three still frames again.
        _ = try observer.observe()
        #expect(screen.captures == 4)
    }

    @Test func aScreenThatChangedSinceIsWaitedFor() throws {
        let screen = CountingScreen()
        let observer = Observer(screen: screen, ocr: screen, sink: screen, prefix: "c")
        observer.settledStart = try screen.capture()
        screen.colour = 9
        screen.captures = 0
        let seen = try observer.observe()
        #expect(screen.captures == 4)  // the changed frame, then three still ones
        #expect(seen.image[0, 0].r == 9)
    }
}
