#!/usr/bin/env bash
# The one Python environment of the repository's scripts: a virtual environment in .venv/ (ignored by git), so that
# nothing is pip-installed into the system's python3 (Debian 12 refuses that: "externally-managed-environment").
# Creates it when missing (installing Debian's python3-venv when the venv module cannot), pip-installs what the
# arguments name into it (pip install arguments: package names or `-r FILE`), and prints its python's path, the
# only thing on stdout:
#
#   python="$(scripts/python-env.sh)"                              # the standard library only
#   python="$(scripts/python-env.sh -r bench/requirements.txt)"    # with the benchmark's packages
#
# pip runs once per set of arguments and requirement files' contents (a stamp in .venv/ remembers it), so a second
# call is instant and works offline.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$PWD/.venv"

apt_install() {
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >&2
}

if [ ! -x "$venv/bin/python" ]; then
    command -v python3 >/dev/null || apt_install python3
    rm -rf "$venv"   # a half-made one (venv without ensurepip leaves a folder with no pip)
    if ! python3 -m venv "$venv" >&2 2>/dev/null; then
        rm -rf "$venv"
        echo "python-env: installing python3-venv (the venv module is missing)" >&2
        apt_install python3-venv
        python3 -m venv "$venv" >&2
    fi
fi

if [ $# -gt 0 ]; then
    # What these arguments install: the arguments themselves and the contents of the requirement files they name.
    key="$(
        printf '%s\n' "$@"
        previous=""
        for argument in "$@"; do
            if [ "$previous" = "-r" ]; then cat "$argument"; fi
            previous="$argument"
        done
    )"
    stamp="$venv/.installed-$(printf '%s' "$key" | sha256sum | cut -c1-16)"
    if [ ! -e "$stamp" ]; then
        echo "python-env: pip install $* (into .venv)" >&2
        "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >&2
        touch "$stamp"
    fi
fi
echo "$venv/bin/python"
