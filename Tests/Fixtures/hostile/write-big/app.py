"""write-big: the counter page, served with the standard library's http.server."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Counter</title>
<style>
  body { font-family: "DejaVu Sans", sans-serif; font-size: 28px; background: #ffffff; color: #111111; margin: 40px; }
  h1 { font-size: 48px; margin: 0 0 8px 0; }
  .served { font-size: 18px; margin: 0 0 32px 0; color: #333333; }
  #count { margin: 0 0 24px 0; }
  button { font-family: "DejaVu Sans", sans-serif; font-size: 28px; padding: 10px 24px; }
</style>
</head>
<body>
<h1>Counter</h1>
<p class="served">Served by write-big</p>
<p id="count">Count: 0</p>
<button id="increment" type="button">Increment</button>
<script>
  var count = 0;
  document.getElementById('increment').addEventListener('click', function () {
    count += 1;
    document.getElementById('count').textContent = 'Count: ' + count;
  });
</script>
</body>
</html>
"""


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body, content_type):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/", "/index.html"):
            self._send(200, PAGE, "text/html; charset=utf-8")
        else:
            self._send(404, "not found\n", "text/plain; charset=utf-8")

    do_HEAD = do_GET


def main():
    port = int(os.environ.get("PORT", 8000))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"write-big listening on http://127.0.0.1:{port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
