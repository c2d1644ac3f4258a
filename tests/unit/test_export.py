"""CSV, JSON and HTML exports: notes and overrides in all three, the machine score never changed by them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.config import default_config
from coach.errors import ConfigError
from coach.history import export, review
from coach.history.store import History
from coach.report import Metrics, Report, RepProfile
from coach.rules.engine import apply
from factories.report_factory import CLEAN_PROSPECT, build_report, clean_report

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture()
def team(tmp_path: Path) -> tuple[History, dict[str, int]]:
    wav = tmp_path / "in.wav"
    sf.write(wav, 0.2 * np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200), 16000)
    history = History(tmp_path / "data")
    config = default_config()

    def report(rep: str | None, text: str | None = None) -> Report:
        r = build_report(text, prospect=CLEAN_PROSPECT) if text else clean_report(prospect=CLEAN_PROSPECT)
        r.rep = RepProfile(name=rep) if rep else None
        return apply(r, config)

    fillers = "Hi Dana, um, this is Marcus from Ledgerline. Um, I, uh, wanted to, um, talk. Call 415-555-0192."
    ids = {
        "alex": history.save_take(wav, report("Alex Kim", fillers), source="batch"),
        "bo": history.save_take(wav, report(f"Bo {HOSTILE}"), source="batch"),
        "none": history.save_take(wav, report(None), source="upload"),
    }
    history.add_note(ids["alex"], "slow down on the number", at_s=12.0)
    history.add_note(ids["bo"], f"nice {HOSTILE}")
    history.dismiss_finding(ids["alex"], "VM302", "breaths, not fillers")
    history.add_finding(ids["bo"], "Sounds scripted", "error", reason="Vary the tone")
    history.set_verdict(ids["none"], "retake")
    return history, ids


def test_csv_has_a_row_per_take_with_every_metric_both_scores_and_the_trainers_changes(team) -> None:
    history, ids = team
    config = default_config()
    judged = review.judge_all(history.load_takes(), config)
    rows = list(csv.DictReader(io.StringIO(export.to_csv(judged, config))))
    assert len(rows) == 3
    by_id = {int(r["take_id"]): r for r in rows}
    alex, bo, none = by_id[ids["alex"]], by_id[ids["bo"]], by_id[ids["none"]]
    machine = history.get_take(ids["alex"]).report.score.value
    assert int(alex["machine_score"]) == machine and int(alex["trainer_score"]) > machine
    assert "VM302" in alex["findings"].split() and alex["dismissed"] == "VM302"
    assert alex["notes"] == "at 0:12: slow down on the number" and alex["rep"] == "Alex Kim"
    assert bo["added"].startswith("T") and int(bo["trainer_score"]) < int(bo["machine_score"])
    assert none["rep"] == review.UNASSIGNED and none["verdict"] == "Needs another take"
    assert none["verdict_by"] == "trainer"
    for column in export.metric_columns():
        assert column in alex, column
    assert {"wpm", "filler_count", "pauses_count", "snr_db", "introduction_name", "callback_digits"} <= set(alex)
    assert float(alex["wpm"]) == pytest.approx(history.get_take(ids["alex"]).report.metrics.wpm, abs=0.01)
    assert int(alex["fillers_count"]) == len(history.get_take(ids["alex"]).report.metrics.fillers) > 0
    assert len(export.metric_columns()) >= len(Metrics.__dataclass_fields__)


def test_json_carries_full_reports_notes_and_overrides(team, tmp_path: Path) -> None:
    history, ids = team
    config = default_config()
    judged = review.judge_all(history.load_takes(), config)
    out = tmp_path / "team.json"
    assert export.export(judged, config, out) == "json"
    data = json.loads(out.read_text())
    takes = {t["take_id"]: t for t in data["takes"]}
    alex = takes[ids["alex"]]
    assert alex["report"] == history.get_take(ids["alex"]).report.to_dict()
    assert alex["notes"][0]["text"] == "slow down on the number" and alex["notes"][0]["at_s"] == 12.0
    assert alex["overrides"][0]["action"] == "dismiss" and alex["overrides"][0]["reason"] == "breaths, not fillers"
    assert alex["machine_score"] == alex["report"]["score"]["value"]
    assert "VM302" not in [f["code"] for f in alex["trainer_findings"]]
    assert data["pass_mark"] == config.pass_mark and data["settings_fingerprint"] == config.rules_fingerprint()
    # The exports never change what is stored.
    assert history.get_take(ids["alex"]).report.score.value == alex["machine_score"]


def test_html_is_one_offline_page_with_the_team_table_charts_and_escaped_names(team, tmp_path: Path) -> None:
    history, ids = team
    config = default_config()
    out = tmp_path / "team.html"
    export.export(review.judge_all(history.load_takes(), config), config, out)
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<link" not in page
    assert page.count("<svg") >= 2 and "table class='team'" in page
    assert "&lt;script&gt;" in page and "Alex Kim" in page and "unassigned" in page
    assert "slow down on the number" in page and "@media print" in page
    with pytest.raises(ConfigError, match=r"\.csv, \.json or \.html"):
        export.export([], config, tmp_path / "team.xlsx")
