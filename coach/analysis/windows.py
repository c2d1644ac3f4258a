"""Whisper's decoding and word alignment, window by window, without the work that changes nothing.

This is the loop of ``whisper.transcribe`` (openai-whisper 20250625) for the
options the coach uses (greedy, English, no fallback temperatures, the
prompt on the first window, word timestamps aligned afterwards), with four
exact savings:

1. **The encoder runs once per window.** ``whisper.timing.find_alignment``
   runs the whole model again (encoder and decoder) only to read the
   decoder's cross-attention; the encoder output of the decoding pass is
   kept with its window (:class:`Window`) and the alignment runs the decoder
   alone on it (:class:`_Encoded`). On a 30 s take this was 0.93 s of 3.6 s.
   The alignment's decoder pass is unchanged; only its encoder input comes
   from the decoding pass, computed with PyTorch's fused attention instead of
   the plain one ``find_alignment`` switches to, so a word boundary can move
   by one 20 ms alignment frame (on the samples and the real-speech clips
   none did; tests/integration/test_fast_decoding.py checks it).
2. **The decoder reads float16 weights.** The bundled weights are float16
   values (CTranslate2 stores them so), and a decoder step is bound by the
   bytes it reads: :mod:`coach.analysis.lean_decoder` steps the decoding
   with fbgemm's float16 products (same numbers, sums in float32, half the
   bytes), one projection for query, key and value and a cache written in
   place, and :func:`fast_logits` gives the alignment pass the same float16
   logits product. Every token ends with ``x @ token_embedding.weight.T``, a
   80 MB matrix for tiny.en read through a transposed view: 7.7 ms a token
   on the development machine, 2.9 ms from a contiguous float32 copy (the
   previous saving) and 1.3 ms from the float16 one. The sums are the same
   up to float rounding (at most 4e-5 in a logit).
3. **A window is encoded once per transcription.** The recovery pass of
   :mod:`coach.analysis.transcribe` decodes the whole take again without the
   prompt (for a take of up to 30 s); its window's mel is the first pass's,
   so :class:`Encodings` hands the decoder the encoder output it already
   has (``model.decode`` takes encoder output in place of a mel), keyed by
   the mel's bytes.
4. **Windows that hold no sound are not decoded.** With the coach's own
   speech track (``sounding``), a window (or the last scraps of a take after
   the final window, often 0.02 s) in which no sounding stretch lies is
   skipped, as Whisper itself skips a window it judges silent; any words it
   wrote there would have been dropped as words over silence anyway.

And three changes that are meant to differ:

5. **Speech the decoder skipped is decoded in the loop.** When a window's
   text ends with a single timestamp, or has no timestamp pair at all,
   ``whisper.transcribe`` takes it that nothing more is said in it and moves
   past the whole window. After a long pause the prompted decoder often
   stops that way with seconds of speech still ahead (the first window of
   the bench's 30 s recording ends its text at 13.7 s of 30): stock Whisper
   loses those words, and the recovery pass of
   :mod:`coach.analysis.transcribe` had to decode the whole take again to
   find them. With the speech track, each window is aligned as soon as it is
   decoded (the alignment reuses the result, so it costs nothing extra), and
   when a lost stretch's worth of sound lies between its last word and its
   end, the next window starts 5 s before that word's end, for context, and
   keeps its words from there on (:func:`_resume_at`), much as
   ``whisper.transcribe`` with word timestamps starts the next window at the
   last word after an unfinished segment. Measured with ``make bench`` on a
   quiet 2-core machine: the report of the bench's 30 s recording 2.87 s ->
   2.02 s (stock 2.74 s), the 60 s one 7.65 s -> 4.24 s (stock 5.01 s).

6. **A window whose text repeats itself is decoded again with beam search.**
   Greedy decoding can fall into a loop: a slowly read callback number came
   back as "617-555-5-5-5-5-..." to the end of its window, and the coach
   reported nine phone numbers nobody said. ``whisper.transcribe`` catches
   such a window by its gzip compression ratio (above 2.4) and decodes it
   again by sampling at rising temperatures; the coach decodes it again
   with 5-beam search instead (deterministic: the same take reads the same
   every time) and keeps whichever repeats itself less. On that take the
   window then reads "... Again, 617-555-5." and the rest of the number is
   decoded in the window that follows on (saving 5). Windows under the
   threshold are decoded exactly as before.

7. **A window after the first hears the take's prompt and what came before
   it.** ``whisper.transcribe`` with ``condition_on_previous_text=False``
   gives the prompt to the first window only, so the rep's number and names
   and the verbatim style did not reach a window that starts 30 s in: the
   number said again at the end of a long message came back as "971-55-0138"
   or "415-55-0192". Whisper's ``carry_initial_prompt`` (the prompt alone on
   every window, ``later_windows="prompt"`` here) misread a window that held
   only a number after silence ("Uh, 2006555-0171." for "2 0 6 5 5 5 0 1 7
   1" on ``rushed_number.wav`` with 3 s of silence after it). Each later
   window is now prompted as the streamed chunks are
   (:mod:`coach.analysis.streaming`): the take's prompt, then the last
   :data:`PREVIOUS_WORDS` words written before it (:func:`context_prompt`),
   which is Whisper's ``condition_on_previous_text`` over the last 30 words
   only, with the take's prompt in front. On the evaluation set
   (``bench/evaluate.py``, tiny.en, with the reps' profiles) phone numbers
   right went from 90.5% to 95.2% and WER from 6.79% to 6.74%; no rule
   finding was lost. A window so prompted can give up on its speech: in
   the bench's 60 s recording the window from 38.7 s wrote only "Um, I saw
   harbors." for 21 s of speech, and the coach decoded the whole take again
   to find the lost words (7.9 s for the report instead of 3.3 s). A window
   that writes fewer than :data:`MIN_TOKENS_PER_SOUND_S` tokens a second of
   its sound is decoded again without a prompt, as Whisper decodes it.
   Without a prompt (the recovery pass) the later windows have none, as
   before.

Everything here relies on openai-whisper internals (``DecodingResult.audio_features``,
``whisper.timing.add_word_timestamps`` and ``find_alignment``'s use of the model,
the segment splitting of ``whisper.transcribe``, ``TextDecoder.forward``); the
version is pinned in pyproject.toml and tests/integration/test_fast_decoding.py
fails when an upgrade changes any of them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.analysis import dtw

#: Whisper's own thresholds for a window it skips as silent (``whisper.transcribe``'s defaults).
NO_SPEECH_THRESHOLD = 0.6
LOGPROB_THRESHOLD = -1.0
#: A window's text that gzip compresses more than this repeats itself (``whisper.transcribe``'s default
#: ``compression_ratio_threshold``): it is decoded again with this many beams (saving 6).
COMPRESSION_RATIO_THRESHOLD = 2.4
LOOP_BEAMS = 5
#: A window after the first, and a chunk streamed after the first, is prompted with the take's prompt and this
#: many of the words written before it (saving 7; 0: the take's prompt alone).
PREVIOUS_WORDS = 30
#: A window prompted with the words before it that wrote fewer tokens than this per second of its sound is
#: decoded again without a prompt (saving 7): speech comes to 3-4 tokens a second, timestamps included.
MIN_TOKENS_PER_SOUND_S = 1.0
#: Sound this close to a window's edges counts as inside it (s).
SOUND_MARGIN_S = 0.1
#: A window whose words stopped before its speech did is followed from its last word (saving 5) at most this
#: often per transcription, and only when that word ends this far into the window (s): no endless loop.
MAX_RESUMES = 3
MIN_RESUME_PROGRESS_S = 1.0
#: The window that follows on starts this long before the last word's end: the context a recovery decoding
#: of the whole take had (without it, "My number is" + an unprompted window of the bare digits read
#: "And 3,555, 0," in tests/integration/test_transcript_trust.py) (s).
RESUME_CONTEXT_S = 5.0

_FAST_LOCK = threading.Lock()


class Encodings:
    """The encoder output of each window mel seen in one transcription (saving 3 of the module doc)."""

    def __init__(self) -> None:
        self._known: dict[bytes, object] = {}

    def features(self, model, window_mel):
        """``model``'s encoder output for ``window_mel`` (n_mels, 3000), computed once per distinct mel."""
        import hashlib

        key = hashlib.blake2b(window_mel.cpu().numpy().tobytes(), digest_size=16).digest()
        if key not in self._known:
            self._known[key] = encode(model, window_mel)
        return self._known[key]


