"""Shared fixtures and markers: paths to the samples and the real-speech set, one Analyzer per session.

Tests under ``tests/unit`` are pure and fast (``make test-fast`` runs them
alone in seconds); tests under ``tests/integration`` use real Whisper weights,
a real browser, the microphone path or the real-speech recordings. Each gets
its folder's marker, so ``pytest -m unit`` / ``-m integration`` select them.
"""

from __future__ import annotations

import csv
import json
import os

import pytest

from factories.paths import REALSPEECH, ROOT, SAMPLES

os.environ.setdefault("COACH_DATA_DIR", str(ROOT / ".cache" / "test-data"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        kind = "integration" if "integration" in item.path.parts else "unit"
        item.add_marker(getattr(pytest.mark, kind))


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


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway PostgreSQL cluster for the whole run (Debian's ``postgresql`` package; skipped without it)."""
    from factories.postgres import Cluster, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql package)")
    cluster = Cluster(bin_dir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request) -> str | None:
    """The history's database for a test of the store: None (the SQLite default) or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_cluster").new_database()
