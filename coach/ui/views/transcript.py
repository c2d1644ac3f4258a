"""The transcript as HTML, with what matters highlighted.

Marked: fillers (um, uh), hedges ("just wanted to", "sorry to bother you"),
pitch phrases ("special offer", "best in class"), the callback number and
the introduction ("this is Sam from Acme"). Fillers, the number and the
introduction come from the report's metrics (by time); hedges and pitch
phrases are found in the words with the phrase lists of the rules that flag
them (VM303, VM401), as configured, by the rules' own matcher.

Every word is HTML-escaped before it is wrapped in markup: a transcript
cannot inject HTML into the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from coach.config import default_config
from coach.report import Report, Word
from coach.text.matching import TextIndex, tokenize
from coach.ui.safe import html_text

KINDS = ("filler", "hedge", "pitch", "number", "intro")

LABELS = {
    "filler": "Filler",
    "hedge": "Hedge",
    "pitch": "Sales pitch",
    "number": "Callback number",
    "intro": "Introduction",
}

#: Background colours: light enough to read black text on.
COLOURS = {
    "filler": "#ffd6d6",
    "hedge": "#ffe7b3",
    "pitch": "#e9d5ff",
    "number": "#c8f0d2",
    "intro": "#cfe3ff",
}

#: The rules whose phrase lists are highlighted: hedging and sounding like a pitch.
HEDGE_RULE = "VM303"
PITCH_RULE = "VM401"


@dataclass
class TaggedWord:
    text: str
    kinds: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        """The one highlight shown: the first of :data:`KINDS` that applies."""
        for kind in KINDS:
            if kind in self.kinds:
                return kind
        return None


def _norm(text: str) -> list[str]:
    return tokenize(text)


def _overlaps(word: Word, start: float, end: float) -> bool:
    mid = (word.start + word.end) / 2.0
    return start - 0.05 <= mid <= end + 0.05


def find_phrases(words: Sequence[Word], phrases: Iterable[str]) -> list[int]:
    """Indices of the words that say any of ``phrases``, matched as the rules match them."""
    index = TextIndex(list(words))
    hits: set[int] = set()
    for match in index.find(list(phrases)):
        hits.update(i for i in index.token_word[match.first : match.last + 1] if i is not None)
    return sorted(hits)


def rule_phrases(config: Any = None) -> tuple[list[str], list[str]]:
    """The hedge and pitch phrase lists of ``config`` (default: the shipped defaults)."""
    config = config if config is not None else default_config()
    hedges = list(config.rule(HEDGE_RULE).get("phrases", ()))
    pitch = list(config.rule(PITCH_RULE).get("phrases", {}))
    return hedges, pitch


def tag_words(report: Report, config: Any = None) -> list[TaggedWord]:
    """Each recognised word with the highlight kinds that apply to it."""
    hedges, pitch_phrases = rule_phrases(config)
    words = report.words
    tagged = [TaggedWord(w.text) for w in words]
    m = report.metrics
    for filler in m.fillers:
        filler_norm = _norm(filler.text)
        for w, t in zip(words, tagged, strict=False):
            if _overlaps(w, filler.start, filler.end) and _norm(w.text) == filler_norm:
                t.kinds.append("filler")
    for number in m.phone_numbers:
        for w, t in zip(words, tagged, strict=False):
            if _overlaps(w, number.start, number.end):
                t.kinds.append("number")
    intro = m.introduction
    if intro is not None:
        if intro.end > intro.start:
            for w, t in zip(words, tagged, strict=False):
                if _overlaps(w, intro.start, intro.end):
                    t.kinds.append("intro")
        else:
            for i in find_phrases(words, [intro.phrase] if intro.phrase else []):
                tagged[i].kinds.append("intro")
    for i in find_phrases(words, hedges):
        tagged[i].kinds.append("hedge")
    for i in find_phrases(words, pitch_phrases):
        tagged[i].kinds.append("pitch")
    return tagged


def _mark(text: str, kind: str | None) -> str:
    safe = html_text(text.strip())
    if kind is None:
        return safe
    return (
        f'<mark title="{LABELS[kind]}" style="background:{COLOURS[kind]};color:#111;'
        f'padding:0 .2em;border-radius:.25em">{safe}</mark>'
    )


def transcript_html(report: Report, config: Any = None) -> str:
    """The highlighted transcript as one HTML block (user text escaped)."""
    if not report.words:
        body = html_text(report.transcript) if report.transcript else "<em>No words were recognised.</em>"
    else:
        tagged = tag_words(report, config)
        pieces: list[str] = []
        i = 0
        while i < len(tagged):
            kind = tagged[i].kind
            j = i
            while j + 1 < len(tagged) and kind is not None and tagged[j + 1].kind == kind:
                j += 1
            pieces.append(_mark(" ".join(t.text.strip() for t in tagged[i : j + 1]), kind))
            i = j + 1
        body = " ".join(pieces)
    return (
        '<div class="vc-transcript" style="font-size:1.15rem;line-height:1.9;'
        'padding:1rem 1.2rem;border:1px solid rgba(128,128,128,.25);border-radius:.6rem">'
        f"{body}</div>"
    )


def legend_html(kinds: Iterable[str] = KINDS) -> str:
    """A one-line key to the highlight colours."""
    items = " ".join(_mark(LABELS[k], k) for k in kinds)
    return f'<div class="vc-legend" style="font-size:.9rem;margin:.3rem 0 .6rem">{items}</div>'


def kinds_present(report: Report, config: Any = None) -> list[str]:
    present = {t.kind for t in tag_words(report, config)}
    return [k for k in KINDS if k in present]
