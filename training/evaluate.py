#!/usr/bin/env python3
"""Evaluate an exported querykind model directory on labelled TSVs.

Why: the model card's numbers must come from the exported fp16 files (what users
get), scored the same way as `querykind eval`: per head, accuracy on the text as
written ("raw") and on a lower-cased, punctuation-stripped copy ("normalized", see
textnorm.py), overall and per source.

Input rows: `text<TAB>label[<TAB>source]`, header allowed; labels keyword/natural
(head keyword) or question/statement (head question).
Usage: python training/evaluate.py [--model Models/querykind-minilm-l3]
           [--keyword training/data/test_keyword.tsv] [--question training/data/test_question.tsv] [--json]
"""

from __future__ import annotations

import argparse
import collections
import json
import os

import torch

from model import from_export, load_tokenizer, predict_probs
from textnorm import normalize

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POSITIVE = {"keyword": "keyword", "question": "question"}   # label predicted when the head's p >= 0.5
NEGATIVE = {"keyword": "natural", "question": "statement"}


def read_tsv(path: str, head: str) -> list[tuple[str, str, str]]:
    """(text, label, source) rows; rows with an unknown label (e.g. a header) are skipped."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1] in (POSITIVE[head], NEGATIVE[head]):
                rows.append((cols[0], cols[1], cols[2] if len(cols) > 2 else "all"))
    return rows


def score(model, tok, rows, head: str, transform, max_length: int, mistakes: int) -> dict:
    texts = [transform(r[0]) for r in rows]
    p_kw, p_q = predict_probs(model, tok, texts, max_length)
    probs = p_kw if head == "keyword" else p_q
    per_source: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    wrong = []
    for text, (_, label, source), p in zip(texts, rows, probs):
        predicted = POSITIVE[head] if p >= 0.5 else NEGATIVE[head]
        per_source[source][0] += predicted == label
        per_source[source][1] += 1
        if predicted != label:
            wrong.append((abs(p - 0.5), text, label, source, round(p, 4)))
    correct = sum(c for c, _ in per_source.values())
    return {"accuracy": correct / max(len(rows), 1), "n": len(rows),
            "per_source": {s: {"accuracy": c / n, "n": n} for s, (c, n) in sorted(per_source.items())},
            "top_mistakes": [{"text": t, "label": l, "source": s, "p": p}
                             for _, t, l, s, p in sorted(wrong, reverse=True)[:mistakes]]}


def print_markdown(result: dict) -> None:
    """Overall and per-source accuracy tables in the model card's format."""
    heads = [h for h in ("keyword", "question") if h in result]
    print("| head | rows | raw | normalized |\n|---|---:|---:|---:|")
    for head in heads:
        raw, norm = result[head]["raw"], result[head]["normalized"]
        print(f"| {head} | {raw['n']} | {raw['accuracy']:.4f} | {norm['accuracy']:.4f} |")
    for head in heads:
        raw, norm = result[head]["raw"], result[head]["normalized"]
        print(f"\nhead `{head}`, per source:\n\n| source | rows | raw | normalized |\n|---|---:|---:|---:|")
        for source, r in raw["per_source"].items():
            print(f"| {source} | {r['n']} | {r['accuracy']:.4f} | {norm['per_source'][source]['accuracy']:.4f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(REPO, "Models", "querykind-minilm-l3"))
    ap.add_argument("--keyword", default=os.path.join(REPO, "training", "data", "test_keyword.tsv"))
    ap.add_argument("--question", default=os.path.join(REPO, "training", "data", "test_question.tsv"))
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mistakes", type=int, default=10)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    ap.add_argument("--markdown", action="store_true", help="print the model card's metric tables")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    model, tok = from_export(args.model), load_tokenizer(args.model)
    result = {"model": args.model}
    for head, path in (("keyword", args.keyword), ("question", args.question)):
        if not path:
            continue
        if not os.path.isfile(path):
            raise SystemExit(f"error: {path} not found (run training/build_datasets.py first)")
        rows = read_tsv(path, head)
        result[head] = {"file": path,
                        "raw": score(model, tok, rows, head, lambda t: t, args.max_length, args.mistakes),
                        "normalized": score(model, tok, rows, head, normalize, args.max_length, args.mistakes)}

    if args.json:
        print(json.dumps(result, indent=1))
        return
    if args.markdown:
        print_markdown(result)
        return
    for head in ("keyword", "question"):
        if head not in result:
            continue
        raw, norm = result[head]["raw"], result[head]["normalized"]
        print(f"\nhead {head}: {raw['n']} rows  raw {raw['accuracy']:.4f}  normalized {norm['accuracy']:.4f}")
        print(f"  {'source':28s} {'n':>6s} {'raw':>7s} {'norm':>7s}")
        for source, r in raw["per_source"].items():
            print(f"  {source:28s} {r['n']:6d} {r['accuracy']:7.4f} {norm['per_source'][source]['accuracy']:7.4f}")
        for kind, block in (("raw", raw), ("normalized", norm)):
            print(f"  most confident mistakes ({kind}):")
            for m in block["top_mistakes"]:
                print(f"    p={m['p']:.3f} {m['label']:9s} {m['source']:18s} {m['text'][:100]}")


if __name__ == "__main__":
    main()
