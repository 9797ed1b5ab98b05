#!/usr/bin/env python3
"""Compare querykind's Swift tokenizer with HuggingFace's over every text in ../shared/corpora.

Why: the committed fixture (Tests/BertTokenizerTests/Fixtures) covers edge cases; this run checks
the hundreds of thousands of real queries and sentences querykind will see. It also checks the cache
key properties (encode(normalize(x)) == encode(x), normalize idempotent) on all of them, in Swift.

Usage (from the repository root):
    pip install -r training/requirements.txt            # transformers 5
    python scripts/tokenizer_parity_at_scale.py [--corpora ../shared/corpora] [--scratch-path .build]

It parses every source described in corpora/SOURCES.md (each text field of each line), keeps the
unique non-empty texts, has HuggingFace's BertTokenizer (bert-base-uncased vocab committed under
Tests/BertTokenizerTests/Fixtures/vocab, truncation at 512) tokenize them, and gets Swift's ids
through the test `CorpusExportTests`, which runs only when QUERYKIND_TOKENIZE_FILE is set.
Prints the number of texts compared and of differences (with the first few); exit status 1 if any.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from transformers import BertTokenizer

ROOT = Path(__file__).resolve().parent.parent
VOCAB_DIR = ROOT / "Tests/BertTokenizerTests/Fixtures/vocab"
XML_FIELDS = re.compile(r"<(query|description|subtopic|content|question|narrative|title)\b[^>]*>(.*?)</\1>", re.S)
SGML_FIELDS = re.compile(r"<(title|desc|narr)>(.*?)(?=<)", re.S)
SGML_LABEL = re.compile(r"^\s*(Topic|Description|Narrative|Title)\s*:", re.I)
SPAADIA_UNIT = re.compile(r"<(decl|q-yn|q-wh|imp|frag|dm|q-[a-z]+|exclam|yes|no|thank|bye|greet)\b[^>]*>(.*?)</\1>", re.S)
TAG = re.compile(r"<[^>]*>")


def lines(path: Path):
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        for line in handle:
            yield line.rstrip("\r\n")


def columns(path: Path, indices, sep="\t", skip_header=False):
    for n, line in enumerate(lines(path)):
        if skip_header and n == 0:
            continue
        fields = line.split(sep)
        for i in indices:
            if i < len(fields):
                yield fields[i]


def anserini(path: Path):
    name = path.name
    text = path.read_text(encoding="utf-8", errors="replace")
    if name.endswith(".json"):
        for item in json.loads(text):
            for key in ("question", "query", "background"):
                if isinstance(item.get(key), str):
                    yield item[key]
    elif name.startswith("topics.mq.") or name == "topics.terabyte05.efficiency.txt":
        for line in text.splitlines():
            parts = line.split(":")
            yield ":".join(parts[2:] if len(parts) > 2 and parts[1].isdigit() else parts[1:])
    elif name.startswith("topics.car17"):
        for line in text.splitlines():
            yield urllib.parse.unquote(line.split(":", 1)[-1]).replace("/", " / ")
    elif name == "topics.cacm.txt":
        for body in re.findall(r"</DOCNO>(.*?)</DOC>", text, re.S):
            yield body
    elif "<top>" in text:
        for _, body in SGML_FIELDS.findall(text):
            yield SGML_LABEL.sub("", body)
    elif text.lstrip().startswith("<"):
        for _, body in XML_FIELDS.findall(text):
            yield html.unescape(TAG.sub("", body))
    elif name.startswith("topics.nq."):
        for line in text.splitlines():
            yield line.split("\t")[0]
    else:  # id<TAB>text
        for line in text.splitlines():
            fields = line.split("\t")
            if len(fields) >= 2:
                yield fields[1]


def corpus_texts(corpora: Path):
    """Every text field of every source in SOURCES.md."""
    for path in sorted((corpora / "anserini-topics").iterdir()):
        yield from anserini(path)
    yield from columns(corpora / "mimics/MIMICS-Manual.tsv", [0, 1, 2, 3, 4, 5, 6], skip_header=True)
    for path in sorted((corpora / "entity-search-queries").glob("*.txt")):
        yield from columns(path, [1])
    for path in sorted((corpora / "query-wellformedness").glob("*.tsv")):
        yield from columns(path, [0])
    for path in sorted((corpora / "spaadia").glob("*.xml")):
        for _, body in SPAADIA_UNIT.findall(path.read_text(encoding="utf-8", errors="replace")):
            yield html.unescape(TAG.sub("", body))
    for path in sorted((corpora / "qnli").glob("*.tsv")):
        yield from columns(path, [1, 2], skip_header=True)
    for path in sorted((corpora / "wikiqa").glob("WikiQA-*")):
        yield from columns(path, [1, 5], skip_header=path.suffix == ".tsv")
    for path in sorted((corpora / "trec-qc").glob("*.label")):
        for line in lines(path):
            yield line.split(" ", 1)[-1]
    for path in sorted((corpora / "webquestions").glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            yield item.get("utterance", "")
    for path in sorted((corpora / "simplequestions").glob("annotated_fb_data_*.txt")):
        yield from columns(path, [3])
    for path in sorted((corpora / "sick").glob("SICK_*.txt")):
        yield from columns(path, [1, 2], skip_header=True)
    for path in sorted((corpora / "stsbenchmark").glob("sts-*.csv")):
        yield from columns(path, [5, 6])
    for path in sorted((corpora / "swda").glob("swda_*.psv")):
        yield from columns(path, [2], sep="|")


def swift_ids(texts, package: Path, scratch: str, configuration: str):
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "texts.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for text in texts:
                out.write(json.dumps({"text": text}) + "\n")
        command = ["swift", "test", "-c", configuration, "--filter", "BertTokenizerTests.CorpusExportTests"]
        if scratch:
            command += ["--scratch-path", scratch]
        env = dict(os.environ, QUERYKIND_TOKENIZE_FILE=str(source))
        result = subprocess.run(command, cwd=package, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
            sys.exit("swift test failed (see above)")
        for line in (result.stdout + result.stderr).splitlines():
            if "exported ids" in line:
                print("swift:", line.strip())
        ids_path = Path(str(source) + ".ids")
        return [[int(x) for x in line.split()] for line in ids_path.read_text().splitlines()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/corpora")
    parser.add_argument("--scratch-path", default="", help="passed to swift test")
    parser.add_argument("--package-path", type=Path, default=ROOT,
                        help="package whose BertTokenizerTests to run (default: this repository)")
    parser.add_argument("--configuration", default="release", choices=["debug", "release"])
    args = parser.parse_args()

    texts = sorted({t for t in corpus_texts(args.corpora) if t.strip()})
    non_ascii = sum(1 for t in texts if not t.isascii())
    print(f"{len(texts)} unique texts ({non_ascii} with non-ASCII characters) from {args.corpora}")
    tokenizer = BertTokenizer.from_pretrained(str(VOCAB_DIR))
    expected = tokenizer(texts, truncation=True, max_length=512)["input_ids"]
    if all(set(ids[1:-1]) <= {tokenizer.unk_token_id} for ids in expected[:100]):
        sys.exit("HuggingFace ignored the vocabulary (all [UNK])")
    actual = swift_ids(texts, args.package_path, args.scratch_path, args.configuration)
    if len(actual) != len(texts):
        sys.exit(f"Swift returned {len(actual)} id lists for {len(texts)} texts")
    differences = [i for i in range(len(texts)) if actual[i] != expected[i]]
    print(f"compared {len(texts)} texts: {len(differences)} differences")
    for i in differences[:20]:
        print(json.dumps({"text": texts[i], "huggingface": expected[i], "querykind": actual[i]}))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
