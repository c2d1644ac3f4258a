"""``coach rules [CODE]``: the rule catalogue, or one rule explained with its settings.

Values shown are those in force: the defaults laid under ``coach.toml`` in
the working directory, or under ``--config PATH``.
"""

from __future__ import annotations

import argparse
import sys

from coach.cli.common import EXIT_OK, EXIT_USAGE


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "rules",
        help="list the rules, or explain one (coach rules VM401)",
        description=(
            "Without CODE, list every rule: code, name, severity and what fires it. With CODE "
            "(or a rule name), explain that rule: what it checks, why it matters for a voicemail, "
            "an example, the fix, and its settings with their current values."
        ),
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="a rule code such as VM401, or a name such as too-long")
    parser.add_argument(
        "--config", default=None, metavar="PATH", help="settings file (default: coach.toml in the working directory)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from coach.config import closest_rule, did_you_mean, load_config
    from coach.rules import docs
    from coach.rules.catalogue import CODES, find_rule

    config = load_config(args.config)
    if not args.code:
        sys.stdout.write(docs.render_list(config))
        return EXIT_OK
    info = find_rule(args.code)
    if info is None:
        wanted = args.code.strip()
        near = closest_rule(wanted)
        hint = did_you_mean(f"{near.code} ({near.name})" if near else None) or "."
        print(
            f"coach: unknown rule '{wanted}'{hint} Codes run from {CODES[0]} to {CODES[-1]}: "
            "`coach rules` lists them all.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    sys.stdout.write(docs.render_rule(info, config))
    return EXIT_OK
