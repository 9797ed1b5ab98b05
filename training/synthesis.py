"""Synthesised training shapes that no permissive corpus covers.

The first model confused comma-separated keyword lists, short unpunctuated
conversational turns, exclamations, commands and long questions; the shipped v1 then
read disfluent spoken turns ("Well, uh, do you have kids?") as keyword lists and
entity queries with relative clauses ("astronauts who walked on the moon") as natural
language; v2 read lower-cased conversational turns wrongly (issue 13: a question after a
greeting or statement, declaratives that start like a question, short replies, command
words inside keyword queries).  These builders
make such rows from permissive training texts (TREC log queries as noun phrases,
NQ/SQuAD/... questions, FEVER/QNLI sentences, dialogue turns from SGD, Taskmaster,
Banking77, Restaurant8k and CLINC150) plus small hand-written template
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


# Spoken-language markers (hand-written): discourse openers, fillers, tag questions, and the
# leads of short spoken answers ("Uh, last year.", "it's flight 126.").
SPOKEN_OPENERS = ["uh,", "um,", "well,", "oh,", "so,", "and,", "but,", "yeah,", "well, uh,", "and, uh,",
                  "but, uh,", "oh, uh,", "so, um,", "okay,", "right,", "now,", "see,", "i mean,", "you know,",
                  "oh, well,", "yeah, well,", "and so,", "uh, well,", "oh, yeah,"]
FILLERS = ["uh,", "um,", "you know,", "like,", "i mean,", "uh, uh,"]
TAG_QUESTIONS = ["right?", "isn't it?", "huh?", "don't you?", "you know?", "wasn't it?", "doesn't it?",
                 "didn't they?", "isn't that right?", "aren't they?"]
ANSWER_LEADS = ["uh,", "um,", "oh,", "well,", "yeah,", "oh, just", "uh, the", "just the", "probably",
                "maybe", "mostly", "about", "it's", "that's", "and that's", "and it's", "oh, it's",
                "i guess", "i think", "actually,", "the", "a", "in", "not", "just", "and the", "only"]
# Keyword-query rewrites of subject questions: "who sang X" -> "{singers} who sang X".
WHO_NOUNS = {"sang": ["singers", "bands", "artists"], "sings": ["singers", "artists"],
             "played": ["actors", "players"], "plays": ["actors", "players"], "starred": ["actors", "actresses"],
             "wrote": ["authors", "writers"], "won": ["players", "teams", "winners", "athletes"],
             "invented": ["inventors", "scientists"], "discovered": ["scientists", "explorers"],
             "founded": ["founders", "people"], "designed": ["architects", "engineers"],
             "painted": ["painters", "artists"], "composed": ["composers", "musicians"],
             "voiced": ["actors", "voice actors"], "coached": ["coaches"], "led": ["leaders", "generals"],
             "directed": ["directors", "film directors"], "created": ["people", "creators"]}
NOT_NOUNS = {"is", "are", "was", "were", "did", "do", "does", "of", "in", "the", "a", "an", "type", "kind",
             "year", "years", "time", "things", "thing", "some", "other", "two", "three", "this", "its"}
# Contracted negations: tag questions ("..., isn't it?") must not make "isn't" a question cue.
NEGATIONS = {"is": "isn't", "are": "aren't", "was": "wasn't", "were": "weren't", "has": "hasn't",
             "have": "haven't", "can": "can't", "does": "doesn't", "did": "didn't", "will": "won't"}
SUBJECT_QUESTION = re.compile(r"^(?:which|what) ((?:[a-z-]+ )?[a-z-]+s) (are|were|have|had|[a-z]+ed) (?!(?:you|i|we|they|he|she|it) )(.+?)\s*\??$")


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


def _disfluent(text: str, rng: random.Random) -> str:
    """A sentence as transcribed speech: an opener, a repeated first word or two, a filler."""
    words = text.rstrip("?.! ").split()
    if len(words) > 2 and rng.random() < 0.35:
        i = rng.randrange(min(3, len(words) - 1))
        words[i] = f"{words[i]}, {words[i].lower()}"
    if len(words) > 3 and rng.random() < 0.5:
        i = rng.randrange(1, len(words) - 1)
        words[i] = f"{words[i]}, {rng.choice(FILLERS)}"
    if rng.random() < 0.75:
        words.insert(0, rng.choice(SPOKEN_OPENERS))
    return " ".join(words)


def spoken_turns(questions: list[Item], statements: list[Item], noun_phrases: list[str], n: int,
                 rng: random.Random) -> list[Item]:
    """Transcribed dialogue: disfluent questions and statements (fillers, repeats, tag
    questions) and short spoken answers ("Uh, last year.", "it's flight 126?"), all natural.
    The short answers (source synth-spoken-answer) keep their end punctuation (see
    build_datasets.KEEP_SURFACE): "the credit card" is a fine keyword query, "The credit card." a reply."""
    short_q = [q.text for q in questions if len(q.text.split()) <= 12]
    short_s = [s.text for s in statements if len(s.text.split()) <= 14] + SHORT_TURNS
    answers = [p for p in noun_phrases if len(p.split()) <= 3]
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.4:
            text, label = _disfluent(rng.choice(short_q), rng) + "?", QUESTION
        elif r < 0.7:
            text, label = _disfluent(rng.choice(short_s), rng), STATEMENT
            if rng.random() < 0.25:
                text, label = f"{text}, {rng.choice(TAG_QUESTIONS)}", QUESTION
            elif not text.endswith("?"):
                text += rng.choice([".", ".", ".", "!"])
        else:
            phrase = rng.choice(answers if rng.random() < 0.7 else OBJECTS)
            mark = rng.choice([".", ".", ".", "?"])
            text, label = f"{rng.choice(ANSWER_LEADS)} {phrase}{mark}", QUESTION if mark == "?" else STATEMENT
        source = "synth-spoken" if r < 0.7 else "synth-spoken-answer"
        text = text[0].upper() + text[1:] if rng.random() < 0.85 else text
        out.append(Item(text, NATURAL, label, source))
    return out


def relative_clause_queries(questions: list[Item], keywords: list[Item], n: int, rng: random.Random) -> list[Item]:
    """Entity-search keyword queries built on a noun phrase with a relative clause
    ("countries that border france", "singers who sang X", "films shown at ...") or
    "list of ..." (a page title, unlike the command "list ..."), from subject questions
    and TREC log queries."""
    candidates = []
    for item in questions:
        q = item.text.lower().rstrip("?. ")
        m = SUBJECT_QUESTION.match(q)
        if m and not set(m.group(1).split()) & NOT_NOUNS and not m.group(1).endswith("ss") \
                and not re.match(r"\S+ (been|there)\b", m.group(3)):
            noun, verb, rest = m.groups()
            if verb in ("are", "were") and re.match(r"\S+(ed|en)\b", rest) and rng.random() < 0.5:
                candidates.append(f"{noun} {rest}")          # reduced relative: "films shown at ..."
            else:
                candidates.append(f"{noun} {rng.choice(['that', 'that', 'which'])} {verb} {rest}")
            continue
        words = q.split()
        if len(words) > 2 and words[0] == "who" and words[1] in WHO_NOUNS:
            verb = words[1][:-1] if words[1] in ("plays", "sings") else words[1]   # plural subject
            candidates.append(f"{rng.choice(WHO_NOUNS[words[1]])} who {verb} {' '.join(words[2:])}")
    multi = [k.text for k in keywords if len(k.text.split()) >= 2]
    candidates += [f"list of {rng.choice(multi)}" for _ in range(max(n // 10, 1))]
    out = []
    for text in rng.sample(candidates, min(n, len(candidates))):
        text = text[0].upper() + text[1:] if rng.random() < 0.4 else text
        out.append(Item(text + ("." if rng.random() < 0.15 else ""), KEYWORD, None, "synth-relative-clause"))
    return out


def negated_statements(statements: list[Item], n: int, rng: random.Random) -> list[Item]:
    """Statements with their first auxiliary negated and contracted ("X isn't Y."): the
    contrast to the tag questions in spoken_turns, which end in "isn't it?"."""
    aux = re.compile(r"\b(" + "|".join(NEGATIONS) + r")\b")
    out = []
    for item in rng.sample(statements, len(statements)):
        match = aux.search(item.text)
        if match and match.start() > 0:
            text = item.text[:match.start()] + NEGATIONS[match.group(1)] + item.text[match.end():]
            out.append(Item(text, NATURAL, STATEMENT, "synth-negation"))
            if len(out) == n:
                break
    return out


# ---- v3: conversational shapes (issue 13) --------------------------------------------------------
# Hand-written openers of multi-clause turns: greetings, apologies and the like before the real request.
TURN_OPENERS = ["hi", "hello", "hey", "hi there", "good morning", "good evening", "good afternoon", "sorry",
                "excuse me", "thanks", "ok", "okay", "oh no", "sorry to bother you", "by the way",
                "quick question", "one more thing", "hello again", "hey sorry", "oh and", "also", "and"]
# Leads of short replies ("no only on weekends", "yes at the back").
REPLY_LEADS = ["yes", "no", "yeah", "nope", "sure", "ok", "okay", "maybe", "not really", "no thanks",
               "yes please", "actually", "well", "oh", "no sorry", "yes thanks", "i think", "probably",
               "usually", "not yet", "no not", "yes but"]
REPLY_ADVERBS = ["only", "just", "usually", "mostly", "always", "", "", ""]
PREPOSITIONAL = re.compile(r"\b(?:on|in|at|after|before|until|near|by|with|for|from|around) "
                           r"(?:the |a |an |my |our |this |next )?[a-z0-9]+(?: [a-z0-9]+)?")
# Question starts that become declaratives by moving the auxiliary behind a short subject.
INVERTIBLE = re.compile(r"^(is|are|was|were|am|can|could|will|would|should|has|have|had|must|may|might) "
                        r"(you|i|we|they|it|he|she|there|this|that|people|everyone|most people) (.+?)\s*\??$")
DO_SUPPORT = re.compile(r"^(do|does) (you|we|they|people|most people|it|he|she|this|that) ([a-z]+)(.*?)\s*\??$")
# Nouns that are also command verbs ("list", "show"): inside a keyword query they are no command.
COMMAND_NOUNS = ["list", "show", "search", "name", "count", "find", "help", "compare", "review", "order",
                 "set", "map", "guide", "check", "tell", "give"]
KEYWORD_TAILS = ["", "", "example", "examples", "tutorial", "template", "app", "online", "free", "pdf",
                 "meaning", "ideas", "format", "syntax", "2026", "near me"]


def _casual(text: str, rng: random.Random) -> str:
    """Typed-in-a-hurry form: 30% lose their apostrophes ("there's" -> "theres")."""
    return text.replace("'", "") if rng.random() < 0.3 else text


def _third_person(verb: str) -> str:
    """Present-tense third person singular of a base-form verb (regular rules plus have/do/go/be)."""
    irregular = {"have": "has", "do": "does", "go": "goes", "be": "is"}
    if verb in irregular:
        return irregular[verb]
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def declarative_of(question: str) -> str | None:
    """A yes/no question turned into the statement it asks about, or None when it has no such
    form: "can you renew it by mail" -> "you can renew it by mail", "is there a garden" ->
    "there is a garden", "does it work" -> "it works", "do people sleep" -> "people sleep"."""
    q = question.lower().rstrip("?.! ")
    m = INVERTIBLE.match(q)
    if m:
        aux, subject, rest = m.groups()
        return f"{subject} {aux} {re.sub(r'^any ', 'some ', rest)}"
    m = DO_SUPPORT.match(q)
    if m:
        aux, subject, verb, rest = m.groups()
        return f"{subject} {_third_person(verb) if aux == 'does' else verb}{rest}"
    return None


def declarative_statements(questions: list[Item], n: int, rng: random.Random) -> list[Item]:
    """Statements that begin like a question or a modal ("you can renew a passport by mail",
    "there is a pharmacy near here"): yes/no questions with the auxiliary moved behind the
    subject.  The question itself stays in training, so the pair differs only in word order."""
    out = []
    for item in rng.sample(questions, len(questions)):
        text = declarative_of(item.text)
        if text and len(text.split()) >= 3:
            mark = _punct(rng, [("", 0.6), (".", 0.35), ("!", 0.05)])
            out.append(Item(_casual(_capitalise(rng, text), rng) + mark, NATURAL, STATEMENT, "synth-declarative"))
            if len(out) == n:
                break
    return out


def multi_clause_turns(statements: list[str], questions: list[str], n: int, rng: random.Random) -> list[Item]:
    """Turns where a greeting, apology or statement comes first and the question or statement that
    decides the label last ("i was late again sorry are you still at the office"): labelled by the
    last clause.  Written with the clause's own punctuation; break_shortcuts strips it from half."""
    out = []
    for _ in range(n):
        first = rng.choice(TURN_OPENERS) if rng.random() < 0.4 else rng.choice(statements)
        first = first.rstrip(" .!?,") + rng.choice([".", ",", "", "!"])
        if rng.random() < 0.6:
            last, label = rng.choice(questions), QUESTION
        else:
            last, label = rng.choice(statements), STATEMENT
        text = _casual(f"{first} {last[0].lower() + last[1:] if rng.random() < 0.5 else last}", rng)
        out.append(Item(text, NATURAL, label, "synth-multi-clause"))
    return out


