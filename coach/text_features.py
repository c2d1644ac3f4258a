"""What the words say: fillers, questions, the caller's introduction, sentences.

All functions take Whisper's word list (texts with leading spaces and
punctuation, e.g. " Dana,") and are pure. :func:`normalize_words` turns free
text into comparable words for the script comparison (:mod:`coach.script_diff`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from coach.phone_numbers import MULTIPLIER_WORDS, ZERO_WORDS
from coach.report import Filler, Introduction, Question, Word

# ---------------------------------------------------------------------------
# Shared helpers

_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_HAS_WORD = re.compile(r"[^\W_]")


def _core(text: str) -> str:
    """Lower-case word without surrounding punctuation ("Dana," -> "dana")."""
    return _EDGE_PUNCT.sub("", text.strip().lower().replace("\u2019", "'"))


def _join(words: list[Word]) -> str:
    return "".join(w.text for w in words).strip()


# ---------------------------------------------------------------------------
# Fillers

#: um/umm/uhm, uh/uhh, er/err/erm, ah/ahh, hm/hmm, mm/mmm: any case, any punctuation.
_FILLER = re.compile(r"^(?:u+h*m+|u+h+|e+r+m*|a+h+|h+m+|m{2,})$")


def is_filler(text: str) -> bool:
    """True for a hesitation sound; "like" and "you know" are not counted (too ambiguous)."""
    return bool(_FILLER.match(_core(text)))


def find_fillers(words: list[Word]) -> list[Filler]:
    """Every um, uh, er, erm, ah, hmm, mm (stretched forms such as "umm" included)."""
    return [Filler(_EDGE_PUNCT.sub("", w.text.strip()), w.start, w.end) for w in words if is_filler(w.text)]


# ---------------------------------------------------------------------------
# Sentences

_SENTENCE_END = re.compile(r"[.?!][\"')\]]*$")
_ELLIPSIS = re.compile(r"(\.\.\.|\u2026)[\"')\]]*$")
#: Abbreviations whose period never ends a sentence.
_TITLES = frozenset({"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "jr.", "sr.", "vs.", "e.g.", "i.e."})
#: Abbreviations that end a sentence only when the next word is capitalised ("2 p.m. Thanks").
_MAYBE_END = frozenset({"a.m.", "p.m.", "inc.", "etc.", "co.", "corp.", "ltd.", "llc."})


def _ends_sentence(word: Word, nxt: Optional[Word]) -> bool:
    text = word.text.strip()
    if not _SENTENCE_END.search(text):
        return False
    lower = text.lower()
    if lower in _TITLES:
        return False
    next_upper = nxt is not None and nxt.text.strip()[:1].isupper()
    if lower in _MAYBE_END or _ELLIPSIS.search(text):
        return nxt is None or next_upper
    return True


def split_sentences(words: list[Word]) -> list[list[Word]]:
    """Words grouped into sentences at ".", "?" and "!".

    Titles ("Mr.", "Dr.") never end a sentence; "a.m.", "p.m.", "Inc." and an
    ellipsis ("So...") end one only before a capitalised word. Groups with no
    letters or digits (stray punctuation tokens) are dropped.
    """
    sentences: list[list[Word]] = []
    current: list[Word] = []
    for i, word in enumerate(words):
        current.append(word)
        nxt = words[i + 1] if i + 1 < len(words) else None
        if _ends_sentence(word, nxt):
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return [s for s in sentences if any(_HAS_WORD.search(w.text) for w in s)]


def count_sentences(words: list[Word]) -> int:
    return len(split_sentences(words))


def mean_sentence_length(words: list[Word]) -> float:
    """Average words per sentence (punctuation-only tokens not counted); 0.0 with no words."""
    sentences = split_sentences(words)
    if not sentences:
        return 0.0
    counted = sum(1 for s in sentences for w in s if _HAS_WORD.search(w.text))
    return counted / len(sentences)


# ---------------------------------------------------------------------------
# Questions

#: Words that may precede the question proper: "So, would you ...", "Um, are you ...".
_LEAD_INS = frozenset(
    {
        "so", "and", "but", "well", "also", "now", "okay", "ok", "anyway", "hey", "oh", "just",
        "quick", "question",
    }
)
_AUXILIARIES = frozenset(
    {
        "would", "could", "can", "will", "should", "shall", "may", "might", "do", "does", "did",
        "are", "is", "was", "were", "have", "has", "had", "am",
        "wouldn't", "couldn't", "can't", "won't", "don't", "doesn't", "didn't", "aren't", "isn't",
        "haven't", "hasn't",
    }
)
_SUBJECTS = frozenset(
    {"you", "it", "we", "they", "that", "this", "there", "he", "she", "i", "your", "anyone"}
)
#: Auxiliary + subject pairs that open commands, not questions ("Have your team call me.").
_IMPERATIVE_PAIRS = frozenset({("have", "your"), ("do", "your"), ("do", "it"), ("do", "that"), ("do", "this")})
_WH_WORDS = frozenset({"what", "how", "when", "where", "why", "who", "which"})
_WH_CONTRACTIONS = frozenset({"what's", "how's", "when's", "where's", "why's", "who's"})
_QUESTION_OPENERS = (("how", "about"), ("what", "about"), ("any", "chance"), ("is", "there"))


def looks_like_question(sentence: list[Word]) -> bool:
    """True when a sentence without "?" still has question word order.

    Whisper (tiny.en above all) sometimes ends a question with "." in a run-on
    message. Only forms that are questions by their word order count, after
    lead-ins and fillers ("So, um, would you ..."):

    - auxiliary + subject: "would you", "are you", "is it", "do you", "could we";
    - wh-word + auxiliary or a wh-contraction: "how are", "what do", "what's";
    - "how about", "what about", "any chance", "is there";
    - an indirect question anywhere: "I was wondering if/whether ...".

    A bare auxiliary or wh-word is not enough: "Would love to connect." and
    "What I wanted to share is ..." are statements.
    """
    cores = [c for c in (_core(w.text) for w in sentence) if c]
    k = 0
    while k < len(cores) and (cores[k] in _LEAD_INS or is_filler(cores[k])):
        k += 1
    first = cores[k] if k < len(cores) else ""
    second = cores[k + 1] if k + 1 < len(cores) else ""
    if (first, second) in _QUESTION_OPENERS:
        return True
    if any(a == "wondering" and b in ("if", "whether") for a, b in zip(cores, cores[1:])):
        return True
    if first in _AUXILIARIES and second in _SUBJECTS and (first, second) not in _IMPERATIVE_PAIRS:
        return True
    if first in _WH_CONTRACTIONS:
        return True
    return first in _WH_WORDS and second in _AUXILIARIES


def find_questions(words: list[Word]) -> list[Question]:
    """Sentences ending in "?", and those with question word order but a "." (see
    :func:`looks_like_question`)."""
    questions = []
    for sentence in split_sentences(words):
        last = sentence[-1].text.strip().rstrip("\"')]")
        if last.endswith("?") or looks_like_question(sentence):
            questions.append(Question(_join(sentence), sentence[0].start, sentence[-1].end))
    return questions


# ---------------------------------------------------------------------------
# Introduction


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
        if not _HAS_WORD.search(raw):
            if toks and not toks[-1].closes:
                toks[-1].closes = raw[-1:]
            continue
        shown = _EDGE_PUNCT.sub("", raw)
        trailing = re.search(r"[.,;:!?\u2026-]+[\"')\]]*$", raw)
        closes = trailing.group(0)[0] if trailing else ""
        if w.text.startswith("'") and toks and toks[-1].last == i - 1:
            prev = toks[-1]
            toks[-1] = _Tok(prev.core + "'" + _core(raw), prev.shown + "'" + shown, prev.first, i, closes)
            continue
        toks.append(_Tok(_core(raw), shown, i, i, closes))
    return toks


#: First words that cannot be a caller's name ("this is a quick message", "this is about ...").
_NOT_NAMES = frozenset(
    {
        "a", "an", "the", "about", "regarding", "re", "just", "your", "my", "our", "his", "her",
        "their", "its", "it", "i", "we", "you", "they", "he", "she", "this", "that", "these",
        "those", "quick", "calling", "following", "in", "on", "at", "to", "for", "with", "from",
        "so", "and", "but", "hi", "hey", "hello", "dear", "good", "great", "not", "what", "why",
        "how", "when", "where", "who", "here", "there", "also", "actually", "really", "only",
        "again", "sorry", "thanks", "thank", "yes", "no", "ok", "okay", "um", "uh",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "june", "july", "august", "september",
        "october", "november", "december", "today", "tomorrow", "yesterday", "tonight",
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


def _name_at(toks: list[_Tok], k: int) -> Optional[int]:
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


def _company_at(toks: list[_Tok], k: int) -> Optional[int]:
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


def _after_name(toks: list[_Tok], end: int) -> tuple[Optional[tuple[int, int]], int]:
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


def _introduction(
    words: list[Word], toks: list[_Tok], start: int, name_k: int, name_end: int
) -> Introduction:
    company, last = _after_name(toks, name_end)
    return Introduction(
        name=_strip_name(toks[name_k:name_end]),
        start=words[toks[start].first].start,
        end=words[toks[last].last].end,
        company=_strip_name(toks[company[0] : company[1]]) if company else None,
        phrase=_join(words[toks[start].first : toks[last].last + 1]).rstrip(",.;:!?"),
    )


def _clause_start(toks: list[_Tok], k: int) -> bool:
    """At the first word or after punctuation ("Hi Dana, Sam from ...")."""
    return k == 0 or bool(toks[k - 1].closes)


def find_introduction(words: list[Word]) -> Optional[Introduction]:
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
        ends_here = _core(intro.phrase.split()[-1]) == "here" if intro.phrase else False
        after_greeting = k > 0 and cores[k - 1] in _GREETINGS
        if ends_here or (intro.company is not None and not after_greeting):
            return intro
    return None


def _lead_length(c0: str, c1: str, c2: str) -> Optional[int]:
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


# ---------------------------------------------------------------------------
# Normalisation for word error rate


_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = [(10**9, "billion"), (10**6, "million"), (1000, "thousand")]


def number_words(n: int) -> list[str]:
    """Cardinal number in words, "and"-free: 415 -> four hundred fifteen."""
    if n < 10:
        return [_ONES[n]]
    if n < 20:
        return [_TEENS[n - 10]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (number_words(n % 100) if n % 100 else [])
    for scale, name in _SCALES:
        if n >= scale:
            return number_words(n // scale) + [name] + (number_words(n % scale) if n % scale else [])
    raise AssertionError("unreachable")


_ORDINAL_IRREGULAR = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}


def _ordinal_words(n: int) -> list[str]:
    out = number_words(n)
    last = out[-1]
    if last in _ORDINAL_IRREGULAR:
        out[-1] = _ORDINAL_IRREGULAR[last]
    elif last.endswith("y"):
        out[-1] = last[:-1] + "ieth"
    else:
        out[-1] = last + "th"
    return out


def _digit_words(digits: str) -> list[str]:
    return [_ONES[int(d)] for d in digits if d.isdigit()]


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(am|pm)?$")
_MONEY = re.compile(r"^\$(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$")
_PERCENT = re.compile(r"^(\d+)(?:\.(\d+))?%$")
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_SUFFIXED = re.compile(r"^(\d+)(am|pm|k|s)$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")
_DECIMAL = re.compile(r"^(\d+)\.(\d+)$")
#: Digits in parentheses or groups joined by - . / ("(415)", "555-0192", "415.555.0192").
_DIGIT_GROUPS = re.compile(r"^(?:\(\d+\)|\(?\d+\)?(?:[-./]\(?\d+\)?)+)$")
_PLAIN = re.compile(r"^\d+$")
_MAX_CARDINAL_DIGITS = 4
_DIGIT_RUN_MIN = 7


def _cardinal_or_digits(digits: str) -> list[str]:
    """1-4 digit integers as cardinals ("10" -> ten); longer or 0-led strings digit by digit."""
    if len(digits) <= _MAX_CARDINAL_DIGITS and not (digits.startswith("0") and len(digits) > 1):
        return number_words(int(digits))
    return _digit_words(digits)


def _numeral_token(tok: str) -> Optional[list[str]]:
    """Words for a token with digits (lower case, edge punctuation already removed)."""
    t = tok.replace("a.m", "am").replace("p.m", "pm").rstrip(".")
    if m := _TIME.match(t):
        hours, minutes, suffix = int(m.group(1)), m.group(2), m.group(3)
        out = number_words(hours)
        if minutes != "00":
            out += ["zero", _ONES[int(minutes[1])]] if minutes[0] == "0" else number_words(int(minutes))
        return out + ([suffix] if suffix else [])
    if m := _MONEY.match(t):
        out = number_words(int(m.group(1).replace(",", ""))) + ["dollars"]
        return out + (number_words(int(m.group(2))) if m.group(2) else [])
    if m := _PERCENT.match(t):
        out = _cardinal_or_digits(m.group(1))
        return out + (["point"] + _digit_words(m.group(2)) if m.group(2) else []) + ["percent"]
    if m := _ORDINAL.match(t):
        return _ordinal_words(int(m.group(1)))
    if m := _SUFFIXED.match(t):
        return _cardinal_or_digits(m.group(1)) + [m.group(2)]
    if _THOUSANDS.match(t):
        return number_words(int(t.replace(",", "")))
    if m := _DECIMAL.match(t):
        if len(m.group(1)) + len(m.group(2)) < _DIGIT_RUN_MIN:
            return _cardinal_or_digits(m.group(1)) + ["point"] + _digit_words(m.group(2))
        return _digit_words(t)
    if _DIGIT_GROUPS.match(t) and not _PLAIN.match(t):
        return _digit_words(t)
    if _PLAIN.match(t):
        return _cardinal_or_digits(t)
    return None


def _is_digit_string(part: str) -> bool:
    return bool(_PLAIN.match(part) or _DIGIT_GROUPS.match(part))


def _split_token(tok: str) -> list[tuple[str, bool]]:
    """Parts of one whitespace token as (text, is_numeral), punctuation stripped.

    Hyphens and slashes split words ("follow-up" -> follow, up); inner
    apostrophes stay ("I'm"). Digit tokens are kept whole for
    :func:`_numeral_token`; "2pm" style mixes split into digits and letters.
    """
    tok = tok.lower().replace("&", " and ")
    if any(c.isdigit() for c in tok):
        core = re.sub(r"^[^\w$(]+|[^\w%)]+$", "", tok)
        if _numeral_token(core) is not None:
            return [(core, True)]
        parts = re.findall(r"\d+|[^\W\d_]+(?:'[^\W\d_]+)*", core)
        return [(p, p.isdigit()) for p in parts]
    out = []
    for part in re.split(r"[-/\u2013\u2014]+|\s+", tok):
        part = part.replace(".", "") if re.fullmatch(r"(?:[a-z]\.){2,}", part) else part
        part = re.sub(r"[^\w']+", "", part).strip("'_")
        if part:
            out.append((part, False))
    return out


def source_tokens(text: str) -> list[str]:
    """The whitespace-separated tokens that :func:`normalize_words_indexed` indexes
    (after Unicode NFKC, straight apostrophes, an em dash read as a space)."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return text.replace("\u2013", "-").replace("\u2014", " ").split()


