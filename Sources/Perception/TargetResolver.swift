import Imaging
import Suite

/// Where a target was found, and which element it is and why: every step's note says so.
public struct Resolution: Sendable, Equatable {
    public var point: Point
    public var box: Rect
    public var element: ScreenElement?
    public var note: String
}

/// Why a target could not be resolved: it is not on screen, or the script gives nothing to
/// choose between equally good candidates. Neither is ever turned into a guess.
public enum ResolutionFailure: Error, Sendable, Equatable {
    case notFound(String)
    case ambiguous(String)

    public var reason: String {
        switch self {
        case .notFound(let s), .ambiguous(let s): s
        }
    }
}

/// Resolves a script's or the agent's target the way a person reading the instruction would.
///
/// "Click Add" means the control named Add (button, link, checkbox, tab, menu item) before a
/// field labelled Add, before static text reading Add; a whole-name match before a word inside a
/// longer text; and, with a row, only what sits in the row that shows that text (the list item,
/// table row or card). When two candidates are equally good and nothing in the target tells them
/// apart, resolution fails and says so.
public enum TargetResolver {
    /// One thing the target could mean, and how well it fits.
    struct Candidate {
        var box: Rect
        /// Lower is better: see `Tier`.
        var tier: Tier
        var element: ScreenElement?
        /// The structure node (web), for row membership.
        var node: Int?
        var what: String
        /// How close it is to the row's anchor (higher is closer); 0 without a row.
        var closeness: Int = 0
        /// Its name or text is the target's letter for letter, case included: the last way to
        /// tell apart two candidates that are otherwise equally good ("Delete" and "delete").
        var sameCase = false
    }

    /// How well a candidate fits a target, best first.
    enum Tier: Int, Comparable {
        case wholeControl, wholeField, wholeText, partControl, partField, partText
        static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
        var why: String {
            switch self {
            case .wholeControl: "a control with that whole name"
            case .wholeField: "a field with that label or placeholder"
            case .wholeText: "text that reads exactly that"
            case .partControl: "a control whose name contains it"
            case .partField: "a field whose label contains it"
            case .partText: "a word inside a longer text"
            }
        }
    }

    /// Resolves `target` on `content`; `marks` is the numbered list the agent was shown.
    public static func resolve(_ target: Target, in content: ScreenContent, marks: [ScreenElement] = []) throws(PerceptionError) -> Result<
        Resolution, ResolutionFailure
    > {
        switch target {
        case .point(let x, let y):
            let p = Point(x: x, y: y)
            return .success(Resolution(point: p, box: Rect(x: x, y: y, width: 1, height: 1), element: nil, note: "at (\(x), \(y))"))
        case .mark(let n):
            guard n >= 1, n <= marks.count else {
                return .failure(.notFound("There is no element [\(n)] on the last screen (it listed \(marks.count))."))
            }
            let element = marks[n - 1]
            return .success(Resolution(point: element.box.center, box: element.box, element: element, note: "chose [\(n)] \(element.label)"))
        case .text(let phrase, let row):
            return try choose(try textCandidates(phrase, content), row: row, content: content, target: target)
        case .element(let query):
            return try choose(try elementCandidates(query, content), row: query.row, content: content, target: target)
        }
    }

    /// Every shown element `query` names (whole names only), in its row when it gives one: what
    /// an element expectation with a count counts.
    public static func matching(_ query: ElementQuery, in content: ScreenContent) throws(PerceptionError) -> [ScreenElement] {
        var candidates = try elementCandidates(query, content).filter { $0.tier == .wholeControl || $0.tier == .wholeField }
        if let row = query.row {
            let anchors = TextSearch.find(row, in: try content.text())
            candidates = candidates.filter { c in anchors.contains { closeness(c, $0, content: content) != nil } }
        }
        return distinct(candidates).compactMap(\.element)
    }

    // MARK: - Candidates

