"""Where the caller says who they are: "this is Sam from Acme", "my name is", "it's Sam".

Without the rep's profile the finder reads the words alone (:func:`find_introduction`'s
forms). With it (:class:`~coach.report.RepProfile`: the rep's name and
company), the rep's own name is also looked for the tolerant way of
:mod:`coach.text.names`, since Whisper mishears names it does not know: "This
is Ben Ortiz with Clearpath Security" came back as "This has been Ortiz with
ClearPath Security", which the forms miss. See :func:`_profile_introduction`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.report import Introduction, RepProfile, Word
from coach.text.features import is_filler
from coach.text.names import letters, match_name, name_parts
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


#: First words that cannot be a caller's name ("this is a quick message", "this is about ...", and the
#: callback number's words: "Number here is 646-555-0183" is no "Sam here").
_NOT_NAMES = frozenset(
    {
        "number",
        "phone",
        "line",
        "cell",
        "mobile",
        "office",
        "direct",
        "email",
        "e-mail",
        "extension",
        "contact",
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


def find_introduction(
    words: list[Word], rep: RepProfile | None = None, *, min_similarity: float = 0.8
) -> Introduction | None:
    """The first place the caller says who they are, or None.

    With ``rep`` (a name or a company given), the rep's own name is also
    found the tolerant way (:func:`_profile_introduction`, a part of the name
    at least ``min_similarity`` alike in spelling or with the same sound),
    and the earlier of the two introductions wins. Without it, only the forms
    below count.

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
    found = _form_introduction(words, toks)
    if rep is not None and (rep.name or rep.company):
        by_profile = _profile_introduction(words, toks, rep, min_similarity)
        if by_profile is not None and (found is None or by_profile.start < found.start):
            return by_profile
        if found is not None and by_profile is not None and by_profile.start == found.start:
            found.profile_match = by_profile.profile_match
    return found


def _form_introduction(words: list[Word], toks: list[_Tok]) -> Introduction | None:
    """The first introduction in one of :func:`find_introduction`'s forms."""
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


# -- with the rep's profile ------------------------------------------------------

#: Self-naming leads before a name, as lower-case words; "this has" and "this was" are how
#: Whisper writes "this is" when the name after it is misheard ("This has been Ortiz").
_LEADS = (("this", "is"), ("this", "has"), ("this", "was"), ("my", "name", "is"), ("i", "am"), ("it", "is"))
_LEAD_WORDS = ("this's", "i'm", "it's", "name's")


@dataclass(frozen=True)
class _NameSpan:
    """Tokens ``first``..``end - 1`` say ``parts`` consecutive parts of the rep's name, in order."""

    first: int
    end: int
    parts: int
    #: The weakest way a part matched: "exact", "spelling" or "sound".
    how: str
    #: At least one part matched exactly or by spelling (not by sound alone).
    strong: bool


_STRENGTH = {"exact": 0, "spelling": 1, "sound": 2}


def _name_spans(toks: list[_Tok], parts: list[str], min_similarity: float) -> list[_NameSpan]:
    """At each token where the name's parts start to be said, the longest run that says them."""
    spans = []
    for k in range(len(toks)):
        best: _NameSpan | None = None
        for s in range(len(parts)):
            e, j, how, strong = k, s, "exact", False
            while e < len(toks) and j < len(parts):
                m = match_name(toks[e].core, parts[j], min_similarity, by_sound=min_similarity < 1.0)
                if m is None:
                    break
                strong = strong or m.how != "sound"
                how = max(how, m.how, key=_STRENGTH.__getitem__)
                e, j = e + 1, j + 1
            if e == k:
                continue
            span = _NameSpan(k, e, e - k, how, strong)
            if best is None or (span.parts, span.strong) > (best.parts, best.strong):
                best = span
        if best is not None:
            spans.append(best)
    return spans


def _lead_before(toks: list[_Tok], k: int) -> int | None:
    """Index of a self-naming lead ending just before token ``k`` (fillers may follow it), or None."""
    j = k
    while j > 0 and is_filler(toks[j - 1].core):
        j -= 1
    for lead in _LEADS:
        n = len(lead)
        if j >= n and tuple(t.core for t in toks[j - n : j]) == lead:
            return j - n
    if j >= 1 and toks[j - 1].core in _LEAD_WORDS:
        return j - 1
    return None


def _name_like(tok: _Tok) -> bool:
    """A capitalised word that can be a name: not a function word ("I'm", "We", "Thursday")."""
    return tok.capitalised and tok.core.split("'")[0] not in _NOT_NAMES and not any(c.isdigit() for c in tok.core)