def normalize_words_indexed(text: str) -> list[tuple[str, int]]:
    """Like :func:`normalize_words`, each word with the index of the
    whitespace-separated token of ``text`` it came from (for showing diffs in
    the original wording)."""
    tokens = source_tokens(text)
    parts: list[tuple[str, bool, int]] = []
    for index, tok in enumerate(tokens):
        parts.extend((p, numeral, index) for p, numeral in _split_token(tok))
    # Numerals said as one number across tokens ("415 555 0192") are read digit by digit.
    digit_context = [False] * len(parts)
    k = 0
    while k < len(parts):
        j = k
        while j < len(parts) and parts[j][1] and _is_digit_string(parts[j][0]):
            j += 1
        if j - k > 1 and sum(c.isdigit() for p in parts[k:j] for c in p[0]) >= _DIGIT_RUN_MIN:
            for m in range(k, j):
                digit_context[m] = True
        k = max(j, k + 1)
    words: list[tuple[str, int]] = []
    for (part, numeral, index), as_digits in zip(parts, digit_context):
        if as_digits:
            words.extend((w, index) for w in _digit_words(part))
        elif numeral:
            words.extend((w, index) for w in (_numeral_token(part) or _digit_words(part)))
        else:
            words.append(("okay" if part == "ok" else part, index))
    ends = {i for i, tok in enumerate(tokens) if re.search(r"[.!?][\"')\]]*$", tok)}
    return _spoken_digits(words, ends)