def short_replies(statements: list[str], n: int, rng: random.Random) -> list[Item]:
    """Short replies led by a reply word: "no only on weekends", "yes at the back", "nope i
    already paid" - natural statements that a keyword head would otherwise take for a query.
    The bodies are prepositional phrases and short clauses from conversational statements."""
    phrases = sorted({m.group(0) for s in statements for m in PREPOSITIONAL.finditer(s.lower())})
    clauses = [s.rstrip(" .!") for s in statements if len(s.split()) <= 7]
    out = []
    for _ in range(n):
        if rng.random() < 0.5:
            body = " ".join(w for w in (rng.choice(REPLY_ADVERBS), rng.choice(phrases)) if w)
        else:
            body = rng.choice(clauses)
        text = f"{rng.choice(REPLY_LEADS)} {body[0].lower() + body[1:]}"
        mark = _punct(rng, [("", 0.6), (".", 0.35), ("!", 0.05)])
        out.append(Item(_casual(_capitalise(rng, text), rng) + mark, NATURAL, STATEMENT, "synth-short-reply"))
    return out


def command_noun_queries(noun_phrases: list[str], n: int, rng: random.Random) -> list[Item]:
    """Keyword queries with a command word used as a noun after the first word ("python list
    comprehension example", "wedding guest list template"): the contrast to the commands, which
    start with the verb."""
    short = [p for p in noun_phrases if len(p.split()) <= 2]
    out = []
    for _ in range(n):
        words = [rng.choice(short), rng.choice(COMMAND_NOUNS)]
        if rng.random() < 0.4:
            words.append(rng.choice(short))
        words.append(rng.choice(KEYWORD_TAILS))
        out.append(Item(" ".join(w for w in words if w), KEYWORD, None, "synth-command-noun"))
    return out


