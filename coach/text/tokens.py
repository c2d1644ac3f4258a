"""Word-level helpers shared by the text features: a word's core, its join.

Whisper's words carry a leading space and punctuation (" Dana,"); every text
feature compares their *core*: lower case, curly apostrophes straightened,
surrounding punctuation removed ("Dana," -> "dana"; inner ' and - kept).
"""

from __future__ import annotations

import re

from coach.report import Word

EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
HAS_WORD = re.compile(r"[^\W_]")
SENTENCE_END = re.compile(r"[.?!][\"')\]]*$")


def core(text: str) -> str:
    """Lower-case word without surrounding punctuation ("Dana," -> "dana")."""
    return EDGE_PUNCT.sub("", text.strip().lower().replace("\u2019", "'"))


def join_words(words: list[Word]) -> str:
    """The words as one string, as Whisper spaced them."""
    return "".join(w.text for w in words).strip()
