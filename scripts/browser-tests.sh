#!/usr/bin/env bash
# The headless-browser tests (browser_tests/): the pages querykind writes, opened in Debian's chromium driven by
# Selenium through Debian's chromium-driver (both installed with apt-get when missing; no browser is downloaded),
# from pytest in the scripts' virtual environment (scripts/python-env.sh).
#
#   scripts/browser-tests.sh [QUERYKIND_BIN]    (default .build/debug/querykind, the build scripts/test.sh makes)
set -euo pipefail
cd "$(dirname "$0")/.."
export QUERYKIND_BIN="${1:-.build/debug/querykind}"

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "browser-tests: installing Debian's chromium and chromium-driver" >&2
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >&2
fi
python="$(scripts/python-env.sh -r browser_tests/requirements.txt)"

# pytest exits 5 when it collects no test: that is a broken selection here, never a pass.
status=0
"$python" -m pytest -q -p no:cacheprovider browser_tests || status=$?
if [ "$status" -eq 5 ]; then echo "pytest collected no tests in browser_tests" >&2; exit 1; fi
exit "$status"
