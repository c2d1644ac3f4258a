"""VM4xx pitch: does the message sound like an ad, about the caller, or give a reason to reply?"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, at, finding, num, quotes


def sounds_like_a_pitch(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    matches = ctx.text.find(s["phrases"])
    total = sum(m.weight for m in matches)
    if not matches or total < s["threshold"]:
        return []
    return [
        finding(
            "VM401",
            s,
            f"Sounds like an ad: {len(matches)} pitch phrase{'s' if len(matches) != 1 else ''} "
            f"(weight {num(total)}, limit {num(s['threshold'])}): {quotes([m.said for m in matches])}",
            "Cut the offers and buzzwords; replace them with one specific, observed reason you are calling "
            'this prospect ("I saw you opened a third store last month ...") and a question about it.',
            evidence=", ".join(f'"{m.said}" ({num(m.weight)}) {at(m.start_s)}'.strip() for m in matches),
            start_s=matches[0].start_s,
            end_s=matches[-1].end_s,
        )
    ]


def me_focused(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    me = ctx.text.positions(s["me_words"])
    you = ctx.text.positions(s["you_words"])
    if len(me) < s["min_me_words"]:
        return []
    if you and len(me) / len(you) <= s["max_ratio"]:
        return []
    if you:
        ratio = len(me) / len(you)
        message = (
            f"{len(me)} words about you (I, we, our ...) against {len(you)} about them (you, your): "
            f"{num(ratio, unlike=s['max_ratio'])} to 1 (limit {num(s['max_ratio'])} to 1)"
        )
    else:
        message = f"{len(me)} words about you (I, we, our ...) and none about them (you, your)"
    return [
        finding(
            "VM402",
            s,
            message,
            'Turn sentences that start with "We" or "I" around to start with them: '
            '"We help companies cut payroll time" becomes "Your team could cut payroll time ...".',
            evidence=f"me-words: {len(me)}, you-words: {len(you)}",
        )
    ]


def has_question(report: Report) -> bool:
    return bool(report.metrics.questions) or "?" in (report.transcript or "")


def no_question(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if has_question(report) or ctx.text.find(s["hooks"]):
        return []
    return [
        finding(
            "VM403",
            s,
            "No question and nothing to make them curious: the message only makes statements",
            'Add one question about their situation, for example "How are you handling payroll across all '
            'three stores?", or a specific observation: "I noticed you opened a Denver office ...".',
            evidence=f'no sentence ends in "?"; no curiosity phrase ({quotes(list(s["hooks"]), 3)} ...)',
        )
    ]


def question_or_hook(report: Report, ctx: Context, hooks) -> str:
    """The first question asked, else the first curiosity hook, else ""."""
    if report.metrics.questions:
        return report.metrics.questions[0].text
    found = ctx.text.find(hooks)
    return found[0].said if found else ""


CHECKS = {"VM401": sounds_like_a_pitch, "VM402": me_focused, "VM403": no_question}
