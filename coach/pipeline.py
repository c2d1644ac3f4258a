"""One recording in, one :class:`~coach.report.Report` out.

Stages, in order: decode -> acoustics -> transcribe -> text -> rules (the
findings, then the follow-up e-mail drafted from the finished report). Each is
timed into ``report.timings_s`` and announced through an optional ``progress``
callback (the CLI prints it to stderr, the app shows it in a status box).
An :class:`Analyzer` holds the Whisper model, so a process loads it once.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from coach.analysis import acoustics, windows
from coach.analysis.metrics import build_metrics
from coach.analysis.models import load_model, resolve_name
from coach.analysis.transcribe import check, initial_prompt, transcribe
from coach.audio import SAMPLE_RATE
from coach.audio.decode import DecodedAudio, load_audio
from coach.audio.decode import display_name as shown_name
from coach.config import Config, load_config
from coach.errors import NoSpeechError
from coach.follow_up import follow_up
from coach.report import Report, RepProfile
from coach.rules import engine as rules
from coach.text.script_diff import script_diff

if TYPE_CHECKING:
    from coach.analysis.streaming import LiveTranscript

Progress = Callable[[str], None]

STAGES = ("decode", "acoustics", "transcribe", "text", "rules")


def _untimed(label: str) -> ContextManager[None]:
    return nullcontext()


_PAUSES = 0
_ENABLED_BEFORE = True
_PAUSES_LOCK = threading.Lock()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while the model loads (in any number of threads at once).

    Importing torch and Whisper creates a few hundred thousand objects, which
    set off full collections that find nothing to free: 0.2-0.3 s of a 1.8 s
    import on the development machine. What becomes garbage meanwhile is
    collected when the collector is back on.
    """
    global _PAUSES, _ENABLED_BEFORE
    with _PAUSES_LOCK:
        if _PAUSES == 0:
            _ENABLED_BEFORE = gc.isenabled()
            gc.disable()
        _PAUSES += 1
    try:
        yield
    finally:
        with _PAUSES_LOCK:
            _PAUSES -= 1
            if _PAUSES == 0 and _ENABLED_BEFORE:
                gc.enable()


class Analyzer:
    """Analyses recordings with one Whisper model and one configuration."""

    def __init__(self, model_name: str | None = None, config: Config | None = None):
        self.config = config if config is not None else load_config()
        self.model_name = resolve_name(model_name or self.config.analysis.model)
        self._model = None
        self._loading: threading.Thread | None = None
        self._load_error: BaseException | None = None
        self._load_lock = threading.Lock()
        #: Seconds the model took to load in this process (None until it has loaded).
        self.model_load_s: float | None = None

    def with_config(self, config: Config) -> Analyzer:
        """This Analyzer's model (loaded once, shared) with other settings: the settings in force now."""
        other = Analyzer(self.model_name, config)
        other._model = self._model
        return other

    @property
    def model(self):
        """The Whisper model, loaded on first use (waiting for :meth:`preload`'s thread when it runs)."""
        if self._model is None:
            self.preload()
            with self._load_lock:
                loading = self._loading
            if loading is not None:
                loading.join()
            with self._load_lock:
                if self._model is None:
                    error, self._loading, self._load_error = self._load_error, None, None
                    raise error if error is not None else RuntimeError("the model did not load")
        return self._model

    def preload(self) -> None:
        """Start loading the model in a background thread, unless it is loaded or loading.

        :meth:`analyze` calls it once the file has decoded, so the model loads
        while the acoustics run (their first call in a process loads librosa's
        compiled code, about 1.3 s of CPU; in a new process they run in a
        forked process, :func:`coach.analysis.acoustics.measure_forked`): the
        first report in a new process waits for the longer of the two instead of both. A failure is raised by :attr:`model`.
        The thread is not a daemon: a daemon killed inside torch at exit aborts the process.
        """
        with self._load_lock:
            if self._model is not None or self._loading is not None:
                return
            self._loading = threading.Thread(target=self._load, name="coach-load-model")
            self._loading.start()

    def _load(self) -> None:
        start = time.perf_counter()
        try:
            with _collector_paused():
                model = load_model(self.model_name)
                windows.prepare(model)
        except BaseException as exc:  # raised again by .model
            with self._load_lock:
                self._load_error = exc
            return
        with self._load_lock:
            self._model = model
            if self.model_load_s is None:
                self.model_load_s = time.perf_counter() - start

    def warm_up(self) -> None:
        """Load the model and run the acoustics, numba's alignment code and Whisper once, so the first real
        take is fast.

        The model loads in :meth:`preload`'s thread while the acoustics warm up.
        """
        self.preload()
        acoustics.warm_up()
        windows.warm_whisper_dtw()
        t = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
        transcribe(self.model, (0.1 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))

    def measure(
        self,
        path: str | Path,
        *,
        name: str | None = None,
        stage: Callable[[str], ContextManager[None]] | None = None,
        decoded: Callable[[], None] | None = None,
    ) -> tuple[DecodedAudio, acoustics.Acoustics]:
        """The stages before Whisper, decode and acoustics: what happens to a file between its bytes and
        its measured samples (``coach analyze`` runs them first; the fuzz test runs them alone).
        ``decoded`` is called between the two, once the file has decoded."""
        stage = stage or _untimed
        settings = self.config.analysis
        with stage("decode"):
            audio = load_audio(
                path,
                max_duration_s=settings.max_duration_s,
                min_duration_s=settings.min_duration_s,
                max_file_mb=settings.max_file_mb,
            )
        name = name or shown_name(path)
        # A new process (model not loaded, librosa not warm): measure in a forked process while this one
        # loads the model, before the loader's thread starts (see acoustics.measure_forked).
        forked = (
            acoustics.measure_forked(audio.samples, audio.sample_rate, min_pause_s=settings.min_pause_s, name=name)
            if decoded is not None and self._model is None and self._loading is None
            else None
        )
        if decoded is not None:
            decoded()
        with stage("acoustics"):
            if forked is not None:
                measured = forked()
            else:
                measured = acoustics.measure(
                    audio.samples, audio.sample_rate, min_pause_s=settings.min_pause_s, name=name
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

        audio, measured = self.measure(path, name=name, stage=stage, decoded=self.preload)
        with stage("transcribe"):
            # Only words the audio supports leave this stage, with times clamped to the sound.
            transcript = self._transcribe(audio.samples, measured, live, rep, prospect or None)
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
            report.email = follow_up(report, self.config)
        report.timings_s = timings
        return report

    def _transcribe(
        self,
        samples: np.ndarray,
        measured: acoustics.Acoustics,
        live: LiveTranscript | None,
        rep: RepProfile,
        prospect: str | None,
    ):
        if live is not None:
            words = live.finish()
            if np.array_equal(live.samples, samples) and live.prompt == initial_prompt(rep, prospect):
                return check(
                    self.model, samples, words, measured.sounding, stretches=measured.stretches, prompt=live.prompt
                )
            # Not the streamed audio (the file was cut to the longest take analysed) or not the prompt this
            # analysis asks for (the details changed after the take started): transcribe the file whole.
        return transcribe(
            self.model, samples, sounding=measured.sounding, stretches=measured.stretches, rep=rep, prospect=prospect
        )


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
