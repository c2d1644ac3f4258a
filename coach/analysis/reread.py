"""A callback number whose reading is doubtful, read again from its own audio.

The callback number is the one thing in a voicemail that must be heard to
the digit, and it is where tiny.en slips most: a digit dropped from a run
of equal digits ("5 0 3, 5 5 0 1 2 6" for 503-555-0126), one written twice
("1-800-0555-0199"), a slow number broken up ("617-555 615551555 5").
Most slips leave a trace in the reading itself, so a reading is *doubtful*
when

- its length is not that of a whole phone number (7 digits, 10, or 11 with
  a leading 1; :func:`coach.text.phone_numbers.usual_length`),
- its run of digits held digits that went into no number
  (:attr:`coach.text.phone_numbers.NumberSpan.left_over`), or
- another number of the take has the same length and differs from it in
  one digit (a rep says one number twice; one of the two was misheard).

A doubtful number's audio, from :data:`LEAD_S` before its first digit (the
words that lead to it, "my number is") to :data:`TAIL_S` after the end of
the sentence its digits end (at most :data:`MAX_TAIL_S` on), is decoded
again in :data:`READINGS` ways: with the take's prompt and without it,
greedily and with 5-beam search. Each way makes different slips, and the
reading most of them (the first pass's reading included) agree on is kept,
among the readings of a whole number's length and with at least
:data:`MIN_VOTES`; a reading that is the take's other number counts one
more, since that number was said twice. Otherwise the number stays as first
read. The kept reading's words (as that decoding wrote and timed them,
checked against the sound as every word is) replace the number's words.
What was read again is recorded (:class:`coach.report.RereadNumber`), and a
number still doubtful afterwards is not *settled*: the findings that read
its digits (VM502, VM505) are then downgraded to "check this by ear"
(:func:`coach.rules.reliability.uncertain_number`).

Nothing else changes: a take whose numbers are all whole and agree is not
read again, and neither the prompt's number (the rep's own, from the
profile) nor any other expectation decides a reading, so a rep who says a
wrong number still reads as having said it (VM505).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from coach.analysis import windows, word_support
from coach.report import RereadNumber, Word
from coach.text.features import ends_sentence
from coach.text.phone_numbers import NumberSpan, number_spans, usual_length

_SAMPLE_RATE = 16000
#: Audio the re-reading hears before a doubtful number's first digit word (s): the words that lead to it.
LEAD_S = 1.5
#: ... and after the end of the sentence its digits end (s), ...
TAIL_S = 0.5
#: ... when that ends no later than this after its last digit word (s); a number said slowly can be written
#: with a word in it ("617-555 615551555 5 I'll-0110."), whose last digits the re-reading must hear too.
MAX_TAIL_S = 3.0
#: The ways a doubtful number is decoded again, cheapest first: (with the take's prompt, beam width). Once the
#: readings so far decide (decided()), the rest are not decoded.
READINGS: tuple[tuple[bool, int], ...] = ((True, 1), (False, 1), (True, 5), (False, 5))
#: A reading replaces the first one only with at least this many votes: no single decoding decides.
MIN_VOTES = 2


@dataclass(frozen=True)
class Reading:
    """One decoding's reading of a number: its digits and its words in file time."""

    digits: str
    words: tuple[Word, ...]


