"""VM8xx script: how far the take strays from the script it was practising.

The comparison is :func:`coach.text.script_diff.compare_script`: the share of the
script's words substituted or skipped (words added do not count against it).
"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote
from coach.text.script_diff import CHANGED, SKIPPED, ScriptDiff, compare_script


def script_diff(report: Report, ctx: Context) -> ScriptDiff | None:
    """The diff of the take against the script, or None without a script."""
    if not ctx.script:
        return None
    return compare_script(ctx.script, report.transcript or "")


def off_script(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    diff = script_diff(report, ctx)
    if diff is None:
        return []
    percent = 100.0 * diff.changed_ratio
    limit = s["max_changed_percent"]
    if percent <= limit:
        return []
    missed = [op for op in diff.ops if op.op in (SKIPPED, CHANGED) and op.script.strip()]
    parts = [
        f"skipped {quote(op.script, 60)}" if op.op == SKIPPED else f"{quote(op.script, 40)} became {quote(op.said, 40)}"
        for op in missed[:4]
    ]
    fix = "Rehearse the parts you changed or skipped, read the script aloud twice, then record again."
    if parts:
        fix += " Start with: " + "; ".join(parts) + "."
    return [
        finding(
            "VM801",
            s,
            f"{num(percent, 0, unlike=limit)}% of the script's words were changed or skipped (limit {num(limit, 0)}%)",
            fix,
            evidence=(f"{diff.substitutions} changed and {diff.deletions} skipped of {diff.script_words} script words"),
        )
    ]


CHECKS = {"VM801": off_script}
