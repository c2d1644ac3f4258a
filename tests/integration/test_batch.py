"""``coach batch`` for real: the sample voicemails through Whisper in worker processes, into a real history.

One batch over a team folder, a ZIP, a hostile ZIP and a broken file with a
rep mapping CSV (exit 1, the good files kept, each failure named); the same
batch again (everything skipped, nothing doubled); the HTML export opened in
headless Chromium; and a batch killed with SIGKILL mid-way and run again:
every recording analysed and kept exactly once, the database intact.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from coach.history.store import DB_NAME, History
from factories.app_harness import CHROMIUM, CHROMIUM_ARGS
from factories.paths import ROOT, SAMPLES

TIMEOUT_S = 900


def coach(data_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, COACH_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "coach", "batch", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_S,
        **kwargs,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def team_batch(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("batch")
    team = root / "team"
    for rep, names in {"alex": ["good_voicemail", "filler_heavy"], "bo": ["rushed_number"]}.items():
        (team / rep).mkdir(parents=True)
        for name in names:
            shutil.copyfile(SAMPLES / f"{name}.wav", team / rep / f"{name}.wav")
    (team / "bo" / "broken.wav").write_bytes(b"this is not a recording\n" * 50)
    (team / "bo" / "notes.txt").write_text("not audio, left out")
    good_zip = root / "dana.zip"
    with zipfile.ZipFile(good_zip, "w") as zf:
        zf.write(SAMPLES / "no_callback_number.wav", "week1/dana_monday.wav")
    evil_zip = root / "evil.zip"
    with zipfile.ZipFile(evil_zip, "w") as zf:
        zf.write(SAMPLES / "sales_pitch.wav", "ok.wav")
        zf.writestr("../../escaped.wav", b"x")
    mapping = root / "reps.csv"
    mapping.write_text("file,rep\ndana_monday.wav,Dana Ruiz\n")
    data = root / "data"
    out_csv = root / "team.csv"
    first = coach(
        data, str(team), str(good_zip), str(evil_zip), "--reps", str(mapping), "--workers", "2",
        "--out", str(out_csv), cwd=root,
    )  # fmt: skip
    return {"root": root, "team": team, "data": data, "first": first, "csv": out_csv, "args": (team, good_zip)}


def test_a_team_batch_keeps_the_good_files_names_each_failure_and_exits_1(team_batch: dict) -> None:
    first = team_batch["first"]
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    assert "broken.wav" in first.stderr and "not an audio file" in first.stderr
    assert "evil.zip" in first.stderr and "climbs out" in first.stderr
    assert not (team_batch["root"].parent / "escaped.wav").exists()
    assert "4 analysed" in first.stdout and "2 failed" in first.stdout, first.stdout
    assert "1 file(s) in the folders were not audio" in first.stdout

    history = History(team_batch["data"])
    takes = history.list_takes()
    assert sorted((t.rep, Path(t.file_name.replace(":", "/")).name) for t in takes) == [
        ("Dana Ruiz", "dana_monday.wav"),
        ("alex", "filler_heavy.wav"),
        ("alex", "good_voicemail.wav"),
        ("bo", "rushed_number.wav"),
    ]
    assert all(t.source == "batch" and t.settings_fingerprint for t in takes)
    assert {t.audio_sha256 for t in takes} == {
        sha(SAMPLES / f"{n}.wav") for n in ("good_voicemail", "filler_heavy", "rushed_number", "no_callback_number")
    }
    for rep in ("alex", "bo", "Dana Ruiz"):
        assert rep in first.stdout
    filler = next(t for t in takes if t.file_name.endswith("filler_heavy.wav"))
    assert "VM302" in {f.code for f in history.get_take(filler.id).report.findings}
    assert history.get_take(filler.id).report.rep.name == "alex"

    rows = list(csv.DictReader(team_batch["csv"].open()))
    assert sorted(r["rep"] for r in rows) == ["Dana Ruiz", "alex", "alex", "bo"]
    assert all(r["machine_score"] == r["trainer_score"] for r in rows)


def test_running_the_batch_again_skips_everything(team_batch: dict) -> None:
    team, good_zip = team_batch["args"]
    out_json = team_batch["root"] / "team.json"
    again = coach(team_batch["data"], str(team), str(good_zip), "--out", str(out_json), "--rep-from", "{rep}_*.wav")
    assert again.returncode == 1  # broken.wav still fails
    assert "4 already in the history" in again.stdout and "analysed" not in again.stdout.split("\n")[0]
    assert len(History(team_batch["data"])) == 4
    assert len(json.loads(out_json.read_text())["takes"]) == 4


def test_the_html_team_report_opens_offline_in_chromium(team_batch: dict, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    history = History(team_batch["data"])
    take = history.list_takes()[0]
    history.add_note(take.id, "slow down on the number", at_s=12.0)
    team, good_zip = team_batch["args"]
    out = tmp_path / "team.html"
    done = coach(team_batch["data"], str(team / "alex"), str(good_zip), "--out", str(out))
    assert done.returncode == 0, done.stderr
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 1600})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            rows = page.locator("table.team tbody tr")
            assert rows.count() == 3
            assert page.locator("table.team").is_visible()
            chart = page.locator("svg[aria-label='Score distribution']")
            assert chart.is_visible() and chart.bounding_box()["height"] > 100
            assert page.locator("svg[aria-label='Score distribution'] rect").count() >= 1
            assert page.get_by_text("What to train next").is_visible()
            assert [u for u in requests if not u.startswith("file://")] == []
            page.screenshot(path=str(tmp_path / "team.png"), full_page=True)
            assert page.pdf is not None
        finally:
            browser.close()


def test_a_batch_killed_mid_way_resumes_with_every_file_kept_exactly_once(tmp_path: Path) -> None:
    names = ["good_voicemail", "filler_heavy", "rushed_number", "no_callback_number", "sales_pitch", "dead_air"]
    folder = tmp_path / "team" / "casey"
    folder.mkdir(parents=True)
    for name in names:
        shutil.copyfile(SAMPLES / f"{name}.wav", folder / f"{name}.wav")
    data = tmp_path / "data"
    env = dict(os.environ, COACH_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "coach", "batch", str(tmp_path / "team"), "--workers", "1", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            if (data / DB_NAME).exists() and len(History(data)) >= 2:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    killed_at = len(History(data))
    assert 2 <= killed_at < len(names)

    resumed = coach(data, str(tmp_path / "team"), "--workers", "1")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(names) - killed_at} analysed, {killed_at} already in the history" in resumed.stdout
    with sqlite3.connect(data / DB_NAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        hashes = [r[0] for r in conn.execute("SELECT audio_sha256 FROM takes")]
    assert sorted(hashes) == sorted(sha(folder / f"{n}.wav") for n in names)
    history = History(data)
    assert {t.rep for t in history.list_takes()} == {"casey"}
    for take in history.load_takes():
        assert take.audio_path.is_file() and sha(take.audio_path) == take.audio_sha256
