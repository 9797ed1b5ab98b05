#!/usr/bin/env python3
"""Writes the realistic benchmark workload: the texts of the test split (sources the shipped model never trained
on: MIMICS and DBpedia-Entity queries, Quora and WikiQA questions, SICK and STS-B sentences, Switchboard and
SPAADIA dialogue turns, ...) with their real length distribution, shuffled with a fixed seed.

Why: `querykind bench`'s generated workload is short search queries only; what users classify also holds
conversational turns and sentences, whose token lengths decide the encoder's cost. The texts come from
../shared/corpora through training/build_datasets.py (run first when its output is missing); none is committed.

    python bench/realistic_workload.py OUT.txt [--queries 20000] [--seed 7]
"""
import argparse
import os
import random
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "training", "data")
SPLITS = ("test_keyword.tsv", "test_question.tsv")


def test_texts():
    """Distinct texts of both heads' test files, in file order (built on demand)."""
    if not all(os.path.exists(os.path.join(DATA, name)) for name in SPLITS):
        subprocess.run([sys.executable, os.path.join(REPO, "training", "build_datasets.py")], check=True,
                       stdout=subprocess.DEVNULL)
    seen, texts = set(), []
    for name in SPLITS:
        with open(os.path.join(DATA, name), encoding="utf-8") as handle:
            next(handle)
            for line in handle:
                text = line.rstrip("\n").split("\t")[0]
                if text not in seen:
                    seen.add(text)
                    texts.append(text)
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--queries", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    texts = test_texts()
    random.Random(args.seed).shuffle(texts)
    with open(args.out, "w", encoding="utf-8") as handle:
        for text in texts[:args.queries]:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
