"""Calculator, dark theme: near-black window, flat dark grey digit keys, orange operator keys, white-on-black display."""
import tkinter as tk
from fractions import Fraction

OPERATORS = "+-*/"
BACKGROUND, DIGIT, DIGIT_ACTIVE, OPERATOR, OPERATOR_ACTIVE = "#111111", "#3a3a3a", "#505050", "#f08c00", "#ffa733"


def evaluate(expression):
    """Standard precedence over digits and + - * /; raises ZeroDivisionError."""
    tokens, number = [], ""
    for char in expression + "+":  # the sentinel operator flushes the last number
        if char in OPERATORS:
            if number:
                tokens.append(Fraction(number))
                number = ""
            tokens.append(char)
        else:
            number += char
    tokens.pop()
    while tokens and isinstance(tokens[-1], str):
        tokens.pop()
    if not tokens:
        return Fraction(0)
    if isinstance(tokens[0], str):
        tokens.insert(0, Fraction(0))
    total, term, sign = Fraction(0), tokens[0], 1
    for operator, operand in zip(tokens[1::2], tokens[2::2]):
        if operator == "*":
            term *= operand
        elif operator == "/":
            term /= operand
        else:
            total += sign * term
            term, sign = operand, (1 if operator == "+" else -1)
    return total + sign * term


def format_number(value):
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.10g}"


root = tk.Tk()
root.title("Calculator")
root.geometry("+0+0")
root.resizable(False, False)
root.configure(bg=BACKGROUND, padx=10, pady=10)

state = {"expression": "", "fresh": True}
display = tk.Label(root, text="0", anchor="e", font=("DejaVu Sans", 30), bg="black", fg="white",
                   padx=14, pady=12, width=10)
display.grid(row=0, column=0, columnspan=4, sticky="ew", pady=(0, 10))


def press(key):
    if key == "C":
        state.update(expression="", fresh=True)
        display.config(text="0")
    elif key == "=":
        try:
            result = format_number(evaluate(state["expression"] or "0"))
        except ZeroDivisionError:
            state.update(expression="", fresh=True)
            display.config(text="Error")
            return
        state.update(expression=result, fresh=True)
        display.config(text=result)
    elif key.isdigit():
        if state["fresh"]:
            state.update(expression="", fresh=False)
        if state["expression"][-2:] in ("0", "+0", "-0", "*0", "/0"):  # no leading zeros
            state["expression"] = state["expression"][:-1]
        state["expression"] += key
        display.config(text=state["expression"])
    else:
        expression = state["expression"] or "0"
        if expression[-1] in OPERATORS:
            expression = expression[:-1]
        state.update(expression=expression + key, fresh=False)
        display.config(text=state["expression"])


layout = [["7", "8", "9", "/"], ["4", "5", "6", "*"], ["1", "2", "3", "-"], ["C", "0", "=", "+"]]
for r, row in enumerate(layout, start=1):
    for c, key in enumerate(row):
        is_operator = key in OPERATORS or key == "="
        tk.Button(root, text=key, font=("DejaVu Sans", 20, "bold" if is_operator else "normal"), width=3,
                  relief="flat", borderwidth=0, highlightthickness=0, padx=12, pady=10,
                  bg=OPERATOR if is_operator else DIGIT, fg="white" if is_operator else "#eeeeee",
                  activebackground=OPERATOR_ACTIVE if is_operator else DIGIT_ACTIVE, activeforeground="white",
                  command=lambda k=key: press(k)).grid(row=r, column=c, padx=4, pady=4)

for key in "0123456789" + OPERATORS:
    root.bind(key, lambda event, k=key: press(k))
root.bind("<Return>", lambda event: press("="))
root.bind("<KP_Enter>", lambda event: press("="))
root.bind("<Escape>", lambda event: press("C"))
root.mainloop()
