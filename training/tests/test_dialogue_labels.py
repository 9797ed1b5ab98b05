"""The v3 rules that label dialogue turns (turn_item) and make declaratives from questions (declarative_of)."""
import random

from corpus_readers import NATURAL, QUESTION, STATEMENT, Item, _turn_items, last_sentence, turn_item
from synthesis import _third_person, declarative_of, declarative_statements


def test_turn_needs_three_words_and_a_conversational_cue_word():
    assert turn_item("yes please", "sgd") is None                 # a cue, but two words
    assert turn_item("I'm fine.", "sgd") is None                  # "i'm" is one word
    assert turn_item("Spring Hills Kansas", "sgd") is None        # three words, none a cue: a slot-only reply
    assert turn_item("Spring Hills Kansas?", "sgd") is None       # a "?" does not rescue it
    assert turn_item("   ", "sgd") is None
    assert turn_item("yes thank you", "sgd") == Item("yes thank you", NATURAL, STATEMENT, "sgd")


def test_turn_ending_in_a_question_mark_is_a_question_whatever_comes_before():
    assert turn_item("where is it ?", "taskmaster") == Item("where is it?", NATURAL, QUESTION, "taskmaster")
    assert turn_item("I'm hungry. Where can we eat?", "sgd").q == QUESTION
    assert turn_item("yes, can you book it?", "sgd").q == QUESTION    # a comma only drops unpunctuated turns


def test_turn_ending_in_a_full_stop_or_bang_is_a_statement_unless_its_last_sentence_starts_like_a_question():
    assert turn_item("That sounds great!", "sgd") == Item("That sounds great!", NATURAL, STATEMENT, "sgd")
    assert turn_item("ok, i will take it.", "sgd").q == STATEMENT
    assert turn_item("Is it open? I think so.", "sgd").q == STATEMENT   # only the last sentence counts
    assert turn_item("Can you play some jazz.", "sgd") is None          # ambiguous: dropped
    assert turn_item("Hi there. Can you play some jazz.", "sgd") is None
    assert turn_item("Can you believe it!", "sgd") is None


def test_unpunctuated_single_clause_turn_is_a_question_by_its_first_word():
    assert turn_item("can you book a table", "clinc150") == Item("can you book a table", NATURAL, QUESTION, "clinc150")
    assert turn_item("do you have parking", "clinc150").q == QUESTION
    assert turn_item("i need a table for 2", "clinc150") == Item("i need a table for 2", NATURAL, STATEMENT, "clinc150")
    assert turn_item("find me a cheap hotel", "clinc150").q == STATEMENT   # imperatives are statements


def test_unpunctuated_turn_with_more_than_one_clause_is_dropped():
    assert turn_item("yes, i need a taxi", "sgd") is None
    assert turn_item("i need a taxi. can you book it", "sgd") is None


def test_turn_text_is_cleaned_before_it_is_labelled_and_every_kept_turn_is_natural():
    assert turn_item("  i need   a taxi .", "restaurant8k") == Item("i need a taxi.", NATURAL, STATEMENT, "restaurant8k")
    items = _turn_items(["Spring Hills Kansas", "can you book it", "Can you play some jazz.", "we are four"], "banking77")
    assert items == [Item("can you book it", NATURAL, QUESTION, "banking77"),
                     Item("we are four", NATURAL, STATEMENT, "banking77")]


def test_last_sentence_splits_after_end_punctuation_followed_by_a_space():
    assert last_sentence("Thanks! Can you book it?") == "Can you book it?"
    assert last_sentence("Is it open? I think so.") == "I think so."
    assert last_sentence("It costs 3.50 dollars.") == "It costs 3.50 dollars."   # no space after the "."
    assert last_sentence("Hi there.  ") == "Hi there."


def test_declarative_moves_the_auxiliary_behind_a_short_subject():
    assert declarative_of("Can you renew it by mail?") == "you can renew it by mail"
    assert declarative_of("Is there a garden") == "there is a garden"
    assert declarative_of("Is it open!") == "it is open"
    assert declarative_of("can most people swim") == "most people can swim"
    assert declarative_of("Are there any tickets left?") == "there are some tickets left"   # leading "any" -> "some"
    assert declarative_of("can you find any hotels") == "you can find any hotels"           # only a leading "any"


def test_declarative_drops_do_support_and_inflects_does():
    assert declarative_of("does it work") == "it works"
    assert declarative_of("Does she watch TV?") == "she watches tv"
    assert declarative_of("does he study") == "he studies"
    assert declarative_of("does it have a pool") == "it has a pool"
    assert declarative_of("do people sleep at night") == "people sleep at night"
    assert declarative_of("do most people sleep late") == "most people sleep late"


def test_declarative_is_none_for_questions_without_that_form():
    assert declarative_of("where is the station") is None     # wh-questions
    assert declarative_of("is the museum open") is None       # subject not a listed short one
    assert declarative_of("is theresa here") is None          # "there" only as a whole word
    assert declarative_of("did you eat") is None              # auxiliary not handled
    assert declarative_of("isn't it cold") is None
    assert declarative_of("is it") is None                    # nothing after the subject
    assert declarative_of("do you") is None


def test_third_person_of_base_verbs():
    assert [_third_person(v) for v in ["have", "do", "go", "be", "work", "play", "study", "watch", "fix", "pass",
                                       "wash", "buzz", "echo"]] == \
        ["has", "does", "goes", "is", "works", "plays", "studies", "watches", "fixes", "passes", "washes",
         "buzzes", "echoes"]


def test_declarative_statements_are_natural_statements_of_three_words_or_more():
    questions = [Item(q, NATURAL, QUESTION, "nq") for q in
                 ["do you know", "where is it", "Can you renew it by mail?", "is there a garden"]]
    out = declarative_statements(questions, 10, random.Random(3))
    assert all((o.kw, o.q, o.source) == (NATURAL, STATEMENT, "synth-declarative") for o in out)
    assert sorted(o.text.lower().rstrip(".!") for o in out) == ["there is a garden", "you can renew it by mail"]
    assert len(declarative_statements(questions, 1, random.Random(3))) == 1
