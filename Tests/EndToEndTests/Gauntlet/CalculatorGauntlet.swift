import Foundation

/// The seeded faults of the calculator gauntlet. Each is one realistic bug; `mustFail` is worked
/// out from the task's case scripts (tasks/calculator/task.json).
enum CalculatorFault: Sendable, Equatable {
    case floatResults  // arithmetic in floats, shown with str(): 19.0
    case divideByZeroUnhandled  // ZeroDivisionError escapes the Tk callback, the display keeps "5/0"
    case clearKeepsDisplay  // C resets the state but not the display
    case keyWiredWrong(label: Character, sends: Character)  // a hand-written button line with a typo
    case keyboardUnbound  // no key bindings at all
    case emptyDisplay  // the display starts (and clears to) empty instead of 0
    case multiDigitBroken  // a digit replaces the number instead of appending to it
    case enterUnbound  // "=" and Escape are bound, Return and KP_Enter are not
    case rawDivision  // the result is shown with str(): true division gives 4.0
    case multiplyAdds  // the "*" button line sends "+"
    case divideByZeroMessage  // division by zero shows "Cannot divide by zero"
    case operatorsUnbound  // only digits, Return and Escape are bound
    case divisionSwapped  // the "/" operation computes b / a

    static let rotation: [String] = [
        "floatResults", "divideByZeroUnhandled", "clearKeepsDisplay", "keyWiredWrong", "keyboardUnbound", "emptyDisplay",
        "multiDigitBroken", "enterUnbound", "rawDivision", "multiplyAdds", "divideByZeroMessage", "operatorsUnbound", "divisionSwapped",
    ]

    var summary: String {
        switch self {
        case .floatResults: return "results are computed in floats and shown with str(): 12+7 shows 19.0"
        case .divideByZeroUnhandled: return "division by zero raises ZeroDivisionError in the Tk callback; the display is left as it was"
        case .clearKeepsDisplay: return "C resets the calculation but does not update the display"
        case .keyWiredWrong(let label, let sends): return "the \"\(label)\" button is wired to press \"\(sends)\" (a typo in a hand-written button line)"
        case .keyboardUnbound: return "no keyboard bindings at all"
        case .emptyDisplay: return "the display is empty on launch and after C instead of showing 0"
        case .multiDigitBroken: return "each digit replaces the number being typed instead of appending (1 2 gives 2)"
        case .enterUnbound: return "Return / KP_Enter are not bound (only the = key on the keyboard)"
        case .rawDivision: return "results are shown with str(): 8/2 shows 4.0"
        case .multiplyAdds: return "the \"*\" button is wired to press \"+\""
        case .divideByZeroMessage: return "division by zero shows \"Cannot divide by zero\" instead of \"Error\""
        case .operatorsUnbound: return "the keyboard binds digits, Return and Escape but not + - * /"
        case .divisionSwapped: return "the / operation computes its operands the wrong way round (b / a)"
        }
    }

    /// The case ids of tasks/calculator that this fault makes fail.
    var mustFail: Set<String> {
        switch self {
        // 19.0, 5.0, 42.0, 4.0 and 7.0; "Error" and the typed "12" are unchanged.
        case .floatResults: return ["add", "subtract", "multiply", "divide", "keyboard"]
        case .divideByZeroUnhandled, .divideByZeroMessage: return ["divide-zero"]
        case .clearKeepsDisplay: return ["clear"]
        case .keyWiredWrong(let label, let sends): return CalculatorGauntlet.broken(byWiring: label, to: sends) ?? []
        case .keyboardUnbound, .enterUnbound, .operatorsUnbound: return ["keyboard"]
        case .emptyDisplay: return ["display-zero", "clear"]
        // 1 2 shows 2: "12" never appears (clear) and 12+7 is 2+7 = 9 (add).
        case .multiDigitBroken: return ["add", "clear"]
        case .rawDivision: return ["divide"]
        case .multiplyAdds: return ["multiply"]
        // 8/2 gives 0.25 and 5/0 gives 0.
        case .divisionSwapped: return ["divide", "divide-zero"]
        }
    }
}

private struct CalcPalette {
    var name: String
    var window: String
    var displayBg: String
    var displayFg: String
    var digitBg: String
    var digitFg: String
    var opBg: String
    var opFg: String
    var eqBg: String
    var eqFg: String
    var clearBg: String
    var clearFg: String
}

