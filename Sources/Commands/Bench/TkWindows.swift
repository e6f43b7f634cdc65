import Foundation

/// One seeded Tk window of the perception benchmark: a Python program that shows it and prints its truth.
struct TkWindow: Sendable {
    var seed: UInt64
    /// A complete Python 3 program using tkinter (and tkinter.ttk).
    var program: String
    /// "light", "dark" or "coloured".
    var theme: String
}

enum TkWindowGenerator {
    static func window(seed: UInt64, width: Int, height: Int) -> TkWindow {
        var r = BenchRandom(seed: seed ^ 0x7A3F_19C2_55E1_0B4D)
        let w = max(320, width), h = max(240, height)
        let theme = r.pick(["light", "light", "dark", "coloured"])
        let hue = r.real(0, 360), ahue = hue + r.pick([0, 30, 150, 180, 210, -40.0])
        func c(_ h: Double, _ s: Double, _ l: Double) -> String { tkHSL(h, s, l) }
        var cfg: [String: Any] = ["W": w, "H": h]
        // Colours: Python pushes each toward black or white until text can reach 6.5:1, then solves the text colours.
        switch theme {
        case "light":
            cfg["bg"] = c(hue, r.real(0, 0.3), r.real(0.88, 1))
            cfg["panels"] = (0..<3).map { _ in c(hue + r.real(-60, 60), r.real(0.1, 0.7), r.real(0.8, 0.96)) }
            cfg["field"] = r.chance(0.6) ? "#ffffff" : c(hue, 0.2, 0.97)
            cfg["digit"] = c(hue, r.real(0, 0.3), r.real(0.85, 0.97))
        case "dark":
            cfg["bg"] = c(hue, r.real(0, 0.3), r.real(0.04, 0.14))
            cfg["panels"] = (0..<3).map { _ in c(hue + r.real(-60, 60), r.real(0.1, 0.6), r.real(0.1, 0.24)) }
            cfg["field"] = c(hue, 0.15, r.real(0.03, 0.12))
            cfg["digit"] = c(hue, r.real(0, 0.3), r.real(0.18, 0.3))
        default:
            cfg["bg"] = c(hue, r.real(0.55, 0.95), r.chance(0.5) ? r.real(0.25, 0.4) : r.real(0.6, 0.75))
            cfg["panels"] = (0..<3).map { _ in c(hue + r.real(-90, 90), r.real(0.5, 0.95), r.chance(0.5) ? r.real(0.2, 0.35) : r.real(0.65, 0.85)) }
            cfg["field"] = r.chance(0.6) ? "#ffffff" : c(hue, 0.2, 0.1)
            cfg["digit"] = c(hue + 20, r.real(0.3, 0.8), r.chance(0.5) ? r.real(0.15, 0.3) : r.real(0.75, 0.9))
        }
        cfg["acc"] = c(ahue, r.real(0.5, 0.9), r.real(0.3, 0.6))
        cfg["acc2"] = c(ahue + r.pick([40, 90, 180.0]), r.real(0.5, 0.9), r.real(0.3, 0.7))
        cfg["listbg"] = r.chance(0.5) ? cfg["field"]! : (cfg["panels"] as! [String])[2]
        cfg["ih"] = (r.chance(0.3) ? ahue : hue) / 360
        cfg["isat"] = r.chance(0.3) ? r.real(0.4, 0.8) : r.real(0, 0.15)
        cfg["targets"] = (0..<64).map { _ in (r.unit() * 1000).rounded() / 1000 }
        // Style
        let fams = ["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"]
        let scale = min(Double(w), Double(h) * 4 / 3)
        let fsMax = max(11, min(22, Int(scale / 42)))
        cfg["ttk"] = r.pick(["clam", "alt", "default", "classic"])
        cfg["fam"] = r.pick(fams); cfg["hfam"] = r.chance(0.6) ? cfg["fam"]! : r.pick(fams); cfg["kfam"] = r.pick(fams)
        cfg["fs"] = r.int(11, fsMax); cfg["ts"] = min(32, r.int(14, fsMax + 10)); cfg["ks"] = r.int(13, min(32, fsMax + 10))
        cfg["ds"] = r.int(16, min(32, fsMax + 12)); cfg["ss"] = r.int(11, min(16, fsMax))
        cfg["bold"] = r.chance(0.4); cfg["kbold"] = r.chance(0.5); cfg["tbold"] = r.chance(0.7)
        cfg["pad"] = r.int(4, 20); cfg["gap"] = r.int(2, 10); cfg["bpx"] = r.int(4, 14); cfg["bpy"] = r.int(2, 8)
        cfg["relief"] = r.pick(["raised", "flat", "groove", "ridge", "solid"]); cfg["bd"] = r.int(1, 3)
        cfg["ttklabels"] = r.chance(0.5); cfg["ttkbuttons"] = r.chance(0.5); cfg["ttkchecks"] = r.chance(0.5); cfg["ttkentry"] = r.chance(0.5)
        cfg["grow"] = r.chance(0.6) ? r.int(0, 12) : 0; cfg["keyttk"] = r.chance(0.3); cfg["upper"] = r.chance(0.2)
        // Content
        let layout = r.pick(["calc", "calc", "form", "list", "calc+list", "form+list", "settings", "calc+form"])
        cfg["layout"] = layout
        cfg["title"] = r.chance(0.75) ? r.pick(["Calculator", "Settings", "Preferences", "Shopping list", "New contact", "Invoice",
            "Converter", "Notes", "Order form", "Task manager", "Quick maths", "Profile"]) : ""
        cfg["status"] = r.chance(0.7) ? r.pick(["Ready", "Saved", "3 items selected", "Connected", "Last sync 5 min ago",
            "Memory: 0", "Mode: DEG", "Total: \(r.int(10, 999))", "Line \(r.int(1, 80)), column \(r.int(1, 40))"]) : ""
        cfg["statuscol"] = cfg["status"] as! String == "" ? "" : tkHSL(hue, r.real(0, 0.5), theme == "dark" ? r.real(0.15, 0.25) : r.real(0.75, 0.9))
        var keys: [[String]] = [["7", "8", "9", "/"], ["4", "5", "6", "*"], ["1", "2", "3", "-"], ["C", "0", "=", "+"]]
        if r.chance(0.4) { keys = [["C", "(", ")", "/"], ["7", "8", "9", "*"], ["4", "5", "6", "-"], ["1", "2", "3", "+"], ["0", ".", "%", "="]] }
        if r.chance(0.3) { keys = [["7", "8", "9", "/", "C"], ["4", "5", "6", "*", "("], ["1", "2", "3", "-", ")"], ["0", ".", "=", "+", "%"]] }
        cfg["keys"] = keys
        cfg["display"] = r.pick(["0", "\(r.int(1, 99999))", String(format: "%.2f", r.real(0, 9999)), "\(r.int(2, 99)) + \(r.int(2, 99))", "-\(r.int(1, 999))"])
        cfg["dispentry"] = r.chance(0.5)
        let fields = r.shuffle([["Name", "Jane Doe"], ["Email", "jane@example.com"], ["Phone", "555 0199"], ["City", "Lisbon"],
            ["Company", "Acme Ltd"], ["Amount", "\(r.int(10, 9999)).00"], ["Quantity", "\(r.int(1, 40))"], ["Code", "AB-\(r.int(100, 999))"], ["Street", "12 High St"]])
        cfg["fields"] = Array(fields.prefix(r.int(2, 5)))
        cfg["labelcolon"] = r.chance(0.5)
        cfg["checks"] = Array(r.shuffle(["Remember me", "Send receipt", "Dark mode", "Auto save", "Show grid", "Notify me", "Gift wrap", "Use metric units"]).prefix(r.int(1, 3)))
        let radioSets = [["Small", "Medium", "Large"], ["Card", "Cash", "Invoice"], ["Daily", "Weekly", "Monthly"], ["Low", "Normal", "High"], ["Celsius", "Fahrenheit"]]
        cfg["radios"] = r.pick(radioSets)
        cfg["radiolabel"] = r.pick(["Size", "Payment", "Frequency", "Priority", "Units"])
        cfg["buttons"] = Array(r.shuffle(["OK", "Cancel", "Apply", "Save", "Reset", "Help", "Close", "Submit"]).prefix(r.int(2, 4)))
        let lists = [["Apples", "Bread", "Cheese", "Dates", "Eggs", "Flour", "Grapes", "Honey", "Rice", "Tea"],
            ["12 + 7 = 19", "8 * 6 = 48", "100 / 4 = 25", "45 - 9 = 36", "3.5 * 2 = 7", "81 / 9 = 9", "7 - 12 = -5", "2 + 2 = 4"],
            ["Call Anna", "Pay invoice #204", "Book flights", "Water plants", "Send report", "Fix login bug", "Order toner"],
            ["Lisbon", "Oslo", "Kyoto", "Nairobi", "Lima", "Vienna", "Dublin", "Hanoi", "Seville"]]
        let li = r.int(0, lists.count - 1)
        cfg["items"] = Array(r.shuffle(lists[li]).prefix(r.int(3, 8)))
        cfg["listtitle"] = ["Groceries", "History", "To do", "Cities"][li]
        cfg["listbtns"] = Array(r.shuffle(["Add", "Remove", "Up", "Down", "Clear", "Edit"]).prefix(r.int(1, 3)))
        cfg["newitem"] = r.chance(0.6) ? r.pick(["Milk", "New task", "Porto", "9 * 9 = 81"]) : ""
        cfg["sel"] = r.chance(0.4) ? 0 : -1
        cfg["side"] = r.chance(0.5)
        let json = (try? JSONSerialization.data(withJSONObject: cfg, options: [.sortedKeys])).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
        let program = "#!/usr/bin/env python3\n# Perception benchmark Tk window, seed \(seed)\nimport json\nC = json.loads(r'''\(json)''')\n" + tkProgramBody
        return TkWindow(seed: seed, program: program, theme: theme)
    }
}

