"""``coach models``: which Whisper models are ready offline; ``--prepare`` converts them now."""

from __future__ import annotations

import argparse

from coach.analysis.models import SETTINGS, SOURCES, checkpoint_path, ensure_checkpoint, resolve_name
from coach.cli.common import EXIT_OK
from coach.errors import ModelError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list or prepare the offline Whisper models",
        description="List the bundled Whisper models; --prepare converts their weights into models/ now "
        "(otherwise this happens on first use).",
    )
    parser.add_argument(
        "--prepare", nargs="*", metavar="NAME", default=None, help="convert these models (default: tiny.en)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.prepare is not None:
        for name in args.prepare or ["tiny.en"]:
            print(f"{name}: ready at {ensure_checkpoint(resolve_name(name))}")
        return EXIT_OK
    for name, source in SOURCES.items():
        path = checkpoint_path(name)
        if path.exists():
            state = f"ready ({path})"
        else:
            try:
                from coach.analysis.models import source_files

                source_files(source)
                state = "weights installed, converted on first use"
            except ModelError:
                state = f"not installed: {source.install_hint}"
        settings = [k for k, v in SETTINGS.items() if v == name]
        also = f"  (--model {' or '.join(settings)})" if settings else ""
        print(f"{name:8s} {state}{also}")
    return EXIT_OK