def encode(model, window_mel):
    """``model``'s encoder output for one window mel (n_mels, 3000): (n_audio_ctx, n_audio_state)."""
    import torch

    with torch.no_grad():
        return model.encoder(window_mel.unsqueeze(0))[0]


@dataclass
class Window:
    """One 30 s decoding window: where it starts and how long it is (mel frames), its segments, its encoding."""

    seek: int
    size: int
    segments: list[dict] = field(default_factory=list)
    features: object = None  # torch.Tensor (1, n_audio_ctx, n_audio_state): the encoder output
    words: list[tuple[str, float, float, float]] | None = None  # aligned while decoding (saving 5), else None


def fast_logits(model) -> None:
    """Give ``model``'s decoder the float16 logits product of :mod:`coach.analysis.lean_decoder` (once)."""
    from coach.analysis import lean_decoder  # imports torch: not at start-up (the model loads in a thread)

    decoder = model.decoder
    with _FAST_LOCK:
        if getattr(decoder, "_coach_fast", False):
            return
        logits = lean_decoder.lean_decoder(model).logits

        def forward(x, xa, kv_cache=None):
            # whisper.model.TextDecoder.forward, with the last product read from float16 weights.
            offset = next(iter(kv_cache.values())).shape[1] if kv_cache else 0
            x = decoder.token_embedding(x) + decoder.positional_embedding[offset : offset + x.shape[-1]]
            x = x.to(xa.dtype)
            for block in decoder.blocks:
                x = block(x, xa, mask=decoder.mask, kv_cache=kv_cache)
            x = decoder.ln(x)
            return logits(x.reshape(-1, x.shape[-1]).float()).view(*x.shape[:-1], -1)

        decoder.forward = forward
        decoder._coach_fast = True


