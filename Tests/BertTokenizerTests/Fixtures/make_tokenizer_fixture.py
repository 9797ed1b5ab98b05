#!/usr/bin/env python3
"""Write the tokenizer parity fixtures: texts and the ids HuggingFace's BertTokenizer gives them.

Why: querykind's Swift WordPieceTokenizer must reproduce HuggingFace exactly; these fixtures let the
Swift tests check that from a clean clone, without Python. Every text is written or generated here
(none comes from a corpus). The output is deterministic (fixed seed, no clocks or file listings).

Usage:  pip install -r training/requirements.txt        (transformers 5)
        python Tests/BertTokenizerTests/Fixtures/make_tokenizer_fixture.py
Writes, next to this script:
  tokenizer_parity.jsonl        {"text": ..., "ids": [...]} uncased (vocab/ folder), max_length 512
  tokenizer_parity_cased.jsonl  the same for a subset, with do_lower_case false
"""
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

from transformers import BertTokenizer

HERE = Path(__file__).resolve().parent
VOCAB_DIR = HERE / "vocab"
MAX_LENGTH = 512

WORDS = """
weather forecast tomorrow cheap flights paris best pizza near me python list comprehension
how to tie a tie symptoms of flu diabetes diet plan used cars for sale under 5000 mortgage
calculator lyrics song capital of australia population of tokyo nba scores tonight recipe
chocolate cake gluten free running shoes review laptop battery life replace iphone screen
history of the roman empire world war two timeline vaccine side effects tax return deadline
solar panels installation cost dog training tips cat food allergy vitamin deficiency symptoms
university admission requirements scholarship application essay translation english spanish
stock market today bitcoin price chart electric car charging station hiking trails colorado
unbelievable antidisestablishmentarianism photosynthesis mitochondria jurisprudence xylophone
""".split()
QUESTION_STARTS = ["how do i", "what is the", "why does", "where can i find", "who was", "when did",
                   "is it possible to", "can you", "which", "should i", "does anyone know if", "are there"]
SENTENCE_STARTS = ["I think", "The report says", "She told me that", "We found", "Yesterday",
                   "According to the study,", "My neighbour's dog", "In 1999, the company", "Honestly"]
PUNCTUATION = list(".,;:!?'\"()[]{}<>/\\|@#$%^&*-_+=~`")

