"""``coach batch PATH...``: a team's recordings (files, folders, ZIP archives) into the history, in parallel.

A progress bar (tqdm) on stderr with the count, the file just finished and
the time left; then a table per rep on stdout (takes, average score, passed,
the most common finding). Recordings already in the history (same bytes) are
skipped, so a batch that was stopped resumes where it stopped; ``--force``
analyses them again. A file that fails is listed with its reason and the
others go on; the exit status is 1 if any failed. ``--scheduler tcp://HOST:8786``
sends the recordings to a Dask cluster (docs/deploy.md) instead of this machine's cores.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from coach.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, add_analysis_options, analysis_config, read_script
from coach.clock import length

if TYPE_CHECKING:
    from coach.batch import BatchOutcome
    from coach.config import Config
    from coach.history.store import History


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="analyse a team's recordings into the history",
        description="Analyse every recording in the files, folders (searched recursively) and ZIP archives given, "
        "keep each in the history the app's Review tab shows, and print a summary per rep. The rep of each "
        "recording comes from --reps, else --rep-from, else its folder (team/alex/take1.wav is alex's), else "
        "--rep-name. Recordings already in the history are skipped (--force analyses them again).",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="audio files, folders or .zip archives")
    whose = parser.add_mutually_exclusive_group()
    whose.add_argument(
        "--rep-from",
        metavar="PATTERN",
        help='file-name pattern with {rep}, e.g. "{rep}_*.wav" (a / in it matches the path inside the folder)',
    )
    whose.add_argument("--reps", metavar="FILE.csv", help="CSV with the columns file and rep (file name or path)")
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N", help="files analysed at once (default: one per core)"
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="also export this batch's takes: .csv (a row per take), .json, .html (team report)",
    )
    parser.add_argument("--force", action="store_true", help="analyse recordings already in the history again")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="analyse on a Dask cluster (e.g. tcp://HOST:8786); the results go into this machine's history "
        "($COACH_DATABASE_URL for a team's). Default: worker processes on this machine",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    add_analysis_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.batch import RepRules, read_rep_mapping, run_batch
    from coach.history.store import History

    if args.workers is not None and args.workers < 1:
        print("coach batch: --workers must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    config = analysis_config(args)
    mapping = read_rep_mapping(args.reps) if args.reps else None
    rules = RepRules(pattern=args.rep_from, mapping=mapping, default=config.rep.name)
    script = read_script(args.script)
    history = History()
    bar = _Bar(quiet=args.quiet)
    try:
        outcome = run_batch(
            args.paths, history, config, rules=rules, workers=args.workers, model=args.model, force=args.force,
            progress=bar.update, prospect=args.prospect, script=script, scheduler=args.scheduler,
        )  # fmt: skip
    finally:
        bar.close()
    _summary(outcome, history, config)
    if args.out:
        from coach.history.export import export
        from coach.history.review import judge_all

        kind = export(judge_all(history.load_takes(outcome.take_ids), config), config, args.out)
        print(f"Wrote the {kind.upper()} export of {len(outcome.take_ids)} takes to {args.out}.")
    return EXIT_FAILED if outcome.failed else EXIT_OK


class _Bar:
    """tqdm on stderr: count, the file just finished, rate and time left."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self._bar: Any = None

    def update(self, done: int, total: int, result) -> None:
        if self.quiet:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
        if result is not None:
            name = result.item.name
            self._bar.set_postfix_str(f"{result.status}: {name[-40:]}", refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _summary(outcome: BatchOutcome, history: History, config: Config) -> None:
    from coach.history.review import judge_all, rep_summaries, title

    counts = ", ".join(
        f"{n} {label}"
        for n, label in (
            (outcome.count("analysed"), "analysed"),
            (outcome.count("skipped"), "already in the history"),
            (outcome.count("duplicate"), "duplicates"),
            (len(outcome.failed), "failed"),
        )
        if n
    )
    total = len(outcome.results) + len(outcome.failures)
    print(f"{total} recording{'s' if total != 1 else ''}: {counts or 'nothing to do'} ({length(outcome.seconds)}).")
    if outcome.ignored:
        print(f"{outcome.ignored} file(s) in the folders were not audio and were left out.")
    summaries = rep_summaries(judge_all(history.load_takes(outcome.take_ids), config))
    if summaries:
        print()
        header = f"{'Rep':<24} {'Takes':>5} {'Average':>7} {'Passed':>7}  Most common finding"
        print(header)
        print("-" * len(header))
        for s in summaries:
            main = s.main_problem
            common = f"{main.code} {title(main.name)} ({main.takes} of {s.takes})" if main else "-"
            print(f"{s.rep[:24]:<24} {s.takes:>5} {s.average:>7.0f} {f'{s.passed}/{s.takes}':>7}  {common}")
    if outcome.failed:
        print("\nNot analysed:", file=sys.stderr)
        for name, error in outcome.failed:
            print(f"  {name}: {error}", file=sys.stderr)
