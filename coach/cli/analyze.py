"""``coach analyze FILE...``: a report per recording, as text or JSON lines.

Progress (which file, which stage) goes to stderr so that ``--format json``
output on stdout stays one clean JSON object per line. A file that cannot be
analysed yields ``{"file": ..., "error": {"type": ..., "message": ...}}`` and
the other files are still analysed; the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from coach.cli.common import EXIT_FAILED, EXIT_OK, add_analysis_options, analysis_config, read_script
from coach.errors import CoachError


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse voicemail recordings",
        description="Transcribe and measure each recording, then list what to fix and what went well.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="audio files (WAV, MP3, M4A, OGG, FLAC, WebM, Opus)")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default), json: one object per line",
    )
    add_analysis_options(parser)
    parser.add_argument("--save", action="store_true", help="also keep each take in the history the app shows")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


def _progress_line(log: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    """A progress callback that logs ``prefix: stage...``."""
    return lambda stage: log(f"{prefix}: {stage}...")


def run(args: argparse.Namespace) -> int:
    from coach.pipeline import Analyzer

    config = analysis_config(args)
    script = read_script(args.script)
    analyzer = Analyzer(args.model, config)
    history = None
    if args.save:
        from coach.history.store import History

        history = History()

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    failed = 0
    total = len(args.files)
    for index, file in enumerate(args.files, start=1):
        name = Path(file).name
        try:
            report = analyzer.analyze(
                file,
                prospect=args.prospect,
                script=script,
                progress=_progress_line(log, f"[{index}/{total}] {name}"),
            )
        except CoachError as exc:
            failed += 1
            log(f"[{index}/{total}] {name}: failed: {exc}")
            if args.format == "json":
                print(json.dumps({"file": name, "error": exc.to_dict()}), flush=True)
            else:
                print(f"{name}: cannot analyse: {exc}\n", flush=True)
            continue
        if history is not None:
            history.save_take(file, report, source="cli", context={"prospect": args.prospect, "script": script})
        if args.format == "json":
            print(report.to_json(), flush=True)
        else:
            from coach.cli.text_report import render

            print(render(report) + "\n", flush=True)
    return EXIT_FAILED if failed else EXIT_OK
