#!/usr/bin/env bash
# Checks a running `querykind serve` against the OpenAPI document kept in the repository
# (Sources/QueryServer/openapi.json) with schemathesis: generated requests, every response checked for
# status code, content type, headers and schema conformance, and no 5xx.
#
#   scripts/check_openapi.sh [QUERYKIND_BINARY]     (default .build/debug/querykind, which `swift test` builds)
#   env: MODEL (the tiny test fixture), MAX_TIME (30 seconds of fuzzing)
# Runs schemathesis from the scripts' virtual environment (scripts/python-env.sh installs it there once).
# Starts its own server on a free loopback port with the tiny fixture model, stops it with SIGTERM at the end
# and fails if it does not exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."
querykind="${1:-.build/debug/querykind}"
model="${MODEL:-Tests/BertClassifierTests/Fixtures/tiny-safetensors}"
python="$(scripts/python-env.sh schemathesis)"
st="$(dirname "$python")/st"
work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server"; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$querykind" serve --port 0 --model "$model" --max-texts 64 2>"$work/serve.log" &
server=$!
port=""
for _ in $(seq 1 600); do
    port="$(grep -oE 'listening on http://[^ ]+:[0-9]+' "$work/serve.log" | grep -oE '[0-9]+$' || true)"
    [ -n "$port" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; echo "serve exited before listening" >&2; exit 1; }
    sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log" >&2; echo "serve did not start within 60 s" >&2; exit 1; }

# The served document must be the repository's.
"$python" -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1]).read())' \
    "http://127.0.0.1:$port/openapi.json" | cmp - Sources/QueryServer/openapi.json

# From the scratch folder, so schemathesis's cache folder (.schemathesis) lands there, not in the repository.
repository="$PWD"
cd "$work"
"$st" run "$repository/Sources/QueryServer/openapi.json" --url "http://127.0.0.1:$port" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --max-time "${MAX_TIME:-30}" --workers 1 --suppress-health-check too_slow,filter_too_much

kill -TERM "$server"
for _ in $(seq 1 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then echo "serve did not stop within 10 s of SIGTERM" >&2; exit 1; fi
wait "$server"
server=""
echo "OpenAPI check passed (port $port)"