def _company_matches(toks: list[_Tok], k: int, company: list[str], min_similarity: float) -> int | None:
    """Index after the profile's company said from token ``k`` (its first word enough), or None."""
    if not company or k >= len(toks):
        return None
    e = k
    for part in company:
        if e >= len(toks) or match_name(toks[e].core, part, min_similarity, by_sound=min_similarity < 1.0) is None:
            break
        e += 1
    # Whisper may join or split a company's words ("ClearPath" for "Clear Path"): compare the letters.
    if e == k:
        joined = letters("".join(company))
        for size in (1, 2, 3):
            said = letters("".join(t.core for t in toks[k : k + size]))
            if said and match_name(said, joined, min_similarity) is not None:
                return k + size
        return None
    return e


def _profile_introduction(
    words: list[Word], toks: list[_Tok], rep: RepProfile, min_similarity: float
) -> Introduction | None:
    """The first place the rep says their own name (or name and company), read tolerantly.

    A run of words that sound like or are spelt nearly like the parts of the
    rep's name, in order, counts when it is an introduction by its context:

    - the whole name (two or more parts) with at least one part heard exactly
      or nearly ("been Ortiz" for Ben Ortiz);
    - before "from/with/at" and the profile's company ("been with ClearPath");
    - after a self-naming lead ("this is", "my name is", "I'm", "it's", and
      "this has", Whisper's version of "this is" before a misheard name),
      or before "here" or "from/with/at" and any company, when the word is
      the name as spelt or is capitalised as a name.

    With a company and no name, "X from/with/at COMPANY" counts, where X is a
    capitalised word and COMPANY the profile's (tolerantly). Everyday words
    that share a name's sound ("some" for Sam) never count alone.
    """
    parts = [letters(p) for p in name_parts(rep.name)]
    company = [letters(p) for p in name_parts(rep.company)]
    for span in _name_spans(toks, parts, min_similarity) if parts else []:
        lead = _lead_before(toks, span.first)
        after = span.end
        while after < len(toks) and toks[after].core in _BRIDGES and _soft_break(toks[after - 1]):
            after += 1
        company_end, ours = None, False
        if after < len(toks) and toks[after].core in _COMPANY_PREPOSITIONS and _soft_break(toks[after - 1]):
            company_end = _company_matches(toks, after + 1, company, min_similarity)
            ours = company_end is not None
            if company_end is None:
                company_end = _company_at(toks, after + 1)
        here = span.end < len(toks) and toks[span.end].core == "here" and _soft_break(toks[span.end - 1])
        whole = len(parts) >= 2 and span.parts == len(parts) and span.strong
        # A part of the name alone needs its context, and to look like a name: "it's been a while" is no
        # introduction of Ben, "it's Ben" and "this is Ben" are.
        named = span.how == "exact" or toks[span.first].capitalised
        in_context = lead is not None or company_end is not None or here
        if not (whole or ours or (in_context and named)):
            continue
        start = lead if lead is not None else span.first
        last = company_end - 1 if company_end is not None else (span.end if here else span.end - 1)
        return Introduction(
            name=_strip_name(toks[span.first : span.end]),
            start=words[toks[start].first].start,
            end=words[toks[last].last].end,
            company=_strip_name(toks[after + 1 : company_end]) if company_end is not None else None,
            phrase=join_words(words[toks[start].first : toks[last].last + 1]).rstrip(",.;:!?"),
            profile_match=span.how,
        )
    if company:
        for k in range(1, len(toks)):
            if toks[k].core not in _COMPANY_PREPOSITIONS or not _soft_break(toks[k - 1]):
                continue
            company_end = _company_matches(toks, k + 1, company, min_similarity)
            if company_end is None:
                continue
            name_end = k
            while name_end > 0 and toks[name_end - 1].core in _BRIDGES:
                name_end -= 1  # "Sam calling from Acme"
            name_first = name_end
            while name_first > 0 and name_end - name_first < _MAX_NAME_WORDS and _name_like(toks[name_first - 1]):
                name_first -= 1
                if name_first > 0 and toks[name_first - 1].closes:
                    break
            if name_first == name_end or not _soft_break(toks[name_end - 1]):
                continue
            return Introduction(
                name=_strip_name(toks[name_first:name_end]),
                start=words[toks[name_first].first].start,
                end=words[toks[company_end - 1].last].end,
                company=_strip_name(toks[k + 1 : company_end]),
                phrase=join_words(words[toks[name_first].first : toks[company_end - 1].last + 1]).rstrip(",.;:!?"),
                profile_match="company",
            )
    return None
