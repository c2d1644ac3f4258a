"""``coach record`` end to end through real PortAudio, ALSA and PulseAudio.

A PulseAudio null sink is the microphone: ``paplay`` plays a sample voicemail
into it and its monitor is what the ALSA "pulse" device records, so the
command under test runs exactly as on a desk, sound card included. Set it up
with ``scripts/pulse_null_sink.sh`` (CI: ``.ci/run`` does); where PulseAudio
or the sink is missing these tests skip and say what to run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from factories.paths import ROOT

SAMPLE = ROOT / "sample_audio" / "good_voicemail.wav"
SINK = os.environ.get("COACH_NULL_SINK", "coach_null")
SETUP = (
    "run scripts/pulse_null_sink.sh (needs apt packages pulseaudio pulseaudio-utils libasound2-plugins libportaudio2)"
)


def _pulse_problem() -> str | None:
    """Why the null-sink microphone cannot be used here, or None when it can."""
    for tool in ("pactl", "paplay"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed; {SETUP}"
    info = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=20)
    if info.returncode != 0:
        said = " ".join((info.stderr or info.stdout).split())
        return f"PulseAudio is not running ({said}); {SETUP}"
    sinks = subprocess.run(["pactl", "list", "short", "sinks"], capture_output=True, text=True, timeout=20)
    if SINK not in [line.split("\t")[1] for line in sinks.stdout.splitlines() if "\t" in line]:
        return f"PulseAudio has no null sink {SINK!r}; {SETUP}"
    from coach.audio.devices import SoundCard
    from coach.errors import RecordingError

    try:
        names = [d.name for d in SoundCard().input_devices()]
    except RecordingError as exc:
        return f"PortAudio is not usable: {exc}"
    if "pulse" not in names:
        return f"PortAudio sees no ALSA 'pulse' input (it sees {names}); install libasound2-plugins and {SETUP}"
    return None


@pytest.fixture(scope="module")
def pulse_mic():
    problem = _pulse_problem()
    if problem:
        pytest.skip(f"no PulseAudio null-sink microphone: {problem}")
    return SINK


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["COACH_DATA_DIR"] = str(tmp_path / "data")
    # The ALSA pulse device records the default source; pin it to the sink's
    # monitor for this process even if someone changed the default.
    env["PULSE_SOURCE"] = f"{SINK}.monitor"
    return env


def record(tmp_path: Path, args: list[str], play: Path | None = None, timeout: float = 300) -> tuple[int, str, str]:
    """Run ``coach record --device pulse --countdown 0 ARGS``; play ``play`` into the sink once it records.

    Playback starts only after the first level line: PulseAudio may take a
    second or two to deliver the monitor's first block, and what plays before
    that would not reach the take. Returns (exit status, stdout, stderr).
    """
    cmd = [sys.executable, "-m", "coach", "record", "--device", "pulse", "--countdown", "0", *args]
    stdout_path = tmp_path / "stdout.txt"
    err_lines: list[str] = []
    recording = threading.Event()

    def read_stderr(stream) -> None:
        for line in stream:
            err_lines.append(line)
            if line.startswith("REC "):
                recording.set()
        recording.set()  # the command ended (perhaps failed) without recording

    with open(stdout_path, "w") as stdout:
        proc = subprocess.Popen(
            cmd,
            cwd=tmp_path,
            env=_env(tmp_path),
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
        )
        reader = threading.Thread(target=read_stderr, args=(proc.stderr,), daemon=True)
        reader.start()
        try:
            recording.wait(timeout=120)
            if play is not None and proc.poll() is None:
                time.sleep(0.3)
                subprocess.run(["paplay", f"--device={SINK}", str(play)], check=True, timeout=120)
            proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.join(timeout=30)
    return proc.returncode, stdout_path.read_text(), "".join(err_lines)


def read_wav(path: Path) -> tuple[np.ndarray, int, int, int]:
    with wave.open(str(path)) as wav:
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.float32) / 32768
        return samples, wav.getframerate(), wav.getnchannels(), wav.getsampwidth()


def rms_dbfs(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x.astype(np.float64) ** 2)) + 1e-12))


def best_alignment(recorded: np.ndarray, original: np.ndarray) -> tuple[int, float]:
    """Where ``original`` sits in ``recorded`` (cross-correlation) and how alike they are there (0..1)."""
    n = len(recorded) + len(original)
    size = 1 << (n - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(original, size)), size)
    lag = int(np.argmax(corr[: len(recorded)]))
    segment = recorded[lag : lag + len(original)]
    original = original[: len(segment)]
    similarity = float(np.dot(segment, original) / np.sqrt(np.dot(segment, segment) * np.dot(original, original)))
    return lag, similarity


@pytest.fixture(scope="module")
def sample() -> tuple[Path, str, np.ndarray]:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} not generated yet (python scripts/make_samples.py)")
    samples, rate, channels, _ = read_wav(SAMPLE)
    assert (rate, channels) == (16000, 1)
    return SAMPLE, SAMPLE.with_suffix(".txt").read_text(encoding="utf-8"), samples


def test_devices_lists_the_pulse_input(pulse_mic):
    result = subprocess.run([sys.executable, "-m", "coach", "devices"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\*?\s+\d+\s+pulse\s+\d+\s+\d+ Hz", result.stdout, re.MULTILINE), result.stdout
    assert "* = default input" in result.stdout


def test_record_captures_the_sample_and_the_transcript_matches_its_script(pulse_mic, sample, tmp_path):
    from coach.history.store import History
    from factories.accuracy import word_error_rate

    path, script, original = sample
    seconds = round(len(original) / 16000 + 3)
    out = tmp_path / "tmp.wav"
    code, stdout, stderr = record(
        tmp_path,
        [
            "--seconds",
            str(seconds),
            "--out",
            str(out),
            "--model",
            "tiny.en",
            "--prospect",
            "Dana",
            "--script",
            str(path.with_suffix(".txt")),
        ],
        play=path,
    )
    assert code == 0, stderr
    assert "Microphone: " in stderr and "pulse" in stderr
    assert "(stopped: maximum length reached)" in stderr
    assert "dropped audio" not in stderr

    recorded, rate, channels, width = read_wav(out)
    assert (rate, channels, width) == (16000, 1, 2)
    assert len(recorded) == seconds * 16000
    lag, similarity = best_alignment(recorded, original)
    # The whole sample is in the take, in order and undistorted, at its own level.
    assert lag + len(original) <= len(recorded)
    assert similarity > 0.9
    segment = recorded[lag : lag + len(original)]
    assert abs(rms_dbfs(segment) - rms_dbfs(original)) < 2.0
    if lag > 1600:
        assert rms_dbfs(recorded[:lag]) < -60  # nothing but the sink's silence before it

    assert "Transcript" in stdout
    (summary,) = History(tmp_path / "data").list_takes()
    take = History(tmp_path / "data").get_take(summary.id)
    assert take.source == "record" and take.prospect == "Dana"
    assert take.context["device"] == "pulse"
    wer = word_error_rate(script, take.report.transcript)
    assert wer < 0.15, f"WER {wer:.2f}: {take.report.transcript!r}"


def test_stop_on_silence_ends_the_take_after_the_sample(pulse_mic, sample, tmp_path):
    path, _, original = sample
    out = tmp_path / "tmp.wav"
    code, _, stderr = record(
        tmp_path, ["--seconds", "120", "--stop-on-silence", "2", "--no-analyze", "--out", str(out)], play=path
    )
    assert code == 0, stderr
    assert "(stopped: silence after speech)" in stderr
    recorded, *_ = read_wav(out)
    lag, similarity = best_alignment(recorded, original)
    assert similarity > 0.9
    # It ran to the sample's end and stopped 2 s of silence later, not at the 120 s limit.
    assert lag + len(original) <= len(recorded) <= lag + len(original) + 3 * 16000


def test_silent_input_is_flagged(pulse_mic, tmp_path):
    out = tmp_path / "tmp.wav"
    code, _, stderr = record(tmp_path, ["--seconds", "4.5", "--no-analyze", "--out", str(out)])
    assert code == 0, stderr
    assert "NO SOUND" in stderr
    assert "Warning: the take is silent" in stderr
    recorded, *_ = read_wav(out)
    assert len(recorded) == int(4.5 * 16000)
