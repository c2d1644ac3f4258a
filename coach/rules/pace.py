"""VM2xx pace: words a minute over the message, digits a second over the number.

Pace is ``metrics.wpm``: words over the speech span, pauses included, since
that is the pace the listener hears (each digit of a phone number counts as a
word, as it takes as long to say).
"""

from __future__ import annotations

import math

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote, secs
from coach.text.phone_numbers import group_digits


def _pace(report: Report, ctx: Context, limit: float) -> dict[str, object]:
    m = report.metrics
    return {
        "wpm": num(m.wpm, 0, unlike=limit),
        "words": m.word_count,
        "span": secs(ctx.speech_span_s),
        "over": num(m.wpm - limit, 0),
        "under": num(limit - m.wpm, 0),
    }


def too_fast(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    m = report.metrics
    limit = s["max_wpm"]
    if m.word_count < s["min_words"] or m.wpm <= limit:
        return []
    return [finding(ctx, "VM201", _pace(report, ctx, limit), start_s=ctx.speech_start_s, end_s=ctx.speech_end_s)]


def too_slow(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    m = report.metrics
    limit = s["min_wpm"]
    if m.word_count < s["min_words"] or m.wpm >= limit:
        return []
    return [finding(ctx, "VM202", _pace(report, ctx, limit), start_s=ctx.speech_start_s, end_s=ctx.speech_end_s)]


def number_rushed(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    limit = s["max_digits_per_s"]
    found = []
    for number in report.metrics.phone_numbers:
        rate = number.digits_per_s
        if rate <= limit:
            continue
        n = len(number.digits)
        values = {
            "number": quote(number.text) if number.text else group_digits(number.digits),
            "took": secs(number.end - number.start),
            "rate": num(rate, 1, unlike=limit),
            "groups": group_digits(number.digits).replace("-", " - "),
            "digits": n,
            "min_s": secs(math.ceil(10 * n / limit) / 10),
            "start": secs(number.start),
            "end": secs(number.end),
        }
        found.append(finding(ctx, "VM203", values, details=("time",), start_s=number.start, end_s=number.end))
    return found


CHECKS = {"VM201": too_fast, "VM202": too_slow, "VM203": number_rushed}
