"""Decode any recording a rep is likely to have into 16 kHz mono float32.

Two decoders, tried in this order:

1. soundfile (libsndfile): WAV (PCM, float, A-law, mu-law, GSM), FLAC,
   Ogg Vorbis, MP3, AIFF. Fast and exact.
2. PyAV (FFmpeg's libraries, in process; we never shell out to ``ffmpeg``):
   M4A/AAC, WebM and Ogg Opus (FFmpeg decodes Opus 3x faster than
   libsndfile), MP4 sound tracks and anything libsndfile cannot open.

The decoded audio is mixed to mono (the mean of the channels, so a sound
present equally in both channels keeps its level), resampled to 16 kHz with
soxr at "HQ" quality (a few milliseconds for a minute of audio) and clipped to
[-1, 1].

Damaged files: a file that ends before the length its header declares (a
WAV whose data chunk is shorter than its size field, an MP3 with a Xing frame
count, a container duration) is decoded as far as it goes when at least
:data:`MIN_COMPLETE_FRACTION` (90 %) of the declared audio is there: a missing
last block is common and harmless. A file cut shorter than that raises
:class:`~coach.errors.CorruptAudioError`, because coaching a message whose
end is missing would give misleading advice (no callback number, no sign-off).
Streaming writers that leave the size field at 0 or 0xFFFFFFFF declare nothing
and are decoded as they are. A decoder error inside the stream (a garbled
FLAC, AAC or MP3 body) is also a CorruptAudioError.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from coach.audio import SAMPLE_RATE
from coach.audio.pcm import resample
from coach.clock import length
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
from coach.report import AudioInfo

#: Share of the declared audio that must be present for a cut-short file to be used.
MIN_COMPLETE_FRACTION = 0.9

_EXPORT_HINT = "Record or export the voicemail as WAV, MP3 or M4A and try again."

# soundfile subtype -> the codec name FFmpeg would use, so AudioInfo reads the same
# whichever decoder read the file.
_SF_CODECS = {
    "PCM_16": "pcm_s16le",
    "PCM_24": "pcm_s24le",
    "PCM_32": "pcm_s32le",
    "PCM_U8": "pcm_u8",
    "PCM_S8": "pcm_s8",
    "FLOAT": "pcm_f32le",
    "DOUBLE": "pcm_f64le",
    "ALAW": "pcm_alaw",
    "ULAW": "pcm_mulaw",
    "GSM610": "gsm_ms",
    "IMA_ADPCM": "adpcm_ima_wav",
    "MS_ADPCM": "adpcm_ms",
    "VORBIS": "vorbis",
    "OPUS": "opus",
    "MPEG_LAYER_I": "mp1",
    "MPEG_LAYER_II": "mp2",
    "MPEG_LAYER_III": "mp3",
}

# Containers libsndfile reads; anything else goes straight to PyAV.
_SF_KINDS = {"wav", "flac", "ogg", "mp3", "aiff", "au", "caf", "w64", "unknown"}


@dataclass
class DecodedAudio:
    """A recording decoded to 16 kHz mono float32 samples in [-1, 1]."""

    samples: np.ndarray
    sample_rate: int
    info: AudioInfo
    path: Path

    @property
    def duration_s(self) -> float:
        return len(self.samples) / float(self.sample_rate)


@dataclass
class _Raw:
    """What a decoder returns: float32 or int16 samples (frames, channels) at the file's rate."""

    data: np.ndarray
    rate: int
    info: AudioInfo
    declared_s: float | None


