"""The ``coach`` command line: one sub-command module each, registered here.

Each module of this package (``analyze``, ``rules``, ``record``, ``models``, ``history``) exposes ``register(subparsers)``, which adds its
parser and sets ``func=run`` where ``run(args) -> int`` is the exit status.
Errors the user can act on (:class:`coach.errors.CoachError`) are printed
without a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coach import __version__
from coach.cli.common import EXIT_FAILED, EXIT_INTERRUPTED
from coach.errors import CoachError


def build_parser() -> argparse.ArgumentParser:
    from coach.cli import analyze as cli_analyze
    from coach.cli import history as cli_history
    from coach.cli import models as cli_models
    from coach.cli import record as cli_record
    from coach.cli import rules as cli_rules

    parser = argparse.ArgumentParser(
        prog="coach",
        description="Voicemail Coach: analyse practice voicemails and say how to make them better.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for module in (cli_analyze, cli_rules, cli_record, cli_models, cli_history):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CoachError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("coach: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
