import Foundation

/// A small deterministic random source (SplitMix64): the same seed always gives the same app.
struct GauntletRandom {
    private var state: UInt64

    init(seed: UInt64, salt: UInt64) {
        state = (seed &* 0x9E37_79B9_7F4A_7C15) ^ salt
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[int(0...(items.count - 1))]
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double(next() % 1_000_000) / 1_000_000 < probability
    }

    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        if result.count < 2 { return result }
        for i in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(i, int(0...i))
        }
        return result
    }
}

/// The seeded faults of the todo-list gauntlet. Each is one realistic bug; `mustFail` is worked
/// out from the task's case scripts (tasks/todo-list/task.json).
enum TodoFault: String, CaseIterable, Sendable {
    case statusWording
    case deleteLabelledRemove
    case noPersist
    case enterNotBound
    case blankAdded
    case deleteRemovesLast
    case remainingCountsAll
    case toggleClosure
    case clearRemovesAll
    case headingWrong
    case remainingCountsDone
    case enterNoRender
    case restoreWithoutDelete
    case toggleStatusStale
    case clearInverted
    case persistWrongKey
    case deleteClosure

    var summary: String {
        switch self {
        case .statusWording: return "the status reads \"N items left\" instead of \"Remaining: N\""
        case .deleteLabelledRemove: return "the row's button is labelled \"Remove\", not \"Delete\""
        case .noPersist: return "no persistence: tasks live only in memory"
        case .enterNotBound: return "Enter in the field does nothing (only the Add button adds)"
        case .blankAdded: return "blank input is added as an empty task"
        case .deleteRemovesLast: return "Delete removes the last task (indexOf on the wrong value gives -1)"
        case .remainingCountsAll: return "Remaining counts all tasks, done or not"
        case .toggleClosure: return "the checkbox handler captures the loop variable (var i): ticking throws and changes nothing"
        case .clearRemovesAll: return "Clear done removes every task"
        case .headingWrong: return "the heading reads \"My Tasks\" instead of \"Todo List\""
        case .remainingCountsDone: return "Remaining counts the done tasks instead of the open ones"
        case .enterNoRender: return "the Enter handler repeats the add code but never redraws: the task is saved, not shown until a reload"
        case .restoreWithoutDelete: return "after a reload the restored rows have no Delete button"
        case .toggleStatusStale: return "ticking strikes the task through but does not update Remaining"
        case .clearInverted: return "Clear done keeps the done tasks and removes the open ones"
        case .persistWrongKey: return "saves under one localStorage key and loads from another"
        case .deleteClosure: return "the Delete handler captures the loop variable (var i): Delete removes nothing"
        }
    }

    /// The case ids of tasks/todo-list that this fault makes fail.
    var mustFail: Set<String> {
        switch self {
        // "Remaining: N" is expected in every case but persist.
        case .statusWording: return ["heading", "add-button", "add-enter", "blank-ignored", "toggle-done", "delete", "clear-done"]
        // "Delete" on the row of the new task is expected by add-button, add-enter, persist; delete clicks it.
        case .deleteLabelledRemove: return ["add-button", "add-enter", "delete", "persist"]
        case .noPersist, .persistWrongKey, .restoreWithoutDelete: return ["persist"]
        case .enterNotBound, .enterNoRender: return ["add-enter"]
        case .blankAdded: return ["blank-ignored"]
        case .deleteRemovesLast, .deleteClosure: return ["delete"]
        // Only toggle-done looks at Remaining after ticking; delete and clear-done see the counts of undone lists.
        case .remainingCountsAll, .toggleStatusStale: return ["toggle-done"]
        // Ticking changes nothing, so Clear done removes nothing either.
        case .toggleClosure: return ["toggle-done", "clear-done"]
        case .clearRemovesAll, .clearInverted: return ["clear-done"]
        // persist expects the heading after the reload.
        case .headingWrong: return ["heading", "persist"]
        // Remaining shows 0 where 1 or 2 open tasks are expected.
        case .remainingCountsDone: return ["add-button", "add-enter", "toggle-done", "delete", "clear-done"]
        }
    }
}

private struct TodoTheme {
    var name: String
    var page: String  // CSS background of the page
    var fg: String
    var panel: String?  // a panel behind the app, or none
    var border: String
    var accent: String
    var accentFg: String
    var muted: String
    var inputBg: String
    var inputFg: String
    var danger: String
    var rowBg: String
}

private let todoThemes: [TodoTheme] = [
    TodoTheme(
        name: "light", page: "#ffffff", fg: "#1f2328", panel: nil, border: "#d0d7de", accent: "#0969da", accentFg: "#ffffff",
        muted: "#57606a", inputBg: "#ffffff", inputFg: "#1f2328", danger: "#cf222e", rowBg: "#f6f8fa"),
    TodoTheme(
        name: "paper panel", page: "#eef1f5", fg: "#24292f", panel: "#ffffff", border: "#c9d1d9", accent: "#2da44e", accentFg: "#ffffff",
        muted: "#57606a", inputBg: "#ffffff", inputFg: "#24292f", danger: "#b42318", rowBg: "#f6f8fa"),
    TodoTheme(
        name: "dark", page: "#0d1117", fg: "#e6edf3", panel: nil, border: "#30363d", accent: "#2f81f7", accentFg: "#ffffff",
        muted: "#8b949e", inputBg: "#161b22", inputFg: "#e6edf3", danger: "#f85149", rowBg: "#161b22"),
    TodoTheme(
        name: "dark grey panel", page: "#1e1e1e", fg: "#d4d4d4", panel: "#2b2b2b", border: "#454545", accent: "#3794ff", accentFg: "#ffffff",
        muted: "#a0a0a0", inputBg: "#1e1e1e", inputFg: "#e0e0e0", danger: "#ff6b6b", rowBg: "#333333"),
    TodoTheme(
        name: "navy", page: "#1d3557", fg: "#f1faee", panel: nil, border: "#457b9d", accent: "#e63946", accentFg: "#ffffff",
        muted: "#a8dadc", inputBg: "#f1faee", inputFg: "#1d3557", danger: "#ffb4b4", rowBg: "#24406a"),
    TodoTheme(
        name: "sepia", page: "#f4ecd8", fg: "#3b2f2f", panel: nil, border: "#c8b48f", accent: "#8b5e34", accentFg: "#ffffff",
        muted: "#6f5f4c", inputBg: "#fffaf0", inputFg: "#3b2f2f", danger: "#a4161a", rowBg: "#efe3c8"),
    TodoTheme(
        name: "mint panel", page: "#d8f3e8", fg: "#0b3d2e", panel: "#ffffff", border: "#9fd8c0", accent: "#0f7a5c", accentFg: "#ffffff",
        muted: "#3f6b5c", inputBg: "#ffffff", inputFg: "#0b3d2e", danger: "#c0392b", rowBg: "#f0faf5"),
    TodoTheme(
        name: "purple gradient with white panel", page: "linear-gradient(135deg, #6a11cb 0%, #2575fc 100%)", fg: "#222222",
        panel: "#ffffff", border: "#d6d0ef", accent: "#6a11cb", accentFg: "#ffffff", muted: "#5d5675", inputBg: "#faf8ff",
        inputFg: "#222222", danger: "#d63384", rowBg: "#f4f0ff"),
    TodoTheme(
        name: "solarized dark", page: "#002b36", fg: "#eee8d5", panel: "#073642", border: "#586e75", accent: "#b58900", accentFg: "#002b36",
        muted: "#93a1a1", inputBg: "#002b36", inputFg: "#eee8d5", danger: "#ff7b72", rowBg: "#0a4250"),
    TodoTheme(
        name: "pink", page: "#ffe4ec", fg: "#5a0a2c", panel: nil, border: "#f3a6bf", accent: "#c2255c", accentFg: "#ffffff",
        muted: "#8a3b5a", inputBg: "#fff5f8", inputFg: "#5a0a2c", danger: "#a61e4d", rowBg: "#fff0f5"),
    TodoTheme(
        name: "amber terminal", page: "#111111", fg: "#ffb000", panel: nil, border: "#7a5500", accent: "#ffb000", accentFg: "#111111",
        muted: "#c78a00", inputBg: "#1b1b1b", inputFg: "#ffb000", danger: "#ff5f1f", rowBg: "#1b1b1b"),
    TodoTheme(
        name: "teal", page: "#0f766e", fg: "#f0fdfa", panel: nil, border: "#5eead4", accent: "#fde047", accentFg: "#134e4a",
        muted: "#ccfbf1", inputBg: "#f0fdfa", inputFg: "#134e4a", danger: "#fecaca", rowBg: "#115e59"),
]

