#!/usr/bin/env bash
# The all-cache-hit path: a table of ROWS rows repeating DISTINCT texts whose labels are all cached already, labeled
# end to end with writes. Reports rows/s and microseconds of CPU per row: the cost querykind adds per row when
# the model has nothing to do (reading the row, its cache key, the cache lookup, and writing its label).
#
#   bench/cache_hits.sh [MODEL_DIR]     env: ROWS (300000), DISTINCT (2000), SCRATCH_PATH (.build)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
rows="${ROWS:-300000}"
distinct="${DISTINCT:-2000}"

"$querykind" bench --queries $((distinct * 2)) --seed 7 --write-workload "$work/workload.txt" --only-write-workload
python3 bench/make_nightly_db.py --workload "$work/workload.txt" --db "$work/hits.db" --rows "$rows" --distinct "$distinct"
# First pass: fills the cache (one inference per distinct text). Then forget the labels, keep the cache.
"$querykind" label --db "$work/hits.db" --model "$model" --json >/dev/null
python3 -c "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM query_labels'); c.commit()" \
    "$work/hits.db"
/usr/bin/time -v "$querykind" label --db "$work/hits.db" --model "$model" --json >"$work/summary.json" 2>"$work/time.txt"
python3 - "$work" "$rows" <<'PY'
import json, re, sys
work, rows = sys.argv[1], int(sys.argv[2])
summary = json.load(open(f"{work}/summary.json"))
timing = open(f"{work}/time.txt").read()
cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", timing).group(1)) for kind in ("User", "System"))
wall = summary["seconds"]
print(f"{rows} rows, {summary['counters']['cache_hits']} cache hits, {summary['counters']['inferences']} inferences: "
      f"{wall:.2f} s in the job ({rows / wall:,.0f} rows/s), {cpu:.2f} s CPU for the whole process "
      f"({cpu / rows * 1e6:.1f} µs per row) — target ≤ 8 µs: {'met' if cpu / rows * 1e6 <= 8 else 'NOT met'}")
PY
