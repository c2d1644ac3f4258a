"""The alignment's time warping in numpy (coach.analysis.dtw) takes numba's paths, and a new process uses it.

The reference is whisper's own ``whisper.timing.dtw_cpu``, compiled by numba.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import whisper.timing

from coach.analysis import dtw, windows
from coach.analysis.models import load_model
from coach.analysis.transcribe import FILLER_PROMPT, align_words
from coach.audio.decode import load_audio
from factories.paths import ROOT, SAMPLES


def _matrices(seed: int, count: int):
    rng = np.random.default_rng(seed)
    for k in range(count):
        shape = (int(rng.integers(1, 40)), int(rng.integers(1, 200)))
        if k % 3 == 0:
            yield rng.standard_normal(shape)
        elif k % 3 == 1:  # small integers: ties everywhere
            yield rng.integers(-2, 2, shape).astype(np.float64)
        else:  # one decimal: ties here and there
            yield np.round(rng.standard_normal(shape), 1)


def test_the_numpy_time_warping_takes_numbas_paths_ties_included():
    windows.warm_whisper_dtw()
    cases = list(_matrices(0, 300)) + [np.zeros((1, 1)), np.ones((1, 7)), np.ones((7, 1)), -np.ones((5, 5))]
    differ = [x.shape for x in cases if not np.array_equal(dtw.dtw(x.copy()), whisper.timing.dtw_cpu(x.copy()))]
    assert differ == []


def test_the_numpy_time_warping_takes_numbas_paths_on_whispers_own_matrices(monkeypatch):
    model = load_model("tiny.en")
    windows.warm_whisper_dtw()
    seen: list[np.ndarray] = []
    stock = whisper.timing.dtw

    def recording(x):
        seen.append(x.double().cpu().numpy().copy())
        return stock(x)

    monkeypatch.setattr(whisper.timing, "dtw", recording)
    for clip in sorted(SAMPLES.glob("*.wav")):
        align_words(model, windows.decode(model, load_audio(clip).samples, prompt=FILLER_PROMPT))
    assert len(seen) >= 7
    for x in seen:
        assert np.array_equal(dtw.dtw(x), whisper.timing.dtw_cpu(x)), x.shape


def test_whispers_function_is_back_after_the_block_and_numbas_is_kept_once_loaded(monkeypatch):
    original = whisper.timing.dtw_cpu
    monkeypatch.setattr(dtw, "numba_loaded", lambda: False)
    with dtw.whisper_timing():
        with dtw.whisper_timing():
            assert whisper.timing.dtw_cpu is dtw.dtw
        assert whisper.timing.dtw_cpu is dtw.dtw
    assert whisper.timing.dtw_cpu is original
    with pytest.raises(RuntimeError), dtw.whisper_timing():
        raise RuntimeError("an alignment that fails")
    assert whisper.timing.dtw_cpu is original
    monkeypatch.setattr(dtw, "numba_loaded", lambda: True)
    with dtw.whisper_timing():
        assert whisper.timing.dtw_cpu is original


CHILD = r"""
import json, sys
from coach.analysis import dtw, windows
from coach.analysis.models import load_model
from coach.analysis.transcribe import FILLER_PROMPT, align_words
from coach.audio.decode import load_audio

model = load_model("tiny.en")
windows.prepare(model)
words = align_words(model, windows.decode(model, load_audio(sys.argv[1]).samples, prompt=FILLER_PROMPT))
print(json.dumps({"numba_loaded": dtw.numba_loaded(), "words": [[w.text, w.start, w.end] for w in words]}))
"""


def test_a_new_process_aligns_without_setting_numba_up_and_writes_the_same_words():
    clip = SAMPLES / "good_voicemail.wav"
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(clip)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    child = json.loads(done.stdout.strip().splitlines()[-1])
    assert child["numba_loaded"] is False
    model = load_model("tiny.en")
    windows.warm_whisper_dtw()
    assert dtw.numba_loaded()
    here = align_words(model, windows.decode(model, load_audio(clip).samples, prompt=FILLER_PROMPT))
    assert child["words"] == [[w.text, w.start, w.end] for w in here]
    assert len(here) > 20
