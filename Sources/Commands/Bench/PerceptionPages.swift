import Engine
import Foundation

/// One seeded, randomly styled page of the perception benchmark.
struct BenchPage: Sendable {
    var seed: UInt64
    /// A complete, self-contained HTML document.
    var html: String
    /// "light", "dark" or "coloured" (a saturated, non-grey page or panel colour dominates).
    var theme: String
    /// What the page mostly is: "cards", "table", "list", "form", "nav", "mixed" ...
    var layout: String
    /// Controls whose accessible name a reader must resolve to the right element.
    var targets: [BenchTarget]
}

struct BenchTarget: Sendable {
    /// ARIA role: "button", "link", "checkbox", "textbox", "tab", "menuitem", "radio", "combobox"
    var role: String
    /// The accessible name (the visible label, the label/placeholder of a field, the aria-label of an icon button).
    var name: String
    /// Visible text of the row/card/list item the control sits in, when the name alone is not
    /// unique on the page (e.g. several "Delete" buttons); nil when the name is unique.
    var row: String?
    /// The DOM id of the element a correct reader must pick (for a checkbox or field: the input itself).
    var id: String
    /// The control is displayed only while the pointer hovers its row/card (CSS :hover); the benchmark hovers the row text first.
    var hover: Bool
}

enum PageGenerator {
    /// The page for `seed` at this viewport size; the same seed always gives the same page.
    static func page(seed: UInt64, width: Int, height: Int) -> BenchPage {
        PPGen(seed: seed, w: max(360, width), h: max(280, height)).build()
    }
}

// MARK: - Colour

private struct PPColor: Equatable {
    var r: Int, g: Int, b: Int
    static let black = PPColor(r: 0, g: 0, b: 0), white = PPColor(r: 255, g: 255, b: 255)
    var hex: String { String(format: "#%02x%02x%02x", r, g, b) }
    var lum: Double {
        func ch(_ v: Int) -> Double { let c = Double(v) / 255; return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)
    }
    static func hsl(_ h0: Double, _ s: Double, _ l: Double) -> PPColor {
        let h = (h0.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
        let c = (1 - abs(2 * l - 1)) * s, x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1)), m = l - c / 2
        let t: (Double, Double, Double) = h < 1 ? (c, x, 0) : h < 2 ? (x, c, 0) : h < 3 ? (0, c, x) : h < 4 ? (0, x, c) : h < 5 ? (x, 0, c) : (c, 0, x)
        func q(_ v: Double) -> Int { max(0, min(255, Int(((v + m) * 255).rounded()))) }
        return PPColor(r: q(t.0), g: q(t.1), b: q(t.2))
    }
    func mix(_ o: PPColor, _ t: Double) -> PPColor {
        func f(_ a: Int, _ b: Int) -> Int { Int((Double(a) * (1 - t) + Double(b) * t).rounded()) }
        return PPColor(r: f(r, o.r), g: f(g, o.g), b: f(b, o.b))
    }
}

private func ppRatio(_ a: PPColor, _ b: PPColor) -> Double {
    let x = a.lum, y = b.lum
    return (max(x, y) + 0.05) / (min(x, y) + 0.05)
}

/// A background: its CSS and the colours text on it may sit on (gradient stops plus blends between them).
private struct PPBg {
    var css: String
    var cols: [PPColor]
    var solid: PPColor? { cols.count == 1 ? cols[0] : nil }
    init(_ c: PPColor) { css = c.hex; cols = [c] }
    init(css: String, stops: [PPColor]) {
        self.css = css
        var cs = stops
        for i in 0..<stops.count { for j in (i + 1)..<stops.count { for k in 1...9 { cs.append(stops[i].mix(stops[j], Double(k) / 10)) } } }
        cols = cs
    }
}

/// Pushes colours toward black (dark=true) or white until text of the other side can reach 6.5:1 on all of them.
private func ppSide(_ cs: [PPColor], dark: Bool) -> [PPColor] {
    var cs = cs
    for _ in 0..<40 {
        let probe = PPBg(css: "", stops: cs).cols
        let ok = dark ? 1.05 / (probe.map(\.lum).max()! + 0.05) >= 6.5 : (probe.map(\.lum).min()! + 0.05) / 0.05 >= 6.5
        if ok { break }
        cs = cs.map { $0.mix(dark ? .black : .white, 0.08) }
    }
    return cs
}
private func ppAuto(_ c: PPColor) -> PPColor { ppSide([c], dark: c.lum < 0.2)[0] }

