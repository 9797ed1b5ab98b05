"""normalize() is the deduplication key, the normalized test copies and the normalized accuracy at once."""
from textnorm import normalize


def test_lower_cases_replaces_punctuation_and_collapses_whitespace():
    assert normalize("  Where IS  Berlin?? ") == "where is berlin"
    assert normalize("C++ vs. C#, e-mail") == "c++ vs c e mail"  # "+" is a symbol, not punctuation


def test_unicode_punctuation_is_punctuation_too():
    assert normalize("¿Dónde está «la playa»?") == "dónde está la playa"
    assert normalize("東京、ラーメン。") == "東京 ラーメン"


def test_texts_differing_only_in_case_or_punctuation_share_a_key():
    assert normalize("How do magnets work?") == normalize("how do magnets work") == normalize("HOW DO MAGNETS WORK!!")


def test_empty_and_punctuation_only_give_empty_key():
    assert normalize("") == ""
    assert normalize(" ?!... ") == ""


def test_idempotent():
    text = "Straße — naïve café, (résumé)!"
    assert normalize(normalize(text)) == normalize(text)
