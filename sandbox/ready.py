"""Waits, inside the sandbox, until a web app is ready, and says on which port.

Ready means: a TCP port in the sandbox's network namespace is listening (the hinted one or
$PORT when given, else any: the namespace is the app's alone) and an HTTP GET of the ready path
answers with any status. Prints the port and writes status/ready; writes status/failure with
launch_failed (the start command ended with nothing listening: a start command that
daemonised its server is waited for) or not_ready (time ran out) otherwise, and exits 1.

It runs once per case under `python3 -S` and imports only built-in modules: http.client and
json alone took several times longer to import than the rest of a static site's start.
"""
import _socket
import os
import sys
import time


def listening_ports():
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == "0A":  # TCP_LISTEN
                        ports.append(int(fields[1].rsplit(":", 1)[1], 16))
        except OSError:
            pass
    return sorted(set(ports))


def ended(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


DAEMON_GRACE = 10


def start_status():
    """The start command's exit status, written by launch-web.sh once it ends."""
    try:
        with open("/tmp/.appjudge-start-status") as f:
            return f.read().strip() or "?"
    except OSError:
        return "?"


def answers(port, path):
    """True when an HTTP GET of `path` gets a status line back (any status)."""
    request = f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    for family, host in ((_socket.AF_INET, "127.0.0.1"), (_socket.AF_INET6, "::1")):
        conn = _socket.socket(family, _socket.SOCK_STREAM)
        try:
            conn.settimeout(3)
            conn.connect((host, port))
            conn.sendall(request.encode("utf-8"))
            head = b""
            while b"\n" not in head and len(head) < 1024:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                head += chunk
            line = head.split(b"\n", 1)[0].split()
            if len(line) >= 2 and line[0].startswith(b"HTTP/") and line[1].isdigit():
                return True
        except OSError:
            pass
        finally:
            conn.close()
    return False


def encode(value):
    """JSON for the few shapes written here: numbers, strings, lists and objects of them."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{encode(k)}: {encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(encode(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + "".join(c if c not in '"\\' and " " <= c else f"\\u{ord(c):04x}" for c in value) + '"'
    return str(int(value))


def report(status_dir, name, data):
    tmp = os.path.join(status_dir, name + ".tmp")
    with open(tmp, "w") as f:
        f.write(encode(data))
    os.rename(tmp, os.path.join(status_dir, name))


def main():
    pid, status_dir = int(sys.argv[1]), sys.argv[2]
    hint = os.environ.get("APPJUDGE_PORT_HINT", "")
    preferred = [int(p) for p in (hint, os.environ.get("PORT", "")) if p.isdigit()]
    path = os.environ.get("APPJUDGE_READY_PATH", "/")
    deadline = time.monotonic() + float(os.environ.get("APPJUDGE_READY_TIMEOUT", "45"))
    seen = []
    ended_at = None
    while time.monotonic() < deadline:
        ports = listening_ports()
        if ended(pid) and not ports:
            code = start_status()
            ended_at = ended_at or time.monotonic()
            # Exit status 0 may be a start command that daemonised its server: give the
            # server a moment to listen. Anything else is a failed launch at once.
            if code != "0" or time.monotonic() - ended_at > DAEMON_GRACE:
                why = f"exit status {code}" if code != "0" else f"exit status 0 and nothing listening {DAEMON_GRACE} s later"
                report(status_dir, "failure", {"class": "launch_failed", "reason": f"the start command ended before the app was ready ({why})"})
                return 1
        seen = ports
        candidates = [p for p in preferred if p in ports] or ([] if hint else ports)
        for port in candidates:
            if answers(port, path):
                report(status_dir, "ready", {"port": port, "listening": ports})
                print(port)
                return 0
        time.sleep(0.02)
    what = f"ports {seen} listen but {path} never answered" if seen else "no port was ever listening"
    report(status_dir, "failure", {"class": "not_ready", "reason": f"not ready within {os.environ.get('APPJUDGE_READY_TIMEOUT', '45')} s: {what}"})
    return 1


if __name__ == "__main__":
    sys.exit(main())
