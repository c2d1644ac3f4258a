#!/usr/bin/env python3
"""Write the README's rule catalogue from the catalogue and the shipped defaults.

    python scripts/gen_rule_docs.py                 # rewrite README.md's catalogue region
    python scripts/gen_rule_docs.py path/README.md  # ... of another file
    python scripts/gen_rule_docs.py --check         # exit 1 if README.md is out of date (CI)
    python scripts/gen_rule_docs.py --print         # print the section only

The region is the text between the lines ``<!-- rules:start -->`` and
``<!-- rules:end -->``; everything else in the file is left as it is. The
section is rendered by :func:`coach.rules.docs.render_markdown` with the
defaults only (never a local coach.toml), so it reads the same everywhere.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the README's rule catalogue section.")
    parser.add_argument(
        "readme",
        nargs="?",
        default=str(REPO / "README.md"),
        help="the README to update (default: README.md of this checkout)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if the README's section is out of date"
    )
    mode.add_argument("--print", action="store_true", help="print the section to stdout and change nothing")
    args = parser.parse_args(argv)

    from coach.config import default_config
    from coach.errors import CoachError
    from coach.rules import docs

    defaults = default_config()
    if args.print:
        sys.stdout.write(docs.render_markdown(defaults))
        return 0
    try:
        current = docs.update_readme(args.readme, defaults, check=args.check)
    except CoachError as exc:
        print(f"gen_rule_docs: {exc}", file=sys.stderr)
        return 2
    if current:
        print(f"{args.readme}: rule catalogue is up to date")
        return 0
    if args.check:
        print(
            f"{args.readme}: rule catalogue is out of date; run python scripts/gen_rule_docs.py",
            file=sys.stderr,
        )
        return 1
    print(f"{args.readme}: rule catalogue rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
