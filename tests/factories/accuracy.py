"""Transcription accuracy for the tests that judge Whisper's output against a known text."""

from __future__ import annotations

from coach.text.script_diff import compare_script


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(S + D + I) / N over normalised words, N the reference's word count: the ``wer`` of
    :func:`coach.text.script_diff.compare_script`. Can exceed 1.0; raises
    :class:`coach.errors.CoachError` when the reference has no words."""
    return compare_script(reference, hypothesis).wer
