"""The whole path holds: bad input and fuzzed files through the real ``coach analyze --format json``.

One subprocess, the real Whisper model, every refused kind of the corpus,
the analysable kinds the issue named, and a dozen fuzzed files (the same
strategies as tests/unit/test_fuzz_decode.py, fixed seed). For each file:
exactly one JSON line, in order, naming it; no traceback; the corpus kinds
give what they must, and each fuzzed file gives the line the per-file path
gave in process (the same error, or a report of the same length).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from coach.audio.decode import display_name
from coach.cli.analyze import analyse_file
from coach.config import load_config
from coach.pipeline import Analyzer
from factories.bad_input import BadInput, build_corpus
from factories.fuzz import Case, cases
from factories.paths import ROOT

FUZZED = 12
#: Analysable kinds run through Whisper too (the others of the corpus are refused before it).
ANALYSED = {
    "MP3 without its Xing frame",
    "MP3 whose Xing frame count is damaged",
    "float WAV with one NaN sample",
    "WAV data size 0",
    "WAV data size declaring 2 s of 21.75 s",
    "hostile HTML name",
    "name starting with a dash",
    "name that is not UTF-8",
}


def fuzzed_cases(n: int) -> list[Case]:
    found: list[Case] = []

    @settings(max_examples=n, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=cases())
    def collect(case: Case) -> None:
        found.append(case)

    collect()
    return found[:n]


def test_bad_and_fuzzed_files_through_the_real_cli(tmp_path: Path) -> None:
    corpus = [
        item
        for item in build_corpus(tmp_path / "corpus", include_long=False)
        if item.error is not None or item.kind in ANALYSED
    ]
    assert {item.kind for item in corpus} >= ANALYSED
    fuzz_dir = tmp_path / "fuzzed"
    fuzz_dir.mkdir()
    fuzzed: list[Path] = []
    for i, case in enumerate(fuzzed_cases(FUZZED)):
        path = fuzz_dir / f"fuzzed-{i:02d}{case.ext}"
        path.write_bytes(case.data)
        fuzzed.append(path)
    assert len(fuzzed) == FUZZED

    files = [item.path for item in corpus] + fuzzed
    env = {**os.environ, "COACH_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "coach", "analyze", "--format", "json", "--", *map(os.fsdecode, files)],
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=1800,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr[-4000:]
    assert result.returncode == 1
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(files), stderr[-4000:]
    out = [json.loads(line) for line in lines]
    assert [d["file"] for d in out] == [display_name(f) for f in files]

    for item, data in zip(corpus, out, strict=False):
        _check_corpus_line(item, data)

    analyzer = Analyzer("tiny.en", load_config(ROOT / "coach" / "defaults.toml"))
    for path, data in zip(fuzzed, out[len(corpus) :], strict=True):
        alone = analyse_file(analyzer, path, measure_only=True)
        if alone.error is not None:
            assert data == {"file": path.name, "error": alone.error.to_dict()}
        elif "error" in data:
            assert data["error"]["type"] == "no_speech", data  # Whisper heard no words in a mangled file
        else:
            assert data["duration_s"] == pytest.approx(alone.measured_s, abs=1e-6)
            assert data["score"]["value"] >= 0


def _check_corpus_line(item: BadInput, data: dict) -> None:
    if item.error is not None:
        assert data.get("error", {}).get("type") == item.error, (item.kind, data)
        return
    assert "error" not in data, (item.kind, data)
    assert data["duration_s"] == pytest.approx(item.length_s, abs=0.1), item.kind
    assert data["transcript"], item.kind
