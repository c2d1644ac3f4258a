"""Speech to words with openai-whisper: every word the audio supports, with its times and confidence.

Three steps, each its own function so they can be changed one at a time:

1. :func:`decode_text` writes the text, 30 s window by window, with
   Whisper's own timestamp tokens deciding where the next window starts.
2. :func:`align_words` times each word by Whisper's cross-attention
   alignment (``whisper.timing.add_word_timestamps``), one window at a time.
   Both run through :mod:`coach.analysis.windows`: ``whisper.transcribe``'s
   loop without the work that changes nothing (the alignment reuses each
   window's encoder output, the logits read a contiguous weight, windows
   without sound are not decoded), same words, same times.
3. :func:`coach.analysis.word_support.support` keeps the words the acoustic
   speech track supports and clamps their times to it; speech left without
   words is decoded again without the prompt (:func:`recover`), and what
   still has no words is reported as missing. A callback number whose
   reading is doubtful (not a whole number's length, digits left over, or
   one digit off the take's other number) is read again from its own audio
   (:mod:`coach.analysis.reread`).

Why the text is decoded before the words are timed: with
``word_timestamps=True`` ``whisper.transcribe`` moves the start of the next
window to the end of the last *aligned* word whenever a window ends in the
middle of a segment. When the alignment puts the last words late (or all at
the end of the window), the next window starts past speech that was never
written, and those words are lost without a trace. A browser take of
``rushed_number.wav`` (``scripts/capture_browser_take.py``) lost its callback
number that way: the first window ended at 15.00 s by its timestamp tokens,
the aligned words moved the next window to 15.14 s, and the second window
came back as "reach me at 206-55-". Decoding first makes the windows follow
the decoder's own timestamps (as without word timestamps, where that take
reads "reach me at 2065550171."), and the alignment of each window is then
the same computation Whisper runs (same function, same mel window), so word
times are unchanged where nothing was lost.

The prompt. Whisper is trained on transcripts that leave out disfluencies,
so it drops "um" and "uh" unless its context suggests a verbatim transcript.
We give it an initial prompt written in that style (both spellings, several
times): it keeps the fillers a coach needs to count, and it also makes
tiny.en punctuate, which question detection relies on. The prompt also ends
with a phone number in numerals: without it tiny.en tends to write digits as
words and to collapse a repeated digit ("five five five" became "55" in most
of our samples; with it, none did). :mod:`coach.text.phone_numbers` reads
numerals and words either way. The recovery pass runs without the prompt:
where the prompted decoder stopped early, an unprompted one usually goes on.
With the rep's profile and the prospect's name, :func:`initial_prompt` adds
them (and puts the rep's own number in place of the example number) as
vocabulary, the way Whisper's initial prompt is meant to be used: names it
has never heard are then more often written as spelt (figures in the README,
"Evaluation").

This module and :mod:`coach.analysis.windows` rely on openai-whisper internals
(the segment ``seek`` field, ``whisper.timing.add_word_timestamps``, the
decoder's forward pass); pyproject.toml pins the version and
``tests/integration/test_fast_decoding.py`` fails if an upgrade changes them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.analysis import reread, windows, word_support
from coach.report import DroppedWord, RepProfile, SpeechGap, TranscriptQuality, Word
from coach.text.phone_numbers import group_digits

#: The prompt's words: an opening, then a verbatim-style sentence that keeps fillers (see module doc).
_PROMPT = "Um, {opening}so, uh, I was, um, thinking we could, uh, talk. Uh, my number is {number}."
#: The example number, replaced by the rep's own when there is one.
PROMPT_NUMBER = "212-555-0147"
#: The prompt without a profile or a prospect.
FILLER_PROMPT = _PROMPT.format(opening="uh, ", number=PROMPT_NUMBER)


def initial_prompt(rep: RepProfile | None = None, prospect: str | None = None) -> str:
    """The first window's prompt: :data:`FILLER_PROMPT` with the take's names and number as vocabulary.

    The prospect's name, then the rep's name and company, open it in the
    same verbatim style ("Um, hi Dana, uh, Ben Ortiz, um, Clearpath Security,
    uh, so, uh, I was ..."), and the rep's number, grouped as it is said,
    replaces the example number; the fillers, the punctuation and the
    numerals it asks for stay. Without a profile or a prospect it is
    :data:`FILLER_PROMPT`.
    """
    rep = rep or RepProfile()
    names = [n.strip() for n in (rep.name, rep.company) if n.strip()]
    if prospect and prospect.strip():
        names.insert(0, f"hi {prospect.strip()}")
    opening = "".join(f"{name}, {('uh', 'um')[i % 2]}, " for i, name in enumerate(names)) or "uh, "
    digits = "".join(c for c in rep.number if c.isdigit())
    return _PROMPT.format(opening=opening, number=group_digits(digits) if digits else PROMPT_NUMBER)


#: Whisper's decoder installs key/value-cache hooks on the model for the length
#: of a transcription, so two threads sharing one model (two app sessions, a
#: take streamed while another is analysed) must take turns. On the CPU each
#: run uses every core anyway. Re-entrant: :func:`transcribe` holds it around :func:`check`.
MODEL_LOCK = threading.RLock()

_SAMPLE_RATE = 16000
#: Whisper's window (s): the first recovery try decodes this much, ending just after the gap.
WINDOW_S = 30.0
#: Audio either side of a gap that the second recovery try decodes with it (s).
RECOVERY_MARGIN_S = 0.5


@dataclass
class Transcript:
    text: str
    words: list[Word]
    language: str
    quality: TranscriptQuality = field(default_factory=TranscriptQuality)


def transcribe(
    model,
    samples: np.ndarray,
    *,
    keep_fillers: bool = True,
    sounding: Sequence[tuple[float, float]] | None = None,
    stretches: Sequence[tuple[float, float]] | None = None,
    rep: RepProfile | None = None,
    prospect: str | None = None,
) -> Transcript:
    """Transcribe 16 kHz mono float32 ``samples`` with word times (greedy, English).

    With ``sounding`` (the acoustic speech regions, seconds), windows without
    sound are not decoded, the words are checked against it
    (:mod:`coach.analysis.word_support`), lost speech is decoded again, and
    ``quality`` says what was dropped, recovered and is still missing
    (:func:`check`; ``stretches``, the speech track with its short silences,
    times the first digit after one). Without it, the words are Whisper's as aligned. ``rep``
    and ``prospect`` go into the prompt as vocabulary (:func:`initial_prompt`).
    """
    audio = samples.astype(np.float32, copy=False)
    prompt = initial_prompt(rep, prospect) if keep_fillers else None
    encodings = windows.Encodings()
    with MODEL_LOCK:
        decoded = decode_text(model, audio, prompt=prompt, sounding=sounding, encodings=encodings)
        words = align_words(model, decoded)
        if sounding is None:
            return _transcript(words, TranscriptQuality())
        return check(model, audio, words, sounding, stretches=stretches, encodings=encodings, prompt=prompt)


def check(
    model,
    audio: np.ndarray,
    words: list[Word],
    sounding: Sequence[tuple[float, float]],
    *,
    stretches: Sequence[tuple[float, float]] | None = None,
    encodings: windows.Encodings | None = None,
    prompt: str | None = None,
) -> Transcript:
    """Whisper's aligned ``words`` of ``audio`` kept where the sound supports them, lost speech recovered.

    The one place a transcript is checked against the audio: file analysis
    and the transcript streamed while a take is recorded
    (:mod:`coach.analysis.streaming`) both end here. ``encodings`` holds the
    encoder output of the windows already decoded (the recovery pass reuses it).
    ``stretches`` (the speech track with its short silences kept) move the
    start of a digit word that follows one to where its sound starts
    (:func:`coach.analysis.word_support.snap_onsets`) and keep a word the
    alignment gave no length over the stretch of sound that is its own
    (:func:`coach.analysis.word_support.support`). A callback number whose
    reading is doubtful is read again from its own audio, with ``prompt``
    (the take's) among the ways (:mod:`coach.analysis.reread`).
    """
    encodings = encodings if encodings is not None else windows.Encodings()
    with MODEL_LOCK:
        checked = word_support.support(words, sounding, stretches=stretches)
        kept, dropped = checked.words, list(checked.dropped)
        gaps: list[SpeechGap] = []
        pieces: dict[tuple[float, float], tuple[list[Word], list[DroppedWord]]] = {}
        for gap in word_support.find_gaps(kept, sounding):
            kept, more = recover(model, audio, kept, gap, sounding, pieces=pieces, encodings=encodings)
            dropped.extend(more)
            gaps.append(SpeechGap(start=gap[0], end=gap[1]))
        kept, reread_numbers = reread.reread(model, audio, kept, sounding, prompt=prompt, encodings=encodings)
    still = word_support.find_gaps(kept, sounding)
    for g in gaps:
        g.recovered = not any(s < g.end and e > g.start for s, e in still)
    known = [(g.start, g.end) for g in gaps]
    gaps.extend(SpeechGap(start=s, end=e) for s, e in still if not any(s < b and e > a for a, b in known))
    missing = sum(e - s for s, e in still)
    kept = word_support.snap_edges(kept, sounding)
    if stretches:
        kept = word_support.snap_onsets(kept, stretches)
    quality = TranscriptQuality(
        complete=not still,
        missing_s=missing,
        gaps=sorted(gaps, key=lambda g: g.start),
        dropped_words=dropped,
        clamped_words=sum(1 for w in kept if _moved(w, words)),
        reread_numbers=reread_numbers,
    )
    return _transcript(kept, quality)


def _transcript(words: list[Word], quality: TranscriptQuality) -> Transcript:
    text = "".join(w.text for w in words).strip()
    return Transcript(text=text, words=words, language="en", quality=quality)


def _moved(word: Word, originals: list[Word]) -> bool:
    """True when ``word`` is a clamped copy (no original has the same text and times)."""
    return not any(o.text == word.text and o.start == word.start and o.end == word.end for o in originals)


# --------------------------------------------------------------------------- 1. decode text


def decode_text(
    model,
    audio: np.ndarray,
    *,
    prompt: str | None,
    sounding: Sequence[tuple[float, float]] | None = None,
    encodings: windows.Encodings | None = None,
) -> list[windows.Window]:
    """Whisper's windows of ``audio``, each with its segments (``seek``, ``start``, ``end``, ``tokens``, ``text``).

    ``condition_on_previous_text=False``, except that a window after the
    first is prompted with the take's prompt and the last words written
    before it (saving 7 of :mod:`coach.analysis.windows`). With ``sounding``,
    windows without sound are skipped. The loop and its savings are
    :mod:`coach.analysis.windows`.
    """
    return windows.decode(model, audio, prompt=prompt, sounding=sounding, encodings=encodings)


# --------------------------------------------------------------------------- 2. align words


def align_words(model, decoded: Sequence[windows.Window]) -> list[Word]:
    """Time every word of ``decoded`` window by window, as ``whisper.transcribe`` does with word timestamps."""
    return [Word(text, start, end, p) for text, start, end, p in windows.align(model, decoded)]


# --------------------------------------------------------------------------- 3. recover lost speech


def recover(
    model,
    audio: np.ndarray,
    words: list[Word],
    gap: tuple[float, float],
    sounding: Sequence[tuple[float, float]],
    *,
    pieces: dict[tuple[float, float], tuple[list[Word], list[DroppedWord]]] | None = None,
    encodings: windows.Encodings | None = None,
) -> tuple[list[Word], list[DroppedWord]]:
    """Decode the speech around ``gap`` again without the prompt and put its supported words in.

    Two tries, the second only when the first leaves speech in the gap
    without words: the 30 s window that ends just after the gap (the whole
    take for a voicemail: the decoder hears the message as a whole, which a
    prompted decoder that stopped early rarely gets wrong twice), then just
    the gap's speech with half a second either side (up to the neighbouring
    words). Returns the new word list and the words the passes wrote that
    the audio does not support. ``pieces`` keeps the pieces decoded for
    earlier gaps of the same take: the first try of every gap in a take of up
    to 30 s is the whole take, decoded once (the decoding is deterministic),
    and ``encodings`` the encoder output of the windows decoded so far (that
    whole-take window is the first pass's).
    """
    a, b = gap
    pieces = {} if pieces is None else pieces
    duration = len(audio) / _SAMPLE_RATE
    before = max((w.end for w in words if w.end <= a), default=0.0)
    after = min((w.start for w in words if w.start >= b), default=duration)
    window_end = min(duration, max(b + RECOVERY_MARGIN_S, WINDOW_S))
    tries = [
        (max(0.0, window_end - WINDOW_S), window_end),
        (max(before, a - RECOVERY_MARGIN_S), min(after, b + RECOVERY_MARGIN_S)),
    ]
    dropped: list[DroppedWord] = []
    best, best_missing = list(words), _missing_in(words, gap, sounding)
    for lo, hi in tries:
        if (lo, hi) not in pieces:
            pieces[(lo, hi)] = _decode_piece(model, audio, lo, hi, sounding, encodings)
        found, rejected = pieces[(lo, hi)]
        merged = word_support.merge(words, found, gap)
        missing = _missing_in(merged, gap, sounding)
        dropped.extend(d for d in rejected if a <= (d.start + d.end) / 2 <= b)
        if missing < best_missing:
            best, best_missing = merged, missing
        if best_missing == 0.0:
            break
    return best, dropped


def _missing_in(words: list[Word], gap: tuple[float, float], sounding: Sequence[tuple[float, float]]) -> float:
    """Seconds of speech inside ``gap`` that still lie in a gap of ``words``."""
    a, b = gap
    return sum(max(0.0, min(e, b) - max(s, a)) for s, e in word_support.find_gaps(words, sounding))


def _decode_piece(
    model,
    audio: np.ndarray,
    lo: float,
    hi: float,
    sounding: Sequence[tuple[float, float]],
    encodings: windows.Encodings | None = None,
) -> tuple[list[Word], list[DroppedWord]]:
    """Decode and align ``audio`` from ``lo`` to ``hi`` s without the prompt; the supported words, in file time."""
    piece = audio[int(lo * _SAMPLE_RATE) : int(np.ceil(hi * _SAMPLE_RATE))]
    if len(piece) < _SAMPLE_RATE // 2:
        return [], []
    decoded = decode_text(model, piece, prompt=None, encodings=encodings)
    found = [Word(w.text, w.start + lo, w.end + lo, w.probability) for w in align_words(model, decoded)]
    checked = word_support.support(found, sounding)
    return checked.words, checked.dropped
