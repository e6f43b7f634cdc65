import DevTools
import Foundation
import Imaging
import Suite

/// Faults of reading a screen: OCR's or the browser's.
public enum PerceptionError: Error, CustomStringConvertible, Sendable {
    case ocr(OCRError)
    case browser(DevToolsError)

    public var description: String {
        switch self {
        case .ocr(let e): e.description
        case .browser(let e): "The page's structure could not be read: \(e)."
        }
    }
}

/// Something on screen a person can act on, or read as one thing: a control, a field, a
/// heading. On the web it comes from the accessibility tree, shown as the pixels confirm; on
/// pixels alone from shapes (buttons, checkboxes) and the words read inside them.
public struct ScreenElement: Sendable, Equatable {
    public var role: ElementRole
    /// The accessible name (the label a person reads, or the aria-label of an icon).
    public var name: String
    /// A field's value.
    public var value: String?
    public var placeholder: String?
    public var states: ElementStates
    /// Where it is shown; a click lands at its centre.
    public var box: Rect
    /// The structure node (web only).
    public var node: Int?
    /// Set when `box` is not the element's own but a label that acts for it (a styled
    /// checkbox whose input is invisible and whose label draws it).
    public var via: String?

    public init(
        role: ElementRole, name: String, value: String? = nil, placeholder: String? = nil, states: ElementStates = ElementStates(), box: Rect,
        node: Int? = nil, via: String? = nil
    ) {
        self.role = role
        self.name = name
        self.value = value
        self.placeholder = placeholder
        self.states = states
        self.box = box
        self.node = node
        self.via = via
    }

    /// How a note or the agent's list names it: `button "Add"`, `checkbox (checked) in ...`.
    public var label: String {
        var s = role.rawValue
        if !name.isEmpty { s += " \"\(name)\"" }
        let states = self.states.description
        if !states.isEmpty { s += " (\(states))" }
        if let value, !value.isEmpty { s += " value \"\(value)\"" }
        return s
    }
}

/// What a person sees on one settled frame: the text shown as content, and the elements they
/// can act on. On the web the page's structure says what is there and the pixels say whether it
/// is shown; elsewhere OCR and shapes say both.
///
/// *Shown* means: inside the viewport, not hidden by style, not covered by something painted
/// over it (the browser's hit test), and drawn: its box has ink against its own background.
/// Text typed into a field is that field's value, not content.
public final class ScreenContent: @unchecked Sendable {
    public let image: Image
    public let structure: PageStructure?
    private let source: (any StructureSource)?
    private let recognize: () throws(OCRError) -> TextReading
    private let lock = NSLock()
    private var shownRuns: [Int]?
    private var shownTextCache: [TextRun]?
    private var elementCache: [ScreenElement]?
    private var readingCache: (text: TextReading, content: TextReading)?
    private var pixels: TextReading?
    private var hits: [Point: Int?] = [:]

    /// A frame with its page structure (web) or without (pixels: `recognize` reads it).
    public init(image: Image, structure: PageStructure?, source: (any StructureSource)?, recognize: @escaping () throws(OCRError) -> TextReading) {
        self.image = image
        self.structure = structure
        self.source = source
        self.recognize = recognize
    }

    /// Whether the browser's structure backs this frame.
    public var isStructured: Bool { structure != nil }

    /// OCR of the whole frame (cached): the reading on pixels, and on the web the witness for
    /// what the structure cannot see (canvases, pictures).
    public func ocr() throws(PerceptionError) -> TextReading {
        lock.lock()
        defer { lock.unlock() }
        if let pixels { return pixels }
        do {
            let r = try recognize()
            pixels = r
            return r
        } catch {
            throw .ocr(error)
        }
    }

    /// The text shown as content, as lines of words with boxes: from the structure on the web
    /// (exact), with the names of shown controls that show no text of their own (an icon button
    /// named "Delete"); OCR elsewhere.
    public func content() throws(PerceptionError) -> TextReading {
        guard structure != nil else { return try ocr() }
        return try readings().content
    }

