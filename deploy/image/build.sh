#!/usr/bin/env bash
# Builds the AppJudge container image here, from Debian packages and this checkout, with no
# image registry:
#   1. the appjudge binary, release, with the Swift runtime linked in (--static-swift-stdlib);
#   2. a Debian bookworm root file system with mmdebstrap: the packages of packages.txt, no
#      Recommends, no manuals, documentation or translations (cached as a tarball whose name is
#      the hash of its recipe, so it is made again only when the recipe changes);
#   3. that tarball imported as localhost/appjudge-base:<hash> (podman import);
#   4. the binary, tasks/, sandbox/, config/ and the seccomp profile put on top with podman build
#      (Containerfile, no RUN step, --network none), tagged localhost/appjudge:<version> and
#      :latest, skipped when an image of the same base and content exists;
#   5. a check inside the image: every library the binary links is there, and it runs.
#
#   deploy/image/build.sh [--refresh]
#     --refresh   make the root file system again even if its recipe did not change (takes
#                 Debian's newest packages, e.g. security updates)
#   Environment: APPJUDGE_IMAGE (default localhost/appjudge), APPJUDGE_IMAGE_WORK (default
#   .build/image), APPJUDGE_DEBIAN_MIRROR, APPJUDGE_DEBIAN_SECURITY_MIRROR, SWIFT (default swift).
# Needs: swift, mmdebstrap, podman (and runc on a hybrid cgroup host); `make deps`
# installs them. The last line printed is "image NAME:VERSION ID SIZE_MB".
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/deploy/image
work=${APPJUDGE_IMAGE_WORK:-$root/.build/image}
name=${APPJUDGE_IMAGE:-localhost/appjudge}
swift=${SWIFT:-swift}
mirror=${APPJUDGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
security_mirror=${APPJUDGE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
refresh=0
for arg in "$@"; do
  case $arg in
    --refresh) refresh=1 ;;
    *) echo "build.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

for tool in "$swift" mmdebstrap podman readelf sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: $tool is missing; run 'make deps'." >&2; exit 1; }
done
mkdir -p "$work"
start=$SECONDS
step() { echo "build.sh: $*" >&2; }
took() { echo "$(( SECONDS - $1 )) s"; }

# 1. The binary. Its own build folder, so a `swift build` or `swift test` of the checkout is
# neither relinked nor locked by this one.
t=$SECONDS
step "building appjudge (release, static Swift runtime)"
"$swift" build -c release --static-swift-stdlib --product appjudge --package-path "$root" --scratch-path "$work/swift" >"$work/swift-build.log" 2>&1 \
  || { tail -30 "$work/swift-build.log" >&2; step "swift build failed (log: $work/swift-build.log)"; exit 1; }
bin=$("$swift" build -c release --static-swift-stdlib --package-path "$root" --scratch-path "$work/swift" --show-bin-path)/appjudge
if readelf -d "$bin" | grep -E 'NEEDED.*lib(swift|Foundation|dispatch|BlocksRuntime|_Foundation)' >&2; then
  step "$bin still links the Swift runtime dynamically"; exit 1
fi
version=$("$bin" --version | awk '{print $2}')
step "binary $version in $(took $t)"

