"""VM4xx pitch: does the message sound like an ad, about the caller, or give a reason to reply?

VM401 adds up the weights of what makes a message a pitch: the phrases of
its list (offers, buzzwords, "we help" claims, offers to "share details"),
and two shapes no phrase list can name (:func:`pitch_signals`):

- a **promise** of money or a percentage: an amount ("$13", "millions",
  "30 percent", "20%") within ``promise_window`` words of a promise word
  ("earn", "save", "adding", "cut") in the same sentence: "earn $13 per
  MCF", "adding millions in revenue";
- a **feature list**: ``feature_list_items`` or more short items in a row
  separated by commas, the last after "and"/"or": "cross docking,
  warehousing, and last mile delivery".

Each weighs what the settings say; the finding quotes every signal as said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coach.report import Finding, Report
from coach.rules.base import Context, Settings, finding, num, plural, quote, quotes, said_at, text
from coach.text.features import split_sentences
from coach.text.matching import Match, TextIndex, tokenize

#: The phrase of a structural signal's :class:`Match`, also the name of its VM401 text.
PROMISE = "promise"
FEATURE_LIST = "feature_list"
#: A feature list's middle items are at most this many words ("cross docking", "warehousing").
_ITEM_WORDS = 4
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_AMOUNT_WORDS = frozenset({"percent", "million", "millions", "billion", "billions", "dollars", "bucks"})


def _sentence_of(index: TextIndex) -> list[int]:
    """The sentence number of each token (by the words' sentence ends)."""
    ids = {id(w): i for i, w in enumerate(index.words)}
    sentence_of_word = {}
    for n, sentence in enumerate(split_sentences(index.words)):
        for w in sentence:
            sentence_of_word[ids[id(w)]] = n
    return [sentence_of_word.get(w, -1) if w is not None else 0 for w in index.token_word]


def _is_amount(index: TextIndex, i: int) -> bool:
    """A money amount or a percentage at token ``i``: "$13", "millions", "30 percent" ("30%")."""
    token = index.tokens[i]
    if token in _AMOUNT_WORDS:
        return True
    word = index.token_word[i]
    return bool(_NUMBER.match(token)) and word is not None and "$" in index.words[word].text


def find_promises(index: TextIndex, words: Iterable[str], window: int, weight: float) -> list[Match]:
    """Money or percentage promises: an amount within ``window`` words of a promise word, one sentence."""
    promise = {t for w in words for t in tokenize(w)}
    sentence = _sentence_of(index)
    found: list[Match] = []
    used: set[int] = set()
    for i in range(len(index.tokens)):
        if not _is_amount(index, i) or i in used:
            continue
        near = [
            j
            for j in range(max(0, i - window), min(len(index.tokens), i + window + 1))
            if index.tokens[j] in promise and sentence[j] == sentence[i] and j not in used
        ]
        if not near:
            continue
        j = min(near, key=lambda k: abs(k - i))
        first, last = min(i, j), max(i, j)
        while last + 1 < len(index.tokens) and last + 1 not in used and _is_amount(index, last + 1):
            last += 1  # "30 percent", "13 dollars"
        used.update(range(first, last + 1))
        found.append(index.match(PROMISE, first, last, weight))
    return sorted(found, key=lambda m: m.first)


def find_feature_lists(index: TextIndex, items: int, weight: float) -> list[Match]:
    """Lists of ``items`` or more short comma-separated items closed by "and"/"or" X, one per sentence."""
    if not index.words:
        return []
    first_token: dict[int, int] = {}
    last_token: dict[int, int] = {}
    for t, word_index in enumerate(index.token_word):
        if word_index is not None:
            first_token.setdefault(word_index, t)
            last_token[word_index] = t
    ids = {id(w): i for i, w in enumerate(index.words)}
    found = []
    for sentence in split_sentences(index.words):
        segments: list[list[int]] = [[]]
        for w in sentence:
            i = ids[id(w)]
            if i in first_token:
                segments[-1].append(i)
            if w.text.rstrip().endswith(","):
                segments.append([])
        segments = [seg for seg in segments if seg]
        best: tuple[int, int] | None = None
        k = 1
        while k < len(segments):
            run = k
            while run < len(segments) and len(segments[run]) <= _ITEM_WORDS and not _closes(index, segments[run]):
                run += 1
            if run < len(segments) and _closes(index, segments[run]) and run - k + 1 >= items:
                best = (k, run)
                break
            k = max(run, k + 1)
        if best is not None:
            a, b = segments[best[0]][0], segments[best[1]][-1]
            found.append(index.match(FEATURE_LIST, first_token[a], last_token[b], weight))
    return found


def _closes(index: TextIndex, segment: list[int]) -> bool:
    words = tokenize(index.words[segment[0]].text)
    return bool(words) and words[0] in ("and", "or")


def pitch_signals(ctx: Context, s: Settings) -> list[Match]:
    """Everything VM401 weighs, in order: list phrases, promises, feature lists (overlaps counted once)."""
    signals = ctx.text.find(s["phrases"])
    taken = {i for m in signals for i in range(m.first, m.last + 1)}
    structure = find_promises(ctx.text, s["promise_words"], s["promise_window"], s["promise_weight"])
    structure += find_feature_lists(ctx.text, s["feature_list_items"], s["feature_list_weight"])
    for m in sorted(structure, key=lambda m: m.first):
        span = set(range(m.first, m.last + 1))
        if m.phrase == PROMISE and span & taken:
            continue  # "save you money" is already a phrase of the list
        taken |= span
        signals.append(m)
    return sorted(signals, key=lambda m: m.first)


def sounds_like_a_pitch(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    matches = pitch_signals(ctx, s)
    total = sum(m.weight for m in matches)
    if not matches or total < s["threshold"]:
        return []
    shown = [
        text(ctx, "VM401", m.phrase, said=quote(m.said, 60)) if m.phrase in (PROMISE, FEATURE_LIST) else quote(m.said)
        for m in matches
    ]
    values = {
        "count": len(matches),
        "s": plural(len(matches)),
        "total": num(total),
        "quoted": ", ".join(shown),
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
