"""VM8xx script: how far the take strays from the script it was practising.

The comparison is the report's ``script_diff`` (made at the text stage by
:func:`coach.text.script_diff.script_diff`): the share of the script's words
substituted or skipped (words added do not count against it).
"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote, text
from coach.text.script_diff import CHANGED, SKIPPED


def off_script(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    diff = report.script_diff
    if diff is None:
        return []
    percent = 100.0 * diff.changed_ratio
    limit = s["max_changed_percent"]
    if percent <= limit:
        return []
    missed = [op for op in diff.ops if op.op in (SKIPPED, CHANGED) and op.script.strip()]
    parts = [
        text(ctx, "VM801", "skipped", script=quote(op.script, 60))
        if op.op == SKIPPED
        else text(ctx, "VM801", "changed", script=quote(op.script, 40), said=quote(op.said, 40))
        for op in missed[:4]
    ]
    values = {
        "percent": num(percent, 0, unlike=limit),
        "parts": "; ".join(parts),
        "changed": diff.substitutions,
        "skipped": diff.deletions,
        "total": diff.script_words,
    }
    return [finding(ctx, "VM801", values, details=("start",) if parts else ())]


CHECKS = {"VM801": off_script}
