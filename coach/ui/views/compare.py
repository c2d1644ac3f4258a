"""Two takes side by side: how the figures moved, which findings came and went.

Findings are matched by their rule code, so "Message too long" on both takes
counts as still there even if its wording (which carries the numbers)
changed. A rule that fired twice on one take and once on the other counts
one as gone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.report import Finding, Report
from coach.ui.views.figures import Figure, key_figures

if TYPE_CHECKING:
    from coach.config import Config


@dataclass(frozen=True)
class FigureChange:
    before: Figure
    after: Figure

    @property
    def label(self) -> str:
        return self.before.spec.label

    @property
    def delta(self) -> float | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def better(self) -> bool | None:
        """True if ``after`` is closer to the target band, False if further, None if level."""
        band = self.before.spec.band
        d0, d1 = band.distance(self.before.value), band.distance(self.after.value)
        if d0 is None or d1 is None or abs(d0 - d1) < 1e-9:
            return None
        return d1 < d0


@dataclass(frozen=True)
class Comparison:
    score_before: int | None
    score_after: int | None
    figures: list[FigureChange]
    appeared: list[Finding]
    went_away: list[Finding]
    stayed: list[Finding]

    @property
    def score_delta(self) -> int | None:
        if self.score_before is None or self.score_after is None:
            return None
        return self.score_after - self.score_before


def compare_reports(before: Report, after: Report, config: Config) -> Comparison:
    """What changed from ``before`` to ``after`` (figure bands from ``config``)."""
    figures = [
        FigureChange(b, a) for b, a in zip(key_figures(before, config), key_figures(after, config), strict=False)
    ]
    remaining = Counter(f.code for f in before.findings)
    appeared, stayed = [], []
    for finding in after.findings:
        if remaining[finding.code] > 0:
            remaining[finding.code] -= 1
            stayed.append(finding)
        else:
            appeared.append(finding)
    still_after = Counter(f.code for f in after.findings)
    went_away = []
    for finding in before.findings:
        if still_after[finding.code] > 0:
            still_after[finding.code] -= 1
        else:
            went_away.append(finding)
    return Comparison(
        score_before=before.score.value if before.score else None,
        score_after=after.score.value if after.score else None,
        figures=figures,
        appeared=appeared,
        went_away=went_away,
        stayed=stayed,
    )