# 2. The root file system, cached under the hash of everything that makes it.
packages=$(grep -v '^[[:space:]]*#' "$here/packages.txt" | tr -s ' \n' '\n' | sed '/^$/d' | sort -u | paste -sd, -)
mm=(
  --variant=essential --format=tar --include="$packages"
  --aptopt='Acquire::Languages "none"'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright'
  # The image's user (uid 1000) and a working folder anyone may write.
  --customize-hook='echo "appjudge:x:1000:1000:AppJudge:/tmp:/usr/sbin/nologin" >>"$1/etc/passwd"; echo "appjudge:x:1000:" >>"$1/etc/group"; mkdir -m 1777 "$1/work"'
  bookworm
)
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security_mirror bookworm-security main")
key=$(printf '%s\n' "${mm[@]}" "${sources[@]}" | sha256sum | cut -c1-16)
rootfs=$work/rootfs-$key.tar
t=$SECONDS
if [ "$refresh" = 1 ] || [ ! -f "$rootfs" ]; then
  step "making the root file system with mmdebstrap ($rootfs)"
  rm -f "$rootfs.part"
  mmdebstrap "${mm[@]}" "$rootfs.part" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1 \
    || { tail -30 "$work/mmdebstrap.log" >&2; step "mmdebstrap failed (log: $work/mmdebstrap.log)"; exit 1; }
  mv "$rootfs.part" "$rootfs"
  find "$work" -maxdepth 1 -name 'rootfs-*.tar' ! -name "rootfs-$key.tar" -delete
  step "root file system in $(took $t)"
else
  step "root file system cached ($rootfs)"
fi

# 3. The base image, one per root file system.
base=$name-base:$key
t=$SECONDS
if [ "$refresh" = 1 ] || ! podman image exists "$base"; then
  step "importing $base"
  podman import --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin' --change 'ENV LANG=C.UTF-8' \
    "$rootfs" "$base" >"$work/import.log" 2>&1 || { cat "$work/import.log" >&2; exit 1; }
  step "base image in $(took $t)"
else
  step "base image cached ($base)"
fi

# 4. The AppJudge layer, built when its content or base changed.
context=$work/context
rm -rf "$context"
mkdir -p "$context/opt/appjudge/bin" "$context/opt/appjudge/deploy"
cp "$bin" "$context/opt/appjudge/bin/appjudge"
cp -R "$root/tasks" "$root/sandbox" "$root/config" "$context/opt/appjudge/"
cp "$root/deploy/container/seccomp.json" "$context/opt/appjudge/deploy/seccomp.json"
cp "$here/entrypoint.sh" "$context/entrypoint.sh"
cp "$here/Containerfile" "$context/Containerfile"
content=$( (echo "$base"; tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - -C "$context" .) | sha256sum | cut -c1-16)
image=$name:$version
t=$SECONDS
if [ "$(podman image inspect --format '{{index .Labels "org.appjudge.content"}}' "$image" 2>/dev/null)" = "$content" ]; then
  step "image cached ($image, content $content)"
  podman tag "$image" "$name:latest"
else
  step "building $image"
  podman build --network none --build-arg "BASE=$base" --label "org.appjudge.content=$content" \
    --label "org.appjudge.base=$base" --label "org.appjudge.version=$version" \
    -t "$image" -t "$name:latest" -f "$context/Containerfile" "$context" >"$work/podman-build.log" 2>&1 \
    || { tail -30 "$work/podman-build.log" >&2; step "podman build failed (log: $work/podman-build.log)"; exit 1; }
  step "image layer in $(took $t)"
fi

# 5. Inside the image: no missing library, and the binary runs there.
t=$SECONDS
missing=$("$root/deploy/container/run.sh" --entrypoint /usr/bin/ldd "$image" /opt/appjudge/bin/appjudge) \
  || { echo "$missing" >&2; step "ldd could not run in $image"; exit 1; }
if grep -q 'not found' <<<"$missing"; then
  grep 'not found' <<<"$missing" >&2; step "$image lacks libraries the binary needs (add their packages to packages.txt)"; exit 1
fi
inside=$("$root/deploy/container/run.sh" "$image" --version) || { step "appjudge --version failed in $image"; exit 1; }
[ "$inside" = "appjudge $version" ] || { step "appjudge --version in $image said '$inside'"; exit 1; }
step "checked in $(took $t); total $(took $start)"

id=$(podman image inspect --format '{{.Id}}' "$image" | cut -c1-12)
size=$(podman image inspect --format '{{.Size}}' "$image")
echo "image $image $id $(( size / 1000000 ))"
