"""The bad-input corpus: every kind of damaged, hostile or odd input a user can hand the coach.

:func:`build_corpus` writes one file (or link, folder, pipe) per kind into a
folder at test time, from the sample voicemails and from signals made here;
nothing large is committed. Each :class:`BadInput` says what the coach must
do with it: analyse it at a known length (``length_s``), or refuse it with a
typed error (``error``, the JSON ``error.type``) whose message contains every
word in ``says`` (and none in ``never_says``).

The builders are plain functions of bytes, so the defect tests and the fuzz
strategies (:mod:`factories.fuzz`) reuse them: ``mp3_without_xing``,
``wav_with_data_size``, ``float_wav_with``, ...

:func:`oracle_length` is the fuzz oracle: the length other decoders get from
the whole file. For MP3 and M4A, FFmpeg (through PyAV) decoding packet by
packet to the end and skipping packets it cannot decode (the coach decodes
these with FFmpeg too, but stops at a decoding error and trims codec
padding against the header). For WAV, which the coach reads through its own
RIFF parser, the longest of FFmpeg with and without the data-size field
(and, when FFmpeg refuses the file, on a copy without its metadata chunks)
and libsndfile's WAV reader.
"""

from __future__ import annotations

import contextlib
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from factories.audio_factory import tone, write
from factories.paths import SAMPLES

#: The sample every "clear speech" kind is made from (21.75 s of synthesised speech, 16 kHz mono).
SPEECH = SAMPLES / "good_voicemail.wav"


@dataclass(frozen=True)
class BadInput:
    """One input and what the coach must make of it."""

    kind: str
    path: Path
    #: Expected analysed length (s) when the input must be analysed; None when it must be refused.
    length_s: float | None = None
    #: The JSON ``error.type`` expected when the input must be refused.
    error: str | None = None
    #: Words the error message must contain (case-insensitive).
    says: tuple[str, ...] = ()
    #: Words the error message must not contain.
    never_says: tuple[str, ...] = ()
    #: Passed to ``coach analyze`` as is (a name that starts with "-" needs "--" before it).
    needs_double_dash: bool = False
    tags: frozenset[str] = field(default_factory=frozenset)


# --------------------------------------------------------------------------- signals and encodings


def speech(seconds: float | None = None, rate: int | None = None) -> tuple[np.ndarray, int]:
    """The sample voicemail (or its first ``seconds``), at its own rate or resampled to ``rate``."""
    data, sr = sf.read(str(SPEECH), dtype="float32")
    if seconds is not None:
        data = data[: int(round(seconds * sr))]
    if rate is not None and rate != sr:
        import soxr

        data = soxr.resample(data, sr, rate, quality="HQ").astype(np.float32)
        sr = rate
    return data, sr


def encode(samples: np.ndarray, rate: int, ext: str, subtype: str | None = None) -> bytes:
    """``samples`` encoded as a real file of type ``ext`` (libsndfile or FFmpeg's encoders)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / f"x{ext}", samples, rate, subtype=subtype)
        return path.read_bytes()


def riff_chunk(raw: bytes, chunk_id: bytes) -> tuple[int, int]:
    """(offset of the chunk header, declared size) of the first ``chunk_id`` chunk of a RIFF file."""
    offset = 12
    while offset + 8 <= len(raw):
        size = struct.unpack("<I", raw[offset + 4 : offset + 8])[0]
        if raw[offset : offset + 4] == chunk_id:
            return offset, size
        offset += 8 + size + (size & 1)
    raise ValueError(f"no {chunk_id!r} chunk")


def wav_with_data_size(raw: bytes, size: int) -> bytes:
    """A WAV whose data chunk's size field says ``size`` (the samples stay as they are)."""
    out = bytearray(raw)
    at, _ = riff_chunk(raw, b"data")
    out[at + 4 : at + 8] = struct.pack("<I", size)
    return bytes(out)


def wav_with_fmt_field(raw: bytes, field_name: str, value: int) -> bytes:
    """A WAV with one fmt field overwritten: tag, channels, rate, byte_rate, block_align or bits."""
    offsets = {"tag": (8, "<H"), "channels": (10, "<H"), "rate": (12, "<I"), "byte_rate": (16, "<I")}
    offsets |= {"block_align": (20, "<H"), "bits": (22, "<H")}
    rel, fmt = offsets[field_name]
    out = bytearray(raw)
    at, _ = riff_chunk(raw, b"fmt ")
    out[at + rel : at + rel + struct.calcsize(fmt)] = struct.pack(fmt, value)
    return bytes(out)