    /// Only the text runs shown, no control names: what the target resolver matches text against.
    public func text() throws(PerceptionError) -> TextReading {
        guard structure != nil else { return try ocr() }
        return try readings().text
    }

    /// Elements a person can act on or read as one thing, shown, in reading order.
    public func elements() throws(PerceptionError) -> [ScreenElement] {
        lock.lock()
        if let elementCache {
            lock.unlock()
            return elementCache
        }
        lock.unlock()
        let found: [ScreenElement]
        if let structure {
            found = try structuredElements(structure)
        } else {
            found = try pixelElements()
        }
        lock.lock()
        elementCache = found
        lock.unlock()
        return found
    }

    // MARK: - Web

    private func readings() throws(PerceptionError) -> (text: TextReading, content: TextReading) {
        lock.lock()
        if let readingCache {
            lock.unlock()
            return readingCache
        }
        lock.unlock()
        guard let structure else { return (TextReading(words: []), TextReading(words: [])) }
        let shown = try shownRunIndices(structure)
        var words: [Word] = []
        for run in try shownText() { words += Self.words(of: run) }
        // What canvases draw is not in the structure: OCR reads it there.
        let canvases = canvasRegions(structure)
        let drawn = canvases.isEmpty ? [] : try ocr().words.filter { w in canvases.contains { $0.contains(w.box.center) } }
        let passages = Self.passages(shown.map { structure.runs[$0] }, structure)
        let text = TextReading(words: words, exact: true, pixels: drawn, passages: passages)
        // Buttons and links that show no words of their own: an icon button (nothing, or a
        // symbol such as × or 🗑). A person sees them as the action they are, so their names
        // count as shown. A control that shows words (a "Copy" button named "Copy Instagram
        // link") is read by those words; a checkbox, radio, switch or slider draws its state,
        // not its name; and what a name repeats of the text beside it ("Delete Walk dog" on the
        // row of Walk dog) is not read twice: only the rest ("Delete") is the icon's.
        var named = words
        let runsByElement = Dictionary(grouping: shown.map { structure.runs[$0] }, by: \.element)
        let shownRuns = shown.map { structure.runs[$0] }
        let stateControls: Set<ElementRole> = [.checkbox, .radio, .switch, .slider]
        for element in try elements()
        where element.role.isControl && !element.role.isField && !stateControls.contains(element.role) && !element.name.isEmpty && element.via == nil {
            guard let node = element.node else { continue }
            let own = runsByElement.filter { structure.isAncestor(node, of: $0.key) }.flatMap(\.value).map(\.text).joined(separator: " ")
            if own.unicodeScalars.contains(where: { CharacterSet.alphanumerics.contains($0) }) { continue }
            var name = element.name.split(whereSeparator: \.isWhitespace).map(String.init)
            for run in shownRuns where TextSearch.sameRow(run.box, element.box) || run.box.distance(to: element.box) <= 160 {
                name = Self.removing(TextSearch.tokens(of: run.text), from: name)
            }
            guard name.contains(where: { !TextSearch.tokens(of: $0).isEmpty }) else { continue }
            named += Self.words(of: TextRun(node: node, element: node, text: name.joined(separator: " "), box: element.box))
        }
        let result = (text, TextReading(words: named, exact: true, pixels: drawn, passages: passages))
        lock.lock()
        readingCache = result
        lock.unlock()
        return result
    }

    /// The text shown on the web, as runs: the page's own text, and the placeholder of every
    /// shown empty field (a person reads it there until they type). A select's chosen option,
    /// like typed text, is the field's value, not content: a field check reads it.
    public func shownText() throws(PerceptionError) -> [TextRun] {
        guard let structure else { return [] }
        lock.lock()
        if let shownTextCache {
            lock.unlock()
            return shownTextCache
        }
        lock.unlock()
        var runs = try shownRunIndices(structure).map { structure.runs[$0] }
        for element in try elements() where element.role.isField && (element.value ?? "").isEmpty {
            guard let shows = element.placeholder, let node = element.node else { continue }
            // Inside the field, left-aligned, one line high, about as wide as its letters (not
            // the field's width, which would spread its words over the whole field).
            let size = structure.nodes[node].fontSize
            let height = min(element.box.height, Int(size * 1.4) + 2)
            let width = min(max(8, element.box.width - 8), Int((Double(shows.count) * size * 0.55).rounded(.up)) + 2)
            let box = Rect(x: element.box.x + 4, y: element.box.midY - height / 2, width: width, height: height)
            runs.append(TextRun(node: node, element: node, text: shows, box: box))
        }
        lock.lock()
        shownTextCache = runs
        lock.unlock()
        return runs
    }

    /// Shown canvases of the page, whose pixels only OCR can read.
    public func canvasRegions(_ structure: PageStructure) -> [Rect] {
        structure.nodes.compactMap { node in
            guard node.tag == "CANVAS", node.styleVisible, let box = node.box?.intersection(structure.viewport), box.area >= 400,
                image.ink(in: box).isClear
            else { return nil }
            return box
        }
    }

    /// `words` without the run of them that reads `tokens` (the first, if any).
    static func removing(_ tokens: [String], from words: [String]) -> [String] {
        guard !tokens.isEmpty else { return words }
        let target = tokens.joined()
        for start in words.indices {
            var joined = ""
            for end in start..<words.count {
                joined += TextSearch.tokens(of: words[end]).joined()
                if joined == target { return Array(words[..<start] + words[(end + 1)...]) }
                if !target.hasPrefix(joined) { break }
            }
        }
        return words
    }

    /// Text that flows on from one line to the next (one sentence wrapped, a bold word inside
    /// it), as one row of words per passage; only passages that really span lines.
    static func passages(_ runs: [TextRun], _ structure: PageStructure) -> [[Word]] {
        var passages: [[Word]] = []
        var current: [TextRun] = []
        func close() {
            if current.count > 1, let first = current.first, current.contains(where: { $0.box.y >= first.box.midY }) {
                passages.append(current.flatMap { words(of: $0) })
            }
            current = []
        }
        for run in runs {
            if let last = current.last, run.box.y < last.box.y - 2 || !structure.sameFlow(last.element, run.element) { close() }
            current.append(run)
        }
        close()
        return passages
    }

    /// A run's words, each with its share of the run's box (by characters).
    static func words(of run: TextRun) -> [Word] {
        let characters = Array(run.text)
        guard !characters.isEmpty else { return [] }
        var words: [Word] = []
        var start: Int?
        for i in 0...characters.count {
            let space = i == characters.count || characters[i].isWhitespace
            if space, let s = start {
                let x0 = run.box.x + run.box.width * s / characters.count
                let x1 = run.box.x + run.box.width * i / characters.count
                words.append(Word(text: String(characters[s..<i]), box: Rect(x: x0, y: run.box.y, width: max(1, x1 - x0), height: run.box.height), confidence: 100))
                start = nil
            } else if !space, start == nil {
                start = i
            }
        }
        return words
    }

    /// The runs shown: in the viewport, visible by style, drawn, not painted over.
    func shownRunIndices(_ structure: PageStructure) throws(PerceptionError) -> [Int] {
        lock.lock()
        if let shownRuns {
            lock.unlock()
            return shownRuns
        }
        lock.unlock()
        var candidates: [Int] = []
        var doubtful: [Int] = []
        for (i, run) in structure.runs.enumerated() {
            let node = structure.nodes[run.node]
            guard node.styleVisible, mostlyInside(run.box, structure.viewport), !insideField(run.node, structure) else { continue }
            guard image.ink(in: run.box).isClear else { continue }
            candidates.append(i)
            if mightBeCovered(run.box, node: run.element, structure) { doubtful.append(i) }
        }
        let verdicts = try uncovered(doubtful.map { (structure.runs[$0].box.center, structure.runs[$0].element) }, structure)
        let covered = Set(zip(doubtful, verdicts).filter { !$0.1 }.map(\.0))
        let shown = candidates.filter { !covered.contains($0) }
        lock.lock()
        shownRuns = shown
        lock.unlock()
        return shown
    }

