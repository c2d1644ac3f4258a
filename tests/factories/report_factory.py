"""Constructed coach.report.Report objects for rule tests (no audio, no model).

:func:`build_report` lays the words of a text out on a timeline the way
Whisper reports them (leading space, punctuation attached, a start, an end
and a confidence), then derives the metrics a real analysis would give from
that timeline: speech span, pauses (gaps between words), pace, fillers,
phone numbers (with the project's own :mod:`coach.text.phone_numbers`), the
introduction, questions and sentences, plus an energy contour. Any metric
can then be overridden by keyword, so a test states exactly the condition
it is about.

:data:`CLEAN_TEXT` is a clean, calm voicemail of about 20 s: name and
company, a reason tied to the prospect, a question, a committed next attempt
and the number twice, at an unhurried pace.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from coach.report import Contours, Filler, Introduction, Metrics, Pause, Question, Report, Word
from coach.text.normalise import spoken_word_count
from coach.text.phone_numbers import find_phone_numbers
from coach.text.script_diff import script_diff

CLEAN_TEXT = (
    "Hi Dana, this is Marcus from Ledgerline Payroll. "
    "I saw Harbor Street Bakery opened a third location. "
    "How are you handling payroll across all three? "
    "I'll try you again Thursday at 10 am. "
    "My number is 415-555-0192. "
    "Again, Marcus at 415-555-0192."
)
CLEAN_PROSPECT = "Dana"

FILLERS = {"um", "uh", "er", "erm", "uhm", "hmm"}
FRAME_RATE = 100.0
_SENTENCE_END = re.compile(r"[.?!]$")
_INTRO = re.compile(r"\b(?:this is|my name is|it's|it is) ([A-Z][a-z]+)")


def _core(text: str) -> str:
    return re.sub(r"^\W+|\W+$", "", text.lower())


def layout(
    text: str,
    *,
    lead_s: float = 0.4,
    word_s: float = 0.33,
    digit_s: float = 0.33,
    sentence_gap_s: float = 0.35,
    pauses: dict[int, float] | None = None,
    probability: float = 0.92,
) -> list[Word]:
    """Words of ``text`` on a timeline; ``pauses`` adds silence after word index i."""
    pauses = pauses or {}
    words = []
    t = lead_s
    for i, token in enumerate(text.split()):
        digits = sum(c.isdigit() for c in token)
        duration = digits * digit_s if digits >= 3 else word_s * 0.85
        words.append(Word(" " + token, round(t, 3), round(t + duration, 3), probability))
        t += duration + word_s * 0.15
        if _SENTENCE_END.search(token):
            t += sentence_gap_s
        t += pauses.get(i, 0.0)
    return words


def _pauses(words: list[Word], min_pause_s: float = 0.3) -> list[Pause]:
    return [Pause(a.end, b.start) for a, b in zip(words, words[1:], strict=False) if b.start - a.end >= min_pause_s]


def _sentences(words: list[Word]) -> list[list[Word]]:
    out, current = [], []
    for w in words:
        current.append(w)
        if _SENTENCE_END.search(w.text.strip()):
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _introduction(words: list[Word]) -> Introduction | None:
    text = "".join(w.text for w in words)
    m = _INTRO.search(text)
    if not m:
        return None
    offset = 0
    for w in words:
        if offset + len(w.text) > m.start(1):
            return Introduction(name=m.group(1), start=w.start, end=w.end, phrase=m.group(0))
        offset += len(w.text)
    return None


def energy_contour(
    words: list[Word],
    duration_s: float,
    *,
    level_db: float = -20.0,
    tail_drop_db: float = 0.0,
    tail_fraction: float = 0.2,
) -> Contours:
    """Energy in dBFS at 100 frames a second: words at ``level_db``, gaps near the floor.

    The last ``tail_fraction`` of the speech span is ``tail_drop_db`` quieter.
    """
    n = int(duration_s * FRAME_RATE) + 1
    energy = [-65.0] * n
    if words:
        start, end = words[0].start, words[-1].end
        tail_start = start + (end - start) * (1 - tail_fraction)
        for w in words:
            for i in range(int(w.start * FRAME_RATE), min(n, int(w.end * FRAME_RATE))):
                wobble = 3.0 * ((i % 7) - 3) / 3
                drop = tail_drop_db if i / FRAME_RATE >= tail_start else 0.0
                energy[i] = level_db + wobble - drop
    return Contours(frame_rate_hz=FRAME_RATE, energy_db=energy, pitch_hz=[None] * n)


def build_report(
    text: str = CLEAN_TEXT,
    *,
    prospect: str | None = None,
    script: str | None = None,
    trailing_s: float = 0.5,
    tail_drop_db: float = 0.0,
    contours: bool = True,
    words: list[Word] | None = None,
    metrics: dict[str, Any] | None = None,
    **layout_args: Any,
) -> Report:
    """A report for ``text`` said at a calm pace; ``metrics`` overrides any measured field."""
    words = words if words is not None else layout(text, **layout_args)
    start = words[0].start if words else 0.0
    end = words[-1].end if words else 0.0
    duration = end + trailing_s
    span = end - start
    word_count = spoken_word_count(words)
    fillers = [Filler(w.text.strip(), w.start, w.end) for w in words if _core(w.text) in FILLERS]
    sentences = _sentences(words)
    questions = [
        Question("".join(w.text for w in s).strip(), s[0].start, s[-1].end)
        for s in sentences
        if s[-1].text.strip().endswith("?")
    ]
    pauses = _pauses(words)
    m = Metrics(
        speech_start_s=start,
        speech_end_s=end,
        speech_span_s=span,
        leading_silence_s=start,
        trailing_silence_s=trailing_s,
        pauses=pauses,
        longest_pause_s=max((p.duration for p in pauses), default=0.0),
        speaking_time_s=sum(w.end - w.start for w in words),
        wpm=60.0 * word_count / span if span > 0 else 0.0,
        articulation_wpm=0.0,
        word_count=word_count,
        filler_count=len(fillers),
        fillers=fillers,
        loudness_dbfs=-20.0,
        peak_dbfs=-3.0,
        clipping_ratio=0.0,
        snr_db=35.0,
        pitch_median_hz=180.0,
        pitch_variation_st=3.5,
        phone_numbers=find_phone_numbers(words),
        introduction=_introduction(words),
        questions=questions,
        sentence_count=len(sentences),
        mean_word_probability=sum(w.probability for w in words) / len(words) if words else 0.0,
    )
    if metrics:
        m = dataclasses.replace(m, **metrics)
    transcript = "".join(w.text for w in words).strip()
    return Report(
        file="constructed.wav",
        duration_s=duration,
        transcript=transcript,
        words=words,
        metrics=m,
        contours=energy_contour(words, duration, tail_drop_db=tail_drop_db) if contours else None,
        prospect=prospect,
        script=script,
        script_diff=script_diff(script, transcript),
    )


def clean_report(**kwargs: Any) -> Report:
    """The clean, calm message, with the prospect's name given."""
    kwargs.setdefault("prospect", CLEAN_PROSPECT)
    return build_report(CLEAN_TEXT, **kwargs)
