import Desktop
import Engine
import Foundation
import Imaging
import Perception
import Processes
import Reports
import Sandbox
import Suite

/// `appjudge bench capture`: what it costs to look at the screen, measured on the todo
/// reference page in the real sandboxed browser, next to the obvious alternatives (ImageMagick's
/// `import`, `xwd | convert`) run on the same display in the same run. Also OCR time per frame
/// and how reliably small UI text is read at each upscale factor.
///
/// Prints one JSON object per line: `name`, `median_ms`, `runs`, and for comparisons
/// `baseline` (the other figure's name) and `ratio` (baseline median over ours).
struct CaptureBenchmark {
    var home: URL
    var frames: Int
    var width: Int
    var height: Int

    func run(_ emit: (String) -> Void) throws(RunError) {
        do {
            try HostTools.check()
        } catch {
            throw RunError(error)
        }
        let station: Station
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            station = try Station(width: width, height: height, home: home)
        } catch {
            throw .infrastructure("\(error)")
        }
        defer { station.close() }
        let launcher = home.appendingPathComponent("sandbox")

        // 1. Capture and encode on the todo reference page, with two tasks in it.
        let todo = home.appendingPathComponent("tasks/todo-list/reference")
        try show(todo, on: station, launcher: launcher) { session in
            for task in ["Buy milk", "Walk dog"] {
                if let reading = try? station.ocr.read(station.display.capture()), let field = TextSearch.first("New task", in: reading) {
                    try? station.input.click(at: field.box.center, button: .left, count: 1)
                    try? station.input.type(task)
                    try? station.input.key("Return")
                    _ = try? station.display.waitUntilSettled()
                }
            }
            // Click on empty page so no caret blinks: the browser is idle while we measure.
            try? station.input.click(at: Point(x: width / 2, y: height - 20), button: .left, count: 1)
            _ = try? station.display.waitUntilSettled()
            let display = station.xvfb.displayName
            let capture = Bench.measure(frames) { _ = try? station.display.capture() }
            emit(Bench.line("capture_xgetimage", capture, extra: ["width": width, "height": height]))
            let image = try! station.display.capture()
            let encodeFast = Bench.measure(frames) { _ = try? PNG.encode(image, effort: .fast) }
            emit(Bench.line("png_encode_fast", encodeFast, extra: ["bytes": (try? PNG.encode(image, effort: .fast).count) ?? 0]))
            let encodeSmall = Bench.measure(max(5, frames / 4)) { _ = try? PNG.encode(image, effort: .small) }
            emit(Bench.line("png_encode_libpng_default", encodeSmall, extra: ["bytes": (try? PNG.encode(image, effort: .small).count) ?? 0]))
            let ours = Bench.measure(frames) { _ = try? PNG.encode(try station.display.capture(), effort: .fast) }
            let env = ["PATH": "/usr/bin:/bin", "DISPLAY": display]
            let runs = max(5, frames / 4)
            var baselines: [(String, [Double])] = []
            if ChildProcess.resolve("/usr/bin/import", path: nil) != nil {
                let imp = Bench.measure(runs) {
                    _ = try? Command("/usr/bin/import", ["-window", "root", "png:-"], environment: env).run(timeout: 30, outputLimit: 64 << 20)
                }
                baselines.append(("capture_encode_imagemagick_import", imp))
            }
            if ChildProcess.resolve("/usr/bin/xwd", path: nil) != nil, ChildProcess.resolve("/usr/bin/convert", path: nil) != nil {
                let xwd = Bench.measure(runs) {
                    _ = try? Command("/bin/sh", ["-c", "/usr/bin/xwd -root -silent | /usr/bin/convert xwd:- png:-"], environment: env)
                        .run(timeout: 30, outputLimit: 64 << 20)
                }
                baselines.append(("capture_encode_xwd_convert", xwd))
            }
            for (name, samples) in baselines { emit(Bench.line(name, samples)) }
            if baselines.isEmpty { emit(Bench.line("capture_encode_appjudge", ours)) }
            for (i, (name, samples)) in baselines.enumerated() {
                emit(
                    Bench.line(
                        i == 0
                            ? "capture_encode_appjudge" : "capture_encode_appjudge_vs_\(name.split(separator: "_").suffix(2).joined(separator: "_"))",
                        ours, baseline: (name, samples)))
            }
            for scale in [1.0, 2.0] {
                guard let ocr = try? TesseractOCR(scale: scale) else { continue }
                let t = Bench.measure(5) { _ = try? ocr.read(image) }
                emit(Bench.line("ocr_frame_scale_\(format(scale))", t, extra: ["words": (try? ocr.read(image).words.count) ?? 0]))
            }
        }

