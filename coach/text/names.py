"""Names as Whisper writes them: does a said word stand for a known name, allowing for mishearing?

Whisper does not know the rep's or the prospect's name and often writes a
near miss: "Ben" as "been", "Dana" as "Donna", "Marcus" as "Marcos". Two
tests, each from a kept library:

- **spelling**: rapidfuzz's normalised Indel similarity (1 = the same
  letters, "been" against "ben" is 0.86), counted from ``min_similarity``;
- **sound**: the same Metaphone code (jellyfish), so "been" and "Ben" (BN),
  "Donna" and "Dana" (TN), "tailor" and "Tyler" (TLR) agree. Many everyday
  words share a short code with a name ("some" with "Sam"), so callers ask
  for the sound test only where a name is expected anyway (right after
  "Hi", or inside "this is ... from ...").

Both sides are compared as lower-case letters only, so case, apostrophes and
hyphens do not count ("O'Brien" = "obrien").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import jellyfish
from rapidfuzz.distance import Indel

_LETTERS = re.compile(r"[^a-z]")
#: Metaphone codes shorter than this say too little to call two words alike ("Jo" and "a": "J" / "").
_MIN_CODE = 2


def letters(text: str) -> str:
    """``text`` as lower-case ASCII letters only ("O'Brien," -> "obrien")."""
    return _LETTERS.sub("", text.lower())


@functools.lru_cache(maxsize=4096)
def sound_code(word: str) -> str:
    """The Metaphone code of ``word`` ("" for no letters)."""
    core = letters(word)
    return jellyfish.metaphone(core) if core else ""


def spelling_similarity(said: str, name: str) -> float:
    """0-1: how alike the two are letter by letter (rapidfuzz's normalised Indel similarity)."""
    a, b = letters(said), letters(name)
    if not a or not b:
        return 0.0
    return float(Indel.normalized_similarity(a, b))


def sounds_alike(said: str, name: str) -> bool:
    """True when both have the same Metaphone code of 2 or more letters ("been" / "Ben")."""
    a, b = sound_code(said), sound_code(name)
    return len(b) >= _MIN_CODE and a == b


@dataclass(frozen=True)
class NameMatch:
    """How a said word matched a name: ``how`` is "exact", "spelling" or "sound"."""

    said: str
    name: str
    how: str
    similarity: float


def match_name(said: str, name: str, min_similarity: float, *, by_sound: bool = False) -> NameMatch | None:
    """Whether ``said`` stands for ``name``: the same letters, a spelling at least ``min_similarity``
    alike, or (with ``by_sound``) the same sound code; None when it does not."""
    a, b = letters(said), letters(name)
    if not a or not b:
        return None
    if a == b:
        return NameMatch(said, name, "exact", 1.0)
    similarity = spelling_similarity(a, b)
    if similarity >= min_similarity:
        return NameMatch(said, name, "spelling", similarity)
    if by_sound and sounds_alike(a, b):
        return NameMatch(said, name, "sound", similarity)
    return None


def name_parts(name: str) -> list[str]:
    """The words of a name worth matching: two letters or more ("Dr. Sam O'Brien" -> Dr, Sam, O'Brien)."""
    return [p for p in re.split(r"[\s,]+", name.strip()) if len(letters(p)) >= 2]
