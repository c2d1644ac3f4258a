"""Speech to words with openai-whisper: every word with its times and confidence.

Whisper is trained on transcripts that leave out disfluencies, so it drops
"um" and "uh" unless its context suggests a verbatim transcript. We give it an
initial prompt written in that style (both spellings, several times): it keeps
the fillers a coach needs to count, and it also makes tiny.en punctuate, which
question detection relies on. The prompt also ends with a phone number in
numerals: without it tiny.en tends to write digits as words and to collapse a
repeated digit ("five five five" became "55" in most of our samples; with it,
none did). :mod:`coach.text.phone_numbers` reads numerals and words either way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from coach.report import Word

#: Verbatim-style context that keeps fillers in the transcript (see module doc).
FILLER_PROMPT = "Um, uh, so, uh, I was, um, thinking we could, uh, talk. Uh, my number is 212-555-0147."


#: Whisper's decoder installs key/value-cache hooks on the model for the length
#: of a transcription, so two threads sharing one model (two app sessions)
#: must take turns. On the CPU each run uses every core anyway.
_MODEL_LOCK = threading.Lock()


@dataclass
class Transcript:
    text: str
    words: list[Word]
    language: str


def transcribe(model, samples: np.ndarray, *, keep_fillers: bool = True) -> Transcript:
    """Transcribe 16 kHz mono float32 ``samples`` with word timestamps (greedy, English)."""
    import whisper

    with _MODEL_LOCK:
        result = whisper.transcribe(
            model,
            samples.astype(np.float32, copy=False),
            language="en",
            task="transcribe",
            temperature=0.0,
            word_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=FILLER_PROMPT if keep_fillers else None,
            fp16=False,
            verbose=None,
        )
    words = [
        Word(
            text=w["word"],
            start=float(w["start"]),
            end=float(w["end"]),
            probability=float(w["probability"]),
        )
        for segment in result["segments"]
        for w in segment.get("words", [])
    ]
    text = "".join(w.text for w in words).strip()
    return Transcript(text=text, words=words, language=result.get("language", "en"))
