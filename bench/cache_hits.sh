#!/usr/bin/env bash
# The all-cache-hit path: a table of ROWS rows repeating DISTINCT texts whose labels are all cached already, labeled
# end to end with writes. Reports rows/s and microseconds of CPU per row: the cost querykind adds per row when
# the model has nothing to do (reading the row, its cache key, the cache lookup, and writing its label).
#
#   bench/cache_hits.sh [MODEL_DIR]
#   env: ROWS (300000), DISTINCT (2000), SCRATCH_PATH (.build),
#        BEFORE_BIN (another build, e.g. an earlier commit's: measured the same way right after, side by side)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
rows="${ROWS:-300000}"
distinct="${DISTINCT:-2000}"

"$querykind" bench --queries $((distinct * 2)) --seed 7 --write-workload "$work/workload.txt" --only-write-workload
"$python" bench/make_nightly_db.py --workload "$work/workload.txt" --db "$work/hits.db" --rows "$rows" --distinct "$distinct"

# Measures binary $1 (named $2 in its line) on a fresh copy of the table: a first pass fills the cache under that
# build's model id (one inference per distinct text); then the labels are forgotten, the cache kept, and the
# second pass, every row a cache hit, is timed.
measure() {
    local binary="$1" build="$2"
    cp "$work/hits.db" "$work/run.db"
    "$binary" label --db "$work/run.db" --model "$model" --json >/dev/null
    "$python" -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM query_labels'); c.commit()" \
        "$work/run.db"
    /usr/bin/time -v "$binary" label --db "$work/run.db" --model "$model" --json >"$work/summary.json" 2>"$work/time.txt"
    "$python" - "$work" "$rows" "$build" <<'PY'
import json, sys
from bench.gnu_time import usage
work, rows, build = sys.argv[1], int(sys.argv[2]), sys.argv[3]
summary = json.load(open(f"{work}/summary.json"))
wall, cpu, _ = usage(f"{work}/time.txt")
job = summary["seconds"]
print(f"{build}: {rows} rows, {summary['counters']['cache_hits']} cache hits, "
      f"{summary['counters']['inferences']} inferences: "
      f"{job:.2f} s in the labeling job ({rows / job:,.0f} rows/s; target >= 100,000), "
      f"{wall:.2f} s for the whole process with model loading ({rows / wall:,.0f} rows/s), "
      f"{cpu:.2f} s CPU for the whole process ({cpu / rows * 1e6:.1f} µs per row; target <= 8 µs: "
      f"{'met' if cpu / rows * 1e6 <= 8 else 'NOT met'})")
PY
}

measure "$querykind" this
if [ -n "${BEFORE_BIN:-}" ]; then
    measure "$BEFORE_BIN" before
fi
