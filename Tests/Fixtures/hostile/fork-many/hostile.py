"""Hostile fixture: in build and start, tries to spawn 5000 long-lived processes.

Usage: python3 hostile.py install|build|start
Each process is `bash -c 'exec -a appjudge-hostile-forker sleep 300'` with stdio on /dev/null.
Stops after 20 consecutive failures and prints how many started. install does nothing special.
Never fails: the exit status is always 0.
"""
import os
import subprocess
import sys
import time

try:
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
except Exception:
    pass

COUNT = 5000
MAX_CONSECUTIVE_FAILURES = 20
COMMAND = ["bash", "-c", "exec -a appjudge-hostile-forker sleep 300"]


def spawn_many():
    started = 0
    failures = 0
    consecutive = 0
    errors = {}
    children = []
    began = time.monotonic()
    for attempt in range(COUNT):
        try:
            children.append(subprocess.Popen(
                COMMAND, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            started += 1
            consecutive = 0
        except Exception as error:
            failures += 1
            consecutive += 1
            kind = f"{type(error).__name__}: {error}"
            if kind not in errors:
                print(f"spawn #{attempt + 1} failed: {kind}", flush=True)
            errors[kind] = errors.get(kind, 0) + 1
            if consecutive >= MAX_CONSECUTIVE_FAILURES:
                print(f"stopping after {consecutive} consecutive failures", flush=True)
                break
        if (attempt + 1) % 500 == 0:
            print(f"{attempt + 1} attempts: {started} started, {failures} failed", flush=True)
    print(f"started {started} of {COUNT} processes ({failures} failures) in {time.monotonic() - began:.1f} s", flush=True)
    for kind, count in errors.items():
        print(f"  {count} x {kind}", flush=True)


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    print(f"### hostile fork-many, phase {phase}, uid {os.getuid()}", flush=True)
    if phase in ("build", "start"):
        spawn_many()
    else:
        print("nothing special in this phase", flush=True)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # never fail the phase
        print(f"hostile.py: {type(error).__name__}: {error}", flush=True)
    sys.exit(0)
