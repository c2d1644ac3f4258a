"""Text to the words as spoken: for the script comparison, word error rate and pace.

:func:`normalize_words` lower-cases, drops punctuation and says numerals the
way they are spoken ("415-555-0192" -> four one five ..., "2:30pm" -> two
thirty pm, "2024" -> twenty twenty four), so a script and a transcript
compare word for word; :func:`spoken_word_count` counts those words, so pace
counts "10001" as the five words it takes to say.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from coach.report import Word
from coach.text.phone_numbers import MULTIPLIER_WORDS, ZERO_WORDS

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
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
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
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
_YEAR_FIRST, _YEAR_LAST = 1100, 2099
#: tiny.en sometimes ends a digit group with a stray letter ("206-5501Z"); the letter is not said.
_STRAY_LETTER = re.compile(r"(\d{2,})[a-jl-rt-z]$")
_DIGIT_RUN_MIN = 7


def _year_words(n: int) -> list[str]:
    """A four-digit number said in pairs, as years are: 2024 -> twenty twenty four, 1905 -> nineteen oh five."""
    high, low = divmod(n, 100)
    if low == 0:
        return number_words(high) + ["hundred"]
    if low < 10:
        return number_words(high) + ["oh", _ONES[low]]
    return number_words(high) + number_words(low)


def _cardinal_or_digits(digits: str) -> list[str]:
    """1-4 digit integers as cardinals ("10" -> ten) or, from 1100 to 2099, in pairs like a year
    ("2024" -> twenty twenty four; 2000-2009 stay "two thousand ..."); longer or 0-led strings
    digit by digit ("10001" -> one zero zero zero one)."""
    if len(digits) <= _MAX_CARDINAL_DIGITS and not (digits.startswith("0") and len(digits) > 1):
        n = int(digits)
        if _YEAR_FIRST <= n <= _YEAR_LAST and not 2000 <= n <= 2009:
            return _year_words(n)
        return number_words(n)
    return _digit_words(digits)


def _numeral_token(tok: str) -> list[str] | None:
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
        core = _STRAY_LETTER.sub(r"\1", re.sub(r"^[^\w$(]+|[^\w%)]+$", "", tok))
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
    for (part, numeral, index), as_digits in zip(parts, digit_context, strict=False):
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
    """ "double five" -> five five ("triple" likewise); "oh"/"o" -> zero in digit context.

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
            after_digit = is_digit(k - 1) and not (expanded[k - 1][1] in sentence_ends and expanded[k - 1][1] != index)
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


def spoken_word_count(words: Sequence[Word] | str) -> int:
    """Words it takes to say a transcript (Whisper's words, or text): :func:`normalize_words` counted.

    Numerals count as said: "415-555-0192" 10, "10001" 5, "2024" 3 (twenty
    twenty four), "10:30" 2, "$30" 2 (thirty dollars), "10 a.m." 2; "double
    five" 2; punctuation-only tokens 0. This is the word count that pace is
    measured with.
    """
    text = words if isinstance(words, str) else "".join(w.text for w in words)
    return len(normalize_words(text))
