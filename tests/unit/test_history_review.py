"""The trainer's side of the history: schema migration, reps, notes, overrides, verdicts, re-scoring."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import create_engine, text

from coach.config import config_from_text, default_config
from coach.errors import HistoryError
from coach.history import review
from coach.history.migrations import SCHEMA_VERSION, file_sha256
from coach.history.store import DB_NAME, History
from coach.report import Report, RepProfile
from coach.rules.engine import apply
from factories.report_factory import CLEAN_PROSPECT, build_report, clean_report

#: The schema of the first history (schema 1), as the code before the trainer's review created it.
_V1_SQL = """
CREATE TABLE IF NOT EXISTS takes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    audio_file   TEXT    NOT NULL UNIQUE,
    score        INTEGER,
    duration_s   REAL    NOT NULL,
    prospect     TEXT,
    context_json TEXT    NOT NULL,
    report_json  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS takes_created ON takes (created_at);
PRAGMA user_version = 1;
"""


@pytest.fixture()
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "in.wav"
    t = np.arange(16000) / 16000
    sf.write(path, 0.3 * np.sin(2 * np.pi * 220 * t), 16000)
    return path


def scored(rep: str | None = None, **kwargs) -> Report:
    report = clean_report(**kwargs)
    report.rep = RepProfile(name=rep) if rep else None
    return apply(report, default_config())


def filler_report(rep: str | None = None) -> Report:
    report = build_report(
        "Hi Dana, um, this is Marcus from Ledgerline. Um, I, uh, wanted to, um, talk about payroll. "
        "Call me at 415-555-0192.",
        prospect=CLEAN_PROSPECT,
    )
    report.rep = RepProfile(name=rep) if rep else None
    return apply(report, default_config())


def test_a_history_made_by_the_previous_code_upgrades_in_place(tmp_path: Path, wav: Path) -> None:
    data = tmp_path / "data"
    (data / "audio").mkdir(parents=True)
    (data / "audio" / "a1.wav").write_bytes(wav.read_bytes())
    old = scored(rep="Alex Kim")
    with sqlite3.connect(data / DB_NAME) as conn:
        conn.executescript(_V1_SQL)
        for audio, report in (("a1.wav", old), ("gone.wav", scored())):
            conn.execute(
                "INSERT INTO takes (created_at, source, file_name, audio_file, score, duration_s, prospect,"
                " context_json, report_json) VALUES (?, 'upload', ?, ?, ?, ?, NULL, '{}', ?)",
                ("2025-01-02T10:00:00+00:00", audio, audio, report.score.value, report.duration_s, report.to_json()),
            )

    history = History(data)
    with sqlite3.connect(data / DB_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    takes = {t.file_name: t for t in history.list_takes()}
    assert takes["a1.wav"].rep == "Alex Kim" and takes["gone.wav"].rep is None
    assert takes["a1.wav"].audio_sha256 == file_sha256(wav)
    assert takes["gone.wav"].audio_sha256 is None  # its audio is missing: no hash, the take is kept
    assert history.get_take(takes["a1.wav"].id).report.to_dict() == old.to_dict()
    assert [s for _, s, _ in history.machine_scores(takes["a1.wav"].id)] == [old.score.value]
    # The new tables work on the upgraded database, and opening it again changes nothing.
    history.add_note(takes["a1.wav"].id, "slow down", at_s=3.0)
    assert len(History(data).get_take(takes["a1.wav"].id).notes) == 1


#: Schema 2 as the trainer's review code created it (PRAGMA user_version, before Alembic).
_V2_SQL = (
    _V1_SQL.replace("PRAGMA user_version = 1;", "")
    + """
