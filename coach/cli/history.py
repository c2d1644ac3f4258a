"""``coach history``: the takes kept in the history, and an explicit clean-up of stray recordings."""

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


def run_list(args: argparse.Namespace) -> int:
    from coach.history.store import History

    takes = History().list_takes()
    if not takes:
        print("No takes kept yet.")
    for t in takes:
        score = "-" if t.score is None else str(t.score)
        print(f"#{t.id:<5} {t.created_at:%Y-%m-%d %H:%M}  score {score:>3}  {length(t.duration_s):>8}  {t.file_name}")
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
