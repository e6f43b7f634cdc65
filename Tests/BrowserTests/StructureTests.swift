import Desktop
import Foundation
import Imaging
import Perception
import Suite
import TestSupport
import Testing

/// The browser's structure fused with the pixels, on pages in the real Chromium: what counts as
/// shown, what a field holds, and which element a target names.
@Suite("The page's structure, confirmed by its pixels", .serialized, .timeLimit(.minutes(5)))
struct StructureTests {
    static let style = """
        <meta charset="utf-8"><style>
        body { font-family: "DejaVu Sans", sans-serif; font-size: 18px; margin: 20px; background: #ffffff; color: #222222; }
        .card { background: #2b3345; color: #cfd8e3; padding: 10px; border-radius: 8px; margin: 8px 0; }
        button { font-size: 16px; }
        </style>
        """

    @Test func textThatIsNotDrawnIsNotShown() throws {
        let page = try LivePage(
            html: Self.style + """
                <p>Plain words</p>
                <div class="card"><span>Remaining: </span><span>1</span></div>
                <p style="display:none">Display none</p>
                <p style="visibility:hidden">Visibility hidden</p>
                <p style="position:absolute; left:-9999px">Off to the left</p>
                <p style="color:transparent">Transparent words</p>
                <p style="color:#ffffff">White on white</p>
                <p style="opacity:0">Opacity zero</p>
                <p style="font-size:0">Zero size</p>
                <p style="position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0)">Screen reader only</p>
                <div style="position:relative"><p>Covered words</p><div style="position:absolute; inset:0; background:#ffffff"></div></div>
                <p style="color:#f6f6f6">Barely there</p>
                <p style="text-decoration:line-through; color:#999999">Struck through</p>
                <p style="font-size:11px">Eleven pixels</p>
                """)
        defer { page.close() }
        let content = try page.content()
        let lines = try content.lines()
        for shown in ["Plain words", "Remaining: 1", "Struck through", "Eleven pixels"] {
            #expect(!TextSearch.find(shown, in: try content.content()).isEmpty, "\(shown) in \(lines)")
        }
        for hidden in [
            "Display none", "Visibility hidden", "Off to the left", "Transparent words", "White on white", "Opacity zero", "Zero size",
            "Screen reader only", "Covered words", "Barely there",
        ] {
            #expect(TextSearch.find(hidden, in: try content.content()).isEmpty, "\(hidden) in \(lines)")
        }
        // Too faint to read, but drawn: an absence check must not claim it is gone.
        #expect(!(try content.faintlyPresent("Barely there")).isEmpty)
        #expect((try content.faintlyPresent("White on white")).isEmpty)
    }

    @Test func whatIsTypedIsTheFieldsValueNotContent() throws {
        let page = try LivePage(
            html: Self.style + """
                <label for="t">Add something:</label> <input id="t" placeholder="New task"> <button>Add</button>
                <p>Items: none</p>
                """)
        defer { page.close() }
        let before = try page.content()
        guard case .success(let field) = try TargetResolver.resolve(.text("New task"), in: before) else {
            Issue.record("no field")
            return
        }
        #expect(field.element?.role == .textbox)
        try page.input.click(at: field.point)
        try page.input.type("Buy milk")
        let after = try page.content()
        let afterLines = try after.lines()
        #expect(TextSearch.find("Buy milk", in: try after.content()).isEmpty, "\(afterLines)")
        let textbox = try #require(try after.elements().first { $0.role == .textbox })
        #expect(textbox.value == "Buy milk")
        #expect(textbox.name == "Add something:")
        #expect(textbox.placeholder == "New task")
        // "Add" is the button, not the first word of the label.
        guard case .success(let add) = try TargetResolver.resolve(.text("Add"), in: after) else {
            Issue.record("Add not resolved")
            return
        }
        #expect(add.element?.role == .button, "\(add.note)")
        #expect(add.note.contains("button \"Add\""), "\(add.note)")
    }

