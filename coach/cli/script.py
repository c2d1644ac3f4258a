"""``coach script lint FILE...`` and ``coach script build``: check a script, or write one, before recording.

``lint`` judges each script with the rules that read words alone (the same
rules and settings that judge a recording; :mod:`coach.script.lint`) and
prints each finding like a linter, ``FILE:LINE:COLUMN: CODE name (severity)
message``, with its fix, then the estimated length. The exit status is
:data:`~coach.cli.common.EXIT_PROBLEMS` when a finding is at or above
``--fail-on`` (warning by default), :data:`~coach.cli.common.EXIT_FAILED`
when a file cannot be read, else 0.

``build`` fills the builder's variants with the options given (your name,
company and number from ``[rep]`` in the settings, or ``--rep-*``) and
prints each with its estimated length and its lint.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.cli.common import EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, add_rep_options, analysis_config
from coach.errors import CoachError, ScriptError

if TYPE_CHECKING:
    from coach.config import Config
    from coach.script.estimate import Estimate, Pace
    from coach.script.lint import ScriptLint

WIDTH = 88
#: ``--fail-on``'s choices, most severe first (the catalogue's severities).
FAIL_ON = ("error", "warning", "suggestion")
#: The builder's form as options: field key -> (option, metavar).
BUILD_OPTIONS = {
    "prospect": ("--prospect", "NAME"),
    "prospect_company": ("--prospect-company", "COMPANY"),
    "reason": ("--reason", "TEXT"),
    "question": ("--question", "TEXT"),
    "next_attempt": ("--next", "WHEN"),
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "script",
        help="check a script before you record it, or build one (coach script lint FILE)",
        description="Check a written voicemail script with the coach's rules, or build one from a few fields.",
    )
    sub = parser.add_subparsers(dest="script_command", metavar="ACTION")
    sub.required = True

    lint = sub.add_parser(
        "lint",
        help="check scripts with the rules that judge words",
        description=(
            "Check each script with the rules that judge the words alone (hedges, pitch phrases, "
            "me-focus, the question, the next step, the number, your name, the prospect's name, "
            "wordiness), with the same settings as a recording, and estimate how long it takes to say."
        ),
    )
    lint.add_argument("files", nargs="+", metavar="FILE", help='plain-text scripts ("-" reads standard input)')
    _shared(lint)
    lint.add_argument("--prospect", default=None, metavar="NAME", help="the prospect's name, to check you say it")
    lint.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="warning",
        help="exit 1 when a finding is this severe or more (default: warning)",
    )
    # Your name counts however it is written (VM701); a number that is not yours is an error (VM505).
    add_rep_options(lint)
    lint.set_defaults(func=run_lint)

    build = sub.add_parser(
        "build",
        help="write a script from the prospect, the reason, a question and your next attempt",
        description=(
            "Write two or three scripts in the shape the rules reward (who you are, why them, one "
            "question, when you'll try next, your number twice), each with its estimated length "
            "and its lint. A field left out is written as a [blank] and named."
        ),
    )
    from coach.script.builder import fields

    spec = fields()
    for key, (option, metavar) in BUILD_OPTIONS.items():
        field = spec[key]
        build.add_argument(
            option, dest=key, default=None, metavar=metavar, help=f'{field.label.lower()}, e.g. "{field.example}"'
        )
    add_rep_options(build)
    build.add_argument(
        "--variant", type=int, default=None, metavar="N", help="print only variant N (1, 2, ...; default: all)"
    )
    _shared(build)
    build.set_defaults(func=run_build)


def _shared(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text for people (default), json")
    parser.add_argument(
        "--config", default=None, metavar="PATH", help="settings file (default: coach.toml in the working directory)"
    )
    parser.add_argument(
        "--wpm",
        type=float,
        default=None,
        metavar="N",
        help="time the script at N words a minute (default: your pace from the history, else [script] default_wpm)",
    )


def _pace(args: argparse.Namespace, config: Config) -> Pace:
    from coach.script.estimate import Pace, saved_pace

    if args.wpm is not None:
        if not args.wpm > 0:
            raise ScriptError(f"--wpm must be a number of words a minute above 0, got {args.wpm:g}")
        return Pace(args.wpm)
    return saved_pace(config)


def read_text(path: str) -> str:
    """A script file's text ("-": standard input); a clear error when it cannot be used."""
    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ScriptError(f"{path}: is not a UTF-8 text file; save the script as plain text") from None
        except IsADirectoryError:
            raise ScriptError(f"{path}: is a folder; give the script's file") from None
        except FileNotFoundError:
            raise ScriptError(f"{path}: file not found; check the path") from None
        except OSError as exc:
            raise ScriptError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not text.strip():
        raise ScriptError(f"{path}: the script is empty; write the message you plan to leave, then lint it")
    return text


# -- output ----------------------------------------------------------------------------------


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _estimate_dict(estimate: Estimate) -> dict[str, Any]:
    return {
        "seconds": round(estimate.seconds, 1),
        "status": estimate.status,
        "wpm": round(estimate.pace.wpm, 1),
        "pace_takes": estimate.pace.takes,
        "digits_per_s": estimate.digits_per_s,
        "min_s": estimate.min_s,
        "max_s": estimate.max_s,
    }


