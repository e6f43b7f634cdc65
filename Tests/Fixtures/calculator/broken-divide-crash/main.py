"""Calculator, wide layout in lavender and plum with an immediate left-to-right register (BROKEN: dividing by zero kills the program)."""
import os
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
        os._exit(1)  # the bug: the program dies instead of showing Error

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
root.configure(bg="#efe9f7", padx=6, pady=8)

display = tk.Label(root, text="0", anchor="e", font=("DejaVu Sans", 28), bg="#fdfcff", fg="#2e1a47",
                   relief="ridge", borderwidth=4, padx=14, pady=8)
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


def key_button(text, row, column, bg, fg="#2e1a47", active="#ffffff"):
    tk.Button(root, text=text, font=("DejaVu Sans", 16, "bold"), width=3, bg=bg, fg=fg, activebackground=active,
              activeforeground=fg, relief="raised", borderwidth=2, padx=4, pady=6,
              command=lambda: press(text)).grid(row=row, column=column, padx=3, pady=3, sticky="ew")


for index, key in enumerate("1234567890"):
    key_button(key, 1 + index // 5, index % 5, bg="#dcd0f0", active="#ebe3f8")
for index, key in enumerate("+-*/="):
    key_button(key, 3, index, bg="#f6d5e8", active="#fbe6f1")
key_button("C", 3, 5, bg="#6a1b4d", fg="white", active="#8a2f68")

for key in "0123456789" + OPERATORS:
    root.bind(key, lambda event, k=key: press(k))
root.bind("<Return>", lambda event: press("="))
root.bind("<KP_Enter>", lambda event: press("="))
root.bind("<Escape>", lambda event: press("C"))
root.mainloop()
