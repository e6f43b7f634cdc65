import Imaging

/// Where a phrase was found on screen.
public struct TextMatch: Sendable, Equatable, Codable {
    /// What OCR actually read there.
    public var text: String
    public var box: Rect
    /// 1 for an exact match, lower for a tolerated misreading.
    public var similarity: Double

    public init(text: String, box: Rect, similarity: Double) {
        self.text = text
        self.box = box
        self.similarity = similarity
    }
}

/// Tolerant phrase search over OCR output.
///
/// OCR misreads letters ("Rernaining"), merges or splits words ("Remaining:0") and drops
/// punctuation, so a phrase is matched on its letters and digits with spaces removed, allowing
/// one misread letter per word of six letters or more (short words must read exactly, so "Buy
/// silk" never passes for "Buy milk"). Digits never get that tolerance: "Remaining: 1" must not match
/// "Remaining: 0", so the digit sequences must agree exactly (after folding the letters OCR
/// confuses with digits, like O for 0, in tokens that also contain digits).
public enum TextSearch {
    /// Every place `phrase` appears in `reading`, best match first per place, top to bottom.
    public static func find(_ phrase: String, in reading: TextReading) -> [TextMatch] {
        let wanted = tokens(of: phrase)
        guard !wanted.isEmpty else { return findSymbol(phrase, in: reading) }
        if reading.exact {
            let drawn = reading.pixels.isEmpty ? [] : find(phrase, in: TextReading(words: reading.pixels))
            let lines = TextReading(words: reading.words, exact: true).lines.map(\.words)
            var exact = findExact(wanted, in: lines)
            // A phrase broken over lines; one found on a single line is there already.
            for match in findExact(wanted, in: reading.passages) where !exact.contains(where: { $0.box == match.box }) { exact.append(match) }
            return (exact + drawn).sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
        }
        let wantedJoined = foldConfusions(wanted.joined())
        let wantedDigits = digits(of: wantedJoined)
        // One misread letter is tolerated per long word; short words must read exactly.
        let allowed = min(2, wanted.filter { $0.count >= 6 }.count)
        // Which wanted token each character of the joined text belongs to, for placing edits.
        let owners = foldedOwners(wanted)
        var matches: [TextMatch] = []
        for line in reading.lines {
            let words = line.words.map { tokens(of: $0.text).joined() }
            var taken = Set<Int>()
            // A match starts and ends on a word with letters or digits: "C" is the key "C",
            // not the span "/ = C" whose symbols carry no tokens.
            for start in words.indices where !taken.contains(start) && !words[start].isEmpty {
                var best: (end: Int, similarity: Double)?
                // A phrase of n words may be read as fewer (merged) or more (split) tokens.
                for end in start..<min(words.count, start + wanted.count + 2) where !words[end].isEmpty {
                    let observed = foldConfusions(words[start...end].joined())
                    if observed.isEmpty { continue }
                    guard
                        let similarity = similarity(
                            wanted: wantedJoined, wantedDigits: wantedDigits, observed: observed, allowed: allowed, owners: owners,
                            long: wanted.map { $0.count >= 6 })
                    else {
                        continue
                    }
                    if best == nil || similarity > best!.similarity { best = (end, similarity) }
                }
                if let best {
                    let span = line.words[start...best.end]
                    let box = span.dropFirst().reduce(span.first!.box) { $0.union($1.box) }
                    matches.append(TextMatch(text: span.map(\.text).joined(separator: " "), box: box, similarity: best.similarity))
                    for i in start...best.end { taken.insert(i) }
                }
            }
        }
        return matches.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }

    /// Text the browser reported is matched exactly: the same words (case and punctuation
    /// aside), whole, in a row of words: a line, or a passage wrapped over several lines.
    static func findExact(_ wanted: [String], in lines: [[Word]]) -> [TextMatch] {
        var matches: [TextMatch] = []
        let target = wanted.joined()
        for line in lines {
            let words = line.map { tokens(of: $0.text) }
            var start = 0
            while start < words.count {
                defer { start += 1 }
                guard !words[start].isEmpty, target.hasPrefix(words[start].joined()) else { continue }
                var joined = "", end = start
                while end < words.count, joined.count < target.count {
                    joined += words[end].joined()
                    end += 1
                }
                guard joined == target else { continue }
                let span = line[start..<end]
                let box = span.dropFirst().reduce(span.first!.box) { $0.union($1.box) }
                matches.append(TextMatch(text: span.map(\.text).joined(separator: " "), box: box, similarity: 1))
                start = end - 1
            }
        }
        return matches.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }

    /// For each character of the folded, joined wanted text, the index of the token it came from.
    static func foldedOwners(_ tokens: [String]) -> [Int] {
        var owners: [Int] = []
        for (i, token) in tokens.enumerated() { owners += [Int](repeating: i, count: foldConfusions(token).count) }
        return owners
    }