def load_audio(path: str | Path, *, max_duration_s: float = 300.0, min_duration_s: float = 1.0) -> DecodedAudio:
    """Decode ``path`` to 16 kHz mono float32, or raise a :class:`~coach.errors.AudioError`.

    The error messages name the file and say what to do. ``max_duration_s``
    and ``min_duration_s`` bound the recording's length (TooLongError,
    TooShortError); a file whose header already declares more than the limit
    is refused before it is decoded.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise FileNotFoundCoachError(
            f"{name} was not found (looked for {path}). Check the file name and folder and try again."
        )
    if not path.is_file():
        raise NotAudioError(f"{name} is a folder, not an audio file. Choose the recording itself.")
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError(f"{name} is empty (0 bytes): the recording was not saved. Record the voicemail again.")
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise AudioError(
            f"{name} cannot be opened ({exc.strerror or exc}). Check that the file is readable "
            "(permissions, a cloud drive that has not downloaded it) and try again."
        ) from None
    kind, looks_like = sniff(head)
    if kind is None:
        raise NotAudioError(f"{name} is not an audio file we can read (it looks like {looks_like}). {_EXPORT_HINT}")
    if kind == "wav":
        _check_wav_header(path, size)

    raw: _Raw | None = None
    if kind in _SF_KINDS:
        raw = _decode_soundfile(path, max_duration_s)
    if raw is None:
        raw = _decode_pyav(path, kind, max_duration_s)

    decoded_s = raw.data.shape[0] / raw.rate if raw.rate else 0.0
    if raw.declared_s and decoded_s < MIN_COMPLETE_FRACTION * raw.declared_s:
        raise CorruptAudioError(
            f"{name} is damaged: it should hold {raw.declared_s:.1f} s of audio but only "
            f"{decoded_s:.1f} s could be read (the file was probably cut short while copying "
            f"or recording). {_EXPORT_HINT}"
        )
    if raw.data.shape[0] == 0:
        raise EmptyFileError(
            f"{name} holds no audio, only a file header: the recording captured nothing. "
            "Check the microphone and record the voicemail again."
        )
    _check_duration(name, decoded_s, min_duration_s, max_duration_s)
    samples = to_mono_16k(raw.data, raw.rate)
    return DecodedAudio(samples=samples, sample_rate=SAMPLE_RATE, info=raw.info, path=path)


def to_mono_16k(data: np.ndarray, rate: int) -> np.ndarray:
    """Mix (frames, channels) samples to mono, resample to 16 kHz, clip to [-1, 1].

    ``data`` is float in [-1, 1] or int16 (full scale 32768, as libsndfile
    scales it). The channels are summed one by one: ``ndarray.mean(axis=1)``
    over a 2-wide axis is some 50 times slower.
    """
    mono = mix_to_mono(data)
    if rate != SAMPLE_RATE and mono.size:
        mono = resample(mono, rate)
    return np.clip(mono, -1.0, 1.0)


def mix_to_mono(data: np.ndarray) -> np.ndarray:
    """The mean of the channels as float32 (int16 input is scaled to [-1, 1))."""
    scale = 1.0 / 32768.0 if data.dtype == np.int16 else 1.0
    if data.ndim == 1:
        return np.multiply(data, scale, dtype=np.float32)
    channels = data.shape[1]
    mono = data[:, 0].astype(np.float32)
    for c in range(1, channels):
        mono += data[:, c]
    mono *= np.float32(scale / channels)
    return mono


# --------------------------------------------------------------------------- sniffing

_NOT_AUDIO_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"BM", "a BMP image"),
)


def sniff(head: bytes) -> tuple[str | None, str]:
    """Guess a file's kind from its first bytes.

    Returns ``(kind, description)``: ``kind`` is a short container name
    ("wav", "flac", "ogg", "mp3", "mp4", "webm", ...), "unknown" when the bytes
    match nothing we know (the decoders get to try), or None when the bytes are
    clearly something other than audio (an image, a document, text); the
    description then says what it looks like, for the error message.
    """
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav", "a WAV file"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi", "an AVI video"
    if head[:4] in (b"RF64", b"BW64"):
        return "wav", "a WAV file"
    if head[:4] == b"riff":
        return "w64", "a Wave64 file"
    if head[:4] == b"fLaC":
        return "flac", "a FLAC file"
    if head[:4] == b"OggS":
        # libsndfile decodes Opus about 3x slower than FFmpeg: send Ogg Opus to PyAV.
        if b"OpusHead" in head[:128]:
            return "opus", "an Ogg Opus file"
        return "ogg", "an Ogg file"
    if head[:3] == b"ID3" or _is_mpeg_audio_sync(head):
        return "mp3", "an MP3 file"
    if head[4:8] == b"ftyp":
        return "mp4", "an MP4/M4A file"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm", "a WebM/Matroska file"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff", "an AIFF file"
    if head[:4] == b".snd":
        return "au", "an AU file"
    if head[:4] == b"caff":
        return "caf", "a CAF file"
    if head[:6] == b"#!AMR\n":
        return "amr", "an AMR file"
    if _is_adts(head):
        return "aac", "an AAC stream"
    for signature, description in _NOT_AUDIO_SIGNATURES:
        if head.startswith(signature):
            return None, description
    if _looks_like_text(head):
        return None, "a text file"
    return "unknown", "an unrecognised file"


def _is_mpeg_audio_sync(head: bytes) -> bool:
    """MPEG audio frame header: 11 sync bits, a valid layer, bitrate and rate index."""
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return False
    layer = (head[1] >> 1) & 0x3
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 0x3
    return layer != 0 and bitrate not in (0, 15) and rate != 3 and (head[1] & 0x18) != 0x08


def _is_adts(head: bytes) -> bool:
    """Raw AAC (ADTS) frame header: 12 sync bits and layer 0."""
    return len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * len(text)


def _check_wav_header(path: Path, size: int) -> None:
    """Refuse a WAV whose header is cut off before the audio data begins."""
    end = 12
    for chunk_id, offset, chunk_size, _ in _riff_chunks(path):
        if chunk_id == b"data":
            return
        end = offset + 8 + chunk_size + (chunk_size & 1)
    if end + 8 > size:
        raise CorruptAudioError(
            f"{path.name} is damaged: the WAV header is cut off before any audio "
            f"(the file is only {size} bytes). {_EXPORT_HINT}"
        )


# --------------------------------------------------------------------------- decoders


def _decode_soundfile(path: Path, max_duration_s: float) -> _Raw | None:
    """Decode with libsndfile; None when it cannot open the file (PyAV may)."""
    try:
        handle = sf.SoundFile(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError):
        return None
    with handle:
        rate = int(handle.samplerate)
        frames = int(handle.frames)
        declared = frames / rate if rate and 0 < frames < 2**62 else None
        if declared is not None:
            _refuse_if_too_long(path.name, declared, max_duration_s)
        info = AudioInfo(
            format=_format_name(handle.format),
            codec=_sf_codec(handle.format, handle.subtype),
            sample_rate_hz=rate,
            channels=int(handle.channels),
        )
        try:
            data = _read_all(handle)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise CorruptAudioError(
                f"{path.name} is damaged: its audio stops decoding part-way through ({exc}). {_EXPORT_HINT}"
            ) from None
    if handle.format in ("WAV", "WAVEX") and info.codec.startswith("pcm_"):
        declared = _wav_declared_seconds(path, info)
    return _Raw(data=data, rate=rate, info=info, declared_s=declared)


def _read_all(handle) -> np.ndarray:
    """Read every frame: 16-bit PCM as int16 (30x faster than libsndfile's float
    conversion), everything else as float32. libsndfile cannot seek in some
    codecs (GSM 6.10), so those are read in blocks."""
    dtype = "int16" if handle.subtype == "PCM_16" else "float32"
    if handle.seekable():
        return handle.read(dtype=dtype, always_2d=True)
    blocks = []
    while True:
        block = handle.read(1 << 16, dtype=dtype, always_2d=True)
        if not len(block):
            break
        blocks.append(block)
    if not blocks:
        return np.zeros((0, handle.channels), dtype=dtype)
    return np.concatenate(blocks, axis=0)


def _sf_codec(sf_format: str, subtype: str) -> str:
    if sf_format == "FLAC":
        return "flac"
    return _SF_CODECS.get(subtype, subtype.lower())


def _format_name(sf_format: str) -> str:
    return {"WAVEX": "wav", "MP3": "mp3", "OGG": "ogg"}.get(sf_format, sf_format.lower())


def _wav_declared_seconds(path: Path, info: AudioInfo) -> float | None:
    """Length the WAV header's data chunk declares, or None when it declares nothing useful.

    libsndfile silently shortens a data chunk that runs past the end of the file,
    so the declared size is read from the header here to notice a cut-off file.
    """
    block_align = None
    for chunk_id, offset, size, head in _riff_chunks(path):
        if chunk_id == b"fmt " and offset + 22 <= len(head):
            (block_align,) = struct.unpack("<H", head[offset + 20 : offset + 22])
        if chunk_id == b"data":
            if size in (0, 0xFFFFFFFF) or not block_align:
                return None
            return size / block_align / info.sample_rate_hz
    return None


def _riff_chunks(path: Path):
    """Yield (chunk id, offset of its header, declared size, header bytes) of a RIFF file."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    offset = 12
    while offset + 8 <= len(head):
        chunk_id = head[offset : offset + 4]
        (size,) = struct.unpack("<I", head[offset + 4 : offset + 8])
        yield chunk_id, offset, size, head
        offset += 8 + size + (size & 1)


