"""Small pieces of the trainer's side: note times, notes in the transcript and timeline, the team settings file,
and the ``coach history export``/``rescore`` commands."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.cli import build_parser, main
from coach.clock import clock, parse_clock
from coach.config import default_config, default_data, load_config
from coach.errors import ConfigError
from coach.history.store import History, Note
from coach.report import RepProfile
from coach.rules.engine import apply
from coach.ui.pages.team_settings import _set, save_user_settings
from coach.ui.views.timeline import notes_frame, timeline_chart
from coach.ui.views.transcript import transcript_html
from factories.report_factory import CLEAN_PROSPECT, clean_report


def note(at_s: float | None, text: str) -> Note:
    return Note(1, 1, at_s, text, "", datetime.now(UTC))


@pytest.mark.parametrize(("text", "seconds"), [("0:12", 12.0), ("1:05.5", 65.5), ("12", 12.0), (" 0:00 ", 0.0)])
def test_note_times_read_as_the_clock_writes_them(text: str, seconds: float) -> None:
    assert parse_clock(text) == seconds
    assert parse_clock(clock(seconds)) == float(int(seconds))


@pytest.mark.parametrize("text", ["abc", "-3", "1:75", "1:2:3", "inf", "nan"])
def test_a_bad_note_time_says_how_to_write_it(text: str) -> None:
    with pytest.raises(ValueError, match=r'minutes:seconds \("0:12"\)'):
        parse_clock(text)
    assert parse_clock("  ") is None


def test_pinned_notes_sit_in_the_transcript_before_the_word_they_point_at_and_on_the_timeline() -> None:
    report = apply(clean_report(prospect=CLEAN_PROSPECT), default_config())
    third = report.words[3]
    notes = [note(third.start, "slow <b>down</b>"), note(None, "whole take"), note(999.0, "after the end")]
    page = transcript_html(report, notes)
    assert page.count('class="vc-note"') == 2  # the whole-take note is not pinned to a moment
    before, after = page.split("slow &lt;b&gt;down&lt;/b&gt;", 1)
    assert report.words[2].text.strip() in before and report.words[3].text.strip() in after
    assert "<b>down" not in page and page.rindex("after the end") > page.rindex(report.words[-1].text.strip())
    frame = notes_frame(notes)
    assert list(frame["start"]) == [third.start, 999.0] and list(frame["at"]) == [clock(third.start), "16:39"]
    spec = timeline_chart(report, notes=notes).to_dict()
    assert any(layer.get("mark", {}).get("type") == "rule" for layer in spec["layer"])


def test_team_settings_are_written_through_the_settings_validation(tmp_path: Path) -> None:
    path = tmp_path / "coach.toml"
    defaults = default_data()
    edited: dict = {}
    _set(edited, defaults, ("review", "pass_mark"), 70)
    _set(edited, defaults, ("rules", "VM101", "max_s"), 25.0, current=30.0)
    _set(edited, defaults, ("rules", "VM102", "min_s"), 8.0, current=8.0)  # untouched: not written
    _set(edited, defaults, ("score", "warning"), 10)  # the default: not written
    saved = save_user_settings(path, edited)
    assert tomllib.loads(path.read_text()) == {"review": {"pass_mark": 70}, "rules": {"VM101": {"max_s": 25.0}}}
    assert saved.pass_mark == 70 and load_config(path).rule("VM101")["max_s"] == 25.0
    before = path.read_text()
    with pytest.raises(ConfigError, match="VM101.error_s.*must be at least rules.VM101.max_s"):
        save_user_settings(path, {"rules": {"VM101": {"max_s": 60.0}}})
    with pytest.raises(ConfigError, match="review.pass_mark must be a whole number of points"):
        save_user_settings(path, {"review": {"pass_mark": 120}})
    assert path.read_text() == before  # a refused edit leaves the file as it was
    _set(edited, defaults, ("review", "pass_mark"), 80)  # back to the default: the key goes
    assert "review" not in edited


def test_history_export_and_rescore_commands(tmp_path: Path, monkeypatch, capsys) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    wav = tmp_path / "in.wav"
    sf.write(wav, 0.2 * np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200), 16000)
    history = History(data)
    for rep in ("Alex Kim", None):
        report = clean_report(prospect=CLEAN_PROSPECT)
        report.rep = RepProfile(name=rep) if rep else None
        history.save_take(wav, apply(report, default_config()), source="batch")
    assert main(["history", "export", "--out", str(tmp_path / "alex.csv"), "--rep", "Alex Kim"]) == 0
    assert len((tmp_path / "alex.csv").read_text().strip().splitlines()) == 2
    assert main(["history", "export", "--out", str(tmp_path / "nobody.json"), "--rep", "unassigned"]) == 0
    assert main(["history", "export", "--out", str(tmp_path / "team.pdf")]) == 1
    assert ".csv, .json or .html" in capsys.readouterr().err
    (tmp_path / "coach.toml").write_text("[rules.VM101]\nmax_s = 5.0\nerror_s = 6.0\n")
    assert main(["history", "rescore"]) == 0
    assert "Re-scored 2 take(s)" in capsys.readouterr().out
    assert all("VM101" in {f.code for f in t.report.findings} for t in history.load_takes())
    assert main(["history", "list"]) == 0
    assert "Alex Kim" in capsys.readouterr().out


def test_rep_is_the_profile_name_option_everywhere() -> None:
    for command in ("analyze", "batch"):
        args = build_parser().parse_args([command, "x.wav", "--rep", "Sam Lee"])
        assert args.rep_name == "Sam Lee"
    assert build_parser().parse_args(["record", "--rep-name", "Sam"]).rep_name == "Sam"
