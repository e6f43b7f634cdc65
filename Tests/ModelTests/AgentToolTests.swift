import Foundation
import HTTP
import JSON
import Imaging
import Judge
import Perception
import Suite
import Testing

@Suite struct AgentToolTests {
    func call(_ name: String, _ args: JSONValue) -> ToolCall {
        ToolCall(id: "c", name: name, arguments: args, rawArguments: args.serialized())
    }

    @Test func screenshotsMatchAnAspectTargetAndAreNeverUpscaled() {
        let cases: [((Int, Int), (Int, Int))] = [
            ((800, 600), (800, 600)), ((1024, 768), (1024, 768)), ((1600, 1200), (1024, 768)), ((2560, 1600), (1280, 800)),
            ((1920, 1080), (1365, 768)), ((480, 640), (480, 640)), ((1440, 900), (1280, 800)),
        ]
        for ((w, h), (iw, ih)) in cases {
            let s = ScreenScale(screenWidth: w, screenHeight: h)
            #expect((s.imageWidth, s.imageHeight) == (iw, ih), "\(w)x\(h)")
        }
    }

    @Test func modelCoordinatesBecomeScreenPixelsInOnePlace() throws {
        let s = ScreenScale(screenWidth: 1600, screenHeight: 1200)
        #expect(s.toScreen(x: 0, y: 0) == Point(x: 0, y: 0))
        #expect(s.toScreen(x: 512, y: 384) == Point(x: 800, y: 600))
        #expect(s.toScreen(x: 1023, y: 767) == Point(x: 1599, y: 1199))
        #expect(s.toScreen(x: 1024, y: 10) == nil)
        #expect(s.toImage(Rect(x: 800, y: 600, width: 160, height: 40)) == Rect(x: 512, y: 384, width: 102, height: 25))
        guard case .success(.step(.click(.point(let x, let y)))) = AgentTools.parse(call("click", ["x": 512, "y": 384]), scale: s) else {
            Issue.record("a click at a point did not parse")
            return
        }
        #expect((x, y) == (800, 600))
    }

    @Test func everyToolParsesToTheSharedVocabulary() {
        let s = ScreenScale(screenWidth: 800, screenHeight: 600)
        let expected: [(ToolCall, AgentAction)] = [
            (call("click", ["text": "Add"]), .step(.click(.text("Add")))),
            (call("double_click", ["text": "Delete", "row": "Buy milk"]), .step(.doubleClick(.text("Delete", row: "Buy milk")))),
            (call("right_click", ["x": 10, "y": 20]), .step(.rightClick(.point(x: 10, y: 20)))),
            (call("move", ["x": 5, "y": 5]), .step(.move(.point(x: 5, y: 5)))),
            (
                call("drag", ["from_x": 1, "from_y": 2, "to_x": 30, "to_y": 40]),
                .step(.drag(from: .point(x: 1, y: 2), to: .point(x: 30, y: 40)))
            ),
            (call("type", ["text": "Buy milk"]), .step(.type("Buy milk"))),
            (call("key", ["keys": "ctrl+a"]), .step(.key("ctrl+a"))),
            (call("key", ["keys": "enter"]), .step(.key("Return"))),
            (call("scroll", ["dy": 3]), .step(.scroll(dx: 0, dy: 3, at: nil))),
            (call("wait", ["seconds": 1.5]), .step(.wait(seconds: 1.5))),
            (call("reload", [:]), .step(.reload)),
            (
                call("verdict", ["result": "pass", "reason": "listed", "evidence": ["c-02"], "checks": [["visible": "Buy milk"]]]),
                .verdict(.pass, reason: "listed", evidence: ["c-02"], checks: [.visible("Buy milk")])
            ),
        ]
        for (c, action) in expected {
            #expect(AgentTools.parse(c, scale: s) == .success(action), "\(c.name)")
        }
    }

