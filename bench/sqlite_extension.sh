#!/usr/bin/env bash
# Classify from SQL (docs/sqlite-extension.md): the loadable extension in the real sqlite3 shell against
# `querykind classify --json`, in one run on one table of QUERIES distinct texts (`querykind bench`'s generated
# search queries):
#   1. `classify --json < texts`, the whole process (model loading included): the rate to match;
#   2. `SELECT … FROM querykind_classify((SELECT json_group_array(text) FROM queries))` in a fresh sqlite3 process,
#      the whole process (loading the extension and the model included) and the statement alone (target: >= 80%
#      of 1);
#   3. the same scalar query over the same rows, repeated with every label cached in memory (target: >= 200,000
#      rows/s), and once in a fresh process with every label in the database's label_cache instead.
#
#   bench/sqlite_extension.sh [MODEL_DIR] [THREADS]
#   env: QUERIES (20000), SCRATCH_PATH (.build)
source "$(dirname "$0")/setup.sh"
model="$(cd "${1:-Models/querykind-minilm-l3}" && pwd)"
threads="${2:-$(nproc)}"
queries="${QUERIES:-20000}"
swift build -c release --scratch-path "${SCRATCH_PATH:-.build}" --product querykind-sqlite >&2
extension="$(cd "${SCRATCH_PATH:-.build}/release" && pwd)/libquerykind-sqlite"
export QUERYKIND_MODEL="$model" QUERYKIND_THREADS="$threads"

# QUERIES distinct texts: the generator repeats itself, so ask for more and keep the first of each.
"$querykind" bench --queries $((queries * 3 / 2)) --write-workload "$work/generated.txt" --only-write-workload
awk -v limit="$queries" '!seen[$0]++ { print; if (++kept == limit) exit }' "$work/generated.txt" >"$work/texts.txt"
[ "$(wc -l <"$work/texts.txt")" -eq "$queries" ] || { echo "fewer than $queries distinct texts" >&2; exit 1; }
"$python" - "$work/texts.txt" "$work/bench.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT)")
db.executemany("INSERT INTO queries (text) VALUES (?)", ((line.rstrip("\n"),) for line in open(sys.argv[1])))
db.commit()
PY

# Wall seconds of a command (its standard input from $1, output to $2).
seconds() {
    local input="$1" output="$2"; shift 2
    local start end
    start=$(date +%s%N)
    "$@" <"$input" >"$output"
    end=$(date +%s%N)
    awk -v ns="$((end - start))" 'BEGIN { print ns / 1e9 }'
}
# The statement times `.timer on` printed in $1, one per line.
statement_seconds() { awk '/^Run Time:/ { print $4 }' "$1"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

classify=$(seconds "$work/texts.txt" "$work/classify.jsonl" "$querykind" classify --json --threads "$threads")

cat >"$work/table.sql" <<SQL
.load $extension
.timer on
SELECT count(*), sum(kind = 'question') FROM querykind_classify((SELECT json_group_array(text) FROM queries));
SELECT count(querykind_kind(text)) FROM queries;
SELECT count(querykind_kind(text)) FROM queries;
SELECT count(querykind_kind(text)) FROM queries;
SQL
table_process=$(seconds "$work/table.sql" "$work/table.out" sqlite3 "$work/bench.db")
mapfile -t table_times < <(statement_seconds "$work/table.out")

# The same labels from label_cache in a fresh process: classify's labels written there by querykind lookup.
"$querykind" migrate --db "$work/bench.db" >/dev/null
"$querykind" lookup --db "$work/bench.db" --json <"$work/texts.txt" >/dev/null
cat >"$work/stored.sql" <<SQL
.load $extension
.timer on
SELECT count(querykind_kind(text)) FROM queries;
SELECT count(querykind_kind(text)) FROM queries;
SQL
sqlite3 "$work/bench.db" <"$work/stored.sql" >"$work/stored.out"
mapfile -t stored_times < <(statement_seconds "$work/stored.out")

echo "$queries distinct texts, $threads threads, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
printf '%-58s %9s %12s\n' measure seconds rate
printf '%-58s %9.2f %8s q/s\n' "classify --json, whole process" "$classify" "$(rate "$queries" "$classify")"
printf '%-58s %9.2f %8s q/s\n' "querykind_classify, whole sqlite3 process" "$table_process" \
    "$(rate "$queries" "$table_process")"
printf '%-58s %9.2f %8s q/s\n' "querykind_classify, the statement" "${table_times[0]}" \
    "$(rate "$queries" "${table_times[0]}")"
for run in 1 2 3; do
    printf '%-58s %9.3f %8s rows/s\n' "querykind_kind over every row, memory-cached, run $run" "${table_times[$run]}" \
        "$(rate "$queries" "${table_times[$run]}")"
done
printf '%-58s %9.3f %8s rows/s\n' "querykind_kind, fresh process, from label_cache" "${stored_times[0]}" \
    "$(rate "$queries" "${stored_times[0]}")"
printf '%-58s %9.3f %8s rows/s\n' "querykind_kind, same process, then from memory" "${stored_times[1]}" \
    "$(rate "$queries" "${stored_times[1]}")"
awk -v c="$classify" -v p="$table_process" -v t="${table_times[0]}" 'BEGIN {
    printf "querykind_classify / classify --json: %.2fx whole process, %.2fx statement (target >= 0.80)\n", c / p, c / t }'