def prepare(model) -> None:
    """Everything a first transcription with ``model`` would build on the way, built now (once per model).

    The float16 decoder weights (packing them: 0.3 s, in a thread beside the
    rest), the tokenizer (0.2-0.3 s) and its special-token regex (0.3-0.4 s).
    The model loader calls it, so a new process does this while it measures
    the take (:meth:`coach.pipeline.Analyzer.preload`). Numba's alignment
    code is not loaded here (setting numba up costs 0.45-0.75 s): a process
    that has not loaded it aligns with :mod:`coach.analysis.dtw`, and a
    long-lived one loads it when it warms up (:func:`warm_whisper_dtw`).
    """
    from whisper.tokenizer import get_tokenizer

    # Packing the weights runs in torch with the GIL released, building the tokenizer in Python:
    # side by side they take the longer of the two.
    failed: list[BaseException] = []

    def pack() -> None:
        try:
            fast_logits(model)
        except BaseException as exc:  # raised below, in the caller's thread
            failed.append(exc)

    packing = threading.Thread(target=pack, name="coach-pack-weights")
    packing.start()
    try:
        tokenizer = get_tokenizer(
            model.is_multilingual, num_languages=model.num_languages, language="en", task="transcribe"
        )
        # Whisper's blank suppression encodes " " at the first step of every window, and tokenizer.encode
        # compiles its regex of all the special tokens the first time in a process (0.3-0.4 s).
        tokenizer.encode(" ")
    finally:
        packing.join()
    if failed:
        raise failed[0]


def context_prompt(prompt: str | None, written: str) -> str | None:
    """The prompt of a window or streamed chunk that follows others (saving 7).

    The take's ``prompt`` (the fillers' style, the rep's names and number),
    then the last :data:`PREVIOUS_WORDS` words of what was ``written`` before
    it: the context a window that had heard it would have. Without a
    ``prompt``, the words alone.
    """
    words = written.split()[-PREVIOUS_WORDS:] if PREVIOUS_WORDS > 0 else []
    if not words:
        return prompt
    tail = " ".join(words)
    return f"{prompt.strip()} {tail}" if prompt else tail


def _prompt_tokens(tokenizer, prompt: str | None) -> list[int]:
    """``prompt``'s tokens as ``whisper.transcribe`` encodes an initial prompt, read as plain text.

    Whisper's ``tokenizer.encode`` checks the text for special tokens
    ("<|endoftext|>") and raises if one is there; a prompt holds what the rep
    typed, so a special token's spelling in it is encoded as the text it is.
    """
    return tokenizer.encoding.encode(" " + prompt.strip(), disallowed_special=()) if prompt else []


def has_sound(start_s: float, end_s: float, sounding: Sequence[tuple[float, float]] | None) -> bool:
    """True when a sounding stretch lies in [start_s, end_s] (or nothing is known about the sound)."""
    if sounding is None:
        return True
    return any(a < end_s + SOUND_MARGIN_S and b > start_s - SOUND_MARGIN_S for a, b in sounding)


