"""The trainer's review of stored takes: adjusted scores, verdicts, per-rep and team summaries, re-scoring.

Pure functions over :class:`~coach.history.store.Take` objects (the store
loads them); the Review tab, ``coach batch``'s summary and the exports all
read these, so a figure is worked out in one place.

- The machine's score is the report's, never changed by a trainer.
- The trainer's score is the machine's findings less the rules marked wrong,
  plus the findings the trainer added, scored by the same code
  (:func:`coach.rules.scoring.score`) with the same points.
- The verdict is the trainer's when set, else the trainer's score against the
  pass mark (``[review] pass_mark``); a take that breaks a core rule
  (``[verdict.core]``) needs another take whatever its score.
- Re-scoring runs the rules over stored reports with new settings (no audio,
  no Whisper) and records the result as a new machine score with the
  settings' fingerprint; notes, overrides and verdicts stay attached.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from coach.report import Finding, Score
from coach.rules import docs
from coach.rules import engine as rules
from coach.rules.catalogue import BY_CODE
from coach.rules.scoring import SEVERITY_RANK as SEVERITY_ORDER
from coach.rules.scoring import score as score_findings
from coach.rules.scoring import sort_findings

if TYPE_CHECKING:
    from coach.config import Config
    from coach.history.store import History, Override, Take

#: How takes without a rep are grouped: never dropped.
UNASSIGNED = "unassigned"
#: Verdict -> the words the app, the text summary and the exports use.
VERDICT_WORDS = {"passed": "Passed", "retake": "Needs another take"}
#: The name of a finding a trainer added in free text.
TRAINER_FINDING = "Trainer's finding"


def title(name: str) -> str:
    """A rule's name as a title: ``too-long`` -> ``Too long``."""
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def rep_label(rep: str | None) -> str:
    """The rep's name, or ``unassigned``."""
    return rep or UNASSIGNED


def added_finding(override: Override, config: Config) -> Finding:
    """The finding a trainer's ``add`` override stands for."""
    info = BY_CODE.get(override.code)
    severity = override.severity or "warning"
    if info is not None:
        return Finding(
            code=info.code,
            name=info.name,
            severity=severity,
            message=override.text or docs.summary(info, config),
            fix=docs.fix(info, config),
            evidence=f"Added by the trainer{': ' + override.reason if override.reason else ''}",
        )
    return Finding(
        code=override.code,
        name=TRAINER_FINDING,
        severity=severity,
        message=override.text,
        fix=override.reason,
        evidence="Added by the trainer",
    )


def trainer_findings(take: Take, config: Config) -> list[Finding]:
    """The machine's findings less those marked wrong, plus those the trainer added, in report order."""
    dismissed = {o.code for o in take.overrides if o.action == "dismiss"}
    kept = [f for f in take.report.findings if f.code not in dismissed]
    added = [added_finding(o, config) for o in take.overrides if o.action == "add"]
    return sort_findings(kept + added)


@dataclass(frozen=True)
class Judged:
    """A take with the trainer's judgement beside the machine's."""

    take: Take
    machine_score: int | None
    findings: list[Finding]
    trainer_score: Score
    verdict: str
    #: ``trainer`` when set by hand, ``score`` when from the pass mark.
    verdict_by: str

    @property
    def rep(self) -> str:
        return rep_label(self.take.rep)

    @property
    def score(self) -> int:
        """The trainer's score (the machine's when nothing is overridden): what summaries and verdicts use."""
        return self.trainer_score.value

    @property
    def adjusted(self) -> bool:
        return bool(self.take.overrides)

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    @property
    def created_at(self) -> datetime:
        return self.take.created_at


def judge(take: Take, config: Config) -> Judged:
    """The machine score, the trainer's findings and score, and the verdict of one take."""
    machine = take.report.score.value if take.report.score is not None else None
    findings = trainer_findings(take, config)
    adjusted = (
        score_findings(findings, config.score, config.verdict)
        if take.overrides or machine is None
        else take.report.score
    )
    assert adjusted is not None
    if take.verdict is not None:
        verdict, by = take.verdict, "trainer"
    else:
        # A take that breaks a core rule (``[verdict.core]``) needs another take whatever its score.
        passed = adjusted.value >= config.pass_mark and not adjusted.core
        verdict, by = ("passed" if passed else "retake"), "score"
    return Judged(take, machine, findings, adjusted, verdict, by)


