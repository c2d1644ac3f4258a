"""What the message did well: coaching is not only faults.

Each strength is the positive side of a rule, judged with that rule's
settings (the pace strength uses the ideal band in ``[strengths]``, inside
the rules' limits), so a strength never contradicts a finding. Strengths
read from the transcript are only claimed when the transcript is reliable
(see :mod:`coach.rules.reliability`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from coach.report import Report, Strength
from coach.rules.base import Context, num, quote, secs
from coach.rules.callback import next_step, number_groups
from coach.rules.intro import prospect_mention
from coach.rules.pitch import question_or_hook
from coach.text.phone_numbers import shown_number

if TYPE_CHECKING:
    from coach.config import Config


def find_strengths(report: Report, config: Config, ctx: Context) -> list[Strength]:
    out = _acoustic(report, config, ctx)
    if ctx.transcript_reliable:
        out = _spoken(report, config, ctx) + out
    return out


def _acoustic(report: Report, config: Config, ctx: Context) -> list[Strength]:
    m = report.metrics
    out = []
    span = ctx.speech_span_s
    if config.rule("VM102")["min_s"] <= span <= config.strengths["short_s"]:
        out.append(
            Strength(
                "Short and to the point", f"{secs(span)} from first word to last: short enough to be heard to the end."
            )
        )
    variation = m.pitch_variation_st
    if variation is not None and math.isfinite(variation) and variation >= config.strengths["expressive_st"]:
        out.append(
            Strength("Lively voice", f"Your pitch moves across {num(variation)} semitones: it sounds spoken, not read.")
        )
    clean = (
        _at_least(m.snr_db, config.rule("VM604")["min_snr_db"])
        and m.clipping_ratio is not None
        and 100 * m.clipping_ratio <= config.rule("VM603")["max_percent"]
        and _at_least(m.loudness_dbfs, config.rule("VM602")["min_dbfs"])
    )
    if clean:
        out.append(
            Strength(
                "Clean recording",
                f"Clear audio: {num(m.snr_db, 0)} dB above the background noise, no clipping, a good level.",
            )
        )
    return out


def _spoken(report: Report, config: Config, ctx: Context) -> list[Strength]:
    m = report.metrics
    out = []
    intro = m.introduction
    if intro is not None and intro.start - ctx.speech_start_s <= config.strengths["early_intro_s"]:
        said = intro.phrase or intro.name
        out.append(
            Strength(
                "Introduced yourself early",
                f"You said who you are {secs(max(0.0, intro.start - ctx.speech_start_s))} in: {quote(said)}.",
            )
        )
    vm702 = config.rule("VM702")
    mention = prospect_mention(ctx, vm702["min_similarity"], vm702["greeting_similarity"])
    if mention is not None:
        out.append(Strength("Used their name", f"You said {quote(mention.said)}: the message is clearly for them."))
    hook = question_or_hook(report, ctx, config.rule("VM403")["hooks"])
    if hook:
        out.append(Strength("Gave them a reason to reply", f"{quote(hook)} gives them something to think about."))
    commitments, times = next_step(ctx)
    if commitments and times:
        out.append(
            Strength(
                "Specific next step",
                f"You committed to your next attempt ({quote(commitments[0].said)}) with a time ({quote(times[0].said)}).",
            )
        )
    for group in number_groups(m.phone_numbers):
        if len(group) >= 2:
            times_said = "twice" if len(group) == 2 else f"{len(group)} times"
            out.append(
                Strength(
                    "Number said twice",
                    f"You said {shown_number(max(group, key=lambda n: len(n.digits)))} {times_said}, "
                    "so they can check it without replaying.",
                )
            )
            break
    limit = config.rule("VM203")["max_digits_per_s"]
    if m.phone_numbers and all(0 < n.digits_per_s <= limit for n in m.phone_numbers):
        slowest = max(n.digits_per_s for n in m.phone_numbers)
        out.append(
            Strength(
                "Number easy to write down",
                f"You gave your number at {num(slowest)} digits a second, slow enough to write down (limit {num(limit)}).",
            )
        )
    low, high = config.strengths["ideal_min_wpm"], config.strengths["ideal_max_wpm"]
    min_words = max(config.rule("VM202")["min_words"], config.rule("VM201")["min_words"])
    if m.word_count >= min_words and low <= m.wpm <= high:
        out.append(
            Strength(
                "Pace in the sweet spot",
                f"{num(m.wpm, 0)} words a minute, inside the ideal {num(low, 0)}-{num(high, 0)}.",
            )
        )
    if m.filler_count == 0 and not m.fillers and m.word_count >= 10:
        out.append(Strength("No fillers", f"Not one um or uh in {m.word_count} words."))
    diff = report.script_diff
    if diff is not None and 100 * diff.changed_ratio <= config.rule("VM801")["max_changed_percent"]:
        out.append(
            Strength("On script", f"Only {num(100 * diff.changed_ratio, 0)}% of the script's words changed or skipped.")
        )
    return out


def _at_least(value, limit: float) -> bool:
    return value is not None and math.isfinite(value) and value >= limit
