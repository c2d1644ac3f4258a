"""The report: everything the coach knows about one recording.

Data flows one way: audio -> transcript + acoustics -> metrics -> findings ->
report -> UI/CLI. This module holds the plain data classes for every stage's
output and their JSON form (``Report.to_dict`` / ``Report.from_dict``), which
is documented in the README ("JSON report") and relied on by other tools:
keep field names stable.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import types
import typing
from dataclasses import dataclass, field
from typing import Any

#: 2: ``script_diff`` and ``highlights`` added. Version-1 reports still load (both empty).
#: 3: ``email`` (the follow-up e-mail draft) added; earlier reports load with it null.
SCHEMA_VERSION = 3


@dataclass
class Word:
    """One recognised word with its time span (seconds) and Whisper's confidence."""

    text: str
    start: float
    end: float
    probability: float


@dataclass
class DroppedWord:
    """A word Whisper wrote that the audio does not support, and why it was left out.

    ``reason``: ``before_speech``, ``after_speech`` or ``in_pause`` (no sound
    under or near it), ``zero_length`` (no duration and a low probability),
    ``silent_filler`` (a known Whisper filler such as "Thank you." over
    silence), ``no_speech`` (the recording has no sounding stretch).
    """

    text: str
    start: float
    end: float
    probability: float
    reason: str


@dataclass
class SpeechGap:
    """A stretch of speech that had no words under it in the first transcription."""

    start: float
    end: float
    recovered: bool = False


@dataclass
class RereadNumber:
    """A callback number whose first reading was doubtful, read again from its own audio.

    ``heard``: the digits of the first reading; ``kept``: the digits the
    transcript now has (the same when the second readings did not agree on
    another; :mod:`coach.analysis.reread`). ``settled`` is False when the
    reading kept is still doubtful: findings that read the number say so.
    """

    start: float
    end: float
    heard: str
    kept: str
    settled: bool = True


@dataclass
class TranscriptQuality:
    """How far the transcript can be trusted: what was left out, what was recovered, what is missing.

    ``complete`` is False when speech of a second or more still has no words
    under it (``missing_s`` seconds in all): the transcript lacks part of the
    message, and findings that read it say so.
    """

    complete: bool = True
    missing_s: float = 0.0
    gaps: list[SpeechGap] = field(default_factory=list)
    dropped_words: list[DroppedWord] = field(default_factory=list)
    clamped_words: int = 0
    reread_numbers: list[RereadNumber] = field(default_factory=list)


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
    #: How the name said matched the rep's profile: "exact", "spelling" or "sound" (a misheard
    #: name, see :mod:`coach.text.names`), "company" (the profile's company after a name), "" none.
    profile_match: str = ""


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
class DiffOp:
    """One segment of a script diff: ``op`` is equal, skipped, added or changed."""

    op: str
    script: str
    said: str


@dataclass
class ScriptDiff:
    """Script vs what was said: rates over the script's words and the word diff."""

    wer: float
    changed_ratio: float
    ops: list[DiffOp] = field(default_factory=list)
    script_words: int = 0
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0


@dataclass
class Highlight:
    """A stretch of the transcript the analysis points at (a filler, a hedge, the number ...).

    ``kind`` is one of :data:`coach.rules.highlights.KINDS`; ``first_word`` and
    ``last_word`` index ``Report.words`` (None when there are no word timings).
    """

    kind: str
    text: str
    first_word: int | None = None
    last_word: int | None = None
    start_s: float | None = None
    end_s: float | None = None


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
    """0-100, with the points each finding cost, so the number is explainable.

    ``verdict`` is "ready", "almost", "retake" or "redo" ("" in a report kept
    before verdicts); ``core`` lists the core rules the take breaks, which
    cap the score below "ready" (an item with code "core" in ``breakdown``).
    See :mod:`coach.rules.scoring`.
    """

    value: int
    breakdown: list[ScoreItem] = field(default_factory=list)
    verdict: str = ""
    core: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RepProfile:
    """Who leaves the message: the rep's own details ("" where not given).

    From the settings' ``[rep]`` table, overridden by ``--rep-name`` etc. or
    the app's "Your details" form; each report keeps the profile it was
    analysed with, so every take says whose it is.
    """

    name: str = ""
    company: str = ""
    #: The callback number as the rep writes it ("415-555-0192").
    number: str = ""
    email: str = ""

    @property
    def is_empty(self) -> bool:
        return not any((self.name, self.company, self.number, self.email))


@dataclass
class FollowUpEmail:
    """The draft e-mail to send after the voicemail (:mod:`coach.follow_up`), for the rep to edit.

    Made only from what the take said and the rep's details; a part the
    voicemail did not say is a visible blank ("[day and time]") that
    ``notes`` asks the rep to fill in.
    """

    subject: str
    body: str
    #: What to check or fill in before sending it, in plain sentences.
    notes: list[str] = field(default_factory=list)


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
    #: The rep's details the take was analysed with (None when none were given).
    rep: RepProfile | None = None
    #: The take against ``script`` (text stage), None without a script.
    script_diff: ScriptDiff | None = None
    #: What the transcript view marks, found with the configuration the analysis used.
    highlights: list[Highlight] = field(default_factory=list)
    transcript_quality: TranscriptQuality | None = None
    #: The follow-up e-mail draft, made at the pipeline's last stage (None before schema version 3).
    email: FollowUpEmail | None = None
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


@functools.cache
def _type_hints(tp: Any) -> dict[str, Any]:
    """A dataclass's resolved field types, worked out once per class (re-scoring loads hundreds of reports)."""
    return typing.get_type_hints(tp)


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
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = _type_hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = _build(hints[f.name], data[f.name])
        build: Any = tp
        return build(**kwargs)
    if tp is float and data is not None:
        return float(data)
    return data