private enum TodoLayout: String { case list, cards, table, numbered, grid }
private enum TodoCheckbox: String { case native, accent, hiddenLabel, hiddenSpan, appearanceNone }
private enum TodoDelete: String { case text, inputButton, times, cross, trashEmoji, svg }
private enum TodoRender: String { case dom, delegated, classBased }
private enum TodoEnter: String { case keydown, keyup, keypress, form, none }
private enum TodoPart { case check, text, delete }
private enum TodoStatusMarkup: String { case plain, span, badge }
private enum TodoClearPlace: String { case withStatus, belowList, header }

private struct TodoStyle {
    var theme: TodoTheme
    var family: (name: String, css: String)
    var size: Int
    var sizeClass: String
    var heading: Int
    var headingUpper: Bool
    var banner: Bool
    var subtitle: String?
    var width: Int
    var centered: Bool
    var layout: TodoLayout
    var tableHeader: Bool
    var order: [TodoPart]
    var inputOnTop: Bool
    var statusOnTop: Bool
    var statusMarkup: TodoStatusMarkup
    var clearPlace: TodoClearPlace
    var label: String?  // a visible label for the field
    var srLabel: Bool
    var addAsInput: Bool
    var clearAsInput: Bool
    var enter: TodoEnter
    var checkbox: TodoCheckbox
    var roundCheck: Bool
    var delete: TodoDelete
    var deleteLook: String  // danger, outline, neutral, link
    var hoverDelete: Bool
    var doneLook: String  // strike, fade, muted, tint
    var buttonLook: String  // filled, outline, soft, pill
    var render: TodoRender
    var storageKey: String
    var fields: (text: String, done: String, wrapped: Bool)
    var files: String  // inline, split, nested
    var scriptInHead: Bool
    var emptyNote: String?
    var radius: Int
    var ids: (input: String, add: String, list: String, status: String, clear: String)
}

enum TodoGauntlet {
    /// Even seeds carry a fault (taken in turn from `TodoFault.allCases`), odd seeds are correct.
    static func fault(seed: UInt64) -> TodoFault? {
        guard seed % 2 == 0, seed > 0 else { return nil }
        let all = TodoFault.allCases
        return all[Int((seed / 2 - 1) % UInt64(all.count))]
    }

    static func app(seed: UInt64) -> GauntletApp {
        let fault = fault(seed: seed)
        var style = makeStyle(seed: seed)
        // Some bugs only exist in some code shapes: bend the style to a shape that can have it.
        switch fault {
        case .toggleClosure, .deleteClosure: style.render = .dom
        case .enterNotBound: style.enter = .none
        case .enterNoRender: style.enter = .keydown
        case .deleteLabelledRemove:
            if style.delete != .text && style.delete != .inputButton { style.delete = .text }
        default: break
        }
        if fault == nil || fault != .enterNotBound, style.enter == .none { style.enter = .keydown }

        let css = makeCSS(style)
        let js = makeJS(style, fault: fault)
        let html = makeHTML(style, fault: fault, css: css, js: js)
        var files: [String: String] = [:]
        switch style.files {
        case "split":
            files["index.html"] = html
            files["style.css"] = css
            files["app.js"] = js
        case "nested":
            files["index.html"] = html
            files["css/style.css"] = css
            files["js/app.js"] = js
        default:
            files["index.html"] = html
        }
        if style.files != "inline" && (seed % 3 == 0) {
            files["README.md"] = "# Todo List\n\nA small todo list. Open `index.html` in a browser; tasks are kept in localStorage.\n"
        }
        return GauntletApp(files: files, style: describe(style), fault: fault?.summary, mustFail: fault?.mustFail ?? [])
    }

    private static func describe(_ s: TodoStyle) -> String {
        let order = s.order.map { part -> String in
            switch part {
            case .check: return "check"
            case .text: return "text"
            case .delete: return "delete"
            }
        }.joined(separator: "/")
        var parts = [
            "\(s.theme.name) theme", "\(s.family.name) \(s.size)px (\(s.sizeClass))", s.layout.rawValue + (s.tableHeader ? " with header" : ""),
            "row \(order)", "input \(s.inputOnTop ? "above" : "below") list", "status \(s.statusOnTop ? "top" : "bottom") (\(s.statusMarkup.rawValue))",
            "clear \(s.clearPlace.rawValue)", "checkbox \(s.checkbox.rawValue)\(s.roundCheck ? " round" : "")",
            "delete \(s.delete.rawValue) \(s.deleteLook)\(s.hoverDelete ? " on hover" : "")", "done \(s.doneLook)",
            "buttons \(s.buttonLook)", "enter via \(s.enter.rawValue)", "render \(s.render.rawValue)", "files \(s.files)",
        ]
        if let label = s.label { parts.append("label \"\(label)\"") }
        if s.srLabel { parts.append("screen-reader label") }
        if s.addAsInput { parts.append("Add is <input type=button>") }
        if s.clearAsInput { parts.append("Clear done is <input type=button>") }
        if let note = s.emptyNote { parts.append("empty note \"\(note)\"") }
        if s.banner { parts.append("banner heading") }
        if s.headingUpper { parts.append("uppercase heading") }
        return parts.joined(separator: ", ")
    }

