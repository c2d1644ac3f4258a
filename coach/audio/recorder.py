"""Recording a take from the microphone.

The core is pure and testable: :class:`Recorder` reads blocks from an input
stream it is handed (through a factory), measures them with a
:class:`~coach.audio.levels.LevelMeter` and decides when to stop (a stop event
set by Enter, the maximum length, a stretch of silence once speech has
started, or Ctrl-C). Elapsed time is counted in frames read, not wall-clock
time, so a take of ``max_seconds`` holds exactly that much audio however the
sound card delivers. ``on_audio`` hands each mono block on as it arrives
(``coach record`` transcribes the take while it is recorded,
:mod:`coach.analysis.streaming`).

The sound card itself is :mod:`coach.audio.devices`. A take is kept at the
device's rate, mixed down to mono, and resampled to 16 kHz
(:func:`coach.audio.pcm.resample`) for the analysis.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from coach.audio import SAMPLE_RATE
from coach.audio.devices import BLOCK_S
from coach.audio.levels import MIN_DBFS, SILENT_DBFS, LevelMeter, Levels
from coach.audio.pcm import resample
from coach.errors import RecordingError

DEFAULT_MAX_S = 60.0

STOP_ENTER = "enter"
STOP_MAX_LENGTH = "max_length"
STOP_SILENCE = "silence"
STOP_INTERRUPTED = "interrupted"
STOP_DEVICE_ERROR = "device_error"
STOP_STREAM_ENDED = "stream_ended"
#: How each stop reason reads in a sentence ("stopped: Enter pressed").
STOP_LABELS = {
    STOP_ENTER: "Enter pressed",
    STOP_MAX_LENGTH: "maximum length reached",
    STOP_SILENCE: "silence after speech",
    STOP_INTERRUPTED: "Ctrl-C",
    STOP_DEVICE_ERROR: "the device stopped",
    STOP_STREAM_ENDED: "the input ended",
}


# -- the recording loop ----------------------------------------------------


class InputStream(Protocol):
    """What :class:`Recorder` needs of a stream: ``sounddevice.InputStream.read``."""

    def read(self, frames: int) -> tuple[np.ndarray, bool]: ...


StreamFactory = Callable[[], AbstractContextManager]
BlockCallback = Callable[[float, Levels], None]
AudioCallback = Callable[[np.ndarray], None]


@dataclass
class Take:
    """What was recorded: mono float32 samples at the device's rate, and how it went."""

    samples: np.ndarray
    sample_rate: int
    stop_reason: str
    overflows: int = 0
    clipped_s: float = 0.0
    max_peak_dbfs: float = MIN_DBFS
    max_rms_dbfs: float = MIN_DBFS
    speech_started: bool = False
    error: str | None = None

    @property
    def duration_s(self) -> float:
        return len(self.samples) / float(self.sample_rate)

    @property
    def silent(self) -> bool:
        """Nothing in the whole take rose above the silent-input level."""
        return self.max_rms_dbfs < SILENT_DBFS

    def samples_16k(self) -> np.ndarray:
        return resample(self.samples, self.sample_rate, SAMPLE_RATE)


def downmix(block: np.ndarray) -> np.ndarray:
    """A (frames,) or (frames, channels) block as mono float32 (the channels' mean)."""
    block = np.asarray(block, dtype=np.float32)
    if block.ndim == 2:
        block = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1, dtype=np.float32)
    return np.ascontiguousarray(block, dtype=np.float32)


class Recorder:
    """Reads one take from a stream until a stop condition holds.

    ``open_stream`` returns a context manager yielding an object with
    ``read(frames) -> (block, overflowed)``; the stream runs while the context
    is open. ``stop_event`` is set by whoever watches for Enter. ``on_block``
    is called after each block with the elapsed seconds and the levels;
    ``on_audio`` before it, with the block itself (mono float32 at ``sample_rate``).
    """

    def __init__(
        self,
        open_stream: StreamFactory,
        *,
        sample_rate: int,
        max_seconds: float = DEFAULT_MAX_S,
        stop_on_silence_s: float | None = None,
        stop_event: threading.Event | None = None,
        on_block: BlockCallback | None = None,
        on_audio: AudioCallback | None = None,
        block_s: float = BLOCK_S,
    ) -> None:
        if max_seconds <= 0:
            raise RecordingError(f"The maximum length must be more than 0 seconds (got {max_seconds:g}).")
        if stop_on_silence_s is not None and stop_on_silence_s <= 0:
            raise RecordingError(f"--stop-on-silence must be more than 0 seconds (got {stop_on_silence_s:g}).")
        self.open_stream = open_stream
        self.sample_rate = int(sample_rate)
        self.max_frames = int(round(max_seconds * self.sample_rate))
        self.stop_on_silence_s = stop_on_silence_s
        self.stop_event = stop_event if stop_event is not None else threading.Event()
        self.on_block = on_block
        self.on_audio = on_audio
        self.block_frames = max(1, int(round(block_s * self.sample_rate)))
        self.meter = LevelMeter(self.sample_rate)

    def run(self) -> Take:
        blocks: list[np.ndarray] = []
        frames = 0
        overflows = 0
        reason = STOP_MAX_LENGTH
        error: str | None = None
        try:
            with self.open_stream() as stream:
                while True:
                    if self.stop_event.is_set():
                        reason = STOP_ENTER
                        break
                    if frames >= self.max_frames:
                        reason = STOP_MAX_LENGTH
                        break
                    want = min(self.block_frames, self.max_frames - frames)
                    try:
                        data, overflowed = stream.read(want)
                    except RecordingError as exc:
                        reason, error = STOP_DEVICE_ERROR, str(exc)
                        break
                    block = downmix(data)[: self.max_frames - frames]
                    if block.size == 0:
                        reason = STOP_STREAM_ENDED
                        break
                    blocks.append(block)
                    frames += block.size
                    overflows += int(bool(overflowed))
                    if self.on_audio is not None:
                        self.on_audio(block)
                    levels = self.meter.update(block)
                    if self.on_block is not None:
                        self.on_block(frames / self.sample_rate, levels)
                    if (
                        self.stop_on_silence_s is not None
                        and levels.speech_started
                        and levels.quiet_s >= self.stop_on_silence_s
                    ):
                        reason = STOP_SILENCE
                        break
        except KeyboardInterrupt:
            reason = STOP_INTERRUPTED
        samples = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
        return Take(
            samples=samples,
            sample_rate=self.sample_rate,
            stop_reason=reason,
            overflows=overflows,
            clipped_s=self.meter.clipped_s,
            max_peak_dbfs=self.meter.max_peak_dbfs,
            max_rms_dbfs=self.meter.max_rms_dbfs,
            speech_started=self.meter.speech_started,
            error=error,
        )