def decode(
    model,
    audio: np.ndarray,
    *,
    prompt: str | None,
    sounding: Sequence[tuple[float, float]] | None = None,
    later_windows: str = "context",
    encodings: Encodings | None = None,
    beams: int = 1,
) -> list[Window]:
    """Decode ``audio`` (16 kHz mono float32) window by window: the windows in which something was said.

    The windows and segments are those of ``whisper.transcribe(audio, language="en",
    temperature=0.0, condition_on_previous_text=False, initial_prompt=prompt, fp16=False)``,
    less the windows without sound, with ``later_windows`` saying what prompts the
    windows after the first: ``"none"`` nothing (Whisper's default), ``"prompt"``
    ``prompt`` again (Whisper's ``carry_initial_prompt=True``), ``"context"``
    (the default, saving 7) ``prompt`` followed by the last words written
    before the window (:func:`context_prompt`). Without a ``prompt`` the later
    windows have none either way.
    ``encodings`` shares the encoder output of a window between the calls of one transcription.
    ``beams`` above 1 decodes with beam search of that width instead of greedily.
    """
    from dataclasses import replace

    import torch
    import whisper
    from whisper.audio import FRAMES_PER_SECOND, HOP_LENGTH, N_FRAMES, N_SAMPLES, SAMPLE_RATE
    from whisper.decoding import DecodingOptions
    from whisper.tokenizer import get_tokenizer

    from coach.analysis.word_support import overlap

    fast_logits(model)
    tokenizer = get_tokenizer(
        model.is_multilingual, num_languages=model.num_languages, language="en", task="transcribe"
    )
    prompt_tokens = _prompt_tokens(tokenizer, prompt)
    if later_windows not in ("none", "prompt", "context"):
        raise ValueError(f"later_windows must be 'none', 'prompt' or 'context', not {later_windows!r}")
    first = DecodingOptions(
        language="en",
        task="transcribe",
        temperature=0.0,
        prompt=prompt_tokens,
        fp16=False,
        beam_size=beams if beams > 1 else None,
    )
    later = first if later_windows == "prompt" else replace(first, prompt=None)

    def options_for_next() -> DecodingOptions:
        if not prompted:
            return first
        if later_windows != "context" or not prompt:
            return later
        written = " ".join(s["text"] for window in windows for s in window.segments)
        return replace(first, prompt=_prompt_tokens(tokenizer, context_prompt(prompt, written)))

    mel = whisper.log_mel_spectrogram(audio, model.dims.n_mels, padding=N_SAMPLES)
    content_frames = mel.shape[-1] - N_FRAMES
    input_stride = N_FRAMES // model.dims.n_audio_ctx  # mel frames per output token: 2
    time_precision = input_stride * HOP_LENGTH / SAMPLE_RATE  # 0.02 s per timestamp token
    windows: list[Window] = []
    seek = 0
    prompted = False  # the prompt has been given to a window Whisper did not skip
    resumes = 0
    last_speech = 0.0
    keep_from: float | None = None  # the next window keeps only its words from here on (s)
    while seek < content_frames:
        size = min(N_FRAMES, content_frames - seek)
        offset = seek * HOP_LENGTH / SAMPLE_RATE
        if not has_sound(offset, offset + size / FRAMES_PER_SECOND, sounding):
            seek += size
            continue
        window_mel = whisper.pad_or_trim(mel[:, seek : seek + size], N_FRAMES).to(model.device)
        features = encode(model, window_mel) if encodings is None else encodings.features(model, window_mel)
        options = options_for_next()
        result = _unlooped(model, features, options)
        if options.prompt and options is not first and sounding is not None:
            # A window prompted with what came before it can give up on its speech ("Um, I saw harbors." for 21 s
            # of it; saving 7): then it is decoded as Whisper decodes it, without a prompt.
            sound = overlap(offset, offset + size / FRAMES_PER_SECOND, sounding)
            if len(result.tokens) < MIN_TOKENS_PER_SOUND_S * sound:
                result = _unlooped(model, features, later)
        if result.no_speech_prob > NO_SPEECH_THRESHOLD and not result.avg_logprob > LOGPROB_THRESHOLD:
            seek += size  # Whisper's own silence check (the prompt is kept for the next window)
            continue
        prompted = True
        window = Window(seek=seek, size=size, features=result.audio_features.unsqueeze(0))
        seek = _split(window, torch.tensor(result.tokens), tokenizer, offset, time_precision, input_stride)
        # whisper.transcribe clears instantaneous or empty segments; they are not kept here.
        window.segments = [s for s in window.segments if s["start"] != s["end"] and s["text"].strip()]
        if not window.segments:
            continue
        windows.append(window)
        if sounding is not None:  # aligned now, to see where its words end (saving 5); align() reuses them
            window.words = _align_one(model, window, tokenizer, last_speech)
            if keep_from is not None:  # a window followed on: its context words were the last window's
                window.words = [w for w in window.words if (w[1] + w[2]) / 2 >= keep_from]
                keep_from = None
            last_speech = window.words[-1][2] if window.words else last_speech
            resume = _resume_at(window, seek, sounding, resumes)
            if resume is not None:
                (seek, keep_from), resumes = resume, resumes + 1
    return windows