_DIGIT_NAMES = frozenset(_ONES)


def _spoken_digits(words: list[tuple[str, int]], sentence_ends: set[int]) -> list[tuple[str, int]]:
    """"double five" -> five five ("triple" likewise); "oh"/"o" -> zero in digit context.

    Digit context: the word before is a digit word in the same sentence
    ("five oh one"), or the next two words are digit words ("oh one nine
    two"). So "Oh, one more thing" keeps its "oh".
    """
    expanded: list[tuple[str, int]] = []
    k = 0
    while k < len(words):
        word, index = words[k]
        nxt = words[k + 1][0] if k + 1 < len(words) else ""
        if word in MULTIPLIER_WORDS and (nxt in _DIGIT_NAMES or nxt in ZERO_WORDS):
            expanded.extend([(nxt, words[k + 1][1])] * MULTIPLIER_WORDS[word])
            k += 2
            continue
        expanded.append((word, index))
        k += 1

    def is_digit(m: int) -> bool:
        return 0 <= m < len(expanded) and (expanded[m][0] in _DIGIT_NAMES or expanded[m][0] in ZERO_WORDS)

    out = []
    for k, (word, index) in enumerate(expanded):
        if word in ZERO_WORDS:
            after_digit = is_digit(k - 1) and not (
                expanded[k - 1][1] in sentence_ends and expanded[k - 1][1] != index
            )
            if after_digit or (is_digit(k + 1) and is_digit(k + 2)):
                word = "zero"
        out.append((word, index))
    return out


def normalize_words(text: str) -> list[str]:
    """Comparable words: lower case, no punctuation, numbers spelled out.

    Rules (the same on both sides of a comparison):

    - punctuation goes; hyphens and slashes split words; inner apostrophes
      stay ("I'm" -> i'm); "&" -> and; "ok" -> okay; "p.m." -> pm;
    - a phone-like numeral is read digit by digit: groups joined by "-", "."
      or "/" or in parentheses ("415-555-0192", "(415) 555-0192"), numbers of
      5+ digits or with a leading 0 ("0192"), and 7+ digits spread over
      adjacent numeral tokens ("415 555 0192");
    - other integers of 1-4 digits are cardinals: "10" -> ten, "415" ->
      four hundred fifteen, "10,000" -> ten thousand; "2pm" -> two pm;
      "10:30" -> ten thirty; "10:05" -> ten zero five; "30%" -> thirty
      percent; "$30" -> thirty dollars; "3rd" -> third; "2.5" -> two point five;
    - "double five" -> five five, "triple" likewise, and "oh"/"o" next to a
      digit word -> zero ("oh one nine two" matches "0192").
    """
    return [w for w, _ in normalize_words_indexed(text)]
