import Foundation
import Imaging
import Perception
import Suite

/// The task's reference screenshots (`screens/<name>.png` in the task folder), and whether a
/// missing one is recorded from the screen instead (when validating a reference app).
public struct ScreenReferences: Sendable {
    public var directory: URL
    public var record: Bool
    /// Decoded pictures, shared by every case of the evaluation: an expectation polls the screen
    /// until it holds, and the reference need not be read and decoded on every poll.
    private let decoded = Decoded()

    public init(directory: URL, record: Bool = false) {
        self.directory = directory
        self.record = record
    }

    func file(_ name: String) -> URL { directory.appendingPathComponent("\(name).png") }

    func load(_ name: String) -> Image? {
        if let known = decoded.image(name) { return known }
        guard let data = FileManager.default.contents(atPath: file(name).path), let image = try? PNG.decode([UInt8](data)) else { return nil }
        decoded.keep(image, name: name)
        return image
    }

    private final class Decoded: @unchecked Sendable {
        private let lock = NSLock()
        private var images: [String: Image] = [:]
        func image(_ name: String) -> Image? {
            lock.lock()
            defer { lock.unlock() }
            return images[name]
        }
        func keep(_ image: Image, name: String) {
            lock.lock()
            images[name] = image
            lock.unlock()
        }
    }

    func save(_ image: Image, name: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(try PNG.encode(image, effort: .small)).write(to: file(name), options: .atomic)
    }
}

/// Layout and appearance checks: where texts are relative to each other and to the viewport,
/// and how the whole screen compares with a reference picture.
extension ScriptJudge {
    /// A visual expectation on one frame: whether it holds, a sentence saying what was seen,
    /// the matches involved, and for a failed comparison the picture of what differs.
    func evaluateVisual(_ expectation: Expectation, reading: TextReading, frame: Observation) -> (Bool, String, [TextMatch], Image?) {
        let image = frame.image
        func locate(_ texts: [String]) -> ([TextMatch], [String]) {
            var found: [TextMatch] = [], missing: [String] = []
            for t in texts {
                if let hit = TextSearch.first(t, in: reading) { found.append(hit) } else { missing.append(t) }
            }
            return (found, missing)
        }
        switch expectation {
        case .looksLike(let name, let minimum, let masks):
            guard let screens else { return (false, "no reference screenshots are available to this judge", [], nil) }
            guard let reference = screens.load(name) else {
                if screens.record, (try? screens.save(image, name: name)) != nil {
                    return (true, "recorded screens/\(name).png from this screen", [], nil)
                }
                return (false, "there is no reference screens/\(name).png; record it with 'appjudge tasks validate --record'", [], nil)
            }
            let rects = masks.map { Rect(x: $0.x, y: $0.y, width: $0.width, height: $0.height) }
            guard let similarity = image.similarity(to: reference, masked: rects) else {
                return (
                    false, "the screen is \(image.width)x\(image.height) but screens/\(name).png is \(reference.width)x\(reference.height)", [],
                    nil
                )
            }
            let score = (similarity.score * 1000).rounded() / 1000
            let worst = similarity.worst.map { " (least alike around \($0.x),\($0.y))" } ?? ""
            let ok = similarity.score >= minimum
            return (ok, "SSIM against screens/\(name).png is \(score)\(ok ? "" : worst)", [], ok ? nil : similarity.map)
        case .order(let texts, let axis):
            let (found, missing) = locate(texts)
            guard missing.isEmpty else { return (false, "\(missing.map { "\"\($0)\"" }.joined(separator: ", ")) not found on screen", found, nil) }
            let positions = found.map { axis == .vertical ? $0.box.midY : $0.box.midX }
            for i in 1..<positions.count where positions[i] <= positions[i - 1] {
                return (false, "\"\(found[i].text)\" comes before \"\(found[i - 1].text)\"", found, nil)
            }
            return (true, "in order at \(positions.map(String.init).joined(separator: ", "))", found, nil)
        case .aligned(let texts, let edge, let tolerance):
            let (found, missing) = locate(texts)
            guard missing.isEmpty else { return (false, "\(missing.map { "\"\($0)\"" }.joined(separator: ", ")) not found on screen", found, nil) }
            let values = found.map { m -> Int in
                switch edge {
                case .left: m.box.x
                case .right: m.box.maxX
                case .top: m.box.y
                case .bottom: m.box.maxY
                case .center: m.box.midX
                case .middle: m.box.midY
                }
            }
            let spread = values.max()! - values.min()!
            return (spread <= tolerance, "their \(edge.rawValue) edges lie \(spread) px apart", found, nil)
        case .inside(let texts):
            let (found, missing) = locate(texts)
            guard missing.isEmpty else { return (false, "\(missing.map { "\"\($0)\"" }.joined(separator: ", ")) not found on screen", found, nil) }
            let margin = 2
            if let cut = found.first(where: {
                $0.box.x < margin || $0.box.y < margin || $0.box.maxX > image.width - margin || $0.box.maxY > image.height - margin
            }) {
                return (
                    false, "\"\(cut.text)\" touches the edge of the \(image.width)x\(image.height) viewport at \(cut.box.x),\(cut.box.y)", [cut], nil
                )
            }
            return (true, "all inside the \(image.width)x\(image.height) viewport", found, nil)
        case .noOverlap:
            // Words confidently read, on different lines, whose boxes cover each other.
            let words = reading.lines.enumerated().flatMap { i, line in line.words.map { (i, $0) } }
                .filter { $0.1.confidence >= 50 && $0.1.text.filter(\.isLetter).count >= 2 }
            for (n, (la, a)) in words.enumerated() {
                for (lb, b) in words[(n + 1)...] where la != lb {
                    guard let overlap = a.box.intersection(b.box) else { continue }
                    let smaller = min(a.box.width * a.box.height, b.box.width * b.box.height)
                    if overlap.width * overlap.height * 4 > smaller {
                        let matches = [a, b].map { TextMatch(text: $0.text, box: $0.box, similarity: 1) }
                        return (false, "\"\(a.text)\" and \"\(b.text)\" overlap at \(overlap.x),\(overlap.y)", matches, nil)
                    }
                }
            }
            return (true, "no two of \(words.count) words overlap", [], nil)
        case .notBlank:
            let (share, colour) = image.dominantColourShare()
            let words = reading.words.filter { $0.text.contains(where: \.isLetter) }.count
            let ok = share < 0.98 && words > 0
            return (ok, String(format: "%.1f%% of the screen is %@, %d word(s) read", share * 100, colour, words), [], nil)
        default:
            preconditionFailure("\(expectation) is not a visual expectation")
        }
    }
}

extension Image {
    /// The share of pixels within a small distance of the most common colour, and that colour.
    func dominantColourShare() -> (Double, String) {
        var counts: [UInt32: Int] = [:]
        let step = 4
        var sampled = 0
        for y in stride(from: 0, to: height, by: step) {
            for x in stride(from: 0, to: width, by: step) {
                let i = (y * width + x) * 4
                // Quantised so anti-aliasing and noise count as the same colour.
                counts[UInt32(pixels[i] >> 4) << 8 | UInt32(pixels[i + 1] >> 4) << 4 | UInt32(pixels[i + 2] >> 4), default: 0] += 1
                sampled += 1
            }
        }
        guard let top = counts.max(by: { $0.value < $1.value }), sampled > 0 else { return (1, "empty") }
        let hex = String(format: "#%01x%01x%01x", (top.key >> 8) & 15, (top.key >> 4) & 15, top.key & 15)
        return (Double(top.value) / Double(sampled), hex)
    }
}
