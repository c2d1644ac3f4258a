"""VM1xx timing: how long the prospect listens, and to how much silence.

Length is the speech span, from the first word to the last: that is what the
prospect sits through once the message starts playing. Silence at the start
is its own rule (VM103), and silence after the last word is cut by most
voicemail systems and by anyone trimming a take, so neither counts as length.
"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote, secs, text, words_before


def too_long(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    span, limit, error_s = ctx.speech_span_s, s["max_s"], s["error_s"]
    if span <= limit:
        return []
    over = span - limit
    values = {"span": secs(span, unlike=limit), "over": secs(over), "duration": secs(report.duration_s)}
    details: tuple[str, ...] = ()
    wpm = report.metrics.wpm
    if wpm > 0:
        values |= {"wpm": num(wpm, 0), "cut": max(1, round(over * wpm / 60))}
        details = ("cut",)
    as_error = span > error_s
    return [
        finding(
            ctx,
            "VM101",
            values,
            message=("message", "as_error") if as_error else "message",
            details=details,
            start_s=ctx.speech_start_s + limit,
            end_s=ctx.speech_end_s,
            severity="error" if as_error else None,
        )
    ]


def too_short(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    span, limit = ctx.speech_span_s, s["min_s"]
    if span >= limit:
        return []
    return [
        finding(
            ctx,
            "VM102",
            {"span": secs(span, unlike=limit)},
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
            ctx,
            "VM103",
            {"silence": secs(silence, unlike=limit), "first": secs(ctx.speech_start_s)},
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
        values = {"pause": secs(pause.duration, unlike=limit), "start": secs(pause.start), "end": secs(pause.end)}
        values["where"] = (
            text(ctx, "VM104", "after", said=quote(before)) if before else text(ctx, "VM104", "at", **values)
        )
        found.append(finding(ctx, "VM104", values, start_s=pause.start, end_s=pause.end))
    return found


CHECKS = {"VM101": too_long, "VM102": too_short, "VM103": dead_air_start, "VM104": long_pause}
