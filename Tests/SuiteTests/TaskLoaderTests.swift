import Foundation
import TestSupport
import Testing

@testable import Suite

@Suite("Task files")
struct TaskLoaderTests {
    @Test func theTodoTaskLoads() throws {
        let task = try TaskLoader.load(directory: Repo.todoTask)
        #expect(task.spec.id == "todo-list")
        #expect(
            task.spec.cases.map(\.id) == ["heading", "add-button", "add-enter", "blank-ignored", "toggle-done", "delete", "persist", "clear-done"])
        #expect(task.spec.cases.allSatisfy { $0.script != nil })
        #expect(task.spec.app.viewport == TaskSpec.Viewport(width: 800, height: 600))
    }

    @Test func stepsRoundTripThroughJSON() throws {
        let task = try TaskLoader.load(directory: Repo.todoTask)
        let data = try JSONEncoder().encode(task.spec)
        #expect(try JSONDecoder().decode(TaskSpec.self, from: data) == task.spec)
    }

    static let valid = """
        {"id": "t", "scenario": "display", "requirement": "r", "cases": [{"id": "c", "description": "d", "script": [{"click": "Add"}]}]}
        """

    /// Every broken file gets one sentence naming the file and the field.
    @Test(
        "bad task files name the field",
        arguments: [
            (#"{"id": "t", "scenario": "display", "cases": []}"#, "requirement: is missing"),
            (#"{"id": "t", "scenario": "sports", "requirement": "r", "cases": []}"#, "scenario:"),
            (
                #"{"id": "t", "scenario": "display", "requirement": "r", "cases": [{"id": "c", "description": "d", "script": [{"clik": "Add"}]}]}"#,
                "cases[0].script[0].clik: unknown step 'clik'"
            ),
            (
                #"{"id": "t", "scenario": "display", "requirement": "r", "cases": [{"id": "c", "description": "d", "script": [{"wait": "long"}]}]}"#,
                "cases[0].script[0].wait: has the wrong type"
            ),
            (
                #"{"id": "t", "scenario": "display", "requirement": "r", "cases": [{"id": "c", "description": "d"}, {"id": "c", "description": "e"}]}"#,
                "cases[1].id: 'c' is used by another case"
            ),
            (
                #"{"id": "t", "scenario": "display", "requirement": "r", "cases": [{"id": "c", "description": "d", "script": [{"expect": {"text": "x"}}]}]}"#,
                "cases[0].script[0].expect: an expectation on \"text\" needs"
            ),
            (
                #"{"id": "Bad Id", "scenario": "display", "requirement": "r", "cases": [{"id": "c", "description": "d"}]}"#,
                "id: 'Bad Id' is not a valid id"
            ),
            (#"{"id": "t", "scenario": "display", "requirement": "r", "cases": []}"#, "cases: the task has no cases"),
            (#"{"id": "t", "#, "is not valid JSON"),
        ])
    func badFiles(json: String, message: String) throws {
        let dir = Scratch.directory("task")
        defer { try? FileManager.default.removeItem(at: dir) }
        try json.write(to: dir.appendingPathComponent("task.json"), atomically: true, encoding: .utf8)
        do {
            _ = try TaskLoader.load(directory: dir)
            Issue.record("loaded a broken task file")
        } catch {
            // "file:line: field: sentence" (these files are one line long).
            #expect(error.description.hasPrefix(dir.appendingPathComponent("task.json").path + ":1: "), "\(error.description)")
            #expect(error.line == 1)
            #expect(error.description.contains(message), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func aMissingFileSaysSo() {
        let dir = Scratch.directory("empty")
        #expect(throws: TaskError.self) { try TaskLoader.load(directory: dir) }
        do { _ = try TaskLoader.load(directory: dir) } catch {
            #expect(error.message.contains("no task.json"))
        }
    }

    @Test func defaultsFillWhatIsLeftOut() throws {
        let dir = Scratch.directory("defaults")
        try Self.valid.write(to: dir.appendingPathComponent("task.json"), atomically: true, encoding: .utf8)
        let task = try TaskLoader.load(directory: dir)
        #expect(task.spec.schemaVersion == 1)
        #expect(task.spec.app.kind == .web && task.spec.app.entry == "index.html")
        #expect(task.spec.app.viewport == TaskSpec.Viewport(width: 1024, height: 768))
        #expect(task.spec.cases[0].kind == .functional)
    }
}

@Suite struct TaskErrorLineTests {
    @Test func theLineOfTheFieldIsNamed() throws {
        let dir = Scratch.directory("task-lines")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
            {
              "id": "t",
              "scenario": "display",
              "requirement": "r",
              "cases": [
                {"id": "a", "description": "d"},
                {
                  "id": "b",
                  "description": "d",
                  "script": [
                    {"click": "Add"},
                    {"expect": {"visible": 3}}
                  ]
                }
              ]
            }
            """
        try text.write(to: dir.appendingPathComponent("task.json"), atomically: true, encoding: .utf8)
        do {
            _ = try TaskLoader.load(directory: dir)
            Issue.record("loaded a broken task file")
        } catch {
            #expect(error.line == 12, "\(error.description)")
            #expect(error.field == "cases[1].script[1].expect.visible")
        }
        try text.replacingOccurrences(of: #"{"expect": {"visible": 3}}"#, with: "{\"expect\": {\"visible\": \"x\"}},,").write(
            to: dir.appendingPathComponent("task.json"), atomically: true, encoding: .utf8)
        do {
            _ = try TaskLoader.load(directory: dir)
            Issue.record("loaded a broken task file")
        } catch {
            #expect(error.line == 12, "\(error.description)")
            #expect(error.description.contains("is not valid JSON"))
        }
    }
}
