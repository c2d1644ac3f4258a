"""Options and helpers shared by the sub-commands that analyse a take (analyze, record)."""

from __future__ import annotations

import argparse
from pathlib import Path

from coach.errors import ConfigError


def add_analysis_options(parser: argparse.ArgumentParser) -> None:
    """--model, --config, --prospect and --script, worded the same everywhere."""
    parser.add_argument(
        "--model", default=None, metavar="NAME", help="Whisper model: tiny.en (default), base, or a checkpoint path"
    )
    parser.add_argument(
        "--config", default=None, metavar="PATH", help="settings file (default: coach.toml in the working directory)"
    )
    parser.add_argument("--prospect", default=None, metavar="NAME", help="the prospect's name, to check you said it")
    parser.add_argument(
        "--script", default=None, metavar="FILE", help="your script, to see what you skipped or changed"
    )


def read_script(path: str | None) -> str | None:
    """The text of ``--script FILE``, or None; a clear error when it cannot be read."""
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the script file {path}: {exc}. Give a plain-text file.") from exc
