#!/usr/bin/env bash
# The Debian package's tests (package_tests/): scripts/package.sh packages the given binary, the package is
# extracted into a temporary root, and what it installed runs there with a clean environment. pytest from the
# scripts' virtual environment (scripts/python-env.sh).
#
#   scripts/package-tests.sh [QUERYKIND_BIN]    (default .build/debug/querykind, the build scripts/test.sh makes)
set -euo pipefail
cd "$(dirname "$0")/.."
export QUERYKIND_BIN="${1:-.build/debug/querykind}"
python="$(scripts/python-env.sh -r package_tests/requirements.txt)"

# pytest exits 5 when it collects no test: that is a broken selection here, never a pass.
status=0
"$python" -m pytest -q -p no:cacheprovider package_tests || status=$?
if [ "$status" -eq 5 ]; then echo "pytest collected no tests in package_tests" >&2; exit 1; fi
exit "$status"
