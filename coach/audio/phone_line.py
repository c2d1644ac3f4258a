"""Hear it as they will: the message as a phone line delivers it.

A voicemail reaches the prospect through the telephone network: the voice
band of 300-3400 Hz, sampled at 8 kHz, each sample companded to 8 bits with
G.711 mu-law. This module renders a recording that way (numpy only):

1. band-limit to 300-3400 Hz and resample to 8 kHz in one step in the
   frequency domain, with raised-cosine edges so the cut does not ring;
2. mu-law encode to 8-bit codes and decode back (the quantisation noise is
   the phone line's hiss, larger on loud samples and small on quiet ones);
3. return a 16-bit PCM WAV at 8 kHz, which every browser plays.
"""

from __future__ import annotations

import io

import numpy as np
import soundfile as sf

PHONE_RATE = 8000
BAND_LOW_HZ = 300.0
BAND_HIGH_HZ = 3400.0
MU = 255.0
#: Width of the raised-cosine edges of the pass band.
_EDGE_LOW_HZ = 100.0
_EDGE_HIGH_HZ = 300.0


def band_limit_resample(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """``samples`` restricted to the telephone band and resampled to 8 kHz."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("expected mono samples (a 1-D array)")
    n = len(x)
    m = int(round(n * PHONE_RATE / sample_rate))
    if n == 0 or m == 0:
        return np.zeros(0, dtype=np.float32)
    spectrum = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
    spectrum *= _band_gain(freqs)
    bins = m // 2 + 1
    if len(spectrum) >= bins:
        spectrum = spectrum[:bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(bins - len(spectrum), dtype=complex)])
    return (np.fft.irfft(spectrum, m) * (m / n)).astype(np.float32)


def _band_gain(freqs: np.ndarray) -> np.ndarray:
    """1 inside 300-3400 Hz, 0 outside, with raised-cosine edges just outside the band."""
    gain = np.zeros_like(freqs)
    inside = (freqs >= BAND_LOW_HZ) & (freqs <= BAND_HIGH_HZ)
    gain[inside] = 1.0
    low_edge = (freqs >= BAND_LOW_HZ - _EDGE_LOW_HZ) & (freqs < BAND_LOW_HZ)
    gain[low_edge] = 0.5 - 0.5 * np.cos(np.pi * (freqs[low_edge] - (BAND_LOW_HZ - _EDGE_LOW_HZ)) / _EDGE_LOW_HZ)
    high_edge = (freqs > BAND_HIGH_HZ) & (freqs <= BAND_HIGH_HZ + _EDGE_HIGH_HZ)
    gain[high_edge] = 0.5 + 0.5 * np.cos(np.pi * (freqs[high_edge] - BAND_HIGH_HZ) / _EDGE_HIGH_HZ)
    return gain


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] to 8-bit mu-law codes (0-255)."""
    x = np.clip(np.asarray(samples, dtype=np.float64), -1.0, 1.0)
    companded = np.sign(x) * np.log1p(MU * np.abs(x)) / np.log1p(MU)
    return np.round((companded + 1.0) * 127.5).astype(np.uint8)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    """8-bit mu-law codes back to float samples in [-1, 1]."""
    y = np.asarray(codes, dtype=np.float64) / 127.5 - 1.0
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(MU)) / MU).astype(np.float32)


def phone_line(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """The recording as the prospect hears it: 8 kHz float samples after mu-law."""
    narrow = band_limit_resample(samples, sample_rate)
    return mulaw_decode(mulaw_encode(narrow))


def phone_line_wav(samples: np.ndarray, sample_rate: int) -> bytes:
    """:func:`phone_line` as the bytes of an 8 kHz 16-bit PCM WAV file."""
    buf = io.BytesIO()
    sf.write(buf, phone_line(samples, sample_rate), PHONE_RATE, format="WAV", subtype="PCM_16")
    return buf.getvalue()
