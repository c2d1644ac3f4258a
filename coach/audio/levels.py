"""Input levels while recording: RMS and peak per block, silence, clipping, speech onset.

:class:`LevelMeter` follows one take block by block; the terminal meter
(:mod:`coach.cli.meter`) draws its :class:`Levels` and stop-on-silence reads
them. Durations are counted in frames, so they are exact however the blocks fall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MIN_DBFS = -120.0
#: Input under this RMS level counts as silent for the "is the mic on?" warning.
SILENT_DBFS = -55.0
#: A sample at or above this magnitude is taken as clipped.
CLIP_LEVEL = 0.99
CLIP_HOLD_S = 1.5
#: Speech and silence thresholds for stop-on-silence. Each is the larger of a
#: fixed level and a margin over the tracked noise floor, so a noisy room does
#: not count as speech nor a quiet one's hiss as sound.
SPEECH_DBFS = -40.0
SPEECH_OVER_FLOOR_DB = 12.0
SPEECH_MIN_S = 0.25
SILENCE_DBFS = -50.0
SILENCE_OVER_FLOOR_DB = 6.0
#: How fast the noise-floor estimate may rise (it falls at once).
FLOOR_RISE_DB_PER_S = 0.5


def to_dbfs(amplitude: float) -> float:
    """Amplitude (1.0 = full scale) in dBFS, floored at :data:`MIN_DBFS` instead of -inf."""
    if amplitude <= 0.0 or not math.isfinite(amplitude):
        return MIN_DBFS
    return max(MIN_DBFS, 20.0 * math.log10(amplitude))


def block_levels(block: np.ndarray) -> tuple[float, float]:
    """RMS and peak level of a mono block, in dBFS."""
    if block.size == 0:
        return MIN_DBFS, MIN_DBFS
    x = block.astype(np.float64, copy=False)
    rms = math.sqrt(float(np.mean(x * x)))
    peak = float(np.max(np.abs(x)))
    return to_dbfs(rms), to_dbfs(peak)


@dataclass(frozen=True)
class Levels:
    """The meter after one block: what the terminal shows and what stop-on-silence uses."""

    rms_dbfs: float
    peak_dbfs: float
    #: How long the input has stayed under :data:`SILENT_DBFS` (0 while there is sound).
    silent_s: float
    #: A block clipped within the last :data:`CLIP_HOLD_S` seconds.
    clipping: bool
    #: Speech has been heard (at least :data:`SPEECH_MIN_S` above the speech threshold).
    speech_started: bool
    #: How long the input has stayed under the silence threshold (0 while there is sound).
    quiet_s: float
    noise_floor_dbfs: float


class LevelMeter:
    """Running level measurements over the blocks of one take.

    Durations are counted in frames, so "3 s of silence" is exact however the
    blocks fall, and turned into seconds only when reported.
    """

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = int(sample_rate)
        self._silent = 0
        self._quiet = 0
        self._speech = 0
        self._since_clip: int | None = None
        self._clipped = 0
        self.noise_floor: float | None = None
        self.max_peak_dbfs = MIN_DBFS
        self.max_rms_dbfs = MIN_DBFS

    def _s(self, frames: int) -> float:
        return frames / self.sample_rate

    @property
    def speech_started(self) -> bool:
        return self._s(self._speech) >= SPEECH_MIN_S

    @property
    def clipped_s(self) -> float:
        return self._s(self._clipped)

    def update(self, block: np.ndarray) -> Levels:
        """Measure one mono block (float, full scale 1.0) and return the levels after it."""
        frames = int(block.size)
        rms, peak = block_levels(block)
        self.max_peak_dbfs = max(self.max_peak_dbfs, peak)
        self.max_rms_dbfs = max(self.max_rms_dbfs, rms)

        if self.noise_floor is None or rms < self.noise_floor:
            self.noise_floor = rms
        else:
            self.noise_floor = min(rms, self.noise_floor + FLOOR_RISE_DB_PER_S * self._s(frames))
        speech_threshold = max(SPEECH_DBFS, self.noise_floor + SPEECH_OVER_FLOOR_DB)
        silence_threshold = max(SILENCE_DBFS, self.noise_floor + SILENCE_OVER_FLOOR_DB)

        self._silent = self._silent + frames if rms < SILENT_DBFS else 0
        self._quiet = self._quiet + frames if rms < silence_threshold else 0
        if rms >= speech_threshold:
            self._speech += frames
        if frames and peak >= to_dbfs(CLIP_LEVEL):
            self._since_clip = 0
            self._clipped += frames
        elif self._since_clip is not None:
            self._since_clip += frames
        return Levels(
            rms_dbfs=rms,
            peak_dbfs=peak,
            silent_s=self._s(self._silent),
            clipping=self._since_clip is not None and self._s(self._since_clip) < CLIP_HOLD_S,
            speech_started=self.speech_started,
            quiet_s=self._s(self._quiet),
            noise_floor_dbfs=self.noise_floor,
        )
