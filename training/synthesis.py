"""Synthesised training shapes that no permissive corpus covers.

The first model confused comma-separated keyword lists, short unpunctuated
conversational turns, exclamations, commands and long questions.  These builders
make such rows from permissive training texts (TREC log queries as noun phrases,
NQ/SQuAD/... questions, FEVER/QNLI sentences) plus small hand-written template
word lists.  Every builder takes a seeded `random.Random`, so output is deterministic.
"""

from __future__ import annotations

import random
import re

from corpus_readers import KEYWORD, NATURAL, QUESTION, STATEMENT, WH_AUX, Item

STOPWORDS = WH_AUX | {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
    "be", "been", "it", "its", "that", "this", "these", "those", "there", "as", "into", "about",
    "i", "you", "he", "she", "they", "we", "my", "your", "his", "her", "their", "me", "him", "them",
    "did", "get", "got", "much", "many", "not", "if", "so", "than", "then", "s",
}

WH_PHRASES = ["how many", "what", "who", "when", "where", "which", "how much", "why"]

# Hand-written conversational pieces (task-oriented dialogue style, no corpus text).
THANKS = ["thank you", "thanks", "thank you very much", "ok thanks", "great thanks", "thanks a lot",
          "perfect thank you", "alright thanks", "cool thanks", "that's great thanks", "many thanks"]
CLOSINGS = ["bye", "goodbye", "that's all", "that is all i need", "have a nice day", "see you",
            "that will be all", "nothing else", "that's everything", "bye bye"]
SHORT_TURNS = ["yes please", "no thanks", "sounds good", "that works for me", "i think so", "not really",
               "yes that's right", "no that's fine", "sure go ahead", "ok let's do that", "i don't know",
               "that sounds perfect", "i'll take it", "i'm not sure", "that's fine with me", "hello there",
               "hi good morning", "good evening", "nice to meet you", "you're welcome", "no problem",
               "i agree", "me too", "of course", "i see", "never mind", "i'm fine thanks", "not at all"]
REQUEST_OPENERS = ["i need", "i'd like", "i would like", "i want", "i'm looking for", "we need",
                   "i am looking for", "we would like", "i'd love", "i'm trying to find", "i need to find"]
OBJECTS = ["a taxi", "a table for two", "a hotel room", "a cheap restaurant", "a train ticket",
           "two tickets", "a room for tonight", "a flight to boston", "a doctor", "some help",
           "a place to stay", "a ride to the airport", "the phone number", "the address", "a reservation",
           "a parking spot", "a guesthouse in the north", "an italian restaurant", "the cheapest option"]
REQUEST_TAILS = ["please", "", "", "for tomorrow", "for tonight", "as soon as possible", "thanks",
                 "for saturday", "in the centre", "near the station"]
QUESTION_REQUESTS = ["can you find", "could you book", "can i get", "do you have", "is there",
                     "could you recommend", "can you help me find", "would you book", "are there any"]
ADJECTIVES = ["nice", "beautiful", "great", "lovely", "terrible", "wonderful", "strange", "amazing",
              "awful", "sad", "funny", "cute", "huge", "brilliant", "horrible", "fantastic", "weird",
              "clever", "delicious", "boring", "gorgeous", "silly", "cold", "hot"]
NOUNS = ["day", "idea", "game", "movie", "view", "surprise", "place", "song", "dog", "story", "party",
         "car", "house", "dinner", "trip", "mess", "shame", "question", "weekend", "book", "team", "goal"]
EXCLAIM_TEMPLATES = ["what a {a} {n}", "what an absolutely {a} {n}", "how {a} this is", "how {a} that was",
                     "how {a} it is", "what {a} weather", "that is so {a}", "this {n} is so {a}",
                     "wow what a {a} {n}", "such a {a} {n}", "oh how {a}", "what a {a} {n} that was",
                     "i love this {n}", "this is the best {n} ever", "what a {a} {n} we had"]
