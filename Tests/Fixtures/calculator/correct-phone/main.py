"""Calculator, phone layout: ttk keys 1 2 3 on top down to C 0 =, a separate operator column on the right, monospace display."""
import tkinter as tk
from tkinter import ttk


def evaluate(expression):
    """Recursive-descent evaluation of digits and + - * / with standard precedence.

    Works on integers as exact numerator/denominator pairs; raises ZeroDivisionError.
    """
    position = 0

    def number():
        nonlocal position
        start = position
        while position < len(expression) and (expression[position].isdigit() or expression[position] == "."):
            position += 1
        text = expression[start:position] or "0"
        whole, _, fraction = text.partition(".")
        return (int(whole + fraction), 10 ** len(fraction))

    def term():
        nonlocal position
        value = number()
        while position < len(expression) and expression[position] in "*/":
            operator = expression[position]
            position += 1
            right = number()
            if operator == "*":
                value = (value[0] * right[0], value[1] * right[1])
            elif right[0] == 0:
                raise ZeroDivisionError("division by zero")
            else:
                value = (value[0] * right[1], value[1] * right[0])
        return value

    value = term()
    while position < len(expression):
        operator = expression[position]
        position += 1
        right = term()
        numerator = value[0] * right[1] + (1 if operator == "+" else -1) * right[0] * value[1]
        value = (numerator, value[1] * right[1])
    numerator, denominator = value
    if numerator % denominator == 0:
        return str(numerator // denominator)
    return f"{numerator / denominator:.10g}"


class PhoneCalculator:
    def __init__(self, root):
        self.text = tk.StringVar(value="0")
        self.fresh = True
        style = ttk.Style(root)
        style.theme_use("clam")
        style.configure("Digit.TButton", font=("DejaVu Sans", 18), padding=(8, 10), width=4)
        style.configure("Operator.TButton", font=("DejaVu Sans", 18, "bold"), padding=(8, 10), width=4,
                        foreground="#1a4f8b", background="#dce8f5")
        style.map("Operator.TButton", background=[("active", "#c4d8ee")])

        frame = ttk.Frame(root, padding=16)
        frame.grid()
        ttk.Label(frame, textvariable=self.text, anchor="w", font=("DejaVu Sans Mono", 26), background="#fbfbf4",
                  relief="solid", borderwidth=1, padding=(12, 8), width=14).grid(
            row=0, column=0, columnspan=5, sticky="ew", pady=(0, 16))
        for r, row in enumerate([["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"], ["C", "0", "="]], start=1):
            for c, key in enumerate(row):
                ttk.Button(frame, text=key, style="Digit.TButton", command=lambda k=key: self.press(k)).grid(
                    row=r, column=c, padx=6, pady=6)
        ttk.Separator(frame, orient="vertical").grid(row=1, column=3, rowspan=4, sticky="ns", padx=8)
        for r, key in enumerate("+-*/", start=1):
            ttk.Button(frame, text=key, style="Operator.TButton", command=lambda k=key: self.press(k)).grid(
                row=r, column=4, padx=6, pady=6)

        for key in "0123456789+-*/":
            root.bind(key, lambda event, k=key: self.press(k))
        root.bind("<Return>", lambda event: self.press("="))
        root.bind("<KP_Enter>", lambda event: self.press("="))
        root.bind("<Escape>", lambda event: self.press("C"))

    def press(self, key):
        shown = self.text.get()
        if key == "C":
            self.text.set("0")
            self.fresh = True
        elif key == "=":
            expression = shown.rstrip("+-*/") if shown != "Error" else "0"
            if expression.startswith("-"):
                expression = "0" + expression
            try:
                self.text.set(evaluate(expression))
            except ZeroDivisionError:
                self.text.set("Error")
            self.fresh = True
        elif key.isdigit():
            if self.fresh or shown == "0":
                shown = ""
            elif shown[-2:] in ("+0", "-0", "*0", "/0"):  # no leading zeros
                shown = shown[:-1]
            self.text.set(shown + key)
            self.fresh = False
        else:
            if shown == "Error":
                shown = "0"
            self.text.set(shown.rstrip("+-*/") + key if shown[-1] in "+-*/" else shown + key)
            self.fresh = False


root = tk.Tk()
root.title("Calculator")
root.geometry("+0+0")
root.resizable(False, False)
PhoneCalculator(root)
root.mainloop()
