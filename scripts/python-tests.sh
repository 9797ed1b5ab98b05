#!/usr/bin/env bash
# The Python side of the suite: pytest over training/tests (the functions that decide labels and splits), then
# training/check_datasets.py on a fresh build of the datasets (byte-identical rebuild, disjoint splits), which
# needs ../shared/corpora. Only the standard library and pytest are needed: pytest in the scripts' virtual
# environment (scripts/python-env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

python="$(scripts/python-env.sh pytest)"

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