    private static func makeStyle(seed: UInt64) -> TodoStyle {
        var r = GauntletRandom(seed: seed, salt: 0x70D0_11E5)
        let theme = r.pick(todoThemes)
        let family = r.pick([
            (name: "sans", css: "\"DejaVu Sans\", \"Helvetica Neue\", Arial, sans-serif"),
            (name: "serif", css: "\"DejaVu Serif\", Georgia, \"Times New Roman\", serif"),
            (name: "monospace", css: "\"DejaVu Sans Mono\", Menlo, Consolas, monospace"),
            (name: "system-ui", css: "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif"),
        ])
        let sizeClass = r.pick(["small", "small", "normal", "normal", "large", "huge", "huge"])
        let size: Int
        switch sizeClass {
        case "small": size = r.pick([12, 13])
        case "normal": size = r.pick([14, 15, 16, 17, 18])
        case "large": size = r.pick([20, 22, 24])
        default: size = r.pick([28, 30, 32, 36, 40])
        }
        let heading: Int
        switch sizeClass {
        case "small": heading = size * r.int(16...24) / 10
        case "normal": heading = size * r.int(15...22) / 10
        case "large": heading = size * r.int(13...16) / 10
        default: heading = size * r.int(11...13) / 10
        }
        var layouts: [TodoLayout] = [.list, .cards, .table, .numbered]
        if size <= 18 { layouts.append(.grid) }
        let layout = r.pick(layouts)
        let enter = r.pick([TodoEnter.keydown, .keydown, .keyup, .keypress, .form])
        let render = r.pick([TodoRender.dom, .delegated, .classBased])
        let deleteKind = r.pick([TodoDelete.text, .text, .inputButton, .times, .cross, .trashEmoji, .svg])
        let keys = ["todos", "todo-list", "todo-items", "my-todos", "tasks.v1", "todoapp:state"]
        let fields = r.pick([
            (text: "text", done: "done", wrapped: false), (text: "title", done: "completed", wrapped: false),
            (text: "label", done: "checked", wrapped: true), (text: "text", done: "done", wrapped: true),
        ])
        let idSets = [
            (input: "new-task", add: "add-btn", list: "list", status: "status", clear: "clear-done"),
            (input: "taskInput", add: "addButton", list: "taskList", status: "remaining", clear: "clearDone"),
            (input: "todo-input", add: "todo-add", list: "todo-list", status: "todo-count", clear: "todo-clear"),
        ]
        let label: String? = r.pick([nil, nil, "Add a new task:", "Task", "What needs doing?", "New item"])
        let huge = sizeClass == "huge"
        let widths: [Int] = huge || sizeClass == "large" ? [700, 740, 760] : (sizeClass == "small" ? [380, 420, 480, 560] : [480, 540, 600, 640])
        let subtitle: String? = huge ? nil : r.pick([nil, nil, "Plan your day, one item at a time.", "Things to get through today", "Stay on top of things"])
        let note: String?
        let inputOnTop = r.chance(0.65)
        switch r.int(0...3) {
        case 0: note = "No tasks yet."
        case 1: note = inputOnTop ? "Nothing here yet. Add your first task above." : "Nothing here yet. Add your first task below."
        default: note = nil
        }
        return TodoStyle(
            theme: theme, family: family, size: size, sizeClass: sizeClass, heading: heading, headingUpper: r.chance(0.12),
            banner: r.chance(0.25), subtitle: subtitle, width: r.pick(widths), centered: r.chance(0.7), layout: layout,
            tableHeader: layout == .table && r.chance(0.6), order: r.shuffled([TodoPart.check, .text, .delete]), inputOnTop: inputOnTop,
            statusOnTop: r.chance(0.35), statusMarkup: r.pick([.plain, .span, .badge]), clearPlace: r.pick([.withStatus, .withStatus, .belowList, .header]),
            label: label, srLabel: label == nil && r.chance(0.4), addAsInput: r.chance(0.25), clearAsInput: r.chance(0.2), enter: enter,
            checkbox: r.pick([.native, .accent, .hiddenLabel, .hiddenSpan, .appearanceNone]), roundCheck: r.chance(0.4), delete: deleteKind,
            deleteLook: r.pick(["danger", "outline", "neutral", "link"]), hoverDelete: r.chance(0.18),
            doneLook: r.pick(["strike", "fade", "muted", "tint"]), buttonLook: r.pick(["filled", "outline", "soft", "pill"]), render: render,
            storageKey: r.pick(keys), fields: fields, files: r.pick(["inline", "inline", "split", "nested"]), scriptInHead: r.chance(0.4),
            emptyNote: note, radius: r.pick([0, 3, 6, 10]), ids: r.pick(idSets))
    }

    // MARK: CSS

