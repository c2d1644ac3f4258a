"""The app with a damaged or unusable history and hostile upload names (Streamlit AppTest, real pipeline).

What must hold each time: a clear message, no traceback on the page, and
no recording deleted.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.history.store import DB_NAME, History
from factories.app_test import TIMEOUT, start
from factories.paths import SAMPLES
from factories.report_factory import build_report


def errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error)


def history_with_old_takes(data_dir: Path, n: int = 3) -> list[Path]:
    """A history of ``n`` takes whose recordings are two hours old (past any clean-up grace period)."""
    history = History(data_dir)
    ids = [history.save_take(SAMPLES / "good_voicemail.wav", build_report()) for _ in range(n)]
    audio = [history.get_take(i).audio_path for i in ids]
    old = time.time() - 7200
    for path in audio:
        os.utime(path, (old, old))
    with sqlite3.connect(data_dir / DB_NAME) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return audio


def damage(db: Path) -> None:
    raw = bytearray(db.read_bytes())
    raw[:100] = b"\xa5" * 100
    db.write_bytes(bytes(raw))


# 4. A damaged history showed a traceback page.
def test_damaged_history_shows_a_message_and_a_way_out_and_keeps_every_recording(data_dir: Path) -> None:
    audio = history_with_old_takes(data_dir)
    damage(data_dir / DB_NAME)
    at = start()
    shown = errors(at)
    assert "damaged" in shown and DB_NAME in shown
    assert all(path.exists() for path in audio)

    at.button(key="vc-history-reset-practice").click().run()
    assert not at.exception, at.exception
    assert not at.error, errors(at)
    aside = sorted(data_dir.glob("history-damaged-*.sqlite3"))
    assert len(aside) == 1 and aside[0].read_bytes()[:100] == b"\xa5" * 100
    assert all(path.exists() for path in audio)
    assert len(History(data_dir)) == 0
    notes = "\n".join(str(s.value) for s in at.success)
    assert aside[0].name in notes and "3 recordings" in notes

    # A new server (fresh caches) and a new session: still nothing deleted.
    start()
    assert all(path.exists() for path in audio)


def test_two_sessions_starting_a_new_history_move_only_the_damaged_one_aside(data_dir: Path) -> None:
    """The second click must not move the first session's new, healthy history aside."""
    audio = history_with_old_takes(data_dir)
    damage(data_dir / DB_NAME)
    first, second = start(), start()
    first.button(key="vc-history-reset-practice").click().run()
    assert not first.exception, first.exception
    kept = History(data_dir).save_take(SAMPLES / "good_voicemail.wav", build_report())
    second.button(key="vc-history-reset-history").click().run()  # its page still shows the old error
    assert not second.exception, second.exception
    assert len(list(data_dir.glob("history-damaged-*.sqlite3"))) == 1
    assert [t.id for t in History(data_dir).list_takes()] == [kept]
    assert all(path.exists() for path in audio)


# 5. Following the message's advice (move the damaged file aside) made the next page load delete every recording.
def test_moving_a_damaged_history_aside_by_hand_deletes_no_recording(data_dir: Path) -> None:
    audio = history_with_old_takes(data_dir)
    damage(data_dir / DB_NAME)
    (data_dir / DB_NAME).rename(data_dir / "history.sqlite3.bak")
    at = start()
    assert not at.error, errors(at)
    at = start()
    assert all(path.exists() for path in audio), "a recording of the moved-aside history was deleted"


def test_unwritable_data_folder_shows_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("COACH_DATA_DIR", str(blocker / "data"))
    monkeypatch.chdir(tmp_path)
    at = start()
    shown = errors(at)
    assert "COACH_DATA_DIR" in shown and str(blocker / "data") in shown
    assert blocker.read_text() == "a file where the data folder should be"


def test_history_that_is_a_folder_shows_what_to_do(data_dir: Path) -> None:
    (data_dir / DB_NAME).mkdir(parents=True)
    at = start()
    assert DB_NAME in errors(at)


# 3. A long non-ASCII upload name crashed the app ("File name too long").
def test_long_non_ascii_upload_name_is_analysed_and_kept(data_dir: Path) -> None:
    name = "语音留言" * 25 + ".wav"
    at = start()
    at.segmented_control(key="vc-mode").set_value("Upload a file").run()
    audio = (SAMPLES / "good_voicemail.wav").read_bytes()
    at.file_uploader(key="vc-upload").upload(name, audio, "audio/wav").run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert not at.error, errors(at)
    history = History(data_dir)
    (take,) = history.list_takes()
    assert take.file_name == name
    assert history.get_take(take.id).audio_path.read_bytes() == audio