    /// Whether any run of `text`'s nodes that the structure lays out in the viewport is drawn
    /// at all (however faintly): absence is claimed only when no such run exists.
    public func faintlyPresent(_ phrase: String) throws(PerceptionError) -> [TextMatch] {
        guard let structure else { return [] }
        var words: [Word] = []
        var candidates: [(Point, Int)] = []
        var runIndex: [Int] = []
        for (i, run) in structure.runs.enumerated() {
            let node = structure.nodes[run.node]
            guard node.styleVisible, mostlyInside(run.box, structure.viewport), !insideField(run.node, structure), image.ink(in: run.box).isAny else {
                continue
            }
            runIndex.append(i)
            candidates.append((run.box.center, run.element))
        }
        let free = try uncovered(candidates, structure)
        let drawn = runIndex.enumerated().filter { free[$0.offset] }.map { structure.runs[$0.element] }
        for run in drawn { words += Self.words(of: run) }
        return TextSearch.find(phrase, in: TextReading(words: words, exact: true, passages: Self.passages(drawn, structure)))
    }

    /// Whether an element's box shows something drawn. Text and controls need ink a person can
    /// make out; a picture is shown when anything is drawn in it, however low its contrast, or
    /// when the picture itself stands out on most of its sides from what is around it (a tile
    /// of one colour).
    private func drawn(_ box: Rect, role: ElementRole) -> Bool {
        let ink = image.ink(in: box)
        if ink.isClear { return true }
        guard role == .image else { return false }
        if ink.isAny { return true }
        let inside = ink.background
        let sides = [
            Rect(x: box.x, y: box.y - 3, width: box.width, height: 3), Rect(x: box.x, y: box.maxY, width: box.width, height: 3),
            Rect(x: box.x - 3, y: box.y, width: 3, height: box.height), Rect(x: box.maxX, y: box.y, width: 3, height: box.height),
        ]
        let standing = sides.filter { side in
            let around = image.ink(in: side)
            guard around.area > 0 else { return false }
            let c = around.background
            return max(abs(Int(c.r) - Int(inside.r)), abs(Int(c.g) - Int(inside.g)), abs(Int(c.b) - Int(inside.b))) >= 12
        }
        return standing.count >= 3
    }

    private func mostlyInside(_ box: Rect, _ viewport: Rect) -> Bool {
        guard let part = box.intersection(viewport) else { return false }
        return part.area * 2 >= box.area
    }

    /// Text inside a form field is its value or placeholder, not page content.
    private func insideField(_ node: Int, _ structure: PageStructure) -> Bool {
        structure.enclosing(node) { ["INPUT", "TEXTAREA", "SELECT", "OPTION"].contains($0.tag) } != nil
    }

    /// Whether something painted after `node` (and not part of it) lies over `box`'s centre:
    /// only such runs need the browser's hit test.
    private func mightBeCovered(_ box: Rect, node: Int, _ structure: PageStructure) -> Bool {
        let center = box.center
        let order = structure.nodes[node].paintOrder
        for (i, other) in structure.nodes.enumerated() {
            guard other.paintOrder > order, let b = other.box, b.contains(center), !other.isText else { continue }
            if structure.isAncestor(i, of: node) || structure.isAncestor(node, of: i) { continue }
            return true
        }
        return false
    }

