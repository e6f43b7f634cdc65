"""Hostile fixture: in every phase, tries to write a file outside its own directory.

Usage: python3 hostile.py install|build|start
Creates appjudge-hostile-written-<phase> in each target directory it can, and prints the
outcome for each. Never fails: the exit status is always 0.
"""
import os
import sys

try:
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
except Exception:
    pass

TARGETS = ["/tmp", "/var/tmp", "/dev/shm", "/root", "/work", "/etc", "/usr", "..", "../..", os.path.expanduser("~")]


def attempt(directory, name, phase):
    path = os.path.join(directory, name)
    try:
        shown = f"{path} ({os.path.realpath(path)})"
    except Exception:
        shown = path
    try:
        with open(path, "w") as handle:
            handle.write(f"written by the hostile fixture write-outside in phase {phase}\n")
        print(f"WROTE {shown}", flush=True)
    except Exception as error:
        print(f"write {shown}: {type(error).__name__}: {error}", flush=True)


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    name = f"appjudge-hostile-written-{phase}"
    print(f"### hostile write-outside, phase {phase}, uid {os.getuid()}, cwd {os.getcwd()}", flush=True)
    for directory in TARGETS:
        attempt(directory, name, phase)
    # Its own directory is allowed: this one should work.
    attempt(".", name, phase)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # never fail the phase
        print(f"hostile.py: {type(error).__name__}: {error}", flush=True)
    sys.exit(0)
