"""Calculator, wide layout: digits in two rows of five, an operator row below, light blue / light green / dark red keys, immediate left-to-right evaluation."""
import tkinter as tk
from fractions import Fraction

OPERATORS = "+-*/"


def apply(left, operator, right):
    """One step of left-to-right evaluation; raises ZeroDivisionError for / 0."""
    if operator == "+":
        return left + right
    if operator == "-":
        return left - right
    if operator == "*":
        return left * right
    return left / right


def format_number(value):
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.10g}"


class Accumulator:
    """A pocket-calculator register: each operator applies the pending one straight away."""

    def __init__(self):
        self.clear()

    def clear(self):
        self.total, self.pending, self.entry = None, None, ""
        return "0"

    def digit(self, key):
        self.entry = key if self.entry in ("", "0") else self.entry + key
        return self.entry

    def operator(self, key):
        try:
            self._fold()
        except ZeroDivisionError:
            return self.error()
        self.pending = key
        return format_number(self.total)

    def equals(self):
        try:
            self._fold()
        except ZeroDivisionError:
            return self.error()
        shown = format_number(self.total)
        self.clear()
        self.entry = shown  # the result is the first operand of an operator typed next
        return shown

    def error(self):
        self.clear()
        return "Error"

    def _fold(self):
        value = Fraction(self.entry) if self.entry else None
        if self.total is None:
            self.total = value if value is not None else Fraction(0)
        elif value is not None and self.pending:
            self.total = apply(self.total, self.pending, value)
        self.entry = ""


calculator = Accumulator()
root = tk.Tk()
root.title("Calculator")
root.geometry("+0+0")
root.resizable(False, False)
root.configure(bg="#f4f6f8", padx=8, pady=8)

display = tk.Label(root, text="0", anchor="e", font=("DejaVu Sans", 28, "bold"), bg="#ffffff", fg="#1b2a3a",
                   relief="groove", borderwidth=3, padx=12, pady=8)
display.grid(row=0, column=0, columnspan=6, sticky="ew", pady=(0, 8))

fresh_after_result = {"value": False}


def press(key):
    if key == "C":
        fresh_after_result["value"] = False
        shown = calculator.clear()
    elif key == "=":
        shown = calculator.equals()
        fresh_after_result["value"] = shown != "Error"
    elif key.isdigit():
        if fresh_after_result["value"]:  # a digit after "=" starts a new calculation
            calculator.clear()
            fresh_after_result["value"] = False
        shown = calculator.digit(key)
    else:
        fresh_after_result["value"] = False
        shown = calculator.operator(key)
    display.config(text=shown)


def key_button(text, row, column, bg, fg="#102030", active="#ffffff"):
    tk.Button(root, text=text, font=("DejaVu Sans", 17, "bold"), width=3, bg=bg, fg=fg, activebackground=active,
              activeforeground=fg, relief="raised", borderwidth=2, padx=6, pady=4,
              command=lambda: press(text)).grid(row=row, column=column, padx=2, pady=2, sticky="ew")


for index, key in enumerate("1234567890"):
    key_button(key, 1 + index // 5, index % 5, bg="#cfe8fc", active="#e3f2fd")
for index, key in enumerate("+-*/="):
    key_button(key, 3, index, bg="#c8ecc9", active="#e0f5e0")
key_button("C", 3, 5, bg="#8b1a1a", fg="white", active="#a83232")

for key in "0123456789" + OPERATORS:
    root.bind(key, lambda event, k=key: press(k))
root.bind("<Return>", lambda event: press("="))
root.bind("<KP_Enter>", lambda event: press("="))
root.bind("<Escape>", lambda event: press("C"))
root.mainloop()
