"""The SQLite take history: save, list, load, delete, and survive a kill mid-save."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.errors import CoachError, DamagedHistoryError, HistoryError
from coach.history.store import DB_NAME, History, resolve_data_dir
from coach.report import Finding, Metrics, Pause, Report, Score, ScoreItem, Strength, Word


def make_report(score: int = 72, duration: float = 18.5, file: str = "take.wav") -> Report:
    metrics = Metrics(
        speech_start_s=0.4,
        speech_end_s=duration - 0.5,
        leading_silence_s=0.4,
        trailing_silence_s=0.5,
        pauses=[Pause(3.0, 3.6)],
        longest_pause_s=0.6,
        wpm=150.0,
        word_count=40,
        filler_count=1,
        fillers=[],
        loudness_dbfs=-20.0,
        clipping_ratio=0.0,
        snr_db=30.0,
        pitch_median_hz=140.0,
        pitch_variation_st=3.0,
        phone_numbers=[],
        introduction=None,
    )
    return Report(
        file=file,
        duration_s=duration,
        transcript="Hi Dana, this is Sam.",
        words=[Word("Hi", 0.4, 0.6, 0.9)],
        metrics=metrics,
        findings=[Finding("too_long", "Message too long", "warning", "It runs long.", "Cut it.", start_s=20.0)],
        strengths=[Strength("Clear intro", "You said who you are.")],
        score=Score(score, [ScoreItem("too_long", "Message too long", "warning", float(100 - score))]),
    )


@pytest.fixture()
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "in.wav"
    t = np.arange(16000 * 2) / 16000
    sf.write(path, 0.3 * np.sin(2 * np.pi * 220 * t), 16000)
    return path


def test_save_list_get_delete_round_trip(tmp_path: Path, wav: Path, history_url: str | None) -> None:
    history = History(tmp_path / "data", url=history_url)
    first = history.save_take(
        wav,
        make_report(score=60),
        source="upload",
        context={"prospect": "Dana", "script": "Hi Dana", "file_name": "mine.wav"},
    )
    time.sleep(0.002)
    second = history.save_take(wav, make_report(score=80, duration=12.0), source="record")

    listed = history.list_takes()
    assert [t.id for t in listed] == [second, first]
    assert listed[0].score == 80 and listed[0].duration_s == pytest.approx(12.0)
    assert listed[1].prospect == "Dana" and listed[1].file_name == "mine.wav"

    take = history.get_take(first)
    assert take.report.to_dict() == make_report(score=60).to_dict()
    assert take.context == {"prospect": "Dana", "script": "Hi Dana", "file_name": "mine.wav", "source": "upload"}
    assert take.audio_path.is_file()
    if history_url is None:  # the single-user default: the recording as given, in data/audio
        assert take.audio_path.suffix == ".wav" and take.audio_path.read_bytes() == wav.read_bytes()
        assert take.audio_path.parent == tmp_path / "data" / "audio"
    else:  # in the database with its row, a PCM WAV as FLAC: the same samples
        assert take.audio_path.suffix == ".flac" and take.audio_path.stat().st_size < wav.stat().st_size
        assert np.array_equal(sf.read(take.audio_path, dtype="int16")[0], sf.read(wav, dtype="int16")[0])
    assert take.audio_sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()

    assert [(p.id, p.score) for p in history.score_series()] == [(first, 60), (second, 80)]

    history.delete_take(first)
    assert [t.id for t in history.list_takes()] == [second]
    assert not take.audio_path.exists()
    assert len(history) == 1
    with pytest.raises(HistoryError, match="no take #"):
        history.get_take(first)
    with pytest.raises(HistoryError):
        history.delete_take(first)


def test_history_persists_across_instances_and_uses_env(tmp_path: Path, wav: Path, monkeypatch) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "envdata"))
    assert resolve_data_dir() == tmp_path / "envdata"
    take_id = History().save_take(wav, make_report(), source="cli")
    again = History(tmp_path / "envdata")
    assert [t.id for t in again.list_takes()] == [take_id]
    assert (tmp_path / "envdata" / DB_NAME).is_file()
    monkeypatch.delenv("COACH_DATA_DIR")
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir() == tmp_path / "data"


def test_bad_inputs_are_coach_errors(tmp_path: Path, wav: Path, history_url: str | None) -> None:
    history = History(tmp_path / "d", url=history_url)
    with pytest.raises(CoachError, match="does not exist"):
        history.save_take(tmp_path / "missing.wav", make_report(), source="upload")
    with pytest.raises(HistoryError, match="source"):
        history.save_take(wav, make_report(), source="carrier pigeon")
    assert history.list_takes() == []
    assert list(history.audio_dir.iterdir()) == []
    if history_url is not None:
        return  # the rest is about the SQLite file and its folder

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(HistoryError, match="history folder"):
        History(blocker / "sub")

    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / DB_NAME).write_bytes(b"this is not a database" * 100)
    with pytest.raises(DamagedHistoryError, match="is damaged") as info:
        History(damaged)
    assert "Start a new history" in str(info.value) and "never deletes a recording" in str(info.value)


_SAVER = textwrap.dedent(
    """
    import json, sys
    from coach.history.store import History
    from coach.report import Report
    data_dir, audio, report_json, url = sys.argv[1:5]
    report = Report.from_dict(json.loads(open(report_json).read()))
    history = History(data_dir, url=url or None)
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        take_id = history.save_take(audio, report, source="cli", context={"n": i})
        print("saved", take_id, flush=True)
    """
)


def test_database_survives_a_process_killed_during_a_save(tmp_path: Path, history_url: str | None) -> None:
    """SIGKILL a process that is saving takes in a loop, many times, at random moments (SQLite with the audio
    in a folder, PostgreSQL with the audio in the row)."""
    data_dir = tmp_path / "data"
    audio = tmp_path / "big.wav"
    rng = np.random.default_rng(7)
    sf.write(audio, (0.1 * rng.standard_normal(16000 * 60)).astype(np.float32), 16000)  # ~2 MB
    report_json = tmp_path / "report.json"
    report_json.write_text(make_report().to_json())
    confirmed: set[int] = set()
    kills = 0
    random.seed(11)
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(data_dir), str(audio), str(report_json), history_url or ""],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        for _ in range(random.randint(0, 3)):
            line = proc.stdout.readline().split()
            confirmed.add(int(line[1]))
        time.sleep(random.uniform(0.0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        for line in proc.stdout.read().split("\n"):
            if line.startswith("saved "):
                confirmed.add(int(line.split()[1]))
        proc.stdout.close()

    if history_url is None:
        with sqlite3.connect(data_dir / DB_NAME) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    history = History(data_dir, url=history_url)
    takes = history.list_takes()
    ids = {t.id for t in takes}
    assert kills == 12 and len(confirmed) > 0
    assert confirmed <= ids, "a take whose save had returned was lost"
    samples = sf.read(audio, dtype="int16")[0]
    for summary in takes:
        take = history.get_take(summary.id)
        assert take.audio_path.is_file()
        if history_url is None:
            assert take.audio_path.read_bytes() == audio.read_bytes()
        else:  # FLAC in the row: every sample there
            assert np.array_equal(sf.read(take.audio_path, dtype="int16")[0], samples)
        assert take.report.score is not None and take.report.score.value == 72
    referenced = {history.get_take(t.id).audio_path.name for t in takes}
    leftovers = [p for p in history.audio_dir.iterdir() if p.name not in referenced]
    assert len(leftovers) <= (kills if history_url is None else 0)  # in the row: never an orphan
    history.clean_orphans(grace_s=0)
    assert sorted(p.name for p in history.audio_dir.iterdir()) == sorted(referenced)
    new_id = history.save_take(audio, make_report(score=90), source="upload")
    assert history.list_takes()[0].id == new_id
