"""The tkinter calculator shown in Tests/Fixtures/frames/calculator-tk.png (captured on a 640x480
Xvfb without a window manager). Groundwork for the calculator task of issue 3."""
import tkinter as tk

root = tk.Tk()
root.title("Calculator")
root.resizable(False, False)

state = {"expr": "", "shown": "0"}
display = tk.Label(root, text="0", anchor="e", font=("DejaVu Sans", 24), bg="white", relief="sunken", padx=10, width=12)
display.grid(row=0, column=0, columnspan=4, sticky="nsew", padx=6, pady=6)


def show(text):
    state["shown"] = text
    display.config(text=text)


def press(key):
    if key == "C":
        state["expr"] = ""
        show("0")
    elif key == "=":
        try:
            value = eval(state["expr"] or "0", {"__builtins__": {}})  # the expression is built from button keys only
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            show(str(value))
            state["expr"] = str(value)
        except ZeroDivisionError:
            show("Error")
            state["expr"] = ""
        except SyntaxError:
            show("Error")
            state["expr"] = ""
    else:
        state["expr"] += key
        show(state["expr"])


layout = [["7", "8", "9", "/"], ["4", "5", "6", "*"], ["1", "2", "3", "-"], ["C", "0", "=", "+"]]
for r, row in enumerate(layout, start=1):
    for c, key in enumerate(row):
        tk.Button(root, text=key, font=("DejaVu Sans", 18), width=3, command=lambda k=key: press(k)).grid(row=r, column=c, padx=3, pady=3)

for key in "0123456789+-*/":
    root.bind(key, lambda e, k=key: press(k))
root.bind("<Return>", lambda e: press("="))
root.bind("<KP_Enter>", lambda e: press("="))
root.bind("<Escape>", lambda e: press("C"))
root.mainloop()