def _unlooped(model, features, options):
    """The window's greedy decoding, or its beam-search decoding when the greedy text repeats itself (saving 6).

    Beam search is deterministic, so a take analysed twice reads the same,
    which Whisper's own fallback (sampling at rising temperatures) does not
    promise; the beam decoding is kept when it repeats itself less.
    """
    from dataclasses import replace

    from coach.analysis import lean_decoder

    result = lean_decoder.decode(model, features, options)
    if result.compression_ratio <= COMPRESSION_RATIO_THRESHOLD:
        return result
    again = lean_decoder.decode(model, features, replace(options, beam_size=LOOP_BEAMS))
    return again if again.compression_ratio < result.compression_ratio else result


def _resume_at(
    window: Window, seek: int, sounding: Sequence[tuple[float, float]], resumes: int
) -> tuple[int, float] | None:
    """Where to go on decoding when a window's words stopped before its speech did (saving 5), else None.

    ``seek`` is where Whisper goes on: past the whole window when its text
    ends without a timestamp pair ("nothing after this"). When the coach's
    speech track has a lost stretch's worth of sound
    (:data:`coach.analysis.word_support.MIN_GAP_S`) between the window's last
    aligned word and its end, the next window starts :data:`RESUME_CONTEXT_S`
    before that word's end, so the decoder hears what led up to the lost
    speech, and keeps only its words from that word's end on. Returns (the
    next window's first mel frame, where its words start counting in s).
    """
    from whisper.audio import FRAMES_PER_SECOND

    from coach.analysis.word_support import MIN_GAP_S, overlap

    if resumes >= MAX_RESUMES or not window.words or seek != window.seek + window.size:
        return None
    offset = window.seek / FRAMES_PER_SECOND
    last = window.words[-1][2]
    end = (window.seek + window.size) / FRAMES_PER_SECOND
    if last - offset < MIN_RESUME_PROGRESS_S or end - last < MIN_GAP_S:
        return None
    sound = overlap(last, end, sounding)
    if sound < MIN_GAP_S:
        return None
    start = max(last - RESUME_CONTEXT_S, offset + MIN_RESUME_PROGRESS_S)
    return int(start * FRAMES_PER_SECOND), last


def _split(window: Window, tokens, tokenizer, offset: float, time_precision: float, input_stride: int) -> int:
    """Cut a window's tokens into segments at its timestamp tokens; the seek of the next window.

    ``whisper.transcribe``'s segment splitting, line for line.
    """
    from whisper.audio import HOP_LENGTH, SAMPLE_RATE

    seek, size = window.seek, window.size

    def segment(start: float, end: float, part) -> dict:
        ids = part.tolist()
        text = tokenizer.decode([t for t in ids if t < tokenizer.eot])
        return {"seek": seek, "start": start, "end": end, "text": text, "tokens": ids}

    timestamp_tokens = tokens.ge(tokenizer.timestamp_begin)
    single_timestamp_ending = timestamp_tokens[-2:].tolist() == [False, True]
    consecutive = (timestamp_tokens[:-1] & timestamp_tokens[1:]).nonzero().flatten() + 1
    if len(consecutive) > 0:
        slices = consecutive.tolist()
        if single_timestamp_ending:
            slices.append(len(tokens))
        last_slice = 0
        for current_slice in slices:
            part = tokens[last_slice:current_slice]
            start_pos = part[0].item() - tokenizer.timestamp_begin
            end_pos = part[-1].item() - tokenizer.timestamp_begin
            window.segments.append(
                segment(offset + start_pos * time_precision, offset + end_pos * time_precision, part)
            )
            last_slice = current_slice
        if single_timestamp_ending:
            return seek + size  # no speech after the last timestamp
        last_timestamp_pos = tokens[last_slice - 1].item() - tokenizer.timestamp_begin
        return seek + last_timestamp_pos * input_stride  # the unfinished segment is decoded again
    duration = size * HOP_LENGTH / SAMPLE_RATE
    timestamps = tokens[timestamp_tokens.nonzero().flatten()]
    if len(timestamps) > 0 and timestamps[-1].item() != tokenizer.timestamp_begin:
        duration = (timestamps[-1].item() - tokenizer.timestamp_begin) * time_precision
    window.segments.append(segment(offset, offset + duration, tokens))
    return seek + size


