"""The fast decoding (coach.analysis.windows) writes stock Whisper's words at stock Whisper's times.

Real tiny.en weights, real audio: the sample voicemails and, where present,
the real-speech clips. The reference is stock openai-whisper built from its
public functions (tests/factories/stock_whisper.py): ``whisper.transcribe``
then ``whisper.timing.add_word_timestamps`` per window, which runs the
encoder a second time. The meant differences, windows without sound not
decoded and a window that stopped before its speech did followed from its last
word, are checked on their own.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect

import numpy as np
import pytest
import soundfile as sf
import torch
import whisper
import whisper.decoding
import whisper.model
import whisper.timing

from coach.analysis import acoustics, lean_decoder, windows, word_support
from coach.analysis.models import load_model
from coach.analysis.transcribe import FILLER_PROMPT, align_words, decode_text
from coach.audio import SAMPLE_RATE
from coach.audio.decode import load_audio
from factories.paths import REALSPEECH, SAMPLES
from factories.speech import with_silence
from factories.stock_whisper import stock_model, stock_segments, stock_words

#: Word times may differ by one alignment frame (the encoder output comes from the decoding pass).
TIME_TOLERANCE_S = 0.02 + 1e-9

#: The openai-whisper code coach.analysis.windows copies or depends on, as of the pinned 20250625.
#: A new version that changes any of it fails here: re-check windows.py against it, then update.
PINNED_SOURCES = {
    ("whisper.transcribe", "transcribe"): "17a80c6abe976aa3",
    ("whisper.timing", "find_alignment"): "d91537323566c6ae",
    ("whisper.timing", "add_word_timestamps"): "58646c650e7630f2",
    # coach.analysis.dtw is dtw_cpu and backtrace in numpy, swapped in where dtw calls dtw_cpu.
    ("whisper.timing", "dtw"): "5c5a84af93f7c48e",
    ("whisper.timing", "dtw_cpu"): "ca5322b1749d1ffc",
    ("whisper.timing", "backtrace"): "dff5f098eec8b008",
    ("whisper.model", "TextDecoder.forward"): "a7264db12dc38ad4",
    ("whisper.decoding", "DecodingTask.run"): "d6ed53ca148648fa",
    ("whisper.decoding", "DecodingTask._get_audio_features"): "fff0168b936dd24f",
    # coach.analysis.lean_decoder stands in for PyTorchInference and computes the blocks' arithmetic itself.
    ("whisper.decoding", "PyTorchInference"): "4a22c8f52dd1c763",
    ("whisper.decoding", "DecodingTask._main_loop"): "3d32f1a01b5f6b6b",
    ("whisper.model", "ResidualAttentionBlock.forward"): "25ca7a042a4af7f8",
    ("whisper.model", "MultiHeadAttention.forward"): "4dc93220aa56ef17",
    ("whisper.model", "MultiHeadAttention.qkv_attention"): "47ac5ed7946e75e7",
    # coach.analysis.models.load_checkpoint is whisper.load_model for a path, less the random initial weights.
    ("whisper", "load_model"): "e4602cdfeee20cad",
}


def _clips() -> list:
    clips = sorted(SAMPLES.glob("*.wav"))
    if REALSPEECH.is_dir():
        clips += sorted(REALSPEECH.glob("*.wav"))
    return clips


@pytest.fixture(scope="module")
def model():
    return load_model("tiny.en")


@pytest.mark.parametrize(("module", "name"), sorted(PINNED_SOURCES))
def test_the_whisper_internals_relied_on_are_unchanged(module, name):
    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    digest = hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]
    assert digest == PINNED_SOURCES[(module, name)], (
        f"{module}.{name} changed: check coach/analysis/windows.py and lean_decoder.py"
    )


def test_fast_logits_match_the_stock_product(model):
    windows.fast_logits(model)
    decoder = model.decoder
    x = torch.randn(1, 3, model.dims.n_text_state)
    stock = (x @ torch.transpose(decoder.token_embedding.weight, 0, 1)).float()
    mel = whisper.log_mel_spectrogram(np.zeros(SAMPLE_RATE, dtype=np.float32), model.dims.n_mels, padding=0)
    features = model.encoder(whisper.pad_or_trim(mel, 3000).unsqueeze(0))
    tokens = torch.tensor([[50257, 50362, 440, 2068]])
    ours = decoder(tokens, features)
    reference = whisper.model.TextDecoder.forward(decoder, tokens, features)
    assert torch.allclose(ours, reference, atol=1e-4, rtol=0)
    assert torch.equal(ours.argmax(-1), reference.argmax(-1))
    assert stock.shape[-1] == ours.shape[-1] == model.dims.n_vocab


@pytest.mark.parametrize("later", ["none", "prompt"], ids=["prompt-first-window", "prompt-every-window"])
def test_windows_and_segments_are_whisper_transcribes(model, later):
    # too_long.wav is 57 s: two windows, the second starting where the first one's last segment ended.
    audio = load_audio(SAMPLES / "too_long.wav").samples
    ours = [s for w in windows.decode(model, audio, prompt=FILLER_PROMPT, later_windows=later) for s in w.segments]
    stock = stock_segments(stock_model(), audio, FILLER_PROMPT, carry_prompt=later == "prompt")
    keys = ("seek", "start", "end", "text", "tokens")
    assert len({s["seek"] for s in stock}) >= 2, "the case is not triggered (one window only)"
    assert [{k: s[k] for k in keys} for s in ours] == [{k: s[k] for k in keys} for s in stock]


@pytest.mark.parametrize("clip", _clips(), ids=lambda p: p.stem)
def test_same_words_and_times_as_stock_whisper(model, clip):
    audio = load_audio(clip, max_duration_s=600.0).samples
    sounding = acoustics.measure(audio, SAMPLE_RATE).sounding
    stock = stock_words(stock_model(), audio, FILLER_PROMPT)
    # Whisper's own prompting of the windows after the first (saving 7 is a meant difference, tested on its own).
    decoded = windows.decode(model, audio, prompt=FILLER_PROMPT, sounding=sounding, later_windows="none")
    ours = [(w.text, w.start, w.end) for w in align_words(model, decoded)]
    assert [w[0] for w in ours] == [w[0] for w in stock]
    worst = max((max(abs(a[1] - b[1]), abs(a[2] - b[2])) for a, b in zip(ours, stock, strict=True)), default=0.0)
    assert worst <= TIME_TOLERANCE_S, worst


def test_windows_without_sound_are_not_decoded(model, monkeypatch):
    # Speech, 40 s of faint noise, speech: the window that holds only the noise is skipped, and so is the
    # scrap after the last window; the words the audio supports are the same as when every window is decoded.
    first = load_audio(SAMPLES / "good_voicemail.wav").samples
    second = load_audio(SAMPLES / "rushed_number.wav").samples
    audio = np.concatenate([with_silence(first, 40.0, noise_dbfs=-65.0), second]).astype(np.float32)
    sounding = acoustics.measure(audio, SAMPLE_RATE).sounding
    calls = {"n": 0}
    original = lean_decoder.decode

    def counting(model, features, options):
        calls["n"] += 1
        return original(model, features, options)

    monkeypatch.setattr(lean_decoder, "decode", counting)
    every = decode_text(model, audio, prompt=FILLER_PROMPT)
    all_calls = calls["n"]
    calls["n"] = 0
    skipping = decode_text(model, audio, prompt=FILLER_PROMPT, sounding=sounding)
    assert calls["n"] < all_calls, (calls["n"], all_calls)
    # A skipped window moves the next one's start (to the skipped window's end), so the seeks differ;
    # what must not differ is the words the audio supports.
    assert all(windows.has_sound(w.seek / 100, (w.seek + w.size) / 100, sounding) for w in skipping)
    kept_every = word_support.support(align_words(model, every), sounding).words
    kept_skipping = word_support.support(align_words(model, skipping), sounding).words
    # The second voicemail's window starts 2 s later when the noise window is skipped (at 60.0 s, not
    # at 58.0 s where Whisper's ". ." segments in the noise ended), so the number is written once as
    # "206-55-0171" and once as "206550171": the same characters, grouped differently.
    assert _letters(kept_skipping) == _letters(kept_every)
    assert any(w.start >= 61.0 for w in kept_skipping), "the speech after the noise is transcribed"


def test_a_window_decoded_again_is_not_encoded_again(model, monkeypatch):
    # The recovery pass decodes the whole take again without the prompt: with the first pass's
    # Encodings, the encoder runs once for the window, and the unprompted segments are those of a
    # decoding that encodes the window itself.
    audio = load_audio(SAMPLES / "rushed_number.wav").samples
    fresh = windows.decode(model, audio, prompt=None)
    calls = {"n": 0}
    original = type(model.encoder).forward

    def counting(self, x):
        calls["n"] += 1
        return original(self, x)

    monkeypatch.setattr(type(model.encoder), "forward", counting)
    encodings = windows.Encodings()
    first = windows.decode(model, audio, prompt=FILLER_PROMPT, encodings=encodings)
    again = windows.decode(model, audio, prompt=None, encodings=encodings)
    # Once per distinct window: the second pass encodes only windows the first did not reach (where
    # the two decodings' timestamps move the next window differently), never one it already had.
    assert calls["n"] == len({w.seek for w in first} | {w.seek for w in again})
    assert calls["n"] < len(first) + len(again)
    keys = ("seek", "start", "end", "text", "tokens")
    assert [{k: s[k] for k in keys} for w in again for s in w.segments] == [
        {k: s[k] for k in keys} for w in fresh for s in w.segments
    ]
    assert all(torch.equal(a.features, b.features) for a, b in zip(again, fresh, strict=True))


def test_a_window_that_stopped_before_its_speech_is_followed_from_its_last_word(model):
    # dead_air.wav, then filler_heavy.wav, cut at 30 s (the bench's 30 s recording): after the long pause
    # in dead_air the prompted decoder ends its text at "The reason I'm calling is..." with 16 s of
    # speech still to come, and stock Whisper moves past the whole window, losing it.
    audio = np.concatenate(
        [load_audio(SAMPLES / "dead_air.wav").samples, load_audio(SAMPLES / "filler_heavy.wav").samples]
    )[: 30 * SAMPLE_RATE]
    sounding = acoustics.measure(audio, SAMPLE_RATE).sounding
    stock = stock_words(stock_model(), audio, FILLER_PROMPT)
    stock_kept = word_support.support([_word(w) for w in stock], sounding).words
    assert word_support.find_gaps(stock_kept, sounding), "the case is not triggered (stock loses nothing)"
    decoded = decode_text(model, audio, prompt=FILLER_PROMPT, sounding=sounding)
    assert len(decoded) == 2
    first_end = decoded[0].words[-1][2]
    # The second window starts RESUME_CONTEXT_S before the first one's last word (which lies before the lost
    # speech) and keeps only its words from there on.
    assert first_end < 16.0
    assert decoded[1].seek == int((first_end - windows.RESUME_CONTEXT_S) * 100)
    assert all((w[1] + w[2]) / 2 >= first_end for w in decoded[1].words)
    words = align_words(model, decoded)
    kept = word_support.support(words, sounding).words
    assert not word_support.find_gaps(kept, sounding), "speech is still without words"
    # The first window's words are stock Whisper's (same text, times within one frame) ...
    head = [w for w in words if w.end <= first_end]
    assert [w.text for w in head] == [w[0] for w in stock[: len(head)]]
    assert all(abs(a.start - b[1]) <= TIME_TOLERANCE_S for a, b in zip(head, stock, strict=False))
    # ... and nothing at the seam is written twice: the words after it are centred after the first window's end.
    assert (words[len(head)].start + words[len(head)].end) / 2 >= first_end
    assert words[len(head)].text.strip(" .,").lower() != head[-1].text.strip(" .,").lower()


def test_a_window_that_follows_on_is_prompted_with_the_takes_prompt_and_the_words_before_it(model, monkeypatch):
    # The same 30 s take: the second window follows on from the first one's last word (saving 5), and its prompt
    # is the take's prompt followed by the last PREVIOUS_WORDS words written so far (saving 7), as a streamed
    # chunk's is. (Leaving out the words it hears again, those of its first RESUME_CONTEXT_S, measured worse on
    # the evaluation set: numbers right 95.2% -> 94.4%, one more clean message with a false warning.)
    audio = np.concatenate(
        [load_audio(SAMPLES / "dead_air.wav").samples, load_audio(SAMPLES / "filler_heavy.wav").samples]
    )[: 30 * SAMPLE_RATE]
    sounding = acoustics.measure(audio, SAMPLE_RATE).sounding
    prompts = []
    original = lean_decoder.decode

    def recording(model, features, options):
        prompts.append(options.prompt)
        return original(model, features, options)

    monkeypatch.setattr(lean_decoder, "decode", recording)
    decoded = decode_text(model, audio, prompt=FILLER_PROMPT, sounding=sounding)
    assert len(decoded) == 2 and len(prompts) == 2, "the case is not triggered"
    tokenizer = whisper.tokenizer.get_tokenizer(False, language="en", task="transcribe")
    written = " ".join(s["text"] for s in decoded[0].segments).split()
    assert written
    assert tokenizer.decode(prompts[0]).strip() == FILLER_PROMPT
    second = tokenizer.decode(prompts[1]).strip()
    assert second == FILLER_PROMPT + " " + " ".join(written[-windows.PREVIOUS_WORDS :])


def test_a_window_that_gives_up_on_its_speech_with_the_context_prompt_is_decoded_without_it(
    model, monkeypatch, tmp_path
):
    # The bench's 60 s recording (the samples joined): prompted with the words before it, the window from
    # 38.7 s wrote only "Um, I saw harbors." for 21 s of speech, and the coach decoded the whole take again
    # to find the lost words. Decoded again without a prompt, it writes the speech.
    parts = [load_audio(p).samples for p in sorted(SAMPLES.glob("*.wav"))]
    joined = tmp_path / "bench_60s.wav"
    sf.write(joined, np.concatenate(parts)[: 60 * SAMPLE_RATE], SAMPLE_RATE, subtype="PCM_16")  # as make bench does
    audio = load_audio(joined).samples
    sounding = acoustics.measure(audio, SAMPLE_RATE).sounding
    calls = []
    original = lean_decoder.decode

    def recording(model, features, options):
        result = original(model, features, options)
        calls.append((features, bool(options.prompt), len(result.tokens)))
        return result

    monkeypatch.setattr(lean_decoder, "decode", recording)
    decoded = decode_text(model, audio, prompt=FILLER_PROMPT, sounding=sounding)
    again = [
        (before, after)
        for before, after in zip(calls, calls[1:], strict=False)
        if before[0] is after[0] and before[1] and not after[1]
    ]
    assert again, "the case is not triggered (no window gave up with the context prompt)"
    for before, after in again:
        assert after[2] > 3 * before[2]
    words = align_words(model, decoded)
    assert not word_support.find_gaps(word_support.support(words, sounding).words, sounding)


def _word(w):
    from coach.report import Word

    return Word(w[0], w[1], w[2], 1.0)


def _letters(words) -> str:
    """The words' letters and digits, lower case, without spaces or punctuation."""
    return "".join(c for w in words for c in w.text.lower() if c.isalnum())


