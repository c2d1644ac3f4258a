"""Where the caller says who they are: "this is Sam from Acme", "my name is", "it's Sam"."""

from __future__ import annotations

import re

from coach.report import Introduction, Word
from coach.text.features import is_filler
from coach.text.tokens import EDGE_PUNCT, HAS_WORD, core, join_words


class _Tok:
    """A word for phrase matching: lower-case core, display form, word range."""

    __slots__ = ("core", "shown", "first", "last", "closes")

    def __init__(self, core: str, shown: str, first: int, last: int, closes: str):
        self.core = core
        self.shown = shown
        self.first = first
        self.last = last
        self.closes = closes  # trailing punctuation ("" if none): a name or company stops here

    @property
    def capitalised(self) -> bool:
        return self.shown[:1].isupper() or self.shown[:1].isdigit()


def _tokens(words: list[Word]) -> list[_Tok]:
    """Words for matching; "'s"/"'m" that Whisper split off (no leading space) join the word before."""
    toks: list[_Tok] = []
    for i, w in enumerate(words):
        raw = w.text.strip().replace("\u2019", "'")
        if raw == "&":
            toks.append(_Tok("&", "&", i, i, ""))
            continue
        if not HAS_WORD.search(raw):
            if toks and not toks[-1].closes:
                toks[-1].closes = raw[-1:]
            continue
        shown = EDGE_PUNCT.sub("", raw)
        trailing = re.search(r"[.,;:!?\u2026-]+[\"')\]]*$", raw)
        closes = trailing.group(0)[0] if trailing else ""
        if w.text.startswith("'") and toks and toks[-1].last == i - 1:
            prev = toks[-1]
            toks[-1] = _Tok(prev.core + "'" + core(raw), prev.shown + "'" + shown, prev.first, i, closes)
            continue
        toks.append(_Tok(core(raw), shown, i, i, closes))
    return toks


#: First words that cannot be a caller's name ("this is a quick message", "this is about ...").
_NOT_NAMES = frozenset(
    {
        "a",
        "an",
        "the",
        "about",
        "regarding",
        "re",
        "just",
        "your",
        "my",
        "our",
        "his",
        "her",
        "their",
        "its",
        "it",
        "i",
        "we",
        "you",
        "they",
        "he",
        "she",
        "this",
        "that",
        "these",
        "those",
        "quick",
        "calling",
        "following",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "so",
        "and",
        "but",
        "hi",
        "hey",
        "hello",
        "dear",
        "good",
        "great",
        "not",
        "what",
        "why",
        "how",
        "when",
        "where",
        "who",
        "here",
        "there",
        "also",
        "actually",
        "really",
        "only",
        "again",
        "sorry",
        "thanks",
        "thank",
        "yes",
        "no",
        "ok",
        "okay",
        "um",
        "uh",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "tomorrow",
        "yesterday",
        "tonight",
    }
)
_TITLES_CORE = frozenset({"mr", "mrs", "ms", "dr", "prof"})
#: Words allowed between the name and "from/with/at Company".
_BRIDGES = frozenset({"calling", "over", "here", "again"})
_COMPANY_PREPOSITIONS = frozenset({"from", "with", "at"})
_COMPANY_JOINERS = frozenset({"&", "and", "of"})
_GREETINGS = frozenset({"hi", "hey", "hello", "morning", "afternoon", "evening"})
_MAX_NAME_WORDS = 3
_MAX_COMPANY_WORDS = 4


def _name_at(toks: list[_Tok], k: int) -> int | None:
    """Index after a capitalised name starting at ``k`` (1-3 words), or None."""
    if k >= len(toks):
        return None
    first = toks[k]
    if not first.capitalised or first.core in _NOT_NAMES or any(c.isdigit() for c in first.core):
        return None
    end = k
    while end < len(toks) and end - k < _MAX_NAME_WORDS:
        tok = toks[end]
        if end > k and (not tok.capitalised or tok.core in _NOT_NAMES or tok.core in _BRIDGES):
            break
        end += 1
        if tok.closes and tok.core not in _TITLES_CORE:
            break  # "Sam," / "Sam." ends the name; "Mr." does not
    return end


def _company_at(toks: list[_Tok], k: int) -> int | None:
    """Index after a capitalised company name starting at ``k``, or None."""
    if k >= len(toks) or not toks[k].capitalised or toks[k].core in _NOT_NAMES:
        return None
    end = k
    while end < len(toks) and end - k < _MAX_COMPANY_WORDS:
        tok = toks[end]
        if end > k and not tok.capitalised:
            joins = (
                tok.core in _COMPANY_JOINERS
                and not toks[end - 1].closes
                and end + 1 < len(toks)
                and toks[end + 1].capitalised
            )
            if not joins:
                break
        end += 1
        if tok.closes:
            break
    return end