private let calcPalettes: [CalcPalette?] = [
    nil,  // the toolkit's own colours
    CalcPalette(
        name: "light", window: "#ececec", displayBg: "#ffffff", displayFg: "#111111", digitBg: "#ffffff", digitFg: "#111111", opBg: "#dcdcdc",
        opFg: "#111111", eqBg: "#2f6fd0", eqFg: "#ffffff", clearBg: "#f3c4c4", clearFg: "#111111"),
    CalcPalette(
        name: "dark", window: "#202124", displayBg: "#202124", displayFg: "#ffffff", digitBg: "#3c4043", digitFg: "#e8eaed", opBg: "#5f6368",
        opFg: "#ffffff", eqBg: "#8ab4f8", eqFg: "#202124", clearBg: "#f28b82", clearFg: "#202124"),
    CalcPalette(
        name: "black and orange", window: "#000000", displayBg: "#000000", displayFg: "#ffffff", digitBg: "#333333", digitFg: "#ffffff",
        opBg: "#ff9f0a", opFg: "#ffffff", eqBg: "#ff9f0a", eqFg: "#ffffff", clearBg: "#a5a5a5", clearFg: "#000000"),
    CalcPalette(
        name: "solarized light", window: "#fdf6e3", displayBg: "#eee8d5", displayFg: "#073642", digitBg: "#fffdf5", digitFg: "#073642",
        opBg: "#b3e5fc", opFg: "#073642", eqBg: "#c5e1a5", eqFg: "#073642", clearBg: "#ffcdd2", clearFg: "#073642"),
    CalcPalette(
        name: "navy", window: "#1e3a5f", displayBg: "#0f2540", displayFg: "#e0f0ff", digitBg: "#2e5c8a", digitFg: "#ffffff", opBg: "#f4a259",
        opFg: "#1e3a5f", eqBg: "#3d9a50", eqFg: "#ffffff", clearBg: "#c9423d", clearFg: "#ffffff"),
    CalcPalette(
        name: "green terminal", window: "#0a0f0a", displayBg: "#000000", displayFg: "#33ff66", digitBg: "#102010", digitFg: "#33ff66",
        opBg: "#1a3a1a", opFg: "#33ff66", eqBg: "#33ff66", eqFg: "#000000", clearBg: "#3a1a1a", clearFg: "#ff7777"),
    CalcPalette(
        name: "purple", window: "#2d1b4e", displayBg: "#f3eaff", displayFg: "#2d1b4e", digitBg: "#4b2e83", digitFg: "#ffffff", opBg: "#7b5cc4",
        opFg: "#ffffff", eqBg: "#e0a526", eqFg: "#2d1b4e", clearBg: "#d6456a", clearFg: "#ffffff"),
]

/// A key on the grid: its label, row, column and spans.
private struct CalcKey {
    var label: String
    var row: Int
    var column: Int
    var rowspan = 1
    var columnspan = 1
}

private struct CalcLayout {
    var name: String
    var keys: [CalcKey]
    var rows: Int { keys.map { $0.row + $0.rowspan }.max() ?? 0 }
    var columns: Int { keys.map { $0.column + $0.columnspan }.max() ?? 0 }
}

private func grid(_ name: String, _ rows: [[String]]) -> CalcLayout {
    var keys: [CalcKey] = []
    for (r, row) in rows.enumerated() {
        for (c, label) in row.enumerated() where !label.isEmpty {
            keys.append(CalcKey(label: label, row: r, column: c))
        }
    }
    return CalcLayout(name: name, keys: keys)
}

private func calcLayouts(dot: Bool) -> [CalcLayout] {
    var layouts: [CalcLayout] = []
    layouts.append(grid("4x4, operators in the right column, C bottom left", [["7", "8", "9", "/"], ["4", "5", "6", "*"], ["1", "2", "3", "-"], ["C", "0", "=", "+"]]))
    layouts.append(grid("ascending 1-2-3 on top, operators right", [["1", "2", "3", "+"], ["4", "5", "6", "-"], ["7", "8", "9", "*"], ["C", "0", "=", "/"]]))
    layouts.append(grid("operators in the left column", [["/", "7", "8", "9"], ["*", "4", "5", "6"], ["-", "1", "2", "3"], ["+", "C", "0", "="]]))
    var numpad = CalcLayout(name: "numpad: tall + and =, wide 0", keys: [])
    numpad.keys = [
        CalcKey(label: "C", row: 0, column: 0), CalcKey(label: "/", row: 0, column: 1), CalcKey(label: "*", row: 0, column: 2),
        CalcKey(label: "-", row: 0, column: 3), CalcKey(label: "7", row: 1, column: 0), CalcKey(label: "8", row: 1, column: 1),
        CalcKey(label: "9", row: 1, column: 2), CalcKey(label: "+", row: 1, column: 3, rowspan: 2), CalcKey(label: "4", row: 2, column: 0),
        CalcKey(label: "5", row: 2, column: 1), CalcKey(label: "6", row: 2, column: 2), CalcKey(label: "1", row: 3, column: 0),
        CalcKey(label: "2", row: 3, column: 1), CalcKey(label: "3", row: 3, column: 2), CalcKey(label: "=", row: 3, column: 3, rowspan: 2),
    ]
    numpad.keys.append(CalcKey(label: "0", row: 4, column: 0, columnspan: dot ? 2 : 3))
    if dot { numpad.keys.append(CalcKey(label: ".", row: 4, column: 2)) }
    layouts.append(numpad)
    var operatorRow = grid("operators in a row on top, tall =", [["+", "-", "*", "/"], ["7", "8", "9", "C"], ["4", "5", "6"], ["1", "2", "3"]])
    operatorRow.keys.append(CalcKey(label: "=", row: 2, column: 3, rowspan: 3))
    operatorRow.keys.append(CalcKey(label: "0", row: 4, column: 0, columnspan: 3))
    layouts.append(operatorRow)
    var wideClear = grid("C across the top, wide 0", [[], ["7", "8", "9", "/"], ["4", "5", "6", "*"], ["1", "2", "3", "-"]])
    wideClear.keys.insert(CalcKey(label: "C", row: 0, column: 0, columnspan: 4), at: 0)
    wideClear.keys += [CalcKey(label: "0", row: 4, column: 0, columnspan: 2), CalcKey(label: "=", row: 4, column: 2), CalcKey(label: "+", row: 4, column: 3)]
    layouts.append(wideClear)
    var fiveColumns = grid("five columns, wide = at the bottom", [["7", "8", "9", "C", "/"], ["4", "5", "6", "*", "-"], ["1", "2", "3", "0", "+"]])
    fiveColumns.keys.append(CalcKey(label: "=", row: 3, column: 0, columnspan: 5))
    layouts.append(fiveColumns)
    var bottomPair = grid("C and = side by side at the bottom", [["7", "8", "9", "+"], ["4", "5", "6", "-"], ["1", "2", "3", "*"]])
    bottomPair.keys.append(CalcKey(label: "0", row: 3, column: 0, columnspan: dot ? 2 : 3))
    if dot { bottomPair.keys.append(CalcKey(label: ".", row: 3, column: 2)) }
    bottomPair.keys += [
        CalcKey(label: "/", row: 3, column: 3), CalcKey(label: "C", row: 4, column: 0, columnspan: 2), CalcKey(label: "=", row: 4, column: 2, columnspan: 2),
    ]
    layouts.append(bottomPair)
    return layouts
}