# ---- v4: punctuation, case and identifiers that do not decide the kind (issue 21) ---------------
# v3 learned "a final mark means a sentence": its keyword queries never ended in punctuation.  Query
# logs are full of "risotto recipe." and "apple watch price!!", of URLs with a "?" and of chat replies
# without a verb, so the kind must come from the words, not from the marks around them.
QUERY_MARKS = [(".", 0.22), ("?", 0.16), ("!", 0.13), ("!!", 0.07), ("...", 0.1), (" :)", 0.04), (":)", 0.03),
               ("??", 0.04), ("!?", 0.02), (" ?", 0.04), (" !", 0.02), (",", 0.03), (";", 0.02), (" .", 0.02)]
QUOTES = [('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("(", ")"), ("*", "*")]
INNER_MARKS = [":", " -", ",", " |", " /", "!", "."]
TLDS = ["com", "org", "net", "io", "co.uk", "de", "edu", "gov", "info", "app", "dev", "fr", "com.au", "ca"]
URL_KEYS = ["v", "q", "id", "ref", "page", "utm_source", "lang", "s", "search", "p", "t", "sort", "tab", "list"]
FILE_EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "csv", "py", "js", "json", "yaml", "png", "jpg", "zip",
                   "exe", "log", "html", "md", "mp4", "swift", "conf", "sh"]
ERROR_WORDS = ["connection", "refused", "timeout", "not", "found", "access", "denied", "invalid", "argument",
               "out", "of", "memory", "null", "pointer", "permission", "file", "disk", "full", "reset", "ssl"]
# Chat replies and greetings: natural statements although most have no verb (hand-written).
CHAT_ALONE = ["lol", "haha", "hahaha", "lmao", "ok", "okay", "kk", "yes", "yeah", "yep", "yup", "nope", "nah",
              "hmm", "thanks", "thank you", "thx", "ty", "omg", "oops", "np", "alright", "hi", "hello", "hey",
              "good morning", "good night", "good afternoon", "bye", "cheers", "sure", "ok thanks", "hi all"]
CHAT_LEADS = CHAT_ALONE + ["no", "oh", "ah", "ooh", "cool", "great", "nice", "awesome", "perfect", "wow", "aww",
                           "sorry", "right", "true", "same", "agreed", "exactly", "totally", "of course",
                           "definitely", "congrats", "morning", "see ya", "well", "fine", "ha", "yay", "ugh"]
CHAT_BODIES = ["ok", "go ahead", "sounds good", "no worries", "no problem", "see you", "see you tomorrow",
               "see you later", "talk soon", "will do", "got it", "sure thing", "me too", "thanks", "thank you",
               "love it", "that's fine", "that works", "i'm in", "on my way", "be right there", "just kidding",
               "my bad", "you too", "same here", "not bad", "all good", "have fun", "take care", "miss you",
               "love you", "let's go", "fair enough", "makes sense", "i guess", "i know right", "you're right",
               "nice one", "well done", "good job", "count me in", "i'm good", "all set", "almost there",
               "running late", "be there in 5", "one sec", "hold on", "brb", "gtg", "never mind", "you're welcome",
               "anytime", "sounds great", "works for me", "no thanks", "not yet", "done", "deal", "my pleasure",
               "no rush", "sleep well", "have a good one", "see you soon", "that's funny", "so true", "ok cool",
               "thanks a ton", "appreciate it", "good to know", "glad to hear", "i'm fine", "i'm here", "yes please"]
CHAT_NAMES = ["sam", "alex", "mom", "dad", "guys", "everyone", "man", "dude", "sarah", "john", "team", "bro",
              "all", "folks", "mate", "buddy", "anna", "mike"]
CHAT_MARKS = [("", 0.3), ("!", 0.18), (".", 0.1), ("!!", 0.06), (" :)", 0.1), (":)", 0.04), (" :D", 0.04),
              (" ;)", 0.03), ("...", 0.05), (" <3", 0.03), (" :(", 0.03), ("!!!", 0.02), (" xx", 0.02)]


def punctuated_query(text: str, rng: random.Random) -> str:
    """A query as typed into a chat-style search box: a trailing mark (".", "?", "!", "!!", "...",
    ":)", ...; 70%), wrapped in quotes or brackets (10%), inner punctuation after a word (10%), or
    upper case (10%).  The label stays the query's own."""
    r = rng.random()
    base = text.rstrip(" .!?")
    if not base:
        return text
    if r < 0.7:
        return base + _punct(rng, QUERY_MARKS)
    if r < 0.8:
        left, right = rng.choice(QUOTES)
        return f"{left}{base}{right}" + _punct(rng, [("", 0.6), (".", 0.2), ("?", 0.2)])
    words = base.split()
    if r < 0.9 and len(words) >= 2:
        i = rng.randrange(1, len(words))
        return " ".join(words[:i]) + rng.choice(INNER_MARKS) + " " + " ".join(words[i:]) + \
            _punct(rng, [("", 0.5), (".", 0.2), ("?", 0.15), ("!", 0.15)])
    return base.upper() + _punct(rng, [("", 0.5), ("!", 0.25), ("?", 0.15), (".", 0.1)])


def _token(rng: random.Random, alphabet: str, low: int, high: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))


