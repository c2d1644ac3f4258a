"""Whisper-shaped word lists for the text-analysis tests."""

from __future__ import annotations

from coach.report import Word


def words_of(tokens: list[str], *, start: float = 0.0, duration: float = 0.3, gap: float = 0.1) -> list[Word]:
    """Whisper-shaped words with evenly spaced times (tokens keep their own spaces)."""
    out = []
    t = start
    for token in tokens:
        out.append(Word(token, t, t + duration, 0.9))
        t += duration + gap
    return out


def spoken(text: str, **kwargs) -> list[Word]:
    """One Whisper word per whitespace token, each with Whisper's leading space."""
    return words_of([" " + t for t in text.split()], **kwargs)
