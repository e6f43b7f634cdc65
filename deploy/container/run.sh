#!/usr/bin/env bash
# podman run with the least privilege AppJudge's sandbox needs inside a container (see
# deploy/README.md, "Running in a container"), plus what this host's engine needs:
#
#   deploy/container/run.sh [PODMAN RUN OPTIONS...] IMAGE [APPJUDGE ARGUMENTS...]
#   e.g. deploy/container/run.sh -v "$PWD/gen:/repos/gen:ro" -v "$PWD/out:/out" \
#          localhost/appjudge:latest suite --tasks /opt/appjudge/tasks --repos /repos/gen --out /out/run
#
# Security (every host): no network, no capabilities, no privilege gain, a non-root user,
# /proc unmasked (bubblewrap mounts a fresh proc, which the kernel refuses while parts of the
# container's /proc are masked), and deploy/container/seccomp.json (the default profile plus
# sethostname, setdomainname and setns, which act on AppJudge's own namespaces only).
# Host (only where needed): --runtime runc on a hybrid cgroup host whose cgroup2 has controllers
# (Debian 12's crun refuses those), and explicit --ulimit values when the caller cannot raise
# its limits (no CAP_SYS_RESOURCE), where podman's defaults would fail to apply.
#
#   run.sh --print-host-flags      the host flags alone, one per line: podman's own options,
#                                  then a line "run", then the run options
#   run.sh --print-security-flags  the security flags alone, one per line
#   PODMAN=... (default podman)    the engine; APPJUDGE_CONTAINER_USER (default 1000:1000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
podman=${PODMAN:-podman}

global=() # podman's own options (before "run")
host=()   # run options
if grep -qs . /sys/fs/cgroup/unified/cgroup.controllers && command -v runc >/dev/null 2>&1; then
  global+=(--runtime runc)
fi
capeff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
if (( (16#$capeff >> 24 & 1) == 0 )); then # CAP_SYS_RESOURCE is bit 24
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
  [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
  # podman lowers its own process limit to 32768 before starting the container.
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  host+=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
fi

security=(
  --network none
  --cap-drop ALL
  --security-opt no-new-privileges
  --user "${APPJUDGE_CONTAINER_USER:-1000:1000}"
  --security-opt 'unmask=/proc/*'
  --security-opt "seccomp=$here/seccomp.json"
)

case "${1:-}" in
  --print-host-flags) printf '%s\n' ${global[@]+"${global[@]}"} run ${host[@]+"${host[@]}"}; exit 0 ;;
  --print-security-flags) printf '%s\n' "${security[@]}"; exit 0 ;;
esac
exec "$podman" ${global[@]+"${global[@]}"} run --rm ${host[@]+"${host[@]}"} "${security[@]}" "$@"