        // 2. Small UI text: twenty known words per page at one size from 9 to 16 px, read at each
        // upscale factor. Recall: the fraction of the words found exactly (case-insensitive).
        let words = [
            "Settings", "Profile", "Delete", "Archive", "Export", "Filter", "Search", "Status", "Pending", "Revenue",
            "Weekly", "Monthly", "Overview", "Account", "Balance", "Reports", "Invoice", "Shipped", "Refund", "Billing",
        ]
        let scales = [1.0, 1.5, 2.0, 3.0]
        var found = [Double: [String: Double]](), times = [Double: [Double]]()
        for size in [9, 10, 11, 12, 13, 14, 16] {
            let site = work.appendingPathComponent("text-\(size)")
            try? FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            let spans = words.map { "<span style='margin-right:1.5em'>\($0)</span>" }.joined(separator: " ")
            let html =
                "<!doctype html><html><body style='margin:12px;font:\(size)px sans-serif;color:#333;background:#fff'>"
                + "<div style='width:560px;line-height:2.2'>\(spans)</div></body></html>"
            try? html.write(to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
            try show(site, on: station, launcher: launcher) { _ in
                guard let image = try? station.display.capture() else { return }
                if let dump = ProcessInfo.processInfo.environment["APPJUDGE_BENCH_DUMP"], let png = try? PNG.encode(image) {
                    try? Data(png).write(to: URL(fileURLWithPath: dump).appendingPathComponent("text-\(size).png"))
                }
                for scale in scales {
                    guard let ocr = try? TesseractOCR(scale: scale), let reading = try? ocr.read(image) else { continue }
                    let seen = Set(reading.words.map { TextSearch.tokens(of: $0.text).joined() })
                    found[scale, default: [:]]["\(size)px"] = Double(words.filter { seen.contains($0.lowercased()) }.count) / Double(words.count)
                    times[scale, default: []].append(reading.seconds * 1000)
                }
            }
        }
        for scale in scales {
            let bySize = found[scale] ?? [:]
            let recall = bySize.values.reduce(0, +) / Double(max(1, bySize.count))
            emit(
                Bench.line(
                    "ocr_small_text_scale_\(format(scale))", times[scale] ?? [],
                    extra: ["recall": (recall * 1000).rounded() / 1000, "recall_by_size": bySize]))
        }
    }

    /// Launches `site` in the web sandbox on the station, waits until it is ready, runs `body`.
    func show(_ site: URL, on station: Station, launcher: URL, _ body: (SandboxedApp) throws(RunError) -> Void) throws(RunError) {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("appjudge-bench-logs-\(getpid())")
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        let prepared: PreparedApp
        do {
            switch try PreparedApp.prepare(
                repository: site, app: TaskSpec.AppHints(), support: launcher, limits: ResourceLimits(), logs: logs,
                record: TraceWriter(url: logs.appendingPathComponent("trace.jsonl")).record)
            {
            case .success(let app): prepared = app
            case .failure(let failure): throw RunError.infrastructure("The benchmark page could not be prepared: \(failure.reason)")
            }
        } catch let error as SandboxError {
            throw RunError(error)
        } catch {
            throw error as! RunError
        }
        defer { prepared.workspace.remove() }
        let session = SandboxedApp(
            prepared: prepared, station: station, caseName: "bench", log: logs.appendingPathComponent("app.log").path, browserTimeout: 30)
        defer { session.close() }
        do {
            try session.launch()
        } catch {
            throw RunError(error)
        }
        if let problem = session.waitUntilReady() { throw .infrastructure("The benchmark page did not load: \(problem).") }
        try body(session)
    }

    private func format(_ scale: Double) -> String { scale == scale.rounded() ? "\(Int(scale))" : String(format: "%.1f", scale) }
}
