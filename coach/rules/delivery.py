"""VM6xx delivery: how the voice and the recording sound, from the acoustic measurements.

None of these read the transcript, so they keep their severity when the
transcript is unreliable.
"""

from __future__ import annotations

import math
from typing import TypeGuard

import numpy as np

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote, secs, text, words_between


def _off(value: float | None, limit: float, *, at_least: bool) -> TypeGuard[float]:
    """True when a measurement was taken and is on the wrong side of ``limit``. A missing one
    (None, or NaN in a report read back from JSON) is skipped, not guessed."""
    if value is None or math.isnan(value):
        return False
    return value < limit if at_least else value > limit


def monotone(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    variation, limit = report.metrics.pitch_variation_st, s["min_st"]
    if not (_off(variation, limit, at_least=True) and math.isfinite(variation)):
        return []
    hz = report.metrics.pitch_median_hz
    values = {"variation": num(variation, unlike=limit), "measured": num(variation)}
    values["around"] = text(ctx, "VM601", "around", hz=num(hz, 0)) if hz else ""
    return [finding(ctx, "VM601", values)]


def too_quiet(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    level, limit = report.metrics.loudness_dbfs, s["min_dbfs"]
    if not _off(level, limit, at_least=True):
        return []
    shown = (
        text(ctx, "VM602", "level", dbfs=num(level, unlike=limit))
        if math.isfinite(level)
        else text(ctx, "VM602", "silence")
    )
    return [finding(ctx, "VM602", {"level": shown})]


def clipping(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    ratio, limit = report.metrics.clipping_ratio, s["max_percent"]
    percent = None if ratio is None else 100.0 * ratio
    if not _off(percent, limit, at_least=False):
        return []
    values = {"percent": num(percent, 2, unlike=limit), "ratio": num(percent, 3), "peak": num(report.metrics.peak_dbfs)}
    return [finding(ctx, "VM603", values)]


def noisy(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    snr, limit = report.metrics.snr_db, s["min_snr_db"]
    if not _off(snr, limit, at_least=True):
        return []
    return [finding(ctx, "VM604", {"snr": num(snr, unlike=limit), "measured": num(snr)})]


def energy_drop(report: Report, ctx: Context, last_fraction: float, sounding_range_db: float):
    """(drop in dB, start of the end part, mean before, mean in the end part), or None.

    Means are of the dB values of sounding frames (within ``sounding_range_db``
    of the speech's 95th-percentile level), so pauses do not pull them down.
    """
    contours = report.contours
    if contours is None or not contours.energy_db or contours.frame_rate_hz <= 0:
        return None
    rate = contours.frame_rate_hz
    energy = np.array([e if e is not None else -np.inf for e in contours.energy_db], dtype=float)
    i0 = max(0, int(round(ctx.speech_start_s * rate)))
    i1 = min(len(energy), int(round(ctx.speech_end_s * rate)))
    if i1 - i0 < 10:
        return None
    span = energy[i0:i1]
    finite = span[np.isfinite(span)]
    if finite.size < 10:
        return None
    gate = np.percentile(finite, 95) - sounding_range_db
    split = i0 + int(round((i1 - i0) * (1.0 - last_fraction)))
    head, tail = energy[i0:split], energy[split:i1]
    head, tail = head[np.isfinite(head) & (head >= gate)], tail[np.isfinite(tail) & (tail >= gate)]
    if head.size < 5 or tail.size < 5:
        return None
    return float(head.mean() - tail.mean()), split / rate, float(head.mean()), float(tail.mean())


def trailing_off(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    measured = energy_drop(report, ctx, s["last_fraction"], s["sounding_range_db"])
    if measured is None:
        return []
    drop, tail_start, before, after = measured
    limit = s["min_drop_db"]
    if drop < limit:
        return []
    said = words_between(report, tail_start, ctx.speech_end_s)
    holds = ""
    if any(n.end > tail_start for n in report.metrics.phone_numbers):
        holds = text(ctx, "VM605", "holds_number")
    elif said:
        holds = text(ctx, "VM605", "holds_words", said=quote(said, 60))
    values = {
        "tail": secs(ctx.speech_end_s - tail_start),
        "start": secs(tail_start),
        "drop": num(drop, unlike=limit),
        "holds": holds,
        "before": num(before),
        "after": num(after),
    }
    return [finding(ctx, "VM605", values, start_s=tail_start, end_s=ctx.speech_end_s)]


CHECKS = {"VM601": monotone, "VM602": too_quiet, "VM603": clipping, "VM604": noisy, "VM605": trailing_off}