def identifier_queries(noun_phrases: list[str], n: int, rng: random.Random) -> list[Item]:
    """URLs, domains, e-mail addresses, file paths, product and error codes: keyword queries whatever
    "?", "=", "&", "@" or "/" they contain ("youtube.com/watch?v=...", "error 0x80070005?").  Their
    words come from TREC log queries, their shapes from hand-written patterns."""
    words = sorted({w for p in noun_phrases for w in re.findall(r"[a-z][a-z0-9]+", p.lower()) if len(w) > 2})
    alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    hexdigits = "0123456789ABCDEF"

    def domain() -> str:
        name = rng.choice(["", "-", ""]).join(rng.sample(words, rng.choice([1, 1, 2])))
        return rng.choice(["", "", "www.", "m.", "en."]) + f"{name}.{rng.choice(TLDS)}"

    def url() -> str:
        path = "/".join(rng.sample(words, rng.randint(0, 2)))
        shape = rng.random()
        if shape < 0.35:
            query = "&".join(f"{rng.choice(URL_KEYS)}={_token(rng, alnum, 3, 11)}" for _ in range(rng.randint(1, 3)))
            tail = f"/{path}?{query}" if path else f"/watch?{query}"
        elif shape < 0.6:
            tail = f"/search?q={'+'.join(rng.sample(words, rng.randint(1, 3)))}"
        elif shape < 0.8:
            tail = f"/{path}/{rng.choice(words)}.{rng.choice(['html', 'php', 'aspx', 'pdf'])}"
        else:
            tail = f"/{path}" if path else ""
        return rng.choice(["", "", "https://", "http://"]) + domain() + tail

    def email() -> str:
        user = rng.choice([".", "_", ""]).join(rng.sample(words, rng.choice([1, 2]))) + \
            rng.choice(["", "", str(rng.randint(1, 99))])
        return f"{user}@{rng.choice([domain().removeprefix('www.'), 'gmail.com', 'yahoo.com', 'outlook.com'])}"

    def file_path() -> str:
        name = rng.choice(["_", "-", ""]).join(rng.sample(words, rng.choice([1, 2]))) + "." + rng.choice(FILE_EXTENSIONS)
        folders = rng.sample(words, rng.randint(0, 3))
        shape = rng.random()
        if shape < 0.35:
            return "/" + "/".join(rng.choice([["home", rng.choice(words)], ["usr", "local"], ["var", "log"], ["etc"]])
                                  + folders + [name])
        if shape < 0.65:
            return "C:\\" + "\\".join(rng.choice([["Users", rng.choice(words).title()], ["Program Files"], ["Windows"]])
                                      + [f.title() for f in folders] + [name])
        return rng.choice(["~/", "./", "", "src/"]) + "/".join(folders + [name])

    def product_code() -> str:
        shape = rng.random()
        code = _token(rng, "ABCDEFGHJKLMNPRSTUVWXZ", 1, 3) + rng.choice(["", "-", " "]) + _token(rng, "0123456789", 2, 5)
        if shape < 0.4:
            return f"{' '.join(rng.sample(words, rng.choice([1, 2])))} {code}"
        if shape < 0.7:
            return f"{rng.choice(['sku', 'model', 'part', 'item', 'part no', 'model no', 'ref'])} {code}"
        return code + rng.choice(["", "", "-" + _token(rng, alnum, 1, 3)])

    def error_code() -> str:
        shape = rng.random()
        if shape < 0.25:
            code = "0x" + _token(rng, hexdigits, 8, 8)
        elif shape < 0.45:
            code = "ERR_" + "_".join(w.upper() for w in rng.sample(ERROR_WORDS, rng.randint(2, 3)))
        elif shape < 0.6:
            code = rng.choice(["E", "e", "C", "AE", "WS", "P0"]) + _token(rng, "0123456789", 3, 4)
        elif shape < 0.75:
            code = f"{rng.choice(['http', 'error', 'status', 'code', 'errno'])} {rng.choice([400, 401, 403, 404, 429, 500, 502, 503, 504, 13, 28, 110])}"
        else:
            code = rng.choice(words).title() + rng.choice(["Error", "Exception"])
        lead = rng.random()
        if lead < 0.3:
            return f"{rng.choice(words)} {rng.choice(['error', 'error code', ''])} {code}".replace("  ", " ")
        return code + rng.choice(["", "", " error", " fix", " windows 10", " meaning"])

    makers = [domain, url, url, email, file_path, product_code, error_code, error_code]
    out = []
    for _ in range(n):
        text = rng.choice(makers)()
        text += _punct(rng, [("?", 0.12), (".", 0.06), ("!", 0.03)])
        out.append(Item(text, KEYWORD, None, "synth-identifier"))
    return out


