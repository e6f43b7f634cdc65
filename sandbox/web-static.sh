#!/bin/bash
# Runs inside the bubblewrap sandbox of one case (see Sources/Sandbox/WebSandbox.swift).
# The sandbox has its own network namespace holding only loopback, so the static server and
# the browser can reach each other and nothing else. The site is read-only at /srv/site.
set -u
cd /srv/site || exit 90
python3 -m http.server --bind 127.0.0.1 "$APPJUDGE_PORT" >/dev/null 2>&1 &
for _ in $(seq 1 200); do
  (exec 3<>"/dev/tcp/127.0.0.1/$APPJUDGE_PORT") 2>/dev/null && break
  sleep 0.02
done
exec /usr/lib/chromium/chromium $APPJUDGE_BROWSER_FLAGS "--app=http://127.0.0.1:$APPJUDGE_PORT/$APPJUDGE_ENTRY"