    /// For each point and the node meant to be there: whether the browser's hit test finds that
    /// node (or something inside it, or its label) on top.
    private func uncovered(_ probes: [(Point, Int)], _ structure: PageStructure, labels: [Int: [Int]] = [:]) throws(PerceptionError) -> [Bool] {
        guard let source, !probes.isEmpty else { return probes.map { _ in true } }
        lock.lock()
        let unknown = Array(Set(probes.map(\.0).filter { hits[$0] == nil }))
        lock.unlock()
        if !unknown.isEmpty {
            let found: [Int?]
            do {
                found = try source.hitTest(unknown)
            } catch {
                throw .browser(error)
            }
            lock.lock()
            for (p, id) in zip(unknown, found) { hits[p] = .some(id) }
            lock.unlock()
        }
        let byBackend = Dictionary(structure.nodes.enumerated().map { ($1.backendId, $0) }, uniquingKeysWith: { a, _ in a })
        lock.lock()
        defer { lock.unlock() }
        return probes.map { point, node in
            guard let hit = hits[point] ?? nil, let index = byBackend[hit] else { return false }
            if structure.isAncestor(node, of: index) || structure.isAncestor(index, of: node) { return true }
            return (labels[node] ?? structure.nodes[node].labels).contains { structure.isAncestor($0, of: index) }
        }
    }

    private func structuredElements(_ structure: PageStructure) throws(PerceptionError) -> [ScreenElement] {
        // First the cheap tests (role, style, viewport, ink), then one hit test per survivor.
        var pending: [(element: ScreenElement, probe: Point, node: Int)] = []
        for (i, node) in structure.nodes.enumerated() {
            guard let role = node.role, role != .text, let own = node.box else { continue }
            // Only what a person acts on, or reads as one thing.
            guard role.isControl || role == .heading || role == .image || role == .cell || role == .listitem || role == .row else { continue }
            var element = ScreenElement(
                role: role, name: node.name, value: role.isField ? (node.value ?? "") : node.value, placeholder: node.placeholder,
                states: node.states, box: own, node: i)
            // A control may be transparent over what draws it (a custom checkbox over its circle):
            // what counts is that something is drawn there and the control is what a click hits.
            let painted = role.isControl ? !node.hidden : node.styleVisible
            if painted, own.area > 0, mostlyInside(own, structure.viewport), drawn(own, role: role) {
                pending.append((element, own.center, i))
                continue
            }
            // An input drawn by its label (opacity 0, or 1 px in a corner): the label acts for it.
            guard role.isControl else { continue }
            for label in node.labels {
                guard let box = structure.drawnBox(of: label), structure.nodes[label].styleVisible, mostlyInside(box, structure.viewport),
                    image.ink(in: box).isClear
                else { continue }
                element.box = box
                element.via = "its label"
                pending.append((element, box.center, label))
                break
            }
        }
        let labels = Dictionary(pending.map { ($0.node, structure.nodes[$0.node].labels + [$0.element.node ?? $0.node]) }, uniquingKeysWith: { a, _ in a })
        // Only what something painted later might cover needs the browser's hit test.
        let doubtful = pending.indices.filter { mightBeCovered(pending[$0].element.box, node: pending[$0].node, structure) }
        let verdicts = try uncovered(doubtful.map { (pending[$0].probe, pending[$0].node) }, structure, labels: labels)
        let covered = Set(zip(doubtful, verdicts).filter { !$0.1 }.map(\.0))
        return pending.indices.filter { !covered.contains($0) }.map { pending[$0].element }
    }

    // MARK: - Pixels

    /// On pixels: the words read inside button-like shapes are buttons, checkbox shapes are
    /// checkboxes (ticked when inked inside).
    private func pixelElements() throws(PerceptionError) -> [ScreenElement] {
        let reading = try ocr()
        var found: [ScreenElement] = []
        for word in reading.words where word.control {
            found.append(ScreenElement(role: .button, name: word.text, box: word.box))
        }
        for box in ControlFinder.checkboxes(in: image, region: image.bounds, excluding: reading.words) {
            let inner = box.insetBy(max(2, box.width / 5))
            let ticked = inner.width > 1 && inner.height > 1 && image.ink(in: inner).isClear
            found.append(ScreenElement(role: .checkbox, name: "", states: ElementStates(checked: ticked), box: box))
        }
        return found.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }
}