private enum CalcModel: String { case eval, parser, pocket }
private enum CalcBinding: String { case keyHandler, perKey, bindAll }

private struct CalcStyle {
    var ttk: Bool
    var theme: String
    var palette: CalcPalette?
    var family: String
    var keyPx: Int
    var displayPx: Int
    var bold: Bool
    var layout: CalcLayout
    var dot: Bool
    var entryDisplay: Bool
    var anchorRight: Bool
    var displayFrame: String  // none, sunken, groove, solid
    var model: CalcModel
    var binding: CalcBinding
    var subclass: Bool
    var handWritten: Bool
    var fixedSize: (width: Int, height: Int)?
    var keyWidth: Int
    var gap: Int
    var relief: String
    var splitModule: Bool
    var stringVar: Bool
}

enum CalculatorGauntlet {
    /// Even seeds carry a fault (taken in turn from `CalculatorFault.rotation`), odd seeds are correct.
    static func fault(seed: UInt64) -> CalculatorFault? {
        guard seed % 2 == 0, seed > 0 else { return nil }
        let name = CalculatorFault.rotation[Int((seed / 2 - 1) % UInt64(CalculatorFault.rotation.count))]
        switch name {
        case "floatResults": return .floatResults
        case "divideByZeroUnhandled": return .divideByZeroUnhandled
        case "clearKeepsDisplay": return .clearKeepsDisplay
        case "keyWiredWrong":
            var r = GauntletRandom(seed: seed, salt: 0xD161_7000)
            // A wrong wiring the cases see, and whose wrong result does not contain the right one.
            while true {
                let label = r.pick(Array("01246789"))
                let sends = r.pick(Array("0123456789"))
                if label != sends, let broken = broken(byWiring: label, to: sends), !broken.isEmpty {
                    return .keyWiredWrong(label: label, sends: sends)
                }
            }
        case "keyboardUnbound": return .keyboardUnbound
        case "emptyDisplay": return .emptyDisplay
        case "multiDigitBroken": return .multiDigitBroken
        case "enterUnbound": return .enterUnbound
        case "rawDivision": return .rawDivision
        case "multiplyAdds": return .multiplyAdds
        case "divideByZeroMessage": return .divideByZeroMessage
        case "operatorsUnbound": return .operatorsUnbound
        default: return .divisionSwapped
        }
    }

    /// Which clicked cases a button that sends `sends` instead of `label` breaks, by playing the
    /// cases' clicks through a correct calculator; nil when a wrong display would still contain
    /// the expected text (a verdict that could go either way).
    static func broken(byWiring label: Character, to sends: Character) -> Set<String>? {
        let clicked: [(id: String, a: String, op: Character, b: String, expected: String)] = [
            ("add", "12", "+", "7", "19"), ("subtract", "9", "-", "4", "5"), ("multiply", "6", "*", "7", "42"),
            ("divide", "8", "/", "2", "4"), ("divide-zero", "5", "/", "0", "Error"),
        ]
        func wire(_ digits: String) -> String {
            let mapped = String(digits.map { $0 == label ? sends : $0 })
            return String(Int(mapped)!)  // a leading zero is dropped as the calculators do
        }
        var broken: Set<String> = []
        for c in clicked {
            let a = Int(wire(c.a))!
            let b = Int(wire(c.b))!
            let shown: String
            switch c.op {
            case "+": shown = String(a + b)
            case "-": shown = String(a - b)
            case "*": shown = String(a * b)
            default:
                if b == 0 {
                    shown = "Error"
                } else if a % b == 0 {
                    shown = String(a / b)
                } else {
                    shown = String(format: "%.10g", Double(a) / Double(b))
                }
            }
            if shown != c.expected {
                if shown.contains(c.expected) { return nil }
                broken.insert(c.id)
            }
        }
        // clear: "1 2" must show 12 before C.
        let typed = wire("12")
        if typed != "12" {
            if typed.contains("12") { return nil }
            broken.insert("clear")
        }
        return broken
    }

    static func app(seed: UInt64) -> GauntletApp {
        let fault = fault(seed: seed)
        var style = makeStyle(seed: seed)
        switch fault {
        case .multiDigitBroken, .divisionSwapped: style.model = .pocket
        case .rawDivision: if style.model == .parser { style.model = .eval }
        case .keyWiredWrong, .multiplyAdds: style.handWritten = true
        default: break
        }
        var files: [String: String] = [:]
        files["main.py"] = mainPy(style, fault: fault)
        if style.splitModule && style.model != .pocket {
            files["calc_logic.py"] = logicModule(style, fault: fault)
        }
        if seed % 4 == 1 {
            files["README.md"] = "# Calculator\n\nA small desktop calculator. Run `python3 main.py`.\n"
        }
        return GauntletApp(files: files, style: describe(style), fault: fault?.summary, mustFail: fault?.mustFail ?? [])
    }

