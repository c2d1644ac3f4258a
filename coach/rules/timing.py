"""VM1xx timing: how long the prospect listens, and to how much silence.

Length is the speech span, from the first word to the last: that is what the
prospect sits through once the message starts playing. Silence at the start
is its own rule (VM103), and silence after the last word is cut by most
voicemail systems and by anyone trimming a take, so neither counts as length.
"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote, secs, words_before


def too_long(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    span, limit, error_s = ctx.speech_span_s, s["max_s"], s["error_s"]
    if span <= limit:
        return []
    over = span - limit
    severity = "error" if span > error_s else None
    message = f"{secs(span, unlike=limit)} from your first word to your last: {secs(over)} over the {secs(limit)} limit"
    if severity:
        message += f" (over {secs(error_s)} counts as an error)"
    fix = "Keep four parts only: who you are, why them, when you'll try next, and your number twice; aim for 20-25 s."
    wpm = report.metrics.wpm
    if wpm > 0:
        cut = max(1, round(over * wpm / 60))
        fix += f" At your pace ({num(wpm, 0)} words a minute) {secs(over)} is about {cut} words to cut."
    return [
        finding(
            "VM101",
            s,
            message,
            fix,
            evidence=f"speech span {secs(span)} (recording {secs(report.duration_s)})",
            start_s=ctx.speech_start_s + limit,
            end_s=ctx.speech_end_s,
            severity=severity,
        )
    ]


def too_short(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    span, limit = ctx.speech_span_s, s["min_s"]
    if span >= limit:
        return []
    return [
        finding(
            "VM102",
            s,
            f"{secs(span, unlike=limit)} from your first word to your last: under the {secs(limit)} minimum",
            "Say who you are, one reason tied to them, when you'll try next, and your number.",
            evidence=f"speech span {secs(span)}",
            start_s=ctx.speech_start_s,
            end_s=ctx.speech_end_s,
        )
    ]


def dead_air_start(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    silence, limit = report.metrics.leading_silence_s, s["max_s"]
    if silence <= limit:
        return []
    return [
        finding(
            "VM103",
            s,
            f"{secs(silence, unlike=limit)} of silence before your first word (limit {secs(limit)})",
            "Start speaking as soon as the beep ends; on a practice take, start within a second of pressing record.",
            evidence=f"first sound at {secs(ctx.speech_start_s)}",
            start_s=0.0,
            end_s=ctx.speech_start_s,
        )
    ]


def long_pause(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    limit = s["max_s"]
    found = []
    for pause in report.metrics.pauses:
        if pause.duration <= limit:
            continue
        before = words_before(report, pause.start)
        where = f" after {quote(before)}" if before else f" at {secs(pause.start)}"
        found.append(
            finding(
                "VM104",
                s,
                f"{secs(pause.duration, unlike=limit)} of silence{where} (limit {secs(limit)})",
                "Know your next line before you start; keep pauses to a breath, under a second.",
                evidence=f"pause from {secs(pause.start)} to {secs(pause.end)}",
                start_s=pause.start,
                end_s=pause.end,
            )
        )
    return found


CHECKS = {"VM101": too_long, "VM102": too_short, "VM103": dead_air_start, "VM104": long_pause}
