"""The filler-keeping prompt: fillers survive, the rest of the transcript does not suffer."""

from __future__ import annotations

import inspect
import tomllib

import pytest
import whisper
from whisper.timing import add_word_timestamps

from coach.analysis.models import load_model
from coach.analysis.transcribe import FILLER_PROMPT, align_words, decode_text, transcribe
from coach.audio.decode import load_audio
from coach.text.features import find_fillers
from coach.text.normalise import normalize_words
from factories.accuracy import word_error_rate
from factories.paths import ROOT, SAMPLES
from factories.stock_whisper import stock_model, stock_transcribe


@pytest.fixture(scope="module")
def model():
    return load_model("tiny.en")


def test_prompt_keeps_fillers_that_plain_whisper_drops(model):
    script = (SAMPLES / "filler_heavy.txt").read_text()
    said = sum(1 for w in normalize_words(script) if w in ("um", "uh"))
    audio = load_audio(SAMPLES / "filler_heavy.wav").samples
    kept = len(find_fillers(transcribe(model, audio, keep_fillers=True).words))
    plain = len(find_fillers(transcribe(model, audio, keep_fillers=False).words))
    assert kept >= said - 1
    assert kept > plain


@pytest.mark.parametrize("name", ["good_voicemail", "sales_pitch", "no_callback_number"])
def test_prompt_does_not_hurt_the_rest(model, name):
    script = (SAMPLES / f"{name}.txt").read_text()
    audio = load_audio(SAMPLES / f"{name}.wav").samples
    with_prompt = word_error_rate(script, transcribe(model, audio, keep_fillers=True).text)
    without = word_error_rate(script, transcribe(model, audio, keep_fillers=False).text)
    assert with_prompt <= without + 0.02, (with_prompt, without)


def test_words_have_ordered_times_and_probabilities(model):
    audio = load_audio(SAMPLES / "good_voicemail.wav")
    words = transcribe(model, audio.samples).words
    assert len(words) > 30
    for word in words:
        assert 0 <= word.start <= word.end <= audio.duration_s + 0.05
        assert 0.0 <= word.probability <= 1.0
    starts = [w.start for w in words]
    assert starts == sorted(starts)


def test_the_pinned_whisper_is_installed():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (pin,) = [d for d in pyproject["project"]["dependencies"] if d.startswith("openai-whisper")]
    assert pin == f"openai-whisper=={whisper.__version__}"
    params = set(inspect.signature(add_word_timestamps).parameters)
    assert {"segments", "model", "tokenizer", "mel", "num_frames", "last_speech_timestamp"} <= params
    # The internals coach.analysis.windows copies or relies on are checked in test_fast_decoding.py.


def test_decode_then_align_gives_whisper_own_word_times(model):
    # One 30 s window: whisper.transcribe(word_timestamps=True) aligns the same segments on the same
    # mel window, so the two must agree word for word (segments carry their window's "seek").
    audio = load_audio(SAMPLES / "good_voicemail.wav").samples
    decoded = decode_text(model, audio, prompt=FILLER_PROMPT)
    assert decoded and all("seek" in s and "tokens" in s for w in decoded for s in w.segments)
    ours = [(w.text, w.start, w.end) for w in align_words(model, decoded)]
    stock = stock_transcribe(stock_model(), audio, FILLER_PROMPT, word_timestamps=True)
    assert ours == [(w["word"], w["start"], w["end"]) for s in stock["segments"] for w in s["words"]]


def test_a_name_spelled_like_a_special_token_is_prompted_as_text(model):
    # Whisper's tokenizer.encode refuses "<|endoftext|>" in text (ValueError); the prompt is typed by the rep.
    from coach.report import RepProfile

    audio = load_audio(SAMPLES / "good_voicemail.wav").samples
    plain = transcribe(model, audio).words
    odd = transcribe(model, audio, rep=RepProfile(name="Sam <|endoftext|>", company="Acme <|notimestamps|>")).words
    assert len(odd) > 0.8 * len(plain)