    @Test func rowsIconButtonsAndStyledCheckboxes() throws {
        let page = try LivePage(
            html: Self.style + """
                <style>
                  ul { list-style: none; padding: 0; }
                  li { display: flex; gap: 12px; align-items: center; padding: 6px; }
                  .toggle { opacity: 0; width: 28px; height: 28px; margin: 0; position: absolute; }
                  .circle { width: 24px; height: 24px; border: 2px solid #5dc2af; border-radius: 50%; }
                  .destroy { display: none; }
                  li:hover .destroy { display: inline-block; }
                  #all { width: 1px; height: 1px; opacity: 0; position: absolute; left: 0; top: 0; }
                  #all + label { font-size: 0; }
                  #all + label::before { content: "❯"; font-size: 22px; color: #444; }
                </style>
                <input id="all" type="checkbox"><label for="all">Mark all as complete</label>
                <ul>
                  <li><input class="toggle" type="checkbox" aria-label="Done"><span class="circle"></span><span>Buy milk</span>
                      <button aria-label="Delete">×</button><button class="destroy">Remove</button></li>
                  <li><input class="toggle" type="checkbox" aria-label="Done" checked><span class="circle"></span><span>Walk dog</span>
                      <button aria-label="Delete">×</button><button class="destroy">Remove</button></li>
                </ul>
                """)
        defer { page.close() }
        let content = try page.content()
        // The icon buttons are named by their aria-label; two of them need a row to choose.
        if case .failure(let failure) = try TargetResolver.resolve(.element(ElementQuery(name: "Delete")), in: content) {
            #expect(failure.reason.contains("ambiguous"), "\(failure)")
        } else {
            Issue.record("two Delete buttons resolved without a row")
        }
        guard case .success(let delete) = try TargetResolver.resolve(.element(ElementQuery(name: "Delete", row: "Walk dog")), in: content) else {
            Issue.record("Delete in the row of Walk dog")
            return
        }
        let walk = try #require(TextSearch.find("Walk dog", in: try content.text()).first)
        #expect(abs(delete.point.y - walk.box.midY) < 20, "\(delete.note)")
        // The transparent checkbox over its drawn circle is shown and ticked as the tree says.
        guard case .success(let done) = try TargetResolver.resolve(.element(ElementQuery(role: .checkbox, row: "Walk dog")), in: content) else {
            Issue.record("the styled checkbox")
            return
        }
        #expect(done.element?.states.checked == true)
        // A checkbox drawn only by its label (zero font size, a glyph before it) is clicked there.
        guard case .success(let all) = try TargetResolver.resolve(.element(ElementQuery(role: .checkbox, name: "Mark all as complete")), in: content)
        else {
            let s = try #require(content.structure)
            let nodes = s.nodes.enumerated().filter { $0.1.role == .checkbox || $0.1.tag == "LABEL" || $0.1.tag == "::before" }.map { "\($0.0) \($0.1.tag) \($0.1.role as Any) box \($0.1.box as Any) labels \($0.1.labels) parent \($0.1.parent as Any) vis \($0.1.styleVisible)" }
            Issue.record("Mark all as complete: \(nodes)")
            return
        }
        #expect(all.element?.via == "its label", "\(all.note)")
        // The "Remove" buttons appear only under the pointer.
        #expect(try content.elements().allSatisfy { $0.name != "Remove" })
        try page.input.move(to: walk.box.center)
        let hovered = try page.content()
        guard case .success(let remove) = try TargetResolver.resolve(.text("Remove", row: "Walk dog"), in: hovered) else {
            Issue.record("Remove after hovering: \(try hovered.elements().map(\.label)) \(try hovered.lines())")
            return
        }
        #expect(abs(remove.point.y - walk.box.midY) < 20)
    }