# Hand-written edge cases: each is there for a reason named in its comment.
EDGE_CASES = [
    "", " ", "   \t\n  ", "\n", "\t", "\r\n", "\u3000", "\u00a0\u2003\u2028\u2029",  # empty / whitespace
    "hello world", "Hello, World!", "HELLO WORLD", "hello\tworld", "hello\nworld\r\nagain",
    "don't can't won't it's", "e-mail x-ray state-of-the-art", "U.S.A. vs. U.K.", "1,000,000.50 $5 50%",
    "https://example.com/path?q=1&x=y#frag", "user@example.org", "#hashtag @mention", "C++ C# .NET F#",
    "café naïve résumé façade jalapeño", "Crème Brûlée", "ÀÉÎÕÜ àéîõü ÑñÇç", "Ångström Øresund Æsir",
    "e\u0301 a\u0300 o\u0308 n\u0303", "a\u0301\u0302\u0303\u0304", "\u0301\u0301 leading marks",  # combining
    "straße STRASSE ß ẞ", "İstanbul ıiIİ", "DİYARBAKIR", "ǅemal ǈ ǋ", "ΟΔΟΣ Σ σ ς ΣΑΣ",  # case mapping
    "ﬁnance ﬂower ﬀ ﬃ ﬄ ﬅ ﬆ", "Ⅷ ⅻ ① ⑳ ㈱ ™ ℃ ℉ ½ ¾ ²³", "ǲ ǳ Ǳ", "Kelvin K Ångström Å Ω",  # compat
    "Ｆｕｌｌ－ｗｉｄｔｈ　ｔｅｘｔ！１２３", "ｈｅｌｌｏ，ｗｏｒｌｄ", "ｶﾀｶﾅ ﾊﾝｶｸ",  # full-width / half-width
    "zero\u200bwidth\u200cjoin\u200dand\ufeffbom", "soft\u00adhyphen", "word\u2060joiner", "bi\u200edi\u200frl",
    "nul\x00char", "bell\x07 esc\x1b[31m del\x7f", "vt\x0bff\x0cnel\x85", "us\x1f rs\x1e", "\ufffdreplacement\ufffd",
    "private \ue000\uf8ff use", "tag \U000e0041\U000e0042", "surrogate-free 𝐀𝐁𝐂 𝒳𝓎𝓏 𝟘𝟙",  # format / math
    "中文分词测试", "我爱北京天安门。", "中文English混合text", "繁體中文與简体中文", "豈 更 車 賈 滑",  # CJK
    "𠀀𠀁 𪜀 𫝀 𫠠 𬺰 \U0002B820\U0002B91F", "⺀ ⼀ 〇 々 〆", "日本語のテキストです。", "ひらがな カタカナ 漢字",
    "東京タワーは333メートルです", "한국어 텍스트", "안녕하세요 세계", "각 가각",  # Japanese, Korean
    "مرحبا بالعالم", "السَّلَامُ عَلَيْكُمْ", "العربية ١٢٣٤", "שלום עולם", "עִבְרִית", "Привет, мир!",
    "Ελληνικά κείμενα", "हिन्दी पाठ", "ภาษาไทย", "ქართული", "Հայերեն", "አማርኛ", "ᠮᠣᠩᠭᠣᠯ",  # scripts
    "😀 😂 🤣", "👍🏽 👋🏿", "👨‍👩‍👧‍👦 family", "🏳️‍🌈 flag", "🇺🇸🇬🇧🇯🇵", "❤️ ✨ ☕", "🥲 🫠 🫶",  # emoji
    "keycap 1️⃣ #️⃣", "a😀b", "emoji😀inside😀word",
    "[CLS] [SEP] [MASK] [PAD] [UNK]", "hello[MASK]world", "[mask] [Mask] [ MASK ]", "[[CLS]]",  # specials
    "[CLS", "CLS]", "[UN\u200bK]", "x[SEP]y[SEP]z", "[UNK][UNK]",
    "a" * 99, "a" * 100, "a" * 101, "é" * 100, "é" * 101, "x" + "\u0301" * 150,  # 100-char word limit
    "\u0915\u094d\u0937", "\u0c15\u0c3c\u0c4d", "x\u08d4\u0898y", "x\u0898\u08d4y",  # kept combining marks
    "x\u1abf\u1ac1y x\u1ac1\u1abfy", "x\u08d4\u034f\u0898y", "x\u08d4\u0301\u0898y", "x\u08d4\u00ad\u0898y",
    "x\u08d4\u302ey x\u302e\u08d4y", "x\U0001d16d\U0001d165y", "x\u08d4\u034f\u302ey", "x\u08d4\u00ad\u302ey",  # NFD order
    "x\U0001d16d\u0301\U0001d165y", "x\u08d4\u302e\u034f\u08d4\u302e\u1b44y", "\u302e\u08d4 \u08d4\u302e",
    "...", "!!!???", "---", "a.b.c", "(parenthetical)", "“curly quotes” ‘single’", "«guillemets» „low“",
    "em—dash en–dash", "ellipsis…", "bullet • point", "§ ¶ † ‡", "¿Qué? ¡Sí!", "、。「」『』【】",
    "1234567890", "3.14159", "2024-01-01T12:00:00Z", "+1 (555) 123-4567", "v1.2.3-beta+build.5",
    "snake_case camelCase PascalCase kebab-case", "<html><body>x</body></html>", "{\"json\": [1, 2]}",
    "SELECT * FROM t WHERE x = 'y';", "print(\"hello\")", "a/b\\c|d", "~tilde `backtick`",
]