def lint_dict(result: ScriptLint) -> dict[str, Any]:
    """The JSON form of one script's lint (``findings`` in the report's order, each with its marks)."""
    findings = []
    for index, finding in enumerate(result.findings):
        marks = []
        for mark in result.marks_of(index):
            start, end = result.position(mark.start), result.position(mark.end)
            marks.append(
                {
                    "start": mark.start,
                    "end": mark.end,
                    "line": start.line,
                    "column": start.column,
                    "end_line": end.line,
                    "end_column": end.column,
                    "text": result.text[mark.start : mark.end],
                }
            )
        findings.append(
            {
                "code": finding.code,
                "name": finding.name,
                "severity": finding.severity,
                "message": finding.message,
                "fix": finding.fix,
                "evidence": finding.evidence,
                "line": marks[0]["line"] if marks else None,
                "column": marks[0]["column"] if marks else None,
                "marks": marks,
            }
        )
    return {"findings": findings, "estimate": _estimate_dict(result.estimate)}


def lint_lines(name: str, result: ScriptLint) -> list[str]:
    """One script's lint for a terminal: a line per finding, its fix, then the estimated length."""
    lines = []
    for index, finding in enumerate(result.findings):
        marks = result.marks_of(index)
        where = ""
        if marks:
            p = result.position(marks[0].start)
            where = f"{p.line}:{p.column}:"
        lines.append(f"{name}:{where} {finding.code} {finding.name} ({finding.severity}) {finding.message}")
        lines.append(_wrap(f"fix: {finding.fix}"))
    counts = {s: sum(f.severity == s for f in result.findings) for s in FAIL_ON}
    if result.findings:
        parts = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
        lines.append(f"{name}: {len(result.findings)} to fix ({parts}). {result.estimate.describe()}")
    else:
        lines.append(f"{name}: clean. {result.estimate.describe()}")
    return lines


def _fails(result: ScriptLint, fail_on: str) -> bool:
    worst = result.worst()
    return worst is not None and FAIL_ON.index(worst) <= FAIL_ON.index(fail_on)


# -- lint -------------------------------------------------------------------------------------


def run_lint(args: argparse.Namespace) -> int:
    from coach.script.lint import lint_script

    config = analysis_config(args)
    pace = _pace(args, config)
    status = EXIT_OK
    for path in args.files:
        name = "<stdin>" if path == "-" else path
        try:
            text = read_text(path)
        except CoachError as exc:
            if args.format == "json":
                print(json.dumps({"file": name, "error": exc.to_dict()}, ensure_ascii=False), flush=True)
            else:
                print(f"coach: {exc}", file=sys.stderr, flush=True)
            status = EXIT_FAILED
            continue
        result = lint_script(text, config, pace=pace, prospect=args.prospect, rep=config.rep, name=name)
        if args.format == "json":
            print(json.dumps({"file": name, **lint_dict(result)}, ensure_ascii=False), flush=True)
        else:
            print("\n".join(lint_lines(name, result)), flush=True)
        if status == EXIT_OK and _fails(result, args.fail_on):
            status = EXIT_PROBLEMS
    return status


# -- build ------------------------------------------------------------------------------------


def run_build(args: argparse.Namespace) -> int:
    from coach.script.builder import ScriptInputs, build, fields, missing
    from coach.script.lint import lint_script

    config = analysis_config(args)
    form = {key: getattr(args, key) or "" for key in BUILD_OPTIONS}
    inputs = ScriptInputs.with_profile(config.rep, **form)
    scripts = build(inputs)
    if args.variant is not None and not 1 <= args.variant <= len(scripts):
        raise ScriptError(f"--variant must be between 1 and {len(scripts)}, got {args.variant}")
    chosen = [(i, s) for i, s in enumerate(scripts, start=1) if args.variant in (None, i)]
    pace = _pace(args, config)
    spec = fields()
    gaps = missing(inputs)
    if args.format == "json":
        variants = []
        for i, script in chosen:
            result = lint_script(script.text, config, pace=pace, prospect=inputs.prospect or None)
            variants.append(
                {"variant": i, "name": script.name, "text": script.text, "blanks": list(script.blanks)}
                | lint_dict(result)
            )
        print(json.dumps({"missing": gaps, "variants": variants}, ensure_ascii=False))
        return EXIT_OK
    out = []
    if gaps:
        named = ", ".join(
            f"{spec[k].label.lower()} ({BUILD_OPTIONS[k][0] if k in BUILD_OPTIONS else _rep(k)})" for k in gaps
        )
        out += [_wrap(f"Missing: {named}. Each is a [blank] in the script below.", ""), ""]
    for i, script in chosen:
        result = lint_script(script.text, config, pace=pace, prospect=inputs.prospect or None)
        out.append(f"Variant {i}: {script.name}")
        out += ["    " + line for line in script.text.splitlines()]
        out += lint_lines(f"variant {i}", result)
        out.append("")
    print("\n".join(out).rstrip())
    return EXIT_OK


def _rep(key: str) -> str:
    """The ``--rep-*`` option (and the setting) that gives a rep field of the form."""
    option = {"rep_name": "name", "rep_company": "company", "number": "number"}[key]
    return f"--rep-{option} or [rep] {option}"
