"""The rules that decide labels: question form, cleaning, and how labels are written per head."""
import build_datasets as bd
from corpus_readers import KEYWORD, NATURAL, QUESTION, STATEMENT, Item, clean, looks_like_question


def test_question_form_is_a_question_mark_or_a_wh_or_auxiliary_first_word():
    assert looks_like_question("where is berlin")
    assert looks_like_question("Can you recommend a hotel")
    assert looks_like_question("berlin population?")
    assert not looks_like_question("cheap flights paris")
    assert not looks_like_question("List all brothers of Arya.")  # imperatives are statements
    assert not looks_like_question("")


def test_clean_folds_whitespace_and_reattaches_tokenised_punctuation():
    assert clean("  Aspen ?") == "Aspen?"
    assert clean("a\tb\n c , d .") == "a b c, d."
    assert clean("3 . 5 stars") == "3. 5 stars"


def test_write_head_names_labels_per_head_and_skips_rows_without_one(tmp_path):
    items = [Item("cheap flights", KEYWORD, None, "s1"), Item("where\tis it?", NATURAL, QUESTION, "s2"),
             Item("It is here.", NATURAL, STATEMENT, "s3"), Item("   ", NATURAL, STATEMENT, "s4")]
    keyword = tmp_path / "keyword.tsv"
    counts = bd.write_head(str(keyword), items, "keyword", transform=str.strip)
    assert keyword.read_text().splitlines() == [
        "text\tlabel\tsource", "cheap flights\tkeyword\ts1", "where is it?\tnatural\ts2", "It is here.\tnatural\ts3"]
    assert counts == {"s1/keyword": 1, "s2/natural": 1, "s3/natural": 1}
    question = tmp_path / "question.tsv"
    bd.write_head(str(question), items, "question", transform=str.strip)
    assert question.read_text().splitlines()[1:] == ["where is it?\tquestion\ts2", "It is here.\tstatement\ts3"]


def test_break_shortcuts_keeps_labels_and_the_kept_surface_sources():
    import random
    rng = random.Random(1)
    spoken = Item("Yes, it is.", NATURAL, STATEMENT, next(iter(bd.KEEP_SURFACE)))
    assert bd.break_shortcuts(spoken, rng) == spoken
    question = Item("Where is Berlin?", NATURAL, QUESTION, "nq")
    forms = {bd.break_shortcuts(question, rng).text for _ in range(200)}
    assert forms == {"Where is Berlin?", "where is berlin", "Where is Berlin"}
    keyword = Item("cheap flights", KEYWORD, None, "trec-mq")
    outputs = [bd.break_shortcuts(keyword, rng) for _ in range(200)]
    assert {o.text for o in outputs} == {"cheap flights", "Cheap Flights"}
    assert all((o.kw, o.q, o.source) == (KEYWORD, None, "trec-mq") for o in outputs)


def test_label_indices_are_the_heads_output_indices():
    # querykind reads p_keyword as softmax index 0 of classifier1 and p_question as index 1 of classifier2.
    assert bd.LABEL_NAMES == {"keyword": {0: "keyword", 1: "natural"}, "question": {0: "statement", 1: "question"}}
    assert (KEYWORD, NATURAL, STATEMENT, QUESTION) == (0, 1, 0, 1)
