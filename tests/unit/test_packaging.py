"""The declared Python floor is the one the code, the linters and the set-up agree on."""

from __future__ import annotations

import ast
import re
import sys
import tomllib

from factories.paths import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _floor() -> tuple[int, int]:
    spec = PYPROJECT["project"]["requires-python"]
    match = re.fullmatch(r">=\s*3\.(\d+)", spec)
    assert match, f"requires-python should be a plain floor like '>=3.11', got {spec!r}"
    return 3, int(match.group(1))


def test_linters_target_the_declared_floor():
    major, minor = _floor()
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py{major}{minor}"
    assert PYPROJECT["tool"]["mypy"]["python_version"] == f"{major}.{minor}"


def test_setup_prefers_the_floor_interpreter():
    """scripts/setup.sh tries python3.<floor> first, so CI runs the suite on the declared floor."""
    major, minor = _floor()
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    candidates = re.search(r"for candidate in ([^;]+);", setup)
    assert candidates, "scripts/setup.sh no longer lists interpreter candidates"
    assert candidates.group(1).split()[0] == f"python{major}.{minor}"


def test_running_interpreter_meets_the_floor():
    assert sys.version_info[:2] >= _floor()


def test_every_module_parses_with_the_floor_grammar():
    """No syntax newer than the floor (PEP 695 generics, `type` statements...) in the package or app."""
    floor = _floor()
    files = [*sorted((ROOT / "coach").rglob("*.py")), ROOT / "app.py"]
    for path in files:
        ast.parse(path.read_text(), filename=str(path), feature_version=floor)


def test_tomllib_needs_the_floor():
    """config.py reads TOML with the standard library's tomllib, which arrived in 3.11."""
    assert _floor() >= (3, 11)
    assert "import tomllib" in (ROOT / "coach" / "config.py").read_text()
