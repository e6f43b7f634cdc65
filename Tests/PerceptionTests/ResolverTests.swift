import DevTools
import Imaging
import Suite
import Testing

@testable import Perception

/// A page built by hand: elements with roles and names, text runs, and a frame where every run
/// and control is drawn, so the rules of target resolution can be tested without a browser.
final class FakePage: StructureSource, @unchecked Sendable {
    var nodes: [PageNode] = []
    var runs: [TextRun] = []
    var image = Image(width: 800, height: 600)
    /// Nodes that are not drawn (transparent, the colour of their background).
    var undrawn: Set<Int> = []

    init() {
        _ = add(tag: "BODY", parent: nil, box: Rect(x: 0, y: 0, width: 800, height: 600))
    }

    /// Adds an element and returns its index.
    @discardableResult
    func add(tag: String, parent: Int?, role: ElementRole? = nil, name: String = "", box: Rect, classes: String = "", labels: [Int] = []) -> Int {
        let depth = parent.map { nodes[$0].depth + 1 } ?? 0
        nodes.append(
            PageNode(
                parent: parent, depth: depth, tag: tag, classes: classes, backendId: nodes.count + 100, box: box, hidden: false, opacity: 1,
                fontSize: 16, role: role, axRole: role?.rawValue, name: name, value: role?.isField == true ? "" : nil, placeholder: nil,
                states: role == .checkbox ? ElementStates(checked: false) : ElementStates(), labels: labels, clickable: role != nil))
        return nodes.count - 1
    }

    /// Adds text inside `parent` and draws it.
    func text(_ string: String, in parent: Int, at box: Rect) {
        let node = add(tag: "#text", parent: parent, box: box)
        runs.append(TextRun(node: node, element: parent, text: string, box: box))
        draw(box)
    }

    /// A control with its label drawn inside it.
    @discardableResult
    func control(_ role: ElementRole, _ name: String, in parent: Int, at box: Rect, label: String? = nil) -> Int {
        let node = add(tag: role == .checkbox ? "INPUT" : "BUTTON", parent: parent, role: role, name: name, box: box)
        outline(box)
        if let label { text(label, in: node, at: box.insetBy(4)) }
        return node
    }

    func draw(_ box: Rect) {
        for y in stride(from: box.y + 2, to: box.maxY - 2, by: 3) {
            for x in box.x..<box.maxX where x % 2 == 0 { image[x, y] = RGB(20, 20, 20) }
        }
    }

    func outline(_ box: Rect) {
        for x in box.x..<box.maxX { image[x, box.y] = RGB(90, 90, 90); image[x, box.maxY - 1] = RGB(90, 90, 90) }
        for y in box.y..<box.maxY { image[box.x, y] = RGB(90, 90, 90); image[box.maxX - 1, y] = RGB(90, 90, 90) }
    }

    var structure: PageStructure { PageStructure(nodes: nodes, runs: runs, viewport: image.bounds) }

    func read() throws(DevToolsError) -> PageStructure { structure }

    /// The topmost node whose box holds the point: the last one added.
    func hitTest(_ points: [Point]) throws(DevToolsError) -> [Int?] {
        points.map { p in nodes.lastIndex { $0.box?.contains(p) == true && !$0.isText }.map { nodes[$0].backendId } }
    }

    var content: ScreenContent {
        ScreenContent(image: image, structure: structure, source: self) { () throws(OCRError) -> TextReading in TextReading(words: []) }
    }

    func resolve(_ target: Target) throws -> Result<Resolution, ResolutionFailure> {
        try TargetResolver.resolve(target, in: content)
    }
}

@Suite("Target resolution on the page's structure")
struct ResolverTests {
    /// "Add something:" beside a button "Add": the button, not the label's first word.
    @Test func theControlBeforeAWordOfALabel() throws {
        let page = FakePage()
        let form = page.add(tag: "DIV", parent: 0, box: Rect(x: 10, y: 10, width: 700, height: 40))
        let label = page.add(tag: "LABEL", parent: form, box: Rect(x: 10, y: 10, width: 140, height: 20))
        page.text("Add something:", in: label, at: Rect(x: 10, y: 10, width: 140, height: 20))
        page.control(.button, "Add", in: form, at: Rect(x: 400, y: 10, width: 60, height: 30), label: "Add")
        guard case .success(let r) = try page.resolve(.text("Add")) else {
            Issue.record("Add not resolved")
            return
        }
        #expect(r.element?.role == .button)
        #expect(r.point.x > 400)
        #expect(r.note.contains("a control with that whole name"), "\(r.note)")
        #expect(r.note.contains("Add something"), "the runner-up is named: \(r.note)")
    }

    /// Two Delete buttons and nothing to choose by: a failure that says so, never a guess.
    @Test func twoEquallyGoodCandidatesAreAmbiguous() throws {
        let page = FakePage()
        let list = page.add(tag: "UL", parent: 0, box: Rect(x: 10, y: 100, width: 600, height: 80))
        for (i, name) in ["Buy milk", "Walk dog"].enumerated() {
            let y = 100 + i * 40
            let item = page.add(tag: "LI", parent: list, role: .listitem, box: Rect(x: 10, y: y, width: 600, height: 36))
            page.text(name, in: item, at: Rect(x: 20, y: y + 8, width: 80, height: 18))
            page.control(.button, "Delete", in: item, at: Rect(x: 500, y: y + 4, width: 70, height: 28), label: "Delete")
        }
        guard case .failure(.ambiguous(let why)) = try page.resolve(.text("Delete")) else {
            Issue.record("two Delete buttons were not ambiguous")
            return
        }
        #expect(why.contains("2 equally good candidates"), "\(why)")
        guard case .success(let r) = try page.resolve(.text("Delete", row: "Walk dog")) else {
            Issue.record("the row did not choose")
            return
        }
        #expect(r.point.y > 140)
    }