def float_wav_with(samples: np.ndarray, rate: int, index: int, value: float) -> bytes:
    """A 32-bit float WAV of ``samples`` with sample ``index`` set to ``value`` (NaN, inf, 1e30...)."""
    data = np.array(samples, dtype=np.float32)
    data[index] = value
    header = _float_wav_header(len(data), rate)
    return header + data.astype("<f4").tobytes()


def _float_wav_header(frames: int, rate: int) -> bytes:
    data_bytes = frames * 4
    fmt = struct.pack("<HHIIHH", 3, 1, rate, rate * 4, 4, 32)
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(fmt) + 8 + data_bytes)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def mpeg_frames_start(raw: bytes) -> int:
    """Offset of the first MPEG audio frame (after an ID3v2 tag, if any)."""
    if raw[:3] == b"ID3":
        size = 0
        for b in raw[6:10]:
            size = (size << 7) | (b & 0x7F)
        return 10 + size + (10 if raw[5] & 0x10 else 0)
    return 0


def xing_offset(raw: bytes) -> int:
    """Offset of the "Xing"/"Info" tag in the first MPEG frame."""
    start = mpeg_frames_start(raw)
    for tag in (b"Xing", b"Info"):
        at = raw.find(tag, start, start + 200)
        if at >= 0:
            return at
    raise ValueError("no Xing/Info tag")


def mp3_first_frame_length(raw: bytes, start: int = 0) -> int:
    """Bytes in the MPEG audio frame at ``start`` (the Xing frame when there is one)."""
    b1, b2 = raw[start + 1], raw[start + 2]
    version = (b1 >> 3) & 0x3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    bitrates = {
        3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    }
    rates = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}
    kbps = bitrates[3 if version == 3 else 2][b2 >> 4]
    rate = rates[version][(b2 >> 2) & 0x3]
    padding = (b2 >> 1) & 1
    per_frame = 144 if version == 3 else 72
    return per_frame * kbps * 1000 // rate + padding


def mp3_without_xing(raw: bytes) -> bytes:
    """The MP3 with its first frame (the Xing/Info frame a length-aware writer puts there) removed."""
    start = mpeg_frames_start(raw)
    xing_offset(raw)  # there must be one to remove
    return raw[:start] + raw[start + mp3_first_frame_length(raw, start) :]


def mp3_with_xing_frames(raw: bytes, frames: int) -> bytes:
    """The MP3 with its Xing frame count overwritten (the byte count left as it is)."""
    at = xing_offset(raw)
    flags = struct.unpack(">I", raw[at + 4 : at + 8])[0]
    assert flags & 1, "no frame count in this Xing tag"
    out = bytearray(raw)
    out[at + 8 : at + 12] = struct.pack(">I", frames)
    return bytes(out)


def flac_with_total_samples(raw: bytes, total: int) -> bytes:
    """A FLAC whose STREAMINFO declares ``total`` samples (36 bits)."""
    out = bytearray(raw)
    value = int.from_bytes(out[18:26], "big")
    value = (value & ~((1 << 36) - 1)) | total
    out[18:26] = value.to_bytes(8, "big")
    return bytes(out)


# --------------------------------------------------------------------------- the oracle


def ffmpeg_length(path: Path, *, ignore_length: bool = True) -> float | None:
    """Seconds of audio FFmpeg decodes from the whole file, or None when it decodes none.

    Every packet of the first audio stream is decoded; a packet that fails is
    skipped, not the end. With ``ignore_length`` a WAV's data-size field does
    not stop the read. Rate changes mid-stream are summed frame by frame.
    """
    import av

    options = {"ignore_length": "1"} if ignore_length and _is_riff(path) else {}
    try:
        container = av.open(str(path), options=options)
    except (av.FFmpegError, UnicodeDecodeError, ValueError):
        return None
    seconds = 0.0
    with container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            return None
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except (av.FFmpegError, ValueError):
                    continue
                seconds += sum(f.samples / f.sample_rate for f in frames if f.sample_rate)
        except (av.FFmpegError, ValueError):
            pass
        with contextlib.suppress(av.FFmpegError, ValueError):
            seconds += sum(f.samples / f.sample_rate for f in stream.codec_context.decode(None) if f.sample_rate)
    return seconds or None