HOW_ADJ_QUESTIONS = ["how {a} is the {n}", "how {a} was the {n}", "is the {n} {a}",
                     "was it a {a} {n}", "why is this {n} so {a}"]
COMMANDS = ["give me all {x}", "give me a list of {x}", "list all {x}", "list {x}", "list the {x}",
            "show me {x}", "show me all {x}", "find {x}", "find me {x}", "name all {x}", "tell me about {x}",
            "search for {x}", "please list {x}", "please show me {x}", "get me {x}", "look up {x}",
            "send me information about {x}", "find information on {x}", "describe {x}", "explain {x}",
            "identify {x}", "compare {x}", "return all {x}", "count the {x}", "help me with {x}"]
EMBEDDED_STATEMENTS = ["tell me {q}", "i want to know {q}", "i wonder {q}", "i'd like to know {q}",
                       "please tell me {q}", "i need to know {q}", "explain {q}", "find out {q}",
                       "i have no idea {q}", "let me know {q}", "i forgot {q}"]
EMBEDDED_QUESTIONS = ["can you tell me {q}", "do you know {q}", "could you tell me {q}",
                      "does anyone know {q}", "any idea {q}", "would you know {q}"]


def _punct(rng: random.Random, options: list[tuple[str, float]]) -> str:
    r, acc = rng.random(), 0.0
    for mark, p in options:
        acc += p
        if r < acc:
            return mark
    return ""


def _capitalise(rng: random.Random, text: str) -> str:
    return text[0].upper() + text[1:] if text and rng.random() < 0.4 else text


def content_words(question: str) -> list[str]:
    words = re.findall(r"[\w'-]+", question.lower())
    return [w for w in words if w not in STOPWORDS]


def keyword_versions(questions: list[Item], n: int, rng: random.Random) -> list[Item]:
    """Paired hard negatives: a question's content words as a keyword query, sometimes
    comma-separated and sometimes led by its wh-phrase ("how many, politicians, ...")."""
    out = []
    for item in rng.sample(questions, min(n, len(questions))):
        words = content_words(item.text)
        if len(words) < 2:
            continue
        if rng.random() < 0.35:
            chunks = _chunk(words, rng)
            lead = item.text.lower().split()[0]
            if rng.random() < 0.4 and lead in ("how", "what", "who", "when", "where", "which"):
                chunks = [next(p for p in WH_PHRASES if p.startswith(lead))] + chunks
            text = ", ".join(chunks)
        else:
            text = " ".join(words)
        out.append(Item(text, KEYWORD, None, "synth-keyword-of-question"))
    return out


def _chunk(words: list[str], rng: random.Random) -> list[str]:
    chunks, i = [], 0
    while i < len(words):
        size = rng.choice([1, 1, 2, 2, 3])
        chunks.append(" ".join(words[i:i + size]))
        i += size
    return chunks


def comma_lists(keywords: list[Item], n: int, rng: random.Random) -> list[Item]:
    """Keyword queries written as comma-separated lists: one query split into chunks,
    or two or three queries joined."""
    out = []
    multi = [k for k in keywords if len(k.text.split()) >= 2]
    for _ in range(n):
        if rng.random() < 0.5:
            text = ", ".join(_chunk(rng.choice(multi).text.split(), rng))
        else:
            text = ", ".join(rng.choice(keywords).text for _ in range(rng.choice([2, 3])))
        if "," in text:
            out.append(Item(text, KEYWORD, None, "synth-comma-list"))
    return out


