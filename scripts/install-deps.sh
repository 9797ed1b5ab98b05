#!/usr/bin/env bash
# Installs the system libraries querykind builds against (Debian 12): OpenBLAS for matrix products,
# oneDNN (loaded at run time when present: faster small matrix products), SQLite's headers for the store,
# and the sqlite3 shell the README's examples use.
set -euo pipefail
packages=(libopenblas-dev libdnnl2 libsqlite3-dev sqlite3)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
