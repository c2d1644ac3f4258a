"""The report as plain text for a person at a terminal (``coach analyze``, ``coach record``)."""

from __future__ import annotations

import textwrap

from coach.clock import clock
from coach.report import Finding, PhoneNumber, Report
from coach.rules.reliability import missing_speech
from coach.rules.scoring import CORE_CAP, verdict_words, why_capped
from coach.text.phone_numbers import group_digits

WIDTH = 88
SEVERITY_LABEL = {"error": "ERROR", "warning": "WARN ", "suggestion": "TIP  "}


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def _number_line(number: PhoneNumber) -> str:
    return f"{group_digits(number.digits)} at {clock(number.start, 1)} ({number.digits_per_s:.1f} digits/s)"


def _finding_lines(finding: Finding) -> list[str]:
    where = f" [at {clock(finding.start_s, 1)}]" if finding.start_s is not None else ""
    head = f"  {SEVERITY_LABEL.get(finding.severity, finding.severity)} {finding.code} {finding.name}{where}"
    lines = [head, _wrap(finding.message, "        ")]
    if finding.fix:
        lines.append(_wrap(f"Fix: {finding.fix}", "        "))
    return lines


def _yours(report: Report) -> str:
    """The " (your name)" of the introduction line when the introduction is the rep's own name, saying so when Whisper misspelt it."""
    intro, rep = report.metrics.introduction, report.rep
    if intro is None or rep is None or intro.profile_match not in ("exact", "spelling", "sound"):
        return ""
    return " (your name)" if intro.profile_match == "exact" else f" (your name, {rep.name}, as Whisper wrote it)"


def render(report: Report) -> str:
    """A readable multi-line report: headline figures, transcript, findings, strengths."""
    m = report.metrics
    lines: list[str] = []
    score = f"score {report.score.value}/100" if report.score else "not scored"
    words = verdict_words(report.score)
    lines.append(f"{report.file}: {score}" + (f", {words}" if words else ""))
    pitch = (
        f"pitch {m.pitch_median_hz:.0f} Hz, varies {m.pitch_variation_st:.1f} st"
        if m.pitch_median_hz is not None and m.pitch_variation_st is not None
        else "pitch not measurable"
    )
    lines.append(
        _wrap(
            f"{report.duration_s:.1f} s long (speech {m.speech_start_s:.1f}-{m.speech_end_s:.1f} s) | "
            f"{m.wpm:.0f} words/min over {m.word_count} words | "
            f"{len(m.pauses)} pauses, longest {m.longest_pause_s:.1f} s | "
            f"{m.loudness_dbfs:.0f} dBFS, SNR {m.snr_db:.0f} dB | {pitch}",
            "  ",
        )
    )
    lines.append("")
    lines.append("Transcript")
    lines.append(_wrap(report.transcript or "(nothing recognised)", "  "))
    missing = missing_speech(report)
    if missing:
        lines.append(_wrap(f"Incomplete: {missing}", "  "))
    lines.append("")
    numbers = "; ".join(_number_line(n) for n in m.phone_numbers) or "none said"
    lines.append(_wrap(f"Callback number: {numbers}", "  "))
    intro = (
        f"{m.introduction.name} at {clock(m.introduction.start, 1)}{_yours(report)}"
        if m.introduction
        else "you never said your name"
    )
    lines.append(f"  Introduction: {intro}")
    fillers = ", ".join(f"{f.text} ({clock(f.start, 1)})" for f in m.fillers) or "none"
    lines.append(_wrap(f"Fillers ({m.filler_count}): {fillers}", "  "))
    lines.append("")
    if report.findings:
        lines.append(f"To fix ({len(report.findings)})")
        for finding in report.findings:
            lines.extend(_finding_lines(finding))
    else:
        lines.append("To fix: nothing, this message is ready to leave.")
    if report.strengths:
        lines.append("")
        lines.append("Done well")
        for strength in report.strengths:
            lines.append(_wrap(f"+ {strength.message}", "  "))
    if report.score and report.score.breakdown:
        lines.append("")
        cost = ", ".join(f"{'capped' if i.code == CORE_CAP else i.code} -{i.points:g}" for i in report.score.breakdown)
        lines.append(_wrap(f"Score: 100 - ({cost}) = {report.score.value}", ""))
        why = why_capped(report.score)
        if why:
            lines.append(_wrap(why, "  "))
    return "\n".join(lines)
