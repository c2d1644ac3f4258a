"""``coach analyze FILE...``: a report per recording, as text or JSON lines.

Progress (which file, which stage) goes to stderr so that ``--format json``
output on stdout stays one clean JSON object per line. Each file succeeds or
fails on its own (:func:`analyse_file`): a file that cannot be analysed
yields ``{"file": ..., "error": {"type": ..., "message": ...}}`` and the
other files are still analysed. With ``--save``, a take that cannot be kept
in the history still prints its report, with ``"save_error": {...}``, and
the batch goes on. The exit status is 1 if any file failed or was not saved.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.audio.decode import display_name as shown_name
from coach.cli.common import EXIT_FAILED, EXIT_OK, add_analysis_options, analysis_config, read_script
from coach.errors import CoachError, HistoryError, InternalError

if TYPE_CHECKING:
    from coach.history.store import History
    from coach.pipeline import Analyzer
    from coach.report import Report, RepProfile


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
    parser.add_argument(
        "--email",
        action="store_true",
        help='also print the follow-up e-mail to send after the voicemail (always in --format json as "email")',
    )
    parser.add_argument("--save", action="store_true", help="also keep each take in the history the app shows")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    parser.set_defaults(func=run)


@dataclass
class FileResult:
    """What became of one file: a report (or, measuring only, its length) or a typed error."""

    name: str
    report: Report | None = None
    measured_s: float | None = None
    error: CoachError | None = None
    save_error: CoachError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.save_error is None

    def json_line(self) -> str:
        """The one line ``coach analyze --format json`` prints for this file."""
        if self.error is not None:
            return json.dumps({"file": self.name, "error": self.error.to_dict()})
        data: dict[str, Any]
        if self.report is not None:
            data = self.report.to_dict()
        else:
            data = {"file": self.name, "duration_s": self.measured_s}
        if self.save_error is not None:
            data["save_error"] = self.save_error.to_dict()
        return json.dumps(data, ensure_ascii=False)


def analyse_file(
    analyzer: Analyzer,
    file: str | Path,
    *,
    prospect: str | None = None,
    script: str | None = None,
    progress: Callable[[str], None] | None = None,
    measure_only: bool = False,
    rep: RepProfile | None = None,
    display_name: str | None = None,
) -> FileResult:
    """Analyse one file; never raises for anything that file can cause.

    A :class:`~coach.errors.CoachError` becomes the result's ``error``; any
    other exception is a bug, reported for this file alone as an
    ``internal_error`` so the rest of a batch still runs. ``measure_only``
    stops after decoding and the acoustic measurements (the stages the fuzz
    test drives), with ``measured_s`` the analysed length. ``rep``: the rep's
    profile for this take (default: the settings'); ``display_name``: the name
    to show (default: the file's).
    """
    name = display_name or shown_name(file)
    try:
        if measure_only:
            audio, _ = analyzer.measure(file, name=name)
            return FileResult(name, measured_s=audio.duration_s)
        report = analyzer.analyze(file, prospect=prospect, script=script, progress=progress, display_name=name, rep=rep)
        return FileResult(name, report=report)
    except CoachError as exc:
        return FileResult(name, error=exc)
    except Exception as exc:  # a bug: one file's failure must not stop the batch or print a traceback
        return FileResult(
            name,
            error=InternalError(
                f"{name}: the coach failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug in "
                "the coach, not a problem with your recording; please report it with the file."
            ),
        )


class _Saver:
    """Keeps takes in the history, opening it at the first save; a failure is that take's alone."""

    def __init__(self) -> None:
        self._history: History | None = None
        self._open_error: CoachError | None = None

    def save(self, file: str, report: Report, context: dict[str, Any]) -> CoachError | None:
        from coach.history.store import History

        if self._history is None and self._open_error is None:
            try:
                self._history = History()
            except CoachError as exc:
                self._open_error = exc
        if self._open_error is not None:
            return self._open_error
        assert self._history is not None
        try:
            self._history.save_take(file, report, source="cli", context=context)
        except CoachError as exc:
            return exc
        except OSError as exc:
            return HistoryError(f"Cannot keep the take in the history: {exc.strerror or exc}.")
        return None


def _progress_line(log: Callable[[str], None], prefix: str) -> Callable[[str], None]:
    """A progress callback that logs ``prefix: stage...``."""
    return lambda stage: log(f"{prefix}: {stage}...")


def run(args: argparse.Namespace) -> int:
    from coach.pipeline import Analyzer

    config = analysis_config(args)
    script = read_script(args.script)
    analyzer = Analyzer(args.model, config)
    saver = _Saver() if args.save else None

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    failed = 0
    total = len(args.files)
    load_told = False
    for index, file in enumerate(args.files, start=1):
        prefix = f"[{index}/{total}] {shown_name(file)}"
        result = analyse_file(
            analyzer, file, prospect=args.prospect, script=script, progress=_progress_line(log, prefix)
        )
        if not load_told and analyzer.model_load_s is not None:
            log(f"Whisper model {analyzer.model_name} loaded in {analyzer.model_load_s:.1f} s.")
            load_told = True
        if result.report is not None and saver is not None:
            result.save_error = saver.save(file, result.report, {"prospect": args.prospect, "script": script})
            if result.save_error is not None:
                log(f"{prefix}: analysed but not saved: {result.save_error}")
        if result.error is not None:
            log(f"{prefix}: failed: {result.error}")
        failed += not result.ok
        if args.format == "json":
            print(result.json_line(), flush=True)
        elif result.report is not None:
            from coach.cli.text_report import render, render_email

            saved = f"\n(not saved: {result.save_error})" if result.save_error is not None else ""
            email = "\n\n" + render_email(result.report) if args.email else ""
            print(render(result.report) + saved + email + "\n", flush=True)
        else:
            print(f"{result.name}: cannot analyse: {result.error}\n", flush=True)
    return EXIT_FAILED if failed else EXIT_OK
