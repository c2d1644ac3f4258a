"""The key figures of a take, each against the band a good voicemail sits in.

Shared by the report page (one card per figure) and the comparison of two
takes. Each figure is the one its rule judges: the length is the speech span
(first word to last, :func:`coach.rules.base.speech_bounds`), which is what
VM101/VM102 measure, not the recording's length. Length and pace have two
bands: the ideal the coach aims for (from 10 s up to ``strengths.short_s``;
``strengths.ideal_min_wpm``-``ideal_max_wpm``) and, around it, the limits
beyond which a rule fires (VM102/VM101, VM202/VM201). A value between the two
is "a bit" off: worth knowing, not yet a finding. The other figures have one
band: the range in which their rule raises nothing. Every band edge but the
10 s ideal minimum is read from the configuration in force, so a
``coach.toml`` that retunes a rule moves its band too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from coach.report import Report
from coach.rules.base import speech_bounds

if TYPE_CHECKING:
    from coach.config import Config


@dataclass(frozen=True)
class Band:
    """A target range; ``None`` on a side means no limit on that side."""

    low: float | None = None
    high: float | None = None

    def status(self, value: float | None) -> str:
        """``"ok"``, ``"low"``, ``"high"`` or ``"n/a"`` (no value)."""
        if value is None:
            return "n/a"
        if self.low is not None and value < self.low:
            return "low"
        if self.high is not None and value > self.high:
            return "high"
        return "ok"

    def distance(self, value: float | None) -> float | None:
        """How far outside the band ``value`` lies (0 inside it)."""
        if value is None:
            return None
        if self.low is not None and value < self.low:
            return self.low - value
        if self.high is not None and value > self.high:
            return value - self.high
        return 0.0


@dataclass(frozen=True)
class FigureSpec:
    key: str
    label: str
    unit: str
    band: Band
    target: str
    value_of: Callable[[Report], float | None]
    decimals: int = 0
    too_low: str = ""
    too_high: str = ""
    #: Where the rules draw the line, if wider than ``band`` (the ideal).
    limits: Band | None = None
    near_low: str = ""
    near_high: str = ""
    #: What the figure is, when its label does not say it all.
    help: str = ""

    def format(self, value: float | None) -> str:
        if value is None:
            return "-"
        if self.unit == "times":
            return {0: "never", 1: "once", 2: "twice"}.get(int(value), f"{int(value)} times")
        text = f"{value:.{self.decimals}f}"
        return f"{text} {self.unit}".strip()


@dataclass(frozen=True)
class Figure:
    spec: FigureSpec
    value: float | None

    @property
    def status(self) -> str:
        """``ok``, ``near_low``/``near_high`` (outside the ideal, inside the limits), ``low``, ``high``, ``n/a``."""
        status = self.spec.band.status(self.value)
        if status in ("low", "high") and self.spec.limits is not None and self.spec.limits.status(self.value) == "ok":
            return f"near_{status}"
        return status

    @property
    def text(self) -> str:
        return self.spec.format(self.value)

    @property
    def verdict(self) -> str:
        """A few words for the rep: on target, or which way it is off."""
        return {
            "ok": "On target",
            "low": self.spec.too_low or "Below target",
            "high": self.spec.too_high or "Above target",
            "near_low": self.spec.near_low or "A little low",
            "near_high": self.spec.near_high or "A little high",
            "n/a": "Not measured",
        }[self.status]


def _callbacks(report: Report) -> float:
    return float(len(report.metrics.phone_numbers))


def _speech_length(report: Report) -> float:
    return speech_bounds(report)[2]


#: A band edge that :func:`specs` fills in from the configuration.
CONFIGURED: float | None = None


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "duration",
        "Speech length",
        "s",
        Band(10.0, CONFIGURED),
        "{low:g}-{high:g} s",
        _speech_length,
        1,
        "Too short",
        "Too long",
        Band(CONFIGURED, CONFIGURED),
        "A bit short",
        "A bit long",
        help="From your first word to your last: what the prospect listens to, and what the length rules judge.",
    ),
    FigureSpec(
        "pace",
        "Pace",
        "wpm",
        Band(CONFIGURED, CONFIGURED),
        "{low:g}-{high:g} wpm",
        lambda r: r.metrics.wpm or None,
        0,
        "Too slow",
        "Too fast",
        Band(CONFIGURED, CONFIGURED),
        "A bit slow",
        "A bit fast",
    ),
    FigureSpec(
        "longest_pause",
        "Longest pause",
        "s",
        Band(None, CONFIGURED),
        "under {high:g} s",
        lambda r: r.metrics.longest_pause_s,
        1,
        "",
        "Dead air",
    ),
    FigureSpec(
        "loudness",
        "Loudness",
        "dBFS",
        Band(CONFIGURED, None),
        "above {low:g} dBFS",
        lambda r: r.metrics.loudness_dbfs,
        0,
        "Too quiet",
        "",
    ),
    FigureSpec(
        "fillers",
        "Fillers",
        "",
        Band(None, CONFIGURED),
        "{high:g} or fewer",
        lambda r: float(r.metrics.filler_count),
        0,
        "",
        "Too many",
    ),
    FigureSpec(
        "lead_in",
        "Silence before you speak",
        "s",
        Band(None, CONFIGURED),
        "under {high:g} s",
        lambda r: r.metrics.leading_silence_s,
        1,
        "",
        "Dead air",
    ),
    FigureSpec(
        "pitch_variation",
        "Pitch variation",
        "st",
        Band(CONFIGURED, None),
        "{low:g}+ semitones",
        lambda r: r.metrics.pitch_variation_st,
        1,
        "Monotone",
        "",
    ),
    FigureSpec(
        "callback_numbers",
        "Callback number said",
        "times",
        Band(1.0, None),
        "at least once",
        _callbacks,
        0,
        "Missing",
        "",
    ),
)

#: The four shown first and largest on the report.
HEADLINE = ("duration", "pace", "longest_pause", "loudness")

#: Figure key -> (rule code or settings table, setting, which band, side) for bands that
#: follow the configuration.
_CONFIG_BANDS = {
    "duration": (
        ("strengths", "short_s", "band", "high"),
        ("VM102", "min_s", "limits", "low"),
        ("VM101", "max_s", "limits", "high"),
    ),
    "pace": (
        ("strengths", "ideal_min_wpm", "band", "low"),
        ("strengths", "ideal_max_wpm", "band", "high"),
        ("VM202", "min_wpm", "limits", "low"),
        ("VM201", "max_wpm", "limits", "high"),
    ),
    "longest_pause": (("VM104", "max_s", "band", "high"),),
    "loudness": (("VM602", "min_dbfs", "band", "low"),),
    "fillers": (("VM302", "max_count", "band", "high"),),
    "lead_in": (("VM103", "max_s", "band", "high"),),
    "pitch_variation": (("VM601", "min_st", "band", "low"),),
}


def _setting(config: Config, source: str, setting: str) -> float:
    """A rule's setting (``source`` a code) or one of ``[strengths]``."""
    table: Mapping[str, Any] = config.strengths if source == "strengths" else config.rule(source)
    return float(table[setting])


def specs(config: Config) -> list[FigureSpec]:
    """:data:`FIGURES` with the bands of ``config`` filled in."""
    result = []
    for spec in FIGURES:
        for source, setting, which, side in _CONFIG_BANDS.get(spec.key, ()):
            current = getattr(spec, which) or Band()
            changed: dict[str, Any] = {which: replace(current, **{side: _setting(config, source, setting)})}
            spec = replace(spec, **changed)
        band = spec.band
        target = spec.target.format(low=band.low or 0.0, high=band.high or 0.0)
        result.append(replace(spec, target=target))
    return result


def key_figures(report: Report, config: Config) -> list[Figure]:
    """Every key figure of ``report``, in :data:`FIGURES` order, against the bands of ``config``."""
    return [Figure(spec, _number(spec.value_of(report))) for spec in specs(config)]


def _number(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None
