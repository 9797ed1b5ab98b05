#!/usr/bin/env python3
"""Build the nightly benchmark database: a table of queries with Zipf-like repeats, like a real query log.

Reads the workload text `querykind bench --write-workload FILE` wrote (one query per line), keeps its first
`--distinct` different queries, and writes `--rows` rows to `queries(id INTEGER PRIMARY KEY, text TEXT)`:
every distinct query once, the remaining rows drawn with probability proportional to 1 / rank^s, all shuffled
with a fixed seed so every night labels the same table. Python standard library only.

    python3 bench/make_nightly_db.py --workload W.txt --db nightly.db [--rows 1000000] [--distinct 300000]
"""
import argparse
import itertools
import random
import sqlite3
import sys


def distinct_queries(path, limit):
    """The first `limit` different non-empty lines of `path`, in file order."""
    seen = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            text = line.rstrip("\n")
            if text and text not in seen:
                seen[text] = None
                if len(seen) == limit:
                    break
    return list(seen)


def zipf_rows(queries, rows, exponent, rng):
    """`rows` texts: each of `queries` once, the rest drawn Zipf-like (rank r with weight 1 / r^exponent)."""
    weights = list(itertools.accumulate(1 / (rank ** exponent) for rank in range(1, len(queries) + 1)))
    repeats = rng.choices(queries, cum_weights=weights, k=rows - len(queries))
    table = queries + repeats
    rng.shuffle(table)
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", required=True, help="query text, one per line (querykind bench --write-workload)")
    parser.add_argument("--db", required=True, help="SQLite file to create (must not exist)")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=300_000, help="different queries among the rows")
    parser.add_argument("--exponent", type=float, default=1.0, help="Zipf exponent of the repeats")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    queries = distinct_queries(args.workload, args.distinct)
    if len(queries) < args.distinct:
        sys.exit(f"{args.workload} has only {len(queries)} different queries; need {args.distinct} "
                 "(write a longer workload)")
    if args.rows < args.distinct:
        sys.exit("--rows must be at least --distinct")
    table = zipf_rows(queries, args.rows, args.exponent, random.Random(args.seed))

    db = sqlite3.connect(args.db)
    db.execute("CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    db.executemany("INSERT INTO queries (id, text) VALUES (?, ?)", enumerate(table, start=1))
    db.commit()
    db.close()
    print(f"{args.db}: {len(table)} rows, {len(queries)} distinct", file=sys.stderr)


if __name__ == "__main__":
    main()
