import Engine
import Foundation
import HTTP
import Imaging
import Judge
import Perception
import Sandbox
import Suite

/// `appjudge bench agent`: what one agent step costs besides the model's own latency, how big
/// each request is, and what a whole app would cost at list prices.
///
/// On the todo reference in the real sandboxed browser, at the task's 800x600 and at 1920x1080
/// (downscaled to 1365x768), it times each part of a step: capture, downscale, PNG encode, OCR
/// and building the request of a steady-state conversation. It estimates prompt tokens per
/// step (picture width*height/750 plus text/4, tool schemas and system prompt included) with
/// the bounded history, next to keeping every screenshot (the obvious alternative), and
/// projects the dollars of a 15-case app at 6 steps per case.
struct AgentBenchmark {
    var home: URL
    var runs: Int
    /// Output tokens assumed per step (a tool call with its arguments).
    static let outputPerStep = 100
    static let casesPerApp = 15
    static let stepsPerCase = 6

    func run(_ emit: (String) -> Void) throws(RunError) {
        do {
            try HostTools.check()
        } catch {
            throw RunError(error)
        }
        let loaded: LoadedTask
        do {
            loaded = try TaskLoader.load(directory: home.appendingPathComponent("tasks/todo-list"))
        } catch {
            throw .input(error.description)
        }
        let prices: PriceTable
        do {
            prices = try PriceTable.load(home.appendingPathComponent("config/prices.json"))
        } catch {
            throw .input(error.description)
        }
        for (width, height) in [(800, 600), (1920, 1080)] {
            let station: Station
            do {
                station = try Station(width: width, height: height, home: home)
            } catch {
                throw .infrastructure("\(error)")
            }
            defer { station.close() }
            let capture = CaptureBenchmark(home: home, frames: runs, width: width, height: height)
            try capture.show(loaded.directory.appendingPathComponent("reference"), on: station, launcher: home.appendingPathComponent("sandbox")) {
                session in
                measure(station: station, structure: session.structure, task: loaded.spec, prices: prices, size: "\(width)x\(height)", emit)
            }
        }
    }