def libsndfile_length(path: Path) -> float | None:
    """Seconds of audio libsndfile's own reader decodes (it trusts a WAV's data-size field), or None."""
    try:
        with sf.SoundFile(str(path)) as handle:
            frames = 0
            while True:
                block = handle.read(1 << 16, dtype="float32", always_2d=True)
                if not len(block):
                    break
                frames += len(block)
            return frames / handle.samplerate if frames and handle.samplerate else None
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError, MemoryError):
        return None


def oracle_length(path: Path) -> float | None:
    """How long the audio in a file really is, by decoders other than the coach's own reading.

    MP3, M4A and the rest: FFmpeg decoding every packet to the end
    (:func:`ffmpeg_length`). WAV: the coach reads the RIFF header itself,
    so the oracle is the longest of three second opinions, FFmpeg ignoring
    the data-size field, FFmpeg trusting it, and libsndfile's WAV reader:
    their failure modes differ (FFmpeg plays only the last of two data
    chunks, libsndfile stops at a size field that undercounts), and what
    any of them decodes is audio the file holds.
    """
    if not _is_riff(path):
        return ffmpeg_length(path)
    found = [ffmpeg_length(path), ffmpeg_length(path, ignore_length=False), libsndfile_length(path)]
    if found[0] is None:
        # FFmpeg refuses a WAV whose LIST chunk is under 4 bytes or whose bext chunk is short;
        # ask it again about a copy without those metadata chunks.
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "copy.wav"
            copy.write_bytes(_without_metadata_chunks(path.read_bytes()))
            found.append(ffmpeg_length(copy))
    lengths = [x for x in found if x is not None]
    return max(lengths) if lengths else None


def _without_metadata_chunks(raw: bytes) -> bytes:
    """A RIFF file's bytes with its LIST, bext, id3 and junk chunks left out (the rest as it was)."""
    out, offset = bytearray(raw[:12]), 12
    while offset + 8 <= len(raw):
        size = struct.unpack("<I", raw[offset + 4 : offset + 8])[0]
        end = offset + 8 + size + (size & 1)
        if raw[offset : offset + 4] == b"data" or end > len(raw):
            break
        if raw[offset : offset + 4] not in (b"LIST", b"bext", b"id3 ", b"junk", b"JUNK"):
            out += raw[offset:end]
        offset = end
    return bytes(out + raw[offset:])


def _is_riff(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) in (b"RIFF", b"RF64", b"BW64")


# --------------------------------------------------------------------------- the corpus


def build_corpus(folder: Path, *, include_long: bool = True) -> list[BadInput]:
    """Write every kind of bad input into ``folder``; returns them with what each must give."""
    folder.mkdir(parents=True, exist_ok=True)
    items: list[BadInput] = []
    for builder in _BUILDERS:
        if not include_long and builder.__name__ in _LONG:
            continue
        items.extend(builder(folder))
    return items


_BUILDERS: list[Callable[[Path], list[BadInput]]] = []
_LONG = {"_long_files"}


def _builder(fn: Callable[[Path], list[BadInput]]) -> Callable[[Path], list[BadInput]]:
    _BUILDERS.append(fn)
    return fn


def _put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _speech_wav() -> tuple[bytes, float]:
    data, rate = speech()
    return encode(data, rate, ".wav"), len(data) / rate


@_builder
def _not_audio(folder: Path) -> list[BadInput]:
    text = b"Hi Dana, this is Marcus from Acme. Call me back at 415 555 0192.\n" * 30
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20
    zip_ = b"PK\x03\x04" + bytes(range(256)) * 8
    html = b"<!doctype html><html><body>Not found</body></html>\n" * 10
    rng = np.random.default_rng(3)
    noise_bytes = bytes([0x00, 0x13, 0x37, 0x42]) + rng.integers(0, 256, 8000, dtype=np.uint8).tobytes()
    return [
        BadInput("empty file", _put(folder, "empty.wav", b""), error="empty_file", says=("0 bytes",)),
        BadInput("text renamed .wav", _put(folder, "notes.wav", text), error="not_audio", says=("text file",)),
        BadInput("PNG renamed .m4a", _put(folder, "photo.m4a", png), error="not_audio", says=("PNG",)),
        BadInput("PDF renamed .mp3", _put(folder, "brochure.mp3", pdf), error="not_audio", says=("PDF",)),
        BadInput("ZIP renamed .wav", _put(folder, "archive.wav", zip_), error="not_audio", says=("ZIP",)),
        BadInput("HTML error page saved as .mp3", _put(folder, "download.mp3", html), error="not_audio"),
        BadInput("random bytes", _put(folder, "random.wav", noise_bytes), error="not_audio"),
    ]