def _differs_in_one(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def doubtful(spans: Sequence[NumberSpan]) -> list[int]:
    """Indices of the numbers whose reading is doubtful (see the module doc)."""
    out = []
    for k, span in enumerate(spans):
        if (
            not usual_length(span.digits)
            or span.left_over
            or any(_differs_in_one(span.digits, o.digits) for i, o in enumerate(spans) if i != k)
        ):
            out.append(k)
    return out


def reread(
    model,
    audio: np.ndarray,
    words: list[Word],
    sounding: Sequence[tuple[float, float]],
    *,
    prompt: str | None,
    encodings: windows.Encodings | None = None,
) -> tuple[list[Word], list[RereadNumber]]:
    """``words`` with each doubtful number read again from its own audio, and what was read (see the module doc)."""
    spans = number_spans(words)
    duration = len(audio) / _SAMPLE_RATE
    decoded: dict[tuple[float, float, bool, int], list[Word]] = {}  # two numbers of one run share its clip
    replacements: list[tuple[tuple[float, float], Reading]] = []
    records = []
    for k in doubtful(spans):
        span = spans[k]
        start, end = words[span.first].start, words[span.last].end
        run_start, run_end = words[span.run_first].start, words[span.run_last].end
        lo = max(0.0, run_start - LEAD_S)
        lo = min([lo] + [w.start for w in words[: span.run_first] if w.start < lo < w.end])  # no word cut in two
        hi = min(duration, _sentence_end(words, span.run_last, run_end + MAX_TAIL_S) + TAIL_S)
        others = [o.digits for i, o in enumerate(spans) if i != k]
        readings: list[Reading] = []
        for n, (prompted, beams) in enumerate(READINGS):
            key = (lo, hi, prompted, beams)
            if key not in decoded:
                decoded[key] = _decode(model, audio, lo, hi, sounding, prompt if prompted else None, beams, encodings)
            found = _reading_at(decoded[key], start, end)
            if found is not None:
                readings.append(found)
            if decided(span.digits, readings, others, len(READINGS) - n - 1):
                break
        chosen = choose(span.digits, readings, others)
        if chosen is not None:
            # The number's words and any digits of its run left out of it, as far as the kept reading reaches;
            # never the words before its run.
            floor = words[span.run_first - 1].end if span.run_first > 0 else 0.0
            region = (max(floor, min(start, chosen.words[0].start)), max(end, chosen.words[-1].end))
            replacements.append((region, chosen))
        records.append(RereadNumber(start=start, end=end, heard=span.digits, kept=(chosen or span).digits))
    for region, chosen in replacements:
        words = word_support.merge(words, list(chosen.words), region)
    return words, settle(words, records)


def settle(words: list[Word], records: Sequence[RereadNumber]) -> list[RereadNumber]:
    """``records`` with ``settled`` False for each number that is still doubtful in ``words``."""
    spans = number_spans(words)
    still = [(words[spans[k].first].start, words[spans[k].last].end) for k in doubtful(spans)]
    return [replace(r, settled=not any(a < r.end and b > r.start for a, b in still)) for r in records]


def choose(first: str, readings: Sequence[Reading], others: Sequence[str]) -> Reading | None:
    """The reading to keep instead of the ``first`` one, or None to keep it (see the module doc).

    Votes: each reading (and the first pass's) is one; a whole-length
    reading that equals one of the take's ``others`` numbers has one more.
    Only whole-length readings are kept; on a tie the first reading stays,
    else the earliest way of :data:`READINGS` wins.
    """
    votes = Counter([first, *(r.digits for r in readings)])
    whole = [d for d in votes if usual_length(d)]
    if not whole:
        return None
    score = {d: votes[d] + (1 if d in others else 0) for d in whole}
    best = max(score.values())
    if best < MIN_VOTES or (first in score and score[first] == best):
        return None
    for r in readings:
        if score.get(r.digits) == best:
            return r
    return None


def decided(first: str, readings: Sequence[Reading], others: Sequence[str], left: int) -> bool:
    """Whether :func:`choose` keeps the same reading whatever the ``left`` ways still to come read.

    The reading chosen now is final when its score is above the most any
    other reading (the first one, one already read, or one not yet seen)
    could still reach; the ways are ordered cheapest first, so a number
    whose greedy readings agree with the take's other number is settled
    without the beam searches.
    """
    chosen = choose(first, readings, others)
    if chosen is None:
        return left == 0
    votes = Counter([first, *(r.digits for r in readings)])

    def bonus(d: str) -> int:
        return 1 if d in others else 0

    best = votes[chosen.digits] + bonus(chosen.digits)
    rivals = [votes[d] + left + bonus(d) for d in votes if d != chosen.digits and usual_length(d)]
    unseen = left + (1 if any(o not in votes and usual_length(o) for o in others) else 0)
    return best > max([unseen, *rivals])


def _decode(
    model,
    audio: np.ndarray,
    lo: float,
    hi: float,
    sounding: Sequence[tuple[float, float]],
    prompt: str | None,
    beams: int,
    encodings: windows.Encodings | None,
) -> list[Word]:
    """One decoding of ``audio[lo:hi]``: its words in file time that the sound supports."""
    piece = audio[int(lo * _SAMPLE_RATE) : int(np.ceil(hi * _SAMPLE_RATE))]
    decoded = windows.decode(model, piece, prompt=prompt, encodings=encodings, beams=beams)
    found = [Word(t, s + lo, e + lo, p) for t, s, e, p in windows.align(model, decoded)]
    return word_support.support(found, sounding).words


def _reading_at(found: list[Word], start: float, end: float) -> Reading | None:
    """The number of ``found`` that shares the most time with ``start``..``end`` (s), or None."""
    best, most = None, 0.0
    for span in number_spans(found):
        shared = min(found[span.last].end, end) - max(found[span.first].start, start)
        if shared > most:
            best, most = Reading(span.digits, tuple(found[span.first : span.last + 1])), shared
    return best


def _sentence_end(words: list[Word], last: int, limit: float) -> float:
    """The end (s) of the sentence that word ``last`` is in, or of the last word ending by ``limit``."""
    end = words[last].end
    for k in range(last, len(words)):
        if words[k].end > limit:
            break
        end = words[k].end
        if ends_sentence(words[k], words[k + 1] if k + 1 < len(words) else None):
            break
    return end
