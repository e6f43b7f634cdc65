import Desktop
import DevTools
import Engine
import Foundation
import Imaging
import JSON
import Perception
import Processes
import Sandbox
import Suite

/// `appjudge bench perception`: how well AppJudge reads what a person sees, on pages and windows
/// nobody styled for it, with truth nobody labelled by hand.
///
/// Web: seeded, randomly styled pages (`PageGenerator`) shown in the real Chromium on Xvfb; the
/// truth is every word of visible text and its box, taken from the DOM (decoys the generator
/// hid are not truth), and every control a reader must ground, by DOM id. Each page is read
/// fused (the browser's structure confirmed by the pixels) and from pixels alone (OCR), and each
/// control name is resolved both ways. Tk: seeded windows (`TkWindowGenerator`) whose program
/// prints the truth from Tk's own geometry, read as a desktop app is read.
///
/// Prints one JSON object per line: `name` (`web_fused_*`, `web_pixels_*`, `tk_*`; `*_all` the
/// overall row), `recall`, `precision`, `grounding`, `median_ms` (per observation) and `pages`.
struct PerceptionBenchmark {
    var home: URL
    var pages: Int
    var windows: Int
    var seed: UInt64
    /// Where the pages, frames and misses go, when given.
    var keep: URL?
    /// OCR's upscale factor, when not the default (to compare settings).
    var ocrScale: Double?
    var width = 800
    var height = 600

    /// A word a person reads, where they read it, and its bucket.
    struct TruthWord {
        var text: String
        var box: Rect
        var size: Double
        var contrast: Double
    }

    /// What one reader got right on one page or window.
    struct Tally {
        var truth = 0, recalled = 0, read = 0, correct = 0, targets = 0, grounded = 0
        var ms: [Double] = []
        static func + (a: Tally, b: Tally) -> Tally {
            Tally(
                truth: a.truth + b.truth, recalled: a.recalled + b.recalled, read: a.read + b.read, correct: a.correct + b.correct,
                targets: a.targets + b.targets, grounded: a.grounded + b.grounded, ms: a.ms + b.ms)
        }
    }

    /// One true word, read or not: into the overall tally and its size, contrast and theme buckets.
    func countTruth(recalled: Bool, size: Double, contrast: Double, theme: String, all: inout Tally, buckets: inout [String: Tally]) {
        var t = Tally()
        t.truth = 1
        t.recalled = recalled ? 1 : 0
        all = all + t
        for key in ["size_\(sizeBucket(size))", "contrast_\(contrastBucket(contrast))", "theme_\(theme)"] {
            buckets[key, default: Tally()] = buckets[key, default: Tally()] + t
        }
    }