private func ppEsc(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

// MARK: - Vocabulary (decoy words never occur in the other lists)

private enum PPWords {
    static func l(_ s: String) -> [String] { s.components(separatedBy: "|") }
    static let people = l("Ada Lovelace|Alan Turing|Grace Hopper|Marie Curie|Nikola Tesla|Carl Sagan|Mae Jemison|Jane Goodall|Hedy Lamarr|"
        + "Emmy Noether|Niels Bohr|Kofi Mensah|Priya Patel|Liam Walsh|Sofia Rossi|Mateo Diaz|Yuki Tanaka|Omar Haddad|Chen Wei|"
        + "Anna Berg|Lena Vogel|Ravi Kumar|Tom Baker|Eva Lind")
    static let products = l("Blue Mug|Desk Lamp|Wool Scarf|Trail Shoes|Green Tea|Notebook|Water Bottle|Phone Case|Yoga Mat|Coffee Beans|Backpack|"
        + "Sunglasses|Headphones|Plant Pot|Candle Set|Bike Light|Rain Jacket|Cutting Board|Table Fan|Tea Kettle|Wall Clock|"
        + "Pencil Case")
    static let projects = l("Website Redesign|Mobile App|Q3 Budget|Data Export|Billing Revamp|Search Index|Design System|Help Center|Summer Campaign|"
        + "API Gateway|Team Offsite|Office Move|Brand Refresh|Payroll Audit|Newsletter|Beta Launch|Partner Portal|Price Study")
    static let places = l("Lisbon|Oslo|Kyoto|Nairobi|Lima|Vienna|Dublin|Hanoi|Seville|Bergen|Porto|Krakow|Cusco|Tallinn|Nice|Bruges|Hobart|Split")
    static let tasks = l("Buy milk|Call the bank|Book dentist|Water the plants|Pay rent|Renew passport|Fix the sink|Email Sam|Plan the trip|"
        + "Read chapter 4|Walk the dog|Send invoice|Clean the garage|Order printer ink|Back up laptop|Return library books|"
        + "Pick up parcel|Cancel gym|Update resume|Bake bread")
    static let brands = l("Acme|Northwind|Brightside|Lumen|Orbit Labs|Fieldnote|Parcelly|Tasklane|Greenleaf|Moonbase")
    static let nav = l("Home|Projects|Reports|Team|Billing|Pricing|Blog|Docs|Store|Contact|About|Careers")
    static let side = l("Dashboard|Inbox|Calendar|Files|Analytics|Customers|Invoices|Messages|Archive|Trash")
    static let tabs = l("Overview|Activity|Members|Permissions|History|Comments|Insights|General")
    static let acts = l("Edit|Delete|View|Share|Remove|Open|Details|Duplicate")
    static let status = l("Active|Paused|Pending|Shipped|Overdue|Done|Draft|Review")
    static let badges = l("New|Sale|Hot|Beta|Pro|Top")
    static let descs = l("Ships in two days|Handmade in small batches|Updated last week|Free returns|Popular this month|Limited stock left|"
        + "Owner: design team|Due next Friday|Open to everyone|Only three seats left")
    static let heroes = l("Welcome back|Plan your next trip|Spring collection|Quarterly report|Your workspace|Good morning|Find your style|Start something new")
    static let subs = l("Everything you need in one place|Fresh picks for this season|Here is what changed this week|"
        + "Track your work and your team|Small steps, big progress")
    static let decoys = l("Quokka|Zeppelin|Marzipan|Obsidian|Kumquat|Fjord|Xylophone|Nebula|Gazebo|Walrus|Tangerine|Pelican|Labyrinth|Mandolin|"
        + "Origami|Saffron|Tundra|Vortex|Zucchini|Basilisk|Cobalt|Dirigible|Falafel|Gondola|Harpoon|Igloo|Jackal|Lagoon|Meringue|"
        + "Narwhal|Pagoda|Rhubarb|Sphinx|Trombone|Wombat|Yak|Quince|Mongoose|Kestrel|Sextant")
}

// MARK: - Generator

private final class PPGen {
    var r: BenchRandom
    let seed: UInt64, W: Int, H: Int
    var fam = "", hfam = "", fs = 14, hfs = 20, P = 16, G = 12, rad = 6, brad = 6, bpv = 6, bph = 12, bw = 1, caseMode = 0, btnKind = 0, iconMode = 0, iconRound = false, btnBold = false
    var shadow = "none", theme = "light", hvCls = "hv", hue = 0.0, ahue = 0.0, inkSat = 0.0, inkCol = false
    var page = PPBg(.white), surf = PPBg(.white), field = PPBg(.white), acc = PPColor.black
    var css: [String] = [], used: Set<String> = [], names: [String: Int] = [:], cands: [BenchTarget] = []
    var hoverLeft = 0, ids: Set<String> = [], inkCache: [String: (PPColor, Double)] = [:]
    var slotDecoys: [String] = [], loose: [String] = [], coverWord: String?

    init(seed: UInt64, w: Int, h: Int) { self.seed = seed; W = w; H = h; r = BenchRandom(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B) }

    // MARK: metrics
    func lh(_ s: Int) -> Int { Int((Double(s) * 1.3).rounded(.up)) }
    func bh(_ s: Int) -> Int { lh(s) + 2 * bpv + 2 * bw }
    func tw(_ s: String, _ size: Int, _ f: String? = nil) -> Int {
        if (f ?? fam).contains("Mono") { return Int(Double(s.count) * 0.61 * Double(size)) + 2 }
        var w = 0.0
        for ch in s { w += ch.isLowercase ? 0.64 : ch.isUppercase ? 0.81 : ch.isNumber ? 0.70 : ch == " " ? 0.35 : ".,:;!?'-()/".contains(ch) ? 0.46 : 1.0 }
        return Int(w * Double(size) * 1.05) + 2
    }
    func cased(_ s: String) -> String { caseMode == 1 ? s.uppercased() : caseMode == 2 ? s.lowercased() : s }
    func newId() -> String {
        while true { let s = "e" + String(r.next() & 0xFFFFF, radix: 36); if ids.insert(s).inserted { return s } }
    }
    func uniq(_ pool: [String], _ fit: (String) -> Bool = { _ in true }) -> String? {
        guard let s = r.shuffle(pool).first(where: { !used.contains($0) && fit($0) }) else { return nil }
        return used.insert(s).memberAfterInsert
    }
    func cstr(_ k: Double) -> String { String(format: "%.1f", floor(k * 10) / 10) }
    func reg(_ role: String, _ name: String, _ row: String?, _ id: String, _ hover: Bool = false) {
        names[name, default: 0] += 1
        cands.append(BenchTarget(role: role, name: name, row: row, id: id, hover: hover))
    }
    func takeHover() -> Bool { if hoverLeft > 0 && r.chance(0.5) { hoverLeft -= 1; return true }; return false }

    // MARK: colour
    func ink(_ bg: PPBg, _ lvl: Int) -> (PPColor, Double) {
        let key = bg.css + "|\(lvl)"
        if let v = inkCache[key] { return v }
        let lmin = bg.cols.map(\.lum).min()!, lmax = bg.cols.map(\.lum).max()!
        let dk = (lmin + 0.05) / 0.05, lt = 1.05 / (lmax + 0.05), dark = dk >= lt, top = max(dk, lt) - 0.05
        let span = max(0, top - 4.6), u = r.unit()
        let t = lvl == 0 ? 4.6 + u * min(2.5, span) : lvl == 1 ? 4.6 + (0.15 + 0.6 * u) * span : top - 0.2 * u * span
        let h = inkCol ? ahue : hue, s = inkCol ? 0.5 + inkSat : inkSat
        func mc(_ c: PPColor) -> Double { bg.cols.map { ppRatio(c, $0) }.min()! }
        var a = 0.0, b = 1.0  // bisect the lightness toward the target contrast
        for _ in 0..<24 { let m = (a + b) / 2; if dark == (mc(.hsl(h, s, m)) >= t) { a = m } else { b = m } }
        var c = PPColor.hsl(h, s, dark ? a : b)
        if mc(c) < 4.5 { c = dark ? .black : .white }
        inkCache[key] = (c, mc(c))
        return (c, mc(c))
    }
    func grad(_ a: PPColor, _ b: PPColor, dark: Bool) -> PPBg {
        let s = ppSide([a, b], dark: dark)
        return PPBg(css: "linear-gradient(\(r.int(0, 17) * 20)deg,\(s[0].hex),\(s[1].hex))", stops: s)
    }
    func tint(_ base: PPColor, _ hue2: Double) -> PPColor {
        ppAuto(base.lum > 0.2 ? PPColor.hsl(hue2, r.real(0.4, 0.8), r.real(0.82, 0.92)) : PPColor.hsl(hue2, r.real(0.3, 0.6), r.real(0.18, 0.28)))
    }

    // MARK: text and controls
    func t(_ s: String, _ bg: PPBg, _ size: Int, _ lvl: Int = 1, bold: Bool = false, tag: String = "span", a: String = "", st: String = "", head: Bool = false) -> String {
        let (c, k) = ink(bg, lvl)
        let ff = head && hfam != fam ? "font-family:'\(hfam)';" : ""
        return "<\(tag)\(a) style=\"color:\(c.hex);font-size:\(size)px;\(bold ? "font-weight:bold;" : "")\(ff)\(st)\" data-contrast=\"\(cstr(k))\">\(ppEsc(s))</\(tag)>"
    }
    func stat(_ label: String, _ num: String, _ bg: PPBg, _ size: Int) -> (String, Int) {
        let (c, k) = ink(bg, 0), (c2, k2) = ink(bg, 2)
        let h = "<span style=\"color:\(c.hex);font-size:\(size)px\" data-contrast=\"\(cstr(k))\">\(ppEsc(label)) <span style=\"color:\(c2.hex);font-weight:bold\" data-contrast=\"\(cstr(k2))\">\(num)</span></span>"
        return (h, tw(label + " " + num, size))
    }
    func hoverAttr(_ hover: Bool) -> String { hover ? " class=\"\(hvCls)\" data-hover=\"1\"" : "" }
    func btnW(_ label: String, _ size: Int) -> Int { tw(cased(label), size) + 2 * bph + 2 * bw + 2 }
    func btn(_ label0: String, _ bg: PPBg, _ size: Int, kind: Int? = nil, row: String? = nil, hover: Bool = false, role: String = "button", fill: PPColor? = nil) -> (String, Int) {
        let label = cased(label0), k = kind ?? btnKind, id = newId(), f = fill ?? acc
        var st = "height:\(bh(size))px;padding:0 \(bph)px;border-radius:\(brad)px;"
        var tb = bg
        if k == 0 { tb = PPBg(f); st += "background:\(f.hex);border:\(bw)px solid \(f.hex);" }
        else { st += "background:transparent;border:\(bw)px solid \(k == 1 ? ink(bg, 0).0.hex : "transparent");" }
        let (c, ct) = ink(tb, k == 0 ? 2 : 1)
        let rl = role == "button" ? "" : " role=\"\(role)\""
        let h = "<button type=\"button\" id=\"\(id)\"\(rl)\(hoverAttr(hover)) style=\"color:\(c.hex);font-size:\(size)px;\(btnBold ? "font-weight:bold;" : "")\(st)\" data-contrast=\"\(cstr(ct))\">\(ppEsc(label))</button>"
        reg(role, label, row, id, hover)
        return (h, btnW(label0, size))
    }
    func icon(_ name: String, _ bg: PPBg, _ size: Int, row: String? = nil, hover: Bool = false) -> (String, Int) {
        let glyphs: [String: [String]] = ["Delete": ["×", "trash"], "Remove": ["×", "✕"], "Edit": ["✎"], "More options": ["⋯"],
            "Favourite": ["★", "☆"], "Settings": ["⚙"], "Search": ["search"], "Close": ["×"], "Notifications": ["bell"], "Download": ["↓"], "Pin": ["★"]]
        let gs = glyphs[name] ?? ["⋯"], g = gs[Int(seed % 2) % gs.count], d = bh(size), id = newId(), filled = iconMode == 2
        let tb = filled ? PPBg(acc) : bg, (c, _) = ink(tb, 2)
        let paths = ["trash": "<path d=\"M3 6h18M8 6V4h8v2M6 6l1 14h10l1-14\"/>", "search": "<circle cx=\"11\" cy=\"11\" r=\"7\"/><path d=\"M21 21l-5-5\"/>",
                     "bell": "<path d=\"M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 21h4\"/>"]
        let z = max(12, size), inner = paths[g].map {
            "<svg aria-hidden=\"true\" width=\"\(z)\" height=\"\(z)\" viewBox=\"0 0 24 24\" fill=\"none\" stroke=\"\(c.hex)\" stroke-width=\"2\">\($0)</svg>" } ?? "<span aria-hidden=\"true\" style=\"font-family:'DejaVu Sans';font-size:\(size + 2)px;color:\(c.hex)\">\(g)</span>"
        let st = "width:\(d)px;height:\(d)px;padding:0;display:inline-flex;align-items:center;justify-content:center;border-radius:\(iconRound ? d / 2 : brad)px;background:\(filled ? acc.hex : "transparent");border:\(bw)px solid \(filled ? acc.hex : (iconMode == 1 ? ink(bg, 0).0.hex : "transparent"))"
        reg("button", name, row, id, hover)
        return ("<button type=\"button\" id=\"\(id)\" aria-label=\"\(name)\"\(hoverAttr(hover)) style=\"\(st)\">\(inner)</button>", d)
    }
    func link(_ label0: String, _ bg: PPBg, _ size: Int, role: String = "link", row: String? = nil) -> (String, Int) {
        let label = role == "link" ? label0 : cased(label0), id = newId()
        let rl = role == "link" ? "" : " role=\"\(role)\""
        reg(role, label, row, id)
        return (t(label, bg, size, r.int(1, 2), bold: r.chance(0.3), tag: "a", a: " href=\"#\" id=\"\(id)\"\(rl)", st: "text-decoration:\(r.chance(0.5) ? "underline" : "none")"), tw(label, size))
    }
    func check(_ label: String, _ bg: PPBg, _ size: Int, group: String? = nil, row: String? = nil) -> (String, Int) {
        let id = newId(), box = min(max(13, size), 20)
        let typ = group == nil ? "checkbox" : "radio", nm = group.map { " name=\"\($0)\"" } ?? ""
        reg(typ, label, row, id)
        let h = "<span style=\"display:inline-flex;align-items:center;gap:6px\"><input type=\"\(typ)\" id=\"\(id)\"\(nm)\(r.chance(0.35) ? " checked" : "") style=\"width:\(box)px;height:\(box)px;margin:0;accent-color:\(acc.hex)\">" + t(label, bg, size, r.int(1, 2), tag: "label", a: " for=\"\(id)\"") + "</span>"
        return (h, box + 6 + tw(label, size))
    }
    func input(_ w: Int, _ size: Int, ph: String, val: String?, name: String, aria: Bool = false, id: String? = nil) -> String {
        let id = id ?? newId()
        reg("textbox", name, nil, id)
        let v = val.map { " value=\"\(ppEsc($0))\"" } ?? ""
        return "<input type=\"text\" class=\"fld\" id=\"\(id)\"\(aria ? " aria-label=\"\(ppEsc(name))\"" : "") placeholder=\"\(ppEsc(ph))\"\(v) style=\"width:\(w)px;height:\(bh(size))px;font-size:\(size)px\">"
    }
    func select(_ w: Int, _ size: Int, opts: [String], name: String, id: String) -> String {
        reg("combobox", name, nil, id)
        let o = opts.map { "<option>\(ppEsc($0))</option>" }.joined()
        return "<select class=\"fld\" id=\"\(id)\" style=\"width:\(w)px;height:\(bh(size))px;font-size:\(size)px\">\(o)</select>"
    }
    func decoy(_ kind: String, _ word: String, size: Int, same: PPColor? = nil, at: (Int, Int) = (0, 0)) -> String {
        let tag = ["vis", "opac", "none", "off", "clip", "cover"].contains(kind) ? r.pick(["span", "span", "button", "a"]) : "span"
        let k: String = ["none": "display:none", "vis": "visibility:hidden", "off": "position:absolute;left:-9999px;top:\(at.1)px",
            "transp": "color:transparent", "same": "color:\(same?.hex ?? "transparent")", "opac": "opacity:0", "zero": "position:absolute;left:\(at.0)px;top:\(at.1)px;font-size:0",
            "clip": "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap",
            "cover": "position:absolute;left:\(at.0)px;top:\(at.1)px;z-index:0"][kind]!
        let extra = tag == "a" ? " href=\"#\"" : tag == "button" ? " type=\"button\"" : ""
        return "<\(tag) data-decoy=\"\(kind)\"\(extra) style=\"font-size:\(size)px;\(k)\">\(word)</\(tag)>"
    }
    /// Fills the free middle of a bar with the space-taking decoys that fit.
    func slot(_ spare: Int, _ bg: PPBg, _ size: Int) -> String {
        var s = "", spare = spare
        while let w = slotDecoys.first, tw(String(w.split(separator: "|")[1]), size) + 12 < spare {
            slotDecoys.removeFirst()
            let p = w.split(separator: "|").map(String.init)
            guard p[0] != "same" || bg.solid != nil else { loose.append(decoy("none", p[1], size: size)); continue }
            s += decoy(p[0], p[1], size: size, same: bg.solid) + " "
            spare -= tw(p[1], size) + 12
        }
        return "<span style=\"flex:1;white-space:nowrap;padding-left:8px\">\(s)</span>"
    }
    /// An opaque panel; the pending covered decoy goes underneath it.
    func panel(_ w: Int, _ h: Int, _ bg: PPBg, _ pad: Int, _ inner: String, extra: String = "") -> String {
        let p = "<div\(extra) style=\"position:relative;z-index:1;width:\(w)px;height:\(h)px;padding:\(pad)px;background:\(bg.css);border-radius:\(rad)px;box-shadow:\(shadow)\">\(inner)</div>"
        guard let word = coverWord, w > 120, h > 60 else { return p }
        coverWord = nil
        return "<div style=\"position:relative;width:\(w)px;height:\(h)px;flex:none\">" + decoy("cover", word, size: 12, at: (max(rad, 12) + 10, h / 2 - 8)) + p + "</div>"
    }

    // MARK: sections
    func barBg() -> PPBg {
        switch r.int(0, 5) {
        case 0, 1: return page
        case 2: return surf
        case 3: return grad(acc, PPColor.hsl(ahue + 40, 0.7, 0.35), dark: acc.lum < 0.2)
        default: return PPBg(acc)
        }
    }
    func bar(_ w: Int, pv: Int, top: Bool) -> String {
        let bg = barBg(), size = fs, ph = bg.css == page.css ? 0 : r.int(10, 20), gap = r.int(10, 22), h = bh(size) + 2 * pv
        var left: [(String, Int)] = [], right: [(String, Int)] = [], room = w - 2 * ph - gap * 2
        if top {
            var bs = min(28, fs + r.int(0, 8))
            while lh(bs) > h - 2 { bs -= 1 }
            if let b = uniq(PPWords.brands) { left.append((t(b, bg, bs, 2, bold: true, tag: "strong", head: true), tw(b, bs, hfam))); room -= tw(b, bs, hfam) + gap }
            var rt: [(Int, () -> (String, Int))] = []
            if r.chance(0.6) { let n = r.pick(["Search", "Settings", "Notifications", "Help"]); rt.append((bh(size), { self.icon(n, bg, size) })) }
            if r.chance(0.5) { let n = r.pick(["Sign in", "New post", "Upgrade", "Log out", "Get started"]); rt.append((btnW(n, size), { self.btn(n, bg, size, fill: bg.css == self.acc.hex ? self.ppSwap() : nil) })) }
            if r.chance(0.35) { let iw = r.int(120, 200); rt.append((iw, { (self.input(iw, size, ph: "Search…", val: nil, name: "Search", aria: true), iw) })) }
            for (wd, mk) in rt where wd + gap <= room - 60 { right.append(mk()); room -= wd + gap }
            let asMenu = r.chance(0.5)
            var menu: [(String, Int)] = []
            for n in r.shuffle(PPWords.nav).prefix(r.int(2, 6)) where !used.contains(n) && tw(cased(n), size) + gap <= room {
                used.insert(n); room -= tw(cased(n), size) + gap
                menu.append(link(n, bg, size, role: asMenu ? "menuitem" : "link"))
            }
            if !menu.isEmpty {
                left.append(("<nav\(asMenu ? " role=\"menubar\"" : "") style=\"display:flex;gap:\(gap)px;align-items:center\">" + menu.map(\.0).joined() + "</nav>", 0))
            }
        } else {
            let labels = r.shuffle(["Total:", "Selected:", "Items:", "Open:", "Balance:", "Unread:", "Storage used:"]).prefix(r.int(1, 3))
            for l in labels {
                let s = stat(l, r.chance(0.3) ? "\(r.int(1, 99))%" : "\(r.int(0, 999))", bg, size)
                if s.1 + gap <= room { left.append(s); room -= s.1 + gap }
            }
            for n in r.shuffle(["Help", "Privacy", "Terms", "Status page", "Feedback"]).prefix(r.int(0, 2)) where tw(n, size) + gap <= room && !used.contains(n) {
                used.insert(n); right.append(link(n, bg, size)); room -= tw(n, size) + gap
            }
        }
        let mid = slot(room, bg, size)
        return "<\(top ? "header" : "footer") style=\"display:flex;align-items:center;gap:\(gap)px;height:\(h)px;padding:0 \(ph)px;background:\(bg.css);border-radius:\(ph > 0 ? rad : 0)px;flex:none\">" + left.map(\.0).joined() + mid + right.map(\.0).joined() + "</\(top ? "header" : "footer")>"
    }
    func ppSwap() -> PPColor { ppAuto(acc.lum < 0.2 ? PPColor.hsl(ahue, 0.3, 0.94) : PPColor.hsl(ahue, 0.5, 0.16)) }

    func heroSizes(_ w: Int) -> (ts: Int, pad: Int, cta: Bool, h: Int) {
        var ts = r.int(20, 40)
        let pad = r.int(14, 30), cta = r.chance(0.5)
        while ts > 16 && tw("Plan your next trip, Jane", ts, hfam) > w - 2 * pad { ts -= 2 }
        return (ts, pad, cta, 2 * pad + lh(ts) + 8 + lh(fs) + (cta ? 10 + bh(fs) : 0))
    }
    func hero(_ w: Int, _ z: (ts: Int, pad: Int, cta: Bool, h: Int)) -> String {
        let kind = r.int(0, 3), dark = kind > 0 || r.chance(0.6), bg: PPBg
        let c1 = PPColor.hsl(hue + r.real(-30, 30), r.real(0.5, 0.9), r.real(0.3, 0.7)), c2 = PPColor.hsl(ahue, r.real(0.5, 0.9), r.real(0.3, 0.7))
        let c3 = PPColor.hsl(hue + 180, r.real(0.4, 0.9), r.real(0.4, 0.8))
        if kind == 0 {
            let s = ppSide([c1, c2], dark: dark)
            bg = PPBg(css: "linear-gradient(\(r.int(0, 8) * 45)deg,\(s[0].hex),\(s[1].hex))", stops: s)
        } else {
            let img: String
            switch kind {
            case 1: img = "radial-gradient(circle at \(r.int(10, 90))% \(r.int(10, 90))%,\(c3.hex) 0%,\(c1.hex) 45%,\(c2.hex) 100%)"
            case 2: let p = r.int(8, 20); img = "repeating-linear-gradient(\(r.pick([30, 45, 60, 135]))deg,\(c1.hex) 0 \(p)px,\(c2.hex) \(p)px \(2 * p)px,\(c3.hex) \(2 * p)px \(3 * p)px)"
            default:
                func e(_ c: PPColor) -> String { "%23" + c.hex.dropFirst() }
                img = "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 400 200' preserveAspectRatio='none'%3E%3Crect width='400' height='200' fill='\(e(c2))'/%3E%3Ccircle cx='\(r.int(60, 340))' cy='60' r='34' fill='\(e(c3))'/%3E%3Cpolygon points='0,200 \(r.int(60, 160)),70 260,200' fill='\(e(c1))'/%3E%3Cpolygon points='150,200 \(r.int(240, 330)),90 400,200' fill='\(e(c1.mix(c3, 0.5)))'/%3E%3C/svg%3E\") center/cover"
            }
            var a = r.real(0.45, 0.7), comp: [PPColor] = []  // darkening overlay: strengthen until light text can reach 6.5:1
            for _ in 0..<20 {
                comp = [c1, c2, c3, c1.mix(c3, 0.5)].map { $0.mix(.black, a) }
                if 1.05 / (PPBg(css: "", stops: comp).cols.map(\.lum).max()! + 0.05) >= 6.5 { break } else { a = min(0.95, a + 0.05) }
            }
            bg = PPBg(css: "linear-gradient(rgba(0,0,0,\(String(format: "%.3f", a))),rgba(0,0,0,\(String(format: "%.3f", a)))),\(img)", stops: comp)
        }
        css.append(".hero{background:\(bg.css)}")
        let center = r.chance(0.4), al = center ? "center" : "flex-start"
        let title = r.pick(PPWords.heroes) + (r.chance(0.4) ? ", " + r.pick(["Jane", "Sam", "Alex", "Kim"]) : "")
        var s = t(title, bg, z.ts, 2, bold: r.chance(0.7), tag: "h1", st: "line-height:\(lh(z.ts))px", head: true)
        s += t(r.pick(PPWords.subs), bg, fs, r.int(0, 1), tag: "p", st: "margin-top:8px")
        if z.cta { s += "<div style=\"margin-top:10px\">" + btn(r.pick(["Get started", "Shop now", "Learn more", "Explore"]), bg, fs, kind: 0, fill: ppAuto(PPColor.hsl(ahue, 0.3, 0.95))).0 + "</div>" }
        return "<section class=\"hero\" style=\"height:\(z.h)px;padding:\(z.pad)px;border-radius:\(rad)px;display:flex;flex-direction:column;align-items:\(al);flex:none\">\(s)</section>"
    }

    // MARK: main builders (each fills at most w x h)
    func cards(_ w: Int, _ h: Int) -> String {
        let k = r.int(0, 3), pool = [PPWords.products, PPWords.people, PPWords.projects, PPWords.places][k]
        let metaL = ["Price:", "Tasks:", "Progress:", "Rating:"][k]
        var ts = min(28, fs + r.int(0, 6)), desc = r.chance(0.7), meta = r.chance(0.8)
        let pad = r.int(10, 20), g2 = r.int(4, 10), sm = max(11, fs - 2), badge = r.chance(0.5)
        let cbg = theme == "coloured" && r.chance(0.4) ? PPBg(ppAuto(PPColor.hsl(ahue, 0.7, 0.4))) : surf
        func ch() -> Int { 2 * pad + max(lh(ts), lh(sm) + 4) + (desc ? g2 + lh(fs) : 0) + (meta ? g2 + lh(fs) : 0) + g2 + bh(fs) }
        if ch() > h { desc = false }
        if ch() > h { meta = false }
        while ch() > h && ts > 11 { ts -= 1 }
        let rows = max(1, (h + G) / (ch() + G)), maxCols = max(1, min(4, (w + G) / (200 + G)))
        let cols = r.int(max(1, maxCols - 1), maxCols), cw = (w - (cols - 1) * G) / cols, inner = cw - 2 * pad
        let n = max(1, min(cols * rows, r.int(max(2, cols * rows * 2 / 3), 10)))
        let acts = Array(r.shuffle(PPWords.acts).prefix(r.int(1, 2))), akind = [r.int(0, 2), r.int(1, 2)], star = r.chance(0.4), hoverName = r.pick(["More options", "Pin", "Download"])
        var out: [String] = []
        for _ in 0..<n {
            let bt = badge ? r.pick(PPWords.badges) : "", bwid = badge ? tw(bt, sm) + 16 : 0
            guard let title = uniq(pool, { self.tw($0, ts, self.hfam) + bwid + 8 <= inner }) else { break }
            var s = "<div style=\"display:flex;align-items:center;justify-content:space-between;height:\(max(lh(ts), lh(sm) + 4))px\">" + t(title, cbg, ts, 2, bold: true, tag: "h3", head: true)
            if badge { let pb = PPBg(tint(cbg.cols[0], ahue + 90)); s += t(bt, pb, sm, 1, bold: true, st: "background:\(pb.css);padding:2px 8px;border-radius:999px") }
            s += "</div>"
            if desc { let d = r.shuffle(PPWords.descs).first { self.tw($0, self.fs) <= inner } ?? ""; s += t(d, cbg, fs, 0, tag: "div", st: "height:\(lh(fs))px;margin-top:\(g2)px") }
            if meta {
                let v = ["$\(r.int(3, 499))", "\(r.int(1, 40))", "\(r.int(0, 100))%", String(format: "%.1f", r.real(2.5, 5))][k]
                s += "<div style=\"height:\(lh(fs))px;margin-top:\(g2)px\">" + stat(metaL, v, cbg, fs).0 + "</div>"
            }
            var room = inner, row: [String] = [], hv = false
            for (j, a) in acts.enumerated() where btnW(a, fs) + 8 <= room { row.append(btn(a, cbg, fs, kind: akind[j], row: title).0); room -= btnW(a, fs) + 8 }
            if star && bh(fs) + 8 <= room { row.append(icon("Favourite", cbg, fs, row: title).0); room -= bh(fs) + 8 }
            if bh(fs) + 8 <= room && takeHover() { hv = true; row.append(icon(hoverName, cbg, fs, row: title, hover: true).0) }
            s += "<div style=\"display:flex;gap:8px;align-items:center;height:\(bh(fs))px;margin-top:\(g2)px\">" + row.joined() + "</div>"
            out.append(panel(cw, ch(), cbg, pad, s, extra: hv ? " class=\"hr\"" : ""))
        }
        return "<div style=\"display:grid;grid-template-columns:repeat(\(cols),\(cw)px);gap:\(G)px;width:\(w)px;height:\(h)px;align-content:start\">" + out.joined() + "</div>"
    }

    func table(_ w: Int, _ h: Int) -> String {
        let usePanel = r.chance(0.7), pad = usePanel ? r.int(8, 16) : 0, bg = usePanel ? surf : page
        let iw = w - 2 * pad, ih = h - 2 * pad, sm = max(11, fs - 2), cp = r.int(6, 14)
        var s = "", used0 = 0
        if r.chance(0.7) && ih > 4 * bh(fs) {
            var room = iw, parts: [String] = []
            let title = r.pick(["Orders", "Team members", "Inventory", "Invoices", "Projects", "Accounts"]), tsz = min(hfs, 26), barH = max(bh(fs), lh(tsz))
            if !used.contains(title) { used.insert(title); parts.append(t(title, bg, tsz, 2, bold: true, tag: "h2", head: true)); room -= tw(title, tsz, hfam) + 12 }
            if r.chance(0.5) {
                let tabs = r.shuffle(["All", "Open", "Closed", "Archived", "Mine"]).prefix(3)
                let tbw = tabs.reduce(0) { $0 + btnW($1, fs) + 4 }
                if tbw <= room - 20 { parts.append("<div role=\"tablist\" style=\"display:flex;gap:4px\">" + tabs.enumerated().map { tab($1, bg, fs, sel: $0 == 0) }.joined() + "</div>"); room -= tbw + 12 }
            }
            parts.append("<span style=\"flex:1\"></span>")
            let nb = r.pick(["Export", "New row", "Import", "Add member"])
            if btnW(nb, fs) <= room { parts.append(btn(nb, bg, fs, kind: 0).0) }
            s += "<div style=\"display:flex;align-items:center;gap:12px;height:\(barH)px;margin-bottom:10px\">" + parts.joined() + "</div>"
            used0 = barH + 10
        }
        let pool = r.chance(0.5) ? PPWords.people : PPWords.products
        let hdrBg = r.chance(0.6) ? PPBg(acc) : PPBg(ppAuto(surf.cols[0].mix(ink(surf, 2).0, 0.12)))
        let zeb = r.chance(0.7) ? PPBg(ppAuto(bg.cols[0].mix(ink(bg, 2).0, r.real(0.04, 0.1)))) : bg
        let rh = max(lh(fs), bh(sm)) + 2 * r.int(2, 7), hh = lh(fs) + 2 * r.int(4, 9)
        let nrows = max(1, min(r.int(3, 10), (ih - used0 - hh) / rh))
        let numL = r.pick(["Amount", "Qty", "Score", "Tasks"]), dateL = r.pick(["Date", "Updated", "Joined"])
        var selCol = r.chance(0.4), useIcons = r.chance(0.5), wantHover = hoverLeft > 0 && r.chance(0.6)
        func cwid(_ l: String, _ content: Int) -> Int { max(content, tw(cased(l), fs)) + 2 * cp }
        var cols: [(String, Int)] = [("Name", 0), ("Status", cwid("Status", tw("Overdue", sm) + 24)), (numL, cwid(numL, tw("$9999.00", fs))), (dateL, cwid(dateL, tw("Sep 30", fs)))]
        let a1 = r.pick(["Edit", "View", "Open"]), k1 = r.int(1, 2), a2 = r.pick(["Delete", "Remove"]), hvName = r.pick(["Archive", "Duplicate"])
        func actW() -> Int { (useIcons ? 2 * bh(sm) : btnW(a1, sm) + bh(sm)) + 8 + 2 * cp + (wantHover ? btnW(hvName, sm) + 8 : 0) }
        let nameNeed = pool.map { tw($0, fs) }.sorted()[pool.count / 2] + 2 * cp + (selCol ? 20 + 2 * cp : 0)
        func total() -> Int { cols.reduce(0) { $0 + $1.1 } + actW() + nameNeed }
        while total() > iw && cols.count > 1 { cols.removeLast() }
        if total() > iw { wantHover = false }
        if total() > iw { useIcons = true }
        if total() > iw { selCol = false }
        if selCol { cols.insert(("sel", 20 + 2 * cp), at: 0) }
        cols.append(("act", actW()))
        let nameIx = selCol ? 1 : 0
        cols[nameIx].1 = iw - cols.reduce(0) { $0 + $1.1 }
        let nameAvail = cols[nameIx].1 - 2 * cp
        var hoverRows: [Int] = []
        if wantHover { hoverRows = Array(r.shuffle(Array(0..<nrows)).prefix(min(hoverLeft, r.int(1, 2)))); hoverLeft -= hoverRows.count }
        let tw0 = cols.reduce(0) { $0 + $1.1 }
        var tb = "<table style=\"table-layout:fixed;border-collapse:collapse;width:\(tw0)px\"><colgroup>" + cols.map { "<col style=\"width:\($0.1)px\">" }.joined() + "</colgroup><thead><tr style=\"height:\(hh)px;background:\(hdrBg.css)\">"
        for c in cols { tb += c.0 == "sel" || c.0 == "act" ? "<th></th>" : t(cased(c.0), hdrBg, fs, r.int(1, 2), bold: true, tag: "th", st: "text-align:left;padding:0 \(cp)px") }
        tb += "</tr></thead><tbody>"
        for i in 0..<nrows {
            guard let name = uniq(pool, { self.tw($0, self.fs) <= nameAvail }) else { break }
            let rb = i % 2 == 1 ? zeb : bg, hv = hoverRows.contains(i)
            tb += "<tr\(hv ? " class=\"hr\"" : "") style=\"height:\(rh)px;background:\(rb.css)\">"
            for c in cols {
                let td = "<td style=\"padding:0 \(cp)px\">"
                if c.0 == "Name" { tb += t(name, rb, fs, 2, bold: r.chance(0.3), tag: "td", st: "padding:0 \(cp)px") }
                else if c.0 == "Status" { let st = r.pick(PPWords.status), pb = PPBg(tint(rb.cols[0], hue + Double(st.count * 40))); tb += td + t(st, pb, sm, 1, st: "background:\(pb.css);padding:2px 8px;border-radius:\(r.chance(0.5) ? 999 : 4)px") + "</td>" }
                else if c.0 == numL { tb += t(numL == "Amount" ? String(format: "$%.2f", r.real(1, 999)) : "\(r.int(0, 500))", rb, fs, 1, tag: "td", st: "padding:0 \(cp)px") }
                else if c.0 == dateL { tb += t("\(r.pick(["Jan", "Mar", "Apr", "Jun", "Aug", "Oct"])) \(r.int(1, 28))", rb, fs, 0, tag: "td", st: "padding:0 \(cp)px") }
                else if c.0 == "sel" {
                    let id = newId(); reg("checkbox", "Select", name, id)
                    tb += td + "<input type=\"checkbox\" id=\"\(id)\" aria-label=\"Select\" style=\"width:16px;height:16px;margin:0;accent-color:\(acc.hex)\"></td>"
                } else {
                    var a = useIcons ? [icon(a1 == "Edit" ? "Edit" : "More options", rb, sm, row: name).0, icon(a2, rb, sm, row: name).0]
                                     : [btn(a1, rb, sm, kind: k1, row: name).0, icon(a2, rb, sm, row: name).0]
                    if hv { a.append(btn(hvName, rb, sm, kind: 1, row: name, hover: true).0) }
                    tb += td + "<div style=\"display:flex;gap:8px;align-items:center\">" + a.joined() + "</div></td>"
                }
            }
            tb += "</tr>"
        }
        tb += "</tbody></table>"
        return panel(w, h, bg, pad, s + tb)
    }
    func tab(_ label: String, _ bg: PPBg, _ size: Int, sel: Bool) -> String {
        let id = newId(), l = cased(label), tb = sel ? PPBg(acc) : bg, (c, k) = ink(tb, sel ? 2 : 1)
        reg("tab", l, nil, id)
        return "<button type=\"button\" role=\"tab\" id=\"\(id)\" aria-selected=\"\(sel)\" style=\"height:\(bh(size))px;padding:0 \(bph)px;font-size:\(size)px;color:\(c.hex);background:\(sel ? acc.hex : "transparent");border:\(bw)px solid \(sel ? acc.hex : "transparent");border-radius:\(brad)px\" data-contrast=\"\(cstr(k))\">\(ppEsc(l))</button>"
    }

    func list(_ w: Int, _ h: Int) -> String {
        let pad = r.int(10, 20), bg = r.chance(0.8) ? surf : page, iw = w - 2 * pad, sm = max(11, fs - 2)
        var budget = h - 2 * pad, s = ""
        let title = r.pick(["My tasks", "Shopping list", "Reading list", "Chores", "Errands"]), ts = min(hfs, 28)
        if lh(ts) + 10 < budget / 3 && !used.contains(title) {
            used.insert(title); s += "<div style=\"height:\(lh(ts))px;margin-bottom:10px\">" + t(title, bg, ts, 2, bold: true, tag: "h2", head: true) + "</div>"
            budget -= lh(ts) + 10
        }
        let addOpts = [("Add a task:", "Add"), ("New item:", "Add item"), ("Add a note:", "Add"), ("Search tasks:", "Search")]
        let (al, ab) = r.pick(addOpts)
        let fw = iw - tw(al, fs) - btnW(ab, fs) - 24
        if r.chance(0.65) && fw >= 110 && bh(fs) + 12 < budget / 2 {
            let id = newId(), inp = input(min(fw, 320), fs, ph: r.pick(["e.g. Buy milk", "What needs doing?", "Type here"]), val: nil, name: al, id: id)
            s += "<div style=\"display:flex;align-items:center;gap:12px;height:\(bh(fs))px;margin-bottom:12px\">" + t(al, bg, fs, 1, tag: "label", a: " for=\"\(id)\"") + inp + btn(ab, bg, fs, kind: 0).0 + "</div>"
            budget -= bh(fs) + 12
        }
        let foot = r.chance(0.6) && budget > 4 * lh(fs)
        if foot { budget -= lh(fs) + 10 }
        let rh = max(lh(fs), bh(sm)) + 2 * r.int(2, 6), n = max(1, min(r.int(3, 9), budget / rh))
        let sep = r.chance(0.5) ? "border-bottom:1px solid \(ink(bg, 0).0.hex)" : "", hvName = r.pick(["Edit", "Snooze"])
        for _ in 0..<n {
            guard let item = uniq(PPWords.tasks, { self.tw($0, self.fs) + 250 < iw }) else { break }
            let hv = takeHover(), due = r.chance(0.6) ? "\(r.pick(["Mon", "Tue", "Wed", "Thu", "Fri"])) \(r.int(1, 28))" : nil
            var a = check(item, bg, fs).0 + "<span style=\"flex:1\"></span>"
            if let d = due { let pb = PPBg(tint(bg.cols[0], ahue + 60)); a += t(d, pb, sm, 1, st: "background:\(pb.css);padding:1px 8px;border-radius:999px") }
            if hv { a += icon(hvName, bg, sm, row: item, hover: true).0 }
            a += icon(r.pick(["Delete", "Remove"]), bg, sm, row: item).0
            s += "<div\(hv ? " class=\"hr\"" : "") style=\"display:flex;align-items:center;gap:10px;height:\(rh)px;\(sep)\">\(a)</div>"
        }
        if foot {
            let st = stat("Remaining:", "\(r.int(0, n))", bg, fs)
            s += "<div style=\"display:flex;justify-content:space-between;align-items:center;height:\(lh(fs))px;margin-top:10px\">" + st.0 + link(r.pick(["Clear completed", "Show all", "Mark all done"]), bg, fs).0 + "</div>"
        }
        return panel(w, h, bg, pad, s)
    }

    func form(_ w: Int, _ h: Int) -> String {
        let pad = r.int(12, 24), bg = r.chance(0.8) ? surf : page, iw = w - 2 * pad
        var budget = h - 2 * pad, s = ""
        let fields = r.shuffle([("Full name", "Jane Doe"), ("Email address", "you@example.com"), ("Phone", "555 0100"), ("Company", "Acme Ltd"),
                                ("City", "Springfield"), ("Username", "jdoe"), ("Postcode", "12345"), ("Website", "example.org"), ("Job title", "Engineer")])
        let sels = r.shuffle([("Country", ["Portugal", "Canada", "Kenya", "Japan"]), ("Role", ["Viewer", "Editor", "Owner"]), ("Size", ["Small", "Medium", "Large"])])
        let above = r.chance(0.5), cols = iw >= 560 && r.chance(0.6) ? 2 : 1, colW = (iw - (cols - 1) * 20) / cols
        let labW = fields.map { tw($0.0, fs) }.max()! + 12
        let labelAbove = above || colW - labW < 140
        let fh = labelAbove ? lh(fs) + 4 + bh(fs) : bh(fs), fg = r.int(8, 16)
        let title = r.pick(["Create account", "Shipping details", "Contact us", "Book a table", "Edit profile", "New event"]), ts = min(hfs, 30)
        if budget > 3 * (fh + fg) + lh(ts) + bh(fs) {
            used.insert(title); s += t(title, bg, ts, 2, bold: true, tag: "h2", st: "height:\(lh(ts))px;margin-bottom:\(fg)px", head: true); budget -= lh(ts) + fg
        }
        budget -= bh(fs)
        let radio = budget > 2 * (fh + fg) + lh(fs) + fg && r.chance(0.6), chk = budget > 2 * (fh + fg) + 2 * (lh(fs) + fg) && r.chance(0.7)
        if radio { budget -= lh(fs) + fg }
        if chk { budget -= lh(fs) + fg }
        let nrows = max(1, min(cols == 2 ? 4 : 6, budget / (fh + fg)))
        var items: [String] = [], si = 0
        for i in 0..<(nrows * cols) {
            let iwid = labelAbove ? colW : colW - labW
            var ctrl: String
            if i % 3 == 2 && si < sels.count {
                let (l, o) = sels[si]; si += 1
                let id = newId(); ctrl = select(min(iwid, max(140, o.map { tw($0, fs) }.max()! + 44)), fs, opts: r.shuffle(o), name: l, id: id)
                ctrl = t(l, bg, fs, r.int(0, 2), bold: r.chance(0.4), tag: "label", a: " for=\"\(id)\"", st: labelAbove ? "display:block;height:\(lh(fs) + 4)px" : "display:inline-block;width:\(labW)px") + ctrl
            } else {
                let (l, ex) = fields[i % fields.count]
                let noLabel = r.chance(0.15) && !labelAbove
                let id = newId(), inp = input(min(iwid, max(160, tw(ex, fs) + 30, iwid * r.int(5, 10) / 10)), fs, ph: noLabel ? l : ex, val: r.chance(0.4) && !noLabel ? ex : nil, name: l, id: id)
                ctrl = noLabel ? "<span style=\"display:inline-block;width:\(labW)px\"></span>" + inp
                    : t(l, bg, fs, r.int(0, 2), bold: r.chance(0.4), tag: "label", a: " for=\"\(id)\"", st: labelAbove ? "display:block;height:\(lh(fs) + 4)px" : "display:inline-block;width:\(labW)px") + inp
            }
            items.append("<div style=\"height:\(fh)px;display:\(labelAbove ? "block" : "flex");align-items:center\">\(ctrl)</div>")
        }
        s += "<div style=\"display:grid;grid-template-columns:repeat(\(cols),\(colW)px);column-gap:20px;row-gap:\(fg)px;margin-bottom:\(fg)px\">" + items.joined() + "</div>"
        if radio {
            let lab = r.pick(["Plan:", "Delivery:", "Contact by:"]), opts = ["Plan:": ["Basic", "Pro", "Team"], "Delivery:": ["Standard", "Express", "Pickup"], "Contact by:": ["Email", "Phone", "Post"]][lab]!
            var room = iw - tw(lab, fs) - 16, row = [t(lab, bg, fs, 1, bold: true)]
            let grp = newId()
            for o in opts { let c = check(o, bg, fs, group: grp); if c.1 + 16 <= room { row.append(c.0); room -= c.1 + 16 } else { names[o]! -= 1; cands.removeLast() } }
            s += "<div role=\"radiogroup\" style=\"display:flex;gap:16px;align-items:center;height:\(lh(fs))px;margin-bottom:\(fg)px\">" + row.joined() + "</div>"
        }
        if chk {
            let c = r.pick(["Subscribe to newsletter", "I agree to the terms", "Remember me", "Send me a copy"])
            if tw(c, fs) + 30 < iw { s += "<div style=\"height:\(lh(fs))px;display:flex;align-items:center;margin-bottom:\(fg)px\">" + check(c, bg, fs).0 + "</div>" }
        }
        var room = iw, brow: [String] = []
        let primary = r.pick(["Save changes", "Create account", "Submit", "Continue", "Send message"])
        for (i, b) in [primary, r.pick(["Cancel", "Reset", "Back"])].enumerated() where btnW(b, fs) + 12 <= room { brow.append(btn(b, bg, fs, kind: i == 0 ? 0 : r.int(1, 2)).0); room -= btnW(b, fs) + 12 }
        let lk = r.pick(["Forgot password?", "Privacy policy", "Need help?"])
        if tw(lk, fs) + 12 <= room && r.chance(0.6) { brow.append(link(lk, bg, fs).0) }
        s += "<div style=\"display:flex;gap:12px;align-items:center;height:\(bh(fs))px\">" + brow.joined() + "</div>"
        return panel(w, h, bg, pad, s)
    }

    func info(_ w: Int, _ h: Int) -> String {
        let pad = r.int(12, 22), bg = r.chance(0.7) ? surf : page, iw = w - 2 * pad
        var budget = h - 2 * pad, s = ""
        let ts = min(hfs, 30), title = r.pick(["Weekly summary", "Account", "Storage", "Release notes", "Support"])
        if !used.contains(title) && budget > lh(ts) + 10 { used.insert(title); s += t(title, bg, ts, 2, bold: true, tag: "h2", st: "height:\(lh(ts))px;margin-bottom:10px", head: true); budget -= lh(ts) + 10 }
        let lines = r.shuffle([("Open issues:", "\(r.int(0, 90))"), ("Closed this week:", "\(r.int(0, 40))"), ("Members:", "\(r.int(2, 60))"),
                               ("Plan:", r.pick(["Free", "Team", "Business"])), ("Used:", "\(r.int(1, 99)) GB"), ("Uptime:", "99.\(r.int(1, 99))%")])
        for (l, v) in lines where budget >= lh(fs) + 8 + bh(fs) && tw(l + " " + v, fs) < iw {
            used.insert(l); s += "<div style=\"height:\(lh(fs))px;margin-bottom:8px\">" + stat(l, v, bg, fs).0 + "</div>"; budget -= lh(fs) + 8
        }
        for l in r.shuffle(["View all reports", "Read the docs", "See changelog", "Manage billing"]).prefix(2) where budget >= lh(fs) + 8 + bh(fs) && tw(l, fs) < iw {
            s += "<div style=\"height:\(lh(fs))px;margin-bottom:8px\">" + link(l, bg, fs).0 + "</div>"; budget -= lh(fs) + 8
        }
        let b = r.pick(["Refresh", "Upgrade plan", "Contact support"])
        if btnW(b, fs) <= iw && budget >= bh(fs) { s += btn(b, bg, fs, kind: r.int(0, 2)).0 }
        return panel(w, h, bg, pad, s)
    }

    func nav(_ w: Int, _ h: Int) -> String {
        let pad = r.int(8, 14), sbg = r.chance(0.5) ? surf : r.chance(0.5) ? PPBg(ppAuto(PPColor.hsl(ahue, 0.5, 0.2))) : page
        let items = Array(r.shuffle(PPWords.side).prefix(r.int(4, 8))), ih = lh(fs) + 2 * r.int(4, 10)
        let sw = items.map { tw(cased($0), fs) }.max()! + 2 * pad + 24, asMenu = r.chance(0.6)
        var s = "", budget = h - 2 * pad
        for (i, it) in items.enumerated() where budget >= ih {
            let sel = i == 0, ib = sel ? PPBg(acc) : sbg, id = newId(), l = cased(it)
            used.insert(it); budget -= ih + 4
            reg(asMenu ? "menuitem" : "link", l, nil, id)
            let tag = asMenu ? "div" : "a", a = (asMenu ? " role=\"menuitem\" tabindex=\"-1\"" : " href=\"#\"") + " id=\"\(id)\""
            s += t(l, ib, fs, 2, bold: sel, tag: tag, a: a, st: "display:flex;align-items:center;height:\(ih)px;padding:0 12px;margin-bottom:4px;border-radius:\(brad)px;text-decoration:none;background:\(ib.css)")
        }
        let side = "<div\(asMenu ? " role=\"menu\"" : "") style=\"width:\(sw)px;height:\(h)px;padding:\(pad)px;flex:none;background:\(sbg.css);border-radius:\(rad)px\">\(s)</div>"
        let rw = w - sw - G
        let tabs = Array(r.shuffle(PPWords.tabs).prefix(r.int(2, 5)))
        var room = rw, tl: [String] = []
        for (i, tb) in tabs.enumerated() where btnW(tb, fs) + 4 <= room { tl.append(tab(tb, page, fs, sel: i == 0)); room -= btnW(tb, fs) + 4 }
        let tabsH = bh(fs), rest = h - tabsH - G
        let body = rest > 200 && rw > 420 ? r.pick([info, list, table, cards])(rw, rest) : info(rw, rest)
        return "<div style=\"display:flex;gap:\(G)px;width:\(w)px;height:\(h)px\">\(side)<div style=\"width:\(rw)px;display:flex;flex-direction:column;gap:\(G)px\"><div role=\"tablist\" style=\"display:flex;gap:4px;height:\(tabsH)px\">\(tl.joined())</div>\(body)</div></div>"
    }

    func mixed(_ w: Int, _ h: Int) -> String {
        let lw = Int(Double(w - G) * r.real(0.38, 0.55)), rw = w - G - lw
        let a = r.pick([form, info, list]), b = r.pick([list, table, cards, info])
        return "<div style=\"display:flex;gap:\(G)px;width:\(w)px;height:\(h)px\"><div style=\"width:\(lw)px\">\(a(lw, h))</div><div style=\"width:\(rw)px\">\(b(rw, h))</div></div>"
    }

    // MARK: page
    func build() -> BenchPage {
        let fams = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono", "DejaVu Sans Condensed", "DejaVu Serif Condensed"]
        fam = r.pick(fams); hfam = r.chance(0.6) ? fam : r.pick(fams)
        let scale = Double(min(W, H * 4 / 3))
        fs = r.int(11, max(11, min(20, Int(scale / 48)))); hfs = min(40, r.int(fs + 4, fs + 14))
        P = r.int(6, max(8, min(28, Int(scale / 36)))); G = r.int(8, 20); rad = r.pick([0, 4, 8, 12, 16]); brad = r.pick([0, 3, 6, 10, 999])
        bpv = r.int(3, 9); bph = r.int(8, 18); bw = r.int(1, 2); caseMode = r.pick([0, 0, 0, 1, 2]); btnKind = r.int(0, 2); iconMode = r.pick([0, 0, 1, 2]); iconRound = r.chance(0.4); btnBold = r.chance(0.5)
        shadow = r.pick(["none", "0 1px 3px rgba(0,0,0,.25)", "0 4px 14px rgba(0,0,0,.18)", "0 2px 0 rgba(0,0,0,.3)"])
        theme = r.pick(["light", "light", "dark", "coloured"]); hue = r.real(0, 360); ahue = hue + r.pick([0, 30, 150, 180, 210, -40])
        inkCol = r.chance(0.25); inkSat = inkCol ? r.real(0, 0.35) : r.real(0, 0.15); hvCls = r.pick(["hv", "hv2"])
        var pc: PPColor
        switch theme {
        case "light":
            pc = ppAuto(.hsl(hue, r.real(0, 0.35), r.real(0.9, 1)))
            surf = PPBg(r.chance(0.5) ? .white : ppAuto(.hsl(hue, r.real(0, 0.3), r.real(0.86, 1))))
            acc = ppAuto(.hsl(ahue, r.real(0.5, 0.9), r.chance(0.8) ? r.real(0.25, 0.45) : r.real(0.6, 0.75)))
            field = r.chance(0.5) ? PPBg(.white) : surf
        case "dark":
            pc = ppAuto(.hsl(hue, r.real(0, 0.3), r.real(0.04, 0.14)))
            surf = PPBg(ppAuto(.hsl(hue, r.real(0, 0.3), r.real(0.12, 0.22))))
            acc = ppAuto(.hsl(ahue, r.real(0.5, 0.9), r.real(0.45, 0.65)))
            field = PPBg(ppAuto(.hsl(hue, 0.15, r.real(0.05, 0.18))))
        default:
            pc = ppAuto(.hsl(hue, r.real(0.55, 0.95), r.chance(0.5) ? r.real(0.25, 0.42) : r.real(0.6, 0.75)))
            surf = PPBg(r.chance(0.5) ? ppAuto(.hsl(hue, 0.3, 0.97)) : r.chance(0.5) ? ppAuto(.hsl(hue, 0.4, 0.12)) : pc)
            acc = ppAuto(.hsl(ahue, r.real(0.5, 0.9), r.real(0.3, 0.7)))
            field = PPBg(r.chance(0.6) ? .white : ppAuto(.hsl(hue, 0.2, 0.1)))
        }
        page = r.chance(0.3) ? grad(pc, .hsl(hue + r.real(20, 70), r.real(0.2, 0.9), theme == "light" ? 0.9 : theme == "dark" ? 0.12 : 0.4), dark: pc.lum < 0.2) : PPBg(pc)
        hoverLeft = r.int(0, 2)
        // decoys
        let kinds = r.shuffle(["none", "vis", "off", "transp", "same", "opac", "zero", "cover", "clip"]).prefix(r.int(2, 5))
        let words = r.shuffle(PPWords.decoys)
        for (i, k) in kinds.enumerated() {
            let wd = words[i] + (r.chance(0.2) ? " " + words[i + 10] : "")
            if ["vis", "transp", "same", "opac"].contains(k) { slotDecoys.append(k + "|" + wd) } else if k == "cover" { coverWord = wd } else { loose.append(decoy(k, wd, size: r.int(11, 16), at: (r.int(P, W / 2), r.int(P, H / 2)))) }
        }
        // sections
        let iw = W - 2 * P, ih = H - 2 * P, minMain = max(200, 7 * bh(fs)), l0 = r.pick(["cards", "table", "list", "form", "nav", "mixed"])
        let layout = l0 == "mixed" && iw < 640 ? "list" : l0
        var hasTop = layout == "nav" || r.chance(0.75), hasFoot = r.chance(0.5)
        let pvTop = r.int(4, 12), pvFoot = r.int(2, 8), hz = heroSizes(iw)
        var hasHero = layout != "nav" && r.chance(0.4)
        func mainH() -> Int { ih - (hasTop ? bh(fs) + 2 * pvTop + G : 0) - (hasFoot ? bh(fs) + 2 * pvFoot + G : 0) - (hasHero ? hz.h + G : 0) }
        if mainH() < minMain + 60 { hasHero = false }
        if mainH() < minMain { hasFoot = false }
        if mainH() < minMain && layout != "nav" { hasTop = false }
        if slotDecoys.count > 0 && !hasTop && !hasFoot && mainH() - bh(fs) - 2 * pvFoot - G > 160 { hasFoot = true }
        let mh = mainH()
        var secs: [String] = []
        if hasTop { secs.append(bar(iw, pv: pvTop, top: true)) }
        secs.append(hasHero ? hero(iw, hz) : "")
        let builders: [String: (Int, Int) -> String] = ["cards": cards, "table": table, "list": list, "form": form, "nav": nav, "mixed": mixed]
        secs.append("<main style=\"flex:none;height:\(mh)px\">" + builders[layout]!(iw, mh) + "</main>")
        if hasFoot { secs.append(bar(iw, pv: pvFoot, top: false)) }
        for d in slotDecoys { let p = d.split(separator: "|").map(String.init); loose.append(decoy(r.pick(["none", "off", "clip"]), p[1], size: 13, at: (0, r.int(0, H / 2)))) }
        if let c = coverWord { loose.append(decoy("none", c, size: 13)) }
        // targets
        var pool = cands.filter { names[$0.name] == 1 || $0.row != nil }.map { c -> BenchTarget in var c = c; if names[c.name] == 1 && !c.hover { c.row = nil }; return c }
        var chosen = pool.filter(\.hover)
        pool = r.shuffle(pool.filter { !$0.hover })
        let want = min(r.int(3, 10), chosen.count + pool.count)
        while chosen.count < want, !pool.isEmpty {
            let seen = Set(chosen.map(\.role))
            let i = pool.firstIndex { !seen.contains($0.role) } ?? 0
            chosen.append(pool.remove(at: i))
        }
        let ff = "'\(fam)'", ph = ink(field, 0).0.hex, fc = ink(field, 2).0.hex, bc = ink(page, 0).0.hex
        let style = "*{box-sizing:border-box;margin:0;padding:0}html,body{width:\(W)px;height:\(H)px;overflow:hidden}"
            + "body{font-family:\(ff);font-size:\(fs)px;line-height:1.3;background:\(page.css);padding:\(P)px;display:flex;flex-direction:column;gap:\(G)px;position:relative}"
            + "h1,h2,h3,span,label,a,td,th,button,strong,p,div{white-space:nowrap}button,input,select{font-family:inherit;line-height:1.3;cursor:pointer}"
            + "td,th{vertical-align:middle}ul{list-style:none}"
            + ".fld{background:\(field.css);color:\(fc);border:\(bw)px solid \(bc);border-radius:\(brad == 999 ? 6 : brad)px;padding:0 8px}.fld::placeholder{color:\(ph);opacity:1}"
            + ".hr .hv{opacity:0}.hr:hover .hv,.hv:focus{opacity:1}.hr .hv2{visibility:hidden}.hr:hover .hv2{visibility:visible}" + css.joined()
        let html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bench page</title><style>\(style)</style></head>\n<body>\n"
            + secs.filter { !$0.isEmpty }.joined(separator: "\n") + "\n" + loose.joined() + "\n</body></html>\n"
        return BenchPage(seed: seed, html: html, theme: theme, layout: layout, targets: r.shuffle(chosen))
    }
}