def _wav_format_tag(path: Path) -> int | None:
    """The wFormatTag of a WAV's fmt chunk (1 = PCM, 3 = float, 6 = A-law, ...)."""
    for chunk_id, offset, _size, head in _riff_chunks(path):
        if chunk_id == b"fmt " and offset + 10 <= len(head):
            return struct.unpack("<H", head[offset + 8 : offset + 10])[0]
    return None


def _decode_pyav(path: Path, kind: str, max_duration_s: float) -> _Raw:
    """Decode the first audio stream with PyAV (FFmpeg libraries, in process)."""
    import av  # imported here: most takes are WAV or MP3 and never need it

    name = path.name
    try:
        container = av.open(str(path))
    except av.FFmpegError:
        raise _unreadable(name, kind) from None
    with container:
        if not container.streams.audio:
            if container.streams.video:
                raise NotAudioError(
                    f"{name} is a video with no sound track, so there is nothing to listen to. {_EXPORT_HINT}"
                )
            raise _unreadable(name, kind)
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        codec_name = ctx.name if ctx is not None else None
        if ctx is None or not codec_name or codec_name == "none":
            tag = _wav_format_tag(path) if kind == "wav" else None
            which = f" (WAV format tag 0x{tag:04X})" if tag is not None else ""
            raise UnsupportedCodecError(
                f"{name} uses an audio codec we cannot decode{which}. Export it as WAV, MP3 or M4A (AAC) and try again."
            )
        declared = _pyav_declared_seconds(container, stream)
        if declared is not None:
            _refuse_if_too_long(name, declared, max_duration_s)
        chunks: list[list[np.ndarray]] = []
        rate = int(ctx.sample_rate or 0)
        channels = int(ctx.channels or 0)
        planar = True
        dtype: np.dtype = np.dtype(np.float32)
        total = 0
        limit = None
        try:
            for frame in container.decode(stream):
                if limit is None:
                    rate = int(frame.sample_rate)
                    channels = len(frame.layout.channels)
                    planar = frame.format.is_planar
                    dtype = _SAMPLE_DTYPES[frame.format.name.rstrip("p")]
                    chunks = [[] for _ in range(channels if planar else 1)]
                    limit = int((max_duration_s + 1.0) * rate)
                _append_frame(chunks, frame, dtype, planar, channels)
                total += frame.samples
                if total > limit:
                    raise TooLongError(_too_long_message(name, None, max_duration_s))
        except av.FFmpegError as exc:
            raise CorruptAudioError(
                f"{name} is damaged: its {codec_name} audio stops decoding part-way through "
                f"({exc.strerror or exc}). {_EXPORT_HINT}"
            ) from None
    if total:
        if planar:
            block = np.vstack([np.concatenate(plane) for plane in chunks]).T
        else:
            block = np.concatenate(chunks[0]).reshape(-1, channels)
        data = _to_float(block)
    else:
        data = np.zeros((0, max(channels, 1)), dtype=np.float32)
    data = _trim_codec_padding(data, rate, declared)
    info = AudioInfo(
        format=_container_name(container.format.name, kind),
        codec=codec_name,
        sample_rate_hz=rate,
        channels=channels,
    )
    return _Raw(data=data, rate=rate or SAMPLE_RATE, info=info, declared_s=declared)


