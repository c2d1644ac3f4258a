"""The 0-100 score and its breakdown, so a rep can see what cost how many points.

Each rule that fired costs the points of its worst finding's severity
(``[score]`` in the settings: error 20, warning 10, suggestion 4 by default),
once, however many times it fired: three long pauses are one habit, not
three. The score is 100 minus the points, floored at 0; when the points
would pass 100, the last items are cut to what was left, so the breakdown
always adds up to exactly ``100 - value``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.report import Finding, Score, ScoreItem
from coach.rules.catalogue import SEVERITIES

if TYPE_CHECKING:
    from coach.config import ScoreConfig

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Errors, then warnings, then suggestions; whole-message findings first, then by time."""
    return sorted(
        findings,
        key=lambda f: (
            SEVERITY_RANK.get(f.severity, len(SEVERITIES)),
            f.start_s is not None,
            f.start_s if f.start_s is not None else 0.0,
            f.code,
        ),
    )


def score(findings: list[Finding], points: ScoreConfig) -> Score:
    worst: dict[str, Finding] = {}
    for f in sort_findings(findings):
        worst.setdefault(f.code, f)
    remaining = 100
    items = []
    for f in worst.values():
        cost = min(int(round(points.points(f.severity))), remaining)
        remaining -= cost
        items.append(ScoreItem(code=f.code, name=f.name, severity=f.severity, points=float(cost)))
    return Score(value=remaining, breakdown=items)
