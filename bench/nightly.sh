#!/usr/bin/env bash
# The nightly job at full size: label a table with Zipf-like repeats (30% distinct) end to end, writes included,
# once per precision and table size in one run, and report rows/s, wall time, CPU and peak memory side by side.
# Targets: under 2 minutes in fp32 and under 1 minute in a lower precision at 1,000,000 rows; memory flat in table
# size (ROWS="100000 1000000" compares the two sizes in one run).
#
#   bench/nightly.sh [MODEL_DIR]
#   env: ROWS ("1000000"; a list runs each size), DISTINCT (30% of each size), SCRATCH_PATH (.build),
#        PRECISIONS ("float32 int8 bfloat16"; one the build or CPU lacks runs fp32, and the line says so),
#        BEFORE_BIN (another build, e.g. an earlier commit's: each run is repeated with it, side by side)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"

# Labels a fresh copy of $1 (a table of $2 rows) in precision $3 with binary $4 under /usr/bin/time, then prints one
# line (headed by $5, the build's name).
label_copy() {
    local db="$1" rows="$2" precision="$3" binary="$4" build="$5"
    cp "$db" "$work/run.db"
    # The environment, not --precision, so that BEFORE_BIN can name a build from before that flag existed.
    QUERYKIND_PRECISION="$precision" /usr/bin/time -v "$binary" label --db "$work/run.db" --model "$model" --json \
        >"$work/summary.json" 2>"$work/time.txt"
    "$python" - "$work" "$rows" "$precision" "$build" <<'PY'
import json, sys
from bench.gnu_time import usage
work, rows, precision, build = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
seconds, cpu, rss = usage(f"{work}/time.txt")
model = json.load(open(f"{work}/summary.json"))["model"]
ran = "int8" if model.endswith("+int8") else "bfloat16" if model.endswith("+bf16") else "float32"
target = 120 if ran == "float32" else 60
verdict = f"target < {target} s at 1M rows: {'met' if seconds < target else 'NOT met'}" if rows >= 1_000_000 else ""
fallback = "" if ran == precision else f" (asked {precision}: not in this build or CPU)"
print(f"{build:<7}{rows:>9,} rows  {ran:<8}{fallback}  {seconds:6.1f} s wall  {rows / seconds:>8,.0f} rows/s  "
      f"{cpu:6.1f} s CPU  max RSS {rss:4.0f} MiB  {verdict}")
PY
}

for rows in ${ROWS:-1000000}; do
    distinct="${DISTINCT:-$((rows * 3 / 10))}"
    # Twice the distinct count in generated queries is enough: short keyword queries repeat within the generator.
    "$querykind" bench --queries $((distinct * 2)) --seed 7 --write-workload "$work/workload.txt" --only-write-workload
    rm -f "$work/nightly.db"
    "$python" bench/make_nightly_db.py --workload "$work/workload.txt" --db "$work/nightly.db" \
        --rows "$rows" --distinct "$distinct" >&2
    for precision in ${PRECISIONS:-float32 int8 bfloat16}; do
        label_copy "$work/nightly.db" "$rows" "$precision" "$querykind" "this"
        if [ -n "${BEFORE_BIN:-}" ]; then
            label_copy "$work/nightly.db" "$rows" "$precision" "$BEFORE_BIN" "before"
        fi
    done
done
