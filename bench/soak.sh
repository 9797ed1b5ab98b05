#!/usr/bin/env bash
# A soak of `querykind serve --db F --watch`, not a unit test: for DURATION seconds (an hour by default) a writer
# inserts RATE rows/s into F's source table while HTTP clients mix cache hits, misses and bad requests; halfway
# through the server is killed with SIGKILL and restarted on the same port. Prints the server's RSS, rows inserted
# and labeled, requests by status and the WAL size over time; at the end (after a SIGTERM that must exit 0): every
# inserted row labeled exactly once, label_cache entries against the distinct keys sent, the runs, and exits 1 when
# anything was lost or duplicated (bench/soak_client.py does the load and the checks, standard library only).
#
#   bench/soak.sh
#   env: BIN (.build/release/querykind), MODEL (Models/querykind-minilm-l3), PORT (0: a free one, kept across the
#        restart), DURATION (3600 s), RATE (20 rows/s), CLIENTS (4 HTTP clients), REPORT_EVERY (DURATION/12, at least 5 s),
#        SERVE_ARGS (more flags for serve, e.g. "--memory-cache 1000" to tell the memory cache's growth from the rest)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${BIN:-.build/release/querykind}"
model="${MODEL:-Models/querykind-minilm-l3}"
port="${PORT:-0}"
duration="${DURATION:-3600}"
rate="${RATE:-20}"
clients="${CLIENTS:-4}"
every="${REPORT_EVERY:-$(( duration / 12 > 5 ? duration / 12 : 5 ))}"
[ -x "$bin" ] || { echo "soak: $bin is not built (swift build -c release --product querykind, or set BIN)" >&2; exit 64; }
python="$(scripts/python-env.sh)"
work="$(mktemp -d)"
db="$work/soak.db"
server=""
load=""
cleanup() {
    for pid in $load $server; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

"$python" -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute(
    "CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")' "$db"

# Starts the server on $port (0 the first time: the port it reports is kept for the restart) and writes
# "pid port" to $work/server, which the clients read before every request.
start_server() {
    local log="$work/serve-$1.log"
    # shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
    "$bin" serve --db "$db" --watch --interval 1 --model "$model" --port "$port" ${SERVE_ARGS:-} 2>"$log" &
    server=$!
    local found=""
    for _ in $(seq 1 600); do
        found="$(grep -oE 'listening on http://[^ ]+:[0-9]+' "$log" | grep -oE '[0-9]+$' || true)"
        [ -n "$found" ] && break
        kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "soak: serve exited before listening" >&2; exit 1; }
        sleep 0.1
    done
    [ -n "$found" ] || { cat "$log" >&2; echo "soak: serve did not listen within 60 s" >&2; exit 1; }
    port="$found"
    echo "$server $port" >"$work/server.tmp" && mv "$work/server.tmp" "$work/server"
    echo "soak: server $1 pid $server listening on port $port"
}

echo "soak: $bin, model $model, ${duration} s, $rate rows/s, $clients HTTP clients, one SIGKILL at $((duration / 2)) s"
start_server first
"$python" bench/soak_client.py load "$db" "$work" "$duration" "$rate" "$every" "$clients" &
load=$!

sleep $((duration / 2))
killed_at="$(date +%s.%N)"
kill -KILL "$server"
wait "$server" 2>/dev/null || true
echo "soak: SIGKILL to pid $server at t=$((duration / 2)) s, restarting"
start_server restarted

status=0
wait "$load" || status=$?
load=""
[ "$status" -eq 0 ] || { echo "soak: the load client failed (exit $status)" >&2; exit 1; }

kill -TERM "$server"
for _ in $(seq 1 300); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then echo "soak: serve did not stop within 30 s of SIGTERM" >&2; exit 1; fi
serve_status=0
wait "$server" || serve_status=$?
server=""
echo "soak: serve exited $serve_status after SIGTERM"
check_status=0
"$python" bench/soak_client.py check "$db" "$work" "$killed_at" || check_status=$?
if [ "$serve_status" -ne 0 ]; then
    echo "soak: FAIL: serve exited $serve_status after SIGTERM (expected 0)"
    sed 's/^/  /' "$work/serve-restarted.log" | tail -n 20
    exit 1
fi
exit "$check_status"
