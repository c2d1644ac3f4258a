"""What the transcript view marks, found once by the analysis with the configuration it used.

Fillers, the callback number and the introduction come from the metrics (by
time); hedges (VM303's phrases), sales-pitch signals (VM401's phrases,
promises and feature lists), requests to
call back (VM504), and the next step's commitments and days or times
(VM503) are matched in the words by the rules' own matcher, with the phrase
lists in force for this analysis. Each becomes a
:class:`~coach.report.Highlight` in the report, so the app draws what the
analysis found and never matches anything itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from coach.report import Highlight, Report, Word
from coach.rules.base import Context
from coach.rules.callback import next_step
from coach.rules.pitch import pitch_signals
from coach.text.matching import Match, TextIndex, tokenize

FILLER = "filler"
HEDGE = "hedge"
PITCH = "pitch"
ASK = "ask"
COMMITMENT = "commitment"
TIME = "time"
NUMBER = "number"
INTRO = "intro"
#: Every kind of highlight, in the order they are listed.
KINDS = (FILLER, HEDGE, PITCH, ASK, COMMITMENT, TIME, NUMBER, INTRO)

#: A word belongs to a timed span when its middle lies within this of the span's ends.
_SLACK_S = 0.05


def find_highlights(report: Report, ctx: Context) -> list[Highlight]:
    """Every highlight in ``report``, in order of the words."""
    found: list[Highlight] = []
    words = report.words
    m = report.metrics
    for filler in m.fillers:
        said = tokenize(filler.text)
        found += [
            _word_span(FILLER, words, [i])
            for i in _during(words, filler.start, filler.end)
            if tokenize(words[i].text) == said
        ]
    for number in m.phone_numbers:
        found += _timed(NUMBER, words, number.start, number.end)
    intro = m.introduction
    if intro is not None:
        if intro.end > intro.start:
            found += _timed(INTRO, words, intro.start, intro.end)
        elif intro.phrase:
            found += _matched(INTRO, ctx.text, ctx.text.find([intro.phrase]))
    rules = ctx.config
    found += _matched(HEDGE, ctx.text, ctx.text.find(rules.rule("VM303")["phrases"]))
    found += _matched(PITCH, ctx.text, pitch_signals(ctx, rules.rule("VM401")))
    found += _matched(ASK, ctx.text, ctx.text.find(rules.rule("VM504")["phrases"]))
    commitments, times = next_step(ctx)
    found += _matched(COMMITMENT, ctx.text, commitments)
    found += _matched(TIME, ctx.text, times)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(found, key=lambda h: (h.first_word if h.first_word is not None else -1, order[h.kind]))


def _during(words: list[Word], start: float, end: float) -> list[int]:
    """Indices of the words said between ``start`` and ``end``."""
    return [i for i, w in enumerate(words) if start - _SLACK_S <= (w.start + w.end) / 2 <= end + _SLACK_S]


def _word_span(kind: str, words: list[Word], indices: list[int]) -> Highlight:
    first, last = indices[0], indices[-1]
    said = "".join(w.text for w in words[first : last + 1]).strip()
    return Highlight(kind, said, first, last, words[first].start, words[last].end)


def _timed(kind: str, words: list[Word], start: float, end: float) -> list[Highlight]:
    indices = _during(words, start, end)
    return [_word_span(kind, words, indices)] if indices else []


def _matched(kind: str, text: TextIndex, matches: Iterable[Match]) -> list[Highlight]:
    return [
        Highlight(kind, m.said, text.token_word[m.first], text.token_word[m.last], m.start_s, m.end_s) for m in matches
    ]
