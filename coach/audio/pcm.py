"""Samples in and out: the one resampler and the one WAV writer.

Everything the coach analyses is mono float32 at :data:`coach.audio.SAMPLE_RATE`;
recordings and decoded files reach that rate through :func:`resample`
(``librosa.resample`` with soxr's high quality), and takes are kept as 16-bit
PCM WAV written by :func:`write_wav`.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from coach.audio import SAMPLE_RATE
from coach.errors import RecordingError


def sanitise(samples: np.ndarray) -> np.ndarray:
    """In place: NaN -> 0, +-inf -> +-1, everything clipped to [-1, 1]. Returns ``samples``.

    Where audio enters (a decoded file, a microphone take), before anything measures it.
    """
    np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
    return np.clip(samples, -1.0, 1.0, out=samples)


def resample(samples: np.ndarray, from_rate: int, to_rate: int = SAMPLE_RATE) -> np.ndarray:
    """Resample mono float32 audio (soxr, high quality); a copy when the rates match.

    The length is soxr's (n * to / from, rounded), not padded to librosa's
    ceiling. Samples are sanitised first (:func:`sanitise`): librosa refuses
    non-finite ones.
    """
    samples = sanitise(np.array(samples, dtype=np.float32))
    if int(from_rate) == int(to_rate) or samples.size == 0:
        return samples
    from coach.audio.dsp import librosa  # here, not at the top: importing librosa takes a second or more

    return librosa.resample(samples, orig_sr=int(from_rate), target_sr=int(to_rate), res_type="soxr_hq", fix=False)


def as_written(samples: np.ndarray) -> np.ndarray:
    """``samples`` as a WAV of :func:`write_wav` holds them once read back: rounded to 16 bits (float32).

    For audio analysed before it is saved (a take transcribed while it is
    recorded), so it is sample for sample the audio of the saved file.
    """
    pcm = np.round(np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767.0)
    return (pcm / 32768.0).astype(np.float32)


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
