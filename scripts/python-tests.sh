#!/usr/bin/env bash
# The Python side of the suite: pytest over training/tests (the functions that decide labels and splits), then
# training/check_datasets.py on a fresh build of the datasets (byte-identical rebuild, disjoint splits), which
# needs ../shared/corpora. Only the standard library and pytest are needed; pytest is installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python=python3
if ! command -v "$python" >/dev/null; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3
fi
if ! "$python" -c "import pytest" 2>/dev/null; then
    # pip where the interpreter allows it; Debian's own python3 is externally managed, so its package there.
    if ! "$python" -m pip install -q pytest 2>/dev/null; then
        sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-pytest
        python=/usr/bin/python3
    fi
fi

# pytest exits 5 when it collects no test: that is a broken selection here, never a pass.
status=0
"$python" -m pytest -q -p no:cacheprovider training/tests || status=$?
if [ "$status" -eq 5 ]; then echo "pytest collected no tests in training/tests" >&2; exit 1; fi
[ "$status" -eq 0 ] || exit "$status"

corpora=../shared/corpora
if [ ! -d "$corpora" ]; then
    echo "SKIP training/check_datasets.py: $corpora is absent" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
    exit 0
fi
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
(cd training && "$python" build_datasets.py --corpora "../$corpora" --out "$data" >/dev/null && \
    "$python" check_datasets.py --corpora "../$corpora" --data "$data")