    @Test func invalidCallsSayWhatIsWrong() {
        let s = ScreenScale(screenWidth: 800, screenHeight: 600)
        let bad: [(ToolCall, String)] = [
            (call("execute_python", ["code": "import os"]), "unknown tool 'execute_python'"),
            (call("click", ["x": 900, "y": 10]), "outside the 800x600 screenshot"),
            (call("click", ["x": -1, "y": 10]), "outside"),
            (call("click", [:]), "click needs x and y"),
            (call("key", ["keys": "ctrl+alt+Delete+x+y"]), "not a key combination"),
            (call("key", ["keys": "rm -rf"]), "not a key name"),
            (call("key", ["keys": "hyper+a"]), "not a modifier"),
            (call("wait", ["seconds": 99]), "between 0 and 10"),
            (call("verdict", ["result": "maybe", "reason": "x", "evidence": []]), "pass, fail or uncertain"),
            (call("verdict", ["result": "pass", "reason": "", "evidence": []]), "needs a reason"),
            (call("type", ["text": .string(String(repeating: "a", count: 501))]), "longer than 500"),
            (ToolCall(id: "c", name: "click", arguments: nil, rawArguments: "{x: 1"), "not a JSON object"),
        ]
        for (c, fragment) in bad {
            guard case .failure(let error) = AgentTools.parse(c, scale: s) else {
                Issue.record("\(c.name) \(c.rawArguments) was accepted")
                continue
            }
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test func toolSchemasAreSmall() {
        // The tools ride along with every request: keep them a few hundred tokens.
        let text = AgentTools.specs.map { $0.name + $0.description + $0.parameters.serialized() }.joined()
        #expect(text.count / 4 < 500, "\(text.count / 4) estimated tokens")
    }
}

@Suite struct AgentHistoryTests {
    @Test func aLongEpisodeKeepsOneScreenshotAndShortSummaries() throws {
        let judge = AgentJudge(
            client: ModelClient(settings: ModelSettings(provider: OpenAIChat(), model: "m")), prices: PriceTable())
        let scale = ScreenScale(screenWidth: 800, screenHeight: 600)
        let frame = Image(width: 800, height: 600)
        let reading = TextReading(
            words: (0..<30).map { Word(text: "word\($0)", box: Rect(x: $0 * 20, y: 10, width: 18, height: 12), confidence: 90) })
        var c = Conversation(system: "s", tools: AgentTools.specs)
        c.messages = [.user([.text("intro")] + judge.observationParts(frame: "c-1", image: frame, reading: reading, scale: scale, after: "launch"))]
        func size(_ c: Conversation) -> (pictures: Int, characters: Int) {
            var pictures = 0, characters = 0
            for m in c.messages {
                let parts: [Conversation.Part]
                switch m {
                case .user(let p): parts = p
                case .toolResults(let r): parts = r.flatMap(\.parts)
                case .assistant: parts = []
                }
                for p in parts {
                    if case .text(let t) = p { characters += t.count } else { pictures += 1 }
                }
            }
            return (pictures, characters)
        }
        var sizes: [(Int, Int)] = []
        for step in 1...20 {
            let call = ToolCall(id: "t\(step)", name: "click", arguments: ["text": "Add"], rawArguments: "{}")
            c.messages.append(.assistant(text: nil, calls: [call]))
            c.messages.append(
                .toolResults([
                    .init(
                        callId: call.id,
                        parts: judge.observationParts(frame: "c-\(step + 1)", image: frame, reading: reading, scale: scale, after: "click"))
                ]))
            judge.trim(&c)
            sizes.append(size(c))
        }
        #expect(sizes.allSatisfy { $0.0 == 1 }, "\(sizes)")
        // Each older step costs only its summary line: growth from step 5 to 20 is small.
        let growth = (sizes[19].1 - sizes[4].1) / 15
        #expect(growth < 60, "\(growth) characters per step")
        // The intro and every frame id stay, so evidence can still cite old frames.
        let texts = c.messages.flatMap { m -> [String] in
            let parts: [Conversation.Part]
            switch m {
            case .user(let p): parts = p
            case .toolResults(let r): parts = r.flatMap(\.parts)
            case .assistant: parts = []
            }
            return parts.compactMap { if case .text(let t) = $0 { t } else { nil } }
        }
        #expect(texts.first == "intro")
        #expect((1...21).allSatisfy { n in texts.contains { $0.hasPrefix("Frame c-\(n) ") } })
    }
}
