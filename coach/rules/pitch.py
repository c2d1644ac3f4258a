"""VM4xx pitch: does the message sound like an ad, about the caller, or give a reason to reply?"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, plural, quotes, said_at


def sounds_like_a_pitch(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    matches = ctx.text.find(s["phrases"])
    total = sum(m.weight for m in matches)
    if not matches or total < s["threshold"]:
        return []
    values = {
        "count": len(matches),
        "s": plural(len(matches)),
        "total": num(total),
        "quoted": quotes([m.said for m in matches]),
        "said": said_at(matches, weights=True),
    }
    return [finding(ctx, "VM401", values, start_s=matches[0].start_s, end_s=matches[-1].end_s)]


def me_focused(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    me = ctx.text.positions(s["me_words"])
    you = ctx.text.positions(s["you_words"])
    if len(me) < s["min_me_words"]:
        return []
    if you and len(me) / len(you) <= s["max_ratio"]:
        return []
    values: dict[str, object] = {"me": len(me), "you": len(you)}
    if you:
        values["ratio"] = num(len(me) / len(you), unlike=s["max_ratio"])
    return [finding(ctx, "VM402", values, message="message" if you else "none_about_them")]


def has_question(report: Report) -> bool:
    return bool(report.metrics.questions) or "?" in (report.transcript or "")


def no_question(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if has_question(report) or ctx.text.find(s["hooks"]):
        return []
    return [finding(ctx, "VM403", {"hooks": quotes(list(s["hooks"]), 3)})]


def question_or_hook(report: Report, ctx: Context, hooks) -> str:
    """The first question asked, else the first curiosity hook, else ""."""
    if report.metrics.questions:
        return report.metrics.questions[0].text
    found = ctx.text.find(hooks)
    return found[0].said if found else ""


CHECKS = {"VM401": sounds_like_a_pitch, "VM402": me_focused, "VM403": no_question}