private func tkHSL(_ h0: Double, _ s: Double, _ l: Double) -> String {
    let h = (h0.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) / 60
    let c = (1 - abs(2 * l - 1)) * s, x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1)), m = l - c / 2
    let t: (Double, Double, Double) = h < 1 ? (c, x, 0) : h < 2 ? (x, c, 0) : h < 3 ? (0, c, x) : h < 4 ? (0, x, c) : h < 5 ? (x, 0, c) : (c, 0, x)
    func q(_ v: Double) -> Int { max(0, min(255, Int(((v + m) * 255).rounded()))) }
    return String(format: "#%02x%02x%02x", q(t.0), q(t.1), q(t.2))
}

/// The fixed part of every program: it builds the window from C, shrinking fonts (then dropping rows)
/// until everything fits, prints the truth once and keeps running.
private let tkProgramBody = #"""
import colorsys
import math
import tkinter as tk
from tkinter import ttk
from tkinter import font as tkfont

W, H = C["W"], C["H"]


def _lin(v):
    v = v / 255.0
    return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4


def rgb(h):
    return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))


def lum(h):
    r, g, b = (_lin(c) for c in rgb(h))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b):
    x, y = sorted((lum(a), lum(b)))
    return (y + 0.05) / (x + 0.05)


def hx(r, g, b):
    return "#%02x%02x%02x" % (r, g, b)


