#!/usr/bin/env bash
# The main job on the shipped model: builds querykind, creates a sample query log in SQLite
# (scripts/sample_queries.txt plus a NULL and a blank row), labels it, and prints the report.
set -euo pipefail
cd "$(dirname "$0")/.."
db="${1:-sample.db}"
scripts/install-deps.sh
swift build -c release --product querykind
rm -f "$db" "$db-wal" "$db-shm"
{
    echo "CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT, logged_at TEXT DEFAULT CURRENT_TIMESTAMP);"
    echo "BEGIN;"
    sed "s/'/''/g; s/.*/INSERT INTO queries (text) VALUES ('&');/" scripts/sample_queries.txt
    echo "INSERT INTO queries (text) VALUES (NULL), ('   ');"
    echo "COMMIT;"
} | sqlite3 "$db"
.build/release/querykind label --db "$db"
.build/release/querykind report --db "$db"
