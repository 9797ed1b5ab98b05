#!/usr/bin/env bash
# Many workers on one PostgreSQL table: rows/s of 1, 2 and 4 concurrent `querykind label` processes on one local
# PostgreSQL (a throwaway cluster from scripts/postgres.sh, durable: fsync on), beside one SQLite worker on the same
# table, in one run. The table is the nightly one (bench/make_nightly_db.py: Zipf-like repeats) at a smaller size;
# every run starts from the same unlabeled table and an empty cache, migrated beforehand (not timed).
# Also prints, per batch, the statements the workers ran and their execution time (pg_stat_statements) and the
# transactions they committed (pg_stat_database.xact_commit), and the statements that took the most time.
#
#   bench/pg_workers.sh [MODEL_DIR]   env: ROWS (100000), DISTINCT (30000), WORKERS ("1 2 4"),
#                                          ROWS_PER_TRANSACTION (2048), THREADS (per worker; default cores / workers),
#                                          SCRATCH_PATH (.build), QUERYKIND_BIN (a built binary instead)
source "$(dirname "$0")/setup.sh"
model="${1:-Models/querykind-minilm-l3}"
rows="${ROWS:-100000}"
distinct="${DISTINCT:-30000}"
workers_list="${WORKERS:-1 2 4}"
per_transaction="${ROWS_PER_TRANSACTION:-2048}"
cores="$(nproc)"

# The cluster goes with the scratch folder, whatever way the script ends.
pg_dir=""
trap 'if [ -n "$pg_dir" ]; then scripts/postgres.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi; rm -rf "$work"' EXIT
cluster_env="$(QUERYKIND_PG_DURABLE=1 scripts/postgres.sh start)"
eval "$cluster_env"
pg_dir="$QUERYKIND_TEST_POSTGRES_DIR"
cluster="$QUERYKIND_TEST_POSTGRES_URL"             # .../postgres
base="${cluster%/postgres}"
sql() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$1" -c "$2"; }

# The nightly table at this size, once as SQLite (bench/nightly.sh's steps), then copied into PostgreSQL.
"$querykind" bench --queries $((distinct * 2)) --seed 7 --write-workload "$work/workload.txt" --only-write-workload
"$python" bench/make_nightly_db.py --workload "$work/workload.txt" --db "$work/source.db" \
    --rows "$rows" --distinct "$distinct"
sql "$cluster" "CREATE DATABASE bench_source"
sql "$base/bench_source" "CREATE TABLE queries (id bigint PRIMARY KEY, text text NOT NULL)"
"$python" - "$work/source.db" <<'PY' | sql "$base/bench_source" "COPY queries (id, text) FROM STDIN"
import sqlite3, sys
escape = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
for row_id, text in sqlite3.connect(sys.argv[1]).execute("SELECT id, text FROM queries ORDER BY id"):
    sys.stdout.write(f"{row_id}\t{text.translate(escape)}\n")
