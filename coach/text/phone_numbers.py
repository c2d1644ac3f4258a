"""Callback numbers in Whisper's word list: what digits, when, and how fast.

Whisper writes a spoken number in many shapes: numerals in one token
(" 415-555-0192."), numerals over several tokens (" 415", "-555", "-0192" or
" (415)", " 555-0192"), words (" four", " one", " five,", " oh", " double",
" five") or a mix. This module reads all of them the same way:

1. Each word becomes *atoms*: numeral groups, digit words (zero/oh/one ...
   nine), teens and tens ("fifteen", "ninety-two"), multipliers ("double",
   "triple"), "hundred" (as in "eight hundred"), separators (punctuation-only
   tokens, "and", "dash") or a *break* (any other word).
2. Digits are collected into *runs*: a break, or a gap of ``max_gap_s`` or
   more between two digit-bearing words, ends a run; separators do not.
3. A run is cut into numbers of ``min_digits``..``max_digits`` digits
   (:func:`_split_run`); pieces shorter than ``min_digits`` are not phone
   numbers ("Thursday at 10", "2 pm", "20 percent", "1 thing").

Numerals that are plainly something else never join a run: times ("10:30"),
money and percentages ("$30", "30%", "30 percent"), ordinals and suffixed
numbers ("1st", "2pm", "90s"), thousands ("10,000"), and any number, numeral
or word, followed by a unit word ("2 pm", "ten am", "5 minutes").

``oh``/``o`` is read as zero only next to other digits: inside a run, or when
the next word is a digit word ("oh one nine two"), so "Oh, hi Dana" is not a
digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.report import PhoneNumber, Word
from coach.text.tokens import SENTENCE_END, core

#: Spoken forms of single digits (shared with :mod:`coach.text.features`).
DIGIT_WORDS: dict[str, str] = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
TEEN_WORDS: dict[str, str] = {
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
}
TENS_WORDS: dict[str, str] = {
    "twenty": "2",
    "thirty": "3",
    "forty": "4",
    "fifty": "5",
    "sixty": "6",
    "seventy": "7",
    "eighty": "8",
    "ninety": "9",
}
MULTIPLIER_WORDS: dict[str, int] = {"double": 2, "triple": 3}
ZERO_WORDS = frozenset({"oh", "o"})
SEPARATOR_WORDS = frozenset({"and", "dash", "hyphen"})

#: A number followed by one of these is a quantity or a time, never part of a phone number.
UNIT_WORDS = frozenset(
    {
        "am",
        "pm",
        "a.m",
        "p.m",
        "oclock",
        "o'clock",
        "percent",
        "per",
        "%",
        "second",
        "seconds",
        "minute",
        "minutes",
        "hour",
        "hours",
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "dollars",
        "dollar",
        "bucks",
        "cents",
        "thousand",
        "million",
        "billion",
        "k",
        "times",
        "people",
        "employees",
        "locations",
        "stores",
        "percentage",
        "points",
    }
)

_UNIT_CORES = frozenset(u.replace(".", "") for u in UNIT_WORDS)

DEFAULT_MIN_DIGITS = 7
DEFAULT_MAX_DIGITS = 11
DEFAULT_MAX_GAP_S = 1.5

_PUNCT_ONLY = re.compile(r"^[\W_]*$")

_TIME = re.compile(r"\d:\d")
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_SUFFIXED = re.compile(r"\d(st|nd|rd|th|s|am|pm|a\.m|p\.m|k|m)\b", re.IGNORECASE)
_NUMERAL_GROUPS = re.compile(r"[-./(),\s]+")
#: tiny.en sometimes ends a digit group with a stray letter ("206-5501Z"); keep the digits.
_STRAY_LETTER = re.compile(r"^(\d{2,})[a-z]$")


@dataclass
class _Atom:
    kind: str  # "num", "digit", "oh", "teen", "tens", "mult", "hundred", "sep", "break"
    value: str
    word: int


@dataclass
class _Unit:
    """Digits said by the contiguous words ``first``..``last``."""

    first: int
    last: int
    digits: str
    numeral: bool


def _word_atoms(words: list[Word], i: int) -> list[_Atom]:
    text = words[i].text.strip()
    if _PUNCT_ONLY.match(text):
        return [_Atom("sep", "", i)]
    lower = text.lower()
    if i + 1 < len(words) and core(words[i + 1].text).replace(".", "") in _UNIT_CORES:
        return [_Atom("break", "", i)]  # "10 am", "two pm", "20 percent", "five minutes"
    if any(c.isdigit() for c in text):
        numeral = re.sub(r"^[^\w(]+|[^\w)]+$", "", lower)
        if (
            _TIME.search(numeral)
            or "%" in lower
            or "$" in lower
            or _THOUSANDS.match(numeral)
            or _SUFFIXED.search(numeral)
        ):
            return [_Atom("break", "", i)]
        pieces = [_STRAY_LETTER.sub(r"\1", p) for p in _NUMERAL_GROUPS.split(numeral) if p]
        if not pieces or not all(p.isdigit() or p in DIGIT_WORDS for p in pieces):
            return [_Atom("break", "", i)]
        return [_Atom("num", p, i) if p.isdigit() else _Atom("digit", DIGIT_WORDS[p], i) for p in pieces]
    word_core = core(text)
    atoms: list[_Atom] = []
    for part in (p for p in re.split(r"[-./]+", word_core) if p):
        if part in ZERO_WORDS:
            atoms.append(_Atom("oh", "0", i))
        elif part in DIGIT_WORDS:
            atoms.append(_Atom("digit", DIGIT_WORDS[part], i))
        elif part in TEEN_WORDS:
            atoms.append(_Atom("teen", TEEN_WORDS[part], i))
        elif part in TENS_WORDS:
            atoms.append(_Atom("tens", TENS_WORDS[part], i))
        elif part in MULTIPLIER_WORDS:
            atoms.append(_Atom("mult", str(MULTIPLIER_WORDS[part]), i))
        elif part == "hundred":
            atoms.append(_Atom("hundred", "00", i))
        elif part in SEPARATOR_WORDS:
            atoms.append(_Atom("sep", "", i))
        else:
            atoms.append(_Atom("break", "", i))
    return atoms or [_Atom("sep", "", i)]


def says_digits(text: str) -> bool:
    """Whether a word says digits that could belong to a phone number: "415-555", "0192.", "five", "oh"."""
    atoms = _word_atoms([Word(text, 0.0, 0.0, 1.0)], 0)
    return any(a.kind in ("num", "digit", "oh") for a in atoms)


def _digit_runs(words: list[Word], max_gap_s: float) -> list[list[_Unit]]:
    """Runs of digit units, cut at breaks and at long gaps between digit words."""
    atoms = [a for i in range(len(words)) for a in _word_atoms(words, i)]
    runs: list[list[_Unit]] = []
    run: list[_Unit] = []
    pending_mult: _Atom | None = None
    tens_open = False  # the last unit is a tens word that may take a unit digit ("ninety two")

    def close() -> None:
        nonlocal run, pending_mult
        if run:
            runs.append(run)
        run = []
        pending_mult = None

    def add(atom: _Atom, digits: str, numeral: bool) -> None:
        nonlocal pending_mult
        first = atom.word
        if pending_mult is not None:
            digits = digits * int(pending_mult.value)
            first = pending_mult.word
            pending_mult = None
        if run and words[first].start - words[run[-1].last].end >= max_gap_s:
            close()
        run.append(_Unit(first, atom.word, digits, numeral))

    def extend_last(atom: _Atom, digits: str) -> None:
        last = run[-1]
        run[-1] = _Unit(last.first, atom.word, digits, last.numeral)

    for k, atom in enumerate(atoms):
        nxt = atoms[k + 1] if k + 1 < len(atoms) else None
        kind = atom.kind
        joins_tens = tens_open and kind == "digit" and atom.value != "0" and pending_mult is None
        tens_open = False
        if joins_tens:
            extend_last(atom, run[-1].digits[:-1] + atom.value)
        elif kind == "oh":
            if run or pending_mult or (nxt and nxt.kind in ("digit", "oh", "teen", "tens", "mult")):
                add(atom, "0", False)
            else:
                close()
        elif kind in ("digit", "teen"):
            add(atom, atom.value, False)
        elif kind == "tens":
            add(atom, atom.value + "0", False)
            tens_open = True
        elif kind == "num":
            add(atom, atom.value, True)
        elif kind == "mult" and nxt is not None and nxt.kind in ("digit", "oh", "num"):
            pending_mult = atom
        elif kind == "hundred" and run and not run[-1].numeral and len(run[-1].digits) == 1:
            extend_last(atom, run[-1].digits + "00")
        elif kind != "sep":
            close()
    close()
    return [_merge_same_word(r) for r in runs]


def _merge_same_word(run: list[_Unit]) -> list[_Unit]:
    """One unit per word span, so a number is only ever cut between words."""
    merged: list[_Unit] = []
    for u in run:
        if merged and u.first <= merged[-1].last:
            m = merged[-1]
            merged[-1] = _Unit(m.first, max(m.last, u.last), m.digits + u.digits, m.numeral or u.numeral)
        else:
            merged.append(u)
    return merged


def usual_length(digits: str) -> bool:
    """Whether a number has the length of a whole phone number: 7 (local), 10, or 11 with a leading 1."""
    n = len(digits)
    return n in (7, 10) or (n == 11 and digits.startswith("1"))


def _piece_cost(digits: str, min_digits: int, max_digits: int) -> float:
    """How unlikely a digit string is as one phone number (lower is likelier)."""
    n = len(digits)
    if n == 10 or (n == 11 and digits.startswith("1")):
        return 0.0
    if n == 7:
        return 0.3
    if n == 9:
        return 1.0
    if n == 8:
        return 1.5
    if min_digits <= n <= max_digits:
        return 2.5
    return float("inf")


#: Cost of leaving a short piece of a run out of any number.
_DROP_COST = 2.0


def _boundary_bonus(words: list[Word], left: _Unit, right: _Unit) -> float:
    """How natural a cut between two units is (sentence end, comma, pause)."""
    bonus = 0.0
    between = "".join(w.text for w in words[left.last : right.first]).strip()
    if SENTENCE_END.search(between):
        bonus += 1.0
    elif "," in between:
        bonus += 0.5
    if words[right.first].start - words[left.last].end > 0.6:
        bonus += 0.5
    return bonus


def _split_run(words: list[Word], run: list[_Unit], min_digits: int, max_digits: int) -> list[tuple[int, int]]:
    """Cut a run into phone numbers: unit ranges ``[i, j)``, best overall cost.

    Usually the whole run is one number. A run can also hold a number said
    twice back to back ("415-555-0192, 415-555-0192") or a stray digit next
    to a number ("... 0192, one more time"); the cut prefers 10-digit pieces
    (11 with a leading 1, then 7, then 9 for a dropped digit) and sentence
    ends, commas and pauses as cut points.
    """
    n = len(run)
    best: list[float] = [0.0] + [float("inf")] * n
    choice: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j):
            if best[i] == float("inf"):
                continue
            digits = "".join(u.digits for u in run[i:j])
            if len(digits) > max_digits and i < j - 1:
                continue
            bonus = _boundary_bonus(words, run[i - 1], run[i]) if i > 0 else 0.0
            if len(digits) >= min_digits:
                cost, keep = _piece_cost(digits, min_digits, max_digits), True
            else:
                cost, keep = _DROP_COST, False
            total = best[i] + cost - bonus
            if total < best[j]:
                best[j], choice[j] = total, (i, keep)
    pieces: list[tuple[int, int]] = []
    j = n
    while j > 0:
        i, keep = choice[j]
        if keep:
            pieces.append((i, j))
        j = i
    return pieces[::-1]


@dataclass(frozen=True)
class NumberSpan:
    """A phone number's words ``first``..``last`` (indices into the word list) and its digits.

    ``run_first``..``run_last`` are the words of the run of digits it was
    cut from, and ``left_over`` says that the run held digits that went into
    no number ("617-555 615551555 5"), a sign that they were not heard as said.
    """

    first: int
    last: int
    digits: str
    run_first: int
    run_last: int
    left_over: bool = False


def number_spans(
    words: list[Word],
    *,
    min_digits: int = DEFAULT_MIN_DIGITS,
    max_digits: int = DEFAULT_MAX_DIGITS,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
) -> list[NumberSpan]:
    """The words and digits of each phone number, in order (:func:`find_phone_numbers` reads them)."""
    spans: list[NumberSpan] = []
    for run in _digit_runs(words, max_gap_s):
        total = sum(len(u.digits) for u in run)
        if total < min_digits:
            continue
        found = []
        for i, j in _split_run(words, run, min_digits, max_digits):
            digits = "".join(u.digits for u in run[i:j])
            if min_digits <= len(digits) <= max_digits:
                found.append((run[i].first, run[j - 1].last, digits))
        left_over = sum(len(d) for _, _, d in found) < total
        spans.extend(
            NumberSpan(first, last, digits, run[0].first, run[-1].last, left_over) for first, last, digits in found
        )
    return spans


def find_phone_numbers(
    words: list[Word],
    *,
    min_digits: int = DEFAULT_MIN_DIGITS,
    max_digits: int = DEFAULT_MAX_DIGITS,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
) -> list[PhoneNumber]:
    """Every callback number said, in order, as numerals, words or a mix.

    7 to 11 digits are accepted: 7 for a local number, 10 for a US number,
    11 with a country code, and 9 or 8 when tiny.en dropped a digit.
    ``digits_per_s`` is the digit count over the time from the start of the
    first digit word to the end of the last; it is 0.0 when Whisper gave the
    span no duration (unknown, not "slow"). ``text`` is the words as said,
    without trailing punctuation.
    """
    numbers = []
    for span in number_spans(words, min_digits=min_digits, max_digits=max_digits, max_gap_s=max_gap_s):
        first, last, digits = span.first, span.last, span.digits
        start, end = words[first].start, words[last].end
        duration = end - start
        text = "".join(w.text for w in words[first : last + 1]).strip().rstrip(",.;:!?")
        numbers.append(
            PhoneNumber(
                digits=digits,
                start=start,
                end=end,
                digits_per_s=len(digits) / duration if duration > 0 else 0.0,
                text=text,
            )
        )
    return numbers


def same_number(a_digits: str, b_digits: str) -> bool:
    """True when two digit strings are one number: equal, or one has one digit dropped.

    tiny.en sometimes drops a digit, so "415555192" and "4155550192" count as
    the same number said twice. Non-digit characters are ignored; empty
    strings never match.
    """
    a = "".join(c for c in a_digits if c.isdigit())
    b = "".join(c for c in b_digits if c.isdigit())
    if not a or not b:
        return False
    if a == b:
        return True
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:k] + longer[k + 1 :] == shorter for k in range(len(longer)))


def group_digits(digits: str) -> str:
    """Digits grouped the way a number is said: 555-0192, 415-555-0192, 1-800-555-0199.

    Other lengths (a digit dropped, a number from elsewhere) are cut into
    threes from the left: 415-555-092. Anything but digits is ignored.
    """
    d = "".join(c for c in digits if c.isdigit())
    if len(d) == 7:
        return f"{d[:3]}-{d[3:]}"
    if len(d) == 10:
        return f"{d[:3]}-{d[3:6]}-{d[6:]}"
    if len(d) == 11 and d.startswith("1"):
        return f"1-{d[1:4]}-{d[4:7]}-{d[7:]}"
    return "-".join(d[i : i + 3] for i in range(0, len(d), 3))


def shown_number(number: PhoneNumber) -> str:
    """A number for messages: grouped when it has a usual length, else as transcribed
    (a digit may have been dropped, and the rep should see what Whisper heard)."""
    d = number.digits
    if usual_length(d):
        return group_digits(d)
    return number.text or group_digits(d)