def test_lean_decoder_gives_whispers_logits_step_by_step(model):
    # The same prompt and tokens through whisper's PyTorchInference (key/value hooks) and LeanInference
    # (float16 weights, fused projections, a cache written in place): the same logits to float rounding at
    # every step, so the same token is the best one.
    from whisper.decoding import PyTorchInference
    from whisper.tokenizer import get_tokenizer

    audio = load_audio(SAMPLES / "good_voicemail.wav").samples
    mel = whisper.log_mel_spectrogram(audio, model.dims.n_mels, padding=whisper.audio.N_SAMPLES)
    with torch.no_grad():
        features = model.encoder(whisper.pad_or_trim(mel[:, :3000], 3000).unsqueeze(0))
    tokenizer = get_tokenizer(model.is_multilingual, num_languages=model.num_languages, language="en")
    tokens = torch.tensor([[tokenizer.sot_prev, *tokenizer.encode(" " + FILLER_PROMPT), *tokenizer.sot_sequence]])
    stock = PyTorchInference(model, tokens.shape[1])
    lean = lean_decoder.LeanInference(model)
    with torch.no_grad():
        for step in range(12):
            expected = stock.logits(tokens, features)
            got = lean.logits(tokens, features)
            if step == 0:  # the first call returns every position (DecodingTask reads the start-of-text one)
                assert got.shape == expected.shape
            assert torch.allclose(got[:, -1], expected[:, -1], atol=2e-3, rtol=0), step
            assert torch.equal(got[:, -1].argmax(-1), expected[:, -1].argmax(-1)), step
            tokens = torch.cat([tokens, expected[:, -1].argmax(-1, keepdim=True)], dim=1)
    stock.cleanup_caching()


def test_lean_decoder_reads_float16_weights_only_where_they_are_float16_values(model):
    lean = lean_decoder.lean_decoder(model)
    linears = [lean.logits] + [
        v for layer in lean.layers for v in layer.values() if isinstance(v, lean_decoder._Linear)
    ]
    assert linears and all(linear.packed is not None for linear in linears)  # the bundled weights: all of them
    weight, bias = torch.randn(8, 16), torch.randn(8)  # float32 values that float16 would round
    x = torch.randn(3, 16)
    kept = lean_decoder._Linear(weight, bias)
    assert kept.packed is None
    assert torch.allclose(kept(x), torch.nn.functional.linear(x, weight, bias), atol=1e-6)
    exact = lean_decoder._Linear(weight.half().float(), bias)
    assert exact.packed is not None
    assert torch.allclose(exact(x), torch.nn.functional.linear(x, weight.half().float(), bias), atol=1e-5)
