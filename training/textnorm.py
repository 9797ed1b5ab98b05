"""Text normalisation shared by the dataset builder and the evaluator.

One definition, so that deduplication keys, the "normalized" test copies and the
normalized accuracy in `evaluate.py` all mean the same thing: lower case, every
Unicode punctuation character replaced by a space, whitespace collapsed.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-cased, punctuation-free, whitespace-collapsed form of `text`.

    Why: real log queries arrive in this shape, so the model is scored on it, and
    two rows that differ only in case or punctuation count as one for deduplication.
    """
    chars = [" " if unicodedata.category(c).startswith("P") else c for c in text.lower()]
    return _SPACES.sub(" ", "".join(chars)).strip()
