#!/usr/bin/env bash
# Exits 0 when this process can mount (and unmount) a small tmpfs, as the full-disk tests do; 1 otherwise.
set -u
dir="$(mktemp -d)"
trap 'rmdir "$dir"' EXIT
mount -t tmpfs -o size=1m querykind-probe "$dir" 2>/dev/null && umount "$dir"
