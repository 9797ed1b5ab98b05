"""Split assignment: by source, deduplicated on the normalized text across splits, capped per group."""
import random

import build_datasets as bd
import check_datasets
from corpus_readers import KEYWORD, NATURAL, QUESTION, STATEMENT, Item


def test_test_train_and_late_sources_are_disjoint():
    assert not set(bd.TEST_READERS) & set(bd.TRAIN_READERS)
    assert not set(bd.LATE_READERS) & (set(bd.TEST_READERS) | set(bd.TRAIN_READERS))


def test_dedupe_keeps_the_first_row_per_key_across_calls():
    seen = set()
    first = bd.dedupe([Item("Where is Berlin?", NATURAL, QUESTION, "a"), Item("where is berlin", NATURAL, QUESTION, "b"),
                       Item("?!", NATURAL, QUESTION, "c")], seen)
    assert [i.source for i in first] == ["a"]  # same key dropped; empty key dropped
    # A later split never receives a text an earlier one claimed: this is what keeps test and train apart.
    assert bd.dedupe([Item("WHERE is Berlin", NATURAL, QUESTION, "d"), Item("new text", KEYWORD, None, "e")],
                     seen) == [Item("new text", KEYWORD, None, "e")]
    assert seen == {"where is berlin", "new text"}


def test_cap_groups_samples_each_source_and_label_group_deterministically():
    items = ([Item(f"k{i}", KEYWORD, None, "s") for i in range(10)]
             + [Item(f"n{i}", NATURAL, STATEMENT, "s") for i in range(10)])
    capped = bd.cap_groups(items, lambda group: None if group[1] == KEYWORD else 3, random.Random(5))
    assert sum(i.kw == KEYWORD for i in capped) == 10
    assert sum(i.kw == NATURAL for i in capped) == 3
    assert capped == bd.cap_groups(items, lambda group: None if group[1] == KEYWORD else 3, random.Random(5))


def test_hold_out_caps_natural_groups_only():
    assert bd.hold_out_cap(("mimics", KEYWORD, None)) is None
    assert bd.hold_out_cap(("quora", NATURAL, QUESTION)) == bd.TEST_CAP_NATURAL


def test_check_datasets_keys_are_normalized_texts_of_both_heads(tmp_path):
    (tmp_path / "dev_keyword.tsv").write_text("text\tlabel\tsource\nCheap Flights!\tkeyword\ts\n\n")
    (tmp_path / "dev_question.tsv").write_text("text\tlabel\tsource\nWhere is it?\tquestion\ts\n")
    assert check_datasets.keys(str(tmp_path), "dev") == {"cheap flights", "where is it"}
