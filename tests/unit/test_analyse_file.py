"""coach.cli.analyze.analyse_file: one file's outcome as one JSON line, whatever happens to it."""

from __future__ import annotations

import json
from pathlib import Path

from coach.cli.analyze import FileResult, analyse_file
from coach.config import load_config
from coach.errors import HistoryError
from coach.pipeline import Analyzer
from factories.paths import ROOT, SAMPLES


class _BrokenAnalyzer(Analyzer):
    """An analyzer with a bug in it: the per-file function must contain the damage to that file."""

    def measure(self, path, *, name=None, stage=None):
        raise ZeroDivisionError("division by zero")


def _analyzer(cls=Analyzer) -> Analyzer:
    return cls("tiny.en", load_config(ROOT / "coach" / "defaults.toml"))


def test_a_bug_is_that_files_internal_error_not_a_traceback() -> None:
    result = analyse_file(_analyzer(_BrokenAnalyzer), SAMPLES / "good_voicemail.wav", measure_only=True)
    data = json.loads(result.json_line())
    assert data["file"] == "good_voicemail.wav"
    assert data["error"]["type"] == "internal_error"
    assert "ZeroDivisionError" in data["error"]["message"] and "bug" in data["error"]["message"]


def test_measuring_gives_the_analysed_length(tmp_path: Path) -> None:
    result = analyse_file(_analyzer(), SAMPLES / "good_voicemail.wav", measure_only=True)
    assert result.ok and result.measured_s is not None and abs(result.measured_s - 21.754) < 0.001
    assert json.loads(result.json_line()) == {"file": "good_voicemail.wav", "duration_s": result.measured_s}


def test_a_save_error_travels_with_the_line() -> None:
    result = FileResult("take.wav", measured_s=3.0, save_error=HistoryError("the disk is full"))
    assert not result.ok
    assert json.loads(result.json_line())["save_error"] == {"type": "history_error", "message": "the disk is full"}