_SAMPLE_DTYPES: dict[str, np.dtype] = {
    "u8": np.dtype(np.uint8),
    "s16": np.dtype(np.int16),
    "s32": np.dtype(np.int32),
    "s64": np.dtype(np.int64),
    "flt": np.dtype(np.float32),
    "dbl": np.dtype(np.float64),
}


def _append_frame(chunks: list, frame, dtype: np.dtype, planar: bool, channels: int) -> None:
    """Copy a decoded frame's samples out of its planes (no per-frame vstack as in to_ndarray)."""
    n = frame.samples
    if planar:
        for plane_chunks, plane in zip(chunks, frame.planes, strict=False):
            plane_chunks.append(np.frombuffer(plane, dtype=dtype, count=n).copy())
    else:
        chunks[0].append(np.frombuffer(frame.planes[0], dtype=dtype, count=n * channels).copy())


def _trim_codec_padding(data: np.ndarray, rate: int, declared_s: float | None) -> np.ndarray:
    """Drop the encoder's padding after the declared end (AAC pads its last frame).

    FFmpeg skips the priming samples at the start but returns the whole last
    frame (up to 2048 samples of silence). Only an excess shorter than half a
    second is trimmed, so a wrong header can never cut real audio.
    """
    if not declared_s or not rate:
        return data
    keep = int(round(declared_s * rate))
    excess = data.shape[0] - keep
    if 0 < excess < rate // 2:
        return data[:keep]
    return data


