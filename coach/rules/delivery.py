"""VM6xx delivery: how the voice and the recording sound, from the acoustic measurements.

None of these read the transcript, so they keep their severity when the
transcript is unreliable.
"""

from __future__ import annotations

import math

import numpy as np

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, quote, secs, words_between


def monotone(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    variation = report.metrics.pitch_variation_st
    limit = s["min_st"]
    if variation is None or not math.isfinite(variation) or variation >= limit:
        return []
    return [
        finding(
            "VM601",
            s,
            f"Your pitch varies by {num(variation, unlike=limit)} semitones (flat below {num(limit)}): it sounds read",
            "Smile while you speak and stress the words that matter: their name, the reason, the day you'll call.",
            evidence=f"pitch variation {num(variation)} semitones"
            + (f" around {num(report.metrics.pitch_median_hz, 0)} Hz" if report.metrics.pitch_median_hz else ""),
        )
    ]


def too_quiet(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    level = report.metrics.loudness_dbfs
    limit = s["min_dbfs"]
    if level is None or math.isnan(level) or level >= limit:
        return []
    shown = "silence" if not math.isfinite(level) else f"{num(level, unlike=limit)} dBFS"
    return [
        finding(
            "VM602",
            s,
            f"Speech at {shown}: quieter than the {num(limit)} dBFS minimum",
            "Move closer to the microphone (a hand's width) or raise the input level, and speak as if across a table.",
            evidence=f"speech loudness {shown}",
        )
    ]


def clipping(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    ratio = report.metrics.clipping_ratio
    limit = s["max_percent"]
    if ratio is None or math.isnan(ratio) or 100.0 * ratio <= limit:
        return []
    percent = 100.0 * ratio
    return [
        finding(
            "VM603",
            s,
            f"{num(percent, 2, unlike=limit)}% of samples are clipped (limit {num(limit, 2)}%): loud parts will crackle",
            "Lower the input gain or move back from the microphone, and turn it slightly off-axis to avoid popping.",
            evidence=f"clipping ratio {num(percent, 3)}%, peak {num(report.metrics.peak_dbfs)} dBFS",
        )
    ]


def noisy(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    snr = report.metrics.snr_db
    limit = s["min_snr_db"]
    if snr is None or math.isnan(snr) or snr >= limit:
        return []
    return [
        finding(
            "VM604",
            s,
            f"Background noise: speech is only {num(snr, unlike=limit)} dB above it (minimum {num(limit)} dB)",
            "Record in a quiet room away from fans, traffic and open-plan chatter; a headset microphone helps.",
            evidence=f"signal-to-noise ratio {num(snr)} dB",
        )
    ]


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
        holds = ", and that is where your number is"
    elif said:
        holds = f": {quote(said, 60)}"
    return [
        finding(
            "VM605",
            s,
            f"Your last {secs(ctx.speech_end_s - tail_start)} (from {secs(tail_start)}) are {num(drop, unlike=limit)} dB "
            f"quieter than the rest (limit {num(limit)} dB){holds}",
            "Keep your volume up to the last digit: take a breath before your closing line and say it like your first.",
            evidence=f"mean level {num(before)} dB before {secs(tail_start)}, {num(after)} dB after",
            start_s=tail_start,
            end_s=ctx.speech_end_s,
        )
    ]


CHECKS = {"VM601": monotone, "VM602": too_quiet, "VM603": clipping, "VM604": noisy, "VM605": trailing_off}