    /// A control's name counts as shown text only when the control shows no words of its own
    /// and no label beside it already shows the name: nothing is read twice.
    @Test func controlNamesAreNotReadTwice() throws {
        let page = try LivePage(
            html: Self.style + """
                <p>Instagram <button aria-label="Copy Instagram link">Copy</button></p>
                <p>Mastodon <button aria-label="Copy Mastodon link">Copy</button></p>
                <p>Etsy <button aria-label="Copy Etsy link">Copy</button></p>
                <p><input type="checkbox" id="mc"><label for="mc">Match case</label></p>
                <p>Buy milk <button aria-label="Delete">×</button> <button aria-label="Settings">⚙</button></p>
                <p style="display: flex; gap: 10px; width: 700px"><input type="checkbox" aria-label="Done: Walk dog"><span style="flex: 1">Walk dog</span>
                  <button aria-label="Remove Walk dog">🗑</button></p>
                """)
        defer { page.close() }
        let content = try page.content()
        let shown = try content.content()
        let lines = try content.lines()
        #expect(TextSearch.find("Copy", in: shown).count == 3, "\(lines)")
        #expect(TextSearch.find("Copy Instagram link", in: shown).isEmpty, "\(lines)")
        #expect(TextSearch.find("Match case", in: shown).count == 1, "\(lines)")
        // Icon buttons are read by their names.
        #expect(TextSearch.find("Delete", in: shown).count == 1, "\(lines)")
        #expect(TextSearch.find("Settings", in: shown).count == 1, "\(lines)")
        // Names that repeat the row's text: the checkbox shows a box, the icon its action.
        #expect(TextSearch.find("Walk dog", in: shown).count == 1, "\(lines)")
        #expect(TextSearch.find("Done", in: shown).isEmpty, "\(lines)")
        #expect(TextSearch.find("Remove", in: shown).count == 1, "\(lines)")
    }

    @Test func rowsAreTheItemsOfTheirList() throws {
        let page = try LivePage(
            html: Self.style + """
                <style> .grid { display: flex; gap: 16px; } .item { border: 1px solid #888; padding: 8px; width: 200px; } </style>
                <table><tr><td>Buy milk</td><td>2 l</td><td><button>Edit</button></td></tr>
                       <tr><td>Walk dog</td><td>1 h</td><td><button>Edit</button></td></tr></table>
                <div class="grid">
                  <div class="item"><h3>Red card</h3><p>A red thing</p><button>Open</button></div>
                  <div class="item"><h3>Blue card</h3><p>A blue thing</p></div>
                  <div class="item"><h3>Green card</h3><p>A green thing</p><button>Open</button></div>
                </div>
                """)
        defer { page.close() }
        let content = try page.content()
        guard case .success(let edit) = try TargetResolver.resolve(.text("Edit", row: "Walk dog"), in: content) else {
            Issue.record("Edit in a table row")
            return
        }
        let walk = try #require(TextSearch.find("Walk dog", in: try content.text()).first)
        #expect(abs(edit.point.y - walk.box.midY) < 12)
        guard case .success(let open) = try TargetResolver.resolve(.text("Open", row: "Green card"), in: content) else {
            Issue.record("Open in a card")
            return
        }
        let green = try #require(TextSearch.find("Green card", in: try content.text()).first)
        #expect(abs(open.point.x - green.box.midX) < 120, "\(open.note)")
        // The blue card has no button: another card's is not its own.
        if case .success(let wrong) = try TargetResolver.resolve(.text("Open", row: "Blue card"), in: content) {
            Issue.record("found \(wrong.note) in a card without one")
        }
    }

