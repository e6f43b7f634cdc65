"""A small static file server for the `static` stack, run inside the app's sandbox.

    python3 -S static-server.py PORT DIRECTORY

It imports only built-in modules (the standard library's http.server takes several times longer
to start, and so do socket and threading, which it does not need: a server starts once per case). Serves files under DIRECTORY on 127.0.0.1:PORT:
GET and HEAD, index.html for a folder, the usual content types, 404 for anything else; never
outside DIRECTORY and never a listing.
"""
import _socket
import _thread
import os
import sys

TYPES = {
    "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8", "json": "application/json",
    "map": "application/json", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
    "gif": "image/gif", "webp": "image/webp", "ico": "image/x-icon", "woff": "font/woff", "woff2": "font/woff2",
    "ttf": "font/ttf", "otf": "font/otf", "txt": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8",
    "xml": "application/xml", "wasm": "application/wasm", "mp3": "audio/mpeg", "wav": "audio/wav", "mp4": "video/mp4",
    "webm": "video/webm", "webmanifest": "application/manifest+json", "pdf": "application/pdf",
}


def unquote(path):
    out = bytearray()
    raw = path.encode("latin-1", "replace")
    i = 0
    while i < len(raw):
        if raw[i] == 0x25 and i + 2 < len(raw):
            try:
                out.append(int(raw[i + 1:i + 3], 16))
                i += 3
                continue
            except ValueError:
                pass
        out.append(raw[i])
        i += 1
    return out.decode("utf-8", "replace")


def resolve(root, target):
    path = unquote(target.split("?", 1)[0].split("#", 1)[0])
    full = os.path.realpath(os.path.join(root, path.lstrip("/")))
    if full != root and not full.startswith(root + os.sep):
        return None
    if os.path.isdir(full):
        full = os.path.join(full, "index.html")
    return full if os.path.isfile(full) else None


def serve(connection, root):
    try:
        connection.settimeout(30)
        pending = b""
        while True:
            # One request's head: up to the blank line (CRLF or bare LF endings).
            while True:
                ends = [i + len(mark) for mark in (b"\r\n\r\n", b"\n\n") for i in (pending.find(mark),) if i >= 0]
                if ends:
                    break
                if len(pending) > 65536:
                    return
                chunk = connection.recv(65536)
                if not chunk:
                    return
                pending += chunk
            end = min(ends)
            head, pending = pending[:end], pending[end:]
            parts = head.split(b"\n", 1)[0].decode("latin-1").split()
            if len(parts) < 2:
                return
            method, target = parts[0], parts[1]
            full = resolve(root, target) if method in ("GET", "HEAD") else None
            if full is None:
                body = b"not found\n"
                reply = "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
            else:
                with open(full, "rb") as handle:
                    body = handle.read()
                kind = TYPES.get(full.rsplit(".", 1)[-1].lower(), "application/octet-stream")
                reply = f"HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nCache-Control: no-cache\r\n"
            reply += f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
            connection.sendall(reply.encode("latin-1") + (b"" if method == "HEAD" else body))
    except OSError:
        pass
    finally:
        connection.close()


def main():
    port, root = int(sys.argv[1]), os.path.realpath(sys.argv[2])
    listener = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    listener.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    print(f"serving {root} on http://127.0.0.1:{port}/", flush=True)
    while True:
        descriptor, _ = listener._accept()
        _thread.start_new_thread(serve, (_socket.socket(_socket.AF_INET, _socket.SOCK_STREAM, 0, descriptor), root))


if __name__ == "__main__":
    main()
