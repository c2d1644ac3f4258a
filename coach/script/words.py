"""A written script as a report: its words, timed at a pace, and no acoustic measurements.

The rule engine judges reports; :func:`script_report` makes one from text,
so a script is checked by the same rules, with the same settings, as a
recording (:func:`coach.rules.engine.evaluate_text` runs the rules that read
words alone). The words are Whisper-shaped (a leading space, punctuation
attached) and laid end to end on an estimated timeline: each word at the
rep's pace, each digit of a callback number at the writing-down pace of
VM203. So the metrics that come from words (word count, the numbers, the
introduction, questions, sentences) are computed by the same code as for a
take (:func:`coach.analysis.metrics.build_metrics`), the script's length is
the last word's end, and a finding's time is where in the message, read at
that pace, its words fall. Nothing acoustic is measured: loudness, noise and
pitch are unknown (NaN / None), and no pause is assumed beyond the pace.

Each word keeps its place in the text (:class:`ScriptText` ``spans``), so a
finding can underline the words it is about.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from coach.analysis.metrics import build_metrics
from coach.report import AcousticMetrics, Report, RepProfile, Word
from coach.text.normalise import normalize_words
from coach.text.phone_numbers import find_phone_numbers

_TOKEN = re.compile(r"\S+")
#: Slack when deciding which words a number or a finding's time span covers.
EPS_S = 1e-6


@dataclass(frozen=True)
class Timing:
    """How fast the script is read: words a minute, and a callback number's digits a second."""

    wpm: float
    digits_per_s: float


@dataclass(frozen=True)
class ScriptText:
    """A script's report and, for each of its words, its (start, end) character offsets in the text."""

    text: str
    report: Report
    spans: tuple[tuple[int, int], ...]

    def words_between(self, start_s: float, end_s: float) -> list[int]:
        """Indices of the words said from ``start_s`` to ``end_s`` on the script's timeline."""
        words = self.report.words
        return [i for i, w in enumerate(words) if w.start >= start_s - EPS_S and w.end <= end_s + EPS_S]


def _lay_out(tokens: list[str], seconds: list[float]) -> list[Word]:
    words, t = [], 0.0
    for token, duration in zip(tokens, seconds, strict=True):
        words.append(Word(" " + token, t, t + duration, 1.0))
        t += duration
    return words


def timed_words(tokens: list[str], timing: Timing) -> list[Word]:
    """``tokens`` as words end to end: words at ``timing.wpm``, a callback number's digits at ``digits_per_s``.

    Numbers are found by the same reader as in a take
    (:func:`coach.text.phone_numbers.find_phone_numbers`), on a first layout
    at the word pace; their words are then given the number's digits' time,
    shared in proportion to the words it takes to say each one.
    """
    counts = [len(normalize_words(token)) for token in tokens]
    per_word = 60.0 / timing.wpm
    seconds = [count * per_word for count in counts]
    first = _lay_out(tokens, seconds)
    for number in find_phone_numbers(first):
        inside = [i for i, w in enumerate(first) if w.start >= number.start - EPS_S and w.end <= number.end + EPS_S]
        total = sum(counts[i] for i in inside)
        if not inside or total == 0:
            continue
        number_s = len(number.digits) / timing.digits_per_s
        for i in inside:
            seconds[i] = number_s * counts[i] / total
    return _lay_out(tokens, seconds)


def script_report(
    text: str,
    timing: Timing,
    *,
    prospect: str | None = None,
    rep: RepProfile | None = None,
    name: str = "script",
) -> ScriptText:
    """The report the rules judge a script by (see the module's docstring)."""
    matches = list(_TOKEN.finditer(text))
    words = timed_words([m.group(0) for m in matches], timing)
    end = words[-1].end if words else 0.0
    measured = AcousticMetrics(
        speech_start_s=0.0,
        speech_end_s=end,
        leading_silence_s=0.0,
        trailing_silence_s=0.0,
        pauses=[],
        longest_pause_s=0.0,
        loudness_dbfs=math.nan,
        clipping_ratio=math.nan,
        snr_db=math.nan,
        pitch_median_hz=None,
        pitch_variation_st=None,
        speech_span_s=end,
        speaking_time_s=end,
    )
    report = Report(
        file=name,
        duration_s=end,
        transcript=" ".join(m.group(0) for m in matches),
        words=words,
        metrics=build_metrics(measured, words),
        prospect=(prospect or "").strip() or None,
        rep=None if rep is None or rep.is_empty else rep,
    )
    return ScriptText(text, report, tuple((m.start(), m.end()) for m in matches))
