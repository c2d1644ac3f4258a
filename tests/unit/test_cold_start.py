"""A new process's first take: the acoustics measured in a forked process, the collector paused while loading.

The forked measuring only happens in a process where librosa has not loaded
yet and no other thread runs, so these tests start new Python processes.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach import pipeline
from coach.analysis import acoustics
from factories.paths import ROOT, SAMPLES

CHILD = r"""
import json, multiprocessing, sys
import numpy as np
import soundfile as sf
from coach.analysis import acoustics
from coach.errors import CoachError

samples, rate = sf.read(sys.argv[1], dtype="float32")
waiting = acoustics.measure_forked(samples, rate, min_pause_s=0.3, name="take.wav")
out = {"forked": waiting is not None}
if sys.argv[2] == "kill":
    for child in multiprocessing.active_children():
        child.kill()
        child.join()
try:
    forked = waiting()
except CoachError as exc:
    out["error"] = [type(exc).__name__, str(exc)]
else:
    out["parent_stayed_cold"] = not acoustics.is_warm()
    here = acoustics.measure(samples, rate, min_pause_s=0.3, name="take.wav")
    out["same"] = forked == here
    out["speech_start_s"] = forked.speech_start_s
print(json.dumps(out))
"""


def _run_child(path: Path, mode: str = "plain") -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), mode],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_new_process_measures_in_a_fork_and_gets_what_it_would_have_measured():
    out = _run_child(SAMPLES / "good_voicemail.wav")
    assert out["forked"] is True
    assert out["parent_stayed_cold"] is True  # librosa's compiled code loaded in the child only
    assert out["same"] is True
    assert out["speech_start_s"] > 0


def test_the_forked_measuring_raises_the_users_error_in_the_parent(tmp_path):
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(3 * 16000, dtype=np.float32), 16000)
    out = _run_child(silent)
    assert out["forked"] is True
    assert out["error"][0] == "NoSpeechError"
    assert out["error"][1].startswith("take.wav is silent or almost silent")


def test_a_child_that_dies_is_replaced_by_measuring_in_the_parent():
    out = _run_child(SAMPLES / "good_voicemail.wav", "kill")
    assert out["forked"] is True
    assert out["same"] is True
    assert out["parent_stayed_cold"] is False  # it measured here after the child was killed


def test_no_fork_while_another_thread_runs_or_once_librosa_is_warm():
    acoustics.warm_up()
    assert acoustics.is_warm()
    samples = np.zeros(16000, dtype=np.float32)
    assert acoustics.measure_forked(samples) is None
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert threading.active_count() > 1
        assert acoustics.measure_forked(samples) is None
    finally:
        stop.set()
        other.join()


def test_the_collector_is_paused_while_loading_and_restored_after():
    assert gc.isenabled()
    with pipeline._collector_paused():
        assert not gc.isenabled()
        with pipeline._collector_paused():  # a second load in another thread
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first load is still going
    assert gc.isenabled()
    gc.disable()
    try:
        with pipeline._collector_paused():
            pass
        assert not gc.isenabled()  # off before: left off
    finally:
        gc.enable()


def test_a_failed_load_turns_the_collector_back_on(monkeypatch):
    def fail(name):
        raise RuntimeError("disk error")

    monkeypatch.setattr(pipeline, "load_model", fail)
    analyzer = pipeline.Analyzer("tiny.en")
    with pytest.raises(RuntimeError, match="disk error"):
        _ = analyzer.model
    assert gc.isenabled()