    /// A row that lacks the control does not borrow another row's.
    @Test func aRowWithoutTheControlHasNone() throws {
        let page = FakePage()
        let list = page.add(tag: "UL", parent: 0, box: Rect(x: 10, y: 100, width: 600, height: 80))
        let first = page.add(tag: "LI", parent: list, role: .listitem, box: Rect(x: 10, y: 100, width: 600, height: 36))
        page.text("Buy milk", in: first, at: Rect(x: 20, y: 108, width: 80, height: 18))
        let second = page.add(tag: "LI", parent: list, role: .listitem, box: Rect(x: 10, y: 140, width: 600, height: 36))
        page.text("Walk dog", in: second, at: Rect(x: 20, y: 148, width: 80, height: 18))
        page.control(.button, "Delete", in: second, at: Rect(x: 500, y: 144, width: 70, height: 28), label: "Delete")
        if case .success(let wrong) = try page.resolve(.text("Delete", row: "Buy milk")) {
            Issue.record("resolved \(wrong.note)")
        }
    }

    /// A card: title block above a block of actions; the actions belong to the card, and a
    /// card without them does not take its neighbour's.
    @Test func aCardsActionsAreInItsRow() throws {
        let page = FakePage()
        let grid = page.add(tag: "DIV", parent: 0, box: Rect(x: 0, y: 0, width: 800, height: 200))
        for (i, title) in ["Red card", "Blue card"].enumerated() {
            let x = 10 + i * 300
            let card = page.add(tag: "DIV", parent: grid, box: Rect(x: x, y: 10, width: 280, height: 150))
            let head = page.add(tag: "DIV", parent: card, box: Rect(x: x, y: 10, width: 280, height: 30))
            let h3 = page.add(tag: "H3", parent: head, role: .heading, name: title, box: Rect(x: x + 10, y: 14, width: 100, height: 20))
            page.text(title, in: h3, at: Rect(x: x + 10, y: 14, width: 100, height: 20))
            let blurb = page.add(tag: "DIV", parent: card, box: Rect(x: x, y: 50, width: 280, height: 20))
            page.text("A fine thing", in: blurb, at: Rect(x: x + 10, y: 50, width: 120, height: 18))
            if i == 0 {
                let actions = page.add(tag: "DIV", parent: card, box: Rect(x: x, y: 100, width: 280, height: 40))
                page.control(.button, "Open", in: actions, at: Rect(x: x + 10, y: 104, width: 70, height: 30), label: "Open")
            }
        }
        guard case .success(let r) = try page.resolve(.text("Open", row: "Red card")) else {
            Issue.record("Open in its card")
            return
        }
        #expect(r.point.x < 300)
        if case .success(let wrong) = try page.resolve(.text("Open", row: "Blue card")) {
            Issue.record("the blue card took the red card's button: \(wrong.note)")
        }
    }

    /// Text that is in the page but not drawn (transparent, the colour of its background) is
    /// not shown; a control named only by its aria-label is content by that name.
    @Test func undrawnTextIsNotContentAndIconButtonsAreTheirNames() throws {
        let page = FakePage()
        let p = page.add(tag: "P", parent: 0, box: Rect(x: 10, y: 10, width: 300, height: 20))
        let box = Rect(x: 10, y: 10, width: 200, height: 20)
        let node = page.add(tag: "#text", parent: p, box: box)
        page.runs.append(TextRun(node: node, element: p, text: "Secret words", box: box))
        let item = page.add(tag: "DIV", parent: 0, box: Rect(x: 10, y: 60, width: 400, height: 30))
        page.text("Buy milk", in: item, at: Rect(x: 20, y: 64, width: 80, height: 18))
        page.control(.button, "Delete", in: item, at: Rect(x: 300, y: 60, width: 30, height: 30), label: "×")
        let content = try page.content.content()
        #expect(TextSearch.find("Secret words", in: content).isEmpty)
        #expect(TextSearch.find("Delete", in: content).count == 1)
        #expect(TextSearch.find("×", in: content).count == 1)
    }
}

@Suite("Exact and tolerant matching")
struct MatchingRuleTests {
    /// The page's own text is matched word for word; OCR's reading with its tolerance, which
    /// never reaches a short word or a number.
    @Test func theBrowsersTextIsExactAndOCRsTolerance() {
        let exact = TextReading(words: [Word(text: "Rernaining:", box: Rect(x: 0, y: 0, width: 80, height: 16), confidence: 100)], exact: true)
        #expect(TextSearch.find("Remaining:", in: exact).isEmpty)
        let ocr = reading([words("Rernaining: 1")])
        #expect(!TextSearch.find("Remaining: 1", in: ocr).isEmpty)
        #expect(TextSearch.find("Player O: 0", in: reading([words("Player X: 0")])).isEmpty)
        #expect(TextSearch.find("Player X: 0", in: reading([words("Player O: 0")])).isEmpty)
    }

    @Test func fitsIsWholeOrPartByWords() {
        #expect(TargetResolver.fits("Add", "Add") == true)
        #expect(TargetResolver.fits("add", "ADD!") == true)
        #expect(TargetResolver.fits("Add", "Add something:") == false)
        #expect(TargetResolver.fits("Add", "Address") == nil)
        #expect(TargetResolver.fits("×", "×") == true)
    }
}