    /// Found by a blind fixture (a search bar): fields of one form side by side, each a control
    /// and its label in a wrapper of the same class, make one row; records of a list built the
    /// same way (a checkbox and its label, a button) stay rows of their own.
    @Test func fieldsOfOneFormShareARowRecordsOfAListDoNot() throws {
        let page = try LivePage(
            html: Self.style + """
                <style> .bar { display: flex; gap: 12px; align-items: center; } .field { display: inline-flex; gap: 6px; align-items: center; }
                  .todo { display: flex; gap: 8px; align-items: center; margin: 6px 0; } </style>
                <form class="bar"><input aria-label="Query" placeholder="Word"> <button type="button">Go</button>
                  <span class="field"><label for="k">Kind</label> <select id="k"><option>All kinds</option></select></span>
                  <span class="field"><input type="checkbox" id="m"> <label for="m">Exact</label></span></form>
                <div class="todo"><input type="checkbox" id="t1"><label for="t1">Buy milk</label><button>Delete</button></div>
                <div class="todo"><input type="checkbox" id="t2"><label for="t2">Walk dog</label><button>Delete</button></div>
                <div class="todo"><input type="checkbox" id="t3"><label for="t3">Feed cat</label></div>
                """)
        defer { page.close() }
        let content = try page.content()
        guard case .success(let kind) = try TargetResolver.resolve(.element(ElementQuery(role: .combobox, name: "Kind", row: "Exact")), in: content) else {
            Issue.record("the select beside the checkbox is in its row")
            return
        }
        #expect(kind.element?.value == "All kinds", "\(kind.note)")
        guard case .success(let delete) = try TargetResolver.resolve(.text("Delete", row: "Walk dog"), in: content) else {
            Issue.record("Delete in the row of Walk dog")
            return
        }
        let walk = try #require(TextSearch.find("Walk dog", in: try content.text()).first)
        #expect(abs(delete.point.y - walk.box.midY) < 12, "\(delete.note)")
        // Feed cat's row has no Delete button: another record's is not its own.
        #expect(try TargetResolver.matching(ElementQuery(role: .button, name: "Delete", row: "Feed cat"), in: content).isEmpty)
    }

    /// What the blind task writers found a person reads differently: a card beside another is
    /// not its row, a sentence wrapped over two lines is one sentence, a placeholder's words sit
    /// where its letters are; a closed select's chosen option is its value, as typed text is.
    @Test func cardsWrappedTextPlaceholdersAndSelects() throws {
        let page = try LivePage(
            html: Self.style + """
                <style> .cards { display: flex; gap: 16px; } .slot { border: 1px solid #888; padding: 8px; width: 180px; }
                  .cells { display: grid; grid-template-columns: 120px 60px; } p.narrow { width: 170px; margin: 6px 0; }
                  ul { margin: 4px 0; } li { margin: 0; } </style>
                <div class="cards">
                  <div class="slot"><b>Slot A</b> <span>Taken</span></div>
                  <div class="slot"><b>Slot B</b> <button>Book</button></div>
                </div>
                <div class="cells"><div>Alice</div><div>90</div><div>Bob</div><div>85</div></div>
                <p class="narrow">Your booking is confirmed for <b>Monday</b> morning</p>
                <ul><li>Buy milk</li><li>Walk dog</li></ul>
                <div role="img" aria-label="Sunglasses" style="width: 60px; height: 40px; background: #2a3147; position: relative">
                  <i style="position: absolute; left: 10px; top: 10px; width: 30px; height: 20px; background: #34495e"></i></div>
                <div role="img" aria-label="Nothing drawn" style="width: 60px; height: 40px"></div>
                <div role="img" aria-label="Plain tile" style="width: 60px; height: 40px; background: #dde3ea; margin: 6px 0"></div>
                <input placeholder="Search" style="width: 500px"> <select aria-label="Kind"><option>All kinds</option><option>Food</option></select>
                """)
        defer { page.close() }
        let content = try page.content()
        let text = try content.text()
        let lines = try content.lines()
        // Slot A's card has no Book button; Slot B's, beside it on screen, is not in its row.
        let slotA = try #require(TextSearch.find("Slot A", in: text).first)
        let book = try #require(TextSearch.find("Book", inRowOf: slotA.box, in: text).first, "on one screen row: \(lines)")
        #expect(TargetResolver.inAnotherItem(book.box, of: slotA, content: content))
        // The cards themselves stand in a row: their titles are side by side.
        let slotB = try #require(TextSearch.find("Slot B", inRowOf: slotA.box, in: text).first)
        #expect(!TargetResolver.inAnotherItem(slotB.box, of: slotA, content: content))
        // Cells of a grid of divs line up into rows a person reads.
        let alice = try #require(TextSearch.find("Alice", in: text).first)
        let ninety = try #require(TextSearch.find("90", inRowOf: alice.box, in: text).first, "\(lines)")
        #expect(!TargetResolver.inAnotherItem(ninety.box, of: alice, content: content))
        // A sentence broken over lines (a bold word in it) is found whole; two list items are not one.
        #expect(try #require(content.structure).runs.filter { $0.text.contains("booking") || $0.text.contains("morning") }.count >= 2, "wrapped")
        #expect(!TextSearch.find("Your booking is confirmed for Monday morning", in: text).isEmpty, "\(lines)")
        #expect(!TextSearch.find("confirmed for Monday", in: try content.content()).isEmpty)
        #expect(TextSearch.find("milk Walk", in: text).isEmpty, "\(lines)")
        // The placeholder's one word is about as wide as its letters, not the field.
        let search = try #require(TextSearch.find("Search", in: text).first, "\(lines)")
        #expect(search.box.width < 120, "\(search.box)")
        // A picture of low contrast is still a picture; an empty box named as one is not.
        let pictures = try content.elements().filter { $0.role == .image }.map(\.name)
        #expect(pictures.contains("Sunglasses") && pictures.contains("Plain tile") && !pictures.contains("Nothing drawn"), "\(pictures)")
        // A closed select's chosen option is what the field holds.
        #expect(TextSearch.find("All kinds", in: text).isEmpty, "\(lines)")
        guard case .success(let kind) = try TargetResolver.resolve(.element(ElementQuery(name: "Kind", field: true)), in: content) else {
            Issue.record("the select by its label")
            return
        }
        #expect(kind.element?.value == "All kinds", "\(kind.note)")
    }

