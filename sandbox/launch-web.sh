#!/bin/bash
# Runs inside the bubblewrap sandbox of one case of a web app (Sources/Sandbox/Jail.swift): starts
# the app's server and says when it is ready. The sandbox has joined the network namespace of its
# worker's browser (Sources/Sandbox/BrowserJail.swift), which opens the page once the server
# answers; nothing else is on that loopback. The app gets no X display: it is seen only through
# the browser. Readiness and the app's end are reported as files in /srv/status.
#   APPJUDGE_START        the app's start command (from its stack recipe or launch hints)
#   APPJUDGE_PORT_HINT    the port it listens on, when known ahead
#   APPJUDGE_READY_PATH   the path that must answer; APPJUDGE_READY_TIMEOUT seconds
set -u
status=/srv/status
cd /srv/app || exit 90
echo "[appjudge] start: $APPJUDGE_START"
# The start command's exit status is kept for ready.py: 0 may mean it daemonised its server.
(/bin/sh -c "$APPJUDGE_START"; echo $? >/tmp/.appjudge-start-status) &
app=$!
port=$(python3 -S /srv/appjudge/ready.py "$app" "$status") || exit 0
echo "[appjudge] ready on port $port"
wait "$app"
code=$(cat /tmp/.appjudge-start-status 2>/dev/null || echo 1)
echo "[appjudge] the app's start command ended with status $code"
# A start command that daemonised its server ends with 0 while the server runs on: the app has
# ended only once its port stops accepting connections.
if [ "$code" -eq 0 ]; then
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.5; done
  echo "[appjudge] port $port stopped accepting connections"
fi
echo "$code" >"$status/app-exit.tmp" && mv "$status/app-exit.tmp" "$status/app-exit"
