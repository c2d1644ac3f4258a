"""VM3xx wording: how many words, fillers and hedges stand between the prospect and the point.

For wordiness a phone number counts as one word (the pace rules count each
digit), so saying the number twice, which the coach recommends, does not make
a message "wordy".
"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, at, cap, finding, num, plural, quote, quotes, said_at, secs, text
from coach.rules.catalogue import HEDGE_TIPS
from coach.text.features import split_sentences
from coach.text.matching import tokenize

_TIPS = {" ".join(tokenize(k)): v for k, v in HEDGE_TIPS.items()}


def content_word_count(report: Report) -> int:
    """Words said, with each phone number counted as one word."""
    m = report.metrics
    digits = sum(len(n.digits) for n in m.phone_numbers)
    return max(0, m.word_count - digits + len(m.phone_numbers))


def too_wordy(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    words = content_word_count(report)
    parts = split_sentences(report.words)
    count = report.metrics.sentence_count or len(parts) or 1
    average = words / count
    problems = []
    if words > s["max_words"]:
        problems.append(text(ctx, "VM301", "words", words=words, over=words - s["max_words"]))
    if average > s["max_sentence_words"]:
        problems.append(text(ctx, "VM301", "sentences", average=num(average, unlike=s["max_sentence_words"])))
    if not problems:
        return []
    values: dict[str, object] = {"problems": cap("; ".join(problems)), "words": words, "sentences": count}
    values["s"] = plural(count)
    longest = max(parts, key=len, default=None)
    details: tuple[str, ...] = ()
    start = end = None
    if longest is not None and len(longest) > 1:
        values |= {"count": len(longest), "sentence": quote("".join(w.text for w in longest), 120)}
        details = ("longest",)
        start, end = longest[0].start, longest[-1].end
    return [finding(ctx, "VM301", values, details=details, start_s=start, end_s=end)]


def filler_words(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    m = report.metrics
    fillers = m.fillers
    count = max(m.filler_count, len(fillers))
    minutes = ctx.speech_span_s / 60
    rate = count / minutes if minutes > 0 else 0.0
    too_many = count > s["max_count"]
    too_often = count >= s["min_count_for_rate"] and rate > s["max_per_min"]
    if not (too_many or too_often):
        return []
    said = ", ".join(f'"{f.text.strip()}" {at(f.start)}' for f in fillers[:8])
    values = {
        "count": count,
        "over": count - s["max_count"],
        "span": secs(ctx.speech_span_s),
        "rate": num(rate, unlike=s["max_per_min"]),
        "said": said,
    }
    return [
        finding(
            ctx,
            "VM302",
            values,
            message="count" if too_many else "rate",
            evidence="evidence" if said else "evidence_count",
            start_s=fillers[0].start if fillers else None,
            end_s=fillers[-1].end if fillers else None,
        )
    ]


def hedging(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    matches = ctx.text.find(s["phrases"])
    if len(matches) < s["min_count"]:
        return []
    tips: list[str] = []
    for m in matches:
        tip = _TIPS.get(" ".join(tokenize(m.phrase)), "")
        if tip and tip not in tips:
            tips.append(tip)
    values = {
        "count": len(matches),
        "s": plural(len(matches)),
        "quoted": quotes([m.said for m in matches]),
        "tips": cap("; ".join(tips[:4])),
        "said": said_at(matches),
    }
    return [
        finding(
            ctx,
            "VM303",
            values,
            details=("tips",) if tips else (),
            start_s=matches[0].start_s,
            end_s=matches[-1].end_s,
        )
    ]


CHECKS = {"VM301": too_wordy, "VM302": filler_words, "VM303": hedging}