    static func textCandidates(_ phrase: String, _ content: ScreenContent) throws(PerceptionError) -> [Candidate] {
        var found: [Candidate] = []
        let elements = try content.elements()
        for element in elements where element.role.isControl {
            let field = element.role.isField
            for name in [element.name] + (field ? [element.placeholder].compactMap { $0 } : []) where !name.isEmpty {
                guard let whole = fits(phrase, name) else { continue }
                let tier: Tier = field ? (whole ? .wholeField : .partField) : (whole ? .wholeControl : .partControl)
                found.append(
                    Candidate(box: element.box, tier: tier, element: element, node: element.node, what: element.label, sameCase: name.contains(phrase)))
                break
            }
        }
        let reading = try content.text()
        for match in TextSearch.find(phrase, in: reading) {
            // Text inside a control that is itself a candidate is that control's label.
            if found.contains(where: { $0.element != nil && $0.box.contains(match.box.center) }) { continue }
            let node = try structureNode(of: match.box, in: content)
            let whole = isWhole(match, reading: reading, node: node, content: content)
            let control = !reading.exact && reading.words.contains { $0.control && $0.box.intersection(match.box) != nil }
            let tier: Tier = control ? (whole ? .wholeControl : .partControl) : (whole ? .wholeText : .partText)
            let line = reading.lines.first { $0.box.intersection(match.box) != nil }?.text
            let what = "text \"\(match.text)\"" + (whole || line == nil || line == match.text ? "" : " in \"\(line!)\"")
            found.append(Candidate(box: match.box, tier: tier, element: nil, node: node, what: what, sameCase: match.text.contains(phrase)))
        }
        return found
    }

    static func elementCandidates(_ query: ElementQuery, _ content: ScreenContent) throws(PerceptionError) -> [Candidate] {
        var found: [Candidate] = []
        for element in try content.elements() {
            if query.field, !element.role.isField { continue }
            if let role = query.role, role != element.role { continue }
            if query.role == nil, !query.field, !element.role.isControl { continue }
            var tier: Tier = element.role.isField ? .wholeField : .wholeControl
            if let name = query.name {
                let names = [element.name] + (element.role.isField ? [element.placeholder].compactMap { $0 } : [])
                let fitting = names.compactMap { fits(name, $0) }
                guard !fitting.isEmpty else { continue }
                let whole = fitting.contains(true)
                if !whole { tier = element.role.isField ? .partField : .partControl }
            }
            found.append(
                Candidate(
                    box: element.box, tier: tier, element: element, node: element.node, what: element.label,
                    sameCase: query.name.map { element.name.contains($0) || (element.placeholder ?? "").contains($0) } ?? true))
        }
        // A checkbox the page does not call one (a styled div or span that toggles): a person
        // still sees a box to tick, so its shape counts when the page names none.
        if content.isStructured, query.role == .checkbox, query.name == nil, found.isEmpty {
            let words = try content.text().words
            for box in ControlFinder.checkboxes(in: content.image, region: content.image.bounds, excluding: words) {
                found.append(Candidate(box: box, tier: .partControl, element: nil, node: nil, what: "a checkbox drawn at (\(box.x), \(box.y))"))
            }
        }
        // On pixels a button is known only by the words read in it.
        if !content.isStructured, let name = query.name, query.role == nil || query.role == .button {
            for candidate in try textCandidates(name, content) where candidate.tier == .wholeControl || candidate.tier == .partControl {
                if !found.contains(where: { $0.box == candidate.box }) { found.append(candidate) }
            }
        }
        return found
    }

    /// nil when `phrase` is not in `name`; true when it is all of it, false when a part.
    static func fits(_ phrase: String, _ name: String) -> Bool? {
        let want = TextSearch.tokens(of: phrase), have = TextSearch.tokens(of: name)
        guard !want.isEmpty else {
            let symbol = phrase.filter { !$0.isWhitespace }
            return !symbol.isEmpty && name.filter({ !$0.isWhitespace }) == symbol ? true : nil
        }
        if want == have { return true }
        guard want.count < have.count else { return nil }
        for start in 0...(have.count - want.count) where Array(have[start..<start + want.count]) == want { return false }
        return nil
    }

    /// The structure node of the text run under `box`.
    static func structureNode(of box: Rect, in content: ScreenContent) throws(PerceptionError) -> Int? {
        try content.shownText().first { $0.box.contains(box.center) || box.contains($0.box.center) }?.element
    }

    /// Whether a text match is all of its text: all of the element's shown words on the web,
    /// the whole line on pixels.
    static func isWhole(_ match: TextMatch, reading: TextReading, node: Int?, content: ScreenContent) -> Bool {
        let matched = TextSearch.tokens(of: match.text)
        if let structure = content.structure, let node {
            // The innermost element that holds every run of the match, and all its text.
            let shown = (try? content.shownText()) ?? []
            let inside = shown.filter { match.box.intersection($0.box) != nil }
            var holder = node
            for run in inside { holder = structure.commonAncestor(holder, run.element) }
            let all = shown.filter { structure.isAncestor(holder, of: $0.element) }
            return TextSearch.tokens(of: all.map(\.text).joined(separator: " ")) == matched
        }
        guard let line = reading.lines.first(where: { $0.box.intersection(match.box) != nil }) else { return false }
        return TextSearch.tokens(of: line.text) == matched
    }

    // MARK: - Choosing