    /// A drop cap (`::first-letter`, floated and large) is the first letter of its word as a
    /// person reads it, and text a stylesheet adds (`::before`) is shown like any other.
    @Test func dropCapsAndGeneratedTextAreReadWithTheirWords() throws {
        let page = try LivePage(
            html: Self.style + """
                <style> .body::first-letter { font-size: 46px; float: left; line-height: 1; padding-right: 6px; color: #a33; }
                  .back::before { content: "\\2190  Back to "; } </style>
                <p class="body">Garlic and olive oil, tomato and basil, lemon and butter, pesto, and a quick cream sauce:
                five dinners ready in the time the pasta boils.</p>
                <a href="#" class="back">posts</a>
                """)
        defer { page.close() }
        let content = try page.content()
        let lines = try content.lines()
        #expect(!TextSearch.find("Garlic and olive oil", in: try content.content()).isEmpty, "\(lines)")
        #expect(!TextSearch.find("Back to posts", in: try content.content()).isEmpty, "\(lines)")
    }

    @Test func boxesStayOnTheirTextWhenThePageScrolls() throws {
        let rows = (1...60).map { "<p>Line number \($0)</p>" }.joined()
        let page = try LivePage(html: Self.style + rows)
        defer { page.close() }
        try page.input.scroll(at: Point(x: 400, y: 300), dx: 0, dy: 10)
        usleep(300_000)
        let content = try page.content()
        let shown = try content.content().lines.map(\.text)
        #expect(!shown.contains("Line number 1"), "\(shown)")
        // Each box holds the text the page says it holds: OCR of the box reads it.
        let words = try content.ocr()
        for line in try content.content().lines.filter({ $0.box.y > 2 }).prefix(5) {
            let read = words.words.filter { line.box.insetBy(-3).contains($0.box.center) }.map(\.text).joined(separator: " ")
            #expect(TextSearch.tokens(of: read) == TextSearch.tokens(of: line.text), "\(line.text) at \(line.box) read as \(read)")
        }
    }
}