    private static func describe(_ s: CalcStyle) -> String {
        var parts: [String] = []
        parts.append(s.ttk ? "ttk (\(s.theme))" : "tk")
        parts.append(s.palette.map { "\($0.name) colours" } ?? "default colours")
        let bold = s.bold ? " bold" : ""
        parts.append("\(s.family) keys \(s.keyPx)px\(bold) display \(s.displayPx)px")
        let dot = s.dot ? " with ." : ""
        parts.append("layout: \(s.layout.name)\(dot)")
        let widget = s.entryDisplay ? "Entry" : "Label"
        let side = s.anchorRight ? "right" : "left"
        parts.append("display \(widget) \(side)-aligned, frame \(s.displayFrame)")
        parts.append("model \(s.model.rawValue)")
        parts.append("keys bound via \(s.binding.rawValue)")
        parts.append(s.subclass ? "Tk subclass" : "class on a root")
        parts.append(s.handWritten ? "hand-written button lines" : "buttons from a table")
        parts.append(s.fixedSize.map { "fixed \($0.width)x\($0.height)" } ?? "natural size")
        parts.append("relief \(s.relief)")
        if s.splitModule && s.model != .pocket { parts.append("logic in calc_logic.py") }
        return parts.joined(separator: ", ")
    }

    private static func makeStyle(seed: UInt64) -> CalcStyle {
        var r = GauntletRandom(seed: seed, salt: 0xCA1C_0000)
        let ttk = r.chance(0.45)
        let theme = r.pick(["clam", "alt", "default", "classic"])
        var palette = r.pick(calcPalettes)
        if ttk && theme != "clam" && r.chance(0.5) { palette = nil }
        let family = r.pick(["DejaVu Sans", "DejaVu Serif", "DejaVu Sans Mono"])
        let dot = r.chance(0.3)
        let layout = r.pick(calcLayouts(dot: dot))
        let fixed: (width: Int, height: Int)? =
            r.chance(0.5) ? (width: r.pick([300, 320, 360, 400, 440, 480]), height: r.pick([420, 460, 500, 540, 580, 620, 640])) : nil
        let rows = layout.rows
        let columns = layout.columns
        var keyPx: Int
        var displayPx: Int
        let keyWidth = r.pick([3, 4, 5])
        let gap = r.pick([0, 1, 2, 4, 6])
        if let fixed {
            let cell = min(fixed.width / columns, (fixed.height - 90) / rows)
            keyPx = max(14, min(30, cell * r.int(30...48) / 100))
            displayPx = max(20, min(44, fixed.width / 10 + r.int(-4...6)))
        } else {
            keyPx = r.int(14...28)
            displayPx = r.int(22...44)
            // Keep the natural size inside 480x640: a key is about keyWidth characters wide.
            while Double(columns) * (Double(keyWidth) * 0.64 * Double(keyPx) + 16 + Double(2 * gap)) > 440 && keyPx > 12 { keyPx -= 1 }
            while Double(rows) * (Double(keyPx) * 1.25 + 26 + Double(2 * gap)) + Double(displayPx) * 1.4 + 50 > 600 && keyPx > 12 { keyPx -= 1 }
        }
        return CalcStyle(
            ttk: ttk, theme: theme, palette: palette, family: family, keyPx: keyPx, displayPx: displayPx, bold: r.chance(0.35), layout: layout,
            dot: dot && layout.keys.contains { $0.label == "." }, entryDisplay: r.chance(0.4), anchorRight: r.chance(0.7),
            displayFrame: r.pick(["none", "none", "sunken", "groove", "solid"]), model: r.pick([.eval, .parser, .pocket]),
            binding: r.pick([.keyHandler, .perKey, .bindAll]), subclass: r.chance(0.5), handWritten: r.chance(0.3), fixedSize: fixed,
            keyWidth: keyWidth, gap: gap, relief: r.pick(["raised", "flat", "groove", "ridge"]), splitModule: r.chance(0.3), stringVar: r.chance(0.6))
    }

    // MARK: Python

    private static func py(_ s: String) -> String { "\"\(s)\"" }

    private static func indent(_ text: String, _ spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }

    /// format_number, and for expression models last_number and calculate.
    private static func logicFunctions(_ s: CalcStyle, fault: CalculatorFault?) -> String {
        var parts: [String] = []
        parts.append(
            """
            def format_number(value):
                \"\"\"19 for a whole number, 2.5 otherwise (at most ten significant digits).\"\"\"
                if isinstance(value, Fraction):
                    if value.denominator == 1:
                        return str(value.numerator)
                    value = float(value)
                if isinstance(value, float):
                    if value.is_integer():
                        return str(int(value))
                    return f"{value:.10g}"
                return str(value)
            """)
        if s.model != .pocket {
            parts.append(
                """
                def last_number(expression):
                    \"\"\"The number being typed at the end of the expression ("" after an operator).\"\"\"
                    for index in range(len(expression) - 1, -1, -1):
                        if expression[index] in OPERATORS:
                            return expression[index + 1:]
                    return expression
                """)
        }
        if s.model == .eval {
            parts.append(
                """
                def calculate(expression):
                    \"\"\"Evaluate an expression of digits and + - * / with Python's own arithmetic.\"\"\"
                    if any(char not in "0123456789." + OPERATORS for char in expression):
                        raise ValueError(expression)
                    return eval(expression, {"__builtins__": {}}, {})
                """)
        } else if s.model == .parser {
            parts.append(
                """
                def tokenize(expression):
                    tokens, number = [], ""
                    for char in expression:
                        if char.isdigit() or char == ".":
                            number += char
                        elif char in OPERATORS:
                            if number:
                                tokens.append(Fraction(number))
                                number = ""
                            tokens.append(char)
                    if number:
                        tokens.append(Fraction(number))
                    return tokens


                def calculate(expression):
                    \"\"\"Evaluate + - * / with the usual precedence, exactly, using fractions.\"\"\"
                    tokens = tokenize(expression)
                    while tokens and isinstance(tokens[-1], str):
                        tokens.pop()
                    if not tokens:
                        return Fraction(0)
                    if isinstance(tokens[0], str):
                        tokens.insert(0, Fraction(0))
                    terms = [tokens[0]]
                    for operator, operand in zip(tokens[1::2], tokens[2::2]):
                        if operator == "*":
                            terms[-1] = terms[-1] * operand
                        elif operator == "/":
                            terms[-1] = terms[-1] / operand
                        else:
                            terms += [operator, operand]
                    result = terms[0]
                    for operator, operand in zip(terms[1::2], terms[2::2]):
                        result = result + operand if operator == "+" else result - operand
                    return result
                """)
        }
        return parts.joined(separator: "\n\n\n")
    }

    private static func logicModule(_ s: CalcStyle, fault: CalculatorFault?) -> String {
        """
        \"\"\"The arithmetic behind the calculator, kept apart from the window.\"\"\"
        from fractions import Fraction

        OPERATORS = "+-*/"


        \(logicFunctions(s, fault: fault))

        """
    }

    /// The text shown for a computed `value` (a Python expression).
    private static func resultText(_ value: String, fault: CalculatorFault?) -> String {
        switch fault {
        case .floatResults: return "str(float(\(value)))"
        case .rawDivision: return "str(\(value))"
        default: return "format_number(\(value))"
        }
    }

    private static func modelMethods(_ s: CalcStyle, fault: CalculatorFault?) -> String {
        let blank = fault == .emptyDisplay ? "\"\"" : "\"0\""
        let clearShow = fault == .clearKeepsDisplay ? "" : "\n    self.show(\(blank))"
        let zeroText = fault == .divideByZeroMessage ? "Cannot divide by zero" : "Error"
        switch s.model {
        case .eval, .parser:
            let evaluate: String
            if fault == .divideByZeroUnhandled {
                evaluate = """
                    def evaluate(self):
                        expression = self.expression.rstrip(OPERATORS) or "0"
                        value = calculate(expression)
                        text = \(resultText("value", fault: fault))
                        self.expression = text
                        self.just_evaluated = True
                        self.show(text)
                    """
            } else {
                evaluate = """
                    def evaluate(self):
                        expression = self.expression.rstrip(OPERATORS) or "0"
                        try:
                            value = calculate(expression)
                        except ZeroDivisionError:
                            self.expression = ""
                            self.just_evaluated = True
                            self.show("\(zeroText)")
                            return
                        except (ValueError, SyntaxError):
                            self.expression = ""
                            self.just_evaluated = True
                            self.show("Error")
                            return
                        text = \(resultText("value", fault: fault))
                        self.expression = text
                        self.just_evaluated = True
                        self.show(text)
                    """
            }
            return """
                def press(self, key):
                    if key == "C":
                        self.clear()
                    elif key == "=":
                        self.evaluate()
                    elif key in OPERATORS:
                        self.add_operator(key)
                    else:
                        self.add_digit(key)

                def clear(self):
                    self.expression = ""
                    self.just_evaluated = False\(clearShow)

                def add_digit(self, digit):
                    if self.just_evaluated:
                        self.expression = ""
                        self.just_evaluated = False
                    current = last_number(self.expression)
                    if digit == "." and "." in current:
                        return
                    if digit == "." and current == "":
                        digit = "0."
                    elif current == "0" and digit != ".":
                        self.expression = self.expression[:-1]  # no leading zeros: 07 is 7
                    self.expression += digit
                    self.show(self.expression)

                def add_operator(self, operator):
                    self.just_evaluated = False
                    if not self.expression:
                        self.expression = "0"
                    if self.expression[-1] in OPERATORS:
                        self.expression = self.expression[:-1]
                    self.expression += operator
                    self.show(self.expression)

                \(evaluate)
                """
        case .pocket:
            let digit: String
            if fault == .multiDigitBroken {
                digit = """
                    def digit(self, digit):
                        # start the number with this digit
                        self.current = digit
                        self.fresh = False
                        self.show(self.current)
                    """
            } else {
                digit = """
                    def digit(self, digit):
                        if self.fresh or self.current == "0":
                            self.current = "0." if digit == "." else digit
                            self.fresh = False
                        elif digit == "." and "." in self.current:
                            return
                        else:
                            self.current += digit
                        self.show(self.current)
                    """
            }
            let number = fault == .floatResults ? "return float(text)" : "return float(text) if \".\" in text else int(text)"
            let compute: String
            if fault == .divideByZeroUnhandled {
                compute = """
                    def compute(self):
                        result = OPERATIONS[self.pending](self.stored, self.number(self.current))
                        self.current = \(resultText("result", fault: fault))
                        self.show(self.current)
                        return True
                    """
            } else {
                compute = """
                    def compute(self):
                        try:
                            result = OPERATIONS[self.pending](self.stored, self.number(self.current))
                        except ZeroDivisionError:
                            self.reset()
                            self.show("\(zeroText)")
                            return False
                        self.current = \(resultText("result", fault: fault))
                        self.show(self.current)
                        return True
                    """
            }
            return """
                def reset(self):
                    self.current = "0"
                    self.stored = None
                    self.pending = None
                    self.fresh = True

                def press(self, key):
                    if key == "C":
                        self.clear()
                    elif key == "=":
                        self.equals()
                    elif key in OPERATIONS:
                        self.choose(key)
                    else:
                        self.digit(key)

                def clear(self):
                    self.reset()\(clearShow)

                \(digit)

                def number(self, text):
                    \(number)

                def choose(self, operator):
                    if self.pending is not None and not self.fresh:
                        if not self.compute():
                            return
                    self.stored = self.number(self.current)
                    self.pending = operator
                    self.fresh = True

                def equals(self):
                    if self.pending is not None and self.compute():
                        self.pending = None
                    self.fresh = True

                \(compute)
                """
        }
    }

