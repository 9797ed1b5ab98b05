#!/usr/bin/env bash
# The nightly job at full size: label a 1,000,000-row table with Zipf-like repeats (30% distinct) end to end,
# writes included, and report rows/s, wall time and peak memory. Targets: under 2 minutes in fp32, under 1 minute
# in a lower precision (QUERYKIND_PRECISION=int8 or bfloat16), memory flat in table size (compare ROWS=100000).
#
#   bench/nightly.sh [MODEL_DIR]        env: ROWS (1000000), DISTINCT (300000), SCRATCH_PATH (.build)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
rows="${ROWS:-1000000}"
distinct="${DISTINCT:-300000}"

# Twice the distinct count in generated queries is enough: short keyword queries repeat within the generator.
"$querykind" bench --queries $((distinct * 2)) --seed 7 --write-workload "$work/workload.txt" --only-write-workload
python3 bench/make_nightly_db.py --workload "$work/workload.txt" --db "$work/nightly.db" \
    --rows "$rows" --distinct "$distinct"

/usr/bin/time -v "$querykind" label --db "$work/nightly.db" --model "$model" --json \
    >"$work/summary.json" 2>"$work/time.txt"
cat "$work/summary.json"

python3 - "$work" "$rows" <<'PY'
import os, re, sys
work, rows = sys.argv[1], int(sys.argv[2])
timing = open(f"{work}/time.txt").read()
clock = re.search(r"Elapsed \(wall clock\) time.*: (.+)", timing).group(1).split(":")
seconds = sum(float(part) * 60 ** power for power, part in enumerate(reversed(clock)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1)) / 1024
cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", timing).group(1)) for kind in ("User", "System"))
precision = os.environ.get("QUERYKIND_PRECISION") or "float32"
target = 120 if precision == "float32" else 60
print(f"{rows} rows ({precision}) in {seconds:.1f} s wall ({rows / seconds:,.0f} rows/s), {cpu:.1f} s CPU, "
      f"max RSS {rss:.0f} MiB — target < {target} s: {'met' if seconds < target else 'NOT met'}")
PY