PY
sql "$base/bench_source" "VACUUM ANALYZE queries"
has_statements=$(sql "$cluster" "SELECT count(*) FROM pg_settings
    WHERE name = 'shared_preload_libraries' AND setting LIKE '%pg_stat_statements%'")

# Starts N workers at once on DB (a --db value), waits for all, and writes "wall_seconds labeled+errors" to $work/$2.
run_workers() {  # N NAME DB
    local n="$1" name="$2" db="$3" threads="${THREADS:-$(( cores / $1 > 0 ? cores / $1 : 1 ))}" pids=() i start end
    start=$(date +%s.%N)
    for i in $(seq 1 "$n"); do
        "$querykind" label --db "$db" --model "$model" --json --rows-per-transaction "$per_transaction" \
            --threads "$threads" >"$work/$name.$i.json" 2>"$work/$name.$i.err" &
        pids+=($!)
    done
    for i in "${!pids[@]}"; do
        wait "${pids[$i]}" || { echo "worker $((i + 1)) of $name failed:" >&2; cat "$work/$name.$((i + 1)).err" >&2; exit 1; }
    done
    end=$(date +%s.%N)
    "$python" - "$work" "$name" "$n" "$start" "$end" <<'PY' >"$work/$name.result"
import json, sys
work, name, n, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
done = 0
for i in range(1, n + 1):
    counters = json.load(open(f"{work}/{name}.{i}.json"))["counters"]
    done += counters["rows_labeled"] + counters["rows_with_errors"]
print(f"{end - start:.3f} {done}")
PY
}

# SQLite: one worker (it refuses a second on the same table).
cp "$work/source.db" "$work/sqlite.db"
"$querykind" migrate --db "$work/sqlite.db" >/dev/null
run_workers 1 sqlite "$work/sqlite.db"
echo "sqlite 1 $(cat "$work/sqlite.result") - - -" >"$work/table.txt"

for n in $workers_list; do
    db="bench_w$n"
    sql "$cluster" "CREATE DATABASE $db TEMPLATE bench_source"
    "$querykind" migrate --db "$base/$db" >/dev/null
    if [ "$has_statements" = "1" ]; then
        sql "$base/$db" "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
    fi
    sql "$base/$db" "SELECT pg_stat_reset()" >/dev/null
    run_workers "$n" "pg$n" "$base/$db"
    sleep 1   # backends report their statistics as they exit; give the last ones a moment
    commits=$(sql "$base/$db" "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
    statements="-" db_ms="-"
    if [ "$has_statements" = "1" ]; then
        db_ms=$(sql "$base/$db" "SELECT round(coalesce(sum(total_exec_time), 0)) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat%'")
        statements=$(sql "$base/$db" "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat%'")
        sql "$base/$db" "SELECT calls, round(total_exec_time), left(regexp_replace(query, '\s+', ' ', 'g'), 90)
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND query NOT ILIKE '%pg_stat%' ORDER BY total_exec_time DESC LIMIT 6" >"$work/pg$n.statements"
    fi
    labels=$(sql "$base/$db" "SELECT count(*) FROM query_labels")
    [ "$labels" = "$rows" ] || { echo "$n workers left $labels labels for $rows rows" >&2; exit 1; }
    echo "postgres $n $(cat "$work/pg$n.result") $statements $commits $db_ms" \
        >>"$work/table.txt"
done

"$python" - "$work" "$rows" "$distinct" "$per_transaction" "$model" "$cores" <<'PY'
import glob, math, sys
work, rows, distinct, per_transaction, model, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
batches = math.ceil(rows / per_transaction)
print(f"{rows:,} rows ({distinct:,} distinct), {per_transaction} rows per transaction (~{batches} batches), "
      f"model {model}, {cores} cores")
print("stmts/batch, commits/batch, db ms/batch: PostgreSQL's counts and statement execution time over the whole run\n"
      "(each worker's start-up, claims, writes, lease renewals and end) divided by the number of batches")
print(f"{'store':<9} {'workers':>7} {'wall s':>8} {'rows/s':>9} {'vs 1 pg':>8} {'stmts/batch':>12} {'commits/batch':>14}"
      f" {'db ms/batch':>12}")
single = None
for line in open(f"{work}/table.txt"):
    store, n, wall, done, statements, commits, db_ms = line.split()
    wall, done = float(wall), int(done)
    if done != rows:
        print(f"  ({store} {n}: the workers' counters add up to {done:,}, not {rows:,})")
    rate = rows / wall
    if store == "postgres" and single is None:
        single = rate
    speedup = f"{rate / single:.2f}x" if store == "postgres" else "-"
    per = lambda value: f"{float(value) / batches:.1f}" if value != "-" else "-"
    print(f"{store:<9} {n:>7} {wall:>8.1f} {rate:>9,.0f} {speedup:>8} {per(statements):>12} {per(commits):>14}"
          f" {per(db_ms):>12}")
for path in sorted(glob.glob(f"{work}/pg*.statements")):
    print(f"\nstatements by execution time, {path.rsplit('/', 1)[1].split('.')[0][2:]} worker(s) (calls, ms, statement):")
    for line in open(path):
        calls, ms, query = line.rstrip("\n").split("|", 2)
        print(f"  {int(calls):>6} {int(ms):>7}  {query}")
PY
