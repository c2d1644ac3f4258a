"""Combine the acoustic measurements and the transcript into the report's metrics.

Pace is measured over the speech span from the audio (first sound to last
sound), which is the span between the first and the last word without
Whisper's timestamp jitter; numerals count as the words it takes to say them
(:func:`coach.text.normalise.spoken_word_count`: each digit of a phone
number or a digit string, "2024" as twenty twenty four).
"""

from __future__ import annotations

from coach.report import Metrics, Word
from coach.text.features import count_sentences, find_fillers, find_questions
from coach.text.introduction import find_introduction
from coach.text.normalise import spoken_word_count
from coach.text.phone_numbers import find_phone_numbers


def words_per_minute(word_count: int, seconds: float) -> float:
    return 60.0 * word_count / seconds if seconds > 0 else 0.0


def build_metrics(acoustics, words: list[Word]) -> Metrics:
    """Metrics from :func:`coach.analysis.acoustics.measure`'s result and Whisper's words."""
    word_count = spoken_word_count(words)
    span = max(acoustics.speech_end_s - acoustics.speech_start_s, 0.0)
    fillers = find_fillers(words)
    probabilities = [w.probability for w in words]
    return Metrics(
        speech_start_s=acoustics.speech_start_s,
        speech_end_s=acoustics.speech_end_s,
        speech_span_s=span,
        leading_silence_s=acoustics.leading_silence_s,
        trailing_silence_s=acoustics.trailing_silence_s,
        pauses=list(acoustics.pauses),
        longest_pause_s=acoustics.longest_pause_s,
        speaking_time_s=acoustics.speaking_time_s,
        wpm=words_per_minute(word_count, span),
        articulation_wpm=words_per_minute(word_count, acoustics.speaking_time_s),
        word_count=word_count,
        filler_count=len(fillers),
        fillers=fillers,
        loudness_dbfs=acoustics.loudness_dbfs,
        peak_dbfs=acoustics.peak_dbfs,
        clipping_ratio=acoustics.clipping_ratio,
        snr_db=acoustics.snr_db,
        pitch_median_hz=acoustics.pitch_median_hz,
        pitch_variation_st=acoustics.pitch_variation_st,
        phone_numbers=find_phone_numbers(words),
        introduction=find_introduction(words),
        questions=find_questions(words),
        sentence_count=count_sentences(words),
        mean_word_probability=sum(probabilities) / len(probabilities) if probabilities else 0.0,
    )
