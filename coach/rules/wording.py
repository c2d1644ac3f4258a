"""VM3xx wording: how many words, fillers and hedges stand between the prospect and the point.

For wordiness a phone number counts as one word (the pace rules count each
digit), so saying the number twice, which the coach recommends, does not make
a message "wordy".
"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, at, finding, num, quote, quotes
from coach.text.features import split_sentences
from coach.text.matching import tokenize

#: Plain replacements for common hedges, used in VM303's fix when they were said.
_HEDGE_ADVICE = {
    "just wanted to": 'say "I\'m calling because ..." instead of "just wanted to"',
    "just calling to": 'say "I\'m calling because ..." instead of "just calling to"',
    "sorry to bother you": 'drop "sorry to bother you": open with their name and yours',
    "sorry to bother": 'drop "sorry to bother": open with their name and yours',
    "i was wondering if": 'ask the question directly instead of "I was wondering if"',
    "touch base": 'replace "touch base" with the actual reason for the call',
    "if you get a chance": 'drop "if you get a chance"',
    "hopefully": 'replace "hopefully" with what you will do: "I\'ll try you Thursday at 10"',
    "kind of": 'drop "kind of"',
    "sort of": 'drop "sort of"',
    "just checking in": 'replace "just checking in" with one new, specific reason',
    "no pressure": 'drop "no pressure"',
}

_ADVICE = {" ".join(tokenize(k)): v for k, v in _HEDGE_ADVICE.items()}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


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
        problems.append(f"{words} words: {words - s['max_words']} over the {s['max_words']}-word limit")
    if average > s["max_sentence_words"]:
        problems.append(
            f"sentences average {num(average, unlike=s['max_sentence_words'])} words (limit {s['max_sentence_words']})"
        )
    if not problems:
        return []
    longest = max(parts, key=len, default=None)
    fix = "One reason, one next step: cut feature lists and split long sentences in two."
    start = end = None
    if longest is not None and len(longest) > 1:
        text = "".join(w.text for w in longest)
        fix += f" Start with the longest sentence ({len(longest)} words): {quote(text, 120)}"
        start, end = longest[0].start, longest[-1].end
    return [
        finding(
            "VM301",
            s,
            _cap("; ".join(problems)),
            fix,
            evidence=f"{words} words in {count} sentence{'s' if count != 1 else ''}",
            start_s=start,
            end_s=end,
        )
    ]


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
    if too_many:
        message = f"{count} fillers: {count - s['max_count']} over the limit of {s['max_count']}"
    else:
        message = f"{count} fillers in {num(ctx.speech_span_s)} s: {num(rate, unlike=s['max_per_min'])} a minute (limit {num(s['max_per_min'])})"
    evidence = ", ".join(f'"{f.text.strip()}" {at(f.start)}' for f in fillers[:8])
    return [
        finding(
            "VM302",
            s,
            message,
            "Pause silently instead of filling; write your opening and your number down and rehearse them until they come without um.",
            evidence=evidence or f"{count} fillers",
            start_s=fillers[0].start if fillers else None,
            end_s=fillers[-1].end if fillers else None,
        )
    ]


def hedging(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    matches = ctx.text.find(s["phrases"])
    if len(matches) < s["min_count"]:
        return []
    advice = []
    for m in matches:
        tip = _ADVICE.get(" ".join(tokenize(m.phrase)), "")
        if tip and tip not in advice:
            advice.append(tip)
    fix = 'Cut the hedges and say it straight: "I\'m calling because ...".'
    if advice:
        fix += " " + _cap("; ".join(advice[:4])) + "."
    return [
        finding(
            "VM303",
            s,
            f"{len(matches)} hedging phrase{'s' if len(matches) != 1 else ''}: {quotes([m.said for m in matches])}",
            fix,
            evidence=", ".join(f'"{m.said}" {at(m.start_s)}'.strip() for m in matches),
            start_s=matches[0].start_s,
            end_s=matches[-1].end_s,
        )
    ]


CHECKS = {"VM301": too_wordy, "VM302": filler_words, "VM303": hedging}
