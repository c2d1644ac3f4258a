"""The rule engine: the voicemail catalogue (VM101..VM801), run over a report.

Each rule is data (:mod:`coach.rules.catalogue`: code, name, what it checks,
why, example, fix, its settings; values in ``coach/defaults.toml``) plus a
small pure function ``check(report, settings, context) -> list[Finding]``
in its family's module. :func:`evaluate` runs the enabled rules, applies the
reliability policy (:mod:`coach.rules.reliability`), sorts the findings
(error, warning, suggestion; then by time), lists strengths and scores;
:func:`apply` also puts into the report what the transcript view marks
(:mod:`coach.rules.highlights`).

:func:`evaluate_text` is the same engine run on a written script: a report
made from text (words without audio, :func:`coach.script.words.script_report`)
is judged by the rules whose catalogue entry says they read words alone
(``input_kind`` :data:`~coach.rules.catalogue.TEXT`); the rules that need the
recording are not applicable to text and are not run.

The rules receive their settings: every entry point takes the
:class:`~coach.config.Config` to use, and this package never imports
:mod:`coach.config` (config imports the catalogue from here).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.report import Finding, Highlight, Report, Score, Strength
from coach.rules import callback, delivery, intro, pace, pitch, script, timing, wording
from coach.rules.base import Check, Context
from coach.rules.catalogue import BY_CODE, CODES, TEXT, RuleInfo
from coach.rules.highlights import find_highlights
from coach.rules.reliability import assess, downgrade, uncertain_number
from coach.rules.scoring import score, sort_findings
from coach.rules.strengths import find_strengths

if TYPE_CHECKING:
    from coach.config import Config


@dataclass(frozen=True)
class Rule:
    """A catalogue entry with its check."""

    info: RuleInfo
    check: Check

    @property
    def code(self) -> str:
        return self.info.code

    @property
    def name(self) -> str:
        return self.info.name


def _collect() -> dict[str, Rule]:
    checks: dict[str, Check] = {}
    for family in (timing, pace, wording, pitch, callback, delivery, intro, script):
        checks.update(family.CHECKS)
    missing = set(CODES) ^ set(checks)
    if missing:
        raise RuntimeError(f"catalogue and checks disagree on {sorted(missing)}")
    return {code: Rule(BY_CODE[code], checks[code]) for code in CODES}


#: Every rule, by code, in catalogue order.
RULES: dict[str, Rule] = _collect()


def evaluate(report: Report, config: Config) -> tuple[list[Finding], list[Strength], Score]:
    """(findings, strengths, score) for a report, with the settings of ``config``."""
    return _evaluate(report, config)[:3]


def apply(report: Report, config: Config) -> Report:
    """Fill ``report.findings``, ``strengths``, ``score`` and ``highlights`` in place; returns the report."""
    report.findings, report.strengths, report.score, report.highlights = _evaluate(report, config)
    return report


def evaluate_text(report: Report, config: Config) -> tuple[list[Finding], list[Highlight]]:
    """(findings, highlights) of a written script: the enabled rules that judge words alone.

    ``report`` is made from the script's text (no acoustic measurements); a
    script is what the rep means to say, so nothing is downgraded for
    transcript confidence, and no strengths or score are given (half the
    rules cannot judge it).
    """
    ctx = Context.build(report, config)
    codes = [code for code in config.enabled_codes() if RULES[code].info.input_kind == TEXT]
    return _run(report, config, ctx, codes), find_highlights(report, ctx)


def _run(report: Report, config: Config, ctx: Context, codes: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for code in codes:
        rule = RULES[code]
        found = rule.check(report, config.rule(code), ctx)
        if rule.info.uses_transcript and not ctx.transcript_reliable:
            found = [downgrade(f, ctx.reliability_note) for f in found]
        elif rule.info.reads_number and ctx.number_note:
            found = [downgrade(f, ctx.number_note) for f in found]
        findings.extend(found)
    return sort_findings(findings)


def _evaluate(report: Report, config: Config) -> tuple[list[Finding], list[Strength], Score, list[Highlight]]:
    reliable, note = assess(report, config)
    ctx = Context.build(report, config, reliable=reliable, note=note, number_note=uncertain_number(report))
    findings = _run(report, config, ctx, config.enabled_codes())
    strengths = find_strengths(report, config, ctx)
    return findings, strengths, score(findings, config.score, config.verdict), find_highlights(report, ctx)


__all__ = ["CODES", "RULES", "Rule", "apply", "evaluate", "evaluate_text"]