def mix(a, b, t):
    return hx(*(int(round(x * (1 - t) + y * t)) for x, y in zip(rgb(a), rgb(b))))


def safe(c):
    for _ in range(40):
        if max(ratio(c, "#000000"), ratio(c, "#ffffff")) >= 6.5:
            break
        c = mix(c, "#000000" if lum(c) < 0.2 else "#ffffff", 0.08)
    return c


def hls(h, l, s):
    r, g, b = colorsys.hls_to_rgb(h % 1.0, l, s)
    return hx(int(round(r * 255)), int(round(g * 255)), int(round(b * 255)))


_ink = {}


def ink(bg, lvl=1):
    """A text colour for bg whose WCAG contrast lies between 4.5 and the best possible."""
    if (bg, lvl) in _ink:
        return _ink[(bg, lvl)]
    kb, kw = ratio(bg, "#000000"), ratio(bg, "#ffffff")
    dark = kb >= kw
    top = max(kb, kw) - 0.05
    span = max(0.0, top - 4.6)
    u = C["targets"][len(_ink) % len(C["targets"])]
    t = 4.6 + u * min(2.5, span) if lvl == 0 else (4.6 + (0.15 + 0.6 * u) * span if lvl == 1 else top - 0.2 * u * span)
    a, b = 0.0, 1.0
    for _ in range(24):
        m = (a + b) / 2
        ok = ratio(hls(C["ih"], m, C["isat"]), bg) >= t
        if dark == ok:
            a = m
        else:
            b = m
    c = hls(C["ih"], a if dark else b, C["isat"])
    if ratio(c, bg) < 4.5:
        c = "#000000" if dark else "#ffffff"
    _ink[(bg, lvl)] = c
    return c