def _soft_break(tok: _Tok) -> bool:
    """No punctuation after ``tok``, or only a comma ("Sam, from Acme")."""
    return tok.closes in ("", ",")


def _after_name(toks: list[_Tok], end: int) -> tuple[tuple[int, int] | None, int]:
    """Company span and the phrase's last token index after a name ending at ``end``.

    Accepts "Sam from Acme", "Sam, from Acme", "Sam calling from Acme",
    "Sam here with Acme", "Sam over at Acme", and a trailing "here"
    ("Sam from Acme here"). A sentence end after the name stops the search.
    """
    k = end
    while k < len(toks) and toks[k].core in _BRIDGES and _soft_break(toks[k - 1]):
        k += 1
    last = end - 1
    if k < len(toks) and toks[k].core in _COMPANY_PREPOSITIONS and _soft_break(toks[k - 1]):
        company_end = _company_at(toks, k + 1)
        if company_end is not None:
            last = company_end - 1
            if company_end < len(toks) and toks[company_end].core == "here" and _soft_break(toks[last]):
                last = company_end
            return (k + 1, company_end), last
    if end < len(toks) and toks[end].core == "here" and _soft_break(toks[end - 1]):
        last = end
    return None, last


def _strip_name(toks: list[_Tok]) -> str:
    """Words as shown, without punctuation except a title's period ("Dr. Sam Lee")."""
    return " ".join(t.shown + ("." if t.core in _TITLES_CORE and t.closes == "." else "") for t in toks)


def _introduction(words: list[Word], toks: list[_Tok], start: int, name_k: int, name_end: int) -> Introduction:
    company, last = _after_name(toks, name_end)
    return Introduction(
        name=_strip_name(toks[name_k:name_end]),
        start=words[toks[start].first].start,
        end=words[toks[last].last].end,
        company=_strip_name(toks[company[0] : company[1]]) if company else None,
        phrase=join_words(words[toks[start].first : toks[last].last + 1]).rstrip(",.;:!?"),
    )


def _clause_start(toks: list[_Tok], k: int) -> bool:
    """At the first word or after punctuation ("Hi Dana, Sam from ...")."""
    return k == 0 or bool(toks[k - 1].closes)


def find_introduction(words: list[Word]) -> Introduction | None:
    """The first place the caller says who they are, or None.

    Forms: "this is X", "my name is X" / "my name's X", "I'm X" / "I am X",
    "it's X from Y" (an "it's X" needs "from/with/at/here/calling" after it:
    "it's Thursday" is no introduction), "X here", "X here from Y",
    "X from Y here", and "X from Y" at the start of a clause ("Hi Dana, Sam
    from Acme"). X is 1-3 capitalised words that are not function words, so
    "this is a quick message", "this is about" and "this is regarding" are
    skipped; Y ("from/with/at Y", also "calling from Y", "over at Y") is 1-4
    capitalised words ("and", "of", "&" may join them). ``start`` is the start
    of the phrase ("this", "my", or the name), ``end`` the end of its last word.
    """
    toks = _tokens(words)
    cores = [t.core for t in toks]
    for k in range(len(toks)):
        c0, c1, c2 = (cores[k : k + 3] + ["", ""])[:3]
        lead = _lead_length(c0, c1, c2)
        if lead is not None:
            while k + lead < len(toks) and is_filler(cores[k + lead]):
                lead += 1  # "this is, uh, Jordan"
            name_end = _name_at(toks, k + lead)
            if name_end is not None:
                return _introduction(words, toks, k, k + lead, name_end)
            continue
        if c0 == "it's" or (c0, c1) == ("it", "is"):
            lead = 1 if c0 == "it's" else 2
            name_end = _name_at(toks, k + lead)
            if name_end is not None:
                intro = _introduction(words, toks, k, k + lead, name_end)
                if intro.company is not None or _bridge_follows(toks, name_end):
                    return intro
            continue
        if not _clause_start(toks, k):
            continue
        name_end = _name_at(toks, k)
        if name_end is None or not _soft_break(toks[name_end - 1]):
            continue
        intro = _introduction(words, toks, k, k, name_end)
        ends_here = core(intro.phrase.split()[-1]) == "here" if intro.phrase else False
        after_greeting = k > 0 and cores[k - 1] in _GREETINGS
        if ends_here or (intro.company is not None and not after_greeting):
            return intro
    return None


def _lead_length(c0: str, c1: str, c2: str) -> int | None:
    """Words in a self-naming lead ("this is", "my name is", "I'm") at c0, or None."""
    if (c0, c1) in (("this", "is"), ("i", "am"), ("my", "name's")):
        return 2
    if c0 in ("this's", "i'm", "name's"):
        return 1
    if (c0, c1, c2) == ("my", "name", "is"):
        return 3
    return None


def _bridge_follows(toks: list[_Tok], end: int) -> bool:
    return end < len(toks) and toks[end].core in _BRIDGES and _soft_break(toks[end - 1])
