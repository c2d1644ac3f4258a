"""coach.audio.dsp: librosa imported with numba's cache in a per-user folder; the resampler built on it."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from coach.audio import pcm
from coach.audio.dsp import numba_cache_dir
from factories.paths import ROOT

_PROBE = """
import numba.core.config as config  # numba first, as when Whisper is loaded before the acoustics
from coach.audio.dsp import librosa
print(config.CACHE_DIR)
print(librosa.__name__)
"""


def _probe(env: dict[str, str]) -> list[str]:
    env = {**env, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_the_cache_goes_to_the_users_cache_folder_even_when_numba_was_loaded_first(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["HOME"] = str(tmp_path)
    expected = tmp_path / ".cache" / "voicemail-coach" / "numba"
    assert _probe(env) == [str(expected), "librosa"]
    assert expected.is_dir()


def test_a_cache_folder_set_by_the_user_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "mine"))
    assert numba_cache_dir() == tmp_path / "mine"
    assert _probe({**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "mine")})[0] == str(tmp_path / "mine")


def test_resample_length_and_level():
    rate = 44100
    t = np.arange(2 * rate) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    out = pcm.resample(tone, rate, 16000)
    assert out.dtype == np.float32
    assert abs(len(out) - len(tone) * 16000 / rate) < 1
    assert abs(np.sqrt(np.mean(out[1000:-1000] ** 2)) - 0.5 / np.sqrt(2)) < 1e-3


def test_resample_sanitises_non_finite_samples_first():
    x = np.full(8000, 0.1, np.float32)
    x[100], x[200], x[300] = np.nan, np.inf, -np.inf
    out = pcm.resample(x, 8000, 16000)
    assert np.isfinite(out).all()
    assert len(out) == 16000
