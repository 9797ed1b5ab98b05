#!/usr/bin/env bash
# Load test of `querykind serve` on loopback, bounded in time (about 2 minutes plus builds), with wrk (Debian:
# apt-get install wrk), against the shipped model; and, when PyTorch is installed, the same load on the server a
# user would otherwise write (bench/serve_reference.py: FastAPI + uvicorn + transformers), with the ratios.
#
#   bench/serve_load.sh [MODEL_DIR]
#   env: SCRATCH_PATH (.build) or QUERYKIND_BIN (see bench/setup.sh), DURATION (10 s per wrk run), THREADS (2 inference threads), PYTHON (the .venv one),
#        REFERENCE (auto: run the FastAPI app when torch, transformers, fastapi and uvicorn import; 0 to skip)
#
# Measures: (1) cache hits, GET /v1/classify?text= over 4,000 cached texts at 64 connections; (2) all misses,
# distinct texts, 64 concurrent single-text requests, next to `querykind bench` end to end on the same model in
# the same run, with the mean batch size from /metrics; (3) one request at a time on an idle server (misses, then
# hits): p50 and p99.
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
duration="${DURATION:-10}"
threads="${THREADS:-2}"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# Distinct workload texts, URL-encoded into GET paths: 4,000 to cache, the rest for misses.
"$querykind" bench --only-write-workload --write-workload "$work/workload.txt" --queries 200000 >/dev/null
"$python" - "$work" <<'PY'
import sys, urllib.parse
work = sys.argv[1]
texts = list(dict.fromkeys(line.rstrip("\n") for line in open(f"{work}/workload.txt", encoding="utf-8")))
texts = [t for t in texts if t.strip()]
def paths(name, chunk):
    with open(f"{work}/{name}", "w") as out:
        for text in chunk: out.write("/v1/classify?text=" + urllib.parse.quote(text, safe="") + "\n")
paths("hits.txt", texts[:4000])
paths("misses.txt", texts[4000:100000])
paths("misses-reference.txt", texts[100000:150000])
paths("lone.txt", texts[150000:])
import json
for start in range(0, 4000, 1000):
    json.dump({"texts": texts[start:start + 1000]}, open(f"{work}/warm-{start}.json", "w"))
PY

# Starts a server command in the background and waits (at most 2 minutes) until it answers; sets $port from
# querykind's start line, or to $2 when given (the reference app).
start_server() {
    local log="$1" fixed="$2"; shift 2
    "$@" 2>"$log" &
    pids+=($!)
    port=""
    for _ in $(seq 1 1200); do
        if [ -n "$fixed" ]; then
            curl -fsS -o /dev/null "http://127.0.0.1:$fixed/v1/classify?text=warm" 2>/dev/null && port="$fixed"
        else
            port="$(grep -oE 'listening on http://[^ ]+:[0-9]+' "$log" | grep -oE '[0-9]+$' | head -1 || true)"
        fi
        [ -n "$port" ] && return 0
        kill -0 "${pids[-1]}" 2>/dev/null || { cat "$log" >&2; echo "server exited" >&2; exit 1; }
        sleep 0.1
    done
    cat "$log" >&2; echo "server did not start" >&2; exit 1
}

metric() { curl -fsS "http://127.0.0.1:$1/metrics" | awk -v name="$2" '$1 == name { print $2 }'; }

# wrk run: prints "rps p50_ms p99_ms wraps"; args: port paths connections threads
load() {
    local out="$work/wrk.out"
    WRK_THREADS="$4" PATHS="$work/$2" wrk -t"$4" -c"$3" -d"${duration}s" --latency -s bench/serve_load.lua \
        "http://127.0.0.1:$1" >"$out"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /Requests\/sec/ { rps = $2 }
        $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
        $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
        /^wraps/ { wraps = $2 }
        /Non-2xx/ { non2xx = $NF }
        END { printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, wraps, non2xx }' "$out"
}

warm() {
    for file in "$work"/warm-*.json; do
        curl -fsS -o /dev/null -H 'Content-Type: application/json' --data-binary @"$file" \
            "http://127.0.0.1:$1/v1/classify"
    done
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); loopback; " \
     "a shared, noisy machine gives noisy figures"
bench_qps="$("$querykind" bench --model "$model" --threads "$threads" --queries 20000 --repeats 2 --json \
    | "$python" -c 'import json,sys; print(round(json.load(sys.stdin)["end_to_end_qps"]))')"
echo "querykind bench end to end ($threads threads): $bench_qps queries/s"

