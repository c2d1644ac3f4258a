"""One recording in, one :class:`~coach.report.Report` out.

Stages, in order: decode -> acoustics -> transcribe -> text -> rules. Each is
timed into ``report.timings_s`` and announced through an optional ``progress``
callback (the CLI prints it to stderr, the app shows it in a status box).
An :class:`Analyzer` holds the Whisper model, so a process loads it once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coach.analysis import acoustics
from coach.analysis.metrics import build_metrics
from coach.analysis.models import load_model
from coach.analysis.transcribe import check, transcribe
from coach.audio import SAMPLE_RATE
from coach.audio.decode import DecodedAudio, load_audio
from coach.audio.decode import display_name as shown_name
from coach.config import Config, load_config
from coach.errors import NoSpeechError
from coach.report import Report, RepProfile
from coach.rules import engine as rules
from coach.text.script_diff import script_diff

if TYPE_CHECKING:
    from coach.analysis.streaming import LiveTranscript

Progress = Callable[[str], None]

STAGES = ("decode", "acoustics", "transcribe", "text", "rules")


def _untimed(label: str) -> ContextManager[None]:
    return nullcontext()


class Analyzer:
    """Analyses recordings with one Whisper model and one configuration."""

    def __init__(self, model_name: str | None = None, config: Config | None = None):
        self.config = config if config is not None else load_config()
        self.model_name = model_name or self.config.analysis.model
        self._model = None

    @property
    def model(self):
        if self._model is None:
            self._model = load_model(self.model_name)
        return self._model

    def warm_up(self) -> None:
        """Load the model and run the acoustics and Whisper once, so the first real take is fast."""
        acoustics.warm_up()
        t = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
        transcribe(self.model, (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))

    def measure(
        self, path: str | Path, *, name: str | None = None, stage: Callable[[str], ContextManager[None]] | None = None
    ) -> tuple[DecodedAudio, acoustics.Acoustics]:
        """The stages before Whisper, decode and acoustics: what happens to a file between its bytes and
        its measured samples (``coach analyze`` runs them first; the fuzz test runs them alone)."""
        stage = stage or _untimed
        settings = self.config.analysis
        with stage("decode"):
            audio = load_audio(
                path,
                max_duration_s=settings.max_duration_s,
                min_duration_s=settings.min_duration_s,
            )
        with stage("acoustics"):
            measured = acoustics.measure(
                audio.samples, audio.sample_rate, min_pause_s=settings.min_pause_s, name=name or shown_name(path)
            )
        return audio, measured

    def analyze(
        self,
        path: str | Path,
        *,
        prospect: str | None = None,
        script: str | None = None,
        progress: Progress | None = None,
        display_name: str | None = None,
        rep: RepProfile | None = None,
        live: LiveTranscript | None = None,
    ) -> Report:
        """Analyse the recording at ``path``; raises :class:`coach.errors.CoachError` subclasses.

        ``rep`` is the rep's details for this take (default: the settings' ``[rep]``).
        ``live`` is the take's transcript streamed while it was recorded
        (:mod:`coach.analysis.streaming`; ``path`` is the take it saved): only
        what is left after its last chunk is transcribed here.
        """
        rep = rep if rep is not None else self.config.rep
        path = Path(path)
        name = display_name or path.name
        timings: dict[str, float] = {}

        @contextmanager
        def stage(label: str) -> Iterator[None]:
            if progress is not None:
                progress(label)
            start = time.perf_counter()
            yield
            timings[label] = time.perf_counter() - start

        audio, measured = self.measure(path, name=name, stage=stage)
        with stage("transcribe"):
            # Only words the audio supports leave this stage, with times clamped to the sound.
            transcript = self._transcribe(audio.samples, measured.sounding, live, rep, prospect or None)
        if not transcript.words:
            raise NoSpeechError(
                f"{name}: no words were recognised in this recording. Check that the microphone "
                "picked up your voice (speak closer, reduce background noise) and record again."
            )
        with stage("text"):
            metrics = build_metrics(
                measured, transcript.words, rep=rep, name_similarity=self.config.rule("VM701")["min_similarity"]
            )
            diff = script_diff(script, transcript.text)
        report = Report(
            file=name,
            duration_s=audio.duration_s,
            transcript=transcript.text,
            words=transcript.words,
            metrics=metrics,
            contours=measured.contours,
            audio=audio.info,
            model=self.model_name,
            prospect=prospect or None,
            script=script or None,
            rep=None if rep.is_empty else rep,
            script_diff=diff,
            transcript_quality=transcript.quality,
        )
        with stage("rules"):
            rules.apply(report, self.config)
        report.timings_s = timings
        return report

    def _transcribe(
        self,
        samples: np.ndarray,
        sounding: list[tuple[float, float]],
        live: LiveTranscript | None,
        rep: RepProfile,
        prospect: str | None,
    ):
        # TODO(speed): the streamed chunks must use the same prompt (initial_prompt(rep, prospect)).
        if live is not None:
            words = live.finish()
            if np.array_equal(live.samples, samples):
                return check(self.model, samples, words, sounding)
            # The file is not the streamed audio (it was cut to the longest take analysed): transcribe it whole.
        return transcribe(self.model, samples, sounding=sounding, rep=rep, prospect=prospect)


_ANALYZERS: dict[str, Analyzer] = {}
_ANALYZERS_LOCK = threading.Lock()


def get_analyzer(model_name: str | None = None, config: Config | None = None) -> Analyzer:
    """A per-process cached :class:`Analyzer` for ``model_name`` (default configuration)."""
    if config is not None:
        return Analyzer(model_name, config)
    key = model_name or ""
    with _ANALYZERS_LOCK:
        if key not in _ANALYZERS:
            _ANALYZERS[key] = Analyzer(model_name)
        return _ANALYZERS[key]
