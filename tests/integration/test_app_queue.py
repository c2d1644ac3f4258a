"""Two reps at once: two AppTest sessions upload at the same time, wait in line, and each gets its own report.

The real app, the real Whisper model, one server process (both sessions
share its cached Analyzer and its :class:`~coach.ui.state.TurnQueue`). The
test holds the line first, so both uploads must wait, and records what each
page was told while it waited.
"""

from __future__ import annotations

import threading
from pathlib import Path

from coach.history.store import History
from coach.ui import state
from factories.app_test import TIMEOUT, start
from factories.paths import SAMPLES

UPLOADS = {"first.wav": "good_voicemail.wav", "second.wav": "filler_heavy.wav"}


def test_two_sessions_wait_their_turn_and_each_gets_its_own_report(data_dir: Path, monkeypatch) -> None:
    told: list[int] = []
    real_label = state.waiting_label

    def recording_label(ahead: int) -> str:
        told.append(ahead)
        return real_label(ahead)

    monkeypatch.setattr(state, "waiting_label", recording_label)
    sessions = {}
    for name in UPLOADS:
        at = start()
        at.segmented_control(key="vc-mode").set_value("Upload a file").run()
        sessions[name] = at
    state.analyzer()  # loaded before the line is held, so neither session's wait includes loading it
    queue = state.analysis_queue()
    errors: list[BaseException] = []

    def upload(name: str) -> None:
        try:
            audio = (SAMPLES / UPLOADS[name]).read_bytes()
            sessions[name].file_uploader(key="vc-upload").upload(name, audio, "audio/wav").run(timeout=TIMEOUT)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    with queue.turn():  # another rep's take is running: both uploads must wait
        threads = []
        for name in UPLOADS:
            before = len(queue)
            thread = threading.Thread(target=upload, args=(name,), name=name, daemon=True)
            thread.start()
            threads.append(thread)
            for _ in range(6000):  # each joins the line before the next is submitted
                if len(queue) == before + 1 or errors:
                    break
                threading.Event().wait(0.01)
            assert len(queue) == before + 1, errors
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads) and not errors, errors

    # The first in line was told "1 ahead"; the second "2 ahead", then "1 ahead" as the line moved
    # (AppTest runs each script in a thread of its own, so the pages are told apart by count, not name).
    assert sorted(told) == [1, 1, 2]
    history = History(data_dir)
    assert len(history.list_takes()) == 2
    for name, at in sessions.items():
        assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
        take = history.get_take(at.session_state[state.CURRENT_TAKE])
        assert take.file_name == name  # each session shows its own take
        assert take.report.score is not None
        assert f">{take.report.score.value}</div>" in "\n".join(str(h.proto.body) for h in at.get("html"))
