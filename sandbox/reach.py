"""Checks, before an install, that the package registry answers from the install network.

`reach.py npm` or `reach.py pip`: the registry the tool would use (npm: $npm_config_registry or
a `registry=` line of ./.npmrc; pip: $PIP_INDEX_URL or an `index-url` of pip.conf; else the public
one) must accept a TCP connection within 10 s. Otherwise it says so in one line and exits 75, so
an install that cannot reach its registry fails at once instead of retrying for minutes.
"""
import os
import socket
import sys
import time
from urllib.parse import urlparse

DEFAULTS = {"npm": "https://registry.npmjs.org/", "pip": "https://pypi.org/simple"}


def configured(tool):
    if tool == "npm":
        url = os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY")
        if not url and os.path.exists(".npmrc"):
            for line in open(".npmrc", encoding="utf-8", errors="replace"):
                key, _, value = line.partition("=")
                if key.strip() == "registry" and value.strip():
                    url = value.strip()
        return url or DEFAULTS["npm"]
    url = os.environ.get("PIP_INDEX_URL")
    for conf in ("pip.conf", os.path.expanduser("~/.config/pip/pip.conf"), "/etc/pip.conf"):
        if not url and os.path.exists(conf):
            for line in open(conf, encoding="utf-8", errors="replace"):
                key, _, value = line.partition("=")
                if key.strip() == "index-url" and value.strip():
                    url = value.strip()
    return url or DEFAULTS["pip"]


def main():
    tool = sys.argv[1] if len(sys.argv) > 1 else "npm"
    url = urlparse(configured(tool))
    host = url.hostname or "registry.npmjs.org"
    port = url.port or (80 if url.scheme == "http" else 443)
    deadline = time.monotonic() + 10
    why = "no answer"
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=max(0.5, deadline - time.monotonic())):
                return 0
        except OSError as error:
            why = error.strerror or str(error)
            time.sleep(0.5)
    print(
        f"AppJudge: the install cannot reach its package registry {host}:{port} ({why}); "
        "evaluate with --offline to use what the repository commits.",
        flush=True,
    )
    return 75


if __name__ == "__main__":
    sys.exit(main())
