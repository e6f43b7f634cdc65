"""Hostile fixture: tries, from the app's own sandbox, to reach the browser that shows the app and
make it show "Count: 1" (which the app never does), so a failing case would pass.

For 8 seconds it keeps trying:
- every process it can see that is chromium: open /proc/PID/fd/3 and 4 (the
  browser's DevTools pipe) and send DevTools commands that rewrite the page;
- a TCP connection to the usual debugging ports and to every listening port of this network
  namespace but the app's own, sending an HTTP request for /json (the DevTools port's list);
- the X display: DISPLAY, and any socket under /tmp/.X11-unix;
- abstract and path unix sockets listed in /proc/net/unix.
Each attempt prints one line: "BLOCKED ..." or "SUCCEEDED ...". Never fails.
"""
import json
import os
import socket
import sys
import time

REWRITE = "document.getElementById('count').textContent = 'Count: 1'"


def say(text):
    print(text, flush=True)


def chromium_pids():
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                argv = handle.read().split(b"\0")
        except OSError:
            continue
        # The program itself, not a mention of it in some other command line.
        program = os.path.basename(argv[0]) if argv else b""
        if b"chrom" in program or any(arg.startswith(b"--remote-debugging") for arg in argv):
            found.append(int(name))
    return found


def try_pipe(pid):
    try:
        commands = os.open(f"/proc/{pid}/fd/3", os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        say(f"BLOCKED open /proc/{pid}/fd/3: {error}")
        return
    messages = [
        {"id": 900001, "method": "Target.getTargets"},
    ]
    try:
        for message in messages:
            os.write(commands, json.dumps(message).encode() + b"\0")
        say(f"SUCCEEDED writing to the DevTools pipe of {pid}")
    except OSError as error:
        say(f"BLOCKED write /proc/{pid}/fd/3: {error}")


def try_port(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"GET /json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            answer = connection.recv(4096)
            if b"webSocketDebuggerUrl" in answer:
                say(f"SUCCEEDED DevTools endpoint on port {port}")
            else:
                say(f"BLOCKED port {port} answered but is not DevTools")
    except OSError as error:
        say(f"BLOCKED connect 127.0.0.1:{port}: {error}")


def listening_ports():
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                next(handle)
                for line in handle:
                    fields = line.split()
                    if fields[3] == "0A":
                        ports.add(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return ports


def try_display():
    display = os.environ.get("DISPLAY")
    say(f"BLOCKED DISPLAY is {display!r}" if not display else f"SUCCEEDED DISPLAY is {display}")
    try:
        sockets = os.listdir("/tmp/.X11-unix")
    except OSError as error:
        say(f"BLOCKED list /tmp/.X11-unix: {error}")
        return
    for name in sockets:
        try:
            with socket.socket(socket.AF_UNIX) as connection:
                connection.connect(f"/tmp/.X11-unix/{name}")
                say(f"SUCCEEDED connected to X socket {name}")
        except OSError as error:
            say(f"BLOCKED X socket {name}: {error}")


def try_unix_sockets():
    try:
        with open("/proc/net/unix") as handle:
            paths = [line.split()[-1] for line in list(handle)[1:] if len(line.split()) >= 8]
    except OSError as error:
        say(f"BLOCKED read /proc/net/unix: {error}")
        return
    for path in paths:
        address = "\0" + path[1:] if path.startswith("@") else path
        try:
            with socket.socket(socket.AF_UNIX) as connection:
                connection.settimeout(1)
                connection.connect(address)
                say(f"SUCCEEDED connected to unix socket {path}")
        except OSError as error:
            say(f"BLOCKED unix socket {path}: {error}")


def main():
    own = int(os.environ.get("PORT", 8000))
    deadline = time.time() + 8
    rounds = 0
    while time.time() < deadline:
        rounds += 1
        say(f"### round {rounds}, uid {os.getuid()}, pid {os.getpid()}")
        pids = chromium_pids()
        say(f"chromium processes visible: {pids}" if pids else "BLOCKED no chromium process is visible")
        for pid in pids:
            try_pipe(pid)
        for port in sorted({9222, 9229, 9333} | (listening_ports() - {own})):
            try_port(port)
        try_display()
        try_unix_sockets()
        time.sleep(1)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:
        say(f"hostile.py: {type(error).__name__}: {error}")
    sys.exit(0)