def generated_texts(rng: random.Random):
    """Queries, questions and sentences of many shapes, plus random Unicode soup."""
    def words(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def recase(text):
        mode = rng.randrange(4)
        return text.upper() if mode == 0 else text.title() if mode == 1 else text.capitalize() if mode == 2 else text

    for _ in range(250):  # keyword queries
        yield recase(words(rng.randint(1, 8)))
    for _ in range(200):  # questions, with and without "?"
        yield recase(f"{rng.choice(QUESTION_STARTS)} {words(rng.randint(1, 6))}{rng.choice(['?', '', ' ?', '??'])}")
    for _ in range(150):  # sentences with punctuation
        parts = [rng.choice(SENTENCE_STARTS)] + [words(rng.randint(1, 4)) + rng.choice(PUNCTUATION) for _ in range(rng.randint(1, 4))]
        yield " ".join(parts)
    for _ in range(100):  # glued punctuation and digits
        yield "".join(rng.choice(WORDS + PUNCTUATION + ["42", "3.5", "x2", "A1"]) for _ in range(rng.randint(2, 10)))
    soup_ranges = [
        (0x20, 0x7E), (0x00, 0x1F), (0x80, 0xFF), (0x100, 0x24F), (0x250, 0x2AF), (0x300, 0x36F),
        (0x370, 0x3FF), (0x400, 0x4FF), (0x530, 0x58F), (0x590, 0x5FF), (0x600, 0x6FF), (0x750, 0x8FF),
        (0x900, 0x97F), (0xC00, 0xC7F), (0xE00, 0xE7F), (0x1100, 0x11FF), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
        (0x1E00, 0x1EFF), (0x1F00, 0x1FFF), (0x2000, 0x206F), (0x2100, 0x218F), (0x2190, 0x23FF), (0x2460, 0x24FF),
        (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xE000, 0xE0FF),
        (0xF900, 0xFAFF), (0xFB00, 0xFB4F), (0xFE00, 0xFE6F), (0xFF00, 0xFFEF), (0xFFF0, 0xFFFF),
        (0x10400, 0x1044F), (0x1D400, 0x1D7FF), (0x1F300, 0x1FAFF), (0x20000, 0x2FA1F), (0xE0000, 0xE007F),
        (0x30000, 0x3134F), (0x50000, 0x50010),
    ]
    for _ in range(350):  # random Unicode soup, weighted towards spaces so words stay short
        chars = []
        for _ in range(rng.randint(1, 24)):
            if rng.random() < 0.2:
                chars.append(" ")
                continue
            lo, hi = rng.choice(soup_ranges)
            cp = rng.randint(lo, hi)
            if not 0xD800 <= cp <= 0xDFFF:
                chars.append(chr(cp))
        yield "".join(chars)
    sentence = "The quick brown fox jumps over the lazy dog, and then it runs away quickly! "
    for n in (40, 60, 100, 200):  # texts over 512 tokens
        yield sentence * n
    yield "supercalifragilisticexpialidocious " * 120
    yield "中" * 700
    yield "😀 " * 600
    yield ("word " * 509) + "pneumonoultramicroscopic"  # the last word straddles the limit
    yield ("a " * 600) + "[SEP]"
    yield "x" * 5000


def encode_all(folder: Path, texts):
    tokenizer = BertTokenizer.from_pretrained(str(folder))
    probe = tokenizer("hello world")["input_ids"]
    if set(probe[1:-1]) == {tokenizer.unk_token_id}:
        sys.exit(f"{folder}: vocabulary was ignored (all [UNK]); check vocab.txt")
    return [tokenizer(t, truncation=True, max_length=MAX_LENGTH)["input_ids"] for t in texts]


def write(path: Path, texts, ids):
    with path.open("w", encoding="utf-8") as out:
        for text, row in zip(texts, ids):
            out.write(json.dumps({"text": text, "ids": row}, ensure_ascii=True) + "\n")
    print(f"{len(texts)} texts -> {path}")


def main():
    rng = random.Random(20261126)
    texts = EDGE_CASES + list(generated_texts(rng))
    write(HERE / "tokenizer_parity.jsonl", texts, encode_all(VOCAB_DIR, texts))

    cased_texts = EDGE_CASES + texts[len(EDGE_CASES)::5]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(VOCAB_DIR / "vocab.txt", tmp)
        (Path(tmp) / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": False}))
        write(HERE / "tokenizer_parity_cased.jsonl", cased_texts, encode_all(Path(tmp), cased_texts))


if __name__ == "__main__":
    main()
