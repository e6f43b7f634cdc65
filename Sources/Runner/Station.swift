import Desktop
import Foundation
import Perception

/// One worker's private desktop: an Xvfb of the task's viewport size, an Xlib connection for
/// capture, xdo for input and its own OCR engine. Cases on different stations never share a
/// screen, a pointer or a keyboard focus.
final class Station: @unchecked Sendable {
    let xvfb: Xvfb
    let display: XDisplay
    let input: XdoInput
    let ocr: TesseractOCR

    init(width: Int, height: Int, log: String) throws {
        xvfb = try Xvfb(width: width, height: height, log: log)
        do {
            display = try XDisplay(xvfb.displayName)
            input = try XdoInput(display: xvfb.displayName)
            ocr = try TesseractOCR()
        } catch {
            xvfb.stop()
            throw error
        }
    }

    /// Closes the connections before the server goes, then stops the server.
    func close() {
        input.close()
        display.close()
        xvfb.stop()
    }
}
