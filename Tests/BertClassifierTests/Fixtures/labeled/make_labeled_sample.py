#!/usr/bin/env python3
"""Sample the small labeled files that the int8 end-to-end test scores the shipped model on.

Why: `querykind eval` must be checked on real labeled queries in CI, which has no training/data. The rows come from
the dev split (training sources only, whose licences allow commercial use; see the model card), so committing them
leaks nothing about the test split. Run after `python training/build_datasets.py`:

    python Tests/BertClassifierTests/Fixtures/labeled/make_labeled_sample.py [--data training/data]

Writes keyword.tsv and question.tsv (text<TAB>label<TAB>source, header row) next to this script.
"""
import argparse
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS = 500
SEED = 15


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=HERE.parents[3] / "training" / "data")
    args = parser.parse_args()
    for head in ("keyword", "question"):
        header, *rows = (args.data / f"dev_{head}.tsv").read_text(encoding="utf-8").splitlines()
        sample = sorted(random.Random(SEED).sample(rows, ROWS))
        (HERE / f"{head}.tsv").write_text("\n".join([header, *sample]) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
