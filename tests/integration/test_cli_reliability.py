"""`coach analyze` keeps going: each file succeeds or fails on its own, a save failure included.

Real subprocesses, the real model, real SQLite failures (a history whose
folder cannot be created, a database that refuses every insert).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from coach.history.store import DB_NAME, History
from factories.paths import ROOT, SAMPLES


def coach(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "coach", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=900
    )


@pytest.fixture()
def refusing_history(tmp_path: Path) -> Path:
    """A history that opens but refuses every new take, as a full disk would."""
    data_dir = tmp_path / "data"
    History(data_dir)
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON takes BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    return data_dir


# 6. --save stopped at the first save failure: the report was not printed, the other files not analysed.
def test_a_save_failure_keeps_the_report_and_the_other_files(tmp_path: Path, refusing_history: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not a recording\n" * 10)
    files = [SAMPLES / "good_voicemail.wav", bad, SAMPLES / "rushed_number.wav"]
    result = coach("analyze", *map(str, files), "--format", "json", "--save", data_dir=refusing_history)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == ["good_voicemail.wav", "notes.wav", "rushed_number.wav"]
    first, error, last = lines
    for report in (first, last):
        assert report["score"]["value"] > 0 and report["transcript"]
        assert report["save_error"]["type"] == "history_error"
        assert "disk is full" in report["save_error"]["message"]
    assert error["error"]["type"] == "not_audio"
    assert History(refusing_history).list_takes() == []
    assert "not saved" in result.stderr


def test_an_unusable_history_folder_still_prints_every_report(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    result = coach(
        "analyze", str(SAMPLES / "good_voicemail.wav"), "--save", "--format", "text", data_dir=blocker / "data"
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert "good_voicemail.wav: score " in result.stdout and "/100" in result.stdout
    assert "not saved" in result.stdout and "COACH_DATA_DIR" in result.stdout
