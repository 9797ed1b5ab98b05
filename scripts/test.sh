#!/usr/bin/env bash
# Runs the whole test suite from a fresh clone: system libraries first, then every Swift test target.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift test
