"""Number guess: the reference implementation of the number-guess task.

A tkinter window titled "Number Guess". The player types a whole number from 1 to 100 into the
entry and presses Guess (or Enter); the app answers "Too low", "Too high" or "Correct!" and counts
the attempts. The secret numbers are fixed so the game is deterministic: 37 in round 1, 82 in
round 2, 15 in round 3, and then the list starts over. "New round" moves to the next secret.
"""
import tkinter as tk

SECRETS = [37, 82, 15]
FONT = ("DejaVu Sans", 18)
BG = "white"
FG = "black"


class NumberGuess:
    def __init__(self, root):
        self.round = 1
        self.attempts = 0
        self.solved = False

        root.configure(bg=BG, padx=24, pady=16)
        tk.Label(root, text="Secret Number", font=("DejaVu Sans", 22), bg=BG, fg=FG).grid(
            row=0, column=0, columnspan=2, sticky="w", pady=(0, 8))
        tk.Label(root, text="I picked a number from 1 to 100.", font=FONT, bg=BG, fg=FG).grid(
            row=1, column=0, columnspan=2, sticky="w", pady=(0, 12))

        self.entry = tk.Entry(root, font=FONT, width=8, bg=BG, fg=FG, relief="solid", borderwidth=2,
                              insertbackground=FG)
        self.entry.grid(row=2, column=0, sticky="w", padx=(0, 12), ipady=4)
        tk.Button(root, text="Guess", font=FONT, bg="#eeeeee", fg=FG, activebackground="#dddddd",
                  relief="raised", borderwidth=2, padx=14, command=self.guess).grid(row=2, column=1, sticky="w")

        self.feedback = tk.Label(root, text="Make a guess", font=FONT, bg=BG, fg=FG)
        self.feedback.grid(row=3, column=0, columnspan=2, sticky="w", pady=(16, 4))
        self.attempts_label = tk.Label(root, text="Attempts: 0", font=FONT, bg=BG, fg=FG)
        self.attempts_label.grid(row=4, column=0, columnspan=2, sticky="w", pady=4)
        self.round_label = tk.Label(root, text="Round 1", font=FONT, bg=BG, fg=FG)
        self.round_label.grid(row=5, column=0, columnspan=2, sticky="w", pady=4)
        tk.Button(root, text="New round", font=FONT, bg="#eeeeee", fg=FG, activebackground="#dddddd",
                  relief="raised", borderwidth=2, padx=14, command=self.new_round).grid(
            row=6, column=0, columnspan=2, sticky="w", pady=(16, 0))

        self.entry.bind("<Return>", lambda event: self.guess())
        self.entry.bind("<KP_Enter>", lambda event: self.guess())
        self.entry.focus_set()

    def secret(self):
        return SECRETS[(self.round - 1) % len(SECRETS)]

    def guess(self):
        text = self.entry.get().strip()
        self.entry.delete(0, "end")
        self.entry.focus_set()
        if self.solved:
            return
        if not text.isdigit() or not 1 <= int(text) <= 100:
            self.attempts += 1
            self.attempts_label.config(text=f"Attempts: {self.attempts}")
            self.feedback.config(text="Enter a number from 1 to 100")
            return
        value = int(text)
        self.attempts += 1
        if value < self.secret():
            self.feedback.config(text="Too low")
        elif value > self.secret():
            self.feedback.config(text="Too high")
        else:
            self.feedback.config(text="Correct!")
            self.solved = True
        self.attempts_label.config(text=f"Attempts: {self.attempts}")

    def new_round(self):
        self.round += 1
        self.attempts = 0
        self.solved = False
        self.entry.delete(0, "end")
        self.entry.focus_set()
        self.feedback.config(text="Make a guess")
        self.attempts_label.config(text="Attempts: 0")
        self.round_label.config(text=f"Round {self.round}")


def main():
    root = tk.Tk()
    root.title("Number Guess")
    root.geometry("+0+0")
    root.resizable(False, False)
    NumberGuess(root)
    root.mainloop()


if __name__ == "__main__":
    main()
