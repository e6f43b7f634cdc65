"""Hostile fixture: tries to read secrets in every phase and prints everything it finds.

Usage: python3 hostile.py install|build|start
Never fails: every attempt is wrapped, and the exit status is always 0.
"""
import os
import re
import stat
import sys
import time

try:
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
except Exception:
    pass

PATTERN = re.compile(r"KEY|TOKEN|SECRET|canary", re.IGNORECASE)
ROOTS = [os.path.expanduser("~"), "/root", "/home", "/work", "/etc/ssh", "/etc/shadow"]
FILES_PER_ROOT = 200
BYTES_PER_FILE = 4096
SECONDS_PER_ROOT = 1.0
FINDINGS = "hostile-findings.txt"


class Scan:
    def __init__(self, quiet=False):
        self.quiet = quiet
        self.canaries = []

    def say(self, *args):
        if not self.quiet:
            print(*args, flush=True)

    def look(self, where, text):
        """Prints every line of text matching PATTERN prominently; remembers canary values."""
        for line in text.splitlines():
            if PATTERN.search(line):
                self.say(f"!!! FOUND in {where}: {line[:500]}")
                # Lines of this script's own reports (say, a log it can read back) are no new values.
                if "canary" in line.lower() and "!!! " not in line:
                    value = line.strip()[:300]
                    if value not in self.canaries:
                        self.canaries.append(value)

    def environment(self):
        self.say("=== environment ===")
        try:
            for name, value in sorted(os.environ.items()):
                self.say(f"{name}={value}")
                self.look("environment", f"{name}={value}")
        except Exception as error:
            self.say(f"environment: {type(error).__name__}: {error}")

    def read_file(self, path):
        """Reads up to BYTES_PER_FILE of a regular file (never blocks on a FIFO or device)."""
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                return False
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            try:
                data = os.read(fd, BYTES_PER_FILE)
            finally:
                os.close(fd)
            text = data.decode("utf-8", errors="replace")
            self.say(f"--- read {path} ({len(data)} bytes) ---")
            self.say(text)
            self.look(path, text)
            return True
        except Exception as error:
            self.say(f"read {path}: {type(error).__name__}: {error}")
            return False

    def walk(self, root):
        self.say(f"=== walk {root} ===")
        started = time.monotonic()
        count = 0
        try:
            if not os.path.lexists(root):
                self.say(f"walk {root}: does not exist")
                return
            if not os.path.isdir(root):
                self.read_file(root)
                return

            def failed(error):
                self.say(f"walk {getattr(error, 'filename', root)}: {type(error).__name__}: {error}")

            for directory, subdirectories, files in os.walk(root, onerror=failed):
                subdirectories.sort()
                for name in sorted(files):
                    if count >= FILES_PER_ROOT or time.monotonic() - started > SECONDS_PER_ROOT:
                        self.say(f"walk {root}: stopped after {count} files")
                        return
                    if self.read_file(os.path.join(directory, name)):
                        count += 1
            self.say(f"walk {root}: {count} files read")
        except Exception as error:
            self.say(f"walk {root}: {type(error).__name__}: {error}")

    def environ_file(self, path):
        try:
            with open(path, "rb") as handle:
                data = handle.read(65536)
            entries = [entry.decode("utf-8", errors="replace") for entry in data.split(b"\0") if entry]
            self.say(f"--- {path}: {len(entries)} variables ---")
            for entry in entries:
                self.say(entry)
                self.look(path, entry)
        except Exception as error:
            self.say(f"read {path}: {type(error).__name__}: {error}")

    def processes(self):
        self.say("=== /proc environ ===")
        self.environ_file("/proc/1/environ")
        self.environ_file("/proc/self/environ")
        try:
            pids = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
        except Exception as error:
            self.say(f"list /proc: {type(error).__name__}: {error}")
            return
        self.say(f"/proc lists {len(pids)} processes")
        for pid in pids[:2000]:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    command = handle.read(300).replace(b"\0", b" ").decode("utf-8", errors="replace")
                self.say(f"process {pid}: {command}")
            except Exception as error:
                self.say(f"process {pid}: cmdline {type(error).__name__}")
            self.environ_file(f"/proc/{pid}/environ")

    def run(self):
        self.environment()
        for root in ROOTS:
            self.walk(root)
        self.processes()
        return self.canaries


def remember(canaries):
    """Keeps canary values for app.py (the page shows them, so they would reach a screenshot)."""
    try:
        known = []
        if os.path.exists(FINDINGS):
            with open(FINDINGS, encoding="utf-8", errors="replace") as handle:
                known = [line.rstrip("\n") for line in handle if line.strip()]
        with open(FINDINGS, "a", encoding="utf-8") as handle:
            for value in canaries:
                if value not in known:
                    handle.write(value.replace("\n", " ") + "\n")
                    known.append(value)
        print(f"kept {len(known)} canary values in {FINDINGS}", flush=True)
    except Exception as error:
        print(f"write {FINDINGS}: {type(error).__name__}: {error}", flush=True)


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    print(f"### hostile read-secrets, phase {phase}, uid {os.getuid()}, cwd {os.getcwd()}", flush=True)
    canaries = Scan().run()
    print(f"### {len(canaries)} values containing 'canary' found", flush=True)
    for value in canaries:
        print(f"!!! CANARY: {value}", flush=True)
    remember(canaries)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # never fail the phase
        print(f"hostile.py: {type(error).__name__}: {error}", flush=True)
    sys.exit(0)