    private static func makeCSS(_ s: TodoStyle) -> String {
        let t = s.theme
        let huge = s.sizeClass == "huge"
        let rowPad = huge ? "0.12em 0.3em" : (s.sizeClass == "small" ? "0.45em 0.6em" : "0.4em 0.6em")
        let gap = huge ? "0.35em" : "0.7em"
        let block = huge ? "0.3em" : "0.9em"
        let pagePad = huge ? 12 : 24
        var css: [String] = []
        css.append(
            """
            *, *::before, *::after { box-sizing: border-box; }
            html { min-height: 100%; background: \(t.page); }
            body {
              margin: 0;
              padding: \(t.panel != nil ? (huge ? 8 : 28) : 0)px 0 0;
              color: \(t.fg);
              font-family: \(s.family.css);
              font-size: \(s.size)px;
              line-height: \(huge ? "1.2" : "1.4");
            }
            .app {
              max-width: \(s.width)px;
              margin: \(s.centered ? "0 auto" : "0 0 0 \(pagePad)px");
              padding: \(pagePad)px \(huge ? 16 : 22)px;
            }
            """)
        if let panel = t.panel {
            css.append(
                """
                .app {
                  background: \(panel);
                  border-radius: \(max(s.radius, 6))px;
                  box-shadow: 0 6px 24px rgba(0, 0, 0, 0.18);
                }
                """)
        }
        css.append(
            """
            h1 {
              font-size: \(s.heading)px;
              line-height: 1.15;
              margin: 0 0 \(block);
              font-weight: \(s.headingUpper ? "800" : (s.family.name == "serif" ? "700" : "600"));
              \(s.headingUpper ? "text-transform: uppercase; letter-spacing: 0.06em;" : "")
            }
            .subtitle { margin: -0.5em 0 1em; color: \(t.muted); }
            """)
        if s.banner {
            css.append(
                """
                .banner {
                  background: \(t.accent);
                  color: \(t.accentFg);
                  padding: \(huge ? "0.15em 0.4em" : "0.6em 0.8em");
                  border-radius: \(s.radius)px;
                  margin-bottom: \(block);
                  display: flex; align-items: center; justify-content: space-between; gap: 1em;
                }
                .banner h1 { margin: 0; }
                .banner .subtitle { color: inherit; opacity: 0.85; margin: 0.2em 0 0; }
                """)
        } else {
            css.append(".banner { display: flex; align-items: center; justify-content: space-between; gap: 1em; }")
        }
        // The composer: a label, the field and Add.
        css.append(
            """
            .composer { display: flex; align-items: center; gap: \(gap); margin: \(block) 0; flex-wrap: \(s.label != nil && !huge ? "wrap" : "nowrap"); }
            .composer label.visible { flex: \(s.label != nil && s.label!.count > 8 && !huge ? "0 0 100%" : "none"); color: \(t.muted); }
            .composer input[type="text"] {
              flex: 1; min-width: 0;
              font: inherit;
              padding: \(huge ? "0.15em 0.35em" : "0.45em 0.6em");
              color: \(t.inputFg);
              background: \(t.inputBg);
              border: 1px solid \(t.border);
              border-radius: \(s.radius)px;
            }
            .composer input[type="text"]::placeholder { color: \(t.muted); opacity: 1; }
            .composer input[type="text"]:focus { outline: 2px solid \(t.accent); outline-offset: 1px; }
            .sr-only {
              position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
              overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
            }
            """)
        // Buttons.
        let buttonPad = huge ? "0.1em 0.45em" : "0.4em 0.95em"
        var button = """
            .btn { font: inherit; padding: \(buttonPad); cursor: pointer; border-radius: \(s.buttonLook == "pill" ? 999 : s.radius)px; }
            """
        switch s.buttonLook {
        case "filled", "pill":
            button += "\n.btn { background: \(t.accent); color: \(t.accentFg); border: 1px solid \(t.accent); }\n.btn:hover { filter: brightness(1.08); }"
        case "outline":
            button += "\n.btn { background: transparent; color: \(t.accent == t.page ? t.fg : t.fg); border: 2px solid \(t.accent); }"
        default:
            button += "\n.btn { background: \(t.rowBg); color: \(t.fg); border: 1px solid \(t.border); }"
        }
        css.append(button)
        // The list.
        switch s.layout {
        case .list:
            css.append(
                """
                .tasks { list-style: none; margin: 0 0 \(block); padding: 0; }
                .tasks .row { display: flex; align-items: center; gap: \(gap); padding: \(rowPad); border-bottom: 1px solid \(t.border); }
                """)
        case .numbered:
            css.append(
                """
                .tasks { margin: 0 0 \(block); padding: 0; counter-reset: item; list-style: none; }
                .tasks .row { display: flex; align-items: center; gap: \(gap); padding: \(rowPad); counter-increment: item; }
                .tasks .row::before { content: counter(item) "."; min-width: 1.4em; color: \(t.muted); text-align: right; }
                .tasks .row:nth-child(odd) { background: \(t.rowBg); }
                """)
        case .cards:
            css.append(
                """
                .tasks { display: flex; flex-direction: column; gap: \(huge ? "0.2em" : "0.6em"); margin: 0 0 \(block); }
                .tasks .row {
                  display: flex; align-items: center; gap: \(gap); padding: \(huge ? "0.12em 0.4em" : "0.6em 0.9em");
                  background: \(t.rowBg); border: 1px solid \(t.border); border-radius: \(max(s.radius, 4))px;
                  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.12);
                }
                """)
        case .grid:
            css.append(
                """
                .tasks { list-style: none; margin: 0 0 \(block); padding: 0; display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.7em; }
                .tasks .row {
                  display: flex; align-items: center; gap: 0.5em; padding: 0.7em 0.8em;
                  background: \(t.rowBg); border: 1px solid \(t.border); border-radius: \(max(s.radius, 6))px;
                }
                """)
        case .table:
            css.append(
                """
                .tasks-table { width: 100%; border-collapse: collapse; margin: 0 0 \(block); }
                .tasks-table th { text-align: left; font-weight: 600; color: \(t.muted); padding: \(rowPad); border-bottom: 2px solid \(t.border); }
                .tasks-table td { padding: \(rowPad); border-bottom: 1px solid \(t.border); vertical-align: middle; }
                .tasks-table td.c-text { width: 100%; }
                .tasks-table td.c-check, .tasks-table td.c-delete { white-space: nowrap; }
                """)
        }
        css.append(".row .text { flex: 1; min-width: 0; overflow-wrap: anywhere; }")
        switch s.doneLook {
        case "fade": css.append(".row.done .text { text-decoration: line-through; opacity: 0.5; }")
        case "muted": css.append(".row.done .text { text-decoration: line-through; color: \(t.muted); }")
        case "tint": css.append(".row.done { background: \(t.rowBg); }\n.row.done .text { text-decoration: line-through; font-style: italic; }")
        default: css.append(".row.done .text { text-decoration: line-through; }")
        }
        // Checkboxes.
        let round = s.roundCheck ? "50%" : "4px"
        switch s.checkbox {
        case .native:
            css.append(".toggle { width: 1em; height: 1em; margin: 0; flex: none; }")
        case .accent:
            css.append(".toggle { accent-color: \(t.accent); width: 1.25em; height: 1.25em; margin: 0; flex: none; cursor: pointer; }")
        case .hiddenLabel:
            css.append(
                """
                .toggle.sr-only + .box {
                  display: inline-block; position: relative; flex: none; cursor: pointer;
                  width: 1.15em; height: 1.15em; border: 2px solid \(t.accent); border-radius: \(round); background: \(t.inputBg);
                }
                .toggle.sr-only:checked + .box { background: \(t.accent); }
                .toggle.sr-only:checked + .box::after {
                  content: "\\2713"; position: absolute; inset: 0; display: flex; align-items: center; justify-content: center;
                  color: \(t.accentFg); font-size: 0.8em; line-height: 1;
                }
                """)
        case .hiddenSpan:
            css.append(
                """
                .check { position: relative; display: inline-flex; flex: none; cursor: pointer; }
                .check input { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0; opacity: 0; cursor: pointer; }
                .check .mark { width: 1.15em; height: 1.15em; border: 2px solid \(t.muted); border-radius: \(round); background: \(t.inputBg); }
                .check input:checked + .mark { background: \(t.accent); border-color: \(t.accent); box-shadow: inset 0 0 0 3px \(t.inputBg); }
                """)
        case .appearanceNone:
            css.append(
                """
                input.toggle.fancy {
                  -webkit-appearance: none; appearance: none; margin: 0; flex: none; cursor: pointer;
                  width: 1.2em; height: 1.2em; border: 2px solid \(t.accent); border-radius: \(round); background: \(t.inputBg);
                }
                input.toggle.fancy:checked { background: \(t.accent); box-shadow: inset 0 0 0 3px \(t.inputBg); }
                """)
        }
        // Delete.
        switch s.delete {
        case .text, .inputButton:
            var look: String
            switch s.deleteLook {
            case "danger": look = "background: \(t.danger); color: #ffffff; border: 1px solid \(t.danger);"
            case "outline": look = "background: transparent; color: \(t.danger); border: 1px solid \(t.danger);"
            case "link": look = "background: none; color: \(t.danger); border: none; text-decoration: underline; padding-left: 0.2em; padding-right: 0.2em;"
            default: look = "background: \(t.inputBg); color: \(t.inputFg); border: 1px solid \(t.border);"
            }
            if s.deleteLook == "danger" && ["navy", "teal", "solarized dark", "dark", "dark grey panel"].contains(t.name) {
                look = "background: #b3261e; color: #ffffff; border: 1px solid #b3261e;"
            }
            css.append(
                """
                .del { font: inherit; font-size: 0.9em; padding: \(huge ? "0.05em 0.35em" : "0.25em 0.7em"); border-radius: \(s.radius)px; cursor: pointer; flex: none; \(look) }
                """)
        default:
            css.append(
                """
                .del {
                  flex: none; cursor: pointer; background: transparent; border: none; color: \(t.danger);
                  font: inherit; font-size: 1.25em; line-height: 1; padding: 0.1em 0.3em; border-radius: \(s.radius)px;
                }
                .del:hover { background: rgba(127, 127, 127, 0.18); }
                .del svg { width: 0.9em; height: 0.9em; display: block; }
                """)
        }
        if s.hoverDelete {
            css.append(
                """
                .row .del { opacity: 0; transition: opacity 0.12s ease-in-out; }
                .row:hover .del, .row:focus-within .del { opacity: 1; }
                """)
        }
        css.append(
            """
            .status-bar { display: flex; align-items: center; justify-content: space-between; gap: 1em; margin: \(block) 0; }
            .status { margin: 0; }
            .status strong { font-weight: 600; }
            .badge {
              display: inline-block; min-width: 1.7em; padding: 0 0.45em; border-radius: 999px; text-align: center;
              background: \(t.accent); color: \(t.accentFg); font-weight: 600;
            }
            .empty { color: \(t.muted); font-style: italic; margin: 0.4em 0 \(block); }
            .below-list { margin: 0 0 \(block); }
            """)
        return css.joined(separator: "\n") + "\n"
    }