def chat_replies(n: int, rng: random.Random) -> list[Item]:
    """Short chat replies and greetings ("sure, go ahead", "lol ok", "thanks!", "good morning :)"):
    natural statements, although most have no verb, many end in an emoticon and none is a query."""
    out = []
    for _ in range(n):
        shape = rng.random()
        if shape < 0.15:
            text = rng.choice(CHAT_ALONE)
        elif shape < 0.75:
            text = rng.choice(CHAT_LEADS) + rng.choice([" ", ", ", " ", "! ", ". "]) + rng.choice(CHAT_BODIES)
        else:
            text = rng.choice(CHAT_BODIES)
        if rng.random() < 0.2:
            text += rng.choice([" ", ", "]) + rng.choice(CHAT_NAMES)
        text = _capitalise(rng, text)
        if rng.random() < 0.05:
            text = text.upper()
        out.append(Item(_casual(text, rng) + _punct(rng, CHAT_MARKS), NATURAL, STATEMENT, "synth-chat-reply"))
    return out


# Short scene sentences, as captions and chat describe what is happening ("Two dogs drink water in a lake.",
# "A man is playing a guitar.", "Three dogs playing in the snow."): natural statements, most ending in ".".
# The first v4 run, taught that a final mark does not make a sentence, read such short sentences as keyword
# queries with a mark; these rows put the verb back in charge (hand-written vocabulary).
SCENE_SUBJECTS = [("a man", 1), ("a woman", 1), ("a boy", 1), ("a girl", 1), ("a child", 1), ("a dog", 1),
                  ("a cat", 1), ("a horse", 1), ("a bird", 1), ("a chef", 1), ("a player", 1), ("the team", 1),
                  ("an old man", 1), ("a young woman", 1), ("a little girl", 1), ("a black dog", 1),
                  ("a brown horse", 1), ("someone", 1), ("my neighbour", 1), ("the baby", 1),
                  ("two men", 2), ("two women", 2), ("two dogs", 2), ("three children", 2), ("four cows", 2),
                  ("people", 2), ("the kids", 2), ("some students", 2), ("two cats", 2), ("several birds", 2),
                  ("a group of people", 2), ("two smiling women", 2), ("three young boys", 2), ("the players", 2)]
