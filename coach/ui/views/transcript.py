"""The transcript as HTML, with what the analysis pointed at highlighted.

The marks are the report's ``highlights`` (:mod:`coach.rules.highlights`):
fillers, hedges, sales-pitch phrases, requests to call back, the next step's
commitment and day or time, the callback number and the introduction, found
by the analysis with the settings it used. Nothing is matched here. A take
analysed before highlights were kept (report schema 1) shows its transcript
without them.

A trainer's note pinned to a moment sits before the first word that ends
after it. Every word and note is HTML-escaped before it is wrapped in markup: a transcript
cannot inject HTML into the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coach.clock import clock
from coach.history.store import Note
from coach.report import Report
from coach.rules.highlights import ASK, COMMITMENT, FILLER, HEDGE, INTRO, KINDS, NUMBER, PITCH, TIME
from coach.ui.safe import html_text
from coach.ui.views.theme import NOTE_COLOUR

LABELS = {
    FILLER: "Filler",
    HEDGE: "Hedge",
    PITCH: "Sales pitch",
    ASK: "Asks for a callback",
    COMMITMENT: "Next step",
    TIME: "Day or time",
    NUMBER: "Callback number",
    INTRO: "Introduction",
}

#: Background colours: light enough to read black text on.
COLOURS = {
    FILLER: "#ffd6d6",
    HEDGE: "#ffe7b3",
    PITCH: "#e9d5ff",
    ASK: "#fbcfe8",
    COMMITMENT: "#bfeee9",
    TIME: "#d9f99d",
    NUMBER: "#c8f0d2",
    INTRO: "#cfe3ff",
}


def word_kinds(report: Report) -> list[str | None]:
    """The one highlight shown on each word: the first of :data:`KINDS` that covers it, else None."""
    covering: list[set[str]] = [set() for _ in report.words]
    for h in report.highlights:
        if h.first_word is None or h.last_word is None:
            continue
        for i in range(max(0, h.first_word), min(len(covering), h.last_word + 1)):
            covering[i].add(h.kind)
    return [next((k for k in KINDS if k in kinds), None) for kinds in covering]


def _mark(text: str, kind: str | None) -> str:
    safe = html_text(text.strip())
    if kind is None:
        return safe
    return (
        f'<mark title="{LABELS[kind]}" style="background:{COLOURS[kind]};color:#111;'
        f'padding:0 .2em;border-radius:.25em">{safe}</mark>'
    )


def note_html(note: Note) -> str:
    """A trainer's note as an inline badge in the transcript (text escaped)."""
    return (
        f'<span class="vc-note" title="Trainer\'s note" style="background:{NOTE_COLOUR}1f;color:{NOTE_COLOUR};'
        'border:1px dashed currentColor;border-radius:.4rem;padding:0 .35rem;font-size:.85rem">'
        f"&#128204; {clock(note.at_s or 0.0)} {html_text(note.text)}</span>"
    )


def transcript_html(report: Report, notes: Sequence[Note] = ()) -> str:
    """The highlighted transcript as one HTML block (user text escaped), the trainer's pinned notes in place."""
    pinned = sorted((n for n in notes if n.at_s is not None), key=lambda n: n.at_s or 0.0)
    if not report.words:
        body = html_text(report.transcript) if report.transcript else "<em>No words were recognised.</em>"
        body = " ".join([*(note_html(n) for n in pinned), body])
    else:
        kinds = word_kinds(report)
        pieces: list[str] = []
        i = 0
        while i < len(kinds):
            j = i
            while j + 1 < len(kinds) and kinds[i] is not None and kinds[j + 1] == kinds[i]:
                j += 1
            while pinned and (pinned[0].at_s or 0.0) < report.words[i].end:
                pieces.append(note_html(pinned.pop(0)))
            pieces.append(_mark(" ".join(w.text.strip() for w in report.words[i : j + 1]), kinds[i]))
            i = j + 1
        pieces.extend(note_html(n) for n in pinned)
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


def kinds_present(report: Report) -> list[str]:
    """The kinds of highlight shown on this report's transcript, in :data:`KINDS` order."""
    present = set(word_kinds(report))
    return [k for k in KINDS if k in present]
