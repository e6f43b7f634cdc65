import Imaging
import JSON
import Suite

/// What the browser says is on a page, in screen pixels: its nodes as laid out (from a DOM
/// snapshot), what the accessibility tree says of them (role, accessible name, value, states),
/// and its text as laid out, one run per line fragment.
///
/// This is the page's own account. Whether a node is really *shown* is decided against the
/// pixels, by `ScreenContent`: the structure alone would believe text that is transparent,
/// covered, clipped away or the colour of its background.
public struct PageStructure: Sendable {
    public var nodes: [PageNode]
    public var runs: [TextRun]
    /// The page's viewport on screen.
    public var viewport: Rect

    public init(nodes: [PageNode], runs: [TextRun], viewport: Rect) {
        self.nodes = nodes
        self.runs = runs
        self.viewport = viewport
    }

    /// Whether node `a` is `b` or one of its ancestors.
    public func isAncestor(_ a: Int, of b: Int) -> Bool { Self.isAncestor(a, of: b, in: nodes) }

    static func isAncestor(_ a: Int, of b: Int, in nodes: [PageNode]) -> Bool {
        var at: Int? = b
        while let n = at {
            if n == a { return true }
            at = nodes[n].parent
        }
        return false
    }

    /// The deepest node that holds both `a` and `b`.
    public func commonAncestor(_ a: Int, _ b: Int) -> Int {
        var x = a, y = b
        while nodes[x].depth > nodes[y].depth { x = nodes[x].parent ?? x }
        while nodes[y].depth > nodes[x].depth { y = nodes[y].parent ?? y }
        while x != y {
            guard let px = nodes[x].parent, let py = nodes[y].parent else { return x }
            x = px
            y = py
        }
        return x
    }

    /// The child of `ancestor` on the way down to `node` (nil when they are the same node).
    public func branch(of ancestor: Int, toward node: Int) -> Int? {
        var at = node
        while let parent = nodes[at].parent {
            if parent == ancestor { return at }
            at = parent
        }
        return nil
    }

    /// The box of everything `node` draws: its own box joined with its descendants' (a label
    /// with no size of its own whose ::before draws a glyph).
    public func drawnBox(of node: Int) -> Rect? {
        var box = nodes[node].box.flatMap { $0.area > 0 ? $0 : nil }
        for i in (node + 1)..<nodes.count {
            guard let b = nodes[i].box, b.area > 0, nodes[i].styleVisible, isAncestor(node, of: i) else { continue }
            box = box.map { $0.union(b) } ?? b
        }
        return box
    }

    /// Whether text held by elements `a` and `b` flows as one text: nothing but inline elements
    /// lies between either and the block that holds both (a sentence with a bold word in it,
    /// wrapped over two lines), as opposed to two items of a list.
    public func sameFlow(_ a: Int, _ b: Int) -> Bool {
        let common = commonAncestor(a, b)
        for start in [a, b] {
            var at = start
            while at != common {
                guard nodes[at].inline, let parent = nodes[at].parent else { return false }
                at = parent
            }
        }
        return true
    }

    /// The nearest node from `node` up (itself included) that has a role in the accessibility tree
    /// and satisfies `where`.
    public func enclosing(_ node: Int, where test: (PageNode) -> Bool) -> Int? {
        var at: Int? = node
        while let n = at {
            if test(nodes[n]) { return n }
            at = nodes[n].parent
        }
        return nil
    }
}

/// One node of the page: an element, a text node or a pseudo-element.
public struct PageNode: Sendable {
    public var parent: Int?
    public var depth: Int
    /// The element's tag in upper case, "#text" for text, "::before" and the like for pseudo-elements.
    public var tag: String
    /// The class attribute, as written.
    public var classes: String
    public var backendId: Int
    /// The node's border box on screen; nil when the browser did not lay it out (display: none).
    public var box: Rect?
    /// `visibility` is not `visible` (hidden, collapse): nothing of it is painted or hit.
    public var hidden: Bool
    /// Its opacity times that of every ancestor.
    public var opacity: Double
    /// Not hidden and not transparent: the browser paints it.
    public var styleVisible: Bool { !hidden && opacity > 0.01 }
    public var fontSize: Double
    /// The role in the accessibility tree, when the node has one there and it is one of ours.
    public var role: ElementRole?
    /// The accessibility tree's own role name ("button", "StaticText", "LabelText", ...).
    public var axRole: String?
    /// The accessible name: a button's label, a field's label or placeholder, an icon's aria-label.
    public var name: String
    /// A field's value (what was typed or chosen), a slider's number.
    public var value: String?
    public var placeholder: String?
    public var states: ElementStates
    /// Nodes that label this one (`<label for>`, `aria-labelledby`): clicking one acts on it.
    public var labels: [Int]
    /// The browser says a click here does something (a listener, a link, a control).
    public var clickable: Bool
    /// When it is painted relative to other nodes (later paints over earlier).
    public var paintOrder: Int = 0
    /// Laid out inline (`display: inline`): its text flows on with the text around it.
    public var inline = false

