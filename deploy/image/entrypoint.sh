#!/bin/sh
# The image's entry point, installed as /usr/local/bin/appjudge: runs AppJudge in a user
# namespace of its own, where it holds the capabilities over the namespaces it creates.
# AppJudge puts each case's app into its browser's network namespace with nsenter (setns),
# which the kernel allows only to a process with CAP_SYS_ADMIN in its own user namespace; a
# container started without capabilities (--cap-drop ALL, Kubernetes drop: [ALL]) has none in
# the container's, but has all of them in this one, over nothing of the host's.
# Where no user namespace can be made here (a privileged container that does not need one),
# AppJudge runs as it is.
bin=/opt/appjudge/bin/appjudge
if [ -z "${APPJUDGE_NO_USERNS:-}" ] && unshare --user --map-root-user /bin/true 2>/dev/null; then
  exec unshare --user --map-root-user "$bin" "$@"
fi
exec "$bin" "$@"
