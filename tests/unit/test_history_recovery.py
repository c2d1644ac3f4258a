"""A damaged history and its recovery: nothing here ever deletes a recording a history names.

Issue 14: the message for a damaged history said to move it aside; after
that, the next page load's orphan clean-up deleted every recording older
than an hour, because none was in the new, empty database. The first test
failed before the fix.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from coach.errors import DamagedHistoryError, HistoryError
from coach.history.store import DAMAGED_PREFIX, DB_NAME, History, move_aside, recording_count
from factories.bad_input import encode
from factories.report_factory import build_report


@pytest.fixture()
def source(tmp_path: Path) -> Path:
    path = tmp_path / "take.wav"
    path.write_bytes(encode(np.zeros(16000, np.float32), 16000, ".wav"))
    return path


def _history_with_old_takes(data_dir: Path, source: Path, n: int = 3) -> list[Path]:
    history = History(data_dir)
    ids = [history.save_take(source, build_report()) for _ in range(n)]
    audio = [history.get_take(i).audio_path for i in ids]
    old = time.time() - 7200
    for path in audio:
        os.utime(path, (old, old))
    return audio


def _damage(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(db.read_bytes())
    raw[:100] = bytes(100)
    db.write_bytes(bytes(raw))


def test_clean_up_keeps_recordings_a_moved_aside_history_names(tmp_path: Path, source: Path) -> None:
    data_dir = tmp_path / "data"
    audio = _history_with_old_takes(data_dir, source)
    _damage(data_dir / DB_NAME)
    # Follow the old advice by hand: move it aside (any name, any subfolder), a new one starts.
    (data_dir / "old").mkdir()
    (data_dir / DB_NAME).rename(data_dir / "old" / "history.bak")
    fresh = History(data_dir)
    assert len(fresh) == 0
    assert fresh.clean_orphans() == []
    assert all(path.exists() for path in audio)


def test_damaged_history_is_a_typed_error_that_says_the_recordings_are_safe(tmp_path: Path, source: Path) -> None:
    data_dir = tmp_path / "data"
    _history_with_old_takes(data_dir, source)
    _damage(data_dir / DB_NAME)
    with pytest.raises(DamagedHistoryError) as info:
        History(data_dir)
    message = str(info.value)
    assert str(data_dir / DB_NAME) in message and str(data_dir / "audio") in message
    assert "Start a new history" in message


def test_a_damaged_page_past_the_header_is_found_by_check(tmp_path: Path, source: Path) -> None:
    data_dir = tmp_path / "data"
    _history_with_old_takes(data_dir, source, n=30)
    db = data_dir / DB_NAME
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(db.read_bytes())
    page = 4096
    assert len(raw) > 4 * page
    raw[3 * page : 4 * page] = b"\xa5" * page
    db.write_bytes(bytes(raw))
    history = History(data_dir)  # the schema page is intact, so it opens
    with pytest.raises(DamagedHistoryError):
        history.check()


def test_move_aside_keeps_the_database_its_log_and_every_recording(tmp_path: Path, source: Path) -> None:
    data_dir = tmp_path / "data"
    audio = _history_with_old_takes(data_dir, source)
    # An open writer leaves a WAL file beside the database; it must move with it.
    keep = sqlite3.connect(data_dir / DB_NAME)
    keep.execute("PRAGMA journal_mode = WAL")
    keep.execute(
        "INSERT INTO takes (created_at, source, file_name, audio_file, duration_s, context_json, report_json)"
        " VALUES ('2025-01-01T00:00:00+00:00', 'cli', 'x.wav', 'x.wav', 1.0, '{}', '{}')"
    )
    keep.commit()
    assert (data_dir / f"{DB_NAME}-wal").exists()
    before = (data_dir / DB_NAME).read_bytes()
    aside = move_aside(data_dir)
    keep.close()
    assert aside.parent == data_dir.resolve() and aside.name.startswith(DAMAGED_PREFIX)
    assert aside.read_bytes() == before
    assert not (data_dir / DB_NAME).exists() and not (data_dir / f"{DB_NAME}-wal").exists()
    assert all(path.exists() for path in audio)
    assert recording_count(data_dir) == 3
    fresh = History(data_dir)
    assert len(fresh) == 0 and fresh.list_takes() == []
    assert fresh.clean_orphans(grace_s=0) == []
    assert all(path.exists() for path in audio)
    again = move_aside(data_dir)
    assert again != aside and aside.exists()


def test_clean_up_removes_only_files_no_history_names_and_only_after_the_grace_period(
    tmp_path: Path, source: Path
) -> None:
    data_dir = tmp_path / "data"
    history = History(data_dir)
    kept = history.save_take(source, build_report())
    old = time.time() - 7200
    orphan = history.audio_dir / "0123456789abcdef0123456789abcdef.wav"
    orphan.write_bytes(b"left by a crash mid-save")
    partial = history.audio_dir / ".saving-dead.wav"
    partial.write_bytes(b"half")
    fresh = history.audio_dir / "inflight.wav"
    fresh.write_bytes(b"being saved")
    for path in (orphan, partial):
        os.utime(path, (old, old))
    assert sorted(history.clean_orphans()) == sorted([orphan, partial])
    assert fresh.exists() and history.get_take(kept).audio_path.exists()


def test_an_unusable_history_folder_says_which_setting_to_change(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / DB_NAME).mkdir()
    with pytest.raises(HistoryError) as info:
        History(tmp_path / "data")
    assert not isinstance(info.value, DamagedHistoryError)
    assert "COACH_DATA_DIR" in str(info.value)


def test_coach_history_clean_lists_then_deletes_only_stray_recordings(
    tmp_path: Path, source: Path, monkeypatch, capsys
) -> None:
    from coach.cli import main

    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    history = History(tmp_path / "data")
    take_id = history.save_take(source, build_report(), source="upload")
    kept = history.get_take(take_id).audio_path
    stray = history.audio_dir / "stray.wav"
    stray.write_bytes(b"RIFF")
    assert main(["history", "clean", "--dry-run", "--grace-hours", "0"]) == 0
    assert "Would delete 1 stray recording" in capsys.readouterr().out and stray.exists()
    assert main(["history", "clean"]) == 0  # within the default grace period: kept
    assert stray.exists() and "Deleted 0" in capsys.readouterr().out
    assert main(["history", "clean", "--grace-hours", "0"]) == 0
    assert not stray.exists() and kept.exists()
    assert main(["history", "list"]) == 0
    assert f"#{take_id}" in capsys.readouterr().out
