"""Keep only the words the audio supports, with times clamped to where there is sound.

Whisper writes words the audio does not hold and stretches real words over
silence. This module checks each word against the acoustic speech track
(the ``sounding`` regions of :class:`coach.analysis.acoustics.Acoustics`:
stretches of speech energy, with the pauses of ``min_pause_s`` or more between
them) and knows nothing of Whisper itself, so it is tested on word lists with
known times.

A word is dropped, with its reason, when:

``before_speech`` / ``after_speech`` / ``in_pause``
    it does not touch any sounding region, even allowing ``SNAP_S`` of
    timing error (Whisper's "Thank you." over the silence after the last word,
    "um um um" over a silent stretch, punctuation written over noise);
``zero_length``
    Whisper gave it no duration (under ``ZERO_LENGTH_S``) and a probability
    under ``LOW_PROBABILITY``: the decoder wrote it, the alignment found no
    sound for it ("Thank" at 0.01-0.14 over the trailing silence), and no
    stretch of sound between its neighbours is left for it (with
    ``stretches``: an "um" the alignment gave no length keeps the sound that
    is its own, :func:`_collapsed_sound`);
``punctuation``
    a punctuation-only token with a probability under ``LOW_PROBABILITY``
    (" ." written over the noise after the last word);
``silent_filler``
    it belongs to a known hallucination phrase ("Thank you.", "Thanks for
    watching", "Bye.") that has under ``FILLER_MIN_SOUND_S`` of sound not
    already taken by the words before it (``FILLER_MIN_CONFIDENT_SOUND_S``
    when Whisper gave each of its words ``CONFIDENT_FILLER`` or more, counted
    from the end of the word before it, since the alignment may give such a
    phrase no length at all at the end of its sound), starts
    a sentence and has only silence after it (a real "thank you" at the end
    takes 0.3 s or more of its own sound, or in noise is written with
    confidence over what the energy track heard of it, and stays).

The remaining words are clamped: a word's start and end move into the
sounding region it overlaps most, so no word spans a pause or trailing
silence ("...-0192." that ran 1.7 s into the silence ends where the voice
does). A numeral said as several words ("0164": oh one six four) may hold
pauses of its own: it is clamped to the span of the region it overlaps most
and every region it covers for at least half its length, so a weak "six"
that the energy track hears as a pause in noise does not cut the number in
two (on the evaluation set's noisy renderings that cut made numbers said at
2.9 digits a second read as 3.8). A word that lies in a silence but within
``SNAP_S`` of a region is moved to that region's edge. Clamping only shrinks
or moves words inside the gap between their neighbours, so the order of the
words is kept.

:func:`find_gaps` is the other direction: sounding stretches of ``MIN_GAP_S``
or more with no word under them, where the transcript lost words.

:func:`snap_edges`, last: Whisper's word edges come from cross-attention
and fall late at the start of a stretch of speech (the first digit of a
number after "my number is" about 0.3 s late on the evaluation set), while the
energy track's onsets are exact to a frame. The first word of each sounding
stretch starts where the stretch starts, and the last word ends where it ends,
when that is within ``EDGE_SNAP_S``: pauses, a number's digits per second and
the "listen from" moments then begin where the voice does.

:func:`snap_onsets`, after it, does the same for a number after a silence
too short to be a pause ("my number is | 415", 0.1-0.3 s): the first digit
word after it starts where its sound starts (median error of a number's
start on the evaluation set's renderings 0.12 s -> 0.02 s).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coach.report import DroppedWord, Word
from coach.text.normalise import spoken_word_count
from coach.text.phone_numbers import says_digits

Region = tuple[float, float]

#: Timing error allowed between Whisper's word edges and the energy track (s).
SNAP_S = 0.2
#: A word shorter than this has no duration of its own.
ZERO_LENGTH_S = 0.02
#: Below this probability a zero-length word is taken as invented.
LOW_PROBABILITY = 0.2
#: A hallucination phrase needs this much sound of its own to be kept (s) ...
FILLER_MIN_SOUND_S = 0.2
#: ... or, when Whisper gave every word of it at least this probability, this much (s): a real "Thank you."
#: in noise, whose weak sounds the energy track misses (0.12 s of 0.47 s heard at 10 dB SNR, both words at
#: 0.99), while Whisper's own "Thank you." over silence starts with a word at 0.04-0.3.
CONFIDENT_FILLER = 0.5
FILLER_MIN_CONFIDENT_SOUND_S = 0.05
#: Speech with no word under it for this long means the transcript lost words (s).
MIN_GAP_S = 1.0
#: Stretches of speech without words this close together, with no word between them, are one gap (s):
#: a phone number said in groups ("415 - 555 - 0192") is several short stretches with pauses between.
GAP_JOIN_S = 1.0
#: How far the first (last) word of a stretch of speech is moved back (on) to the stretch's edge (s).
EDGE_SNAP_S = 0.5

#: How far the first digit word after a short silence is moved back to where its sound starts (s): Whisper's
#: start of a number after "my number is" fell 0.05-0.56 s late on the evaluation set (snap_onsets).
ONSET_SNAP_S = 1.0
#: A word written with no length is put back over a stretch of sound this long (s) between its neighbours ...
COLLAPSED_MIN_SOUND_S = 0.15
#: ... of which at most this share lies outside the time between them (_collapsed_sound).
COLLAPSED_MAX_COVERED = 0.25
#: A word that starts this little before a stretch does starts with it (s): a frame and a half, and then some.
ONSET_EARLY_S = 0.03
#: The least time a digit takes to say (a number rattled off at 6.5 digits a second) (s): a digit group before
#: the next one is not cut shorter than that (snap_onsets).
MIN_DIGIT_S = 0.15

#: What Whisper writes over silence (its training data's video outros), as normalised word sequences.
HALLUCINATION_PHRASES: tuple[tuple[str, ...], ...] = (
    ("thank", "you", "for", "watching"),
    ("thanks", "for", "watching"),
    ("please", "subscribe"),
    ("thank", "you", "so", "much"),
    ("thank", "you"),
    ("thanks",),
    ("bye", "bye"),
    ("bye",),
    ("you",),
    ("um",),
    ("uh",),
)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


@dataclass
class Support:
    """Words kept (clamped) and dropped (with reasons)."""

    words: list[Word]
    dropped: list[DroppedWord]


def _norm(text: str) -> list[str]:
    return [m.group(0) for m in _WORD.finditer(text.lower().replace("\u2019", "'"))]


def overlap(start: float, end: float, regions: Sequence[Region]) -> float:
    """Seconds of [start, end] that lie inside ``regions``."""
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in regions)


def _distance(start: float, end: float, region: Region) -> float:
    a, b = region
    if end < a:
        return a - end
    if start > b:
        return start - b
    return 0.0


def clamp(word: Word, regions: Sequence[Region], snap_s: float = SNAP_S, *, several: bool = False) -> Word | None:
    """``word`` moved inside the sounding region it overlaps most; None when no region is within ``snap_s``.

    ``several``: the word is said as several words (a numeral: module doc), so it
    also takes in the regions it covers for at least half their length.
    """
    if not regions:
        return None
    best = max(
        regions, key=lambda r: (min(word.end, r[1]) - max(word.start, r[0]), -_distance(word.start, word.end, r))
    )
    a, b = best
    if several:
        held = [r for r in regions if min(word.end, r[1]) - max(word.start, r[0]) >= (r[1] - r[0]) / 2]
        a, b = min([a] + [r[0] for r in held]), max([b] + [r[1] for r in held])
    if min(word.end, b) - max(word.start, a) >= 0:
        start, end = max(word.start, a), min(word.end, b)
        return Word(word.text, start, max(start, end), word.probability)
    if _distance(word.start, word.end, best) > snap_s:
        return None
    edge = a if word.end < a else b
    return Word(word.text, edge, edge, word.probability)


def _silence_reason(word: Word, regions: Sequence[Region]) -> str:
    if word.end <= regions[0][0]:
        return "before_speech"
    if word.start >= regions[-1][1]:
        return "after_speech"
    return "in_pause"


def _dropped(word: Word, reason: str) -> DroppedWord:
    return DroppedWord(text=word.text, start=word.start, end=word.end, probability=word.probability, reason=reason)


def _phrase_at(tokens: list[list[str]], i: int) -> int:
    """Number of words from ``i`` that make one hallucination phrase (0 if none)."""
    for phrase in HALLUCINATION_PHRASES:
        flat: list[str] = []
        j = i
        while j < len(tokens) and len(flat) < len(phrase):
            flat.extend(tokens[j])
            j += 1
        if tuple(flat) == phrase and j > i:
            return j - i
    return 0


def support(
    words: Sequence[Word],
    sounding: Sequence[Region],
    *,
    snap_s: float = SNAP_S,
    stretches: Sequence[Region] | None = None,
) -> Support:
    """The words the sounding regions support, clamped to them, and the words dropped (see module doc).

    With ``stretches`` (the energy track with its short silences), a word
    with no length and a low probability that has a stretch of sound
    between its neighbours to itself is kept there (:func:`_collapsed_sound`).
    """
    regions = sorted((float(a), float(b)) for a, b in sounding if b > a)
    if not regions:
        return Support([], [_dropped(w, "no_speech") for w in words])
    words = list(words)
    tokens = [_norm(w.text) for w in words]
    kept: list[Word] = []
    dropped: list[DroppedWord] = []
    i = 0
    while i < len(words):
        n = _phrase_at(tokens, i) if _sentence_start(words, i) else 0
        if n:
            phrase = words[i : i + n]
            sure = min(w.probability for w in phrase) >= CONFIDENT_FILLER
            # Sound already taken by the words before the phrase is not the phrase's. A phrase Whisper wrote
            # with confidence owns the sound since the word before it: its alignment can collapse it to no
            # length at the end of its sound (a real "Thanks." 0.2 s before the end of the audio).
            if sure and kept:
                start = kept[-1].end
            else:
                start = max(phrase[0].start, kept[-1].end if kept else 0.0)
            own = overlap(start, max(start, phrase[-1].end), regions)
            needed = FILLER_MIN_CONFIDENT_SOUND_S if sure else FILLER_MIN_SOUND_S
            if own < needed and _only_silence_after(words, i + n, regions):
                dropped.extend(_dropped(w, "silent_filler") for w in phrase)
                i += n
                continue
        word = words[i]
        i += 1
        if not tokens[i - 1] and word.probability < LOW_PROBABILITY:
            dropped.append(_dropped(word, "punctuation"))
            continue
        if word.end - word.start < ZERO_LENGTH_S and word.probability < LOW_PROBABILITY:
            floor = kept[-1].end if kept else 0.0
            ceiling = words[i].start if i < len(words) else float("inf")
            sound = _collapsed_sound(word, floor, ceiling, stretches) if stretches else None
            if sound is None:
                dropped.append(_dropped(word, "zero_length"))
                continue
            word = Word(word.text, sound[0], sound[1], word.probability)
        clamped = clamp(word, regions, snap_s, several=spoken_word_count(word.text) > 1)
        if clamped is None:
            dropped.append(_dropped(word, _silence_reason(word, regions)))
            continue
        kept.append(clamped)
    return Support(kept, dropped)


def _sentence_start(words: list[Word], i: int) -> bool:
    return i == 0 or words[i - 1].text.rstrip().endswith((".", "!", "?")) or words[i].text.strip()[:1].isupper()


def _only_silence_after(words: list[Word], k: int, regions: Sequence[Region]) -> bool:
    """True when no word after index ``k`` has sound of its own: the phrase sits where speech has ended."""
    return all(overlap(w.start, w.end, regions) < FILLER_MIN_SOUND_S for w in words[k:])


def find_gaps(words: Sequence[Word], sounding: Sequence[Region], *, min_gap_s: float = MIN_GAP_S) -> list[Region]:
    """Stretches of sound of ``min_gap_s`` or more with no word under them (words lost by the transcript).

    Each sounding region minus the spans of the words (punctuation-only words
    do not count) leaves uncovered pieces; pieces closer than
    :data:`GAP_JOIN_S` to each other with no word between them are joined,
    and the sound in a joined piece is what counts.
    """
    spans = sorted((w.start, w.end) for w in words if _norm(w.text))
    pieces: list[Region] = []
    for a, b in sorted(sounding):
        cursor = a
        for s, e in spans:
            if e <= cursor or s >= b:
                continue
            if s > cursor:
                pieces.append((cursor, s))
            cursor = max(cursor, e)
        if cursor < b:
            pieces.append((cursor, b))
    gaps: list[tuple[float, float, float]] = []  # start, end, seconds of sound
    for a, b in pieces:
        if gaps and a - gaps[-1][1] < GAP_JOIN_S and not any(gaps[-1][1] <= s < a for s, _ in spans):
            s0, _, sound = gaps[-1]
            gaps[-1] = (s0, b, sound + (b - a))
        else:
            gaps.append((a, b, b - a))
    return [(a, b) for a, b, sound in gaps if sound >= min_gap_s]


def snap_edges(words: Sequence[Word], sounding: Sequence[Region], *, limit_s: float = EDGE_SNAP_S) -> list[Word]:
    """``words`` with the first word of each sounding region starting at its start and the last ending at its end.

    Only words inside a region move (run :func:`support` first), only
    outwards, by at most ``limit_s``, and never over a neighbour: a region's
    first word is the one whose previous word ends before the region starts.
    Run it after :func:`find_gaps`, which must still see sound no word covers.
    """
    regions = sorted((float(a), float(b)) for a, b in sounding if b > a)
    out = list(words)
    for k, word in enumerate(out):
        region = next((r for r in regions if r[0] <= word.start and word.end <= r[1]), None)
        if region is None or not _norm(word.text):
            continue
        a, b = region
        start, end = word.start, word.end
        before = out[k - 1].end if k else float("-inf")
        after = words[k + 1].start if k + 1 < len(words) else float("inf")
        if before <= a and 0 < start - a <= limit_s:
            start = a
        if after >= b and 0 < b - end <= limit_s:
            end = b
        out[k] = Word(word.text, start, end, word.probability)
    return out


def snap_onsets(words: Sequence[Word], stretches: Sequence[Region], *, limit_s: float = ONSET_SNAP_S) -> list[Word]:
    """``words`` with each digit word that is the first after a short silence starting where its sound does.

    ``stretches`` are the energy track's stretches with every silence of
    0.1 s or more kept (:attr:`coach.analysis.acoustics.Acoustics.stretches`),
    the short ones that are not pauses too. Whisper stretches the word before
    a number over the short silence into the first digits ("my number is |
    503"), so the number's first word starts late: 0.05-0.55 s on the
    evaluation set's clean renderings, which made numbers said at 3.0-3.2
    digits a second read as 3.4-3.9 (over VM203's 3.5). A digit word whose start
    lies inside a stretch (or in the silence after it, when the previous
    word runs into the stretch: in the phone band a "five"'s weak "f" leaves
    0.1 s gaps between the digits), at most ``limit_s`` after the stretch
    starts, and whose previous word starts before the silence that opens the
    stretch (when that word is digits too, early enough for them to be said
    before the silence, ``MIN_DIGIT_S`` each: Whisper also times a digit
    group early now and then, and the next group then starts inside its
    sound), starts where the stretch starts; the previous word ends no later than
    where the silence starts. Only digit words move: a silence of 0.1 s
    inside an ordinary word (a long stop closure) would otherwise cut it.
    Run it after :func:`snap_edges`.
    """
    spans = sorted((float(a), float(b)) for a, b in stretches if b > a)
    out = list(words)
    for k in range(1, len(out)):
        word, prev = out[k], out[k - 1]
        # The stretch the word starts in, or the last one before it when it starts in a silence (late);
        # a start up to ONSET_EARLY_S before a stretch is that stretch's.
        i = next((i for i in range(len(spans) - 1, -1, -1) if spans[i][0] - ONSET_EARLY_S <= word.start), None)
        if i is None or i == 0 or not says_digits(word.text):
            continue
        (onset, end), silence_start = spans[i], spans[i - 1][1]
        if not (0 < word.start - onset <= limit_s) or prev.start >= silence_start:
            continue
        if word.start >= end and prev.end <= onset:
            continue  # starts in a silence after a stretch the word before does not reach: not this word's sound
        if says_digits(prev.text) and min(prev.end, silence_start) - prev.start < _shortest(prev.text):
            continue  # the digits before would be left too short to be said: their sound is in the stretch too
        out[k - 1] = Word(prev.text, prev.start, max(prev.start, min(prev.end, silence_start)), prev.probability)
        out[k] = Word(word.text, onset, word.end, word.probability)
    return out


def _collapsed_sound(word: Word, floor: float, ceiling: float, stretches: Sequence[Region]) -> Region | None:
    """Where a word Whisper gave no length can be heard: a stretch between its neighbours no word has.

    ``floor`` is where the word before it ends, ``ceiling`` where the word
    after it starts. The alignment can give a short word no length, away
    from its sound: a real "um," between "Hi Mike," and "this is" was written
    at 1.46 s with no length and a probability of 0.14, while its sound was
    the stretch 0.96-1.26 s between the two. A stretch (of the energy track
    with its short silences) counts when :data:`COLLAPSED_MIN_SOUND_S` or
    more of it lies between the neighbours and at most
    :data:`COLLAPSED_MAX_COVERED` of it outside; the nearest such part, else None
    (over silence, where Whisper writes "Thank" the same way, there is none).
    """
    free = []
    for a, b in stretches:
        lo, hi = max(a, floor), min(b, ceiling)
        if hi - lo >= COLLAPSED_MIN_SOUND_S and (b - a) - (hi - lo) <= COLLAPSED_MAX_COVERED * (b - a):
            free.append((lo, hi))
    return min(free, key=lambda r: _distance(word.start, word.end, r), default=None)


def _shortest(text: str) -> float:
    """The least time the digits of ``text`` take to say: ``MIN_DIGIT_S`` each ("five" is one)."""
    return MIN_DIGIT_S * max(1, sum(c.isdigit() for c in text))


def merge(words: Sequence[Word], recovered: Sequence[Word], gap: Region) -> list[Word]:
    """``words`` with the ``recovered`` words that lie in ``gap`` put in, in time order.

    A recovered word belongs to the gap when its middle lies inside it; kept
    words whose middle lies inside the gap were already judged by the gap
    (they covered no speech there) and are replaced. Recovered words are
    clipped to the time between their kept neighbours, so no two words overlap.
    """
    a, b = gap
    inside = [w for w in recovered if a <= (w.start + w.end) / 2 <= b]
    if not inside:
        return list(words)
    outside = [w for w in words if not (a <= (w.start + w.end) / 2 <= b)]
    floor = max((w.end for w in outside if (w.start + w.end) / 2 < a), default=0.0)
    ceiling = min((w.start for w in outside if (w.start + w.end) / 2 > b), default=float("inf"))
    fitted = []
    for w in inside:
        start = min(max(w.start, floor), ceiling)
        fitted.append(Word(w.text, start, max(start, min(w.end, ceiling)), w.probability))
    return sorted(outside + fitted, key=lambda w: (w.start, w.end))
