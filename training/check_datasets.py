#!/usr/bin/env python3
"""Check the promises build_datasets.py makes about training/data/.

Why: the model card's numbers are only meaningful if the splits are what the card says:
rebuilt byte-identically from the same corpora and seed, and no normalized text shared
between what the model trained on (train, dev) and what it is measured on (test, late, late_v3),
nor between train and dev.  Exits 1 on any failure.

Usage: python training/check_datasets.py [--data training/data] [--corpora ../shared/corpora]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile

from textnorm import normalize

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def keys(data: str, split: str) -> set[str]:
    out = set()
    for head in ("keyword", "question"):
        with open(os.path.join(data, f"{split}_{head}.tsv"), encoding="utf-8") as f:
            next(f)
            out |= {normalize(line.split("\t")[0]) for line in f if line.strip()}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(REPO, "training", "data"))
    ap.add_argument("--corpora", default=os.path.normpath(os.path.join(REPO, "..", "shared", "corpora")))
    args = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as rebuilt:
        subprocess.run([sys.executable, os.path.join(HERE, "build_datasets.py"), "--corpora", args.corpora,
                        "--out", rebuilt], check=True, stdout=subprocess.DEVNULL)
        names = sorted(os.listdir(rebuilt))
        _, mismatch, missing = filecmp.cmpfiles(args.data, rebuilt, names, shallow=False)
        failures += [f"{name} differs from a rebuild" for name in mismatch + missing]
        print(f"rebuild: {len(names) - len(mismatch) - len(missing)} of {len(names)} files byte-identical")
    hold_outs = ("test", "late", "late_v3")
    split = {name: keys(args.data, name) for name in ("train", "dev") + hold_outs}
    for a, b in [(seen, held) for held in hold_outs for seen in ("train", "dev")] + [("train", "dev")]:
        shared = split[a] & split[b]
        print(f"{a} / {b}: {len(shared)} shared normalized texts")
        if shared:
            failures.append(f"{a} and {b} share {len(shared)} texts, e.g. {sorted(shared)[:3]}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