    /// A label with no letters or digits (an operator key: "+", "=", "÷") matches a word that
    /// is exactly that symbol, dash variants folded together and stray borders ("|") ignored.
    static func findSymbol(_ phrase: String, in reading: TextReading) -> [TextMatch] {
        func fold(_ text: String) -> String {
            String(text.filter { !$0.isWhitespace && $0 != "|" }.map { "—–−".contains($0) ? "-" : $0 })
        }
        let wanted = fold(phrase)
        guard !wanted.isEmpty else { return [] }
        return reading.words.filter { fold($0.text) == wanted }
            .map { TextMatch(text: $0.text, box: $0.box, similarity: 1) }
            .sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }

    /// The best match of `phrase`, preferring the most similar and then the topmost.
    public static func first(_ phrase: String, in reading: TextReading) -> TextMatch? {
        find(phrase, in: reading).max { a, b in
            a.similarity != b.similarity ? a.similarity < b.similarity : a.box.y > b.box.y
        }
    }

    /// Matches of `phrase` in the same row as `anchor`: their vertical centres lie within the
    /// anchor's height (widened a little for controls taller than text), nearest first.
    public static func find(_ phrase: String, inRowOf anchor: Rect, in reading: TextReading) -> [TextMatch] {
        find(phrase, in: reading)
            .filter { $0.box != anchor && sameRow($0.box, anchor) }
            .sorted { abs($0.box.midX - anchor.midX) < abs($1.box.midX - anchor.midX) }
    }

    /// Whether two boxes sit on one visual row.
    public static func sameRow(_ a: Rect, _ b: Rect) -> Bool {
        let band = max(a.height, b.height) * 3 / 4 + 2
        return abs(a.midY - b.midY) <= band
    }

    // MARK: - Normalisation

    /// Lower-cased runs of letters and digits; punctuation and symbols dropped.
    public static func tokens(of text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    static func digits(of text: String) -> String { String(text.filter(\.isNumber)) }

    /// Letters OCR returns for digits, folded only in tokens that already hold a digit or where
    /// a digit is expected at the end ("remaining0" read as "remainingo").
    static func foldDigits(_ text: String) -> String {
        String(
            text.map { c -> Character in
                switch c {
                case "o": "0"
                case "l", "i", "|": "1"
                case "s": "5"
                case "b": "8"
                case "z": "2"
                default: c
                }
            })
    }

    /// nil when `observed` is not an acceptable reading of `wanted`, else a similarity in 0...1.
    /// Letter pairs OCR reads for one letter ("rn" for "m"), folded on both sides.
    static func foldConfusions(_ text: String) -> String {
        text.replacingOccurrences(of: "rn", with: "m").replacingOccurrences(of: "vv", with: "w")
    }

    static func similarity(wanted: String, wantedDigits: String, observed: String, allowed: Int, owners: [Int] = [], long: [Bool] = []) -> Double? {
        var observed = observed
        if !wantedDigits.isEmpty {
            // Fold confusable letters in the positions where the wanted text has digits.
            let w = Array(wanted), o = Array(observed)
            if w.count == o.count {
                observed = String(zip(w, o).map { wc, oc in wc.isNumber && !oc.isNumber ? Character(foldDigits(String(oc))) : oc })
            } else if let trailing = wanted.lastIndex(where: { !$0.isNumber }).map({ wanted[wanted.index(after: $0)...] }), !trailing.isEmpty,
                observed.count >= trailing.count
            {
                let head = observed.dropLast(trailing.count)
                observed = head + foldDigits(String(observed.suffix(trailing.count)))
            }
        }
        guard digits(of: observed) == wantedDigits else { return nil }
        let (distance, edited) = alignment(Array(wanted), Array(observed))
        guard distance <= allowed else { return nil }
        // A misreading is tolerated only inside a long word, one per word: "Player X: 0" is
        // never "Player O: 0", however long "Player" is.
        if distance > 0, owners.count == wanted.count, long.count > (owners.max() ?? -1) {
            var perToken: [Int: Int] = [:]
            for position in edited {
                let token = owners[min(max(0, position), owners.count - 1)]
                guard long[token] else { return nil }
                perToken[token, default: 0] += 1
                if perToken[token]! > 1 { return nil }
            }
        }
        return 1 - Double(distance) / Double(max(wanted.count, 1))
    }

    /// The edit distance of `a` to `b` and, for each edit, the position in `a` where it falls
    /// (an insertion falls on the character before it, or the first).
    static func alignment(_ a: [Character], _ b: [Character]) -> (Int, [Int]) {
        let n = a.count, m = b.count
        var d = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in 0...n { d[i][0] = i }
        for j in 0...m { d[0][j] = j }
        if n > 0 && m > 0 {
            for i in 1...n {
                for j in 1...m {
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
            }
        }
        var edits: [Int] = []
        var i = n, j = m
        while i > 0 || j > 0 {
            if i > 0, j > 0, d[i][j] == d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1) {
                if a[i - 1] != b[j - 1] { edits.append(i - 1) }
                i -= 1
                j -= 1
            } else if i > 0, d[i][j] == d[i - 1][j] + 1 {
                edits.append(i - 1)
                i -= 1
            } else {
                edits.append(max(0, i - 1))
                j -= 1
            }
        }
        return (d[n][m], edits)
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
