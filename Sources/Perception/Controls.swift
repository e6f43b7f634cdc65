import Imaging

/// Kinds of text-less controls that scripts can point at.
public enum ControlKind: String, Sendable, Codable, CaseIterable {
    case checkbox
}

/// Finds controls that carry no text of their own, by their shape in the image.
///
/// A checkbox is a small square outline (or a filled square when ticked) that no OCR word
/// covers. Shapes are found as connected components of edge pixels (strong local contrast), so
/// row backgrounds, card shadows and colour themes do not matter, only the square's outline.
public enum ControlFinder {
    /// Candidate checkboxes inside `region`, as boxes in image coordinates.
    public static func checkboxes(in image: Image, region: Rect, excluding words: [Word]) -> [Rect] {
        guard let area = region.intersection(image.bounds) else { return [] }
        let w = area.width, h = area.height
        let luma = image.cropped(to: area).luma()
        // Edge map: a pixel differs strongly from its right or lower neighbour.
        var edge = [Bool](repeating: false, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let v = Int(luma[y * w + x])
                let right = x + 1 < w ? Int(luma[y * w + x + 1]) : v
                let down = y + 1 < h ? Int(luma[(y + 1) * w + x]) : v
                if abs(v - right) > 28 || abs(v - down) > 28 { edge[y * w + x] = true }
            }
        }
        // Connected components (8-neighbour) of edge pixels, by their bounding boxes.
        var seen = [Bool](repeating: false, count: w * h)
        var boxes: [Rect] = []
        var stack: [Int] = []
        for start in 0..<(w * h) where edge[start] && !seen[start] {
            seen[start] = true
            stack.append(start)
            var minX = w, minY = h, maxX = 0, maxY = 0
            while let p = stack.popLast() {
                let px = p % w, py = p / w
                minX = min(minX, px); maxX = max(maxX, px); minY = min(minY, py); maxY = max(maxY, py)
                for dy in -1...1 {
                    for dx in -1...1 {
                        let nx = px + dx, ny = py + dy
                        guard nx >= 0, ny >= 0, nx < w, ny < h else { continue }
                        let q = ny * w + nx
                        if edge[q] && !seen[q] {
                            seen[q] = true
                            stack.append(q)
                        }
                    }
                }
            }
            boxes.append(Rect(x: area.x + minX, y: area.y + minY, width: maxX - minX + 1, height: maxY - minY + 1))
        }
        // A tick mark inside a ticked box is its own component: keep only outermost boxes.
        let squares = boxes.filter { box in
            let side = max(box.width, box.height)
            return (10...40).contains(box.width) && (10...40).contains(box.height)
                && abs(box.width - box.height) <= max(2, side / 5)
        }
        let outermost = squares.filter { box in
            !squares.contains { other in other != box && other.area > box.area && other.intersection(box) == box }
        }
        // OCR often reads a checkbox itself as a glyph ("{|", "O"): only real words mask a shape.
        let textWords = words.filter { $0.text.filter { $0.isLetter || $0.isNumber }.count >= 2 }
        return outermost.filter { box in
            !textWords.contains { word in
                guard let overlap = word.box.intersection(box) else { return false }
                return overlap.area * 2 > min(box.area, word.box.area)
            }
        }
    }
}
