#!/usr/bin/env bash
# The Debian package's tests (package_tests/): scripts/package.sh packages the given binary, the package is
# extracted into a temporary root, and what it installed runs there with a clean environment. pytest from the
# scripts' virtual environment (scripts/python-env.sh).
#
#   scripts/package-tests.sh [QUERYKIND_BIN]    (default .build/debug/querykind, the build scripts/test.sh makes)
set -euo pipefail
cd "$(dirname "$0")/.."
export QUERYKIND_BIN="${1:-.build/debug/querykind}"

# The man page is read back with man (man-db); dpkg-deb, readelf, strip and unshare come with Debian and the toolchain.
if ! command -v man >/dev/null; then
    echo "package-tests: installing Debian's man-db" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq man-db >&2
fi
python="$(scripts/python-env.sh -r package_tests/requirements.txt)"

# pytest exits 5 when it collects no test: that is a broken selection here, never a pass.
status=0
"$python" -m pytest -q -p no:cacheprovider package_tests || status=$?
if [ "$status" -eq 5 ]; then echo "pytest collected no tests in package_tests" >&2; exit 1; fi
exit "$status"
