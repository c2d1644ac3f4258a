"""What the words say: fillers, sentences and questions.

All functions take Whisper's word list (texts with leading spaces and
punctuation, e.g. " Dana,") and are pure. The caller's introduction is
:mod:`coach.text.introduction`; numbers said as words, for comparing texts,
:mod:`coach.text.normalise`.
"""

from __future__ import annotations

import re

from coach.report import Filler, Question, Word
from coach.text.tokens import EDGE_PUNCT, HAS_WORD, SENTENCE_END, core, join_words

# ---------------------------------------------------------------------------
# Fillers

#: um/umm/uhm, uh/uhh, er/err/erm, ah/ahh, hm/hmm, mm/mmm: any case, any punctuation.
_FILLER = re.compile(r"^(?:u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m{2,})$")


def is_filler(text: str) -> bool:
    """True for a hesitation sound; "like" and "you know" are not counted (too ambiguous)."""
    return bool(_FILLER.match(core(text)))


def find_fillers(words: list[Word]) -> list[Filler]:
    """Every um, uh, er, erm, ah, hmm, mm (stretched forms such as "umm" included)."""
    return [Filler(EDGE_PUNCT.sub("", w.text.strip()), w.start, w.end) for w in words if is_filler(w.text)]


# ---------------------------------------------------------------------------
# Sentences

_ELLIPSIS = re.compile(r"(\.\.\.|\u2026)[\"')\]]*$")
#: Abbreviations whose period never ends a sentence.
_TITLES = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.", "vs.", "e.g.", "i.e."})
#: Abbreviations that end a sentence only when the next word is capitalised ("2 p.m. Thanks").
_MAYBE_END = frozenset({"a.m.", "p.m.", "inc.", "etc.", "co.", "corp.", "ltd.", "llc."})


def ends_sentence(word: Word, nxt: Word | None) -> bool:
    """Whether ``word`` ends a sentence, ``nxt`` being the word after it (see :func:`split_sentences`)."""
    text = word.text.strip()
    if not SENTENCE_END.search(text):
        return False
    lower = text.lower()
    if lower in _TITLES:
        return False
    next_upper = nxt is not None and nxt.text.strip()[:1].isupper()
    if lower in _MAYBE_END or _ELLIPSIS.search(text):
        return nxt is None or next_upper
    return True


def split_sentences(words: list[Word]) -> list[list[Word]]:
    """Words grouped into sentences at ".", "?" and "!".

    Titles ("Mr.", "Dr.") never end a sentence; "a.m.", "p.m.", "Inc." and an
    ellipsis ("So...") end one only before a capitalised word. Groups with no
    letters or digits (stray punctuation tokens) are dropped.
    """
    sentences: list[list[Word]] = []
    current: list[Word] = []
    for i, word in enumerate(words):
        current.append(word)
        nxt = words[i + 1] if i + 1 < len(words) else None
        if ends_sentence(word, nxt):
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return [s for s in sentences if any(HAS_WORD.search(w.text) for w in s)]


def count_sentences(words: list[Word]) -> int:
    return len(split_sentences(words))


# ---------------------------------------------------------------------------
# Questions

#: Words that may precede the question proper: "So, would you ...", "Um, are you ...".
_LEAD_INS = frozenset(
    {
        "so",
        "and",
        "but",
        "well",
        "also",
        "now",
        "okay",
        "ok",
        "anyway",
        "hey",
        "oh",
        "just",
        "quick",
        "question",
    }
)
_AUXILIARIES = frozenset(
    {
        "would",
        "could",
        "can",
        "will",
        "should",
        "shall",
        "may",
        "might",
        "do",
        "does",
        "did",
        "are",
        "is",
        "was",
        "were",
        "have",
        "has",
        "had",
        "am",
        "wouldn't",
        "couldn't",
        "can't",
        "won't",
        "don't",
        "doesn't",
        "didn't",
        "aren't",
        "isn't",
        "haven't",
        "hasn't",
    }
)
_SUBJECTS = frozenset({"you", "it", "we", "they", "that", "this", "there", "he", "she", "i", "your", "anyone"})
#: Auxiliary + subject pairs that open commands, not questions ("Have your team call me.").
_IMPERATIVE_PAIRS = frozenset({("have", "your"), ("do", "your"), ("do", "it"), ("do", "that"), ("do", "this")})
_WH_WORDS = frozenset({"what", "how", "when", "where", "why", "who", "which"})
_WH_CONTRACTIONS = frozenset({"what's", "how's", "when's", "where's", "why's", "who's"})
_QUESTION_OPENERS = (("how", "about"), ("what", "about"), ("any", "chance"), ("is", "there"))


def looks_like_question(sentence: list[Word]) -> bool:
    """True when a sentence without "?" still has question word order.

    Whisper (tiny.en above all) sometimes ends a question with "." in a run-on
    message. Only forms that are questions by their word order count, after
    lead-ins and fillers ("So, um, would you ..."):

    - auxiliary + subject: "would you", "are you", "is it", "do you", "could we";
    - wh-word + auxiliary or a wh-contraction: "how are", "what do", "what's";
    - "how about", "what about", "any chance", "is there";
    - an indirect question anywhere: "I was wondering if/whether ...".

    A bare auxiliary or wh-word is not enough: "Would love to connect." and
    "What I wanted to share is ..." are statements.
    """
    cores = [c for c in (core(w.text) for w in sentence) if c]
    k = 0
    while k < len(cores) and (cores[k] in _LEAD_INS or is_filler(cores[k])):
        k += 1
    first = cores[k] if k < len(cores) else ""
    second = cores[k + 1] if k + 1 < len(cores) else ""
    if (first, second) in _QUESTION_OPENERS:
        return True
    if any(a == "wondering" and b in ("if", "whether") for a, b in zip(cores, cores[1:], strict=False)):
        return True
    if first in _AUXILIARIES and second in _SUBJECTS and (first, second) not in _IMPERATIVE_PAIRS:
        return True
    if first in _WH_CONTRACTIONS:
        return True
    return first in _WH_WORDS and second in _AUXILIARIES


def find_questions(words: list[Word]) -> list[Question]:
    """Sentences ending in "?", and those with question word order but a "." (see
    :func:`looks_like_question`)."""
    questions = []
    for sentence in split_sentences(words):
        last = sentence[-1].text.strip().rstrip("\"')]")
        if last.endswith("?") or looks_like_question(sentence):
            questions.append(Question(join_words(sentence), sentence[0].start, sentence[-1].end))
    return questions