start_server "$work/serve.log" "" "$querykind" serve --port 0 --model "$model" --threads "$threads" --max-queue 100000
qk_port="$port"
warm "$qk_port"
read -r qk_hit_rps qk_hit_p50 qk_hit_p99 _ qk_hit_err < <(load "$qk_port" hits.txt 64 2)
texts0="$(metric "$qk_port" querykind_inference_texts_total)"
sum0="$(metric "$qk_port" querykind_inference_batch_texts_sum)"; count0="$(metric "$qk_port" querykind_inference_batch_texts_count)"
read -r qk_miss_rps qk_miss_p50 qk_miss_p99 qk_miss_wraps qk_miss_err < <(load "$qk_port" misses.txt 64 2)
texts1="$(metric "$qk_port" querykind_inference_texts_total)"
sum1="$(metric "$qk_port" querykind_inference_batch_texts_sum)"; count1="$(metric "$qk_port" querykind_inference_batch_texts_count)"
read -r _ qk_lone_p50 qk_lone_p99 _ _ < <(load "$qk_port" lone.txt 1 1)
read -r _ qk_lonehit_p50 qk_lonehit_p99 _ _ < <(load "$qk_port" hits.txt 1 1)
kill -TERM "$(printf '%s\n' "${pids[@]}" | tail -1)"

printf '\nquerykind serve (%s, %s inference threads)\n' "$model" "$threads"
printf '  cache hits, 64 connections:     %8s req/s  p50 %6s ms  p99 %6s ms  (non-2xx %s)\n' \
    "$qk_hit_rps" "$qk_hit_p50" "$qk_hit_p99" "$qk_hit_err"
mean_batch="$(awk -v a="$sum0" -v b="$sum1" -v c="$count0" -v d="$count1" 'BEGIN { printf "%.1f", (b - a) / (d - c) }')"
printf '  all misses, 64 concurrent:      %8s req/s  p50 %6s ms  p99 %6s ms  = %s%% of bench end to end; ' \
    "$qk_miss_rps" "$qk_miss_p50" "$qk_miss_p99" "$(awk -v a="$qk_miss_rps" -v b="$bench_qps" 'BEGIN { printf "%.0f", 100 * a / b }')"
printf 'mean batch %s texts; %s inferences (wraps %s, non-2xx %s)\n' "$mean_batch" \
    "$(awk -v a="$texts0" -v b="$texts1" 'BEGIN { printf "%d", b - a }')" "$qk_miss_wraps" "$qk_miss_err"
printf '  one at a time, misses:                         p50 %6s ms  p99 %6s ms\n' "$qk_lone_p50" "$qk_lone_p99"
printf '  one at a time, hits:                           p50 %6s ms  p99 %6s ms\n' "$qk_lonehit_p50" "$qk_lonehit_p99"

reference="${REFERENCE:-auto}"
if [ "$reference" = auto ]; then
    "$python" -c 'import torch, transformers, fastapi, uvicorn' 2>/dev/null && reference=1 || reference=0
fi
if [ "$reference" != 1 ]; then
    echo "FastAPI/PyTorch reference skipped (needs: scripts/python-env.sh -r bench/requirements.txt fastapi uvicorn)"
    exit 0
fi
free_port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
start_server "$work/reference.log" "$free_port" env MODEL="$model" THREADS="$threads" "$python" -m uvicorn \
    --app-dir bench serve_reference:app --host 127.0.0.1 --port "$free_port" --log-level warning --no-access-log
ref_port="$port"
warm "$ref_port"
read -r ref_hit_rps ref_hit_p50 ref_hit_p99 _ ref_hit_err < <(load "$ref_port" hits.txt 64 2)
read -r ref_miss_rps ref_miss_p50 ref_miss_p99 _ ref_miss_err < <(load "$ref_port" misses-reference.txt 64 2)
read -r _ ref_lone_p50 ref_lone_p99 _ _ < <(load "$ref_port" lone.txt 1 1)
kill -TERM "$(printf '%s\n' "${pids[@]}" | tail -1)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
printf '\nFastAPI + uvicorn + PyTorch %s (same model, %s torch threads)\n' "$("$python" -c 'import torch; print(torch.__version__)')" "$threads"
printf '  cache hits, 64 connections:     %8s req/s  p50 %6s ms  p99 %6s ms  querykind: %s the throughput\n' \
    "$ref_hit_rps" "$ref_hit_p50" "$ref_hit_p99" "$(ratio "$qk_hit_rps" "$ref_hit_rps")"
printf '  all misses, 64 concurrent:      %8s req/s  p50 %6s ms  p99 %6s ms  querykind: %s the throughput\n' \
    "$ref_miss_rps" "$ref_miss_p50" "$ref_miss_p99" "$(ratio "$qk_miss_rps" "$ref_miss_rps")"
printf '  one at a time, misses:                         p50 %6s ms  p99 %6s ms  querykind: %s lower p50\n' \
    "$ref_lone_p50" "$ref_lone_p99" "$(ratio "$ref_lone_p50" "$qk_lone_p50")"
