"""What every rule function receives and returns, and small formatting helpers.

A rule is a pure function ``check(report, settings, context) -> list[Finding]``:
``settings`` is the rule's table from the configuration (``severity``
included) and ``context`` holds what is computed once per report (the phrase
index, the speech span, whether the transcript can be trusted).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coach.report import Finding, Report
from coach.rules.catalogue import BY_CODE
from coach.text.matching import TextIndex

if TYPE_CHECKING:
    from coach.config import Config

Settings = Mapping[str, Any]


@dataclass(frozen=True)
class Context:
    """Per-report facts shared by the rules."""

    config: Config
    text: TextIndex
    speech_start_s: float
    speech_end_s: float
    speech_span_s: float
    transcript_reliable: bool = True
    #: Why the transcript is not trusted ("" when it is).
    reliability_note: str = ""
    prospect: str | None = None
    script: str | None = None

    @classmethod
    def build(cls, report: Report, config: Config, *, reliable: bool = True, note: str = "") -> Context:
        start, end, span = speech_bounds(report)
        prospect = (report.prospect or "").strip() or None
        script = (report.script or "").strip() or None
        return cls(config, TextIndex.from_report(report), start, end, span, reliable, note, prospect, script)


Check = Callable[[Report, Settings, Context], list[Finding]]


def speech_bounds(report: Report) -> tuple[float, float, float]:
    """(first sound, last sound, span) in seconds: what the prospect sits through.

    From the acoustic measurements; from the first and last word when those are
    missing, and the whole file as a last resort.
    """
    m = report.metrics
    start, end = m.speech_start_s, m.speech_end_s
    if not end > start and report.words:
        start, end = report.words[0].start, report.words[-1].end
    if not end > start:
        start, end = 0.0, report.duration_s
    span = m.speech_span_s if m.speech_span_s and m.speech_span_s > 0 else end - start
    return start, end, span


def finding(
    code: str,
    settings: Settings,
    message: str,
    fix: str,
    *,
    evidence: str = "",
    start_s: float | None = None,
    end_s: float | None = None,
    severity: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        name=BY_CODE[code].name,
        severity=severity or settings["severity"],
        message=message,
        fix=fix,
        evidence=evidence,
        start_s=start_s,
        end_s=end_s,
    )


def num(value: float, decimals: int = 1, *, unlike: float | None = None) -> str:
    """A number for a message: ``decimals`` places, trailing zeros dropped.

    With ``unlike``, more places (up to 3) are shown when the rounded value would
    read as equal to it, so "30.04 s" over a 30 s limit never prints as "30 s".
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    places = decimals
    while unlike is not None and places < 3 and round(value, places) == round(unlike, places) and value != unlike:
        places += 1
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def secs(value: float, *, unlike: float | None = None) -> str:
    return f"{num(value, unlike=unlike)} s"


def at(value: float | None) -> str:
    """A moment in the recording, for messages: "at 12.4 s"."""
    return f"at {num(value)} s" if value is not None else ""


def format_number(digits: str) -> str:
    """Digits grouped the way they are said: 415-555-0192, 1-800-555-0199, 555-0192."""
    d = "".join(c for c in digits if c.isdigit())
    if len(d) == 10:
        return f"{d[:3]}-{d[3:6]}-{d[6:]}"
    if len(d) == 11 and d.startswith("1"):
        return f"1-{d[1:4]}-{d[4:7]}-{d[7:]}"
    if len(d) == 7:
        return f"{d[:3]}-{d[3:]}"
    groups = [d[i : i + 3] for i in range(0, len(d), 3)]
    return "-".join(groups)


def shown_number(number) -> str:
    """A :class:`~coach.report.PhoneNumber` for messages: grouped when it has a usual
    length, else as transcribed (a digit may have been dropped)."""
    if len(number.digits) in (7, 10) or (len(number.digits) == 11 and number.digits.startswith("1")):
        return format_number(number.digits)
    return number.text or format_number(number.digits)


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f'"{text}"'


def quotes(items: list[str], limit: int = 5) -> str:
    shown = [quote(t, 50) for t in items[:limit]]
    more = len(items) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def words_between(report: Report, start: float, end: float) -> str:
    """The words said between two times."""
    return "".join(w.text for w in report.words if w.start >= start - 0.05 and w.end <= end + 0.05).strip()


def words_before(report: Report, t: float, count: int = 4) -> str:
    said = [w.text for w in report.words if w.end <= t + 0.05]
    return "".join(said[-count:]).strip()