    func run(_ emit: (String) -> Void) throws(RunError) {
        do {
            try HostTools.check()
        } catch {
            throw RunError(error)
        }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-bench-perception-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try Jail.writeEtc(to: work.appendingPathComponent("etc"))
        } catch {
            throw .infrastructure("The benchmark's folder \(work.path) could not be made: \(error)")
        }
        if let keep { try? FileManager.default.createDirectory(at: keep, withIntermediateDirectories: true) }
        if pages > 0 { try web(work: work, emit) }
        if windows > 0 { try tk(work: work, emit) }
    }

    // MARK: - Web

    func web(work: URL, _ emit: (String) -> Void) throws(RunError) {
        let site = work.appendingPathComponent("site")
        var generated: [BenchPage] = []
        do {
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            for n in 0..<pages {
                let page = PageGenerator.page(seed: seed &+ UInt64(n), width: width, height: height)
                generated.append(page)
                try page.html.write(to: site.appendingPathComponent("page-\(n).html"), atomically: true, encoding: .utf8)
            }
        } catch {
            throw .infrastructure("The benchmark pages could not be written: \(error)")
        }
        let station: Station
        do {
            station = try Station(
                width: width, height: height, log: "/dev/null",
                browser: Station.BrowserSetup(
                    support: home.appendingPathComponent("sandbox"), etc: work.appendingPathComponent("etc"), limits: ResourceLimits(),
                    log: work.appendingPathComponent("browser.log").path))
        } catch {
            throw .infrastructure("The benchmark's display or browser could not start: \(error)")
        }
        defer { station.close() }
        let browser: BrowserJail
        let server: ChildProcess
        let port = 18_000 + Int(getpid() % 1000)
        do {
            browser = try station.liveBrowser()
            var jail = Jail(work: site, support: home.appendingPathComponent("sandbox"), etc: work.appendingPathComponent("etc"), limits: ResourceLimits())
            jail.environment = Jail.baseEnvironment(port: port)
            server = try ChildProcess(
                jail.command(
                    ["/usr/bin/python3", "-S", "\(Jail.supportPath)/static-server.py", "\(port)", "."], group: nil, network: browser.network,
                    log: work.appendingPathComponent("server.log").path))
        } catch {
            throw .infrastructure("The benchmark's page server could not start: \(error)")
        }
        defer { server.terminate(grace: 0) }

        guard let reader = try? ocrScale.map({ try TesseractOCR(scale: $0) }) ?? station.ocr else {
            throw .infrastructure("Tesseract could not start.")
        }
        var fused: [String: Tally] = [:], pixels: [String: Tally] = [:]
        var misses: [String] = [], wordMisses: [String] = []
        defer {
            if let keep {
                try? misses.joined(separator: "\n").write(to: keep.appendingPathComponent("web-misses.txt"), atomically: true, encoding: .utf8)
                try? wordMisses.joined(separator: "\n").write(to: keep.appendingPathComponent("web-word-misses.txt"), atomically: true, encoding: .utf8)
            }
        }
        for (n, spec) in generated.enumerated() {
            let page: BrowserPage
            do {
                page = try openWithRetry(browser, "http://127.0.0.1:\(port)/page-\(n).html")
            } catch {
                throw .infrastructure("Benchmark page \(n) did not open: \(error)")
            }
            defer { browser.closePage(page) }
            // Nothing may hover: the pointer rests in a corner no page uses.
            try? station.input.move(to: Point(x: width - 1, y: height - 1))
            guard let truth = try? self.truth(browser, page) else { continue }
            let structure = BrowserStructure(devtools: browser.devtools, session: page.session)
            guard let (fusedRead, fusedMs, frame) = try? observe(station, structure: structure) else { continue }
            let pixelStart = Date()
            let ocrReading = (try? reader.read(frame)) ?? TextReading(words: [])
            let pixelMs = Date().timeIntervalSince(pixelStart) * 1000 + fusedMs.capture
            let fieldBoxes = truth.fields
            let fusedWords = ((try? fusedRead.text().words) ?? []).filter { w in !fieldBoxes.contains { $0.contains(w.box.center) } }
            let pixelWords = ocrReading.words.filter { w in !fieldBoxes.contains { $0.contains(w.box.center) } }
            if keep != nil {
                for word in truth.words where !TextSearch.tokens(of: word.text).isEmpty {
                    let over = fusedWords.filter { $0.box.intersection(word.box.insetBy(-2)) != nil }
                    let seen = over.map { TextSearch.tokens(of: $0.text).joined() }.joined()
                    if !seen.contains(TextSearch.tokens(of: word.text).joined()) {
                        wordMisses.append("page \(n): \"\(word.text)\" \(Int(word.size))px contrast \(word.contrast) at \(word.box) read \(over.map(\.text))")
                    }
                }
            }
            var f = score(truth.words, read: fusedWords, bucket: spec.theme)
            var p = score(truth.words, read: pixelWords, bucket: spec.theme)
            f.all.ms = [fusedMs.total]
            p.all.ms = [pixelMs]
            // Grounding: every control by its name (and row), as a script names it.
            for target in spec.targets {
                guard let element = truth.targets[target.id] else { continue }
                f.all.targets += 1
                p.all.targets += 1
                var fusedScreen = fusedRead
                var pixelScreen = ScreenContent(image: frame, structure: nil, source: nil) { () throws(OCRError) -> TextReading in ocrReading }
                if target.hover, let row = target.row {
                    // Hover-only controls: the row is hovered first, as a person (or a script's `move`) does.
                    if let anchor = TextSearch.find(row, in: (try? fusedRead.text()) ?? TextReading(words: [])).first {
                        try? station.input.move(to: anchor.box.center)
                        if let (again, _, image) = try? observe(station, structure: structure) {
                            fusedScreen = again
                            let hoveredOCR = (try? reader.read(image)) ?? TextReading(words: [])
                            pixelScreen = ScreenContent(image: image, structure: nil, source: nil) { () throws(OCRError) -> TextReading in hoveredOCR }
                        }
                        try? station.input.move(to: Point(x: width - 1, y: height - 1))
                    }
                }
                let wanted = Target.text(target.name, row: target.row)
                for (screen, isFused) in [(fusedScreen, true), (pixelScreen, false)] {
                    let result = try? TargetResolver.resolve(wanted, in: screen)
                    if case .success(let r)? = result, element.contains(where: { $0.insetBy(-2).contains(r.point) }) {
                        if isFused { f.all.grounded += 1 } else { p.all.grounded += 1 }
                    } else if isFused {
                        let said: String
                        switch result {
                        case .success(let r)?: said = "wrong: \(r.note)"
                        case .failure(let failure)?: said = failure.reason
                        case nil: said = "error"
                        }
                        misses.append("page \(n) \(target.role) \"\(target.name)\" row \(target.row ?? "-") hover \(target.hover) at \(element): \(said)")
                    }
                }
            }
            for (key, value) in f.buckets { fused[key, default: Tally()] = fused[key, default: Tally()] + value }
            for (key, value) in p.buckets { pixels[key, default: Tally()] = pixels[key, default: Tally()] + value }
            fused["all", default: Tally()] = fused["all", default: Tally()] + f.all
            pixels["all", default: Tally()] = pixels["all", default: Tally()] + p.all
            if let keep, let png = try? PNG.encode(frame) {
                try? Data(png).write(to: keep.appendingPathComponent("page-\(n).png"))
                try? spec.html.write(to: keep.appendingPathComponent("page-\(n).html"), atomically: true, encoding: .utf8)
            }
        }
        for (prefix, table) in [("web_fused", fused), ("web_pixels", pixels)] {
            for key in table.keys.sorted() { emit(line("\(prefix)_\(key)", table[key]!, pages: generated.count)) }
        }
    }

    /// A settled frame and the page's structure as it was then, read as an observation reads
    /// them; with the milliseconds of the capture and of the whole observation.
    func observe(_ station: Station, structure: BrowserStructure) throws -> (ScreenContent, (capture: Double, total: Double), Image) {
        // A page that loaded may not have painted yet: wait for something drawn, then for stillness.
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline, let frame = try? station.display.capture(), frame.cropped(to: frame.bounds.insetBy(2)).isUniform { usleep(20_000) }
        _ = try station.display.waitUntilSettled(timeout: 3, stableFrames: 3)
        let start = Date()
        let frame = try station.display.capture()
        let captured = Date().timeIntervalSince(start) * 1000
        let page = try structure.read()
        let content = ScreenContent(image: frame, structure: page, source: structure) { () throws(OCRError) -> TextReading in
            try station.ocr.read(frame)
        }
        _ = try content.elements()
        _ = try content.content()
        return (content, (captured, Date().timeIntervalSince(start) * 1000), frame)
    }

    func openWithRetry(_ browser: BrowserJail, _ url: String) throws(DevToolsError) -> BrowserPage {
        var last: DevToolsError = .closed
        for _ in 0..<50 {
            do {
                return try browser.openPage(url, timeout: 10)
            } catch {
                last = error
                usleep(100_000)
            }
        }
        throw last
    }

    /// The page's truth from its DOM: every word of text not inside a decoy or a form field,
    /// with its box, font size and the contrast the generator gave it; the boxes of fields; and
    /// for each control id the boxes a click may land in (the control, and its labels).
    func truth(_ browser: BrowserJail, _ page: BrowserPage) throws -> (words: [TruthWord], fields: [Rect], targets: [String: [Rect]]) {
        let script = """
            (() => {
              const words = [], fields = [], targets = {};
              const skip = (el) => el.closest('[data-decoy], [data-hover], input, textarea, select, option, script, style, noscript');
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const el = node.parentElement;
                if (!el || skip(el)) continue;
                const size = parseFloat(getComputedStyle(el).fontSize);
                const holder = el.closest('[data-contrast]');
                const contrast = holder ? parseFloat(holder.getAttribute('data-contrast')) : 21;
                const re = /\\S+/g; let m;
                while ((m = re.exec(node.data))) {
                  const range = document.createRange();
                  range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                  const r = range.getClientRects()[0];
                  if (!r || r.width < 1 || r.height < 1) continue;
                  words.push([m[0], r.x, r.y, r.width, r.height, size, contrast]);
                }
              }
              for (const f of document.querySelectorAll('input, textarea, select')) {
                const r = f.getBoundingClientRect(); fields.push([r.x, r.y, r.width, r.height]);
              }
              for (const el of document.querySelectorAll('[id]')) {
                const boxes = [el, ...(el.labels || [])].map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
                targets[el.id] = boxes.map(r => [r.x, r.y, r.width, r.height]);
              }
              return JSON.stringify({ words, fields, targets });
            })()
            """
        let answer = try browser.devtools.call(
            "Runtime.evaluate", ["expression": .string(script), "returnByValue": true], session: page.session)
        guard let text = answer["result"]?["value"]?.string, let json = JSONValue.parse(text) else {
            throw DevToolsError.malformed("the truth script returned nothing")
        }
        func rect(_ v: JSONValue, from: Int = 0) -> Rect {
            let n = v.array ?? []
            let x = n[safeIndex: from]?.number ?? 0, y = n[safeIndex: from + 1]?.number ?? 0
            let w = n[safeIndex: from + 2]?.number ?? 0, h = n[safeIndex: from + 3]?.number ?? 0
            return Rect(x: Int(x.rounded(.down)), y: Int(y.rounded(.down)), width: Int((x + w).rounded(.up) - x.rounded(.down)), height: Int((y + h).rounded(.up) - y.rounded(.down)))
        }
        let words = (json["words"]?.array ?? []).map { w in
            TruthWord(
                text: w[0]?.string ?? "", box: rect(w, from: 1), size: w[5]?.number ?? 16, contrast: w[6]?.number ?? 21)
        }
        var targets: [String: [Rect]] = [:]
        if case .object(let pairs)? = json["targets"] {
            for (id, boxes) in pairs { targets[id] = (boxes.array ?? []).map { rect($0) } }
        }
        return (words, (json["fields"]?.array ?? []).map { rect($0) }, targets)
    }

    /// Recall and precision of `read` against `truth`, overall and per size, contrast and theme.
    func score(_ truth: [TruthWord], read: [Word], bucket theme: String) -> (all: Tally, buckets: [String: Tally]) {
        var all = Tally()
        var buckets: [String: Tally] = [:]
        let truthWords = truth.filter { !TextSearch.tokens(of: $0.text).isEmpty }
        for word in truthWords {
            let want = TextSearch.tokens(of: word.text).joined()
            // The words read over this word's box, joined: OCR may split or merge words.
            let over = read.filter { $0.box.intersection(word.box.insetBy(-2)).map { $0.area * 3 >= min($0.area, word.box.area) } ?? false }
            let seen = over.sorted { $0.box.x < $1.box.x }.map { TextSearch.tokens(of: $0.text).joined() }.joined()
            let hit = seen.contains(want)
            countTruth(recalled: hit, size: word.size, contrast: word.contrast, theme: theme, all: &all, buckets: &buckets)
        }
        for word in read {
            let got = TextSearch.tokens(of: word.text).joined()
            guard !got.isEmpty else { continue }
            let under = truthWords.filter { $0.box.insetBy(-3).intersection(word.box) != nil }.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
            let text = under.map { TextSearch.tokens(of: $0.text).joined() }.joined()
            var t = Tally()
            t.read = 1
            t.correct = text.contains(got) ? 1 : 0
            all = all + t
            buckets["theme_\(theme)", default: Tally()] = buckets["theme_\(theme)", default: Tally()] + t
        }
        return (all, buckets)
    }

    func sizeBucket(_ px: Double) -> String {
        px < 14 ? "11_13" : px < 18 ? "14_17" : px < 25 ? "18_24" : "25_40"
    }

    func contrastBucket(_ c: Double) -> String {
        c < 7 ? "4.5_7" : c < 12 ? "7_12" : "12_21"
    }

    func line(_ name: String, _ t: Tally, pages: Int) -> String {
        var fields: [(String, JSONValue)] = [("name", .string(name))]
        if t.truth > 0 { fields.append(("recall", .number(round3(Double(t.recalled) / Double(t.truth))))) }
        if t.read > 0 { fields.append(("precision", .number(round3(Double(t.correct) / Double(t.read))))) }
        if t.targets > 0 { fields.append(("grounding", .number(round3(Double(t.grounded) / Double(t.targets))))) }
        if !t.ms.isEmpty { fields.append(("median_ms", .number((median(t.ms) * 10).rounded() / 10))) }
        fields.append(("words", .number(Double(t.truth))))
        if t.targets > 0 { fields.append(("targets", .number(Double(t.targets)))) }
        fields.append(("pages", .number(Double(pages))))
        return JSONValue.object(fields).serialized()
    }

    func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    // MARK: - Tk

    func tk(work: URL, _ emit: (String) -> Void) throws(RunError) {
        let station: Station
        do {
            station = try Station(width: width, height: height, log: "/dev/null")
        } catch {
            throw .infrastructure("The benchmark's display could not start: \(error)")
        }
        defer { station.close() }
        guard let engine = try? ocrScale.map({ try TesseractOCR(scale: $0) }) ?? station.ocr else {
            throw .infrastructure("Tesseract could not start.")
        }
        let desktop = ButtonAwareOCR(engine)
        var table: [String: Tally] = [:]
        var shown = 0
        var tkMisses: [String] = []
        defer {
            if let keep { try? tkMisses.joined(separator: "\n").write(to: keep.appendingPathComponent("tk-misses.txt"), atomically: true, encoding: .utf8) }
        }
        for n in 0..<windows {
            let window = TkWindowGenerator.window(seed: seed &+ 10_000 &+ UInt64(n), width: width, height: height)
            let program = work.appendingPathComponent("tk-\(n).py"), out = work.appendingPathComponent("tk-\(n).out")
            do {
                try window.program.write(to: program, atomically: true, encoding: .utf8)
            } catch {
                throw .infrastructure("The benchmark window \(n) could not be written: \(error)")
            }
            guard
                let process = try? ChildProcess(
                    Command(
                        "/usr/bin/python3", [program.path], environment: ["PATH": "/usr/bin:/bin", "DISPLAY": station.xvfb.displayName, "LANG": "C.UTF-8"],
                        output: .file(out.path)))
            else { continue }
            defer {
                process.terminate(grace: 0)
                // The next window must not find this one still on screen.
                let deadline = Date().addingTimeInterval(3)
                while Date() < deadline, (try? station.display.windows())?.contains(where: \.mapped) == true { usleep(20_000) }
            }
            var truthLine: String?
            let deadline = Date().addingTimeInterval(15)
            while truthLine == nil, Date() < deadline, process.isRunning {
                if let text = try? String(contentsOf: out, encoding: .utf8), let first = text.split(separator: "\n").first(where: { $0.hasPrefix("{") }) {
                    truthLine = String(first)
                }
                usleep(20_000)
            }
            guard let truthLine, let json = JSONValue.parse(truthLine), let items = json["words"]?.array else { continue }
            _ = try? station.display.waitUntilSettled(timeout: 3, stableFrames: 4)
            guard let frame = try? station.display.capture() else { continue }
            let start = Date()
            guard let reading = try? desktop.read(frame) else { continue }
            let ms = Date().timeIntervalSince(start) * 1000
            shown += 1
            var truth: [TruthWord] = []
            var keys: [(String, Rect)] = []
            for item in items {
                let box = Rect(
                    x: item["x"]?.integer ?? 0, y: item["y"]?.integer ?? 0, width: item["width"]?.integer ?? 0, height: item["height"]?.integer ?? 0)
                let text = item["text"]?.string ?? ""
                for part in text.split(whereSeparator: \.isWhitespace) {
                    truth.append(TruthWord(text: String(part), box: box, size: item["size"]?.number ?? 14, contrast: item["contrast"]?.number ?? 21))
                }
                if ["button", "key"].contains(item["kind"]?.string ?? ""), !text.isEmpty { keys.append((text, box)) }
            }
            var (all, buckets) = scoreWidgets(truth, read: reading.words, theme: window.theme)
            if keep != nil {
                for word in truth {
                    let inside = reading.words.filter { word.box.insetBy(-2).contains($0.box.center) }
                    let got = inside.map { TextSearch.tokens(of: $0.text).joined() }.joined()
                    let want = TextSearch.tokens(of: word.text).joined()
                    if want.isEmpty ? !inside.map(\.text).joined().contains(word.text) : !got.contains(want) {
                        tkMisses.append("tk \(n): \"\(word.text)\" \(Int(word.size))px at \(word.box) read \(inside.map(\.text))")
                    }
                }
            }
            all.ms = [ms]
            let screen = ScreenContent(image: frame, structure: nil, source: nil) { () throws(OCRError) -> TextReading in reading }
            for (name, box) in keys {
                all.targets += 1
                if case .success(let r)? = try? TargetResolver.resolve(.text(name), in: screen), box.contains(r.point) { all.grounded += 1 }
            }
            table["all", default: Tally()] = table["all", default: Tally()] + all
            for (key, value) in buckets { table[key, default: Tally()] = table[key, default: Tally()] + value }
            if let keep, let png = try? PNG.encode(frame) { try? Data(png).write(to: keep.appendingPathComponent("tk-\(n).png")) }
        }
        for key in table.keys.sorted() { emit(line("tk_\(key)", table[key]!, pages: shown)) }
    }

    /// On Tk the truth box is the widget's: a word is recalled when a word read inside the widget
    /// says it; a word read is correct when the widget it lies in holds it.
    func scoreWidgets(_ truth: [TruthWord], read: [Word], theme: String) -> (all: Tally, buckets: [String: Tally]) {
        var all = Tally()
        var buckets: [String: Tally] = [:]
        let truthWords = truth.filter { !TextSearch.tokens(of: $0.text).isEmpty || !$0.text.isEmpty }
        for word in truthWords {
            let want = TextSearch.tokens(of: word.text).joined()
            let inside = read.filter { word.box.insetBy(-2).contains($0.box.center) }
            let hit: Bool
            if want.isEmpty {
                // A symbol ("=", "+") counts when read there, alone or inside an expression.
                hit = inside.map(\.text).joined().contains(word.text)
            } else {
                hit = inside.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }.map { TextSearch.tokens(of: $0.text).joined() }.joined().contains(want)
            }
            countTruth(recalled: hit, size: word.size, contrast: word.contrast, theme: theme, all: &all, buckets: &buckets)
        }
        for word in read {
            let got = TextSearch.tokens(of: word.text).joined()
            let holders = truthWords.filter { $0.box.insetBy(-2).contains(word.box.center) }
            let text = holders.map { TextSearch.tokens(of: $0.text).joined() }.joined(separator: " ")
            var t = Tally()
            t.read = 1
            t.correct = got.isEmpty ? (holders.contains { $0.text == word.text.filter { !$0.isWhitespace } } ? 1 : 0) : (text.contains(got) ? 1 : 0)
            all = all + t
            buckets["theme_\(theme)", default: Tally()] = buckets["theme_\(theme)", default: Tally()] + t
        }
        return (all, buckets)
    }
}

extension Array {
    fileprivate subscript(safeIndex index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
