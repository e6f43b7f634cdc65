"""Hostile fixture: in every phase, starts a detached daemon that outlives its parent.

Usage: python3 hostile.py install|build|start
Double fork + setsid, stdio on /dev/null, then exec
`bash -c 'exec -a appjudge-hostile-daemon sleep 600'`, so /proc/<pid>/cmdline contains
"appjudge-hostile-daemon". Prints the daemon's pid. Never fails: the exit status is always 0.
"""
import os
import sys
import time

try:
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
except Exception:
    pass

NAME = "appjudge-hostile-daemon"


def start_daemon():
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(read_end)
            os.setsid()
            grandchild = os.fork()
            if grandchild == 0:
                os.chdir("/")
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.write(write_end, f"{os.getpid()}\n".encode())
                os.close(write_end)
                os.execvp("bash", ["bash", "-c", f"exec -a {NAME} sleep 600"])
            os._exit(0)
        except BaseException:
            os._exit(1)
    os.close(write_end)
    os.waitpid(child, 0)
    data = b""
    while True:
        chunk = os.read(read_end, 64)
        if not chunk:
            break
        data += chunk
    os.close(read_end)
    return int(data.strip()) if data.strip() else None


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    print(f"### hostile daemon, phase {phase}, uid {os.getuid()}, pid {os.getpid()}", flush=True)
    try:
        pid = start_daemon()
        print(f"started daemon pid {pid}", flush=True)
        if pid:
            time.sleep(0.3)
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as handle:
                    command = handle.read().replace(b"\0", b" ").decode(errors="replace")
                print(f"daemon {pid} cmdline: {command}", flush=True)
            except Exception as error:
                print(f"daemon {pid} cmdline: {type(error).__name__}: {error}", flush=True)
    except Exception as error:
        print(f"start daemon: {type(error).__name__}: {error}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # never fail the phase
        print(f"hostile.py: {type(error).__name__}: {error}", flush=True)
    sys.exit(0)
