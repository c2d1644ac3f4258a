"""``coach history``: the kept takes (list, export), re-scoring them with new settings, and an explicit
clean-up of stray recordings."""

from __future__ import annotations

import argparse

from coach.cli.common import EXIT_OK
from coach.clock import length


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list the kept takes, or clean up stray recordings",
        description="The take history the app shows (in $COACH_DATA_DIR, default data/).",
    )
    sub = parser.add_subparsers(dest="history_command", metavar="ACTION")
    sub.required = True
    listing = sub.add_parser("list", help="the kept takes, newest first")
    listing.set_defaults(func=run_list)
    clean = sub.add_parser(
        "clean",
        help="delete recordings that no history names",
        description="Delete recordings left without a take (a save cut off by a crash). A recording is kept when "
        "any history in the data folder names it, a damaged or moved-aside one included, or when it is "
        "younger than --grace-hours. Nothing else ever deletes a recording except deleting its take.",
    )
    clean.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    clean.add_argument(
        "--grace-hours", type=float, default=None, metavar="H", help="keep files younger than this (default 1)"
    )
    clean.set_defaults(func=run_clean)
    exporting = sub.add_parser(
        "export",
        help="the team's takes as CSV, JSON or an HTML team report",
        description="Export the kept takes with the trainer's notes, overrides, both scores and the verdict. "
        "The format follows the file's suffix: .csv (a row per take, every metric), .json (full reports), "
        ".html (a self-contained team report to e-mail or print to PDF).",
    )
    exporting.add_argument("--out", required=True, metavar="FILE", help="team.csv, team.json or team.html")
    exporting.add_argument("--rep", default=None, metavar="NAME", help='only this rep\'s takes ("unassigned" too)')
    exporting.add_argument("--config", default=None, metavar="PATH", help="settings file (pass mark, points)")
    exporting.set_defaults(func=run_export)
    rescoring = sub.add_parser(
        "rescore",
        help="apply the current settings to every kept take, without transcribing again",
        description="Run the rules with the settings (coach.toml or --config) over every stored report. Each "
        "take gets a new machine score; trainer notes, overrides and verdicts stay.",
    )
    rescoring.add_argument("--config", default=None, metavar="PATH", help="settings file (default: ./coach.toml)")
    rescoring.set_defaults(func=run_rescore)


def run_list(args: argparse.Namespace) -> int:
    from coach.history.store import History

    takes = History().list_takes()
    if not takes:
        print("No takes kept yet.")
    for t in takes:
        score = "-" if t.score is None else str(t.score)
        rep = (t.rep or "unassigned")[:20]
        print(
            f"#{t.id:<5} {t.created_at:%Y-%m-%d %H:%M}  score {score:>3}  {length(t.duration_s):>8}  {rep:<20}  "
            f"{t.file_name}"
        )
    return EXIT_OK


def run_clean(args: argparse.Namespace) -> int:
    from coach.history.store import ORPHAN_GRACE_S, History

    history = History()
    grace_s = ORPHAN_GRACE_S if args.grace_hours is None else max(0.0, args.grace_hours * 3600.0)
    removed = history.clean_orphans(grace_s=grace_s, dry_run=args.dry_run)
    verb = "Would delete" if args.dry_run else "Deleted"
    for path in removed:
        print(f"{verb} {path}")
    print(f"{verb} {len(removed)} stray recording(s) in {history.audio_dir}.")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from coach.config import load_config
    from coach.history.export import export
    from coach.history.review import UNASSIGNED, judge_all
    from coach.history.store import History

    config = load_config(args.config)
    takes = History().load_takes()
    if args.rep is not None:
        wanted = args.rep.strip()
        takes = [t for t in takes if (t.rep or UNASSIGNED) == wanted]
    kind = export(judge_all(takes, config), config, args.out)
    print(f"Wrote the {kind.upper()} export of {len(takes)} take(s) to {args.out}.")
    return EXIT_OK


def run_rescore(args: argparse.Namespace) -> int:
    from coach.config import load_config
    from coach.history.review import rescore
    from coach.history.store import History

    result = rescore(History(), load_config(args.config))
    print(
        f"Re-scored {result.takes} take(s) in {result.seconds:.1f} s: {result.changed} changed "
        f"(settings {result.fingerprint})."
    )
    return EXIT_OK
