"""Calculator: the reference implementation of the calculator task.

A single tkinter window titled "Calculator" with a display and the keys 0-9, + - * /, = and C.
Keys can be clicked or typed: digits and operators, Enter (or keypad Enter) for "=", Escape for
"C". The expression is evaluated with standard precedence by a small parser (no eval), using
exact fractions; whole results are shown without a decimal point and division by zero shows
"Error".
"""
import tkinter as tk
from fractions import Fraction

OPERATORS = "+-*/"
KEYS = [
    ["7", "8", "9", "/"],
    ["4", "5", "6", "*"],
    ["1", "2", "3", "-"],
    ["C", "0", "=", "+"],
]


def tokenize(expression):
    """Split "12+7*3" into [Fraction(12), "+", Fraction(7), "*", Fraction(3)].

    A number may carry a decimal point: a shown result like 2.5 can be calculated on.
    """
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


def evaluate(expression):
    """Evaluate digits and + - * / with the usual precedence; raises ZeroDivisionError."""
    tokens = tokenize(expression)
    while tokens and isinstance(tokens[-1], str):  # ignore a trailing operator: "12+" is 12
        tokens.pop()
    if not tokens:
        return Fraction(0)
    if isinstance(tokens[0], str):  # a leading operator applies to zero: "-3" is 0-3
        tokens.insert(0, Fraction(0))
    # First pass: * and /, folded into the term on their left.
    terms = [tokens[0]]
    for operator, operand in zip(tokens[1::2], tokens[2::2]):
        if operator == "*":
            terms[-1] = terms[-1] * operand
        elif operator == "/":
            terms[-1] = terms[-1] / operand  # Fraction raises ZeroDivisionError for / 0
        else:
            terms += [operator, operand]
    # Second pass: + and -, left to right.
    result = terms[0]
    for operator, operand in zip(terms[1::2], terms[2::2]):
        result = result + operand if operator == "+" else result - operand
    return result


def format_number(value):
    """19 for a whole result, 2.5 (at most ten significant digits) otherwise."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.10g}"


class Calculator:
    def __init__(self, root):
        self.expression = ""
        self.fresh = True  # the next digit replaces what is shown ("0", a result or "Error")
        self.display = tk.Label(root, text="0", anchor="e", font=("DejaVu Sans", 26), bg="white",
                                relief="sunken", borderwidth=2, padx=10, pady=6, width=12)
        self.display.grid(row=0, column=0, columnspan=4, sticky="nsew", padx=6, pady=6)
        for r, row in enumerate(KEYS, start=1):
            for c, key in enumerate(row):
                tk.Button(root, text=key, font=("DejaVu Sans", 18), width=3,
                          command=lambda k=key: self.press(k)).grid(row=r, column=c, padx=3, pady=3)
        for key in "0123456789" + OPERATORS:
            root.bind(key, lambda event, k=key: self.press(k))
        root.bind("<Return>", lambda event: self.press("="))
        root.bind("<KP_Enter>", lambda event: self.press("="))
        root.bind("<Escape>", lambda event: self.press("C"))

    def show(self, text):
        self.display.config(text=text)

    def press(self, key):
        if key == "C":
            self.expression, self.fresh = "", True
            self.show("0")
        elif key == "=":
            try:
                result = format_number(evaluate(self.expression or "0"))
            except ZeroDivisionError:
                self.expression, self.fresh = "", True
                self.show("Error")
                return
            self.expression, self.fresh = result, True
            self.show(result)
        elif key.isdigit():
            if self.fresh:
                self.expression, self.fresh = "", False
            if self.expression[-2:] in ("0", "+0", "-0", "*0", "/0"):  # no leading zeros: 07 is 7
                self.expression = self.expression[:-1]
            self.expression += key
            self.show(self.expression)
        else:  # an operator continues from what is shown, replacing a previous operator
            self.fresh = False
            if not self.expression:
                self.expression = "0"
            if self.expression[-1] in OPERATORS:
                self.expression = self.expression[:-1]
            self.expression += key
            self.show(self.expression)


def main():
    root = tk.Tk()
    root.title("Calculator")
    root.geometry("+0+0")
    root.resizable(False, False)
    Calculator(root)
    root.mainloop()


if __name__ == "__main__":
    main()
