"""Hostile fixture: in build, writes 3 GiB to ./big.bin and then 3 GiB to /tmp/big.bin.

Usage: python3 hostile.py install|build|start
Writes in 8 MiB chunks, prints progress every 512 MiB, and reports the OSError that stops it
(e.g. "File too large" or "No space left on device"). install and start do nothing special.
Never fails: the exit status is always 0 (unless it is killed, which is fine).
"""
import os
import signal
import sys
import time

try:
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
except Exception:
    pass

MIB = 1024 * 1024
SIZE = 3 * 1024 * MIB
CHUNK = 8 * MIB
PROGRESS = 512 * MIB


def write_big(path):
    print(f"writing {SIZE // MIB} MiB to {path}", flush=True)
    buffer = (b"appjudge-hostile-write-big " * (CHUNK // 27 + 1))[:CHUNK]
    written = 0
    began = time.monotonic()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    except OSError as error:
        print(f"open {path}: {type(error).__name__}: {error}", flush=True)
        return
    try:
        while written < SIZE:
            view = memoryview(buffer)[: min(CHUNK, SIZE - written)]
            while view:
                count = os.write(fd, view)
                if count <= 0:
                    raise OSError("write returned 0 bytes")
                written += count
                view = view[count:]
                if written % PROGRESS < count or written == SIZE:
                    print(f"{path}: {written // MIB} MiB written ({time.monotonic() - began:.1f} s)", flush=True)
    except OSError as error:
        print(f"write {path} stopped at {written // MIB} MiB ({written} bytes): {type(error).__name__}: {error}", flush=True)
    finally:
        try:
            os.close(fd)
        except OSError as error:
            print(f"close {path}: {type(error).__name__}: {error}", flush=True)
    print(f"{path}: done, {written} bytes", flush=True)


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    print(f"### hostile write-big, phase {phase}, uid {os.getuid()}, cwd {os.getcwd()}", flush=True)
    try:
        # Python already ignores SIGXFSZ; make sure, so a file size limit shows as EFBIG.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    except Exception as error:
        print(f"ignore SIGXFSZ: {type(error).__name__}: {error}", flush=True)
    if phase == "build":
        write_big(os.path.join(os.getcwd(), "big.bin"))
        write_big("/tmp/big.bin")
    else:
        print("nothing special in this phase", flush=True)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # never fail the phase
        print(f"hostile.py: {type(error).__name__}: {error}", flush=True)
    sys.exit(0)