class _Encoded:
    """``model`` with one window's encoder output at hand: calling it runs the decoder alone.

    ``whisper.timing.find_alignment`` calls ``model(mel, tokens)`` and reads
    ``device``, ``dims``, ``decoder`` and ``alignment_heads``; everything but
    the call is the model's own.
    """

    def __init__(self, model, features):
        self._model = model
        self._features = features

    def __getattr__(self, name: str):
        return getattr(self._model, name)

    def __call__(self, mel, tokens):
        return self._model.decoder(tokens, self._features)


def cache_whisper_dtw() -> None:
    """Have numba keep its compiled ``whisper.timing.dtw_cpu`` on disk: compiled once per machine, not per process.

    Whisper's word alignment ends with a dynamic-time-warping pass written
    for numba (``@numba.jit`` without ``cache=True``), so every new process
    compiled it at its first alignment: 3.7 s of the 9.3 s from a new
    process to its first report on the development machine. Numba's own
    cache (the one ``cache=True`` turns on) stores the machine code beside
    whisper's module (or in numba's user cache when that is read-only) and
    loads it in milliseconds; the code is whisper's, unchanged.
    """
    import whisper.timing

    with _FAST_LOCK:
        for function in (whisper.timing.dtw_cpu, whisper.timing.backtrace):
            if hasattr(function, "enable_caching") and not getattr(function, "_coach_cached", False):
                function.enable_caching()
                function._coach_cached = True


def warm_whisper_dtw() -> None:
    """Load the alignment's compiled code now (from numba's disk cache; see :func:`cache_whisper_dtw`).

    A process's first call of any numba function sets numba up: 0.45-0.75 s
    on the development machine. A warmed-up server or batch worker pays it
    once, before its first take, and then aligns with numba's code (2 ms a
    window against 20-25 ms for :func:`coach.analysis.dtw.dtw`, which a new
    process uses instead). The warm-up matrix has the type of the real ones
    (float64, C order), so its compiled code is theirs.
    """
    import whisper.timing

    cache_whisper_dtw()
    whisper.timing.dtw_cpu(np.ones((2, 3), dtype=np.float64))


def align(model, windows: Sequence[Window]) -> list[tuple[str, float, float, float]]:
    """(text, start, end, probability) of every word of ``windows``, timed as ``whisper.transcribe`` times them."""
    from whisper.tokenizer import get_tokenizer

    tokenizer = get_tokenizer(
        model.is_multilingual, num_languages=model.num_languages, language="en", task="transcribe"
    )
    last_speech = 0.0
    words: list[tuple[str, float, float, float]] = []
    for window in windows:
        found = window.words if window.words is not None else _align_one(model, window, tokenizer, last_speech)
        words.extend(found)
        if words:
            last_speech = words[-1][2]
    return words


def _align_one(model, window: Window, tokenizer, last_speech: float) -> list[tuple[str, float, float, float]]:
    """The words of one window, aligned by ``whisper.timing.add_word_timestamps`` on its kept encoder output."""
    import torch
    from whisper.timing import add_word_timestamps

    cache_whisper_dtw()
    group = [dict(s) for s in window.segments]
    with dtw.whisper_timing():
        add_word_timestamps(
            segments=group,
            model=_Encoded(model, window.features),
            tokenizer=tokenizer,
            mel=torch.zeros(0),
            num_frames=window.size,
            last_speech_timestamp=last_speech,
        )
    return [
        (w["word"], float(w["start"]), float(w["end"]), float(w["probability"]))
        for segment in group
        for w in segment.get("words", [])
    ]
