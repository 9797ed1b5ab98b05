#!/usr/bin/env bash
# `report --by day` at scale (issue 23 #5): a SQLite database of ROWS labeled rows spread over DAYS days (text times
# in a source column, and labeled_at), built with sqlite3 alone (no model run), then `report --by day` timed by
# labeled_at and by the source's column, with its peak RSS; SIZES other tables' sizes are measured the same way, so
# memory that grew with the table would show.
#
#   bench/trend_report.sh
#   env: ROWS (1000000), SIZES ("250000 ROWS"), DAYS (90), QUERYKIND_BIN (default: a release build, see setup.sh)
export PYTHON="${PYTHON:-python3}"   # only bench/gnu_time.py, which needs nothing installed
source "$(dirname "$0")/setup.sh"
rows="${ROWS:-1000000}"
days="${DAYS:-90}"
sizes="${SIZES:-250000 $rows}"

echo "$(cpu_summary); $("$querykind" --version 2>/dev/null | head -n 1 || echo querykind)"
for size in $sizes; do
    db="$work/trends-$size.db"
    sqlite3 "$db" "CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT, asked_at TEXT)"
    "$querykind" migrate --db "$db" --table queries >/dev/null
    # Row i: asked and labeled on day i mod DAYS from 2026-09-01; kinds and probabilities from a hash of i; every
    # 500th row an error row. One finished run labeled them all.
    sqlite3 "$db" <<SQL
PRAGMA journal_mode = WAL;
BEGIN;
INSERT INTO label_runs (id, command, status, model, source_table, text_column, id_column, host, pid, rows_scanned,
                        rows_labeled, cache_hits, inferences, rows_with_errors)
VALUES (1, 'label', 'finished', 'bench@0', 'queries', 'text', 'id', 'bench', 0, $size, $size, $((size / 3)),
        $((size - size / 3)), 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $size)
INSERT INTO queries (id, text, asked_at)
SELECT i, 'query ' || i, strftime('%Y-%m-%dT%H:%M:%SZ', '2026-09-01', '+' || (i % $days) || ' days',
                                 '+' || (i % 86400) || ' seconds') FROM n;
INSERT INTO query_labels (query_id, kind, p_keyword, p_question, error, model, labeled_at, run_id)
SELECT id, CASE WHEN id % 500 = 0 THEN NULL WHEN h < 0.45 THEN 'keyword' WHEN h < 0.8 THEN 'question'
                ELSE 'statement' END,
       CASE WHEN id % 500 = 0 THEN NULL WHEN h < 0.45 THEN 0.5 + h ELSE h / 2 END,
       CASE WHEN id % 500 = 0 THEN NULL WHEN h >= 0.45 AND h < 0.8 THEN h ELSE 1 - h END,
       CASE WHEN id % 500 = 0 THEN 'text is empty' END, 'bench@0', asked_at, 1
FROM (SELECT id, asked_at, ((id * 2654435761) % 1000) / 1000.0 AS h FROM queries);
COMMIT;
SQL
    for flags in "" "--time-column asked_at"; do
        # shellcheck disable=SC2086
        /usr/bin/time -v "$querykind" report --db "$db" --by day $flags --json >"$work/report.json" 2>"$work/time.txt"
        "$python" - "$work" "$size" "$flags" <<'PY'
import json, sys
sys.path.insert(0, ".")
from bench.gnu_time import usage
work, size, flags = sys.argv[1], int(sys.argv[2]), sys.argv[3]
wall, cpu, rss = usage(f"{work}/time.txt")
report = json.load(open(f"{work}/report.json"))
counted = sum(period["rows"] for period in report["periods"])
assert counted == size, f"the report counts {counted} rows of {size}"
print(f"report --by day {flags or '(labeled_at)':24} {size:>9} rows, {len(report['periods'])} days: "
      f"{wall:.2f} s wall, {cpu:.2f} s CPU, peak RSS {rss:.1f} MiB")
PY
    done
done
