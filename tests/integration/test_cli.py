"""`coach analyze` as a user runs it: a real subprocess, real model, real files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from factories.paths import ROOT, SAMPLES


def coach(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def bad_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("bad") / "notes.wav"
    path.write_text("these are my call notes, not a recording\n")
    return path


def test_json_lines_with_errors_for_bad_files_and_exit_1(bad_file):
    good = SAMPLES / "good_voicemail.wav"
    result = coach("analyze", str(good), str(bad_file), "--format", "json")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    report, error = (json.loads(line) for line in lines)
    assert report["file"] == "good_voicemail.wav"
    for key in ("duration_s", "transcript", "words", "metrics", "findings", "strengths", "score"):
        assert key in report
    for key in (
        "speech_start_s",
        "speech_end_s",
        "leading_silence_s",
        "trailing_silence_s",
        "pauses",
        "longest_pause_s",
        "wpm",
        "word_count",
        "filler_count",
        "fillers",
        "loudness_dbfs",
        "clipping_ratio",
        "snr_db",
        "pitch_median_hz",
        "pitch_variation_st",
        "phone_numbers",
        "introduction",
    ):
        assert key in report["metrics"], key
    assert set(report["words"][0]) >= {"text", "start", "end", "probability"}
    assert error == {"file": "notes.wav", "error": error["error"]}
    assert error["error"]["type"] == "not_audio"
    assert "notes.wav" in error["error"]["message"]
    # progress went to stderr, naming the file and the stage
    assert "good_voicemail.wav: transcribe" in result.stderr
    assert "Traceback" not in result.stderr


def test_rep_options_reach_the_report():
    result = coach(
        "analyze",
        str(SAMPLES / "good_voicemail.wav"),
        "--format",
        "json",
        "--rep-name",
        "Marcus",
        "--rep-number",
        "415-555-0192",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rep"] == {"name": "Marcus", "company": "", "number": "415-555-0192", "email": ""}
    bad = coach("analyze", str(SAMPLES / "good_voicemail.wav"), "--rep-number", "12")
    assert bad.returncode == 1 and "--rep-number must be a phone number" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_text_report_for_a_person():
    result = coach("analyze", str(SAMPLES / "no_callback_number.wav"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "no_callback_number.wav: score" in out
    assert "Transcript" in out and "VM501" in out
    assert "Callback number: none said" in out


def test_usage_errors_exit_2():
    assert coach("analyze").returncode == 2
    assert coach("analyze", "x.wav", "--format", "xml").returncode == 2


def test_missing_file_is_reported_not_crashed():
    result = coach("analyze", "does-not-exist.wav", "--format", "json")
    assert result.returncode == 1
    error = json.loads(result.stdout)["error"]
    assert error["type"] == "file_not_found" and "does-not-exist.wav" in error["message"]