BG = safe(C["bg"])
PANELS = [safe(p) for p in C["panels"]]
FIELD, DIGIT, ACC, ACC2 = safe(C["field"]), safe(C["digit"]), safe(C["acc"]), safe(C["acc2"])
LISTBG = safe(C["listbg"])
STATUS = safe(C["statuscol"]) if C["statuscol"] else BG

root = tk.Tk()
root.title("Bench")
root.geometry("%dx%d+0+0" % (W, H))
root.resizable(False, False)
root.configure(bg=BG)
style = ttk.Style(root)
style.theme_use(C["ttk"] if C["ttk"] in style.theme_names() else "default")


def cap(s):
    return s.upper() if C["upper"] else s


def build(sh, drop):
    fonts, words, lists, keep = {}, [], [], []
    sp = max(0, sh)
    pad, bpx, bpy = max(2, C["pad"] - sp), max(2, C["bpx"] - sp // 2), max(1, C["bpy"] - sp // 3)
    count = [0]

    def F(fam, size, bold=False):
        px = max(11, min(32, size - sh))
        k = (fam, px, bold)
        if k not in fonts:
            fonts[k] = tkfont.Font(root, family=fam, size=-px, weight="bold" if bold else "normal")
        return fonts[k]

    def sname(base):
        count[0] += 1
        return "B%d_%d_%d.%s" % (sh + 50, drop, count[0], base)

    def label(par, text, size, bg, kind="label", bold=False, fam=None, lvl=1, relief="flat"):
        f = F(fam or C["fam"], size, bold)
        fg = ink(bg, lvl)
        if C["ttklabels"] and kind == "label" and relief == "flat":
            s = sname("TLabel")
            style.configure(s, background=bg, foreground=fg, font=f, padding=(2, 1))
            w = ttk.Label(par, text=text, style=s)
        else:
            w = tk.Label(par, text=text, bg=bg, fg=fg, font=f, relief=relief, bd=1 if relief != "flat" else 0,
                         padx=4, pady=2, anchor="w", highlightthickness=0)
        words.append((w, kind, text, f, fg, bg))
        return w

    def button(par, text, size, face, kind="button", bold=False, fam=None, use_ttk=None):
        f = F(fam or C["fam"], size, bold)
        fg = ink(face, 2)
        if C["ttkbuttons"] if use_ttk is None else use_ttk:
            s = sname("TButton")
            style.configure(s, background=face, foreground=fg, font=f, padding=(bpx, bpy), width=0, anchor="center")
            style.map(s, background=[("pressed", face), ("active", face)], foreground=[("pressed", fg), ("active", fg)])
            w = ttk.Button(par, text=text, style=s, takefocus=0)
        else:
            w = tk.Button(par, text=text, bg=face, fg=fg, activebackground=face, activeforeground=fg, font=f,
                          relief=C["relief"], bd=C["bd"], highlightthickness=0, padx=bpx, pady=bpy, takefocus=0)
        words.append((w, kind, text, f, fg, face))
        return w

    def check(par, text, size, bg, var, value=None):
        f = F(C["fam"], size, C["bold"])
        fg = ink(bg, 1)
        radio = value is not None
        if C["ttkchecks"]:
            s = sname("TRadiobutton" if radio else "TCheckbutton")
            style.configure(s, background=bg, foreground=fg, font=f)
            style.map(s, background=[("active", bg), ("pressed", bg)], foreground=[("active", fg)])
            w = (ttk.Radiobutton(par, text=text, style=s, variable=var, value=value, takefocus=0) if radio
                 else ttk.Checkbutton(par, text=text, style=s, variable=var, takefocus=0))
        else:
            kw = dict(text=text, bg=bg, fg=fg, activebackground=bg, activeforeground=fg, font=f, bd=0,
                      highlightthickness=0, selectcolor=FIELD, takefocus=0)
            w = tk.Radiobutton(par, variable=var, value=value, **kw) if radio else tk.Checkbutton(par, variable=var, **kw)
        words.append((w, "radio" if radio else "check", text, f, fg, bg))
        return w

    def entry(par, text, size, fam=None, justify="left", minchars=0):
        f = F(fam or C["fam"], size)
        fg = ink(FIELD, 2)
        chars = max(minchars, int(math.ceil(f.measure(text) / max(1, f.measure("0")))) + 2)
        if C["ttkentry"]:
            s = sname("TEntry")
            style.configure(s, fieldbackground=FIELD, foreground=fg, insertcolor=fg)
            style.map(s, fieldbackground=[("focus", FIELD), ("readonly", FIELD)], foreground=[("focus", fg)])
            w = ttk.Entry(par, style=s, font=f, width=chars, justify=justify, takefocus=0)
        else:
            w = tk.Entry(par, bg=FIELD, fg=fg, font=f, width=chars, justify=justify, relief="sunken", bd=2,
                         highlightthickness=0, insertbackground=fg, takefocus=0)
        w.insert(0, text)
        words.append((w, "entry", text, f, fg, FIELD))
        return w

    def listbox(par, items, size):
        f = F(C["fam"], size)
        fg = ink(LISTBG, 1)
        sel = C["sel"] if C["sel"] < len(items) else -1
        sbg = ACC
        sfg = ink(sbg, 2)
        chars = int(math.ceil(max(f.measure(i) for i in items) / max(1, f.measure("0")))) + 3
        w = tk.Listbox(par, bg=LISTBG, fg=fg, font=f, height=len(items), width=chars, activestyle="none",
                       highlightthickness=0, bd=1, relief="solid", exportselection=False,
                       selectbackground=sbg, selectforeground=sfg, takefocus=0)
        for i in items:
            w.insert("end", i)
        if sel >= 0:
            w.selection_set(sel)
        lists.append((w, items, f, fg, LISTBG, sel, sfg, sbg))
        return w

    gap, fs = max(1, C["gap"] - sp // 3), C["fs"]
    outer = tk.Frame(root, bg=BG, padx=pad, pady=pad)
    outer.grid_columnconfigure(0, weight=1)
    row = 0
    if C["title"] and drop < 6:
        label(outer, cap(C["title"]), C["ts"], BG, bold=C["tbold"], fam=C["hfam"], lvl=2).grid(row=0, column=0, sticky="w", pady=(0, gap * 2))
        row = 1
    body = tk.Frame(outer, bg=BG)
    body.grid(row=row, column=0, sticky="nsew")
    outer.grid_rowconfigure(row, weight=1)

    def calc(par, bg):
        fr = tk.Frame(par, bg=bg, padx=pad, pady=pad)
        keys = C["keys"]
        nc = len(keys[0])
        if C["dispentry"]:
            d = entry(fr, C["display"], C["ds"], fam=C["kfam"], justify="right")
        else:
            d = label(fr, C["display"], C["ds"], FIELD, kind="label", fam=C["kfam"], lvl=2, relief="sunken")
            d.configure(anchor="e")
        d.grid(row=0, column=0, columnspan=nc, sticky="ew", pady=(0, gap * 2))
        for r, ks in enumerate(keys):
            for c, k in enumerate(ks):
                face = ACC2 if k == "=" else ACC if k in "+-*/C%()" else DIGIT
                b = button(fr, k, C["ks"], face, kind="key", bold=C["kbold"], fam=C["kfam"], use_ttk=C["keyttk"])
                b.grid(row=r + 1, column=c, sticky="nsew", padx=gap, pady=gap)
        for c in range(nc):
            fr.grid_columnconfigure(c, weight=1, uniform="k")
        for r in range(len(keys)):
            fr.grid_rowconfigure(r + 1, weight=1, uniform="k")
        return fr

    def form(par, bg):
        fr = tk.Frame(par, bg=bg, padx=pad, pady=pad)
        r = 0
        fields = C["fields"][:max(1, len(C["fields"]) - drop)]
        for name, val in fields:
            label(fr, name + (":" if C["labelcolon"] else ""), fs, bg, bold=C["bold"]).grid(row=r, column=0, sticky="w", padx=(0, gap * 2), pady=gap)
            entry(fr, val, fs).grid(row=r, column=1, sticky="w", pady=gap)
            r += 1
        checks = C["checks"][:max(1, len(C["checks"]) - max(0, drop - 2))]
        for name in checks:
            v = tk.IntVar(value=1 if len(name) % 2 else 0)
            keep.append(v)
            check(fr, name, fs, bg, v).grid(row=r, column=0, columnspan=2, sticky="w", pady=gap)
            r += 1
        if drop < 4:
            rb = PANELS[1]
            rf = tk.Frame(fr, bg=rb, padx=6, pady=4)
            label(rf, C["radiolabel"] + ":", fs, rb, bold=True).pack(side="left", padx=(0, gap * 2))
            v = tk.StringVar(value=C["radios"][0])
            keep.append(v)
            for o in C["radios"]:
                check(rf, o, fs, rb, v, value=o).pack(side="left", padx=(0, gap * 2))
            rf.grid(row=r, column=0, columnspan=2, sticky="w", pady=gap)
            r += 1
        bf = tk.Frame(fr, bg=bg)
        for i, name in enumerate(C["buttons"]):
            button(bf, cap(name), fs, ACC if i == 0 else DIGIT, bold=C["bold"]).pack(side="left", padx=(0, gap * 2))
        bf.grid(row=r, column=0, columnspan=2, sticky="w", pady=(gap * 2, 0))
        return fr

    def lst(par, bg):
        fr = tk.Frame(par, bg=bg, padx=pad, pady=pad)
        label(fr, C["listtitle"], fs + 2, bg, bold=True, lvl=2).grid(row=0, column=0, columnspan=2, sticky="w", pady=(0, gap))
        items = C["items"][:max(2, len(C["items"]) - drop)]
        listbox(fr, items, fs).grid(row=1, column=0, sticky="nw")
        side = tk.Frame(fr, bg=bg)
        for name in C["listbtns"]:
            button(side, cap(name), fs, DIGIT).pack(side="top", anchor="w", pady=(0, gap))
        side.grid(row=1, column=1, sticky="nw", padx=(gap * 2, 0))
        if C["newitem"] and drop < 3:
            nf = tk.Frame(fr, bg=bg)
            entry(nf, C["newitem"], fs, minchars=10).pack(side="left", padx=(0, gap))
            button(nf, cap("Add item"), fs, ACC).pack(side="left")
            nf.grid(row=2, column=0, columnspan=2, sticky="w", pady=(gap * 2, 0))
        return fr

    def settings(par, bg):
        fr = tk.Frame(par, bg=bg, padx=pad, pady=pad)
        r = 0
        for i, name in enumerate(C["checks"] + (["Show tips"] if drop < 2 else [])):
            v = tk.IntVar(value=i % 2)
            keep.append(v)
            check(fr, name, fs, bg, v).grid(row=r, column=0, sticky="w", pady=gap)
            r += 1
        rb = PANELS[2]
        rf = tk.Frame(fr, bg=rb, padx=8, pady=6)
        label(rf, C["radiolabel"], fs, rb, bold=True).pack(side="top", anchor="w")
        v = tk.StringVar(value=C["radios"][-1])
        keep.append(v)
        for o in C["radios"]:
            check(rf, o, fs, rb, v, value=o).pack(side="top", anchor="w", pady=1)
        rf.grid(row=r, column=0, sticky="w", pady=gap)
        bf = tk.Frame(fr, bg=bg)
        for i, name in enumerate(C["buttons"][:2]):
            button(bf, cap(name), fs, ACC if i == 0 else DIGIT).pack(side="left", padx=(0, gap * 2))
        bf.grid(row=r + 1, column=0, sticky="w", pady=(gap * 2, 0))
        return fr

    makers = {"calc": calc, "form": form, "list": lst, "settings": settings}
    parts = C["layout"].split("+")[:1 if drop >= 8 else 2]
    for i, p in enumerate(parts):
        pbg = PANELS[i] if (i > 0 or C["side"]) else BG
        pf = makers[p](body, pbg)
        pf.grid(row=0, column=i, sticky="nsew", padx=(0 if i == 0 else gap * 2, 0))
        body.grid_columnconfigure(i, weight=1 if p == "calc" else 0)
    body.grid_rowconfigure(0, weight=1)
    if C["status"] and drop < 5:
        st = label(outer, C["status"], C["ss"], STATUS, kind="status", relief="sunken")
        st.grid(row=row + 1, column=0, sticky="ew", pady=(gap, 0))
    return outer, words, lists, keep


tries = 60 + C["grow"]
for attempt in range(tries):
    sh, drop = min(attempt - C["grow"], 24), max(0, attempt - C["grow"] - 24)
    outer, words, lists, keep = build(sh, drop)
    root.update_idletasks()
    if (outer.winfo_reqwidth() <= W and outer.winfo_reqheight() <= H) or attempt == tries - 1:
        break
    outer.destroy()
outer.place(x=0, y=0, width=W, height=H)
root.update_idletasks()
root.wait_visibility(root)
root.update()


def item(text, x, y, w, h, f, fg, bg, kind):
    c = math.floor(ratio(fg, bg) * 100) / 100
    return {"text": text, "x": x, "y": y, "width": w, "height": h, "size": abs(int(f.cget("size"))), "contrast": c, "kind": kind}


out = []
for w, kind, text, f, fg, bg in words:
    out.append(item(text, w.winfo_rootx(), w.winfo_rooty(), w.winfo_width(), w.winfo_height(), f, fg, bg, kind))
for lb, items, f, fg, bg, sel, sfg, sbg in lists:
    for i, text in enumerate(items):
        bx = lb.bbox(i)
        if bx:
            s = i == sel
            out.append(item(text, lb.winfo_rootx() + bx[0], lb.winfo_rooty() + bx[1], bx[2], bx[3], f,
                            sfg if s else fg, sbg if s else bg, "list"))
print(json.dumps({"words": out}), flush=True)
root.mainloop()
"""#