ALTER TABLE takes ADD COLUMN rep TEXT;
ALTER TABLE takes ADD COLUMN audio_sha256 TEXT;
ALTER TABLE takes ADD COLUMN settings_fingerprint TEXT;
ALTER TABLE takes ADD COLUMN verdict TEXT CHECK (verdict IN ('passed', 'retake'));
CREATE INDEX takes_rep ON takes (rep);
CREATE INDEX takes_sha256 ON takes (audio_sha256);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, take_id INTEGER NOT NULL REFERENCES takes (id) ON DELETE CASCADE,
    at_s REAL, text TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL
);
CREATE INDEX notes_take ON notes (take_id);
CREATE TABLE overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT, take_id INTEGER NOT NULL REFERENCES takes (id) ON DELETE CASCADE,
    action TEXT NOT NULL CHECK (action IN ('dismiss', 'add')), code TEXT NOT NULL, text TEXT NOT NULL DEFAULT '',
    severity TEXT, reason TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL
);
CREATE INDEX overrides_take ON overrides (take_id);
CREATE TABLE machine_scores (
    id INTEGER PRIMARY KEY AUTOINCREMENT, take_id INTEGER NOT NULL REFERENCES takes (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL, score INTEGER, fingerprint TEXT
);
CREATE INDEX machine_scores_take ON machine_scores (take_id);
PRAGMA user_version = 2;
"""
)


def test_a_schema_2_history_upgrades_in_place_keeping_notes_and_scores(tmp_path: Path, wav: Path) -> None:
    data = tmp_path / "data"
    (data / "audio").mkdir(parents=True)
    (data / "audio" / "a1.wav").write_bytes(wav.read_bytes())
    old = scored(rep="Alex Kim")
    with sqlite3.connect(data / DB_NAME) as conn:
        conn.executescript(_V2_SQL)
        conn.execute(
            "INSERT INTO takes (created_at, source, file_name, audio_file, score, duration_s, prospect, context_json,"
            " report_json, rep, audio_sha256, verdict) VALUES (?, 'batch', 'a1.wav', 'a1.wav', ?, ?, NULL, '{}', ?,"
            " 'Alex Kim', ?, 'retake')",
            ("2025-03-02T10:00:00+00:00", old.score.value, old.duration_s, old.to_json(), file_sha256(wav)),
        )
        conn.execute(
            "INSERT INTO notes (take_id, at_s, text, author, created_at) VALUES (1, 2.0, 'louder', 'Pat', ?)",
            ("2025-03-02T11:00:00+00:00",),
        )
        conn.execute(
            "INSERT INTO machine_scores (take_id, created_at, score) VALUES (1, ?, ?)",
            ("2025-03-02T10:00:00+00:00", old.score.value),
        )

    history = History(data)
    with sqlite3.connect(data / DB_NAME) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == f"{SCHEMA_VERSION:04d}"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    take = history.get_take(1)
    assert take.rep == "Alex Kim" and take.verdict == "retake" and take.audio_path.read_bytes() == wav.read_bytes()
    assert [(n.text, n.author) for n in take.notes] == [("louder", "Pat")]
    assert [s for _, s, _ in history.machine_scores(1)] == [old.score.value]  # not back-filled twice
    new = history.save_take(wav, scored(rep="Bo Diaz"), source="upload")
    assert new == 2 and [t.id for t in History(data).list_takes()] == [2, 1]


def test_a_history_from_a_newer_coach_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(data / DB_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(HistoryError, match="newer version of the coach"):
        History(data)


def test_takes_carry_their_rep_and_content_hash(tmp_path: Path, wav: Path, history_url: str | None) -> None:
    history = History(tmp_path / "data", url=history_url)
    a = history.save_take(wav, scored(rep="Alex Kim"), source="batch", fingerprint="abc")
    b = history.save_take(wav, scored(), source="upload")
    assert history.reps() == ["Alex Kim"]
    assert history.last_rep_name() is None  # a batch import is not the rep at this browser
    assert history.last_rep_name(sources=("batch",)) == "Alex Kim"
    assert [t.id for t in history.list_takes(rep="Alex Kim")] == [a]
    assert [t.id for t in history.list_takes(rep="")] == [b]
    take = history.get_take(a)
    assert take.audio_sha256 == file_sha256(wav) and take.settings_fingerprint == "abc"
    assert history.find_by_sha256(file_sha256(wav) or "") == b  # the newest
    assert history.find_by_sha256("0" * 64) is None
    history.set_rep(b, "Bo Diaz")
    moved = history.get_take(b)
    assert moved.rep == "Bo Diaz" and moved.report.rep == RepProfile(name="Bo Diaz")
    assert history.last_rep_name() == "Bo Diaz"  # an upload on the Practice page


def test_notes_overrides_and_verdicts_round_trip_and_never_touch_the_machine_score(
    tmp_path: Path, wav: Path, history_url: str | None
) -> None:
    config = default_config()
    history = History(tmp_path / "data", url=history_url)
    report = filler_report(rep="Alex Kim")
    codes = [f.code for f in report.findings]
    assert "VM302" in codes, codes
    machine = report.score.value
    take_id = history.save_take(wav, report, source="batch")

    note = history.add_note(take_id, "  at this point slow down on the number ", at_s=12.5, author="Pat")
    history.add_note(take_id, "Good energy overall")
    dismiss = history.dismiss_finding(take_id, "VM302", "Those were breaths, not fillers", author="Pat")
    added = history.add_finding(take_id, "Sounds read from a script", "warning", reason="Ask a question instead")
    history.add_finding(take_id, "", "suggestion", code="VM201")

    take = history.get_take(take_id)
    assert [(n.at_s, n.text, n.author) for n in take.notes] == [
        (12.5, "at this point slow down on the number", "Pat"),
        (None, "Good energy overall", ""),
    ]
    assert [(o.action, o.code) for o in take.overrides] == [
        ("dismiss", "VM302"),
        ("add", f"T{added}"),
        ("add", "VM201"),
    ]
    assert take.overrides[0].reason == "Those were breaths, not fillers"
    assert take.score == machine and take.report.score.value == machine

    judged = review.judge(take, config)
    assert judged.machine_score == machine
    assert "VM302" not in [f.code for f in judged.findings]
    assert {f"T{added}", "VM201"} <= {f.code for f in judged.findings}
    # The trainer's score is the same scoring code over the trainer's findings.
    from coach.rules.scoring import score

    assert judged.trainer_score == score(judged.findings, config.score, config.verdict)
    vm302_points = next(i.points for i in report.score.breakdown if i.code == "VM302")
    expected = machine + vm302_points - config.score.warning - config.score.suggestion
    assert judged.score == max(0, min(100, int(expected)))
    assert judged.verdict == (
        "passed" if judged.score >= config.pass_mark and not judged.trainer_score.core else "retake"
    )
    assert judged.verdict_by == "score"

    history.set_verdict(take_id, "passed")
    assert review.judge(history.get_take(take_id), config).verdict_by == "trainer"
    assert review.judge(history.get_take(take_id), config).passed
    with pytest.raises(HistoryError, match="Unknown verdict"):
        history.set_verdict(take_id, "great")
    with pytest.raises(HistoryError, match="Say why"):
        history.dismiss_finding(take_id, "VM101", "  ")
    with pytest.raises(HistoryError, match="no take #"):
        history.add_note(9999, "hello")

    history.delete_note(note)
    history.delete_override(dismiss)
    take = history.get_take(take_id)
    assert len(take.notes) == 1 and len(take.overrides) == 2
    assert take.report.score.value == machine
    history.delete_take(take_id)
    engine = create_engine(history.url)
    with engine.connect() as conn:  # the cascade removed them on both back ends
        assert conn.execute(text("SELECT COUNT(*) FROM notes")).scalar() == 0
        assert conn.execute(text("SELECT COUNT(*) FROM overrides")).scalar() == 0
    engine.dispose()


def test_team_summaries_put_failing_takes_first_and_name_each_reps_main_problem(
    tmp_path: Path, wav: Path, history_url: str | None
) -> None:
    config = default_config()
    history = History(tmp_path / "data", url=history_url)
    ids = {}
    for name, report in (
        ("alex-1", filler_report("Alex Kim")),
        ("alex-2", filler_report("Alex Kim")),
        ("bo-1", scored("Bo Diaz", prospect=CLEAN_PROSPECT)),
        ("nobody", scored()),
    ):
        ids[name] = history.save_take(wav, report, source="batch")
    judged = review.judge_all(history.load_takes(), config)
    ordered = review.attention_order(judged)
    assert [j.passed for j in ordered] == sorted(j.passed for j in judged)
    assert not ordered[0].passed and ordered[0].take.id == ids["alex-2"]  # failing, newest first
    summaries = {s.rep: s for s in review.rep_summaries(judged)}
    assert list(summaries) == ["Alex Kim", "Bo Diaz", review.UNASSIGNED]
    alex = summaries["Alex Kim"]
    assert alex.takes == 2 and alex.main_problem is not None and alex.main_problem.code == "VM302"
    assert [t for _, _, t in alex.trend] == [ids["alex-1"], ids["alex-2"]]
    team = review.finding_counts(judged)
    assert team[0].reps >= team[-1].reps


def test_rescoring_applies_new_settings_without_whisper(
    tmp_path: Path, wav: Path, monkeypatch, history_url: str | None
) -> None:
    import coach.analysis.models as models
    import coach.analysis.transcribe as transcribe
    import coach.pipeline as pipeline

    def no_whisper(*args, **kwargs):
        raise AssertionError("re-scoring must not load or run Whisper")

    for module, name in ((models, "load_model"), (pipeline, "load_model"), (transcribe, "transcribe")):
        monkeypatch.setattr(module, name, no_whisper)
    monkeypatch.setattr(pipeline, "transcribe", no_whisper)

    history = History(tmp_path / "data", url=history_url)
    report = scored(rep="Alex Kim", prospect=CLEAN_PROSPECT)
    assert "VM101" not in {f.code for f in report.findings}
    take_id = history.save_take(wav, report, source="batch", fingerprint=default_config().rules_fingerprint())
    history.add_note(take_id, "keep this")
    history.dismiss_finding(take_id, "VM101", "the length is fine for this prospect")

    strict = config_from_text("[rules.VM101]\nmax_s = 5.0\nerror_s = 6.0\n")
    assert strict.rules_fingerprint() != default_config().rules_fingerprint()
    result = review.rescore(history, strict)
    assert result.takes == 1 and result.changed == 1 and result.fingerprint == strict.rules_fingerprint()

    take = history.get_take(take_id)
    assert "VM101" in {f.code for f in take.report.findings}
    assert take.score == take.report.score.value < report.score.value
    assert take.settings_fingerprint == strict.rules_fingerprint()
    assert [s for _, s, _ in history.machine_scores(take_id)] == [report.score.value, take.score]
    assert len(take.notes) == 1 and len(take.overrides) == 1
    # The trainer's dismissal of VM101 still applies to the new machine result.
    assert "VM101" not in {f.code for f in review.judge(take, strict).findings}
    unchanged = dataclasses.replace(take.report)
    assert json.loads(unchanged.to_json())["transcript"] == report.transcript


def test_a_take_that_breaks_a_core_rule_needs_another_take_whatever_its_score(
    tmp_path: Path, wav: Path, history_url: str | None
) -> None:
    config = default_config()
    assert config.pass_mark <= config.verdict.core_cap  # a capped score alone would pass
    history = History(tmp_path / "data", url=history_url)
    asks = build_report(
        text=(
            "Hi Dana, this is Marcus from Ledgerline Payroll. I saw Harbor Street Bakery opened a third location. "
            "How are you handling payroll across all three? Give me a call back at 415-555-0192. "
            "Again, Marcus at 415-555-0192."
        ),
        prospect=CLEAN_PROSPECT,
    )
    asks = apply(asks, config)
    assert asks.score is not None and asks.score.core and asks.score.value >= config.pass_mark
    judged = review.judge(history.get_take(history.save_take(wav, asks, source="upload")), config)
    assert (judged.verdict, judged.verdict_by) == ("retake", "score")
    clean = review.judge(history.get_take(history.save_take(wav, scored(), source="upload")), config)
    assert clean.verdict == "passed"
