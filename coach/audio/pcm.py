"""Samples in and out: the one resampler and the one WAV writer.

Everything the coach analyses is mono float32 at :data:`coach.audio.SAMPLE_RATE`;
recordings and decoded files reach that rate through :func:`resample` (soxr,
high quality), and takes are kept as 16-bit PCM WAV written by :func:`write_wav`.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np
import soxr

from coach.audio import SAMPLE_RATE
from coach.errors import RecordingError


def resample(samples: np.ndarray, from_rate: int, to_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Resample mono float32 audio with soxr (high quality); a copy when the rates match."""
    samples = np.asarray(samples, dtype=np.float32)
    if int(from_rate) == int(to_rate) or samples.size == 0:
        return samples.copy()
    return soxr.resample(samples, int(from_rate), int(to_rate), quality="HQ").astype(np.float32, copy=False)


def write_wav(path: str | os.PathLike, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write mono float samples as a 16-bit PCM WAV.

    The file appears complete or not at all: it is written next to its final
    name and renamed into place, so an interrupted save leaves no half file.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordingError(
            f"Cannot create the folder {path.parent} for the recording: {exc.strerror or exc}."
        ) from exc
    pcm = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    pcm = np.round(pcm * 32767.0).astype("<i2")
    tmp = path.with_name(f".{path.name}.part")
    try:
        with wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(int(sample_rate))
            wav.writeframes(pcm.tobytes())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RecordingError(f"Cannot write the recording to {path}: {exc.strerror or exc}.") from exc
    return path
