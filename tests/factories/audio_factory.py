"""Make test recordings: signals with known answers, written in real formats.

Signals are plain numpy arrays; ``write`` encodes them with the same
libraries users' tools use (libsndfile for WAV/FLAC/Ogg/MP3, FFmpeg's
encoders through PyAV for M4A/AAC and WebM/Ogg Opus), so the decoder is
tested on genuine files.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import soundfile as sf

# extension -> (soundfile format, subtype) for the files libsndfile writes.
_SOUNDFILE = {
    ".wav": ("WAV", "PCM_16"),
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
}
# extension -> (PyAV container format, codec, sample rate the codec needs or None).
_PYAV = {
    ".m4a": ("ipod", "aac", None),
    ".webm": ("webm", "libopus", 48000),
    ".opus": ("ogg", "libopus", 48000),
}


def write(path: Path, samples: np.ndarray, rate: int, *, subtype: str | None = None) -> Path:
    """Write ``samples`` (frames, or frames x channels, float in [-1, 1]) to ``path``.

    The format follows the extension. Opus only runs at 48 kHz, so the signal
    is resampled to 48 kHz before encoding WebM/Opus (as any recorder does).
    """
    path = Path(path)
    ext = path.suffix.lower()
    data = np.asarray(samples, dtype=np.float32)
    if ext in _SOUNDFILE:
        fmt, default_subtype = _SOUNDFILE[ext]
        sf.write(str(path), data, rate, format=fmt, subtype=subtype or default_subtype)
        return path
    if ext in _PYAV:
        fmt, codec, codec_rate = _PYAV[ext]
        if codec_rate and codec_rate != rate:
            import soxr

            data = soxr.resample(data, rate, codec_rate, quality="HQ").astype(np.float32)
            rate = codec_rate
        _write_pyav(path, data, rate, fmt, codec)
        return path
    raise ValueError(f"no writer for {ext}")


def _write_pyav(path: Path, data: np.ndarray, rate: int, fmt: str, codec: str) -> None:
    channels = 1 if data.ndim == 1 else data.shape[1]
    planar = data.reshape(len(data), channels).T.copy()
    layout = "mono" if channels == 1 else "stereo"
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = layout
        stream.time_base = Fraction(1, rate)
        frame_size = stream.codec_context.frame_size or 1024
        pts = 0
        for start in range(0, planar.shape[1], frame_size):
            block = np.ascontiguousarray(planar[:, start : start + frame_size])
            frame = av.AudioFrame.from_ndarray(block, format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = pts
            pts += block.shape[1]
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def tone(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(int(round(seconds * rate))) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def vowel(
    f0: float,
    seconds: float,
    rate: int = 16000,
    *,
    level_rms: float = 0.1,
    f0_end: float | None = None,
    fade_s: float = 0.01,
    seed: int = 0,
) -> np.ndarray:
    """A synthetic vowel: a glottal-like harmonic source through two formant resonances.

    The fundamental moves geometrically from ``f0`` to ``f0_end`` (a glide of
    known semitone range) and a 4 Hz syllable-rate amplitude modulation plus
    faint aspiration noise make it speech-like; it is scaled to ``level_rms``
    and faded in/out over ``fade_s``.
    """
    from scipy.signal import lfilter

    n = int(round(seconds * rate))
    t = np.arange(n) / rate
    f_end = f0 if f0_end is None else f0_end
    freq = f0 * (f_end / f0) ** (t / max(seconds, 1e-9))
    phase = 2 * np.pi * np.cumsum(freq) / rate
    source = np.zeros(n)
    for k in range(1, 40):
        harmonic = k * freq
        source += np.where(harmonic < rate / 2 - 200, np.sin(k * phase) / k, 0.0)
    rng = np.random.default_rng(seed)
    source += 0.02 * rng.standard_normal(n)
    out = source
    for formant, bandwidth in ((700.0, 110.0), (1200.0, 120.0)):
        r = np.exp(-np.pi * bandwidth / rate)
        theta = 2 * np.pi * formant / rate
        out = lfilter([1 - r], [1, -2 * r * np.cos(theta), r * r], out)
    out *= 1.0 - 0.3 * np.cos(2 * np.pi * 4.0 * t)
    out *= level_rms / rms(out)
    return (out * _fade(n, rate, fade_s)).astype(np.float32)


def _fade(n: int, rate: int, fade_s: float) -> np.ndarray:
    envelope = np.ones(n)
    k = min(int(fade_s * rate), n // 2)
    if k:
        ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(k) / k)
        envelope[:k] = ramp
        envelope[n - k :] = ramp[::-1]
    return envelope


def utterance(
    parts: Iterable[tuple[str, float]], rate: int = 16000, *, f0: float = 120.0, level_rms: float = 0.1
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Concatenate ("speech"|"silence", seconds) parts; returns the signal and the speech spans.

    Successive speech parts alternate in pitch a little (f0, 1.1 f0, 0.95 f0...)
    like syllables do.
    """
    chunks, spans, t, k = [], [], 0.0, 0
    wobble = (1.0, 1.1, 0.95, 1.05, 0.9)
    for kind, seconds in parts:
        if kind == "speech":
            chunks.append(vowel(f0 * wobble[k % len(wobble)], seconds, rate, level_rms=level_rms, seed=k))
            spans.append((t, t + seconds))
            k += 1
        else:
            chunks.append(np.zeros(int(round(seconds * rate)), dtype=np.float32))
        t += seconds
    return np.concatenate(chunks), spans
