"""Stock openai-whisper, for comparison: the words the coach's fast decoding must reproduce.

:func:`stock_words` is the transcription the coach ran before its decoding
was sped up (:mod:`coach.analysis.windows`), written with whisper's own
public functions only: ``whisper.transcribe`` without word timestamps (the
prompt on the first window), then ``whisper.timing.add_word_timestamps``
window by window on the window's mel, which runs the encoder again. Pass
them :func:`stock_model`: the coach's decoding gives the model it shares
(``load_model``) its own logits product.
"""

from __future__ import annotations

from functools import cache
from itertools import groupby

import numpy as np
import whisper
from whisper.audio import N_FRAMES, N_SAMPLES
from whisper.timing import add_word_timestamps
from whisper.tokenizer import get_tokenizer

from coach.analysis.models import load_stock_model


@cache
def stock_model(name: str = "tiny.en"):
    """An instance of ``name`` of its own, which the coach's decoding never patches (one per test session)."""
    return load_stock_model(name)


def stock_transcribe(
    model, audio: np.ndarray, prompt: str | None, *, word_timestamps: bool, carry_prompt: bool = False
) -> dict:
    """Stock ``whisper.transcribe`` with the coach's decoding options (greedy, English, each window on its own)."""
    return whisper.transcribe(
        model,
        audio,
        language="en",
        task="transcribe",
        temperature=0.0,
        word_timestamps=word_timestamps,
        condition_on_previous_text=False,
        initial_prompt=prompt,
        carry_initial_prompt=carry_prompt,
        fp16=False,
        verbose=None,
    )


def stock_segments(model, audio: np.ndarray, prompt: str | None, *, carry_prompt: bool = False) -> list[dict]:
    result = stock_transcribe(model, audio, prompt, word_timestamps=False, carry_prompt=carry_prompt)
    return [s for s in result["segments"] if s["tokens"]]


def stock_words(model, audio: np.ndarray, prompt: str | None) -> list[tuple[str, float, float]]:
    """(text, start, end) of every word, as stock whisper decodes and aligns ``audio``."""
    segments = stock_segments(model, audio, prompt)
    tokenizer = get_tokenizer(
        model.is_multilingual, num_languages=model.num_languages, language="en", task="transcribe"
    )
    mel = whisper.log_mel_spectrogram(audio, model.dims.n_mels, padding=N_SAMPLES)
    content_frames = mel.shape[-1] - N_FRAMES
    last_speech = 0.0
    words: list[tuple[str, float, float]] = []
    for seek, window in groupby(segments, key=lambda s: s["seek"]):
        group = [dict(s) for s in window]
        size = min(N_FRAMES, content_frames - seek)
        add_word_timestamps(
            segments=group,
            model=model,
            tokenizer=tokenizer,
            mel=whisper.pad_or_trim(mel[:, seek : seek + size], N_FRAMES),
            num_frames=size,
            last_speech_timestamp=last_speech,
        )
        words.extend((w["word"], float(w["start"]), float(w["end"])) for s in group for w in s.get("words", []))
        if words:
            last_speech = words[-1][2]
    return words