    public var isText: Bool { tag == "#text" }
}

/// One line fragment of text as the browser laid it out.
public struct TextRun: Sendable, Equatable {
    /// The text node it belongs to.
    public var node: Int
    /// The element that holds the text node.
    public var element: Int
    public var text: String
    public var box: Rect
}

extension PageStructure {
    /// The computed styles a snapshot is asked for, in this order.
    public static let snapshotStyles = ["visibility", "opacity", "font-size", "display"]

    /// Builds the structure from `DOMSnapshot.captureSnapshot` (asked for `snapshotStyles`) and
    /// `Accessibility.getFullAXTree` answers. `origin` is where the viewport's top-left corner is on
    /// screen, `scroll` the page's scroll offset and `zoom` CSS pixels to screen pixels.
    public static func decode(
        snapshot: JSONValue, accessibility: JSONValue, origin: Point, scroll: (x: Double, y: Double), zoom: Double, viewport: (width: Int, height: Int)
    ) -> PageStructure {
        let strings = snapshot["strings"]?.array?.map { $0.string ?? "" } ?? []
        func string(_ v: JSONValue?) -> String? {
            guard let i = v?.integer, i >= 0, i < strings.count else { return nil }
            return strings[i]
        }
        func screen(_ b: JSONValue?) -> Rect? {
            guard let b = b?.array, b.count == 4, let x = b[0].number, let y = b[1].number, let w = b[2].number, let h = b[3].number else { return nil }
            let left = (x - scroll.x) * zoom + Double(origin.x), top = (y - scroll.y) * zoom + Double(origin.y)
            let right = left + w * zoom, bottom = top + h * zoom
            return Rect(x: Int(left.rounded(.down)), y: Int(top.rounded(.down)), width: Int(right.rounded(.up)) - Int(left.rounded(.down)),
                height: Int(bottom.rounded(.up)) - Int(top.rounded(.down)))
        }
        let view = Rect(x: origin.x, y: origin.y, width: viewport.width, height: viewport.height)
        guard let document = snapshot["documents"]?[0], let dom = document["nodes"], let layout = document["layout"] else {
            return PageStructure(nodes: [], runs: [], viewport: view)
        }
        let parents = dom["parentIndex"]?.array ?? []
        let names = dom["nodeName"]?.array ?? []
        let backend = dom["backendNodeId"]?.array ?? []
        let attributes = dom["attributes"]?.array ?? []
        var nodes: [PageNode] = []
        nodes.reserveCapacity(parents.count)
        var byBackend: [Int: Int] = [:]
        for i in parents.indices {
            let parent = parents[i].integer.flatMap { $0 >= 0 ? $0 : nil }
            var tag = string(names[safe: i]) ?? ""
            if tag.hasPrefix("::") == false, tag != "#text" { tag = tag.uppercased() }
            var classes = ""
            var placeholder: String?
            if let pairs = attributes[safe: i]?.array {
                var k = 0
                while k + 1 < pairs.count {
                    let key = string(pairs[k]) ?? "", value = string(pairs[k + 1]) ?? ""
                    if key == "class" { classes = value }
                    if key == "placeholder", !value.isEmpty { placeholder = value }
                    k += 2
                }
            }
            let id = backend[safe: i]?.integer ?? -1
            byBackend[id] = i
            nodes.append(
                PageNode(
                    parent: parent, depth: parent.map { nodes[safe: $0]?.depth ?? 0 }.map { $0 + 1 } ?? 0, tag: tag, classes: classes,
                    backendId: id, box: nil, hidden: false, opacity: 1, fontSize: 16, role: nil, axRole: nil, name: "", value: nil,
                    placeholder: placeholder, states: ElementStates(), labels: [], clickable: false))
        }
        for (key, apply) in [("isClickable", { (i: Int) in nodes[i].clickable = true })] {
            for i in dom[key]?["index"]?.array?.compactMap(\.integer) ?? [] where i < nodes.count { apply(i) }
        }
        // Layout: boxes and styles of the nodes that are laid out.
        let layoutNodes = layout["nodeIndex"]?.array?.compactMap(\.integer) ?? []
        let bounds = layout["bounds"]?.array ?? []
        let styles = layout["styles"]?.array ?? []
        let texts = layout["text"]?.array ?? []
        let paint = layout["paintOrders"]?.array ?? []
        var opacity = [Double](repeating: 1, count: nodes.count)
        var hidden = [Bool](repeating: false, count: nodes.count)
        for (li, ni) in layoutNodes.enumerated() where ni < nodes.count {
            nodes[ni].box = screen(bounds[safe: li])
            nodes[ni].paintOrder = paint[safe: li]?.integer ?? 0
            if let style = styles[safe: li]?.array {
                hidden[ni] = (string(style[safe: 0]) ?? "visible") != "visible"
                opacity[ni] = Double(string(style[safe: 1]) ?? "1") ?? 1
                nodes[ni].fontSize = Double((string(style[safe: 2]) ?? "16px").dropLast(2)) ?? 16
                nodes[ni].inline = string(style[safe: 3]) == "inline"
            }
        }
        // Opacity compounds down the tree; nodes come parents first.
        var effective = [Double](repeating: 1, count: nodes.count)
        for i in nodes.indices {
            effective[i] = opacity[i] * (nodes[i].parent.map { effective[$0] } ?? 1)
            nodes[i].hidden = hidden[i]
            nodes[i].opacity = effective[i]
        }
        // Text runs: one per inline text box, a text node's or a pseudo-element's (what a
        // stylesheet's `content` adds is shown like any other text; a list's markers are its
        // numbering, not its content).
        var runs: [TextRun] = []
        let textTags: Set = ["#text", "::before", "::after", "::first-letter"]
        let boxes = document["textBoxes"]
        let boxLayout = boxes?["layoutIndex"]?.array ?? [], boxBounds = boxes?["bounds"]?.array ?? []
        let boxStart = boxes?["start"]?.array ?? [], boxLength = boxes?["length"]?.array ?? []
        for k in boxLayout.indices {
            guard let li = boxLayout[k].integer, let ni = layoutNodes[safe: li], ni < nodes.count, textTags.contains(nodes[ni].tag),
                let full = string(texts[safe: li]), let box = screen(boxBounds[safe: k]), box.width > 0, box.height > 0
            else { continue }
            let utf16 = Array(full.utf16)
            let start = max(0, min(utf16.count, boxStart[safe: k]?.integer ?? 0))
            let end = max(start, min(utf16.count, start + (boxLength[safe: k]?.integer ?? utf16.count)))
            let text = String(decoding: utf16[start..<end], as: UTF16.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, let element = nodes[ni].parent else { continue }
            // A drop cap (`::first-letter`) is read as the first letter of the word it starts,
            // on the line of the text that follows it (its own box is taller than that line).
            if let last = runs.last, nodes[last.node].tag == "::first-letter", isAncestor(last.element, of: element, in: nodes) {
                let left = min(last.box.x, box.x)
                runs[runs.count - 1] = TextRun(
                    node: ni, element: element, text: last.text + text, box: Rect(x: left, y: box.y, width: box.maxX - left, height: box.height))
                continue
            }
            runs.append(TextRun(node: ni, element: element, text: text, box: box))
        }
        // Accessibility: roles, names, values and states, joined to nodes by backend id.
        for ax in accessibility["nodes"]?.array ?? [] {
            guard ax["ignored"]?.bool != true, let id = ax["backendDOMNodeId"]?.integer, let i = byBackend[id] else { continue }
            let raw = ax["role"]?["value"]?.string ?? ""
            nodes[i].axRole = raw
            nodes[i].role = ElementRole(accessibility: raw)
            nodes[i].name = (ax["name"]?["value"]?.string ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if let v = ax["value"]?["value"] {
                nodes[i].value = v.string ?? v.number.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }
            }
            var states = ElementStates()
            for property in ax["properties"]?.array ?? [] {
                let value = property["value"]?["value"]
                let flag: Bool? = value?.bool ?? value?.string.map { $0 == "true" || $0 == "mixed" }
                switch property["name"]?.string {
                case "checked": states.checked = flag
                case "disabled": states.disabled = flag
                case "selected": states.selected = flag
                case "expanded": states.expanded = flag
                case "pressed": states.pressed = flag
                case "focused": states.focused = flag
                default: break
                }
            }
            // A checkbox the tree reports without "checked" is not ticked.
            if nodes[i].role == .checkbox || nodes[i].role == .radio || nodes[i].role == .switch, states.checked == nil { states.checked = false }
            nodes[i].states = states
            // Labels: the nodes the name was taken from (<label for>, aria-labelledby).
            for source in ax["name"]?["sources"]?.array ?? [] {
                for related in (source["nativeSourceValue"]?["relatedNodes"]?.array ?? []) + (source["attributeValue"]?["relatedNodes"]?.array ?? []) {
                    if let rid = related["backendDOMNodeId"]?.integer, let r = byBackend[rid] { nodes[i].labels.append(r) }
                }
            }
        }
        return PageStructure(nodes: nodes, runs: runs, viewport: view)
    }
}

extension ElementRole {
    /// Our role for a role name of Chromium's accessibility tree.
    init?(accessibility role: String) {
        switch role {
        case "button", "ToggleButton": self = .button
        case "link": self = .link
        case "checkbox": self = .checkbox
        case "radio": self = .radio
        case "switch": self = .switch
        case "textbox", "searchbox", "TextField": self = .textbox
        case "combobox", "PopUpButton": self = .combobox
        case "listbox": self = .listbox
        case "option", "ListBoxOption", "MenuListOption": self = .option
        case "tab": self = .tab
        case "menuitem", "menuitemcheckbox", "menuitemradio": self = .menuitem
        case "slider": self = .slider
        case "spinbutton": self = .spinbutton
        case "heading": self = .heading
        case "img", "image": self = .image
        case "cell", "gridcell", "columnheader", "rowheader": self = .cell
        case "row": self = .row
        case "listitem": self = .listitem
        case "StaticText": self = .text
        default: return nil
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
