"""devtools-channel: a counter whose Increment button does nothing (the case must fail)."""
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Counter</title>
<style>
  body { font-family: "DejaVu Sans", sans-serif; font-size: 28px; background: #ffffff; color: #111111; margin: 40px; }
  h1 { font-size: 48px; margin: 0 0 32px 0; }
  #count { margin: 0 0 24px 0; }
  button { font-family: "DejaVu Sans", sans-serif; font-size: 28px; padding: 10px 24px; }
</style>
</head>
<body>
<h1>Counter</h1>
<p id="count">Count: 0</p>
<button id="increment" type="button">Increment</button>
<script>
  // The page itself looks for a debugging endpoint on the shared loopback too.
  for (const port of [9222, 9229, 9333, 8315]) {
    fetch("http://127.0.0.1:" + port + "/json/version").then(function () {
      document.title = "page reached " + port;
    }).catch(function () {});
  }
</script>
</body>
</html>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        data = PAGE.encode("utf-8") if self.path.split("?", 1)[0] in ("/", "/index.html") else b"not found\n"
        self.send_response(200 if len(data) > 20 else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    port = int(os.environ.get("PORT", 8000))
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    print(f"devtools-channel listening on http://127.0.0.1:{port}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
