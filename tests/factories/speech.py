"""Speech made at test time with espeak-ng (deterministic for a given espeak-ng version)."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pytest
import soundfile as sf

from coach.audio import SAMPLE_RATE


def espeak(text: str, voice: str = "en-us", words_per_minute: int = 170) -> np.ndarray:
    """``text`` said by espeak-ng, 16 kHz mono float32; skips the test when espeak-ng is missing."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; scripts/setup.sh dev does it)")
    out = subprocess.run(
        [exe, "-v", voice, "-s", str(words_per_minute), "--stdout", text], capture_output=True, check=True
    )
    x, rate = sf.read(io.BytesIO(out.stdout), dtype="float32")
    import soxr

    return soxr.resample(x, rate, SAMPLE_RATE).astype(np.float32)


def with_silence(x: np.ndarray, seconds: float, *, noise_dbfs: float | None = None, seed: int = 0) -> np.ndarray:
    """``x`` followed by ``seconds`` of silence, the whole under a faint noise floor if ``noise_dbfs`` is given."""
    y = np.concatenate([x.astype(np.float32), np.zeros(int(seconds * SAMPLE_RATE), np.float32)])
    if noise_dbfs is not None:
        rng = np.random.default_rng(seed)
        y = y + (rng.standard_normal(len(y)) * 10 ** (noise_dbfs / 20)).astype(np.float32)
    return y
