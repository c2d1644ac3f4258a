"""VM2xx pace: words a minute over the message, digits a second over the number.

Pace is ``metrics.wpm``: words over the speech span, pauses included, since
that is the pace the listener hears (each digit of a phone number counts as a
word, as it takes as long to say).
"""

from __future__ import annotations

import math

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, format_number, num, quote, secs


def _pace_evidence(report: Report, ctx: Context) -> str:
    return f"{report.metrics.word_count} words in {secs(ctx.speech_span_s)}"


def too_fast(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    m = report.metrics
    limit = s["max_wpm"]
    if m.word_count < s["min_words"] or m.wpm <= limit:
        return []
    return [
        finding(
            "VM201",
            s,
            f"{num(m.wpm, 0, unlike=limit)} words a minute: {num(m.wpm - limit, 0)} over the {num(limit, 0)} limit",
            "Slow to about 140-160 words a minute: pause at every full stop, and slower still for your name and number.",
            evidence=_pace_evidence(report, ctx),
            start_s=ctx.speech_start_s,
            end_s=ctx.speech_end_s,
        )
    ]


def too_slow(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    m = report.metrics
    limit = s["min_wpm"]
    if m.word_count < s["min_words"] or m.wpm >= limit:
        return []
    return [
        finding(
            "VM202",
            s,
            f"{num(m.wpm, 0, unlike=limit)} words a minute: {num(limit - m.wpm, 0)} under the {num(limit, 0)} minimum",
            "Rehearse the lines until they are familiar; aim for 140-160 words a minute, pausing at full stops, not mid-sentence.",
            evidence=_pace_evidence(report, ctx),
            start_s=ctx.speech_start_s,
            end_s=ctx.speech_end_s,
        )
    ]


def number_rushed(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    limit = s["max_digits_per_s"]
    found = []
    for number in report.metrics.phone_numbers:
        rate = number.digits_per_s
        if rate <= limit:
            continue
        n = len(number.digits)
        shown = quote(number.text) if number.text else format_number(number.digits)
        target = math.ceil(10 * n / limit) / 10
        found.append(
            finding(
                "VM203",
                s,
                f"{shown} took {secs(number.end - number.start)}: {num(rate, 1, unlike=limit)} digits a second "
                f"(limit {num(limit)})",
                f"Say it in groups with a beat between ({format_number(number.digits).replace('-', ' - ')}), "
                f"giving its {n} digits at least {secs(target)}, about as fast as someone can write.",
                evidence=f"{n} digits from {secs(number.start)} to {secs(number.end)}",
                start_s=number.start,
                end_s=number.end,
            )
        )
    return found


CHECKS = {"VM201": too_fast, "VM202": too_slow, "VM203": number_rushed}