def _to_float(block: np.ndarray) -> np.ndarray:
    """FFmpeg's samples as float32 in [-1, 1], or int16 as is (``mix_to_mono`` scales it)."""
    if block.dtype == np.int16:
        return block
    if block.dtype.kind == "f":
        return block.astype(np.float32, copy=False)
    if block.dtype == np.uint8:
        return (block.astype(np.float32) - 128.0) / 128.0
    scale = float(2 ** (8 * block.dtype.itemsize - 1))
    return block.astype(np.float32) / scale


def _pyav_declared_seconds(container, stream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000.0
    return None


def _container_name(ffmpeg_name: str, kind: str) -> str:
    """FFmpeg's demuxer name ('mov,mp4,m4a,3gp,3g2,mj2') -> a short format name."""
    if kind in ("mp4", "webm", "ogg", "opus", "wav", "flac", "mp3", "aac", "amr"):
        return {"mp4": "m4a", "opus": "ogg"}.get(kind, kind)
    return ffmpeg_name.split(",")[0]


def _unreadable(name: str, kind: str) -> Exception:
    if kind == "unknown":
        return NotAudioError(
            f"{name} is not an audio file we can read (we could not recognise its format). {_EXPORT_HINT}"
        )
    return CorruptAudioError(
        f"{name} looks like {sniff_description(kind)} but is damaged and cannot be decoded. {_EXPORT_HINT}"
    )


def sniff_description(kind: str) -> str:
    return {
        "wav": "a WAV file",
        "flac": "a FLAC file",
        "ogg": "an Ogg file",
        "opus": "an Ogg Opus file",
        "mp3": "an MP3 file",
        "mp4": "an MP4/M4A file",
        "webm": "a WebM file",
        "aiff": "an AIFF file",
        "aac": "an AAC file",
    }.get(kind, f"a {kind.upper()} file")


# --------------------------------------------------------------------------- length limits


def _check_duration(name: str, seconds: float, min_s: float, max_s: float) -> None:
    if seconds < min_s:
        raise TooShortError(
            f"{name} is only {seconds:.2f} s long; a practice voicemail needs at least "
            f"{min_s:g} s of audio. Record the whole message and try again."
        )
    _refuse_if_too_long(name, seconds, max_s)


def _refuse_if_too_long(name: str, seconds: float, max_s: float) -> None:
    # A header's length can be a rounded estimate (MP3 without a Xing frame); allow a
    # quarter second before refusing on the declared length alone.
    if seconds > max_s + 0.25:
        raise TooLongError(_too_long_message(name, seconds, max_s))


def _too_long_message(name: str, seconds: float | None, max_s: float) -> str:
    how_long = f"is {length(seconds)} long" if seconds is not None else "runs past the limit"
    return (
        f"{name} {how_long}; the limit is {length(max_s)} ({max_s:g} s). A voicemail should "
        f"be well under a minute: trim the recording, or raise max_duration_s in coach.toml "
        f"if you really need longer files."
    )
