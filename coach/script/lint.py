"""The text lint: a script judged by the recording rules, each finding tied to the words it is about.

:func:`lint_script` makes the script's report (:mod:`coach.script.words`),
runs the rule engine's text entry point on it
(:func:`coach.rules.engine.evaluate_text`: the rules whose catalogue entry
says they judge words alone, with the settings in force), and turns each
finding into the places in the text to underline (:class:`Mark`). A finding
about the whole message (no number, no question, no introduction) marks
nothing: it is listed, not underlined.

Where a finding's time span runs from the first phrase it matched to the
last (hedges, pitch phrases, requests to call back), the phrases themselves
are underlined, as the transcript view marks them (the report's highlights),
not every word between. Any other finding underlines the words in its span.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.report import Finding, Report, RepProfile
from coach.rules.engine import evaluate_text
from coach.rules.highlights import ASK, HEDGE, PITCH
from coach.script.estimate import Estimate, Pace, estimate, timing
from coach.script.words import ScriptText, script_report

if TYPE_CHECKING:
    from coach.config import Config

#: Findings whose span runs from their first matched phrase to their last: underline the phrases.
PHRASE_MARKS = {"VM303": HEDGE, "VM401": PITCH, "VM504": ASK}
#: Punctuation left out of a mark's ends ("Sorry to bother you," marks "Sorry to bother you").
_EDGE = frozenset(".,;:!?\"'\u2018\u2019\u201c\u201d\u2026")


@dataclass(frozen=True)
class Mark:
    """Characters ``start``..``end`` of the script that finding ``finding`` (an index) is about."""

    start: int
    end: int
    finding: int


@dataclass(frozen=True)
class Position:
    """A place in the text, for a linter's ``FILE:LINE:COLUMN`` (both from 1)."""

    line: int
    column: int


@dataclass(frozen=True)
class ScriptLint:
    """A script's findings, the places they mark, and its estimated length."""

    text: str
    script: ScriptText
    findings: list[Finding]
    marks: list[Mark]
    estimate: Estimate

    @property
    def report(self) -> Report:
        return self.script.report

    def marks_of(self, index: int) -> list[Mark]:
        return [m for m in self.marks if m.finding == index]

    def position(self, offset: int) -> Position:
        before = self.text[:offset]
        return Position(before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)

    def worst(self) -> str | None:
        """The most severe severity found (catalogue order), or None when clean."""
        from coach.rules.catalogue import SEVERITIES

        found = {f.severity for f in self.findings}
        return next((s for s in SEVERITIES if s in found), None)


def lint_script(
    text: str,
    config: Config,
    *,
    pace: Pace | None = None,
    prospect: str | None = None,
    rep: RepProfile | None = None,
    name: str = "script",
) -> ScriptLint:
    """Judge ``text`` with the rules that read words (``config``'s settings); ``pace``: the rep's
    (default: ``[script] default_wpm``)."""
    pace = pace or Pace(float(config.script["default_wpm"]))
    script = script_report(text, timing(config, pace), prospect=prospect, rep=rep, name=name)
    findings, highlights = evaluate_text(script.report, config)
    # The script's report carries what the rules found, as a take's does.
    script.report.findings, script.report.highlights = findings, highlights
    marks: list[Mark] = []
    for index, finding in enumerate(findings):
        if finding.start_s is None or finding.end_s is None:
            continue
        kind = PHRASE_MARKS.get(finding.code)
        if kind is not None:
            spans = [
                (h.first_word, h.last_word)
                for h in highlights
                if h.kind == kind and h.first_word is not None and h.last_word is not None
            ]
        else:
            inside = script.words_between(finding.start_s, finding.end_s)
            spans = [(inside[0], inside[-1])] if inside else []
        for first, last in spans:
            start, end = script.spans[first][0], script.spans[last][1]
            while start < end - 1 and text[start] in _EDGE:
                start += 1
            while end > start + 1 and text[end - 1] in _EDGE:
                end -= 1
            marks.append(Mark(start, end, index))
    return ScriptLint(text, script, findings, marks, estimate(script.report.metrics.speech_span_s, config, pace))