    private func measure(
        station: Station, structure: (any StructureSource)?, task: TaskSpec, prices: PriceTable, size: String, _ emit: (String) -> Void
    ) {
        let judge = AgentJudge(client: ModelClient(settings: ModelSettings(provider: OpenAIChat(), model: "gpt-4.1-mini")), prices: prices)
        guard let first = try? station.display.capture() else { return }
        let scale = ScreenScale(screenWidth: first.width, screenHeight: first.height)
        var parts: [String: [Double]] = [:]
        var total: [Double] = []
        var frame = first
        var reading: TextReading?
        var marks: [ScreenElement] = []
        var picture = first
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { parts[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
            return try body()
        }
        let testCase = task.cases[1]
        // On the web what the agent is told comes from the page's structure (text, numbered
        // elements); OCR is timed too, as what a desktop app or a canvas costs instead.
        let names = ["capture", "downscale", "encode", "structure", "request_build"]
        for _ in 0..<max(1, runs) {
            frame = (try? timed("capture") { try station.display.capture() }) ?? frame
            picture = timed("downscale") { scale.picture(of: frame) }
            _ = timed("encode") { try? PNG.encode(picture) }
            _ = timed("ocr") { try? station.ocr.read(frame) }
            timed("structure") {
                let page = structure.flatMap { try? $0.read() }
                let content = ScreenContent(image: frame, structure: page, source: structure) { [frame] () throws(OCRError) -> TextReading in
                    try station.ocr.read(frame)
                }
                reading = try? content.content()
                marks = ((try? content.elements()) ?? []).filter(\.role.isControl)
            }
            // The agent keeps its conversation, each observation encoded once; per step it
            // trims the history and serializes the request.
            var conversation = steadyState(judge, task: task, testCase: testCase, frame: frame, reading: reading, marks: marks, scale: scale, steps: 5)
            _ = timed("request_build") { () -> Data in
                judge.trim(&conversation)
                return Data(OpenAIChat().body(for: conversation, model: "gpt-4.1-mini").serialized().utf8)
            }
            total.append(names.map { parts[$0]?.last ?? 0 }.reduce(0, +))
        }
        for name in names + ["ocr"] {
            emit(Bench.line("agent_step_\(name)_\(size)", parts[name] ?? []))
        }
        emit(Bench.line("agent_step_overhead_\(size)", total, extra: ["image": "\(scale.imageWidth)x\(scale.imageHeight)"]))

        // Prompt size per step, bounded history against keeping everything.
        var unbounded = AgentSettings()
        unbounded.keptScreenshots = 1000
        unbounded.keptObservations = 1000
        let keepAll = AgentJudge(client: judge.client, prices: prices, settings: unbounded)
        var perStep: [Int] = [], perStepAll: [Int] = []
        for step in 0..<Self.stepsPerCase {
            var bounded = steadyState(judge, task: task, testCase: testCase, frame: frame, reading: reading, marks: marks, scale: scale, steps: step)
            judge.trim(&bounded)
            perStep.append(Self.tokens(bounded, scale: scale))
            var everything = steadyState(keepAll, task: task, testCase: testCase, frame: frame, reading: reading, marks: marks, scale: scale, steps: step)
            keepAll.trim(&everything)
            perStepAll.append(Self.tokens(everything, scale: scale))
        }
        let image = scale.imageWidth * scale.imageHeight / 750
        emit(
            Self.json([
                "name": "agent_prompt_tokens_\(size)", "per_step": perStep, "max": perStep.max() ?? 0, "image_tokens": image,
                "keep_all_per_step": perStepAll, "keep_all_max": perStepAll.max() ?? 0,
                "ratio_last_step": Double(perStepAll.last ?? 0) / Double(max(1, perStep.last ?? 1)),
            ]))
        let inputPerCase = perStep.reduce(0, +), inputPerCaseAll = perStepAll.reduce(0, +)
        let outputPerCase = Self.outputPerStep * Self.stepsPerCase
        for model in ["gpt-4.1-mini", "claude-haiku-4-5", "gpt-4o", "claude-sonnet-4-5"] {
            guard let price = prices.price(of: model) else { continue }
            func dollars(_ input: Int) -> Double {
                Double(Self.casesPerApp) * (Double(input) * price.input + Double(outputPerCase) * price.output) / 1_000_000
            }
            emit(
                Self.json([
                    "name": "agent_projected_app_cost_\(size)_\(model)", "dollars": (dollars(inputPerCase) * 10000).rounded() / 10000,
                    "keep_all_dollars": (dollars(inputPerCaseAll) * 10000).rounded() / 10000, "cases": Self.casesPerApp,
                    "steps_per_case": Self.stepsPerCase, "input_tokens_per_case": inputPerCase, "output_tokens_per_step": Self.outputPerStep,
                    "appevalpilot_dollars": 0.26,
                ]))
        }
    }

    /// The conversation as it stands before the model's answer at `steps` (actions taken so
    /// far), every observation showing `frame`.
    private func steadyState(
        _ judge: AgentJudge, task: TaskSpec, testCase: TestCase, frame: Image, reading: TextReading?, marks: [ScreenElement], scale: ScreenScale,
        steps: Int
    ) -> Conversation {
        var c = Conversation(system: AgentJudge.systemPrompt, tools: AgentTools.specs, maxOutputTokens: 800)
        c.messages = [
            .user(
                [.text(AgentJudge.intro(task: task, testCase: testCase))]
                    + judge.observationParts(
                        frame: "\(testCase.id)-01", image: frame, reading: reading, marks: marks, scale: scale, after: "The app as launched."))
        ]
        for i in 0..<steps {
            let call = ToolCall(id: "call_\(i)", name: "click", arguments: ["text": "Add"], rawArguments: #"{"text":"Add"}"#)
            c.messages.append(.assistant(text: nil, calls: [call]))
            c.messages.append(
                .toolResults([
                    .init(
                        callId: call.id,
                        parts: judge.observationParts(
                            frame: "\(testCase.id)-\(String(format: "%02d", i + 2))", image: frame, reading: reading, marks: marks, scale: scale,
                            after: "click \"Add\": done; the screen changed."))
                ]))
        }
        return c
    }

    /// Estimated input tokens: each picture width*height/750, text (system prompt, tool
    /// schemas, messages) 4 characters a token.
    static func tokens(_ c: Conversation, scale: ScreenScale) -> Int {
        var characters = c.system.count + c.tools.map { $0.name.count + $0.description.count + $0.parameters.serialized().count }.reduce(0, +)
        var pictures = 0
        func count(_ parts: [Conversation.Part]) {
            for p in parts {
                switch p {
                case .text(let t): characters += t.count
                case .png: pictures += 1
                }
            }
        }
        for m in c.messages {
            switch m {
            case .user(let parts): count(parts)
            case .assistant(let text, let calls): characters += (text?.count ?? 0) + calls.map { $0.name.count + $0.rawArguments.count }.reduce(0, +)
            case .toolResults(let results): results.forEach { count($0.parts) }
            }
        }
        return pictures * (scale.imageWidth * scale.imageHeight / 750) + characters / 4
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
    }
}
