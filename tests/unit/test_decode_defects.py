"""Issue 14, the decoding defects: each of these tests failed on the decoder before the fix.

The files are made here from the sample voicemail (good_voicemail.wav,
21.75 s of speech) with the builders of :mod:`factories.bad_input`.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from coach.analysis import acoustics
from coach.audio.decode import load_audio
from coach.errors import CorruptAudioError, FileNotFoundCoachError
from factories.bad_input import (
    encode,
    float_wav_with,
    mp3_with_xing_frames,
    mp3_without_xing,
    oracle_length,
    speech,
    wav_with_data_size,
    wav_with_fmt_field,
)

LENGTH = 21.754


@pytest.fixture(scope="module")
def voicemail() -> tuple[np.ndarray, int]:
    return speech()


def _put(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# 1. An MP3 without a Xing/Info header was cut at libsndfile's estimate of its length.
def test_mp3_without_xing_header_is_analysed_to_its_end(tmp_path, voicemail):
    path = _put(tmp_path, "no_xing.mp3", mp3_without_xing(encode(*voicemail, ".mp3")))
    audio = load_audio(path)
    assert audio.duration_s == pytest.approx(LENGTH, abs=0.1)
    oracle = oracle_length(path)
    assert oracle is not None and audio.duration_s == pytest.approx(oracle, abs=0.1)


# 2. One NaN sample passed np.clip and turned clear speech into "no speech".
def test_one_nan_sample_leaves_speech_measurable(tmp_path, voicemail):
    samples, rate = voicemail
    path = _put(tmp_path, "nan.wav", float_wav_with(samples, rate, len(samples) // 2, np.nan))
    audio = load_audio(path)
    assert np.isfinite(audio.samples).all()
    measured = acoustics.measure(audio.samples, audio.sample_rate, name=path.name)
    assert measured.speech_start_s is not None and measured.speech_end_s - measured.speech_start_s > 15.0


# 7. A WAV whose data-size field is 0 was called empty.
def test_wav_with_data_size_zero_is_decoded(tmp_path, voicemail):
    path = _put(tmp_path, "size0.wav", wav_with_data_size(encode(*voicemail, ".wav"), 0))
    assert load_audio(path).duration_s == pytest.approx(LENGTH, abs=0.001)


def test_wav_whose_data_size_undercounts_is_decoded_to_its_end(tmp_path, voicemail):
    """The fuzzed WAV that was analysed as 2.05 s of 18.07 s."""
    path = _put(tmp_path, "undercount.wav", wav_with_data_size(encode(*voicemail, ".wav"), 2 * 16000 * 2))
    assert load_audio(path).duration_s == pytest.approx(LENGTH, abs=0.001)


# 8. Misleading messages.
def test_damaged_xing_frame_count_is_not_called_39_minutes_long(tmp_path, voicemail):
    path = _put(tmp_path, "xing.mp3", mp3_with_xing_frames(encode(*voicemail, ".mp3"), 100_000))
    audio = load_audio(path)
    assert audio.duration_s == pytest.approx(LENGTH, abs=0.1)


def test_zero_bits_per_sample_is_named(tmp_path, voicemail):
    path = _put(tmp_path, "bits0.wav", wav_with_fmt_field(encode(*voicemail, ".wav"), "bits", 0))
    with pytest.raises(CorruptAudioError) as info:
        load_audio(path)
    message = str(info.value)
    assert "bits.wav" not in message and "bits0.wav" in message
    assert "0 bits per sample" in message and "format tag" not in message


def test_symlink_loop_is_named_a_loop(tmp_path):
    loop = tmp_path / "loop.wav"
    loop.symlink_to(loop)
    with pytest.raises(FileNotFoundCoachError) as info:
        load_audio(loop)
    message = str(info.value)
    assert "loop" in message and "was not found" not in message


# Found by the fuzz test: a second data chunk (the first one small) was taken as the whole file.
def test_samples_split_over_two_data_chunks_decode_as_one(tmp_path, voicemail):
    raw = encode(*voicemail, ".wav")
    at = raw.index(b"data")
    size = len(raw) - at - 8
    half = (size // 3) & ~1
    body = raw[at + 8 :]
    two = (
        raw[:at]
        + b"data"
        + struct.pack("<I", half)
        + body[:half]
        + b"data"
        + struct.pack("<I", size - half)
        + body[half:]
    )
    path = _put(tmp_path, "two.wav", two)
    whole = load_audio(_put(tmp_path, "one.wav", raw))
    split = load_audio(path)
    assert np.array_equal(split.samples, whole.samples)
