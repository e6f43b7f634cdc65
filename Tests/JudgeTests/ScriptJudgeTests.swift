import Desktop
import Foundation
import Imaging
import Perception
import Suite
import Testing

@testable import Judge

/// A pretend app: its state is painted into the frame (as the red channel) and the fake OCR
/// reads the state's text back, so the judge's logic runs without a display or tesseract.
final class FakeApp: AppSession, FrameSource, InputDevice, TextRecognizer, FrameSink, @unchecked Sendable {
    var state = 0
    var rows: [Int: [(String, Int, Int)]] = [:]
    var onClick: (Point, FakeApp) -> Void = { _, _ in }
    var onKey: (String, FakeApp) -> Void = { _, _ in }
    var clicks: [Point] = []
    var typed: [String] = []
    var kept: [String] = []
    var failInput = false
    var ended: String?

    var screen: any FrameSource { self }
    var input: any InputDevice { self }

    func capture() throws(DesktopError) -> Image { Image(width: 400, height: 300, fill: RGB(UInt8(state), 0, 0)) }
    func read(_ image: Image) throws(OCRError) -> TextReading {
        let state = Int(image[0, 0].r)
        return TextReading(
            words: (rows[state] ?? []).map { Word(text: $0.0, box: Rect(x: $0.1, y: $0.2, width: $0.0.count * 8, height: 14), confidence: 95) })
    }
    func keep(_ image: Image, id: String) throws { kept.append(id) }
    func reload() throws {}
    func exitDescription() -> String? { ended }

    func click(at point: Point, button: MouseButton, count: Int) throws(DesktopError) {
        if failInput { throw .inputFailed("xdo_click_window_multiple returned 1") }
        clicks.append(point)
        onClick(point, self)
    }
    func move(to point: Point) throws(DesktopError) {}
    func drag(from: Point, to: Point, steps: Int) throws(DesktopError) {}
    func scroll(at point: Point, dx: Int, dy: Int) throws(DesktopError) {}
    func type(_ text: String) throws(DesktopError) { typed.append(text) }
    func key(_ combo: String) throws(DesktopError) { onKey(combo, self) }

    func judge(_ script: [Step], patience: Double = 0.3) -> CaseResult {
        let observer = Observer(screen: self, ocr: self, sink: self, prefix: "case")
        return ScriptJudge(patience: patience).run(TestCase(id: "case", description: "d", script: script), session: self, observer: observer)
    }
}

/// Two rows, Delete buttons on opposite sides; state 1 is "Buy milk deleted".
func twoRowApp() -> FakeApp {
    let app = FakeApp()
    app.rows[0] = [
        ("Delete", 20, 100), ("Buy", 200, 100), ("milk", 240, 100), ("Walk", 200, 150), ("dog", 240, 150), ("Delete", 330, 150),
        ("Remaining:", 20, 250), ("2", 110, 250),
    ]
    app.rows[1] = [("Walk", 200, 150), ("dog", 240, 150), ("Delete", 330, 150), ("Remaining:", 20, 250), ("1", 110, 250)]
    app.onClick = { point, app in
        if Rect(x: 20, y: 100, width: 48, height: 14).contains(point) { app.state = 1 }
    }
    return app
}

@Suite("Script judge")
struct ScriptJudgeTests {
    @Test func clicksTheButtonInTheNamedRow() {
        let app = twoRowApp()
        let result = app.judge([
            .click(.text("Delete", row: "Buy milk")), .expect(.absent("Buy milk")), .expect(.visible("Walk dog")),
            .expect(.visible("Remaining: 1")), .expect(.count("Delete", equals: 1, atLeast: nil, atMost: nil)),
        ])
        #expect(result.verdict == .pass, "\(result.reason)")
        #expect(app.clicks == [Point(x: 44, y: 107)])
        #expect(result.steps.count == 5)
        #expect(result.steps[0].point == Point(x: 44, y: 107))
        #expect(result.steps.allSatisfy { $0.frameAfter != nil })
    }

    @Test func aFailedExpectationFailsWithEvidence() {
        let app = twoRowApp()
        app.onClick = { _, _ in }  // Delete does nothing: a broken app.
        let result = app.judge([.click(.text("Delete", row: "Buy milk")), .expect(.absent("Buy milk"))])
        #expect(result.verdict == .fail)
        #expect(result.reason.contains("\"Buy milk\" is absent") && result.reason.contains("still shown"))
        #expect(!result.evidence.frames.isEmpty)
        #expect(result.evidence.frames.allSatisfy { app.kept.contains($0) })
        #expect(result.evidence.text.contains("Buy milk"))
        #expect(result.evidence.matches.first?.text == "Buy milk")
    }

    @Test func aMissingTargetFails() {
        let result = twoRowApp().judge([.click(.text("Clear done"))])
        #expect(result.verdict == .fail)
        #expect(result.reason == "\"Clear done\" was not found on screen.")
    }

    @Test func numbersMustMatchExactly() {
        let result = twoRowApp().judge([.expect(.visible("Remaining: 1"))])
        #expect(result.verdict == .fail)
    }

    @Test func anInputFaultIsAnErrorNotAFail() {
        let app = twoRowApp()
        app.failInput = true
        let result = app.judge([.click(.text("Delete", row: "Walk dog"))])
        #expect(result.verdict == .error)
        #expect(result.reason.contains("could not be carried out"))
    }

    @Test func anAppThatEndedFails() {
        let app = twoRowApp()
        app.ended = "the browser sandbox ended with exit code 1"
        let result = app.judge([.expect(.visible("Walk dog"))])
        #expect(result.verdict == .fail)
        #expect(result.reason.contains("The app stopped"))
    }

    @Test func noScriptIsSkipped() {
        let app = twoRowApp()
        let result = ScriptJudge().run(
            TestCase(id: "c", description: "only words"), session: app,
            observer: Observer(screen: app, ocr: app, sink: app, prefix: "c"))
        #expect(result.verdict == .skipped)
    }

    @Test func screenChanged() {
        let app = twoRowApp()
        app.onKey = { _, app in app.state = 1 }
        #expect(app.judge([.key("Delete"), .expect(.changed)]).verdict == .pass)
        let still = twoRowApp()
        #expect(still.judge([.key("x"), .expect(.changed)]).verdict == .fail)
    }

    @Test func pointsOffScreenAreErrors() {
        let result = twoRowApp().judge([.click(.point(x: 5000, y: 10))])
        #expect(result.verdict == .error)
    }

    @Test func cancellationStopsBetweenSteps() {
        let app = twoRowApp()
        let observer = Observer(screen: app, ocr: app, sink: app, prefix: "c")
        let result = ScriptJudge().run(
            TestCase(id: "c", description: "d", script: [.type("a"), .type("b")]), session: app,
            observer: observer, cancelled: { true })
        #expect(result.verdict == .skipped)
        #expect(app.typed.isEmpty)
    }
}
