"""Phrase matching on normalised text, with times from the words that matched.

Rules match phrases from the configuration ("sorry to bother you", "I'll try
you") against what was said. Both sides go through :func:`tokenize`, so the
match ignores case, punctuation and hyphens ("industry-leading" = "industry
leading"), expands contractions ("I'll" = "I will", "don't" = "do not") and
only ever matches whole words ("discount" does not match "discounted").

A :class:`TextIndex` is built once per report from Whisper's words when there
are any (each token remembers the word it came from, so a match carries the
words' start and end times) and from the transcript otherwise (no times).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coach.report import Report, Word

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_AM_PM = re.compile(r"\b([ap])\.\s?m\b\.?")
#: "10am", "2:30pm" as Whisper writes them: the number and "am"/"pm" as two tokens, as in "10 a.m.".
_GLUED_AM_PM = re.compile(r"(\d)([ap]m)\b")
_TOKEN = re.compile(r"[a-z0-9']+")

_CONTRACTIONS = {
    "won't": "will not",
    "can't": "can not",
    "cannot": "can not",
    "shan't": "shall not",
    "let's": "let us",
    "it's": "it is",
    "that's": "that is",
    "what's": "what is",
    "there's": "there is",
    "here's": "here is",
    "who's": "who is",
    "he's": "he is",
    "she's": "she is",
    "how's": "how is",
    "where's": "where is",
    "o'clock": "oclock",
    "y'all": "you all",
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"), ("'d", " would"), ("'m", " am"))


def _expand(token: str) -> list[str]:
    token = token.strip("'")
    if not token:
        return []
    if token in _CONTRACTIONS:
        return _CONTRACTIONS[token].split()
    for suffix, replacement in _SUFFIXES:
        if token.endswith(suffix) and len(token) > len(suffix):
            return (token[: -len(suffix)] + replacement).split()
    if token.endswith("'s"):
        return [token[:-2]]
    return [token]


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens with punctuation dropped and contractions expanded."""
    text = text.lower().translate(_APOSTROPHES)
    text = _GLUED_AM_PM.sub(r"\1 \2", _AM_PM.sub(r"\1m", text)).replace("%", " percent ")
    tokens: list[str] = []
    for raw in _TOKEN.findall(text):
        tokens.extend(_expand(raw))
    return tokens


@dataclass(frozen=True)
class Match:
    """One phrase found in the message: ``said`` is the words as transcribed."""

    phrase: str
    said: str
    first: int
    last: int
    start_s: float | None
    end_s: float | None
    weight: float = 1.0


Phrases = Iterable[str] | Mapping[str, float]


class TextIndex:
    """The message's tokens, each tied to the Whisper word it came from."""

    def __init__(self, words: list[Word], transcript: str = ""):
        self.words = words
        self.tokens: list[str] = []
        self.token_word: list[int | None] = []
        if words:
            for i, word in enumerate(words):
                tokens = tokenize(word.text)
                if tokens == ["m"] and word.text.lstrip().startswith(".") and self._split_am_pm(i):
                    # Whisper writes "p.m." as two words now and then (" p", ".m."): one token "pm", as whole.
                    self.tokens[-1] += "m"
                    self.token_word[-1] = i
                    continue
                for token in tokens:
                    self.tokens.append(token)
                    self.token_word.append(i)
        else:
            self.tokens = tokenize(transcript)
            self.token_word = [None] * len(self.tokens)
        self.joined = " ".join(self.tokens)
        self._offsets: list[int] = []
        pos = 0
        for token in self.tokens:
            self._offsets.append(pos)
            pos += len(token) + 1

    def _split_am_pm(self, i: int) -> bool:
        """Whether the token before word ``i`` is the "a" or "p" of an "a.m."/"p.m." split over two words."""
        return bool(self.tokens) and self.tokens[-1] in ("a", "p") and self.token_word[-1] == i - 1

    @classmethod
    def from_report(cls, report: Report) -> TextIndex:
        return cls(list(report.words or []), report.transcript or "")

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, first: int, last: int) -> tuple[str, float | None, float | None]:
        """(words as said, start, end) of tokens ``first``..``last``."""
        wf, wl = self.token_word[first], self.token_word[last]
        if wf is None or wl is None:
            return " ".join(self.tokens[first : last + 1]), None, None
        said = "".join(w.text for w in self.words[wf : wl + 1]).strip()
        said = re.sub(r"^[^\w$(]+|[^\w%)]+$", "", said)
        return said, self.words[wf].start, self.words[wl].end

    def match(self, phrase: str, first: int, last: int, weight: float = 1.0) -> Match:
        """A :class:`Match` for tokens ``first``..``last``."""
        said, start, end = self.span(first, last)
        return Match(phrase, said, first, last, start, end, weight)

    def find(self, phrases: Phrases) -> list[Match]:
        """Every phrase said, as non-overlapping matches in order of time.

        Where matches overlap ("call me back" and "call me") the longer one wins,
        so one stretch of speech counts once.
        """
        weights = dict(phrases) if isinstance(phrases, Mapping) else dict.fromkeys(phrases, 1.0)
        candidates: list[Match] = []
        n = len(self.tokens)
        for phrase, weight in weights.items():
            target = tokenize(phrase)
            if not target:
                continue
            size = len(target)
            for i in range(n - size + 1):
                if self.tokens[i] == target[0] and self.tokens[i : i + size] == target:
                    candidates.append(self.match(phrase, i, i + size - 1, float(weight)))
        candidates.sort(key=lambda m: (-(m.last - m.first), m.first, -m.weight))
        taken: set[int] = set()
        chosen: list[Match] = []
        for m in candidates:
            covered = range(m.first, m.last + 1)
            if any(i in taken for i in covered):
                continue
            taken.update(covered)
            chosen.append(m)
        return sorted(chosen, key=lambda m: m.first)

    def search(self, pattern: str | re.Pattern, label: str = "") -> list[Match]:
        """Regex matches over the space-joined tokens, as whole-token matches."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        found = []
        for m in regex.finditer(self.joined):
            if m.end() == m.start():
                continue
            first = self._token_at(m.start())
            last = self._token_at(m.end() - 1)
            found.append(self.match(label or m.group(0), first, last))
        return found

    def _token_at(self, offset: int) -> int:
        lo, hi = 0, len(self._offsets) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._offsets[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def positions(self, vocabulary: Iterable[str]) -> list[int]:
        """Indices of tokens that are one of these (single) words."""
        wanted = {t for w in vocabulary for t in tokenize(w)}
        return [i for i, token in enumerate(self.tokens) if token in wanted]
