"""Readers for the raw corpora under ../shared/corpora (see its SOURCES.md).

Each reader returns a list of `Item`s: the text as written plus the labels it
supports for each head (None = not used for that head).  Readers never decide the
split; `build_datasets.py` does that by source name.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Optional

csv.field_size_limit(sys.maxsize)

KEYWORD, NATURAL = 0, 1      # head `keyword` (classifier1)
STATEMENT, QUESTION = 0, 1   # head `question` (classifier2)

WH_AUX = {
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how",
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "will",
    "would", "should", "shall", "may", "might", "must", "has", "have", "had",
    "am", "isn't", "aren't", "don't", "doesn't", "didn't", "can't", "won't",
}

IMPERATIVES = {"list", "name", "describe", "give", "explain", "summarize", "find", "identify", "compare"}


@dataclass
class Item:
    """One text with the label it supports on each head (None = not for that head)."""
    text: str
    kw: Optional[int]
    q: Optional[int]
    source: str


def clean(text: str) -> str:
    """Collapse whitespace and re-attach tokenised punctuation ("Aspen ?" -> "Aspen?")."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([?.!,;:])(?=\s|$)", r"\1", text)


def looks_like_question(text: str) -> bool:
    """Form test used to drop question-like log queries and to label TREC descriptions."""
    words = text.lower().split()
    return bool(words) and (text.rstrip().endswith("?") or words[0] in WH_AUX)


def _lines(path: str) -> list[str]:
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in f]


def _tsv_column(path: str, col: int, skip_header: bool = False) -> list[str]:
    rows = [line.split("\t") for line in _lines(path)[1 if skip_header else 0:]]
    return [clean(r[col]) for r in rows if len(r) > col and r[col].strip()]


def _sgml_field(path: str, tag: str) -> list[str]:
    """Text after `<tag>` up to the next `<`, for TREC SGML topic files."""
    text = open(path, encoding="utf-8", errors="replace").read()
    out = []
    for m in re.finditer(rf"<{tag}>(.*?)(?=<)", text, re.S):
        body = re.sub(r"^\s*(Description|Narrative|Topic)\s*:\s*", "", m.group(1).strip())
        if body:
            out.append(clean(body))
    return out


def _xml_texts(path: str, tag: str) -> list[str]:
    root = ET.parse(path).getroot()
    return [clean("".join(e.itertext())) for e in root.iter(tag) if "".join(e.itertext()).strip()]


# Words that mark a conversational turn as language rather than a search query: a turn needs one
# (and three words) to be trained on, so slot-only replies such as "Spring Hills Kansas" are left out.
TURN_CUES = WH_AUX | {
    "i", "i'm", "i'd", "i'll", "i've", "you", "you're", "we", "we're", "they", "he", "she", "it", "it's",
    "that's", "there's", "there", "this", "that", "my", "your", "our", "me", "us", "let's", "please",
    "thanks", "thank", "yes", "no", "yeah", "ok", "okay", "sure", "not", "sorry", "hi", "hello", "would",
    "want", "need", "like", "think", "know", "go", "get", "be", "been", "sounds", "also", "just", "too",
}
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def last_sentence(text: str) -> str:
    """The final sentence of a turn (split after ".", "?" or "!" followed by a space)."""
    return _SENTENCE_END.split(text.strip())[-1]


def turn_item(text: str, source: str) -> Optional[Item]:
    """A dialogue turn labelled by the form of its last sentence: a "?" makes it a question,
    a "." or "!" a statement (unless that sentence starts like a question: "Can you play X."
    is ambiguous and dropped); an unpunctuated single-clause turn is a question when it starts
    with a wh-word or auxiliary.  Turns under three words or without a TURN_CUES word are
    dropped (slot-only replies read as keyword queries); every kept turn is natural language."""
    text = clean(text)
    words = re.findall(r"[\w']+", text.lower())
    if len(words) < 3 or not TURN_CUES & set(words):
        return None
    last = last_sentence(text)
    if text.endswith("?"):
        return Item(text, NATURAL, QUESTION, source)
    if text[-1] in ".!":
        return None if looks_like_question(last) else Item(text, NATURAL, STATEMENT, source)
    if "," in text or _SENTENCE_END.search(text):
        return None
    return Item(text, NATURAL, QUESTION if looks_like_question(text) else STATEMENT, source)


def _turn_items(texts: list[str], source: str) -> list[Item]:
    return [item for item in (turn_item(t, source) for t in texts) if item]


