#!/usr/bin/env bash
# Makes `debian:bookworm-slim` exist in podman's local store without an image registry (none is
# reachable from our machines): `debootstrap --variant=minbase bookworm` from the Debian mirror
# apt already uses, without apt's caches and lists (as the real slim image), imported as that
# name, so the Dockerfile's `FROM debian:bookworm-slim` resolves to it (docs/docker.md).
#
# The root file system is kept as a tarball in S2M_CONTAINER_CACHE (default
# /var/cache/spotify2mqtt-ci) and reused for a week, so a CI run debootstraps (about a minute)
# only when the cache is new or stale; an image already in the store is used as it is.
# scripts/test.sh runs it in the background while it compiles (debootstrap mostly waits for the
# mirror and the disk), so a bare CI machine does not wait for it later.
#
# Usage: container_base.sh   (root; needs podman and debootstrap)
set -euo pipefail

IMAGE=debian:bookworm-slim
CACHE="${S2M_CONTAINER_CACHE:-/var/cache/spotify2mqtt-ci}"
TARBALL="$CACHE/bookworm-minbase.tar"
MAX_AGE_DAYS=7

log() { echo "container-base: $*"; }

# One at a time: scripts/test.sh starts this in the background early, and container_test.sh
# runs it again later (then it waits here for the first one, and finds the image).
mkdir -p "$CACHE"
exec 9>"$CACHE/base.lock"
flock 9

if podman image exists "$IMAGE"; then
    log "$IMAGE is in podman's store already"
    exit 0
fi

# The mirror apt uses here (deb822 or one-line sources); Debian's own when none is found.
mirror() {
    local found
    found=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
        /etc/apt/sources.list.d/ 2>/dev/null | head -n 1 | awk '{print $2}' || true)
    echo "${found:-http://deb.debian.org/debian}"
}

if [[ -z "$(find "$TARBALL" -mtime -"$MAX_AGE_DAYS" 2>/dev/null)" ]]; then
    rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    trap 'rm -rf "$rootfs"' EXIT
    log "debootstrap --variant=minbase bookworm from $(mirror) (about a minute)"
    debootstrap --variant=minbase bookworm "$rootfs" "$(mirror)" >"$CACHE/debootstrap.log" 2>&1 ||
        { tail -n 30 "$CACHE/debootstrap.log" >&2; exit 1; }
    # What the slim image leaves out: downloaded packages and package lists.
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* "$rootfs"/tmp/*
    mkdir -p "$rootfs/var/lib/apt/lists/partial"
    tar --numeric-owner -C "$rootfs" -cf "$TARBALL.new" .
    mv "$TARBALL.new" "$TARBALL"
fi
log "importing $TARBALL as $IMAGE"
podman import --change 'CMD ["bash"]' "$TARBALL" "$IMAGE" >/dev/null
log "$IMAGE imported ($(podman image inspect --format '{{.Size}}' "$IMAGE") bytes)"
