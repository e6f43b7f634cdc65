"""python-web-bottle: the counter page, served with bottle."""
import os
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIServer

from bottle import route, run

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
<p class="served">Served by python-web-bottle</p>
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


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    """bottle's default wsgiref server handles one connection at a time, and Chromium's
    speculative (preconnected, idle) sockets can stall it: serve each connection on a thread."""
    daemon_threads = True


@route("/")
def index():
    return PAGE


if __name__ == "__main__":
    port = int(os.environ.get("PORT", 8000))
    print(f"python-web-bottle listening on http://127.0.0.1:{port}/", flush=True)
    run(host="127.0.0.1", port=port, quiet=True, server_class=ThreadingWSGIServer)
