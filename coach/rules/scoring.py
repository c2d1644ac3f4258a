"""The 0-100 score, its breakdown and the verdict, so a rep can see what cost how many points.

Each rule that fired costs the points of its worst finding's severity
(``[score]`` in the settings: error 20, warning 10, suggestion 4 by default),
once, however many times it fired: three long pauses are one habit, not
three. The score is 100 minus the points, floored at 0; when the points
would pass 100, the last items are cut to what was left, so the breakdown
always adds up to exactly ``100 - value``.

The verdict (``[verdict]``): "Ready to dial", "Almost there", "Worth a
retake" or "Needs a retake", by the band the score falls in. A take that
breaks a core rule (``[verdict.core]``: no introduction, no callback number,
the wrong number, asking for a call back instead of a next step, a pitch, far
too long) cannot read ready: its score is capped at ``verdict.core_cap``, and
the cap is an item of the breakdown (:data:`CORE_CAP`) whose cost
:func:`why_capped` explains. The app and ``coach analyze`` both show
:data:`VERDICT_WORDS` of the report's ``score.verdict``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from coach.report import Finding, Score, ScoreItem
from coach.rules.catalogue import BY_CODE, SEVERITIES

if TYPE_CHECKING:
    from coach.config import ScoreConfig, VerdictConfig

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

#: The verdicts, best first, with the words the app and the CLI show.
VERDICT_WORDS = {
    "ready": "Ready to dial",
    "almost": "Almost there",
    "retake": "Worth a retake",
    "redo": "Needs a retake",
}
#: ``ScoreItem.code`` of the breakdown's item for the core-rule cap.
CORE_CAP = "core"


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


def core_broken(findings: list[Finding], core: Mapping[str, str]) -> list[str]:
    """Codes of the core rules ``findings`` break, most severe first: a finding counts when its
    severity is at least the one ``core`` names for its rule."""
    broken: list[str] = []
    for f in sort_findings(findings):
        least = core.get(f.code)
        counts = least is not None and SEVERITY_RANK.get(f.severity, len(SEVERITIES)) <= SEVERITY_RANK[least]
        if counts and f.code not in broken:
            broken.append(f.code)
    return broken


def band(value: int, verdict: VerdictConfig) -> str:
    """The verdict of a score alone: "ready", "almost", "retake" or "redo"."""
    for key in ("ready", "almost", "retake"):
        if value >= getattr(verdict, key):
            return key
    return "redo"


def score(findings: list[Finding], points: ScoreConfig, verdict: VerdictConfig | None = None) -> Score:
    """The score of ``findings``; with ``verdict``, capped for broken core rules and given its verdict."""
    worst: dict[str, Finding] = {}
    for f in sort_findings(findings):
        worst.setdefault(f.code, f)
    remaining = 100
    items = []
    for f in worst.values():
        cost = min(int(round(points.points(f.severity))), remaining)
        remaining -= cost
        items.append(ScoreItem(code=f.code, name=f.name, severity=f.severity, points=float(cost)))
    if verdict is None:
        return Score(value=remaining, breakdown=items)
    core = core_broken(findings, verdict.core)
    if core and remaining > verdict.core_cap:
        items.append(
            ScoreItem(code=CORE_CAP, name="core-rules", severity="cap", points=float(remaining - verdict.core_cap))
        )
        remaining = verdict.core_cap
    key = band(remaining, verdict)
    if core and key == "ready":  # a core_cap at or above `ready` is refused by the settings check
        key = "almost"
    return Score(value=remaining, breakdown=items, verdict=key, core=core)


def verdict_of(result: Score | None, findings: list[Finding], verdict: VerdictConfig) -> str:
    """The report's verdict key; for a report kept before verdicts, its score's band with the
    same rule (a core rule broken keeps it from "ready"). "" when there is no score."""
    if result is None:
        return ""
    if result.verdict:
        return result.verdict
    key = band(result.value, verdict)
    return "almost" if key == "ready" and core_broken(findings, verdict.core) else key


def verdict_words(result: Score | None) -> str:
    """What the report's verdict says ("Ready to dial"), or "" when it has none."""
    return VERDICT_WORDS.get(result.verdict, "") if result is not None else ""


def why_capped(result: Score) -> str:
    """Why the score is capped, naming the core rules broken; "" when it is not."""
    if not result.core:
        return ""
    rules = ", ".join(f"{code} {BY_CODE[code].name}" if code in BY_CODE else code for code in result.core)
    capped = any(i.code == CORE_CAP for i in result.breakdown)
    which = "a core rule" if len(result.core) == 1 else "core rules"
    fixed = "it is" if len(result.core) == 1 else "they are"
    so = f"capped at {result.value}, so it" if capped else "it"
    return f"Breaks {which} ({rules}): {so} cannot read {VERDICT_WORDS['ready']} until {fixed} fixed."
