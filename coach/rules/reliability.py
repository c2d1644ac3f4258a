"""When the transcript cannot be trusted, text-based findings say so instead of guessing.

The transcript is unreliable when Whisper's mean word confidence is below
``reliability.min_word_probability``, the recording's signal-to-noise ratio
is below ``reliability.min_snr_db``, or speech is left without words
(``report.transcript_quality.complete`` is False: part of the message is
missing from the transcript). Then every finding from a rule that
reads the transcript (``RuleInfo.uses_transcript``: pace, wording, pitch,
callback, introduction and script rules) is downgraded to a suggestion, and
its message ends with why and "check this by ear". Acoustic rules (length,
silence, loudness, noise, pitch) are unaffected. Strengths read from the
transcript are not claimed at all.

One fact of the transcript is judged on its own: a callback number whose
reading stayed doubtful after it was read again (:func:`uncertain_number`).
Then the findings of the rules that read its digits (``RuleInfo.reads_number``:
said once, not your number) are downgraded the same way, the rest of the
transcript being as trusted as before.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

from coach.clock import clock
from coach.report import Finding, Report
from coach.rules.base import num
from coach.text.phone_numbers import group_digits

if TYPE_CHECKING:
    from coach.config import Config


def mean_word_probability(report: Report) -> float | None:
    """Whisper's mean word confidence, or None when unknown."""
    if report.words:
        return sum(w.probability for w in report.words) / len(report.words)
    value = report.metrics.mean_word_probability
    return value if value and value > 0 else None


def assess(report: Report, config: Config) -> tuple[bool, str]:
    """(reliable, why not) for this report's transcript."""
    limits = config.reliability
    reasons = []
    mean = mean_word_probability(report)
    if mean is not None and mean < limits["min_word_probability"]:
        reasons.append(f"mean word confidence {num(mean, 2)}, below {num(limits['min_word_probability'], 2)}")
    snr = report.metrics.snr_db
    if snr is not None and not math.isnan(snr) and snr < limits["min_snr_db"]:
        reasons.append(f"signal-to-noise {num(snr)} dB, below {num(limits['min_snr_db'])} dB")
    quality = report.transcript_quality
    if quality is not None and not quality.complete:
        reasons.append(f"{num(quality.missing_s)} s of speech has no words in the transcript")
    return not reasons, "; ".join(reasons)


def uncertain_number(report: Report) -> str:
    """Why the findings that read a callback number's digits cannot be sure of them ("" when they can).

    A number whose first reading was doubtful is read again from its own
    audio (:mod:`coach.analysis.reread`); when the readings do not settle it
    (``RereadNumber.settled`` False), what the rules conclude from its digits
    (said once, not your number) may rest on a digit the rep did not say.
    """
    quality = report.transcript_quality
    unsettled = [r for r in quality.reread_numbers if not r.settled] if quality is not None else []
    if not unsettled:
        return ""
    heard = ", ".join(group_digits(r.kept) for r in unsettled)
    return f"the number heard as {heard} was read again and the readings disagree"


def missing_speech(report: Report) -> str | None:
    """What the report shows when speech was left without words, or None when the transcript is whole.

    One wording for the app and the text report: where the gaps are, what it
    means for the coaching, and what to do.
    """
    quality = report.transcript_quality
    if quality is None or quality.complete:
        return None
    where = ", ".join(f"{clock(g.start, 1)}-{clock(g.end, 1)}" for g in quality.gaps if not g.recovered)
    return (
        f"{num(quality.missing_s)} s of your speech has no words in the transcript ({where}), so findings about "
        "what you said may be wrong there. Listen to the take; if it sounds clear, record it again."
    )


def downgrade(finding: Finding, note: str) -> Finding:
    """The finding as a suggestion whose message says the transcript may be wrong."""
    return dataclasses.replace(
        finding,
        severity="suggestion",
        message=f"{finding.message} (transcript confidence is low: {note}; check this by ear)",
    )
