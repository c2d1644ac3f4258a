"""Fixtures of the integration tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder for the app's history, and the test's own working directory (for coach.toml)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder
