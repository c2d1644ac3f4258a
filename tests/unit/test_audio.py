"""coach.audio.decode.load_audio on real files of every format we accept, and on bad ones."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile as sf

from coach.audio import SAMPLE_RATE as TARGET_RATE
from coach.audio.decode import load_audio
from coach.errors import (
    AudioError,
    CorruptAudioError,
    EmptyFileError,
    FileNotFoundCoachError,
    NotAudioError,
    TooLongError,
    TooShortError,
    UnsupportedCodecError,
)
from factories.audio_factory import rms, tone, write

RATES = [8000, 16000, 22050, 44100, 48000]
LOSSLESS = [".wav", ".flac"]
LOSSY = [".ogg", ".mp3", ".m4a", ".webm", ".opus"]
# What AudioInfo should say for each extension: (format, codec).
EXPECTED_INFO = {
    ".wav": ("wav", "pcm_s16le"),
    ".flac": ("flac", "flac"),
    ".ogg": ("ogg", "vorbis"),
    ".mp3": ("mp3", "mp3"),
    ".m4a": ("m4a", "aac"),
    ".webm": ("webm", "opus"),
    ".opus": ("ogg", "opus"),
}


def _middle(x: np.ndarray, margin_s: float = 0.3) -> np.ndarray:
    k = int(margin_s * TARGET_RATE)
    return x[k:-k]


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("ext", LOSSLESS + LOSSY)
def test_every_format_and_rate_decodes_to_16k_mono(tmp_path, ext, rate):
    amplitude = 0.5
    path = write(tmp_path / f"take{ext}", tone(330.0, 3.0, rate, amplitude), rate)

    audio = load_audio(path)

    assert audio.sample_rate == TARGET_RATE
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert abs(audio.duration_s - 3.0) <= 0.05
    assert np.max(np.abs(audio.samples)) <= 1.0
    expected_rms = amplitude / np.sqrt(2)
    tolerance = 0.02 if ext in LOSSLESS else 0.06
    assert rms(_middle(audio.samples)) == pytest.approx(expected_rms, rel=tolerance)
    fmt, codec = EXPECTED_INFO[ext]
    assert (audio.info.format, audio.info.codec) == (fmt, codec)
    assert audio.info.channels == 1
    # Opus always runs at 48 kHz; every other codec keeps the file's own rate.
    assert audio.info.sample_rate_hz == (48000 if codec == "opus" else rate)
    assert audio.path == path


def test_pitch_survives_resampling(tmp_path):
    """A 440 Hz tone at 44.1 kHz is still 440 Hz after resampling (no rate mix-up)."""
    path = write(tmp_path / "a440.wav", tone(440.0, 2.0, 44100), 44100)
    audio = load_audio(path)
    spectrum = np.abs(np.fft.rfft(audio.samples))
    peak_hz = np.argmax(spectrum) * TARGET_RATE / len(audio.samples)
    assert peak_hz == pytest.approx(440.0, abs=1.0)


@pytest.mark.parametrize("ext", [".wav", ".flac", ".ogg", ".mp3", ".m4a", ".webm"])
def test_stereo_is_mixed_to_the_mean_of_the_channels(tmp_path, ext):
    rate = 48000
    left = tone(300.0, 2.0, rate, 0.6)
    right = np.zeros_like(left)
    path = write(tmp_path / f"left_only{ext}", np.stack([left, right], axis=1), rate)

    audio = load_audio(path)

    assert audio.info.channels == 2
    assert audio.samples.ndim == 1
    # The mean of (x, 0) is x / 2: half the level of the left channel, not all of it.
    assert rms(_middle(audio.samples)) == pytest.approx(0.6 / np.sqrt(2) / 2, rel=0.08)


def test_opposite_channels_cancel(tmp_path):
    rate = 16000
    x = tone(200.0, 2.0, rate, 0.5)
    path = write(tmp_path / "phase.wav", np.stack([x, -x], axis=1), rate)
    assert rms(load_audio(path).samples) < 1e-4


@pytest.mark.parametrize(
    "subtype, codec",
    [
        ("ALAW", "pcm_alaw"),
        ("ULAW", "pcm_mulaw"),
        ("GSM610", "gsm_ms"),
        ("PCM_24", "pcm_s24le"),
        ("FLOAT", "pcm_f32le"),
    ],
)
def test_telephone_and_studio_wav_encodings(tmp_path, subtype, codec):
    rate = 8000
    path = write(tmp_path / f"call_{subtype}.wav", tone(250.0, 2.0, rate, 0.4), rate, subtype=subtype)
    audio = load_audio(path)
    assert audio.info.codec == codec
    assert audio.info.sample_rate_hz == rate
    assert abs(audio.duration_s - 2.0) <= 0.05
    tolerance = 0.15 if subtype == "GSM610" else 0.03
    assert rms(_middle(audio.samples)) == pytest.approx(0.4 / np.sqrt(2), rel=tolerance)


def test_silence_and_noise_decode_unchanged(tmp_path):
    """Decoding does not judge content: silence stays zero, noise keeps its level."""
    rate = 16000
    silent = write(tmp_path / "silence.wav", np.zeros(2 * rate, dtype=np.float32), rate)
    assert np.all(load_audio(silent).samples == 0.0)
    noise = np.random.default_rng(0).normal(0.0, 0.1, 2 * rate).astype(np.float32)
    noisy = write(tmp_path / "noise.flac", noise, rate)
    assert rms(load_audio(noisy).samples) == pytest.approx(rms(noise), rel=0.01)


def test_eight_channel_file_is_mixed(tmp_path):
    rate = 16000
    x = tone(200.0, 1.5, rate, 0.8)
    data = np.zeros((len(x), 8), dtype=np.float32)
    data[:, 3] = x
    path = tmp_path / "multichannel.wav"
    sf.write(str(path), data, rate)
    audio = load_audio(path)
    assert audio.info.channels == 8
    assert rms(_middle(audio.samples)) == pytest.approx(0.8 / np.sqrt(2) / 8, rel=0.03)


# --------------------------------------------------------------------------- length limits


def test_too_short_names_the_length_and_the_minimum(tmp_path):
    path = write(tmp_path / "blip.wav", tone(200.0, 0.5, 16000), 16000)
    with pytest.raises(TooShortError) as info:
        load_audio(path)
    message = str(info.value)
    assert "blip.wav" in message and "0.50 s" in message and "1 s" in message


def test_min_duration_is_configurable(tmp_path):
    path = write(tmp_path / "blip.wav", tone(200.0, 0.5, 16000), 16000)
    assert load_audio(path, min_duration_s=0.2).duration_s == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("ext", [".wav", ".mp3", ".m4a"])
def test_too_long_names_the_limit_and_the_setting(tmp_path, ext):
    path = write(tmp_path / f"ramble{ext}", tone(200.0, 4.0, 16000), 16000)
    with pytest.raises(TooLongError) as info:
        load_audio(path, max_duration_s=2.0)
    message = str(info.value)
    assert f"ramble{ext}" in message
    assert "2 s" in message and "max_duration_s" in message and "coach.toml" in message
    assert load_audio(path, max_duration_s=10.0).duration_s == pytest.approx(4.0, abs=0.05)


# --------------------------------------------------------------------------- bad input


def _raises(error: type, path, fragment: str = "") -> str:
    with pytest.raises(error) as info:
        load_audio(path)
    message = str(info.value)
    assert path.name in message, message
    assert fragment in message, message
    assert isinstance(info.value, AudioError)
    return message


def test_missing_file(tmp_path):
    _raises(FileNotFoundCoachError, tmp_path / "nowhere.wav", "not found")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    _raises(EmptyFileError, path, "0 bytes")


def test_wav_with_a_header_and_no_samples(tmp_path):
    path = write(tmp_path / "nothing.wav", np.zeros(0, np.float32), 16000)
    _raises(EmptyFileError, path, "no audio")


def test_folder_is_not_audio(tmp_path):
    folder = tmp_path / "takes.wav"
    folder.mkdir()
    _raises(NotAudioError, folder, "folder")


def test_text_renamed_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("Hi Dana, this is Marcus from Acme.\nCall me back at 415 555 0192.\n" * 20)
    message = _raises(NotAudioError, path, "text file")
    assert "WAV, MP3 or M4A" in message


def test_png_renamed_m4a(tmp_path):
    path = tmp_path / "sales.m4a"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    message = _raises(NotAudioError, path, "PNG image")
    assert message.startswith("sales.m4a is not an audio file we can read")


def test_wav_cut_in_the_header(tmp_path):
    full = write(tmp_path / "full.wav", tone(200.0, 2.0, 16000), 16000).read_bytes()
    path = tmp_path / "cut_header.wav"
    path.write_bytes(full[:30])
    _raises(CorruptAudioError, path, "damaged")


def test_wav_cut_in_half_is_refused(tmp_path):
    full = write(tmp_path / "full.wav", tone(200.0, 4.0, 16000), 16000).read_bytes()
    path = tmp_path / "half.wav"
    path.write_bytes(full[: len(full) // 2])
    message = _raises(CorruptAudioError, path, "cut short")
    assert "4.0 s" in message and "2.0 s" in message


def test_wav_missing_only_its_last_block_is_decoded(tmp_path):
    """Most of the file is there (97 %): decode what there is."""
    full = write(tmp_path / "full.wav", tone(200.0, 4.0, 16000), 16000).read_bytes()
    path = tmp_path / "nearly.wav"
    path.write_bytes(full[: int(len(full) * 0.97)])
    audio = load_audio(path)
    assert 3.8 < audio.duration_s < 3.95


def test_streamed_wav_with_unset_size_is_decoded(tmp_path):
    """Recorders that stream leave the data size at 0xFFFFFFFF; that declares nothing."""
    raw = bytearray(write(tmp_path / "full.wav", tone(200.0, 2.0, 16000), 16000).read_bytes())
    data_at = raw.index(b"data")
    raw[data_at + 4 : data_at + 8] = struct.pack("<I", 0xFFFFFFFF)
    raw[4:8] = struct.pack("<I", 0xFFFFFFFF)
    path = tmp_path / "streamed.wav"
    path.write_bytes(bytes(raw))
    assert load_audio(path).duration_s == pytest.approx(2.0, abs=0.01)


def test_garbled_flac_body(tmp_path):
    raw = bytearray(write(tmp_path / "ok.flac", tone(200.0, 3.0, 16000), 16000).read_bytes())
    n = len(raw)
    raw[n // 3 : n // 3 + n // 4] = np.random.default_rng(0).integers(0, 256, n // 4, dtype=np.uint8).tobytes()
    path = tmp_path / "garbled.flac"
    path.write_bytes(bytes(raw))
    _raises(CorruptAudioError, path, "damaged")


def test_mp3_cut_in_half(tmp_path):
    full = write(tmp_path / "full.mp3", tone(200.0, 4.0, 16000), 16000).read_bytes()
    path = tmp_path / "half.mp3"
    path.write_bytes(full[: len(full) // 2])
    _raises(CorruptAudioError, path, "damaged")


def test_ogg_cut_in_half(tmp_path):
    full = write(tmp_path / "full.ogg", tone(200.0, 4.0, 16000), 16000).read_bytes()
    path = tmp_path / "half.ogg"
    path.write_bytes(full[: len(full) // 2])
    _raises(CorruptAudioError, path, "damaged")


def test_m4a_without_its_index_is_corrupt(tmp_path):
    """An M4A cut before its 'moov' index cannot be decoded at all."""
    full = write(tmp_path / "full.m4a", tone(200.0, 3.0, 16000), 16000).read_bytes()
    path = tmp_path / "cut.m4a"
    path.write_bytes(full[:200])
    _raises(CorruptAudioError, path, "damaged")


def test_unsupported_wav_codec(tmp_path):
    raw = bytearray(write(tmp_path / "ok.wav", tone(200.0, 2.0, 16000), 16000).read_bytes())
    fmt_at = raw.index(b"fmt ")
    raw[fmt_at + 8 : fmt_at + 10] = struct.pack("<H", 0x5555)
    path = tmp_path / "odd_codec.wav"
    path.write_bytes(bytes(raw))
    message = _raises(UnsupportedCodecError, path, "codec")
    assert "0x5555" in message


def test_video_without_sound_track(tmp_path):
    av = pytest.importorskip("av")
    path = tmp_path / "screen.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 20, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    _raises(NotAudioError, path, "no sound track")
