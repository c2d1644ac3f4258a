"""The report: everything the coach knows about one recording.

Data flows one way: audio -> transcript + acoustics -> metrics -> findings ->
report -> UI/CLI. This module holds the plain data classes for every stage's
output and their JSON form (``Report.to_dict`` / ``Report.from_dict``), which
is documented in the README ("JSON report") and relied on by other tools:
keep field names stable.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Word:
    """One recognised word with its time span (seconds) and Whisper's confidence."""

    text: str
    start: float
    end: float
    probability: float


@dataclass
class Pause:
    """A stretch of silence inside the speech (from the audio's energy)."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class Filler:
    """A filler word ("um", "uh", "er") as said."""

    text: str
    start: float
    end: float


@dataclass
class PhoneNumber:
    """A callback number: its digits, when it is said and how fast."""

    digits: str
    start: float
    end: float
    digits_per_s: float
    text: str = ""


@dataclass
class Introduction:
    """Where the caller says who they are ("this is Sam from Acme")."""

    name: str
    start: float
    end: float = 0.0
    company: str | None = None
    phrase: str = ""


@dataclass
class Question:
    """A question asked in the message (a sentence ending in "?")."""

    text: str
    start: float
    end: float


@dataclass(kw_only=True)
class AcousticMetrics:
    """What the waveform says about a take, as the report keeps it. Times are seconds from the file's start.

    Declared once: :func:`coach.analysis.acoustics.measure` returns a subclass
    (with the frame-level detail only the analysis needs) and :class:`Metrics`
    extends it with what the transcript says.
    """

    speech_start_s: float
    speech_end_s: float
    leading_silence_s: float
    trailing_silence_s: float
    pauses: list[Pause]
    longest_pause_s: float
    loudness_dbfs: float
    clipping_ratio: float
    snr_db: float
    pitch_median_hz: float | None
    pitch_variation_st: float | None
    speech_span_s: float = 0.0
    speaking_time_s: float = 0.0
    peak_dbfs: float = -math.inf


@dataclass(kw_only=True)
class Metrics(AcousticMetrics):
    """Measurements of one recording: the acoustic ones and those from the transcript."""

    wpm: float
    word_count: int
    filler_count: int
    fillers: list[Filler]
    phone_numbers: list[PhoneNumber]
    introduction: Introduction | None
    articulation_wpm: float = 0.0
    questions: list[Question] = field(default_factory=list)
    sentence_count: int = 0
    mean_word_probability: float = 0.0


@dataclass
class Contours:
    """Energy (dBFS) and pitch (Hz, None where unvoiced) at a fixed frame rate, for plots."""

    frame_rate_hz: float
    energy_db: list[float]
    pitch_hz: list[float | None]


@dataclass
class AudioInfo:
    """What the input file was before it was decoded to 16 kHz mono."""

    format: str
    codec: str
    sample_rate_hz: int
    channels: int


@dataclass
class Finding:
    """One thing to fix, from one rule of the catalogue (see ``coach rules``)."""

    code: str
    name: str
    severity: str
    message: str
    fix: str
    evidence: str = ""
    start_s: float | None = None
    end_s: float | None = None


@dataclass
class Strength:
    """Something the message did well."""

    name: str
    message: str


@dataclass
class ScoreItem:
    """Points one finding cost."""

    code: str
    name: str
    severity: str
    points: float


@dataclass
class Score:
    """0-100, with the points each finding cost, so the number is explainable."""

    value: int
    breakdown: list[ScoreItem] = field(default_factory=list)


@dataclass
class Report:
    """The whole analysis of one recording; ``to_dict`` is the JSON form."""

    file: str
    duration_s: float
    transcript: str
    words: list[Word]
    metrics: Metrics
    contours: Contours | None = None
    audio: AudioInfo | None = None
    model: str = ""
    timings_s: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    strengths: list[Strength] = field(default_factory=list)
    score: Score | None = None
    prospect: str | None = None
    script: str | None = None
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return _clean(dataclasses.asdict(self))

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return _build(cls, data)


def _clean(value: Any) -> Any:
    """Round floats for a readable JSON form and map non-finite numbers to None."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _build(tp: Any, data: Any) -> Any:
    """Rebuild nested dataclasses from their dict form (inverse of ``_clean(asdict())``)."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner[0], data)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_build(item, v) for v in data]
    if origin is dict:
        _, val = typing.get_args(tp)
        return {k: _build(val, v) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = _build(hints[f.name], data[f.name])
        build: Any = tp
        return build(**kwargs)
    if tp is float and data is not None:
        return float(data)
    return data
