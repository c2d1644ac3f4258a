"""``coach record`` end to end with Whisper: a sample voicemail 'spoken' into a fake 48 kHz stereo mic."""

from __future__ import annotations

import numpy as np
import pytest

from coach.audio import devices as dev
from coach.audio import pcm as audio_pcm
from factories.fake_card import MIC, FakeCard, parse
from factories.paths import ROOT


def test_recorded_sample_is_analysed_and_kept_in_the_history(tmp_path, monkeypatch, capsys):
    """The whole command: a sample voicemail 'spoken' into a 48 kHz stereo mic, through Whisper, into SQLite."""
    sample = ROOT / "sample_audio" / "good_voicemail.wav"
    if not sample.exists():
        pytest.skip(f"{sample} not generated yet (python scripts/make_samples.py)")
    from coach.audio.decode import load_audio
    from coach.history.store import History
    from factories.accuracy import word_error_rate

    voice = audio_pcm.resample(load_audio(sample).samples, 16000, 48000)
    signal = np.concatenate([np.zeros(48000 // 2, np.float32), voice, np.zeros(48000 * 3, np.float32)])
    monkeypatch.setattr(dev, "SoundCard", lambda: FakeCard(signal))
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    script = sample.with_suffix(".txt")
    out = tmp_path / "take.wav"
    args = parse(
        [
            "record",
            "--countdown",
            "0",
            "--stop-on-silence",
            "2",
            "--out",
            str(out),
            "--model",
            "tiny.en",
            "--prospect",
            "Dana",
            "--script",
            str(script),
        ]
    )
    assert args.func(args) == 0
    captured = capsys.readouterr()
    assert "(stopped: silence after speech)" in captured.err
    assert "Transcript" in captured.out

    history = History(tmp_path / "data")
    (summary,) = history.list_takes()
    take = history.get_take(summary.id)
    assert take.source == "record" and take.prospect == "Dana"
    assert take.context["device"] == MIC.name and take.context["device_rate_hz"] == 48000
    assert take.report.script == script.read_text()
    assert word_error_rate(script.read_text(), take.report.transcript) < 0.15