    // MARK: HTML

    private static func makeHTML(_ s: TodoStyle, fault: TodoFault?, css: String, js: String) -> String {
        let headingText = fault == .headingWrong ? "My Tasks" : "Todo List"
        let usesForm = s.enter == .form
        let addType = usesForm ? "submit" : "button"
        let addButton =
            s.addAsInput
            ? "<input type=\"\(addType)\" id=\"\(s.ids.add)\" class=\"btn btn-add\" value=\"Add\">"
            : "<button type=\"\(addType)\" id=\"\(s.ids.add)\" class=\"btn btn-add\">Add</button>"
        let clearButton =
            s.clearAsInput
            ? "<input type=\"button\" id=\"\(s.ids.clear)\" class=\"btn btn-clear\" value=\"Clear done\">"
            : "<button type=\"button\" id=\"\(s.ids.clear)\" class=\"btn btn-clear\">Clear done</button>"
        var labelHTML = ""
        if let label = s.label {
            labelHTML = "<label class=\"visible\" for=\"\(s.ids.input)\">\(label)</label>\n    "
        } else if s.srLabel {
            labelHTML = "<label class=\"sr-only\" for=\"\(s.ids.input)\">New task</label>\n    "
        }
        let field = "<input type=\"text\" id=\"\(s.ids.input)\" placeholder=\"New task\" autocomplete=\"off\">"
        let composerTag = usesForm ? "form" : "div"
        let composer = """
              <\(composerTag) class="composer" id="composer"\(usesForm ? " autocomplete=\"off\"" : "")>
                \(labelHTML)\(field)
                \(addButton)
              </\(composerTag)>
            """
        let wording = fault == .statusWording
        let status: String
        switch s.statusMarkup {
        case .plain:
            status = "<p class=\"status\" id=\"\(s.ids.status)\">\(wording ? "0 items left" : "Remaining: 0")</p>"
        case .span:
            status =
                wording
                ? "<p class=\"status\"><span id=\"\(s.ids.status)\">0</span> items left</p>"
                : "<p class=\"status\">Remaining: <span id=\"\(s.ids.status)\">0</span></p>"
        case .badge:
            status =
                wording
                ? "<p class=\"status\"><span id=\"\(s.ids.status)\" class=\"badge\">0</span> items left</p>"
                : "<p class=\"status\"><strong>Remaining:</strong> <span id=\"\(s.ids.status)\" class=\"badge\">0</span></p>"
        }
        let statusBlock: String
        if s.clearPlace == .withStatus {
            statusBlock = """
                  <div class="status-bar">
                    \(status)
                    \(clearButton)
                  </div>
                """
        } else {
            statusBlock = """
                  <div class="status-bar">
                    \(status)
                  </div>
                """
        }
        var listHTML: String
        switch s.layout {
        case .list: listHTML = "  <ul id=\"\(s.ids.list)\" class=\"tasks\"></ul>"
        case .numbered: listHTML = "  <ol id=\"\(s.ids.list)\" class=\"tasks\"></ol>"
        case .cards: listHTML = "  <div id=\"\(s.ids.list)\" class=\"tasks\"></div>"
        case .grid: listHTML = "  <ul id=\"\(s.ids.list)\" class=\"tasks\"></ul>"
        case .table:
            var head = ""
            if s.tableHeader {
                let cells = s.order.map { part -> String in
                    switch part {
                    case .check: return "<th><span class=\"sr-only\">Done</span></th>"
                    case .text: return "<th>Task</th>"
                    case .delete: return "<th><span class=\"sr-only\">Actions</span></th>"
                    }
                }.joined()
                head = "\n    <thead><tr>\(cells)</tr></thead>"
            }
            listHTML = "  <table class=\"tasks-table\">\(head)\n    <tbody id=\"\(s.ids.list)\"></tbody>\n  </table>"
        }
        if let note = s.emptyNote {
            listHTML += "\n  <p class=\"empty\" id=\"empty-note\">\(note)</p>"
        }
        if s.clearPlace == .belowList {
            listHTML += "\n  <div class=\"below-list\">\(clearButton)</div>"
        }
        var header = "<h1>\(headingText)</h1>"
        if let subtitle = s.subtitle { header = "<div>\(header)\n      <p class=\"subtitle\">\(subtitle)</p></div>" }
        if s.clearPlace == .header { header += "\n    \(clearButton)" }
        let headerBlock = "  <header class=\"banner\">\n    \(header)\n  </header>"

        var body: [String] = [headerBlock]
        if s.statusOnTop { body.append(statusBlock) }
        if s.inputOnTop { body.append(composer) }
        body.append(listHTML)
        if !s.inputOnTop { body.append(composer) }
        if !s.statusOnTop { body.append(statusBlock) }

        let cssLink: String
        switch s.files {
        case "split": cssLink = "<link rel=\"stylesheet\" href=\"style.css\">"
        case "nested": cssLink = "<link rel=\"stylesheet\" href=\"css/style.css\">"
        default: cssLink = "<style>\n\(css)</style>"
        }
        let src = s.files == "nested" ? "js/app.js" : "app.js"
        var headScript = ""
        var bodyScript = ""
        if s.files == "inline" {
            if s.scriptInHead {
                headScript = "\n<script>\ndocument.addEventListener(\"DOMContentLoaded\", function () {\n\(js)});\n</script>"
            } else {
                bodyScript = "\n<script>\n\(js)</script>"
            }
        } else if s.scriptInHead {
            headScript = "\n<script src=\"\(src)\" defer></script>"
        } else {
            bodyScript = "\n<script src=\"\(src)\"></script>"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Todo List</title>
            \(cssLink)\(headScript)
            </head>
            <body>
            <main class="app">
            \(body.joined(separator: "\n"))
            </main>\(bodyScript)
            </body>
            </html>

            """
    }

    // MARK: JavaScript

    /// The markup of one row's parts, as a JavaScript expression over `task` and `i`.
    private static func partsExpression(_ s: TodoStyle, fault: TodoFault?, withDelete: Bool) -> String {
        let done = s.fields.done
        let text = s.fields.text
        let checked = "(task.\(done) ? \" checked\" : \"\")"
        var pieces: [String] = []
        for part in s.order {
            var piece: String
            switch part {
            case .check:
                switch s.checkbox {
                case .native, .accent:
                    piece = "'<input type=\"checkbox\" class=\"toggle\" aria-label=\"Mark as done\"' + \(checked) + '>'"
                case .hiddenLabel:
                    piece =
                        "'<input type=\"checkbox\" class=\"toggle sr-only\" id=\"task-' + i + '\"' + \(checked) + '>"
                        + "<label class=\"box\" for=\"task-' + i + '\" title=\"Mark as done\"></label>'"
                case .hiddenSpan:
                    piece = "'<label class=\"check\" title=\"Mark as done\"><input type=\"checkbox\" class=\"toggle\"' + \(checked) + '><span class=\"mark\"></span></label>'"
                case .appearanceNone:
                    piece = "'<input type=\"checkbox\" class=\"toggle fancy\" aria-label=\"Mark as done\"' + \(checked) + '>'"
                }
                if s.layout == .table { piece = "'<td class=\"c-check\">' + \(piece) + '</td>'" }
            case .text:
                piece = "'<span class=\"text\">' + escapeHtml(task.\(text)) + '</span>'"
                if s.layout == .table { piece = "'<td class=\"c-text\">' + \(piece) + '</td>'" }
            case .delete:
                if !withDelete { continue }
                let word = fault == .deleteLabelledRemove ? "Remove" : "Delete"
                switch s.delete {
                case .text: piece = "'<button type=\"button\" class=\"del\">\(word)</button>'"
                case .inputButton: piece = "'<input type=\"button\" class=\"del\" value=\"\(word)\">'"
                case .times: piece = "'<button type=\"button\" class=\"del icon\" aria-label=\"\(word)\" title=\"\(word)\">&times;</button>'"
                case .cross: piece = "'<button type=\"button\" class=\"del icon\" aria-label=\"\(word)\" title=\"\(word)\">&#x2715;</button>'"
                case .trashEmoji: piece = "'<button type=\"button\" class=\"del icon\" aria-label=\"\(word)\" title=\"\(word)\">&#x1F5D1;</button>'"
                case .svg:
                    piece =
                        "'<button type=\"button\" class=\"del icon\" aria-label=\"\(word)\" title=\"\(word)\">"
                        + "<svg viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2.2\" stroke-linecap=\"round\" aria-hidden=\"true\">"
                        + "<path d=\"M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14M10 11v6M14 11v6\"/></svg></button>'"
                }
                if s.layout == .table { piece = "'<td class=\"c-delete\">' + \(piece) + '</td>'" }
            }
            pieces.append(piece)
        }
        return pieces.joined(separator: "\n    + ")
    }

    private static func rowTag(_ s: TodoStyle) -> String {
        switch s.layout {
        case .cards: return "div"
        case .table: return "tr"
        default: return "li"
        }
    }

    private static func makeJS(_ s: TodoStyle, fault: TodoFault?) -> String {
        switch s.render {
        case .dom: return domJS(s, fault: fault)
        case .delegated: return delegatedJS(s, fault: fault)
        case .classBased: return classJS(s, fault: fault)
        }
    }

    private static let escapeFunction = #"""
        function escapeHtml(value) {
          return String(value).replace(/[&<>"']/g, function (ch) {
            return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[ch];
          });
        }
        """#

    /// load() and save() as plain functions over a global `tasks`.
    private static func storageFunctions(_ s: TodoStyle, fault: TodoFault?, tasksRef: String, method: Bool) -> String {
        if fault == .noPersist { return "" }
        let loadKey = fault == .persistWrongKey ? s.storageKey + "-v2" : s.storageKey
        let fn = method ? "" : "function "
        let unwrap = s.fields.wrapped ? "data && data.items" : "data"
        let wrap = s.fields.wrapped ? "{ version: 1, items: \(tasksRef) }" : tasksRef
        return """
            \(fn)load() {
              try {
                var data = JSON.parse(localStorage.getItem("\(loadKey)") || "null");
                var items = \(unwrap);
                return Array.isArray(items) ? items.filter(function (t) { return t && typeof t.\(s.fields.text) === "string"; }) : [];
              } catch (e) {
                return [];
              }
            }
            \(fn)save() {
              try {
                localStorage.setItem("\(s.storageKey)", JSON.stringify(\(wrap)));
              } catch (e) {
                /* storage full or disabled */
              }
            }
            """
    }

    private static func remainingExpression(_ s: TodoStyle, fault: TodoFault?, tasksRef: String) -> String {
        switch fault {
        case .remainingCountsAll: return "\(tasksRef).length"
        case .remainingCountsDone: return "\(tasksRef).filter(function (t) { return t.\(s.fields.done); }).length"
        default: return "\(tasksRef).filter(function (t) { return !t.\(s.fields.done); }).length"
        }
    }

    private static func statusStatement(_ s: TodoStyle, fault: TodoFault?, element: String, count: String) -> String {
        if s.statusMarkup == .plain {
            return fault == .statusWording
                ? "\(element).textContent = \(count) + \" items left\";" : "\(element).textContent = \"Remaining: \" + \(count);"
        }
        return "\(element).textContent = String(\(count));"
    }

    private static func clearFilter(_ s: TodoStyle, fault: TodoFault?, tasksRef: String) -> String {
        switch fault {
        case .clearRemovesAll: return "[]"
        case .clearInverted: return "\(tasksRef).filter(function (t) { return t.\(s.fields.done); })"
        default: return "\(tasksRef).filter(function (t) { return !t.\(s.fields.done); })"
        }
    }

    /// The Enter wiring for the field; `add` is the call that adds.
    private static func enterWiring(_ s: TodoStyle, fault: TodoFault?, input: String, form: String, add: String, push: String) -> String {
        if fault == .enterNoRender {
            return """
                \(input).addEventListener("keydown", function (event) {
                  if (event.key !== "Enter") return;
                  var text = \(input).value.trim();
                  if (!text) return;
                  \(push)
                  \(input).value = "";
                });
                """
        }
        switch s.enter {
        case .keydown:
            return """
                \(input).addEventListener("keydown", function (event) {
                  if (event.key === "Enter") {
                    event.preventDefault();
                    \(add);
                  }
                });
                """
        case .keyup:
            return """
                \(input).addEventListener("keyup", function (event) {
                  if (event.key === "Enter" || event.keyCode === 13) { \(add); }
                });
                """
        case .keypress:
            return """
                \(input).addEventListener("keypress", function (event) {
                  if (event.key === "Enter") { \(add); }
                });
                """
        case .form:
            return """
                \(form).addEventListener("submit", function (event) {
                  event.preventDefault();
                  \(add);
                });
                """
        case .none:
            return ""
        }
    }

    private static func addWiring(_ s: TodoStyle, button: String, add: String) -> String {
        // With a form, the Add button submits it.
        if s.enter == .form { return "" }
        return "\(button).addEventListener(\"click\", function () { \(add); });"
    }

    private static func rowClass(_ s: TodoStyle, task: String) -> String {
        "\"row\" + (\(task).\(s.fields.done) ? \" done\" : \"\")"
    }

    // A classic script: ES5, one closure, rows built with createElement.
    private static func domJS(_ s: TodoStyle, fault: TodoFault?) -> String {
        let f = s.fields
        let save = fault == .noPersist ? "" : "save();"
        let tasksInit = fault == .noPersist ? "[]" : "load()"
        let add: String
        if fault == .blankAdded {
            add = """
                function addTask() {
                  var text = input.value.trim();
                  tasks.push({ \(f.text): text, \(f.done): false });
                  input.value = "";
                  \(save)
                  render();
                  input.focus();
                }
                """
        } else {
            add = """
                function addTask() {
                  var text = input.value.trim();
                  if (!text) {
                    input.value = "";
                    return;
                  }
                  tasks.push({ \(f.text): text, \(f.done): false });
                  input.value = "";
                  \(save)
                  render();
                  input.focus();
                }
                """
        }
        let toggle: String
        if fault == .toggleStatusStale {
            toggle = """
                function toggle(i, row) {
                  tasks[i].\(f.done) = !tasks[i].\(f.done);
                  \(save)
                  row.classList.toggle("done", tasks[i].\(f.done));
                }
                """
        } else {
            toggle = """
                function toggle(i, row) {
                  tasks[i].\(f.done) = !tasks[i].\(f.done);
                  \(save)
                  render();
                }
                """
        }
        let removeTask = fault == .deleteRemovesLast ? "tasks.splice(tasks.indexOf(task.\(f.text)), 1);" : "tasks.splice(tasks.indexOf(task), 1);"
        let loop: String
        if fault == .toggleClosure || fault == .deleteClosure {
            let toggleCall =
                fault == .toggleClosure ? "toggle(i, row);" : "var r = event.target.closest(\"[data-index]\");\n      toggle(Number(r.getAttribute(\"data-index\")), r);"
            let deleteCall =
                fault == .deleteClosure ? "removeAt(i);" : "removeAt(Number(event.currentTarget.closest(\"[data-index]\").getAttribute(\"data-index\")));"
            loop = """
                  for (var i = 0; i < tasks.length; i++) {
                    var task = tasks[i];
                    var row = document.createElement("\(rowTag(s))");
                    row.className = \(rowClass(s, task: "task"));
                    row.setAttribute("data-index", i);
                    row.innerHTML = rowMarkup(task, i);
                    row.querySelector(".toggle").addEventListener("change", function (event) {
                      \(toggleCall)
                    });
                    row.querySelector(".del").addEventListener("click", function (event) {
                      \(deleteCall)
                    });
                    list.appendChild(row);
                  }
                """
        } else {
            loop = """
                  tasks.forEach(function (task, i) {
                    var row = document.createElement("\(rowTag(s))");
                    row.className = \(rowClass(s, task: "task"));
                    row.innerHTML = rowMarkup(task, i);
                    row.querySelector(".toggle").addEventListener("change", function () {
                      toggle(i, row);
                    });
                    row.querySelector(".del").addEventListener("click", function () {
                      removeTask(task);
                    });
                    list.appendChild(row);
                  });
                """
        }
        let restore = fault == .restoreWithoutDelete ? restoreFunction(s, listRef: "list", tasksRef: "tasks", status: "updateStatus();") : ""
        let start = fault == .restoreWithoutDelete ? "restore();" : "render();"
        return """
            (function () {
              "use strict";

              var input = document.getElementById("\(s.ids.input)");
              var addButton = document.getElementById("\(s.ids.add)");
              var form = document.getElementById("composer");
              var list = document.getElementById("\(s.ids.list)");
              var statusEl = document.getElementById("\(s.ids.status)");
              var clearButton = document.getElementById("\(s.ids.clear)");
              var emptyNote = document.getElementById("empty-note");

            \(indent(escapeFunction, 2))

            \(indent(storageFunctions(s, fault: fault, tasksRef: "tasks", method: false), 2))

              var tasks = \(tasksInit);

              function rowMarkup(task, i) {
                return \(partsExpression(s, fault: fault, withDelete: true));
              }

              function countRemaining() {
                return \(remainingExpression(s, fault: fault, tasksRef: "tasks"));
              }

              function updateStatus() {
                \(statusStatement(s, fault: fault, element: "statusEl", count: "countRemaining()"))
                if (emptyNote) { emptyNote.style.display = tasks.length ? "none" : ""; }
              }

              function render() {
                list.innerHTML = "";
            \(indent(loop, 2))
                updateStatus();
              }

            \(indent(restore, 2))

            \(indent(add, 2))

            \(indent(toggle, 2))

              function removeTask(task) {
                \(removeTask)
                \(save)
                render();
              }

              function removeAt(i) {
                tasks.splice(i, 1);
                \(save)
                render();
              }

              function clearDone() {
                tasks = \(clearFilter(s, fault: fault, tasksRef: "tasks"));
                \(save)
                render();
              }

            \(indent(addWiring(s, button: "addButton", add: "addTask()"), 2))
            \(indent(enterWiring(s, fault: fault, input: "input", form: "form", add: "addTask()", push: "tasks.push({ \(f.text): text, \(f.done): false });\n      \(save)"), 2))
              clearButton.addEventListener("click", clearDone);

              \(start)
            })();

            """
    }

    /// The startup drawing of the restoreWithoutDelete fault: saved rows with a checkbox and text only.
    private static func restoreFunction(_ s: TodoStyle, listRef: String, tasksRef: String, status: String) -> String {
        """
        // Draw the saved tasks on startup.
        function restore() {
          \(tasksRef).forEach(function (task, i) {
            var row = document.createElement("\(rowTag(s))");
            row.className = \(rowClass(s, task: "task"));
            row.innerHTML = \(partsExpression(s, fault: nil, withDelete: false));
            \(listRef).appendChild(row);
          });
          \(status)
        }
        """
    }

    // ES2015+: one render that writes the list's HTML, and delegated listeners on the list.
    private static func delegatedJS(_ s: TodoStyle, fault: TodoFault?) -> String {
        let f = s.fields
        let save = fault == .noPersist ? "" : "save();"
        let tasksInit = fault == .noPersist ? "[]" : "load()"
        let guardBlank = fault == .blankAdded ? "" : "if (text === \"\") {\n    input.value = \"\";\n    return;\n  }\n  "
        let toggleBody =
            fault == .toggleStatusStale
            ? "tasks[index].\(f.done) = !tasks[index].\(f.done);\n  \(save)\n  row.classList.toggle(\"done\", tasks[index].\(f.done));"
            : "tasks[index].\(f.done) = !tasks[index].\(f.done);\n  \(save)\n  render();"
        let removeBody =
            fault == .deleteRemovesLast
            ? "tasks.splice(tasks.indexOf(row.dataset.index), 1);" : "tasks.splice(Number(row.dataset.index), 1);"
        let tag = rowTag(s)
        let restore = fault == .restoreWithoutDelete ? restoreFunction(s, listRef: "list", tasksRef: "tasks", status: "updateStatus();") : ""
        let start = fault == .restoreWithoutDelete ? "restore();" : "render();"
        return """
            const $ = (selector) => document.querySelector(selector);
            const input = $("#\(s.ids.input)");
            const addButton = $("#\(s.ids.add)");
            const form = $("#composer");
            const list = $("#\(s.ids.list)");
            const statusEl = $("#\(s.ids.status)");
            const clearButton = $("#\(s.ids.clear)");
            const emptyNote = $("#empty-note");

            \(escapeFunction)

            \(storageFunctions(s, fault: fault, tasksRef: "tasks", method: false))

            let tasks = \(tasksInit);

            const rowMarkup = (task, i) => \(partsExpression(s, fault: fault, withDelete: true));

            const countRemaining = () => \(remainingExpression(s, fault: fault, tasksRef: "tasks"));

            function updateStatus() {
              \(statusStatement(s, fault: fault, element: "statusEl", count: "countRemaining()"))
              if (emptyNote) emptyNote.hidden = tasks.length > 0;
            }

            function render() {
              list.innerHTML = tasks
                .map((task, i) => `<\(tag) class="row${task.\(f.done) ? " done" : ""}" data-index="${i}">${rowMarkup(task, i)}</\(tag)>`)
                .join("");
              updateStatus();
            }

            \(restore)

            function addTask() {
              const text = input.value.trim();
              \(guardBlank)tasks.push({ \(f.text): text, \(f.done): false });
              input.value = "";
              \(save)
              render();
              input.focus();
            }

            function toggle(index, row) {
              \(toggleBody)
            }

            function removeRow(row) {
              \(removeBody)
              \(save)
              render();
            }

            list.addEventListener("change", (event) => {
              if (!event.target.classList.contains("toggle")) return;
              const row = event.target.closest("[data-index]");
              if (row) toggle(Number(row.dataset.index), row);
            });

            list.addEventListener("click", (event) => {
              const button = event.target.closest(".del");
              if (!button) return;
              const row = button.closest("[data-index]");
              if (row) removeRow(row);
            });

            \(addWiring(s, button: "addButton", add: "addTask()"))
            \(enterWiring(s, fault: fault, input: "input", form: "form", add: "addTask()", push: "tasks.push({ \(f.text): text, \(f.done): false });\n  \(save)"))
            clearButton.addEventListener("click", () => {
              tasks = \(clearFilter(s, fault: fault, tasksRef: "tasks"));
              \(save)
              render();
            });

            \(start)

            """
    }

    // ES2015 class with ids per task.
    private static func classJS(_ s: TodoStyle, fault: TodoFault?) -> String {
        let f = s.fields
        let save = fault == .noPersist ? "" : "this.save();"
        let tasksInit = fault == .noPersist ? "[]" : "this.load()"
        let guardBlank = fault == .blankAdded ? "" : "if (!text) {\n      this.input.value = \"\";\n      return;\n    }\n    "
        let toggleTail = fault == .toggleStatusStale ? "row.classList.toggle(\"done\", task.\(f.done));" : "this.render();"
        let removeBody =
            fault == .deleteRemovesLast
            ? "this.tasks.splice(this.tasks.indexOf(id), 1);" : "this.tasks = this.tasks.filter((task) => task.id !== id);"
        let tag = rowTag(s)
        let storage = storageFunctions(s, fault: fault, tasksRef: "this.tasks", method: true)
        let restore =
            fault == .restoreWithoutDelete
            ? """
            // Draw the saved tasks on startup.
            restore() {
              this.tasks.forEach((task, i) => {
                const row = document.createElement("\(tag)");
                row.className = \(rowClass(s, task: "task"));
                row.innerHTML = \(partsExpression(s, fault: nil, withDelete: false));
                this.list.append(row);
              });
              this.updateStatus();
            }
            """ : ""
        let start = fault == .restoreWithoutDelete ? "this.restore();" : "this.render();"
        let addWire = s.enter == .form ? "" : "this.addButton.addEventListener(\"click\", () => this.add());"
        return """
            \(escapeFunction)

            function rowMarkup(task, i) {
              return \(partsExpression(s, fault: fault, withDelete: true));
            }

            class TodoApp {
              constructor() {
                this.input = document.getElementById("\(s.ids.input)");
                this.addButton = document.getElementById("\(s.ids.add)");
                this.form = document.getElementById("composer");
                this.list = document.getElementById("\(s.ids.list)");
                this.statusEl = document.getElementById("\(s.ids.status)");
                this.clearButton = document.getElementById("\(s.ids.clear)");
                this.emptyNote = document.getElementById("empty-note");
                this.tasks = \(tasksInit);
                this.nextId = this.tasks.reduce((max, task) => Math.max(max, task.id || 0), 0) + 1;
                this.tasks.forEach((task) => { if (!task.id) task.id = this.nextId++; });

                \(addWire)
            \(indent(enterWiring(s, fault: fault, input: "this.input", form: "this.form", add: "this.add()", push: "this.tasks.push({ id: this.nextId++, \(f.text): text, \(f.done): false });\n  \(save)").replacingOccurrences(of: "function (event) {", with: "(event) => {"), 4))
                this.clearButton.addEventListener("click", () => this.clearDone());
                \(start)
              }

            \(indent(storage, 2))

              add() {
                const text = this.input.value.trim();
                \(guardBlank)this.tasks.push({ id: this.nextId++, \(f.text): text, \(f.done): false });
                this.input.value = "";
                \(save)
                this.render();
                this.input.focus();
              }

              toggle(id, row) {
                const task = this.tasks.find((t) => t.id === id);
                task.\(f.done) = !task.\(f.done);
                \(save)
                \(toggleTail)
              }

              remove(id) {
                \(removeBody)
                \(save)
                this.render();
              }

              clearDone() {
                this.tasks = \(clearFilter(s, fault: fault, tasksRef: "this.tasks"));
                \(save)
                this.render();
              }

              remaining() {
                return \(remainingExpression(s, fault: fault, tasksRef: "this.tasks"));
              }

              updateStatus() {
                \(statusStatement(s, fault: fault, element: "this.statusEl", count: "this.remaining()"))
                if (this.emptyNote) this.emptyNote.hidden = this.tasks.length > 0;
              }

            \(indent(restore, 2))

              render() {
                this.list.replaceChildren();
                this.tasks.forEach((task, i) => {
                  const row = document.createElement("\(tag)");
                  row.className = \(rowClass(s, task: "task"));
                  row.innerHTML = rowMarkup(task, i);
                  row.querySelector(".toggle").addEventListener("change", () => this.toggle(task.id, row));
                  row.querySelector(".del").addEventListener("click", () => this.remove(task.id));
                  this.list.append(row);
                });
                this.updateStatus();
              }
            }

            \(s.scriptInHead && s.files == "inline" ? "new TodoApp();" : "window.todoApp = new TodoApp();")

            """
    }

    private static func indent(_ text: String, _ spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
}