SCENE_ACTIONS = [("play", "playing", "a guitar"), ("play", "playing", "in the snow"), ("run", "running", "on the beach"),
                 ("swim", "swimming", "in a pool"), ("drink", "drinking", "water from a lake"),
                 ("cross", "crossing", "a busy street"), ("ride", "riding", "a bike down the road"),
                 ("eat", "eating", "lunch at a table"), ("jump", "jumping", "over a fence"),
                 ("walk", "walking", "through the park"), ("slice", "slicing", "a green pepper"),
                 ("hold", "holding", "a baby"), ("sit", "sitting", "on a bench"), ("climb", "climbing", "a rock wall"),
                 ("cook", "cooking", "dinner in the kitchen"), ("read", "reading", "a book on the train"),
                 ("watch", "watching", "the sunset"), ("kick", "kicking", "a ball"), ("dance", "dancing", "on a stage"),
                 ("paint", "painting", "a wall"), ("sing", "singing", "into a microphone"),
                 ("carry", "carrying", "boxes up the stairs"), ("wait", "waiting", "for the bus"),
                 ("fly", "flying", "over the water"), ("chase", "chasing", "a frisbee"), ("build", "building", "a sandcastle"),
                 ("sleep", "sleeping", "on the couch"), ("fix", "fixing", "a flat tire"), ("wash", "washing", "the car"),
                 ("lie", "lying", "on a white carpet"), ("throw", "throwing", "a stick into the lake")]


def scene_sentences(n: int, rng: random.Random) -> list[Item]:
    """Short sentences about what someone is doing: "A man is playing a guitar.", "Two dogs drink water
    from a lake.", "Three children playing in the snow" (the caption form without "is/are" too):
    natural statements with or without their final mark."""
    out = []
    for _ in range(n):
        subject, number = rng.choice(SCENE_SUBJECTS)
        base, participle, rest = rng.choice(SCENE_ACTIONS)
        form = rng.random()
        if form < 0.4:
            verb = ("is " if number == 1 else "are ") + participle
        elif form < 0.75:
            verb = _third_person(base) if number == 1 else base
        else:
            verb = participle
        text = _capitalise(rng, f"{subject} {verb} {rest}")
        out.append(Item(text + _punct(rng, [(".", 0.7), ("", 0.25), ("!", 0.05)]), NATURAL, STATEMENT,
                        "synth-scene"))
    return out
