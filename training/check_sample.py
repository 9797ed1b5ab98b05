#!/usr/bin/env python3
"""Check a model's kinds on the demo's sample log (scripts/sample_queries.txt).

Why: the demo is the first thing a user runs, so every one of its rows must get the kind
written in training/sample_kinds.tsv (`text<TAB>kind`; "question|statement" where either
is right, as for "how to X" fragments, which are natural language of no fixed kind).
Scores the Python model by default, or the Swift engine with `--querykind BIN` (runs
`BIN classify --model DIR --json` on the sample).  Exits 1 on any wrong row.

Usage: python training/check_sample.py [--model Models/querykind-minilm-l3] [--querykind .build/release/querykind]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def kind_of(p_keyword: float, p_question: float) -> str:
    """querykind's rule: keyword if p_keyword >= 0.5, else question or statement by p_question."""
    if p_keyword >= 0.5:
        return "keyword"
    return "question" if p_question >= 0.5 else "statement"


def expected_kinds(path: str) -> dict[str, set[str]]:
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    return {text: set(kinds.split("|")) for text, kinds in rows}


def python_kinds(model_dir: str, texts: list[str]) -> list[str]:
    from model import from_export, load_tokenizer, predict_probs
    p_kw, p_q = predict_probs(from_export(model_dir), load_tokenizer(model_dir), texts, 512)
    return [kind_of(k, q) for k, q in zip(p_kw, p_q)]


def swift_kinds(binary: str, model_dir: str, texts: list[str]) -> list[str]:
    out = subprocess.run([binary, "classify", "--model", model_dir, "--json"], input="\n".join(texts) + "\n",
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line)["kind"] for line in out.splitlines() if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(REPO, "Models", "querykind-minilm-l3"))
    ap.add_argument("--querykind", metavar="BIN", help="score the Swift engine instead of the Python model")
    ap.add_argument("--sample", default=os.path.join(REPO, "scripts", "sample_queries.txt"))
    ap.add_argument("--kinds", default=os.path.join(HERE, "sample_kinds.tsv"))
    args = ap.parse_args()
    with open(args.sample, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    expected = expected_kinds(args.kinds)
    missing = [t for t in texts if t not in expected]
    if missing:
        raise SystemExit(f"error: no expected kind in {args.kinds} for {missing[:3]}")
    got = swift_kinds(args.querykind, args.model, texts) if args.querykind else python_kinds(args.model, texts)
    wrong = [(t, k) for t, k in zip(texts, got) if k not in expected[t]]
    for text, kind in wrong:
        print(f"wrong: {text!r} labelled {kind}, expected {'|'.join(sorted(expected[text]))}")
    print(f"{len(texts) - len(wrong)} of {len(texts)} sample rows right")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
