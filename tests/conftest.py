"""Shared fixtures: paths to the samples and the real-speech set, one Analyzer per session."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_audio"
REALSPEECH = ROOT.parent / "shared" / "realspeech"

os.environ.setdefault("COACH_DATA_DIR", str(ROOT / ".cache" / "test-data"))


@pytest.fixture(scope="session")
def sample_manifest() -> list[dict]:
    return json.loads((SAMPLES / "manifest.json").read_text())


@pytest.fixture(scope="session")
def realspeech_rows() -> list[dict]:
    manifest = REALSPEECH / "manifest.csv"
    if not manifest.exists():
        pytest.skip(f"real-speech reference set not found at {REALSPEECH}")
    with open(manifest, newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def analyzer():
    """The default Analyzer (tiny.en, default rules), loaded once for the whole run."""
    from coach.config import load_config
    from coach.pipeline import Analyzer

    return Analyzer("tiny.en", load_config(ROOT / "coach" / "defaults.toml"))