    static func choose(_ all: [Candidate], row: String?, content: ScreenContent, target: Target) throws(PerceptionError) -> Result<
        Resolution, ResolutionFailure
    > {
        var candidates = all
        var rowNote = ""
        if let row {
            let anchors = TextSearch.find(row, in: try content.text())
            guard !anchors.isEmpty else {
                return .failure(.notFound("\(capitalized(target.description)) was not found: no row shows \"\(row)\"."))
            }
            candidates = candidates.compactMap { candidate in
                var best: Int?
                for anchor in anchors where anchor.box.intersection(candidate.box) == nil || candidate.element != nil {
                    if let c = closeness(candidate, anchor, content: content) { best = max(best ?? c, c) }
                }
                guard let best else { return nil }
                var kept = candidate
                kept.closeness = best
                return kept
            }
            rowNote = " in the row of \"\(row)\""
        }
        candidates = distinct(candidates)
        func rank(_ c: Candidate) -> (Tier, Int, Int) { (c.tier, -c.closeness, c.sameCase ? 0 : 1) }
        guard let top = candidates.min(by: { rank($0) < rank($1) }) else {
            let nearby = all.prefix(3).map(\.what).joined(separator: ", ")
            let also = row != nil && !all.isEmpty ? " (elsewhere: \(nearby))" : ""
            return .failure(.notFound("\(capitalized(target.description)) was not found on screen\(also)."))
        }
        let rivals = candidates.filter { rank($0) == rank(top) && !same($0, top) }
        if !rivals.isEmpty {
            let list = ([top] + rivals).prefix(4).map { "\($0.what) at (\($0.box.x), \($0.box.y))" }.joined(separator: "; ")
            return .failure(
                .ambiguous(
                    "\(capitalized(target.description)) is ambiguous: \(rivals.count + 1) equally good candidates\(rowNote) (\(list)); name a row or a role."
                ))
        }
        let others = candidates.count - 1
        var note = "chose \(top.what) at (\(top.box.x), \(top.box.y), \(top.box.width)x\(top.box.height))\(rowNote): \(top.tier.why)"
        if let via = top.element?.via { note += ", clicked through \(via)" }
        if others > 0 {
            let next = candidates.filter { !same($0, top) }.min { $0.tier < $1.tier }!
            note += "; over \(others) other(s), best \(next.what) (\(next.tier.why))"
        }
        return .success(Resolution(point: top.box.center, box: top.box, element: top.element, note: note))
    }

    /// How close a candidate is to a row anchor, or nil when it is not in that row. On the web
    /// by the page's structure (the depth of the element both sit in, as long as it is not a list
    /// of separate items), else by sharing the row on screen.
    static func closeness(_ candidate: Candidate, _ anchor: TextMatch, content: ScreenContent) -> Int? {
        let geometric = TextSearch.sameRow(candidate.box, anchor.box) || bandContains(anchor.box, candidate.box, width: content.image.width)
        guard let structure = content.structure, let node = candidate.node, let anchorNode = (try? structureNode(of: anchor.box, in: content)) ?? nil else {
            return geometric ? 1_000 - abs(candidate.box.midX - anchor.box.midX) / 10 : nil
        }
        let common = structure.commonAncestor(node, anchorNode)
        let depth = structure.nodes[common].depth
        if common == node || common == anchorNode { return depth }
        guard let a = structure.branch(of: common, toward: anchorNode), let c = structure.branch(of: common, toward: node) else { return depth }
        if separateItems(a, c, structure, shown: (try? content.shownText()) ?? []) { return nil }
        return depth
    }

    /// Whether `hit` sits in an item of its own beside the one that shows `anchor` (two cards of
    /// a grid, side by side on screen) as something else than the anchor is in its item. A row
    /// on screen that the structure does not group (cells of a grid of divs) still counts, and
    /// so do the same parts of cards side by side (their titles: the cards stand in a row); but
    /// another card's button is not the anchor's: a card that shows more than the anchor holds
    /// what belongs to it.
    public static func inAnotherItem(_ hit: Rect, of anchor: TextMatch, content: ScreenContent) -> Bool {
        guard let structure = content.structure, let shown = try? content.shownText(),
            let h = (try? structureNode(of: hit, in: content)) ?? nil, let a = (try? structureNode(of: anchor.box, in: content)) ?? nil
        else { return false }
        let common = structure.commonAncestor(h, a)
        guard common != h, common != a, let itemA = structure.branch(of: common, toward: a), let itemH = structure.branch(of: common, toward: h),
            separateItems(itemA, itemH, structure, shown: shown)
        else { return false }
        let inItem = shown.filter { structure.isAncestor(itemA, of: $0.element) }.map(\.text).joined(separator: " ")
        guard TextSearch.tokens(of: inItem) != TextSearch.tokens(of: anchor.text) else { return false }
        func path(_ node: Int, below item: Int) -> [String] {
            var tags: [String] = []
            var at: Int? = node
            while let n = at, n != item {
                tags.append(structure.nodes[n].tag)
                at = structure.nodes[n].parent
            }
            return tags
        }
        return path(a, below: itemA) != path(h, below: itemH)
    }

