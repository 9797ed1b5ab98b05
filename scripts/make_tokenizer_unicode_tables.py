#!/usr/bin/env python3
"""Generate Sources/BertTokenizer/UnicodeTables.swift from HuggingFace's own BERT normalizer.

Why: querykind must split and normalise text exactly like HuggingFace's BertTokenizer. In
transformers 5 that is the Rust `tokenizers` BertNormalizer + BertPreTokenizer, whose Unicode
tables (control characters, punctuation, non-spacing marks, lower-casing, NFD) come from Rust
crates of various Unicode versions that differ from Swift's and Python's. Rather than guess,
this script asks the Rust normalizer about every code point and records what it did.

Usage:  pip install -r training/requirements.txt   (transformers 5, tokenizers)
        python scripts/make_tokenizer_unicode_tables.py
(It needs no vocabulary: the normaliser and pre-tokenizer do not depend on one.)

Per code point it records a property byte (see ScalarProperties in the Swift file):
  bits 0-2  base class, the same whether or not the tokenizer lower-cases:
            0 letter, 1 punctuation (split off), 2 control (dropped), 3 whitespace, 4 CJK ideograph
  bit 3     mapped: lower-casing/NFD/accent stripping changes it (replacement in the mapping table)
  bit 4     mark: accent stripping drops it (a non-spacing mark, or something decomposing to marks)
  bit 5     Hangul syllable: NFD decomposes it algorithmically into conjoining jamo
  bit 6     combining: kept, but has a non-zero canonical combining class, so NFD may reorder it
  bit 7     (with bit 4) the dropped mark has combining class 0, so it ends a reordering run
"""
import sys
import unicodedata
from pathlib import Path

from tokenizers.normalizers import NFD, BertNormalizer
from tokenizers.pre_tokenizers import BertPreTokenizer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Sources/BertTokenizer/UnicodeTables.swift"

LETTER, PUNCT, CONTROL, SPACE, IDEOGRAPH = range(5)
MAPPED, MARK, HANGUL, COMBINING, BREAKING = 8, 16, 32, 64, 128

uncased = BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
cased = BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=False)
pre = BertPreTokenizer()
nfd = NFD()
R1, R230 = "\u0334", "\u0301"  # references with combining classes 1 and 230


def nonzero_ccc(s: str) -> bool:
    """Whether Rust's NFD gives `s` (one scalar) a non-zero canonical combining class."""
    d = nfd.normalize_str(s)
    return nfd.normalize_str(s + R1) != d + R1 or nfd.normalize_str(R230 + s) != R230 + d


def ccc_value(s: str, refs: dict) -> int:
    """The exact combining class Rust's NFD uses for `s`, found by sorting against references."""
    below = {v for v, r in refs.items() if nfd.normalize_str(s + r) != s + r}
    above = {v for v, r in refs.items() if nfd.normalize_str(r + s) != r + s}
    equal = [v for v in refs if v not in below and v not in above]
    assert len(equal) == 1, (hex(ord(s)), equal)
    return equal[0]


def is_hangul(cp: int) -> bool:
    return 0xAC00 <= cp <= 0xD7A3


def main() -> None:
    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    props, mapping, kept = {}, {}, set()
    for cp in code_points:
        ch = chr(cp)
        words = pre.pre_tokenize_str("a" + ch + "a")
        c_out = cased.normalize_str(ch)
        if c_out == "":
            base = CONTROL
        elif c_out == " ":
            base = SPACE
        elif c_out == " " + ch + " ":
            base = IDEOGRAPH
        else:
            assert c_out == ch, hex(cp)
            base = PUNCT if len(words) == 3 else LETTER
            assert len(words) in (1, 3), hex(cp)  # whitespace never survives the cleaning step
        p = base
        u_out = uncased.normalize_str(ch)
        if base == CONTROL or base == SPACE:
            assert u_out == c_out
        elif u_out == "":
            p |= MARK
            if not nonzero_ccc(ch):
                p |= BREAKING
        else:
            inner = u_out.strip(" ") if base == IDEOGRAPH else u_out
            assert " " not in inner and inner, hex(cp)
            if is_hangul(cp):
                p |= HANGUL
            elif inner != ch:
                p |= MAPPED
                mapping[cp] = [ord(x) for x in inner]
            kept.update(inner)
        props[cp] = p

    # Every kept scalar must be a fixed point (so normalising normalised text changes nothing),
    # and must not be an ideograph unless its source was (the padding is decided before NFD).
    for x in kept:
        p = props[ord(x)]
        assert p & (MAPPED | MARK | HANGUL) == 0 and p & 7 in (LETTER, PUNCT, IDEOGRAPH), hex(ord(x))
    for cp, outs in mapping.items():
        if props[cp] & 7 != IDEOGRAPH:
            assert all(props[o] & 7 != IDEOGRAPH for o in outs), hex(cp)

    refs = {}
    for cp in range(0x300, 0x20000):
        v = unicodedata.combining(chr(cp))
        if v and v not in refs and nfd.normalize_str(chr(cp)) == chr(cp) and (v == 1 or nonzero_ccc(chr(cp))):
            refs[v] = chr(cp)
    ccc = {}
    for x in sorted(kept, key=ord):
        if ord(x) >= 0x80 and nonzero_ccc(x):
            ccc[ord(x)] = ccc_value(x, refs)
            props[ord(x)] |= COMBINING

    ranges = []
    for cp in code_points:
        if not ranges or ranges[-1][1] != props[cp]:
            ranges.append((cp, props[cp]))
    write_swift(ranges, mapping, ccc)
    print(f"{len(ranges)} ranges, {len(mapping)} mappings, {len(ccc)} combining classes -> {OUT}")


def chunks(items, per_line):
    return [" ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]


def write_swift(ranges, mapping, ccc) -> None:
    range_items = [f"{start:x}:{p:x}" for start, p in ranges]
    map_items = [f"{cp:x}:" + ",".join(f"{o:x}" for o in outs) for cp, outs in sorted(mapping.items())]
    ccc_items = [f"{cp:x}:{v:x}" for cp, v in sorted(ccc.items())]

    def literal(items):
        return "\n".join(chunks(items, 12))

    OUT.write_text(f'''// GENERATED by scripts/make_tokenizer_unicode_tables.py from HuggingFace tokenizers' BertNormalizer
// and BertPreTokenizer (every code point probed). Do not edit by hand; rerun the script instead.

/// What HuggingFace's Rust BERT normaliser does to each Unicode scalar, recorded from the normaliser
/// itself so that querykind matches it exactly, whatever Unicode version Swift ships.
enum UnicodeTables {{
    /// Ranges as "start:properties" (hex); each range runs to the next start. See ScalarProperties.
    static let ranges = """
{literal(range_items)}
"""

    /// Scalars that lower-casing and accent stripping replace, as "scalar:replacement,..." (hex).
    static let mappings = """
{literal(map_items)}
"""

    /// Canonical combining classes of the scalars flagged `combining`, as "scalar:class" (hex).
    static let combiningClasses = """
{literal(ccc_items)}
"""
}}
''')


if __name__ == "__main__":
    sys.exit(main())
