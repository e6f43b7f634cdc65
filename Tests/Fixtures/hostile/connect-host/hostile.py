"""Hostile fixture: in every phase, tries to reach a listener on the host (port 47613).

Usage: python3 hostile.py install|build|start
Connects (2 s timeout) to 127.0.0.1, [::1] and every address of this machine's own
interfaces (the LOCAL /32 entries of /proc/net/fib_trie, the addresses in /proc/net/if_inet6,
and socket.gethostbyname(socket.gethostname()) when it is one of those), and sends
b"hostile-was-here\\n" on every connection made. Only loopback and the machine's own addresses
are ever tried, so no traffic can leave the machine. Never fails: the exit status is always 0.
"""
import ipaddress
import os
import socket
import sys

try:
    sys.stdout.reconfigure(line_buffering=True, errors="backslashreplace")
except Exception:
    pass

PORT = 47613
PAYLOAD = b"hostile-was-here\n"


def fib_trie_local():
    """IPv4 addresses of this machine's interfaces, from /proc/net/fib_trie."""
    found = []
    try:
        with open("/proc/net/fib_trie") as handle:
            lines = handle.read().splitlines()
        for previous, line in zip(lines, lines[1:]):
            if "/32 host LOCAL" in line and "|--" in previous:
                address = previous.split("|--", 1)[1].strip()
                if address not in found:
                    found.append(address)
        print(f"/proc/net/fib_trie: local addresses {found}", flush=True)
    except Exception as error:
        print(f"read /proc/net/fib_trie: {type(error).__name__}: {error}", flush=True)
    return found


def inet6_local():
    """Global and loopback IPv6 addresses of this machine's interfaces, from /proc/net/if_inet6."""
    found = []
    try:
        with open("/proc/net/if_inet6") as handle:
            for line in handle:
                fields = line.split()
                if not fields or len(fields[0]) != 32:
                    continue
                address = ipaddress.IPv6Address(int(fields[0], 16))
                if address.is_link_local:
                    continue  # would need a scope id
                found.append(str(address))
        print(f"/proc/net/if_inet6: addresses {found}", flush=True)
    except Exception as error:
        print(f"read /proc/net/if_inet6: {type(error).__name__}: {error}", flush=True)
    return found


def try_connect(host):
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as connection:
            connection.settimeout(2)
            connection.connect((host, PORT))
            connection.sendall(PAYLOAD)
            print(f"CONNECTED to [{host}]:{PORT} and sent {PAYLOAD!r}", flush=True)
    except Exception as error:
        print(f"connect [{host}]:{PORT}: {type(error).__name__}: {error}", flush=True)


def main():
    phase = sys.argv[1] if len(sys.argv) > 1 else "unknown"
    print(f"### hostile connect-host, phase {phase}, uid {os.getuid()}", flush=True)
    local = fib_trie_local() + inet6_local()
    targets = ["127.0.0.1", "::1"]
    for address in local:
        if address not in targets:
            targets.append(address)
    try:
        name = socket.gethostname()
        address = socket.gethostbyname(name)
        print(f"gethostbyname({name!r}) = {address}", flush=True)
        if ipaddress.ip_address(address).is_loopback or address in local:
            if address not in targets:
                targets.append(address)
        else:
            print(f"skip {address}: not an address of this machine", flush=True)
    except Exception as error:
        print(f"gethostbyname: {type(error).__name__}: {error}", flush=True)
    for host in targets:
        try_connect(host)


if __name__ == "__main__":
    try:
        main()
    except BaseException as error:  # never fail the phase
        print(f"hostile.py: {type(error).__name__}: {error}", flush=True)
    sys.exit(0)