    private static func keyRole(_ label: String) -> String {
        if label == "=" { return "equals" }
        if label == "C" { return "clear" }
        if "+-*/".contains(label) { return "operator" }
        return "digit"
    }

    private static func mainPy(_ s: CalcStyle, fault: CalculatorFault?) -> String {
        let w = s.subclass ? "self" : "self.root"
        let weight = s.bold ? ", \"bold\"" : ""
        var imports = ["import tkinter as tk"]
        if s.ttk { imports.append("from tkinter import ttk") }
        if s.model == .pocket {
            imports.insert("import operator", at: 0)
        }
        if s.splitModule && s.model != .pocket {
            imports.append("")
            imports.append("from calc_logic import OPERATORS, calculate, format_number, last_number")
        } else {
            imports.insert("from fractions import Fraction", at: 0)
        }
        var constants: [String] = []
        if !(s.splitModule && s.model != .pocket) { constants.append("OPERATORS = \"+-*/\"") }
        if s.model == .pocket {
            let divide = fault == .divisionSwapped ? "lambda a, b: b / a" : "operator.truediv"
            constants.append(
                """
                OPERATIONS = {
                    "+": operator.add,
                    "-": operator.sub,
                    "*": operator.mul,
                    "/": \(divide),
                }
                """)
        }
        constants.append("FONT_FAMILY = \(py(s.family))")
        constants.append("DISPLAY_FONT = (FONT_FAMILY, -\(s.displayPx)\(weight))  # negative sizes are pixels")
        constants.append("KEY_FONT = (FONT_FAMILY, -\(s.keyPx)\(weight))")
        if let p = s.palette {
            constants.append(
                """
                COLORS = {
                    "window": \(py(p.window)),
                    "display": (\(py(p.displayBg)), \(py(p.displayFg))),
                    "digit": (\(py(p.digitBg)), \(py(p.digitFg))),
                    "operator": (\(py(p.opBg)), \(py(p.opFg))),
                    "equals": (\(py(p.eqBg)), \(py(p.eqFg))),
                    "clear": (\(py(p.clearBg)), \(py(p.clearFg))),
                }
                """)
        }
        if !s.handWritten {
            let rows = s.layout.keys.map { k in "    (\(py(k.label)), \(k.row), \(k.column), \(k.rowspan), \(k.columnspan))," }
            constants.append("# label, row, column, rowspan, columnspan\nKEYS = [\n\(rows.joined(separator: "\n"))\n]")
        }
        let logic = (s.splitModule && s.model != .pocket) ? "" : logicFunctions(s, fault: fault)

        // The window's own setup.
        var windowSetup = ["\(w).title(\"Calculator\")", "\(w).resizable(False, False)"]
        if let size = s.fixedSize {
            windowSetup.append("\(w).geometry(\"\(size.width)x\(size.height)+0+0\")")
        }
        if let p = s.palette { windowSetup.append("\(w).configure(bg=COLORS[\"window\"])"); _ = p }
        windowSetup.append("\(w).columnconfigure(0, weight=1)")
        windowSetup.append("\(w).rowconfigure(1, weight=1)")

        // ttk styles.
        var styleLines: [String] = []
        if s.ttk {
            styleLines.append("style = ttk.Style(\(w))")
            styleLines.append("style.theme_use(\(py(s.theme)))")
            styleLines.append("style.configure(\"TButton\", font=KEY_FONT, padding=\(s.fixedSize == nil ? 6 : 2))")
            if s.palette != nil {
                styleLines.append("style.configure(\"TFrame\", background=COLORS[\"window\"])")
                styleLines.append(
                    """
                    for role in ("digit", "operator", "equals", "clear"):
                        background, foreground = COLORS[role]
                        name = role.capitalize() + ".TButton"
                        style.configure(name, background=background, foreground=foreground)
                        style.map(name, background=[("active", background), ("pressed", foreground)], foreground=[("pressed", background)])
                    """)
                styleLines.append(
                    "style.configure(\"Display.TLabel\", background=COLORS[\"display\"][0], foreground=COLORS[\"display\"][1], font=DISPLAY_FONT, padding=(12, 8))"
                )
                styleLines.append(
                    "style.configure(\"Display.TEntry\", fieldbackground=COLORS[\"display\"][0], foreground=COLORS[\"display\"][1], padding=6)")
            } else {
                styleLines.append("style.configure(\"Display.TLabel\", font=DISPLAY_FONT, padding=(12, 8))")
                styleLines.append("style.configure(\"Display.TEntry\", padding=6)")
            }
        }

        // The display.
        let displayParent: String
        var display: [String] = []
        if s.displayFrame != "none" {
            let border: String
            switch s.displayFrame {
            case "sunken": border = "bd=3, relief=\"sunken\""
            case "groove": border = "bd=4, relief=\"groove\""
            default: border = "bd=0, highlightthickness=2, highlightbackground=\"#777777\""
            }
            let frameBg = s.palette != nil ? ", bg=COLORS[\"display\"][0]" : ""
            display.append("frame = tk.Frame(\(w), \(border)\(frameBg))")
            display.append("frame.grid(row=0, column=0, sticky=\"ew\", padx=8, pady=(8, 4))")
            display.append("frame.columnconfigure(0, weight=1)")
            displayParent = "frame"
        } else {
            displayParent = w
        }
        let anchor = s.anchorRight ? "e" : "w"
        let justify = s.anchorRight ? "right" : "left"
        let gridDisplay =
            s.displayFrame != "none" ? "self.display.grid(row=0, column=0, sticky=\"ew\")" : "self.display.grid(row=0, column=0, sticky=\"ew\", padx=8, pady=(8, 4))"
        let textOption = s.stringVar || s.entryDisplay ? "textvariable=self.display_var" : "text=\"0\""
        let displayColors = s.palette != nil ? ", bg=COLORS[\"display\"][0], fg=COLORS[\"display\"][1]" : ""
        let natural = s.fixedSize == nil ? ", width=\(max(10, s.keyWidth * s.layout.columns * s.keyPx / s.displayPx))" : ", width=1"
        if s.entryDisplay {
            if s.ttk {
                display.append("self.display = ttk.Entry(\(displayParent), \(textOption), font=DISPLAY_FONT, justify=\(py(justify)), style=\"Display.TEntry\"\(natural))")
                display.append("self.display.state([\"readonly\"])")
            } else {
                let colors = s.palette != nil ? ", readonlybackground=COLORS[\"display\"][0], fg=COLORS[\"display\"][1]" : ""
                display.append(
                    "self.display = tk.Entry(\(displayParent), \(textOption), font=DISPLAY_FONT, justify=\(py(justify)), state=\"readonly\", bd=0, relief=\"flat\", takefocus=0\(colors)\(natural))"
                )
            }
        } else {
            if s.ttk {
                display.append("self.display = ttk.Label(\(displayParent), \(textOption), anchor=\(py(anchor)), style=\"Display.TLabel\"\(natural))")
            } else {
                display.append("self.display = tk.Label(\(displayParent), \(textOption), anchor=\(py(anchor)), font=DISPLAY_FONT, padx=12, pady=8\(displayColors)\(natural))")
            }
        }
        display.append(gridDisplay)

        // The keys.
        let keysFrame = s.ttk ? "ttk.Frame(\(w))" : (s.palette != nil ? "tk.Frame(\(w), bg=COLORS[\"window\"])" : "tk.Frame(\(w))")
        var keys: [String] = ["keys = \(keysFrame)", "keys.grid(row=1, column=0, sticky=\"nsew\", padx=6, pady=(2, 8))"]
        let width = s.fixedSize == nil ? s.keyWidth : 1
        func buttonCall(label: String, command: String, role: String) -> String {
            if s.ttk {
                let styleName = s.palette != nil ? ", style=\(role).capitalize() + \".TButton\"" : ""
                return "ttk.Button(keys, text=\(label), width=\(width), command=\(command)\(styleName))"
            }
            let colors = s.palette != nil ? ", bg=COLORS[\(role)][0], fg=COLORS[\(role)][1], activebackground=COLORS[\(role)][0], activeforeground=COLORS[\(role)][1]" : ""
            let pady = s.fixedSize == nil ? 6 : 2
            return "tk.Button(keys, text=\(label), font=KEY_FONT, width=\(width), padx=4, pady=\(pady), relief=\(py(s.relief)), bd=\(s.relief == "flat" ? 0 : 2)\(colors), command=\(command))"
        }
        if s.handWritten {
            keys.append("add = self.add_key")
            for k in s.layout.keys {
                var sent = k.label
                if case .keyWiredWrong(let label, let sends) = fault, k.label == String(label) { sent = String(sends) }
                if fault == .multiplyAdds && k.label == "*" { sent = "+" }
                var spans = ""
                if k.rowspan > 1 { spans += ", rowspan=\(k.rowspan)" }
                if k.columnspan > 1 { spans += ", columnspan=\(k.columnspan)" }
                keys.append("add(keys, \(py(k.label)), lambda: self.press(\(py(sent))), \(k.row), \(k.column)\(spans))")
            }
        } else {
            keys.append("for label, row, column, rowspan, columnspan in KEYS:")
            keys.append("    role = key_role(label)")
            keys.append("    button = \(buttonCall(label: "label", command: "lambda key=label: self.press(key)", role: "role"))")
            keys.append(
                "    button.grid(row=row, column=column, rowspan=rowspan, columnspan=columnspan, sticky=\"nsew\", padx=\(s.gap), pady=\(s.gap))")
        }
        keys.append("for column in range(\(s.layout.columns)):")
        keys.append("    keys.columnconfigure(column, weight=1, uniform=\"key\")")
        keys.append("for row in range(\(s.layout.rows)):")
        keys.append("    keys.rowconfigure(row, weight=1, uniform=\"key\")")

        let addKeyMethod =
            s.handWritten
            ? """
            def add_key(self, parent, label, command, row, column, rowspan=1, columnspan=1):
                keys = parent
                role = key_role(label)
                button = \(buttonCall(label: "label", command: "command", role: "role"))
                button.grid(row=row, column=column, rowspan=rowspan, columnspan=columnspan, sticky="nsew", padx=\(s.gap), pady=\(s.gap))
                return button
            """ : ""

        // Keyboard.
        var bindMethod = ""
        var bindCall = "self.bind_keys()"
        switch (fault, s.binding) {
        case (.keyboardUnbound, _):
            bindCall = ""
        case (_, .perKey):
            let ops =
                fault == .operatorsUnbound
                ? ""
                : """

                    for keysym, key in (("plus", "+"), ("minus", "-"), ("asterisk", "*"), ("slash", "/"),
                                        ("KP_Add", "+"), ("KP_Subtract", "-"), ("KP_Multiply", "*"), ("KP_Divide", "/")):
                        \(w).bind(f"<{keysym}>", lambda event, k=key: self.press(k))
                """
            let enter =
                fault == .enterUnbound
                ? ""
                : """

                    \(w).bind("<Return>", lambda event: self.press("="))
                    \(w).bind("<KP_Enter>", lambda event: self.press("="))
                """
            bindMethod = """
                def bind_keys(self):
                    for digit in "0123456789":
                        \(w).bind(digit, lambda event, d=digit: self.press(d))\(ops)\(enter)
                    \(w).bind("<equal>", lambda event: self.press("="))
                    \(w).bind("<period>", lambda event: self.press("."))
                    \(w).bind("<Escape>", lambda event: self.press("C"))
                """
        case (_, let binding):
            let typed = fault == .operatorsUnbound ? "0123456789." : "0123456789.+-*/"
            let enter = fault == .enterUnbound ? "event.char == \"=\"" : "event.keysym in (\"Return\", \"KP_Enter\") or event.char == \"=\""
            let how = binding == .bindAll ? "\(w).bind_all(\"<KeyPress>\", self.on_key)" : "\(w).bind(\"<Key>\", self.on_key)"
            bindMethod = """
                def bind_keys(self):
                    \(how)

                def on_key(self, event):
                    if event.char and event.char in \(py(typed)):
                        self.press(event.char)
                    elif \(enter):
                        self.press("=")
                    elif event.keysym == "Escape":
                        self.press("C")
                """
        }

        let initialText = fault == .emptyDisplay ? "\"\"" : "\"0\""
        let stateInit = s.model == .pocket ? "self.reset()" : "self.expression = \"\"\nself.just_evaluated = False"
        let showMethod =
            s.stringVar || s.entryDisplay
            ? "def show(self, text):\n    self.display_var.set(text)" : "def show(self, text):\n    self.display.config(text=text)"
        let varInit = s.stringVar || s.entryDisplay ? "self.display_var = tk.StringVar(value=\(initialText))" : ""
        let initialShow = (!(s.stringVar || s.entryDisplay) && fault == .emptyDisplay) ? "self.show(\"\")" : ""

        let initBody = [
            s.subclass ? "super().__init__()" : "self.root = root",
            s.subclass ? windowSetup.joined(separator: "\n") : "",
            styleLines.joined(separator: "\n"),
            stateInit,
            varInit,
            "self.build_display()",
            "self.build_keys()",
            initialShow,
            bindCall,
        ].filter { !$0.isEmpty }.joined(separator: "\n")

        let classHeader = s.subclass ? "class Calculator(tk.Tk):" : "class Calculator:"
        let initSignature = s.subclass ? "def __init__(self):" : "def __init__(self, root):"
        let main: String
        if s.subclass {
            main = """
                def main():
                    app = Calculator()
                    app.mainloop()
                """
        } else {
            main = """
                def main():
                    root = tk.Tk()
                    app = Calculator(root)
                    root.mainloop()
                """
        }
        // Without a subclass the window setup lives in __init__ too (self.root is ready by then).
        let classBody = [
            initSignature + "\n" + indent(initBody + (s.subclass ? "" : "\n" + windowSetup.joined(separator: "\n")), 4),
            "def build_display(self):\n" + indent(display.joined(separator: "\n"), 4),
            "def build_keys(self):\n" + indent(keys.joined(separator: "\n"), 4),
            addKeyMethod,
            bindMethod,
            showMethod,
            modelMethods(s, fault: fault),
        ].filter { !$0.isEmpty }.map { indent($0, 4) }.joined(separator: "\n\n")

        let keyRoleFunction = """
            def key_role(label):
                if label == "=":
                    return "equals"
                if label == "C":
                    return "clear"
                if label in OPERATORS:
                    return "operator"
                return "digit"
            """
        var sections: [String] = [
            "\"\"\"Calculator: a small tkinter desktop calculator (digits, + - * /, = and C; keyboard too).\"\"\"",
            imports.joined(separator: "\n"),
            constants.joined(separator: "\n\n"),
        ]
        if !logic.isEmpty { sections.append(logic) }
        sections.append(keyRoleFunction)
        sections.append(classHeader + "\n" + classBody)
        sections.append(main)
        sections.append("if __name__ == \"__main__\":\n    main()")
        return sections.joined(separator: "\n\n\n") + "\n"
    }
}
