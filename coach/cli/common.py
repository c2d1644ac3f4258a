"""What the sub-commands share: exit statuses, and the options and helpers of those that analyse a take."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import ConfigError

if TYPE_CHECKING:
    from coach.config import Config

#: Exit statuses of every ``coach`` command.
EXIT_OK = 0
#: Something the user can act on went wrong (a file could not be analysed, a bad setting).
EXIT_FAILED = 1
#: ``coach script lint`` found a problem at or above ``--fail-on`` (a linter's "found something").
EXIT_PROBLEMS = 1
#: The command line itself is wrong (argparse uses 2 as well).
EXIT_USAGE = 2
#: Stopped with Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130


def add_analysis_options(parser: argparse.ArgumentParser) -> None:
    """--model, --config, --prospect, --script and --rep-*, worded the same everywhere."""
    parser.add_argument(
        "--model",
        default=None,
        metavar="NAME",
        help="Whisper model: fast (tiny.en, the default), accurate (the one that coaches best: tiny.en), base, or a checkpoint path",
    )
    parser.add_argument(
        "--config", default=None, metavar="PATH", help="settings file (default: coach.toml in the working directory)"
    )
    parser.add_argument("--prospect", default=None, metavar="NAME", help="the prospect's name, to check you said it")
    parser.add_argument(
        "--script", default=None, metavar="FILE", help="your script, to see what you skipped or changed"
    )
    add_rep_options(parser)


def add_rep_options(parser: argparse.ArgumentParser) -> None:
    """--rep-name, --rep-company, --rep-number, --rep-email: the ``[rep]`` settings for one run."""
    rep = parser.add_argument_group("your details (override [rep] in the settings)")
    for key, example in REP_OPTIONS.items():
        # --rep is --rep-name: the rep a take belongs to is the profile's name (one concept).
        flags = [f"--rep-{key}", "--rep"] if key == "name" else [f"--rep-{key}"]
        rep.add_argument(*flags, default=None, metavar=key.upper(), help=f'your {key}, e.g. "{example}"')


#: The ``--rep-*`` options, one per ``[rep]`` setting, with an example value for --help.
REP_OPTIONS = {"name": "Sam Lee", "company": "Acme", "number": "415-555-0192", "email": "sam@acme.com"}


def analysis_config(args: argparse.Namespace) -> Config:
    """The settings for a command that analyses: ``--config`` (or ./coach.toml), then ``--rep-*``."""
    from coach.config import load_config, overlay_rep

    config = load_config(args.config)
    given = {key: getattr(args, f"rep_{key}", None) for key in REP_OPTIONS}
    if not any(v is not None for v in given.values()):
        return config
    return replace(config, rep=overlay_rep(config.rep, given, label="command line", prefix="--rep-"))


def read_script(path: str | None) -> str | None:
    """The text of ``--script FILE``, or None; a clear error when it cannot be read."""
    if path is None:
        return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the script file {path}: {exc}. Give a plain-text file.") from exc
