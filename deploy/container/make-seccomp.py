#!/usr/bin/env python3
"""Writes deploy/container/seccomp.json: the container engines' default seccomp profile
(podman's, /usr/share/containers/seccomp.json from Debian's golang-github-containers-common)
with three more system calls allowed without CAP_SYS_ADMIN:

  sethostname, setdomainname  bubblewrap names the sandbox's own UTS namespace (--hostname)
  setns                       AppJudge puts a case's app into its browser's network namespace
                              (nsenter --net=/proc/PID/ns/net)

Each acts only on a namespace that AppJudge itself created inside the container; the kernel
still checks the capability over that namespace. Everything else is as in the default profile
(which, unlike Docker's and containerd's, already allows mount, unshare and clone with
namespace flags: bubblewrap needs those).

Usage: make-seccomp.py [DEFAULT_PROFILE] > seccomp.json
"""

import json
import sys

EXTRA = {"sethostname", "setdomainname", "setns"}


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/containers/seccomp.json"
    with open(source, encoding="utf-8") as f:
        profile = json.load(f)
    rules = []
    for rule in profile["syscalls"]:
        caps = rule.get("includes", {}).get("caps", []) + rule.get("excludes", {}).get("caps", [])
        if "CAP_SYS_ADMIN" in caps:
            rule = dict(rule, names=[n for n in rule["names"] if n not in EXTRA])
            if not rule["names"]:
                continue
        rules.append(rule)
    plain = [
        r for r in rules
        if r["action"] == "SCMP_ACT_ALLOW" and not r.get("args") and not r.get("includes") and not r.get("excludes")
    ]
    if len(plain) != 1:
        sys.exit(f"{source}: expected one unconditional allow rule, found {len(plain)}")
    plain[0]["names"] = sorted(set(plain[0]["names"]) | EXTRA)
    denied = [n for r in rules if r["action"] != "SCMP_ACT_ALLOW" for n in r["names"] if n in EXTRA]
    if denied:
        sys.exit(f"{source}: still denies {denied}")
    profile["syscalls"] = rules
    json.dump(profile, sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