    /// Whether two children of one element are separate items of a list (two list items, two
    /// table rows, two cards), not parts of one item. Parts of one item differ: a title block
    /// and a block of action buttons, a label and its control, two cells of one row. Separate
    /// items repeat: the same kind of element, of the same classes or with much the same inside,
    /// each with text of its own besides its controls.
    static func separateItems(_ a: Int, _ c: Int, _ structure: PageStructure, shown: [TextRun]) -> Bool {
        let na = structure.nodes[a], nc = structure.nodes[c]
        if [ElementRole.listitem, .row].contains(na.role), na.role == nc.role { return true }
        if na.role == .cell || nc.role == .cell || ["TD", "TH"].contains(na.tag) { return false }
        guard na.tag == nc.tag else { return false }
        func controls(in n: Int) -> [Int] { structure.nodes.indices.filter { structure.nodes[$0].role?.isControl == true && structure.isAncestor(n, of: $0) } }
        /// The text `n` shows outside its controls.
        func textOutside(_ n: Int, _ controls: [Int]) -> [TextRun] {
            shown.filter { run in structure.isAncestor(n, of: run.element) && !controls.contains { structure.isAncestor($0, of: run.element) } }
        }
        // A block holding only controls (the actions of a card) is part of its item.
        let controlsC = controls(in: c)
        let ownText = textOutside(c, controlsC)
        if ownText.isEmpty { return false }
        // Fields of one form side by side, each a control and its label in a wrapper of its own
        // (a "Book" select beside a "Match case" checkbox), make one row, not a list: neither
        // shows text of its own besides its controls' labels. Records of a list show more (a
        // title beside its checkbox and buttons), and their wrappers stack.
        func onlyLabels(_ runs: [TextRun], _ controls: [Int]) -> Bool {
            let labels = controls.flatMap { structure.nodes[$0].labels }
            return runs.allSatisfy { run in labels.contains { structure.isAncestor($0, of: run.element) } }
        }
        if let boxA = na.box, let boxC = nc.box, TextSearch.sameRow(boxA, boxC), boxA.intersection(boxC) == nil {
            let controlsA = controls(in: a)
            if onlyLabels(ownText, controlsC), onlyLabels(textOutside(a, controlsA), controlsA) { return false }
        }
        // Styled as the same kind of thing (a card and the next, one booked and one open).
        if !na.classes.isEmpty, na.classes == nc.classes { return true }
        // Much the same inside: the tags below each, compared as multisets.
        func shape(_ n: Int) -> [String: Int] {
            var count: [String: Int] = [:]
            for i in structure.nodes.indices where i != n && !structure.nodes[i].isText && structure.isAncestor(n, of: i) {
                count[structure.nodes[i].tag, default: 0] += 1
            }
            return count
        }
        let sa = shape(a), sc = shape(c)
        let common = Set(sa.keys).union(sc.keys).reduce(0) { $0 + min(sa[$1] ?? 0, sc[$1] ?? 0) }
        let all = Set(sa.keys).union(sc.keys).reduce(0) { $0 + max(sa[$1] ?? 0, sc[$1] ?? 0) }
        if all == 0 { return na.classes == nc.classes }
        return common * 2 >= all
    }

    /// The full-width strip of screen around `anchor`'s row: a checkbox drawn a little above or
    /// below the text's centre still belongs to it.
    static func bandContains(_ anchor: Rect, _ box: Rect, width: Int) -> Bool {
        let half = max(anchor.height, 16) + 4
        return abs(box.midY - anchor.midY) <= half && box.height <= 3 * half
    }

    /// Candidates without duplicates: a text and the control it labels, one element found twice.
    static func distinct(_ candidates: [Candidate]) -> [Candidate] {
        var kept: [Candidate] = []
        for c in candidates.sorted(by: { $0.tier < $1.tier }) where !kept.contains(where: { same($0, c) }) { kept.append(c) }
        return kept
    }

    static func same(_ a: Candidate, _ b: Candidate) -> Bool {
        if let x = a.element?.node, let y = b.element?.node { return x == y }
        guard let overlap = a.box.intersection(b.box) else { return false }
        return overlap.area * 2 >= min(a.box.area, b.box.area)
    }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
