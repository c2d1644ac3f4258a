"""Combine the acoustic measurements and the transcript into the report's metrics.

Pace is measured over the speech span from the audio (first sound to last
sound), which is the span between the first and the last word without
Whisper's timestamp jitter; numerals count as the words it takes to say them
(:func:`coach.text.normalise.spoken_word_count`: each digit of a phone
number or a digit string, "2024" as twenty twenty four).
"""

from __future__ import annotations

import dataclasses

from coach.report import AcousticMetrics, Metrics, RepProfile, Word
from coach.text.features import count_sentences, find_fillers, find_questions
from coach.text.introduction import find_introduction
from coach.text.normalise import spoken_word_count
from coach.text.phone_numbers import find_phone_numbers


def words_per_minute(word_count: int, seconds: float) -> float:
    return 60.0 * word_count / seconds if seconds > 0 else 0.0


def build_metrics(
    acoustics: AcousticMetrics, words: list[Word], *, rep: RepProfile | None = None, name_similarity: float = 0.8
) -> Metrics:
    """Metrics from :func:`coach.analysis.acoustics.measure`'s result and Whisper's words.

    With the rep's profile, the introduction is also found by the rep's own name, read
    tolerantly (``name_similarity``: :func:`coach.text.introduction.find_introduction`).
    """
    measured = {f.name: getattr(acoustics, f.name) for f in dataclasses.fields(AcousticMetrics)}
    word_count = spoken_word_count(words)
    fillers = find_fillers(words)
    probabilities = [w.probability for w in words]
    return Metrics(
        **measured,
        wpm=words_per_minute(word_count, acoustics.speech_span_s),
        articulation_wpm=words_per_minute(word_count, acoustics.speaking_time_s),
        word_count=word_count,
        filler_count=len(fillers),
        fillers=fillers,
        phone_numbers=find_phone_numbers(words),
        introduction=find_introduction(words, rep, min_similarity=name_similarity),
        questions=find_questions(words),
        sentence_count=count_sentences(words),
        mean_word_probability=sum(probabilities) / len(probabilities) if probabilities else 0.0,
    )