class Corpora:
    """Access to the shared corpora folder; one method per source."""

    def __init__(self, root: str):
        if not os.path.isfile(os.path.join(root, "SOURCES.md")):
            raise SystemExit(f"error: {root} does not look like shared/corpora (no SOURCES.md)")
        self.root = root
        self.topics = os.path.join(root, "anserini-topics")

    def _t(self, name: str) -> str:
        return os.path.join(self.topics, name)

    # ---- keyword log queries (NIST TREC) -------------------------------------------------
    def trec_log_queries(self) -> list[Item]:
        """TREC Million Query + Terabyte 2005 efficiency: real web-log queries."""
        out = []
        for path in sorted(glob.glob(self._t("topics.mq.*.txt"))):
            for line in _lines(path):
                m = re.match(r"^\d+:(?:\d:)?(.*)$", line)
                if m:
                    out.append(("trec-mq", clean(m.group(1))))
        for line in _lines(self._t("topics.terabyte05.efficiency.txt")):
            out.append(("trec-tb05-efficiency", clean(line.split(":", 1)[-1])))
        return self._log_items(out)

    @staticmethod
    def _log_items(pairs: list[tuple[str, str]]) -> list[Item]:
        """Log queries are keywords, except question-like ones: "how to X" fragments
        become natural (keyword head only); other wh/aux-initial ones are dropped."""
        items = []
        for source, text in pairs:
            if not text:
                continue
            lower = text.lower()
            if lower.startswith("how to "):
                items.append(Item(text, NATURAL, None, source + "-howto"))
            elif not looks_like_question(text):
                items.append(Item(text, KEYWORD, None, source))
        return items

    def trec_topics(self) -> list[Item]:
        """TREC ad hoc/Robust/Core/Terabyte/Web/Microblog/COVID topics: titles are keyword
        queries, descriptions/narratives/subtopics natural language (labelled by form)."""
        items: list[Item] = []
        sgml = [p for p in sorted(glob.glob(self._t("topics.*.txt")))
                if re.search(r"topics\.(adhoc|robust0[45]|core1[78]|terabyte0[456]\.\d)", p)]
        for path in sgml:
            items += [Item(t, KEYWORD, None, "trec-titles") for t in _sgml_field(path, "title")]
            for tag in ("desc", "narr"):
                items += [self._sentence(t, "trec-descriptions") for t in _sgml_field(path, tag)]
        for path in sorted(glob.glob(self._t("topics.web.*.txt"))):
            items += [Item(t, KEYWORD, None, "trec-titles") for t in _xml_texts(path, "query")]
            for tag in ("description", "subtopic"):
                items += [self._sentence(t, "trec-descriptions") for t in _xml_texts(path, tag)]
        for path in sorted(glob.glob(self._t("topics.microblog*.txt"))):
            items += [Item(t, KEYWORD, None, "trec-titles") for t in _sgml_field(path, "query")]
        covid = self._t("topics.covid-round5.xml")
        items += [Item(t, KEYWORD, None, "trec-covid") for t in _xml_texts(covid, "query")]
        items += [Item(t, NATURAL, QUESTION, "trec-covid") for t in _xml_texts(covid, "question")]
        items += [Item(t, NATURAL, STATEMENT, "trec-covid") for t in _xml_texts(covid, "narrative")]
        return items

    @staticmethod
    def _sentence(text: str, source: str) -> Item:
        return Item(text, NATURAL, QUESTION if looks_like_question(text) else STATEMENT, source)

    def car_headings(self) -> list[Item]:
        """TREC CAR Wikipedia heading paths (CC BY-SA): the last heading, or page + heading."""
        items = []
        for line in _lines(self._t("topics.car17v2.0.benchmarkY1test.txt")):
            parts = [urllib.parse.unquote(p) for p in line.split(":", 1)[-1].split("/")]
            text = parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1]}"
            if text and not looks_like_question(text):
                items.append(Item(clean(text), KEYWORD, None, "trec-car"))
        return items

    # ---- questions (permissive) ----------------------------------------------------------
    def natural_questions(self) -> list[Item]:
        texts = _tsv_column(self._t("topics.nq.dev.txt"), 0) + _tsv_column(self._t("topics.nq.test.txt"), 0)
        texts += _tsv_column(self._t("topics.nanoknow-v1.0-nq.supported.tsv"), 1)
        texts += _tsv_column(self._t("topics.beir-v1.0.0-nq.test.tsv"), 1)
        return [Item(t, NATURAL, QUESTION, "nq") for t in texts]

    def squad(self) -> list[Item]:
        texts = _tsv_column(self._t("topics.nanoknow-v1.0-squad.supported.tsv"), 1)
        texts += [r["question"] for r in self._qnli_rows()]
        return [Item(clean(t), NATURAL, QUESTION, "squad") for t in texts]

    def qnli_sentences(self) -> list[Item]:
        return [Item(clean(r["sentence"]), NATURAL, STATEMENT, "qnli-wikipedia") for r in self._qnli_rows()]

    def _qnli_rows(self) -> list[dict]:
        rows = []
        for name in ("dev.tsv", "test.tsv"):
            with open(os.path.join(self.root, "qnli", name), encoding="utf-8") as f:
                rows += list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return [r for r in rows if r.get("question") and r.get("sentence")]

    def hotpotqa(self) -> list[Item]:
        return [Item(t, NATURAL, QUESTION, "hotpotqa")
                for t in _tsv_column(self._t("topics.beir-v1.0.0-hotpotqa.test.tsv"), 1)]

    def simple_questions(self) -> list[Item]:
        texts = []
        for name in ("annotated_fb_data_test.txt", "annotated_fb_data_valid.txt"):
            texts += _tsv_column(os.path.join(self.root, "simplequestions", name), 3)
        return [Item(t, NATURAL, QUESTION, "simplequestions") for t in texts]

    def webquestions(self) -> list[Item]:
        """WebQuestions only (CC BY 4.0); Free917 has no stated licence and is skipped."""
        items = []
        for name in ("webquestions.examples.train.json", "webquestions.examples.test.json"):
            with open(os.path.join(self.root, "webquestions", name), encoding="utf-8") as f:
                items += [Item(clean(r["utterance"]), NATURAL, QUESTION, "webquestions") for r in json.load(f)]
        return items

    def query_wellformedness(self) -> list[Item]:
        """Well-formed (score >= 0.8) WikiAnswers questions. Ill-formed ones are mostly
        broken questions, not keyword queries, so they are not used."""
        items = []
        for name in ("train.tsv", "dev.tsv", "test.tsv"):
            for line in _lines(os.path.join(self.root, "query-wellformedness", name)):
                text, _, score = line.rpartition("\t")
                if text and float(score) >= 0.8:
                    items.append(Item(clean(text), NATURAL, QUESTION, "query-wellformedness"))
        return items

    def fever(self) -> list[Item]:
        texts = _tsv_column(self._t("topics.fever.dev.txt"), 1)
        texts += _tsv_column(self._t("topics.beir-v1.0.0-fever.test.tsv"), 1)
        return [Item(t, NATURAL, STATEMENT, "fever") for t in texts]

    # ---- conversational turns (permissive: CC BY, CC BY-SA) -----------------------------------
    def sgd_turns(self) -> list[Item]:
        """Schema-Guided Dialogue (CC BY-SA 4.0) user and system turns, labelled by form (turn_item)."""
        path = os.path.join(self.root, "sgd", "sgd_turns_sample19pct.jsonl")
        with open(path, encoding="utf-8") as f:
            texts = [json.loads(line)["utterance"] for line in f if line.strip()]
        return _turn_items(texts, "sgd")

    def taskmaster_turns(self) -> list[Item]:
        """Taskmaster-3/4 (CC BY 4.0) movie-ticket and coffee-order turns, labelled by form."""
        rows = _lines(os.path.join(self.root, "taskmaster", "taskmaster_tm3_tm4_turns.tsv"))[1:]
        return _turn_items([r.split("\t")[5] for r in rows if len(r.split("\t")) > 5], "taskmaster")

    def banking77(self) -> list[Item]:
        """Banking77 (CC BY 4.0) customer queries, labelled by form."""
        texts = []
        for name in ("train.csv", "test.csv"):
            with open(os.path.join(self.root, "polyai-task-specific", "banking77", name), encoding="utf-8") as f:
                texts += [row["text"] for row in csv.DictReader(f)]
        return _turn_items(texts, "banking77")

    def restaurant8k(self) -> list[Item]:
        """Restaurant8k (CC BY 4.0) user turns, many of them replies to a booking question."""
        texts = []
        for name in ("train_0.json", "test.json"):
            with open(os.path.join(self.root, "polyai-task-specific", "restaurant8k", name), encoding="utf-8") as f:
                texts += [row["userInput"]["text"] for row in json.load(f)]
        return _turn_items(texts, "restaurant8k")

    def clinc150(self) -> list[Item]:
        """CLINC150 (CC BY 3.0) voice-assistant requests: lower case, never punctuated."""
        with open(os.path.join(self.root, "clinc150", "data_full.json"), encoding="utf-8") as f:
            data = json.load(f)
        return _turn_items([text for part in data.values() for text, _intent in part], "clinc150")

    # ---- evaluation-only sources (NC / research / unstated licences) ---------------------
    def mimics(self) -> list[Item]:
        texts = dict.fromkeys(_tsv_column(os.path.join(self.root, "mimics", "MIMICS-Manual.tsv"), 0, True))
        return self._log_items([("mimics", t) for t in texts])

    def entity_queries(self) -> list[Item]:
        """DBpedia-Entity/ERD queries: keyword, except the QALD rows (natural questions and
        "Give me all ..." commands), which are labelled by form."""
        items = []
        for path in sorted(glob.glob(os.path.join(self.root, "entity-search-queries", "*.txt"))):
            for line in _lines(path):
                qid, _, text = line.partition("\t")
                text = clean(text)
                if not text:
                    continue
                if qid.startswith("QALD"):
                    items.append(Item(text, NATURAL, QUESTION if looks_like_question(text) else STATEMENT,
                                      "qald"))
                else:
                    items += self._log_items([("entity-search", text)])
        return items

    def ntcir_www(self) -> list[Item]:
        items = []
        for path in sorted(glob.glob(self._t("topics.www*.english.txt"))):
            items += self._log_items([("ntcir-www", t) for t in _xml_texts(path, "content")])
        return items

    def quora(self) -> list[Item]:
        return [Item(t, NATURAL, QUESTION, "quora")
                for t in _tsv_column(self._t("topics.beir-v1.0.0-quora.test.tsv"), 1)]

    def wikiqa(self) -> list[Item]:
        """WikiQA Bing questions and Wikipedia sentences; sentences under 8 words are mostly
        image captions (noun phrases) and are skipped."""
        questions, sentences = [], []
        for name in ("WikiQA-dev.tsv", "WikiQA-test.tsv"):
            questions += _tsv_column(os.path.join(self.root, "wikiqa", name), 1, True)
            sentences += _tsv_column(os.path.join(self.root, "wikiqa", name), 5, True)
        train = os.path.join(self.root, "wikiqa", "WikiQA-train.txt")
        questions += _tsv_column(train, 0)
        sentences += _tsv_column(train, 1)
        return ([Item(t, NATURAL, QUESTION, "wikiqa-questions") for t in questions]
                + [Item(t, NATURAL, STATEMENT, "wikiqa-sentences") for t in sentences if len(t.split()) >= 8])

    def trec_qc(self) -> list[Item]:
        items = []
        for name in ("train_5500.label", "TREC_10.label"):
            for line in _lines(os.path.join(self.root, "trec-qc", name)):
                text = clean(line.split(" ", 1)[-1]) if " " in line else ""
                if text:
                    items.append(Item(text, NATURAL, QUESTION, "trec-qc"))
        return items

    def sick(self) -> list[Item]:
        texts = []
        for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
            path = os.path.join(self.root, "sick", name)
            texts += _tsv_column(path, 1, True) + _tsv_column(path, 2, True)
        return [Item(t, NATURAL, STATEMENT, "sick") for t in texts]

    def stsb(self) -> list[Item]:
        """STS-B caption/forum/news sentences that are not question-shaped (headlines are skipped)."""
        texts = []
        for name in ("sts-train.csv", "sts-dev.csv", "sts-test.csv"):
            for line in _lines(os.path.join(self.root, "stsbenchmark", name)):
                cols = line.split("\t")
                if len(cols) >= 7 and cols[1] != "headlines":   # headlines read as keyword queries
                    texts += [clean(c) for c in cols[5:7] if c.strip()]
        return [Item(t, NATURAL, STATEMENT, "stsb") for t in texts
                if "?" not in t and not looks_like_question(t) and len(t.split()) >= 4]

    def swda(self) -> list[Item]:
        """Switchboard: sd/sv statements, ad action-directives (imperatives = statements) and
        question tags except qy^d (declarative-form questions, not questions by form).
        Only complete utterances: statements ending in "." or "!", questions in "?"
        (the transcripts end interrupted or continued utterances with "," or "-")."""
        q_tags = {"qy", "qw", "qo", "qh", "qrr", "qw^d", "^g"}
        items = []
        for name in ("swda_train.psv", "swda_val.psv", "swda_test.psv"):
            for line in _lines(os.path.join(self.root, "swda", name)):
                parts = line.split("|")
                if len(parts) < 4:
                    continue
                text, tag = clean(parts[2]), parts[3]
                if len(text.split()) < 3:
                    continue
                if tag in ("sd", "sv", "ad") and text[-1] in ".!":
                    items.append(Item(text, NATURAL, STATEMENT, "swda"))
                elif tag in q_tags and text.endswith("?"):
                    items.append(Item(text, NATURAL, QUESTION, "swda"))
        return items

    def spaadia(self) -> list[Item]:
        """SPAADIA dialogues: <decl> with stop punctuation and <imp> are statements,
        <q-yn>/<q-wh> questions. Only complete utterances: statements punctuated "stop",
        questions "query" (declaratives punctuated as queries are ambiguous: skipped)."""
        marks = {"stop": ".", "query": "?", "level": "", "incomplete": ""}
        items = []
        for path in sorted(glob.glob(os.path.join(self.root, "spaadia", "*.xml"))):
            for el in ET.parse(path).getroot().iter():
                if el.tag not in ("decl", "imp", "q-yn", "q-wh"):
                    continue
                punc = el.find("punc")
                kind = punc.get("type") if punc is not None else "level"
                text = clean("".join(el.itertext()))
                label = QUESTION if el.tag.startswith("q-") else STATEMENT
                if len(text.split()) < 3 or kind != ("query" if label == QUESTION else "stop"):
                    continue
                items.append(Item(clean(text + marks.get(kind, "")), NATURAL, label, "spaadia"))
        return items

    # ---- late holdout: evaluation-only sources that no development decision looked at ----------
    def beir_questions(self) -> list[Item]:
        """FiQA, BioASQ and Touché questions and TREC RAG 2024 requests, labelled by form:
        questions (a "?" or a wh/auxiliary start) and BioASQ's imperatives ("List ...");
        anything else (titles such as "Option settlement for calendar spreads") is skipped."""
        files = {"fiqa": ("topics.beir-v1.0.0-fiqa.test.tsv",), "bioasq": ("topics.beir-v1.0.0-bioasq.test.tsv",),
                 "touche": ("topics.beir-v1.0.0-webis-touche2020.test.tsv",),
                 "rag24": ("topics.rag24.test.txt", "topics.rag24.researchy-dev.txt", "topics.rag24.raggy-dev.txt")}
        items = []
        for source, names in files.items():
            for text in (t for name in names for t in _tsv_column(self._t(name), 1)):
                if looks_like_question(text):
                    items.append(Item(text, NATURAL, QUESTION, source))
                elif text.split()[0].lower() in IMPERATIVES:
                    items.append(Item(text, NATURAL, STATEMENT, source))
        return items

    def trec_dl(self) -> list[Item]:
        """TREC Deep Learning 2019-2023 queries (MS MARCO, Bing): the log-query rule for keyword
        queries and "how to" fragments, and the question-form ones as natural questions."""
        items = []
        for name in ("dl19-passage", "dl20", "dl21", "dl22", "dl23"):
            texts = _tsv_column(self._t(f"topics.{name}.txt"), 1)
            items += self._log_items([("trec-dl", t) for t in texts])
            items += [Item(t, NATURAL, QUESTION, "trec-dl") for t in texts
                      if looks_like_question(t) and not t.lower().startswith("how to ")]
        return items

    def topical_chat(self) -> list[Item]:
        """Topical-Chat (CDLA-Sharing-1.0) open-domain chat messages, labelled by form (turn_item)."""
        rows = _lines(os.path.join(self.root, "topical-chat", "topical_chat_valid_test_turns.tsv"))[1:]
        return _turn_items([r.split("\t")[5] for r in rows if len(r.split("\t")) > 5], "topical-chat")

    def claims(self) -> list[Item]:
        """Climate-FEVER and SciFact claims that are whole sentences (capital start, final
        period, five words or more): statements."""
        items = []
        for source in ("climate-fever", "scifact"):
            for text in _tsv_column(self._t(f"topics.beir-v1.0.0-{source}.test.tsv"), 1):
                if text[0].isupper() and text.endswith(".") and len(text.split()) >= 5 \
                        and not looks_like_question(text):
                    items.append(Item(text, NATURAL, STATEMENT, source))
        return items

    def epic_qa(self) -> list[Item]:
        """EPIC-QA topics: each need as a question (by form), a keyword query (log-query
        rule) and a background description (a statement)."""
        items = []
        for path in sorted(glob.glob(self._t("topics.epidemic-qa.*.primary.json"))):
            for topic in json.load(open(path, encoding="utf-8")):
                question, background = clean(topic.get("question", "")), clean(topic.get("background", ""))
                if looks_like_question(question):
                    items.append(Item(question, NATURAL, QUESTION, "epic-qa"))
                if background:
                    items.append(Item(background, NATURAL, STATEMENT, "epic-qa"))
                items += self._log_items([("epic-qa", clean(topic.get("query", "")))])
        return items
