"""Transcribing a take while it is recorded, so the report is ready when the rep stops.

:class:`LiveTranscript` takes the take's audio as it arrives (any rate,
mono), keeps it at 16 kHz exactly as the saved WAV will hold it, and cuts it
into chunks that a background thread transcribes while the rep goes on
speaking. When the rep stops, only the audio after the last cut is left to
transcribe. The words of all chunks, in file time, then go through the same
check as file analysis (:func:`coach.analysis.transcribe.check`: words the
audio does not support dropped, times clamped to the sound, lost speech
decoded again), with the speech track of the whole take.

Chunks. A chunk is cut in the first pause of at least :data:`LONG_PAUSE_S`
once it holds :data:`CHUNK_MIN_S` of audio, in the middle of what has been
heard of the pause, so no word is cut in two; when none comes within
:data:`CHUNK_MAX_S`, in its longest pause of at least :data:`PAUSE_S` (short
pauses are often inside a phone number, whose digits Whisper reads better
together). Pauses are the gaps of the coach's own
speech track (:func:`coach.analysis.acoustics.find_sounding`, thresholds from
the levels heard so far). A chunk with no sound in it is not sent to Whisper.
When a rep speaks :data:`CHUNK_MAX_S` without a pause, the chunk is cut at its
quietest moment anyway; its words that end within :data:`SEAM_GUARD_S` of
the cut are not kept, and the next chunk starts at the quietest moment
between the last kept word and the first one left, so the words at the seam
are transcribed whole, once, by the next chunk.

Why chunks of at least 8 s (and at most 20), and why the words before a
chunk end its prompt: every cut costs Whisper the context of what came
before, and a cut at a pause between the digit groups of a phone number
splits the number. Measured on the evaluation set (``bench/evaluate.py
--streamed``: 130 renderings, tiny.en; file analysis of the same renderings
beside it), with each rendering's rep profile / without one:

============================================  ===========  ===============  ===========
streamed with                                 WER          numbers right    lost words
============================================  ===========  ===============  ===========
chunks of 4-12 s, the take's prompt           7.9% / 9.5%  89.2% / 75.4%    60 / 16
chunks of 8-20 s, the take's prompt           6.8% / -     94.6% / -        8 / -
chunks of 8-20 s, prompt + last 30 words      6.5% / 9.0%  95.4% / 81.5%    7 / 14
file analysis                                 7.8% / 8.9%  91.5% / 82.3%    7 / 8
============================================  ===========  ===============  ===========

The price of longer chunks is a longer last chunk to transcribe at stop
(0.6-1.2 s on the development machine, most of it the encoder's 30 s window
and the chunk's tokens, whatever its length). So the last chunk does not
wait for the stop: it ends :data:`TAIL_MARGIN_S` after the last speech the
track hears (the silence after that is not sent to Whisper), and once the
rep has been silent that long, it is transcribed as it stands while they
reach for the stop button. At stop, if no speech came after it, that is the
last chunk (:attr:`Chunk.ahead`); if the rep spoke again, it is transcribed
again with the rest. Either way the words are those of the same chunk
transcribed after the stop: its end and its speech track (thresholds from
the audio up to its end) depend on the audio alone. On the samples, which
stop 0.4-0.5 s after the last word, the report came 0.57-0.86 s after the
stop (median 0.68 s), where it had come 0.79-1.20 s after it in a run of the
code before (``make bench``, README "Speed").

Each chunk is decoded with the prompt file analysis gives its first window
(:func:`coach.analysis.transcribe.initial_prompt` of the rep's details and
the prospect, passed in when the take starts), so the fillers are kept after
every cut, not only in the first 30 s, followed by the last
:data:`~coach.analysis.windows.PREVIOUS_WORDS` words written before the chunk:
the context a 30 s window would have heard (Whisper's
``condition_on_previous_text``, over the seam only). File analysis prompts
its windows after the first the same way
(:func:`coach.analysis.windows.context_prompt`).

Resampling is soxr's streaming resampler, whose output is sample for sample
that of :func:`coach.audio.pcm.resample` on the whole take, and samples are
rounded to 16 bits as :func:`coach.audio.pcm.write_wav` writes them: the
audio transcribed here is the audio of the saved take.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coach.analysis.windows import context_prompt
from coach.audio import SAMPLE_RATE
from coach.audio.pcm import as_written, sanitise
from coach.report import Word

#: A chunk is cut at the first pause after this much audio (s) ...
CHUNK_MIN_S = 8.0
#: ... and at its quietest moment when no pause came for this long (s). Why 8 and 20: see the module doc.
CHUNK_MAX_S = 20.0
#: A pause this long ends a chunk at once (s) ...
LONG_PAUSE_S = 0.6
#: ... and at the chunk's longest time, its longest pause of at least this (s).
PAUSE_S = 0.2
#: At a cut without a pause, words ending this close to it go to the next chunk (s).
SEAM_GUARD_S = 0.5
#: The last chunk ends this long after the last speech the track hears (s); the silence after it is not
#: sent to Whisper. Once the rep has been silent this long, that chunk is transcribed ahead of the stop.
TAIL_MARGIN_S = 0.2
#: The speech track's frame hop (s), as in coach.analysis.acoustics.
_HOP = 160
_WINDOW = 400
#: The cutter looks for a pause every this many samples (0.1 s).
_STEP = 1600


@dataclass(frozen=True)
class Chunk:
    """A stretch of the take handed to Whisper (or skipped as silent), in seconds."""

    start: float
    end: float
    decoded: bool
    seconds: float = 0.0  # time its transcription took
    #: The last chunk, transcribed while the rep was silent before stopping (see the module doc).
    ahead: bool = False


@dataclass(frozen=True)
class _Ahead:
    """The last chunk as it stood when the rep fell silent: audio[start:end] and its words."""

    start: int
    end: int
    words: list[Word]
    seconds: float


class LiveTranscript:
    """The words of a take transcribed chunk by chunk as its audio arrives (see the module doc).

    ``model`` returns the Whisper model (it may block while the model loads).
    ``prompt`` is the prompt of every chunk (file analysis's, see the module
    doc; None for none). :meth:`feed` is called from the recording thread with
    each block at ``input_rate``; :meth:`finish` once the take has ended. A
    failure in the background thread is raised again by :meth:`finish`.
    """

    def __init__(
        self,
        model: Callable[[], object],
        input_rate: int = SAMPLE_RATE,
        *,
        prompt: str | None,
        chunk_min_s: float = CHUNK_MIN_S,
        chunk_max_s: float = CHUNK_MAX_S,
    ) -> None:
        import soxr

        self._model = model
        self.input_rate = int(input_rate)
        self.prompt = prompt
        self.chunk_min_s = chunk_min_s
        self.chunk_max_s = chunk_max_s
        self._resampler = (
            soxr.ResampleStream(self.input_rate, SAMPLE_RATE, 1, dtype="float32", quality="HQ")
            if self.input_rate != SAMPLE_RATE
            else None
        )
        self._parts: list[np.ndarray] = []
        self._length = 0
        self._words: list[Word] = []
        self._start = 0  # first sample of the next chunk
        self._checked = 0  # samples heard when the cutter last looked
        self._level = np.zeros(0)  # dB a 10 ms frame, as far as heard
        self._ahead: _Ahead | None = None
        self._idle = False
        self._ended = False
        self._cancelled = False
        self._error: BaseException | None = None
        self._cond = threading.Condition()
        self.chunks: list[Chunk] = []
        self._thread = threading.Thread(target=self._run, name="coach-live-transcript", daemon=True)
        self._thread.start()

    # -- the recording side ---------------------------------------------------

    def feed(self, block: np.ndarray) -> None:
        """Add a mono block of samples at ``input_rate`` (float, [-1, 1])."""
        x = sanitise(np.array(block, dtype=np.float32).reshape(-1))
        if self._resampler is not None:
            x = self._resampler.resample_chunk(x, last=False)
        self._append(x)

    def _append(self, x: np.ndarray) -> None:
        if x.size == 0:
            return
        with self._cond:
            self._parts.append(as_written(x))
            self._length += x.size
            self._cond.notify_all()

    @property
    def samples(self) -> np.ndarray:
        """The take so far at 16 kHz, as the saved WAV holds it."""
        with self._cond:
            return self._joined()

    def _joined(self) -> np.ndarray:
        if len(self._parts) != 1:
            self._parts = [np.concatenate(self._parts) if self._parts else np.zeros(0, dtype=np.float32)]
        return self._parts[0]

    @property
    def duration_s(self) -> float:
        return self._length / SAMPLE_RATE

    def finish(self, timeout: float | None = None) -> list[Word]:
        """End the take: transcribe what is left after the last cut; the words of the whole take, in file time."""
        if self._resampler is not None:
            tail = self._resampler.resample_chunk(np.zeros(0, dtype=np.float32), last=True)
            self._resampler = None
            self._append(tail)
        with self._cond:
            self._ended = True
            self._cond.notify_all()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("the live transcription did not finish in time")
        if self._error is not None:
            raise self._error
        return list(self._words)

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Block until everything fed so far is handled (chunks cut and transcribed, the last one ahead
        if the rep has fallen silent); False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: self._idle and self._length - self._checked < _STEP, timeout)

    def cancel(self) -> None:
        """Stop the background thread without transcribing the rest (a take thrown away)."""
        with self._cond:
            self._ended = True
            self._cancelled = True
            self._cond.notify_all()

    # -- the transcribing side ------------------------------------------------
    #
    # The cutter looks at the take every _STEP samples, each time with only the audio heard up to
    # that point, so where the chunks fall depends on the audio alone, not on how fast it arrived
    # or how busy the machine was: a take fed all at once is cut as it was while recorded.

    def _run(self) -> None:
        try:
            while True:
                with self._cond:
                    while not self._ended and self._length - self._checked < _STEP:
                        self._idle = True
                        self._cond.notify_all()
                        self._cond.wait()
                    self._idle = False
                    if self._cancelled:
                        return
                    ended = self._ended
                    audio = self._joined()
                while audio.size - self._checked >= _STEP:
                    self._checked += _STEP
                    cut = self._find_cut(audio, self._checked)
                    if cut is not None:
                        self._transcribe(audio, self._start, cut[0], forced=cut[1], heard=self._checked)
                    elif not ended and audio.size - self._checked < _STEP:
                        self._transcribe_ahead(audio, self._checked)  # caught up with the rep: use the wait
                if ended:
                    self._transcribe_last(audio)
                    return
        except BaseException as exc:  # handed to finish()
            self._error = exc

    def _levels(self, audio: np.ndarray, heard: int) -> np.ndarray:
        """Level (dB) of every 10 ms frame whose 25 ms window lies in the first ``heard`` samples.

        Frame i is centred on sample 160 i, as in :func:`coach.analysis.acoustics.frame_power`.
        """
        from numpy.lib.stride_tricks import sliding_window_view

        n = max(0, (heard + _WINDOW // 2 - _WINDOW) // _HOP + 1)
        done = self._level.size
        if n > done:
            lo = done * _HOP - _WINDOW // 2  # first sample of frame `done`'s window
            piece = audio[max(0, lo) : (n - 1) * _HOP - _WINDOW // 2 + _WINDOW]
            piece = np.concatenate([np.zeros(max(0, -lo), dtype=np.float32), piece])
            frames = sliding_window_view(piece, _WINDOW)[::_HOP][: n - done]
            power = np.mean(np.square(frames, dtype=np.float64), axis=1)
            self._level = np.concatenate([self._level, 10.0 * np.log10(power + 1e-12)])
        return self._level[:n]

    def _speech(self, audio: np.ndarray, heard: int, first_frame: int) -> np.ndarray:
        """The speech track (a flag a frame) from ``first_frame`` on, with thresholds from all heard so far."""
        from coach.analysis import acoustics

        level = self._levels(audio, heard)
        if level.size <= first_frame:
            return np.zeros(0, dtype=bool)
        floor, reference = acoustics.floor_and_reference(level)
        if reference < acoustics.SILENT_REFERENCE_DBFS:
            return np.zeros(level.size - first_frame, dtype=bool)
        return acoustics.find_sounding(level[first_frame:], floor, reference, min_pause_s=PAUSE_S)

    def _find_cut(self, audio: np.ndarray, heard: int) -> tuple[int, bool] | None:
        """Where to end the chunk that starts at ``self._start`` (sample, forced?), or None to wait."""
        from coach.analysis.acoustics import runs

        start = self._start
        if heard - start < self.chunk_min_s * SAMPLE_RATE:
            return None
        base = max(0, start // _HOP - 100)  # a second of context before the chunk for the speech track
        speech = self._speech(audio, heard, base)
        first = int(np.ceil((start + self.chunk_min_s * SAMPLE_RATE) / _HOP)) - base
        last = int((start + self.chunk_max_s * SAMPLE_RATE) // _HOP) - base
        pauses = [(b - a, (a + b) // 2) for a, b in runs(~speech) if first <= (a + b) // 2 < last]
        if any(length >= round(LONG_PAUSE_S * SAMPLE_RATE / _HOP) for length, _ in pauses):
            middle = next(m for length, m in pauses if length >= round(LONG_PAUSE_S * SAMPLE_RATE / _HOP))
            return (base + middle) * _HOP, False
        if heard - start < self.chunk_max_s * SAMPLE_RATE:
            return None
        pauses = [(length, m) for length, m in pauses if length >= round(PAUSE_S * SAMPLE_RATE / _HOP)]
        if pauses:
            return (base + max(pauses)[1]) * _HOP, False
        # No pause: cut at the quietest 100 ms of the chunk's last 3 s.
        end = start + int(self.chunk_max_s * SAMPLE_RATE)
        lo = max(start // _HOP + 1, end // _HOP - 300)
        power = _frame_power(audio[lo * _HOP : end])
        smooth = np.convolve(power, np.ones(10) / 10, mode="same")
        return (lo + int(np.argmin(smooth))) * _HOP, True

    def _last_end(self, audio: np.ndarray, heard: int) -> int | None:
        """Where the last chunk ends if the take ends at ``heard``: the last speech after the chunk's start
        plus ``TAIL_MARGIN_S`` (at most ``heard``); None when that stretch holds no speech."""
        base = self._start // _HOP
        speech = np.flatnonzero(self._speech(audio, heard, base))
        if speech.size == 0:
            return None
        return min(heard, (base + int(speech[-1]) + 1) * _HOP + int(TAIL_MARGIN_S * SAMPLE_RATE))

    def _transcribe_ahead(self, audio: np.ndarray, heard: int) -> None:
        """Once the rep has been silent for ``TAIL_MARGIN_S``, transcribe the last chunk as it would be
        if they stopped now. :meth:`_transcribe_last` uses it when it is the chunk the take ended with."""
        from coach.analysis import acoustics, lean_decoder

        end = self._last_end(audio, heard)
        if end is None or end >= heard or (self._ahead and (self._ahead.start, self._ahead.end) == (self._start, end)):
            return
        # Given up as soon as the rep speaks again (a frame of the audio fed since as loud as speech must get
        # somewhere), so that a stop right after the next words does not wait for it.
        _, high = acoustics.thresholds(*acoustics.floor_and_reference(self._levels(audio, end)))
        seen = heard

        def spoken_again() -> bool:
            nonlocal seen
            fed = self._length
            if fed - seen < _STEP:
                return False
            with self._cond:
                fresh = self._joined()[seen:fed]
            seen = fed
            return bool(np.any(10.0 * np.log10(_frame_power(fresh) + 1e-12) >= high))

        began = time.perf_counter()
        try:
            with lean_decoder.cancellable(spoken_again):
                words = self._decode(audio, self._start, end, heard=end)
        except lean_decoder.Cancelled:
            return
        if words is not None:
            self._ahead = _Ahead(self._start, end, words, time.perf_counter() - began)

    def _transcribe_last(self, audio: np.ndarray) -> None:
        """The take has ended: transcribe its last chunk (or take it as transcribed ahead)."""
        if audio.size <= self._start:
            return
        end = self._last_end(audio, audio.size)
        if end is None:
            self.chunks.append(Chunk(self._start / SAMPLE_RATE, audio.size / SAMPLE_RATE, decoded=False))
            self._start = audio.size
            return
        ahead = self._ahead
        if ahead is not None and (ahead.start, ahead.end) == (self._start, end):
            self._words.extend(ahead.words)
            self.chunks.append(
                Chunk(ahead.start / SAMPLE_RATE, end / SAMPLE_RATE, decoded=True, seconds=ahead.seconds, ahead=True)
            )
            self._start = end
        else:
            self._transcribe(audio, self._start, end, forced=False, heard=end)
        if audio.size > end:
            self.chunks.append(Chunk(end / SAMPLE_RATE, audio.size / SAMPLE_RATE, decoded=False))
            self._start = audio.size

    def _decode(self, audio: np.ndarray, start: int, end: int, *, heard: int) -> list[Word] | None:
        """The words of ``audio[start:end]`` in file time, None when it holds no speech (speech track with
        the thresholds of the first ``heard`` samples)."""
        from coach.analysis.acoustics import runs
        from coach.analysis.transcribe import MODEL_LOCK, align_words, decode_text

        speech = self._speech(audio, heard, start // _HOP)[: max(1, (end - start) // _HOP)]
        if not speech.any():
            return None
        model = self._model()
        # The chunk's speech in chunk time: a window whose words stop before its speech does is followed on
        # (coach.analysis.windows, saving 5), as in file analysis.
        sounding = [(i * _HOP / SAMPLE_RATE, j * _HOP / SAMPLE_RATE) for i, j in runs(speech)]
        a = start / SAMPLE_RATE
        with MODEL_LOCK:
            decoded = decode_text(model, audio[start:end], prompt=self._chunk_prompt(), sounding=sounding)
            return [Word(w.text, w.start + a, w.end + a, w.probability) for w in align_words(model, decoded)]

    def _transcribe(self, audio: np.ndarray, start: int, end: int, *, forced: bool, heard: int) -> None:
        """Transcribe ``audio[start:end]``, keep its words, move the next chunk's start."""
        a, b = start / SAMPLE_RATE, end / SAMPLE_RATE
        began = time.perf_counter()
        words = self._decode(audio, start, end, heard=heard)
        if words is None:
            self.chunks.append(Chunk(a, b, decoded=False))
            self._start = end
            return
        next_start = end
        if forced and words:
            keep = [w for w in words if w.end <= b - SEAM_GUARD_S]
            if keep and len(keep) < len(words):
                left = words[len(keep)]
                next_start = self._quietest(audio, keep[-1].end, max(keep[-1].end, left.start))
                words = keep
        self._words.extend(words)
        self.chunks.append(Chunk(a, next_start / SAMPLE_RATE, decoded=True, seconds=time.perf_counter() - began))
        self._start = next_start

    def _chunk_prompt(self) -> str | None:
        """The take's prompt, then the last words written so far: the context a 30 s window would have heard."""
        return context_prompt(self.prompt, "".join(w.text for w in self._words))

    def _quietest(self, audio: np.ndarray, a: float, b: float) -> int:
        """The sample at the quietest 10 ms frame between ``a`` and ``b`` seconds (a little either side)."""
        lo = max(0, int((a - 0.05) * SAMPLE_RATE) // _HOP)
        hi = max(lo + 1, int((b + 0.05) * SAMPLE_RATE) // _HOP)
        power = _frame_power(audio[lo * _HOP : hi * _HOP])
        if power.size == 0:
            return int(b * SAMPLE_RATE)
        return (lo + int(np.argmin(power))) * _HOP


def _frame_power(x: np.ndarray) -> np.ndarray:
    """Mean square of each whole 10 ms frame of ``x``."""
    n = x.size // _HOP
    return np.mean(np.square(x[: n * _HOP].reshape(n, _HOP), dtype=np.float64), axis=1)
