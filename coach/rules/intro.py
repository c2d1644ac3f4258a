"""VM7xx introduction: does the caller say who they are, and the prospect's name?"""

from __future__ import annotations

from difflib import SequenceMatcher

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, quote, text
from coach.text.matching import Match, tokenize


def no_introduction(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if report.metrics.introduction is not None:
        return []
    values = {"greeting": text(ctx, "VM701", "greeting", first=ctx.prospect.split()[0])} if ctx.prospect else {}
    return [finding(ctx, "VM701", values)]


_GREETINGS = {"hi", "hey", "hello", "morning", "afternoon", "evening"}


def prospect_mention(ctx: Context, min_similarity: float, greeting_similarity: float = 1.0) -> Match | None:
    """Where any part of the prospect's name is said, allowing for transcription slips.

    A word counts when it is at least ``min_similarity`` like a part of the
    name; right after the greeting ("Hi, Ora"), where a name is all but
    certain, ``greeting_similarity`` is enough, since Whisper often mishears
    a name it does not know.
    """
    if not ctx.prospect:
        return None
    parts = [p for p in tokenize(ctx.prospect) if len(p) >= 2]
    tokens = ctx.text.tokens
    for i, token in enumerate(tokens):
        after_greeting = i > 0 and tokens[i - 1] in _GREETINGS and i <= 3
        needed = min(min_similarity, greeting_similarity) if after_greeting else min_similarity
        if any(token == p or SequenceMatcher(None, token, p).ratio() >= needed for p in parts):
            said, start, end = ctx.text.span(i, i)
            return Match(ctx.prospect, said, i, i, start, end)
    return None


def no_prospect_name(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if not ctx.prospect or prospect_mention(ctx, s["min_similarity"], s["greeting_similarity"]) is not None:
        return []
    return [finding(ctx, "VM702", {"prospect": quote(ctx.prospect), "first": ctx.prospect.split()[0]})]


CHECKS = {"VM701": no_introduction, "VM702": no_prospect_name}
