#!/usr/bin/env bash
# The main job on the shipped model: builds querykind, creates a sample query log in SQLite
# (scripts/sample_queries.txt plus a NULL and a blank row), labels it, and prints the report.
#
#   scripts/demo.sh [DB] [--release]       (DB: sample.db, ignored by git)
#
# A debug build by default: the one scripts/test.sh builds too, so running both builds once. It labels the sample in
# about a second (1.3 s on 2 cores, model loading included), but a real table at about 430 rows/s, far below a
# release build: --release builds the optimized binary (docs/performance.md's figures), which takes far longer.
set -euo pipefail
cd "$(dirname "$0")/.."
db="sample.db"
configuration=debug
for argument in "$@"; do
    case "$argument" in
        --release) configuration=release ;;
        -*) echo "usage: scripts/demo.sh [DB] [--release]" >&2; exit 64 ;;
        *) db="$argument" ;;
    esac
done
scripts/install-deps.sh
if [ "$configuration" = release ]; then
    echo "demo.sh: building querykind in release: about 25 minutes on 2 cores the first time" >&2
else
    echo "demo.sh: building querykind in debug: about 5 minutes on 2 cores the first time (scripts/test.sh reuses it;" \
        "--release for the optimized build, about 25 minutes)" >&2
fi
swift build -c "$configuration" --product querykind
querykind=".build/$configuration/querykind"
rm -f "$db" "$db-wal" "$db-shm"
{
    echo "CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT, logged_at TEXT DEFAULT CURRENT_TIMESTAMP);"
    echo "BEGIN;"
    sed "s/'/''/g; s/.*/INSERT INTO queries (text) VALUES ('&');/" scripts/sample_queries.txt
    echo "INSERT INTO queries (text) VALUES (NULL), ('   ');"
    # Asked over the last two weeks, so `report --by day --time-column logged_at` has a trend to show.
    echo "UPDATE queries SET logged_at = datetime('now', '-' || (id % 14) || ' days', '-' || (id * 37 % 1440) || ' minutes');"
    echo "COMMIT;"
} | sqlite3 "$db"
"$querykind" label --db "$db"
"$querykind" report --db "$db"
