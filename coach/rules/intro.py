"""VM7xx introduction: does the caller say who they are, and the prospect's name?"""

from __future__ import annotations

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, quote, text
from coach.text.matching import Match, tokenize
from coach.text.names import match_name


def no_introduction(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if report.metrics.introduction is not None:
        return []
    values: dict[str, object] = {}
    if ctx.prospect:
        values["greeting"] = text(ctx, "VM701", "greeting", first=ctx.prospect.split()[0])
    rep = report.rep
    if rep is not None and rep.name:
        values["you"] = rep.name
        values["yours"] = text(ctx, "VM701", "yours", name=rep.name)
    if rep is not None and rep.company:
        values["company"] = rep.company
    return [finding(ctx, "VM701", values)]


_GREETINGS = {"hi", "hey", "hello", "morning", "afternoon", "evening"}


def prospect_mention(ctx: Context, min_similarity: float, greeting_similarity: float = 1.0) -> Match | None:
    """Where any part of the prospect's name is said, allowing for transcription slips.

    A word counts when it is at least ``min_similarity`` like a part of the
    name in spelling (:mod:`coach.text.names`); right after the greeting
    ("Hi, Ora"), where a name is all but certain, ``greeting_similarity`` is
    enough, and so is a word that sounds the same ("Hi Donna" for Dana) unless
    ``greeting_similarity`` is 1 (exact), since Whisper often mishears a name
    it does not know.
    """
    if not ctx.prospect:
        return None
    parts = [p for p in tokenize(ctx.prospect) if len(p) >= 2]
    tokens = ctx.text.tokens
    for i, token in enumerate(tokens):
        after_greeting = i > 0 and tokens[i - 1] in _GREETINGS and i <= 3
        needed = min(min_similarity, greeting_similarity) if after_greeting else min_similarity
        by_sound = after_greeting and needed < 1.0
        if any(match_name(token, p, needed, by_sound=by_sound) is not None for p in parts):
            said, start, end = ctx.text.span(i, i)
            return Match(ctx.prospect, said, i, i, start, end)
    return None


def no_prospect_name(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if not ctx.prospect or prospect_mention(ctx, s["min_similarity"], s["greeting_similarity"]) is not None:
        return []
    return [finding(ctx, "VM702", {"prospect": quote(ctx.prospect), "first": ctx.prospect.split()[0]})]


CHECKS = {"VM701": no_introduction, "VM702": no_prospect_name}
