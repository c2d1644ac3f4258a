"""What every rule function receives and returns, how its texts are filled, and formatting helpers.

A rule is a pure function ``check(report, settings, context) -> list[Finding]``:
``settings`` is the rule's table from the configuration (``severity``
included) and ``context`` holds what is computed once per report (the
configuration, the phrase index, the speech span, whether the transcript can
be trusted). A check computes values and hands them to :func:`finding`, which
fills the rule's catalogue templates (:mod:`coach.rules.catalogue`) with
them and the settings; the docs (:mod:`coach.rules.docs`) fill the same
templates through :func:`template_values`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coach.report import Finding, Report
from coach.rules.catalogue import BY_CODE, RuleInfo
from coach.text.matching import Match, TextIndex

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
    #: Why a callback number's digits are not trusted ("" when they are; coach.rules.reliability.uncertain_number).
    number_note: str = ""

    @classmethod
    def build(
        cls, report: Report, config: Config, *, reliable: bool = True, note: str = "", number_note: str = ""
    ) -> Context:
        start, end, span = speech_bounds(report)
        prospect = (report.prospect or "").strip() or None
        return cls(config, TextIndex.from_report(report), start, end, span, reliable, note, prospect, number_note)


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


# -- texts -----------------------------------------------------------------------


def prose_value(value: Any, kind: str) -> str:
    """A setting's value as it reads in a sentence (0.2 as a fraction reads "20%")."""
    if kind == "fraction" and isinstance(value, (int, float)):
        return f"{num(100 * value)}%"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return num(value, 2)
    return str(value)


def template_values(info: RuleInfo, config: Config, given: Mapping[str, object] | None = None) -> dict[str, object]:
    """Every name a template of ``info`` may use: its settings in force, the settings it
    borrows (``info.borrows``), its ``fix_defaults``, then ``given`` (a check's values).

    Settings read as in a sentence (:func:`prose_value`); a text setting may
    itself name the other values in braces (VM504's rewrite: ``{number}``).
    """
    values: dict[str, object] = {**info.fix_defaults, **(given or {})}
    settings = config.rule(info.code)
    filled: dict[str, object] = {}
    for setting in info.settings:
        value = settings[setting.name]
        if setting.kind == "text":
            for name, replacement in values.items():
                value = value.replace("{" + name + "}", str(replacement))
        filled[setting.name] = prose_value(value, setting.kind)
    for path in info.borrows:
        value, kind = config.general(path)
        filled[path.rsplit(".", 1)[-1]] = prose_value(value, kind)
    return {**filled, **values}


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template`` with its ``{names}`` filled (a name with no value is a bug: KeyError)."""
    return template.format_map(values)


def text(ctx: Context, code: str, key: str, **values: object) -> str:
    """One of rule ``code``'s catalogue texts, filled with its settings and ``values``."""
    info = BY_CODE[code]
    return fill(info.texts[key], template_values(info, ctx.config, values))


def finding(
    ctx: Context,
    code: str,
    values: Mapping[str, object] | None = None,
    *,
    message: str | Sequence[str] = "message",
    details: Sequence[str] = (),
    evidence: str = "evidence",
    start_s: float | None = None,
    end_s: float | None = None,
    severity: str | None = None,
) -> Finding:
    """A finding of rule ``code``, its texts from the catalogue filled with ``values``.

    ``message`` names the text (or texts, joined) that is the message;
    the fix is the rule's ``fix`` followed by the ``details`` texts; the
    evidence is the ``evidence`` text. Severity is the configured one unless
    the check decides (VM101's error).
    """
    info = BY_CODE[code]
    filled = template_values(info, ctx.config, values)
    keys = [message] if isinstance(message, str) else list(message)
    return Finding(
        code=code,
        name=info.name,
        severity=severity or ctx.config.severity(code),
        message="".join(fill(info.texts[k], filled) for k in keys),
        fix=" ".join([fill(info.fix, filled), *(fill(info.texts[k], filled) for k in details)]),
        evidence=fill(info.texts[evidence], filled),
        start_s=start_s,
        end_s=end_s,
    )


# -- formatting ------------------------------------------------------------------------


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


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return f'"{text}"'


def quotes(items: list[str], limit: int = 5) -> str:
    shown = [quote(t, 50) for t in items[:limit]]
    more = len(items) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def said_at(matches: Sequence[Match], weights: bool = False) -> str:
    """Phrases as said, each with when (and its weight): ``"touch base" at 3.1 s, ...``."""
    parts = []
    for m in matches:
        weight = f" ({num(m.weight)})" if weights else ""
        parts.append(f'"{m.said}"{weight} {at(m.start_s)}'.strip())
    return ", ".join(parts)


def plural(count: int) -> str:
    """The ``s`` of a plural noun after ``count``."""
    return "" if count == 1 else "s"


def cap(text: str) -> str:
    """``text`` with its first letter upper-case."""
    return text[:1].upper() + text[1:]


def words_between(report: Report, start: float, end: float) -> str:
    """The words said between two times."""
    return "".join(w.text for w in report.words if w.start >= start - 0.05 and w.end <= end + 0.05).strip()


def words_before(report: Report, t: float, count: int = 4) -> str:
    said = [w.text for w in report.words if w.end <= t + 0.05]
    return "".join(said[-count:]).strip()