def conversational_turns(noun_phrases: list[str], n: int, rng: random.Random) -> list[Item]:
    """Short dialogue turns (thanks, closings, requests), mostly unpunctuated: natural
    statements, plus request questions ("can you find ...") as questions."""
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.25:
            parts = [rng.choice(THANKS)] + ([rng.choice(CLOSINGS)] if rng.random() < 0.6 else [])
            text, label = " ".join(parts), STATEMENT
        elif r < 0.4:
            text, label = rng.choice(SHORT_TURNS), STATEMENT
        elif r < 0.8:
            obj = rng.choice(OBJECTS) if rng.random() < 0.6 else rng.choice(noun_phrases)
            text = " ".join(p for p in [rng.choice(REQUEST_OPENERS), obj, rng.choice(REQUEST_TAILS)] if p)
            label = STATEMENT
        else:
            obj = rng.choice(OBJECTS) if rng.random() < 0.5 else rng.choice(noun_phrases)
            text = " ".join(p for p in [rng.choice(QUESTION_REQUESTS), obj, rng.choice(REQUEST_TAILS)] if p)
            label = QUESTION
        mark = _punct(rng, [("", 0.6), ("?" if label == QUESTION else ".", 0.3), ("!", 0.1 * (label == STATEMENT))])
        out.append(Item(_capitalise(rng, text) + mark, NATURAL, label, "synth-conversation"))
    return out


def exclamations(n: int, rng: random.Random) -> list[Item]:
    """Exclamations ("what a nice day!") are statements; "how adj is the X" contrasts are questions."""
    out = []
    for _ in range(n):
        adj, noun = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        if rng.random() < 0.8:
            text = rng.choice(EXCLAIM_TEMPLATES).format(a=adj, n=noun)
            text = text.replace("a a", "an a").replace("a e", "an e").replace("a i", "an i").replace("a o", "an o")
            mark, label = _punct(rng, [("!", 0.5), ("", 0.35), (".", 0.15)]), STATEMENT
        else:
            text = rng.choice(HOW_ADJ_QUESTIONS).format(a=adj, n=noun)
            mark, label = _punct(rng, [("?", 0.5), ("", 0.5)]), QUESTION
        out.append(Item(_capitalise(rng, text) + mark, NATURAL, label, "synth-exclamation"))
    return out


def commands(noun_phrases: list[str], n: int, rng: random.Random) -> list[Item]:
    """Imperatives over keyword noun phrases ("give me all ...", "list ..."): natural statements."""
    out = []
    for _ in range(n):
        text = rng.choice(COMMANDS).format(x=rng.choice(noun_phrases))
        mark = _punct(rng, [("", 0.5), (".", 0.4), ("!", 0.1)])
        out.append(Item(_capitalise(rng, text) + mark, NATURAL, STATEMENT, "synth-command"))
    return out


def embedded_questions(questions: list[Item], n: int, rng: random.Random) -> list[Item]:
    """Wh-questions wrapped in a command/statement ("tell me who ...": statement) or in a
    question frame ("do you know who ...": question)."""
    wh = [q for q in questions if q.text.lower().split()[0] in ("what", "who", "when", "where", "which", "how", "why")]
    out = []
    for item in rng.sample(wh, min(n, len(wh))):
        body = item.text.rstrip("?. ").lower()
        if rng.random() < 0.65:
            text, label = rng.choice(EMBEDDED_STATEMENTS).format(q=body), STATEMENT
            mark = _punct(rng, [("", 0.5), (".", 0.5)])
        else:
            text, label = rng.choice(EMBEDDED_QUESTIONS).format(q=body), QUESTION
            mark = _punct(rng, [("", 0.5), ("?", 0.5)])
        out.append(Item(_capitalise(rng, text) + mark, NATURAL, label, "synth-embedded"))
    return out


def long_texts(statements: list[Item], questions: list[Item], n: int, rng: random.Random) -> list[Item]:
    """30-60 word texts: context sentences followed (or preceded) by a question are
    questions; several sentences joined are statements."""
    out = []
    for _ in range(n):
        context = []
        while sum(len(s.split()) for s in context) < rng.randint(24, 50):
            context.append(rng.choice(statements).text.rstrip())
        context = [c if c[-1] in ".!" else c + "." for c in context]
        if rng.random() < 0.55:
            q = rng.choice(questions).text.rstrip()
            q = q if q.endswith("?") else q + "?"
            parts = context + [q] if rng.random() < 0.7 else [q] + context
            label = QUESTION
        else:
            parts, label = context, STATEMENT
        out.append(Item(" ".join(parts), NATURAL, label, "synth-long"))
    return out