@_builder
def _wav_headers(folder: Path) -> list[BadInput]:
    raw, length = _speech_wav()
    at, size = riff_chunk(raw, b"data")
    rate = 16000
    short_header = write(folder / ".tmp.wav", np.zeros(0, np.float32), 16000).read_bytes()
    (folder / ".tmp.wav").unlink()
    out = [
        BadInput("WAV header, no samples", _put(folder, "header_only.wav", short_header), error="empty_file"),
        BadInput("WAV cut in its header", _put(folder, "cut_header.wav", raw[:30]), error="corrupt_audio"),
        BadInput(
            "WAV cut in half",
            _put(folder, "half.wav", raw[: len(raw) // 2]),
            error="corrupt_audio",
            says=("cut short",),
        ),
        BadInput(
            "WAV missing its last 3 %",
            _put(folder, "nearly.wav", raw[: int(len(raw) * 0.97)]),
            length_s=(int(len(raw) * 0.97) - at - 8) // 2 / rate,
        ),
        BadInput("WAV data size 0", _put(folder, "size0.wav", wav_with_data_size(raw, 0)), length_s=length),
        BadInput(
            "WAV data size 0xFFFFFFFF (streamed)",
            _put(folder, "streamed.wav", wav_with_data_size(raw, 0xFFFFFFFF)),
            length_s=length,
        ),
        BadInput(
            "WAV data size declaring 2 s of 21.75 s",
            _put(folder, "undercount.wav", wav_with_data_size(raw, 2 * rate * 2)),
            length_s=length,
        ),
        BadInput(
            "WAV RIFF size wrong",
            _put(folder, "riff_size.wav", raw[:4] + struct.pack("<I", 12345) + raw[8:]),
            length_s=length,
        ),
        BadInput(
            "WAV 0 bits per sample",
            _put(folder, "bits0.wav", wav_with_fmt_field(raw, "bits", 0)),
            error="corrupt_audio",
            says=("bits",),
            never_says=("format tag",),
        ),
        BadInput(
            "WAV 0 channels",
            _put(folder, "channels0.wav", wav_with_fmt_field(raw, "channels", 0)),
            error="corrupt_audio",
            says=("channels",),
        ),
        BadInput(
            "WAV sample rate 0",
            _put(folder, "rate0.wav", wav_with_fmt_field(raw, "rate", 0)),
            error="corrupt_audio",
            says=("sample rate",),
        ),
        BadInput(
            "WAV block align 0",
            _put(folder, "align0.wav", wav_with_fmt_field(raw, "block_align", 0)),
            length_s=length,
        ),
        BadInput(
            "WAV block align that contradicts its bits",
            _put(folder, "align3.wav", wav_with_fmt_field(raw, "block_align", 3)),
            error="corrupt_audio",
            says=("contradicts", "16-bit"),
        ),
        BadInput(
            "WAV of 24-bit samples in 32-bit containers",
            _put(folder, "in32.wav", wav_with_fmt_field(encode(*speech(), ".wav", "PCM_32"), "bits", 24)),
            length_s=length,
        ),
        BadInput(
            "WAV unknown codec",
            _put(folder, "odd_codec.wav", wav_with_fmt_field(raw, "tag", 0x5555)),
            error="unsupported_codec",
            says=("0x5555",),
        ),
    ]
    list_chunk = b"LIST" + struct.pack("<I", 26) + b"INFOINAM" + struct.pack("<I", 14) + b"Voicemail take"
    trailing = raw[:4] + struct.pack("<I", len(raw) - 8 + len(list_chunk)) + raw[8:] + list_chunk
    out.append(BadInput("WAV with a chunk after its data", _put(folder, "list_after.wav", trailing), length_s=length))
    # A second data chunk continues the samples (the oracle's decoders disagree here: the length is known).
    half = (size // 2) & ~1
    first = raw[:at] + b"data" + struct.pack("<I", half) + raw[at + 8 : at + 8 + half]
    second = b"data" + struct.pack("<I", size - half) + raw[at + 8 + half :]
    two = first + second
    two = two[:4] + struct.pack("<I", len(two) - 8) + two[8:]
    out.append(
        BadInput(
            "WAV with its samples in two data chunks",
            _put(folder, "two_data.wav", two),
            length_s=length,
            tags=frozenset({"oracle disagrees"}),
        )
    )
    assert size == len(raw) - at - 8
    return out


@_builder
def _sample_values(folder: Path) -> list[BadInput]:
    data, rate = speech()
    length = len(data) / rate
    middle = len(data) // 2
    all_nan = _float_wav_header(len(data), rate) + np.full(len(data), np.nan, "<f4").tobytes()
    return [
        BadInput(
            "float WAV with one NaN sample",
            _put(folder, "nan.wav", float_wav_with(data, rate, middle, np.nan)),
            length_s=length,
        ),
        BadInput(
            "float WAV with one +inf sample",
            _put(folder, "inf.wav", float_wav_with(data, rate, middle, np.inf)),
            length_s=length,
        ),
        BadInput(
            "float WAV with one -inf sample",
            _put(folder, "neginf.wav", float_wav_with(data, rate, middle, -np.inf)),
            length_s=length,
        ),
        BadInput(
            "float WAV with a 1e30 sample",
            _put(folder, "huge.wav", float_wav_with(data, rate, middle, 1e30)),
            length_s=length,
        ),
        BadInput("float WAV all NaN", _put(folder, "all_nan.wav", all_nan), error="no_speech"),
    ]


@_builder
def _content(folder: Path) -> list[BadInput]:
    rate = 16000
    noise = np.random.default_rng(0).normal(0.0, 0.1, 3 * rate).astype(np.float32)
    x = tone(220.0, 3.0, rate, 0.4)
    return [
        BadInput("silence", write(folder / "silence.wav", np.zeros(3 * rate, np.float32), rate), error="no_speech"),
        BadInput("noise only", write(folder / "noise.wav", noise, rate), error="no_speech"),
        BadInput(
            "stereo channels that cancel",
            write(folder / "cancel.wav", np.stack([x, -x], axis=1), rate),
            error="no_speech",
        ),
        BadInput(
            "under the minimum length",
            write(folder / "blip.wav", speech(0.5, rate)[0], rate),
            error="too_short",
            says=("0.50 s",),
        ),
    ]


@_builder
def _encodings(folder: Path) -> list[BadInput]:
    data, rate = speech()
    length = len(data) / rate
    phone, _ = speech(rate=8000)
    eight = np.zeros((len(data), 8), np.float32)
    eight[:, 2] = data
    return [
        BadInput("8 kHz mu-law", write(folder / "phone_ulaw.wav", phone, 8000, subtype="ULAW"), length_s=length),
        BadInput("8 kHz GSM 6.10", write(folder / "phone_gsm.wav", phone, 8000, subtype="GSM610"), length_s=length),
        BadInput("24-bit WAV", write(folder / "studio24.wav", data, rate, subtype="PCM_24"), length_s=length),
        BadInput("8-channel WAV", write(folder / "eight.wav", eight, rate), length_s=length),
        BadInput("FLAC", write(folder / "take.flac", data, rate), length_s=length),
        BadInput("Ogg Vorbis", write(folder / "take.ogg", data, rate), length_s=length),
        BadInput("WebM Opus", write(folder / "take.webm", data, rate), length_s=length),
        BadInput("M4A", write(folder / "take.m4a", data, rate), length_s=length),
        BadInput("MP3", write(folder / "take.mp3", data, rate), length_s=length),
    ]


@_builder
def _damaged_compressed(folder: Path) -> list[BadInput]:
    data, rate = speech()
    length = len(data) / rate
    mp3 = encode(data, rate, ".mp3")
    m4a = encode(data, rate, ".m4a")
    flac = encode(data, rate, ".flac")
    ogg = encode(data, rate, ".ogg")
    garbled_flac = bytearray(flac)
    n = len(garbled_flac)
    garbled_flac[n // 3 : n // 3 + n // 4] = np.random.default_rng(0).integers(0, 256, n // 4, dtype=np.uint8).tobytes()
    id3_only = (
        b"ID3\x04\x00\x00\x00\x00\x00\x20" + b"TIT2\x00\x00\x00\x16\x00\x00\x03Voicemail practice\x00\x00" + bytes(12)
    )
    return [
        BadInput("MP3 without its Xing frame", _put(folder, "no_xing.mp3", mp3_without_xing(mp3)), length_s=length),
        BadInput(
            "MP3 whose Xing frame count is damaged",
            _put(folder, "xing_frames.mp3", mp3_with_xing_frames(mp3, 100_000)),
            length_s=length,
            never_says=("39 min",),
        ),
        BadInput("MP3 cut in half", _put(folder, "half.mp3", mp3[: len(mp3) // 2]), error="corrupt_audio"),
        BadInput("MP3 that is only an ID3 tag", _put(folder, "id3_only.mp3", id3_only), error="corrupt_audio"),
        BadInput("M4A cut before its index", _put(folder, "cut.m4a", m4a[:200]), error="corrupt_audio"),
        BadInput("M4A cut in half", _put(folder, "half.m4a", m4a[: len(m4a) // 2]), error="corrupt_audio"),
        BadInput("Ogg cut in half", _put(folder, "half.ogg", ogg[: len(ogg) // 2]), error="corrupt_audio"),
        BadInput("FLAC with a garbled body", _put(folder, "garbled.flac", bytes(garbled_flac)), error="corrupt_audio"),
        BadInput(
            "FLAC that declares 1 s of 21.75 s",
            _put(folder, "flac_total.flac", flac_with_total_samples(flac, rate)),
            length_s=length,
        ),
        BadInput(
            "FLAC that declares no length",
            _put(folder, "flac_nolength.flac", flac_with_total_samples(flac, 0)),
            length_s=length,
        ),
    ]


@_builder
def _not_a_file(folder: Path) -> list[BadInput]:
    out = []
    takes = folder / "takes.wav"
    takes.mkdir(exist_ok=True)
    out.append(BadInput("a folder", takes, error="not_audio", says=("folder",)))
    out.append(BadInput("missing file", folder / "nowhere.wav", error="file_not_found", says=("not found",)))
    dangling = folder / "dangling.wav"
    dangling.symlink_to(folder / "gone.wav")
    out.append(BadInput("link to a missing file", dangling, error="file_not_found", says=("link", "gone.wav")))
    loop = folder / "loop.wav"
    loop.symlink_to(loop)
    out.append(BadInput("symlink loop", loop, error="file_not_found", says=("loop",), never_says=("was not found",)))
    pipe = folder / "pipe.wav"
    os.mkfifo(pipe)
    out.append(BadInput("a named pipe", pipe, error="not_audio", says=("not a regular file",)))
    return out


@_builder
def _names(folder: Path) -> list[BadInput]:
    raw, length = _speech_wav()
    names = {
        "hostile HTML name": "<img src=x onerror=alert('x')>.wav",
        "quotes, newline and tab in the name": 'take "one"\n\tfinal.wav',
        "long non-ASCII name": "语音留言" * 20 + ".wav",
        "name starting with a dash": "-take.wav",
        "emoji and right-to-left name": "\U0001f4de \u202eved.wav",
    }
    out = [
        BadInput(kind, _put(folder, name, raw), length_s=length, needs_double_dash=name.startswith("-"))
        for kind, name in names.items()
    ]
    undecodable = os.fsencode(folder) + b"/take-\xff\xfe.wav"
    with open(undecodable, "wb") as fh:
        fh.write(raw)
    out.append(BadInput("name that is not UTF-8", Path(os.fsdecode(undecodable)), length_s=length))
    return out


@_builder
def _long_files(folder: Path) -> list[BadInput]:
    """Over the limit, and a 4 min 50 s take (the memory case), at 8 kHz to keep them small."""
    data, rate = speech(rate=8000)
    long = np.tile(data, int(np.ceil(290 * rate / len(data))))[: 290 * rate]
    longer = np.tile(data, int(np.ceil(302 * rate / len(data))))[: 302 * rate]
    return [
        BadInput("4 min 50 s WAV", write(folder / "long.wav", long, rate), length_s=290.0, tags=frozenset({"slow"})),
        BadInput(
            "over the 5 minute limit",
            write(folder / "ramble.wav", longer, rate),
            error="too_long",
            says=("5 min 02 s", "max_duration_s"),
        ),
    ]