def judge_all(takes: list[Take], config: Config) -> list[Judged]:
    return [judge(t, config) for t in takes]


def attention_order(judged: list[Judged]) -> list[Judged]:
    """What needs a trainer first: takes that did not pass, then the newest."""
    return sorted(judged, key=lambda j: (j.passed, -j.created_at.timestamp(), -j.take.id))


@dataclass(frozen=True)
class FindingCount:
    """How often a rule fired over a set of takes, and for how many reps."""

    code: str
    name: str
    takes: int
    reps: int
    severity: str = "warning"


def finding_counts(judged: list[Judged]) -> list[FindingCount]:
    """Each rule over the takes (counted once a take), most reps first, then most takes."""
    takes: Counter[str] = Counter()
    reps: dict[str, set[str]] = {}
    first: dict[str, Finding] = {}
    for j in judged:
        for f in {f.code: f for f in reversed(j.findings)}.values():
            takes[f.code] += 1
            reps.setdefault(f.code, set()).add(j.rep)
            first.setdefault(f.code, f)
    counts = [
        FindingCount(code, first[code].name, n, len(reps[code]), first[code].severity) for code, n in takes.items()
    ]
    return sorted(counts, key=lambda c: (-c.reps, -c.takes, c.code))


@dataclass(frozen=True)
class RepSummary:
    """One rep's takes: first, best, latest and average (trainer's) score and what recurs."""

    rep: str
    takes: int
    first: int
    best: int
    latest: int
    average: float
    passed: int
    #: Scores oldest first, for the trend chart: (when, score, take id).
    trend: list[tuple[datetime, int, int]] = field(default_factory=list)
    #: Every rule that fired in the rep's takes, most takes first.
    findings: list[FindingCount] = field(default_factory=list)

    @property
    def recurring(self) -> list[FindingCount]:
        """Rules that fired in more than one of the rep's takes (every rule when there is one take)."""
        return [c for c in self.findings if c.takes >= min(2, self.takes)]

    @property
    def main_problem(self) -> FindingCount | None:
        """The rep's most common finding (what to work on first)."""
        return self.findings[0] if self.findings else None


def rep_summaries(judged: list[Judged]) -> list[RepSummary]:
    """One summary per rep (``unassigned`` included), alphabetically with unassigned last."""
    by_rep: dict[str, list[Judged]] = {}
    for j in judged:
        by_rep.setdefault(j.rep, []).append(j)
    out = []
    for rep, items in by_rep.items():
        items = sorted(items, key=lambda j: (j.created_at, j.take.id))
        scores = [j.score for j in items]
        counts = finding_counts(items)
        out.append(
            RepSummary(
                rep=rep,
                takes=len(items),
                first=scores[0],
                best=max(scores),
                latest=scores[-1],
                average=sum(scores) / len(scores),
                passed=sum(j.passed for j in items),
                trend=[(j.created_at, j.score, j.take.id) for j in items],
                findings=sorted(counts, key=lambda c: (-c.takes, SEVERITY_ORDER.get(c.severity, 9), c.code)),
            )
        )
    return sorted(out, key=lambda s: (s.rep == UNASSIGNED, s.rep.casefold()))


def team_average(judged: list[Judged]) -> float | None:
    return sum(j.score for j in judged) / len(judged) if judged else None


@dataclass(frozen=True)
class RescoreResult:
    """What a re-score did: how many takes, how many changed score or findings, how long it took."""

    takes: int
    changed: int
    fingerprint: str
    seconds: float


def rescore(history: History, config: Config) -> RescoreResult:
    """Run the rules with ``config`` over every stored report, without audio or Whisper.

    Each take gets a new machine result recorded with ``config``'s
    fingerprint, all in one transaction; notes, overrides and verdicts stay.
    """
    start = time.perf_counter()
    fingerprint = config.rules_fingerprint()
    takes = history.load_takes()
    changed = 0
    with history.transaction() as conn:
        for take in takes:
            report = take.report
            before = (report.score.value if report.score else None, [f.code for f in report.findings])
            rules.apply(report, config)
            after = (report.score.value if report.score else None, [f.code for f in report.findings])
            changed += before != after
            history.update_result(take.id, report, fingerprint=fingerprint, conn=conn)
    return RescoreResult(len(takes), changed, fingerprint, time.perf_counter() - start)
