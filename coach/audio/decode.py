"""Decode any recording a rep is likely to have into 16 kHz mono float32.

What is analysed is what the file holds, decoded to its end; a header's idea
of the length never shortens it. Two decoders:

1. WAV (RIFF, RF64): the header is read here. PCM, float, A-law and mu-law
   samples are decoded by libsndfile as raw data, from the start of the data
   chunk to its end, or to the end of the file when the size field declares
   nothing (0 or 0xFFFFFFFF, as streaming writers leave it) or declares less
   than the file holds with no chunk after it (a damaged field). Other WAV
   codecs (GSM 6.10, ADPCM) go through libsndfile's WAV reader.
2. Everything else, PyAV (FFmpeg's libraries, in process; we never shell out
   to ``ffmpeg``): MP3, M4A/AAC, FLAC, Ogg Vorbis and Opus, WebM, AIFF...
   FFmpeg decodes the stream packet by packet to its end, so an MP3 without
   a Xing frame, or with a wrong frame count, and a FLAC with a wrong sample
   count are decoded whole (libsndfile stops at such a header's estimate).
   libsndfile is the fallback for what FFmpeg cannot open.

Samples are sanitised once, here, where audio enters: NaN becomes 0, +-inf
and everything else outside [-1, 1] is clipped to it. Then the channels are
mixed to mono (their mean, so a sound present equally in both keeps its
level) and resampled to 16 kHz with soxr at "HQ" quality.

Memory: the file is decoded block by block, and each block is mixed to mono
and pushed through soxr's streaming resampler (the same samples as a one-shot
call), so a long file costs about its 16 kHz mono size (4 bytes a sample)
rather than its decoded size. Decoding stops one second past
``max_duration_s``, so an hour-long file costs no more than the limit.

Damaged files: a file that ends before the length its header declares (a
WAV whose data chunk is shorter than its size field, an MP3 whose Xing frame
counts more bytes than the file has, a container duration) is decoded as far
as it goes when at least :data:`MIN_COMPLETE_FRACTION` (90 %) of the
declared audio is there: a missing last block is common and harmless. A file
cut shorter than that raises :class:`~coach.errors.CorruptAudioError`,
because coaching a message whose end is missing would give misleading advice
(no callback number, no sign-off). A decoder error inside the stream (a
garbled FLAC, AAC or MP3 body) is also a CorruptAudioError: a file that
cannot be decoded to its end says so.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from coach.audio import SAMPLE_RATE
from coach.audio.pcm import sanitise
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

#: Frames per block read from libsndfile and per chunk pushed through the resampler.
_BLOCK = 1 << 16

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

# WAV (format tag, bits per sample) -> the libsndfile subtype that reads those samples raw.
_WAV_RAW = {
    (1, 8): "PCM_U8",
    (1, 16): "PCM_16",
    (1, 24): "PCM_24",
    (1, 32): "PCM_32",
    (3, 32): "FLOAT",
    (3, 64): "DOUBLE",
    (6, 8): "ALAW",
    (7, 8): "ULAW",
}
_WAV_BITS = {1: "8, 16, 24 or 32", 3: "32 or 64", 6: "8", 7: "8"}
_WAVE_FORMAT_EXTENSIBLE = 0xFFFE

# FFmpeg demuxers whose duration is only an estimate from the bitrate: it declares nothing.
_ESTIMATED_DURATION = {"aac", "mp2", "ac3", "eac3"}

# Containers libsndfile reads when FFmpeg cannot open them.
_SF_FALLBACK = {"aiff", "au", "caf", "w64", "unknown"}

#: Sample rates a header may declare; anything else is a damaged field.
_RATES = (1000, 1_000_000)
_MAX_CHANNELS = 64


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


def display_name(path: str | os.PathLike) -> str:
    """The file's name as text to show: bytes that are not UTF-8 become U+FFFD, never an error."""
    return os.fsencode(Path(path).name).decode("utf-8", "replace")


def load_audio(path: str | Path, *, max_duration_s: float = 300.0, min_duration_s: float = 1.0) -> DecodedAudio:
    """Decode ``path`` to 16 kHz mono float32, or raise a :class:`~coach.errors.AudioError`.

    The error messages name the file and say what to do. ``max_duration_s``
    and ``min_duration_s`` bound the recording's length (TooLongError,
    TooShortError).
    """
    path = Path(path)
    name = display_name(path)
    size = _regular_file_size(path, name)
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

    sink = _Sink(name, max_duration_s)
    if kind == "wav":
        info, declared = _decode_wav(path, name, size, sink)
    else:
        opened = _decode_pyav(path, name, kind, size, sink)
        if opened is None and kind in _SF_FALLBACK:
            opened = _decode_soundfile(path, name, sink)
        if opened is None:
            raise _unreadable(name, kind)
        info, declared = opened

    decoded_s = sink.seconds
    if declared and decoded_s < MIN_COMPLETE_FRACTION * declared:
        raise CorruptAudioError(
            f"{name} is damaged: its header says it holds {declared:.1f} s of audio but only "
            f"{decoded_s:.1f} s could be read (the file was probably cut short while copying "
            f"or recording). {_EXPORT_HINT}"
        )
    samples = sink.finish(declared)
    if samples.size == 0:
        raise EmptyFileError(
            f"{name} holds no audio, only a file header: the recording captured nothing. "
            "Check the microphone and record the voicemail again."
        )
    _check_duration(name, len(samples) / SAMPLE_RATE, min_duration_s, max_duration_s)
    return DecodedAudio(samples=samples, sample_rate=SAMPLE_RATE, info=info, path=path)


def _regular_file_size(path: Path, name: str) -> int:
    """The size of the regular file at ``path``; a clear error for anything else."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.fsencode(os.readlink(path)).decode("utf-8", "replace")
            raise FileNotFoundCoachError(
                f"{name} is a link to {target}, which does not exist. Choose the recording itself."
            ) from None
        raise FileNotFoundCoachError(
            f"{name} was not found (looked for {os.fsencode(path).decode('utf-8', 'replace')}). "
            "Check the file name and folder and try again."
        ) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileNotFoundCoachError(
                f"{name} is a symbolic link that leads back to itself (a loop), so there is no "
                "recording behind it. Choose the recording itself."
            ) from None
        if exc.errno == errno.ENOTDIR:
            raise FileNotFoundCoachError(
                f"{name} was not found: part of its path is a file, not a folder. Check the folder and try again."
            ) from None
        raise AudioError(
            f"{name} cannot be opened ({exc.strerror or exc}). Check that the file is readable and try again."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise NotAudioError(f"{name} is a folder, not an audio file. Choose the recording itself.")
    if not stat.S_ISREG(info.st_mode):
        raise NotAudioError(
            f"{name} is not a regular file (it is a device, a pipe or a socket), so it holds no "
            "recording to read. Choose the recording itself."
        )
    if info.st_size == 0:
        raise EmptyFileError(f"{name} is empty (0 bytes): the recording was not saved. Record the voicemail again.")
    return int(info.st_size)


# --------------------------------------------------------------------------- samples in


class _Sink:
    """Mono blocks in (sanitised by :func:`mix_to_mono`), 16 kHz mono float32 out, one block at a time.

    Each block is pushed through soxr's streaming resampler, so only the
    16 kHz output is kept. A change of sample rate
    mid-stream (joined MP3s) starts a new resampler; ``seconds`` is the
    decoded length at the source rate(s). Past ``max_duration_s`` + 1 s
    decoding stops with TooLongError.
    """

    def __init__(self, name: str, max_duration_s: float) -> None:
        self.name = name
        self.max_s = max_duration_s
        self.seconds = 0.0
        self.first_rate = 0
        self._rate = 0
        self._stream: soxr.ResampleStream | None = None
        self._pending: list[np.ndarray] = []
        self._pending_frames = 0
        self._out: list[np.ndarray] = []

    def add(self, mono: np.ndarray, rate: int) -> None:
        """Take a block of mono float32 samples at ``rate`` (the array is ours to change)."""
        if not mono.size:
            return
        if rate != self._rate:
            self._flush(last=True)
            self.first_rate = self.first_rate or rate
            self._rate = rate
            self._stream = (
                None
                if rate == SAMPLE_RATE
                else soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32", quality="HQ")
            )
        self._pending.append(mono)
        self._pending_frames += mono.size
        self.seconds += mono.size / rate
        if self._pending_frames >= _BLOCK:
            self._flush(last=False)
        if self.seconds > self.max_s + 1.0:
            raise TooLongError(_too_long_message(self.name, None, self.max_s))

    def _flush(self, *, last: bool) -> None:
        block: np.ndarray | None = None
        if self._pending:
            block = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        self._pending, self._pending_frames = [], 0
        if self._stream is None:
            if block is not None:
                self._out.append(block)
            return
        if block is None:
            if not last:
                return
            block = np.zeros(0, np.float32)
        out = self._stream.resample_chunk(block, last=last)
        if out.size:
            self._out.append(out)
        if last:
            self._stream, self._rate = None, 0

    def finish(self, declared_s: float | None = None) -> np.ndarray:
        """All samples at 16 kHz, clipped to [-1, 1] (the resampler may overshoot a full-scale edge)."""
        self._flush(last=True)
        samples = np.concatenate(self._out) if self._out else np.zeros(0, np.float32)
        self._out = []
        if declared_s and self.first_rate:
            samples = _trim_codec_padding(samples, self.seconds - declared_s, self.first_rate, declared_s)
        return np.clip(samples, -1.0, 1.0, out=samples)


def mix_to_mono(data: np.ndarray) -> np.ndarray:
    """The mean of the channels of (frames, channels) samples as a new float32 array.

    Integer samples are scaled to [-1, 1) (int16 by 32768, as libsndfile
    scales it). The channels are summed one by one: ``ndarray.mean(axis=1)``
    over a 2-wide axis is some 50 times slower.
    """
    if data.ndim == 1:
        return _as_float(data)
    channels = data.shape[1]
    mono = _as_float(data[:, 0])
    for c in range(1, channels):
        mono += _as_float(data[:, c])
    if channels > 1:
        mono *= np.float32(1.0 / channels)
    return mono


def _as_float(a: np.ndarray) -> np.ndarray:
    """A new float32 copy of one channel in [-1, 1]: where every decoded sample enters.

    Integer samples are scaled by their full scale; float samples are
    sanitised (:func:`sanitise`), so a NaN costs one sample of one channel.
    """
    if a.dtype == np.uint8:
        return (a.astype(np.float32) - 128.0) * np.float32(1.0 / 128.0)
    if a.dtype.kind == "i":
        return np.multiply(a, 1.0 / float(2 ** (8 * a.dtype.itemsize - 1)), dtype=np.float32)
    return sanitise(np.array(a, dtype=np.float32))


def _trim_codec_padding(samples: np.ndarray, excess_s: float, source_rate: int, declared_s: float) -> np.ndarray:
    """Drop the encoder's padding after the declared end (AAC pads its last frame).

    FFmpeg skips the priming samples at the start but returns the whole last
    frame. Only an excess of at most one AAC frame (1024 samples at the
    file's rate, 64 ms at 16 kHz) is trimmed, so a wrong header can never cut
    more than that from real audio.
    """
    if 0 < excess_s <= 1024 / source_rate + 1e-6:
        return samples[: int(round(declared_s * SAMPLE_RATE))]
    return samples


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


#: What each kind :func:`sniff` knows is, in words, for messages.
KIND_DESCRIPTIONS = {
    "wav": "a WAV file",
    "avi": "an AVI video",
    "w64": "a Wave64 file",
    "flac": "a FLAC file",
    "opus": "an Ogg Opus file",
    "ogg": "an Ogg file",
    "mp3": "an MP3 file",
    "mp4": "an MP4/M4A file",
    "webm": "a WebM/Matroska file",
    "aiff": "an AIFF file",
    "au": "an AU file",
    "caf": "a CAF file",
    "amr": "an AMR file",
    "aac": "an AAC stream",
}


def sniff(head: bytes) -> tuple[str | None, str]:
    """Guess a file's kind from its first bytes.

    Returns ``(kind, description)``: ``kind`` is a short container name
    ("wav", "flac", "ogg", "mp3", "mp4", "webm", ...), "unknown" when the bytes
    match nothing we know (the decoders get to try), or None when the bytes are
    clearly something other than audio (an image, a document, text); the
    description then says what it looks like, for the error message.
    """
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav", KIND_DESCRIPTIONS["wav"]
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi", KIND_DESCRIPTIONS["avi"]
    if head[:4] in (b"RF64", b"BW64"):
        return "wav", KIND_DESCRIPTIONS["wav"]
    if head[:4] == b"riff":
        return "w64", KIND_DESCRIPTIONS["w64"]
    if head[:4] == b"fLaC":
        return "flac", KIND_DESCRIPTIONS["flac"]
    if head[:4] == b"OggS":
        # libsndfile decodes Opus about 3x slower than FFmpeg: send Ogg Opus to PyAV.
        if b"OpusHead" in head[:128]:
            return "opus", KIND_DESCRIPTIONS["opus"]
        return "ogg", KIND_DESCRIPTIONS["ogg"]
    if head[:3] == b"ID3" or _is_mpeg_audio_sync(head):
        return "mp3", KIND_DESCRIPTIONS["mp3"]
    if head[4:8] == b"ftyp":
        return "mp4", KIND_DESCRIPTIONS["mp4"]
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm", KIND_DESCRIPTIONS["webm"]
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff", KIND_DESCRIPTIONS["aiff"]
    if head[:4] == b".snd":
        return "au", KIND_DESCRIPTIONS["au"]
    if head[:4] == b"caff":
        return "caf", KIND_DESCRIPTIONS["caf"]
    if head[:6] == b"#!AMR\n":
        return "amr", KIND_DESCRIPTIONS["amr"]
    if _is_adts(head):
        return "aac", KIND_DESCRIPTIONS["aac"]
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


# --------------------------------------------------------------------------- WAV


@dataclass
class _WavHeader:
    tag: int  # the format tag (an extensible file's sub-format)
    channels: int
    rate: int
    bits: int
    block_align: int  # bytes per frame, as the header says
    data_start: int  # offset of the first sample byte
    declared: int | None  # data bytes the size field declares; None when it declares nothing


def _decode_wav(path: Path, name: str, size: int, sink: _Sink) -> tuple[AudioInfo, float | None]:
    """Decode a RIFF/RF64 WAV; returns its AudioInfo and the length its header declares when it runs past the file."""
    header = _read_wav_header(path, name, size)
    subtype = _WAV_RAW.get((header.tag, header.bits))
    if subtype is None and header.tag in _WAV_BITS:
        raise CorruptAudioError(
            f"{name} is damaged: its header says {header.bits} bits per sample, but this kind of WAV "
            f"has {_WAV_BITS[header.tag]}. {_EXPORT_HINT}"
        )
    if subtype is None:
        # Compressed WAV (GSM 6.10, ADPCM, ...): libsndfile's WAV reader, else FFmpeg.
        opened = _decode_soundfile(path, name, sink) or _decode_pyav(path, name, "wav", size, sink, wav_tag=header.tag)
        if opened is None:
            raise UnsupportedCodecError(
                f"{name} uses an audio codec we cannot decode (WAV format tag 0x{header.tag:04X}). "
                "Export it as WAV, MP3 or M4A (AAC) and try again."
            )
        return opened
    frame_bytes = header.channels * (header.bits // 8)
    if header.block_align not in (0, frame_bytes):
        if header.tag == 1 and header.bits > 16 and header.block_align == header.channels * 4:
            subtype, frame_bytes = "PCM_32", header.block_align  # 20 or 24 bits in 32-bit containers
        else:
            raise CorruptAudioError(
                f"{name} is damaged: its header contradicts itself ({header.bits}-bit samples on "
                f"{header.channels} channel{'s' if header.channels != 1 else ''} take {frame_bytes} bytes a "
                f"frame, but it says {header.block_align}). {_EXPORT_HINT}"
            )
    spans, declared_s = _wav_data_spans(path, header, size, frame_bytes)
    frames = sum(end - start for start, end in spans) // frame_bytes
    _refuse_if_too_long(name, frames / header.rate, sink.max_s)
    info = AudioInfo(format="wav", codec=_SF_CODECS[subtype], sample_rate_hz=header.rate, channels=header.channels)
    dtype = "int16" if subtype == "PCM_16" else "float32"
    with path.open("rb") as handle:
        window = _Window(handle, spans)
        try:
            with sf.SoundFile(
                window,
                format="RAW",
                subtype=subtype,
                channels=header.channels,
                samplerate=header.rate,
                endian="LITTLE",
            ) as raw:
                while True:
                    block = raw.read(_BLOCK, dtype=dtype, always_2d=True)
                    if not len(block):
                        break
                    sink.add(mix_to_mono(block), header.rate)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise CorruptAudioError(f"{name} is damaged: its samples cannot be read ({exc}). {_EXPORT_HINT}") from None
    return info, declared_s


def _read_wav_header(path: Path, name: str, size: int) -> _WavHeader:
    """Walk the RIFF chunks up to the data chunk; a clear error for a header that cannot be used."""
    fmt: bytes | None = None
    ds64_data: int | None = None
    with path.open("rb") as handle:
        form = handle.read(12)[:4]
        offset = 12
        for _ in range(10_000):
            handle.seek(offset)
            chunk = handle.read(8)
            if len(chunk) < 8:
                break
            chunk_id = chunk[:4]
            (chunk_size,) = struct.unpack("<I", chunk[4:])
            if chunk_id == b"fmt ":
                fmt = handle.read(min(chunk_size, 64))
            elif chunk_id == b"ds64" and chunk_size >= 24:
                (ds64_data,) = struct.unpack("<Q", handle.read(24)[8:16])
            elif chunk_id == b"data":
                return _wav_format(name, fmt, offset + 8, _declared_data(chunk_size, form, ds64_data))
            offset += 8 + chunk_size + (chunk_size & 1)
    if fmt is None or offset + 8 > size:
        raise CorruptAudioError(
            f"{name} is damaged: the WAV header is cut off before any audio "
            f"(the file is only {size} bytes). {_EXPORT_HINT}"
        )
    raise CorruptAudioError(f"{name} is damaged: its WAV header has no data chunk. {_EXPORT_HINT}")


def _declared_data(chunk_size: int, form: bytes, ds64_data: int | None) -> int | None:
    if chunk_size == 0xFFFFFFFF and form in (b"RF64", b"BW64") and ds64_data:
        return ds64_data
    if chunk_size in (0, 0xFFFFFFFF):
        return None
    return chunk_size


def _wav_format(name: str, fmt: bytes | None, data_start: int, declared: int | None) -> _WavHeader:
    if fmt is None or len(fmt) < 16:
        raise CorruptAudioError(
            f"{name} is damaged: its WAV header has no complete format chunk, so its samples cannot be "
            f"read. {_EXPORT_HINT}"
        )
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _WAVE_FORMAT_EXTENSIBLE and len(fmt) >= 26:
        (tag,) = struct.unpack("<H", fmt[24:26])
    if tag == 1 and bits % 8:
        bits = 8 * ((bits + 7) // 8)  # 12- or 20-bit samples in 16- or 24-bit containers
    if not 0 < channels <= _MAX_CHANNELS:
        raise CorruptAudioError(f"{name} is damaged: its header says it has {channels} channels. {_EXPORT_HINT}")
    if not _RATES[0] <= rate <= _RATES[1]:
        raise CorruptAudioError(
            f"{name} is damaged: its header says its sample rate is {rate} Hz, which no recorder uses. {_EXPORT_HINT}"
        )
    return _WavHeader(
        tag=tag,
        channels=channels,
        rate=rate,
        bits=bits,
        block_align=block_align,
        data_start=data_start,
        declared=declared,
    )


def _wav_data_spans(
    path: Path, header: _WavHeader, size: int, frame_bytes: int
) -> tuple[list[tuple[int, int]], float | None]:
    """The byte ranges that hold the samples, and the declared length (s) when the file stops before it.

    The size field is trusted when it agrees with the file: it ends at the
    end of the file, or well-formed chunks (LIST, id3 ...) follow it; a later
    data chunk among them continues the samples. A field that declares
    nothing, or less than the file holds with no chunk after it, is damaged:
    the samples run to the end of the file. A field that declares more than
    the file holds means the file was cut short. Each range is cut to whole
    frames, so a stray byte never shifts the samples after it.
    """
    start, declared = header.data_start, header.declared
    available = size - start
    if declared is None or declared >= available:
        declared_s = declared / frame_bytes / header.rate if declared and declared > available else None
        return [_whole_frames(start, size, frame_bytes)], declared_s
    chunks = _chunks_after(path, start + declared + (declared & 1), size)
    if chunks is None:
        return [_whole_frames(start, size, frame_bytes)], None
    spans = [_whole_frames(start, start + declared, frame_bytes)]
    spans += [_whole_frames(at + 8, at + 8 + n, frame_bytes) for chunk_id, at, n in chunks if chunk_id == b"data"]
    return spans, None


def _whole_frames(start: int, end: int, frame_bytes: int) -> tuple[int, int]:
    return start, start + (end - start) // frame_bytes * frame_bytes


def _chunks_after(path: Path, offset: int, size: int) -> list[tuple[bytes, int, int]] | None:
    """The RIFF chunks (id, header offset, size) from ``offset`` to the end of the file.

    None when those bytes are not chunks (an id that is not text, a size
    that runs past the end): then they are samples the size field left out.
    Fewer than 8 stray bytes at the end are ignored.
    """
    found: list[tuple[bytes, int, int]] = []
    with path.open("rb") as handle:
        for _ in range(64):
            if size - offset < 8:
                return found
            handle.seek(offset)
            chunk = handle.read(8)
            (chunk_size,) = struct.unpack("<I", chunk[4:])
            if not all(0x20 <= b <= 0x7E for b in chunk[:4]) or offset + 8 + chunk_size > size:
                return None
            found.append((chunk[:4], offset, chunk_size))
            offset += 8 + chunk_size + (chunk_size & 1)
    return None


class _Window(io.RawIOBase):
    """Byte ranges of an open file, read one after the other as a file of their own (for libsndfile's RAW reader)."""

    def __init__(self, handle, spans: list[tuple[int, int]]) -> None:
        self._handle, self._spans, self._pos = handle, spans, 0
        self._size = sum(end - start for start, end in spans)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer) -> int:
        view = memoryview(buffer).cast("B")
        done, skipped = 0, 0
        for start, end in self._spans:
            length = end - start
            if self._pos + done >= skipped + length:
                skipped += length
                continue
            at = self._pos + done - skipped
            count = min(len(view) - done, length - at)
            self._handle.seek(start + at)
            data = self._handle.read(count)
            view[done : done + len(data)] = data
            done += len(data)
            skipped += length
            if done == len(view) or len(data) < count:
                break
        self._pos += done
        return done


# --------------------------------------------------------------------------- libsndfile, whole file


def _decode_soundfile(path: Path, name: str, sink: _Sink) -> tuple[AudioInfo, float | None] | None:
    """Decode with libsndfile's own reader, block by block; None when it cannot open the file."""
    try:
        handle = sf.SoundFile(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError):
        return None
    with handle:
        rate = int(handle.samplerate)
        if not _RATES[0] <= rate <= _RATES[1] or not 0 < handle.channels <= _MAX_CHANNELS:
            return None
        info = AudioInfo(
            format=_format_name(handle.format),
            codec=_sf_codec(handle.format, handle.subtype),
            sample_rate_hz=rate,
            channels=int(handle.channels),
        )
        dtype = "int16" if handle.subtype == "PCM_16" else "float32"
        try:
            while True:
                block = handle.read(_BLOCK, dtype=dtype, always_2d=True)
                if not len(block):
                    break
                sink.add(mix_to_mono(block), rate)
        except (sf.LibsndfileError, RuntimeError) as exc:
            raise CorruptAudioError(
                f"{name} is damaged: its audio stops decoding part-way through ({exc}). {_EXPORT_HINT}"
            ) from None
    return info, None


def _sf_codec(sf_format: str, subtype: str) -> str:
    if sf_format == "FLAC":
        return "flac"
    return _SF_CODECS.get(subtype, subtype.lower())


def _format_name(sf_format: str) -> str:
    return {"WAVEX": "wav", "MP3": "mp3", "OGG": "ogg"}.get(sf_format, sf_format.lower())


# --------------------------------------------------------------------------- FFmpeg (PyAV)


def _decode_pyav(
    path: Path, name: str, kind: str, size: int, sink: _Sink, *, wav_tag: int | None = None
) -> tuple[AudioInfo, float | None] | None:
    """Decode the first audio stream with PyAV, packet by packet to its end.

    Returns None when FFmpeg cannot open the file; raises for a file it opens
    but cannot use (no sound track, no decoder, a stream that stops decoding).
    """
    import av  # imported here: most takes are WAV and never need it

    try:
        container = av.open(str(path))
    except (av.FFmpegError, UnicodeDecodeError, ValueError):
        return None
    with container:
        if not container.streams.audio:
            if container.streams.video:
                raise NotAudioError(
                    f"{name} is a video with no sound track, so there is nothing to listen to. {_EXPORT_HINT}"
                )
            return None
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        codec_name = ctx.name if ctx is not None else None
        if ctx is None or not codec_name or codec_name == "none":
            which = f" (WAV format tag 0x{wav_tag:04X})" if wav_tag is not None else ""
            raise UnsupportedCodecError(
                f"{name} uses an audio codec we cannot decode{which}. Export it as WAV, MP3 or M4A (AAC) and try again."
            )
        demuxer = container.format.name
        if kind == "mp3" or demuxer == "mp3":
            declared = _mp3_declared_seconds(path, size, stream)
        elif demuxer in _ESTIMATED_DURATION:
            declared = None
        else:
            declared = _pyav_declared_seconds(container, stream)
        rate = int(ctx.sample_rate or 0)
        channels = int(ctx.channels or 0)
        try:
            for frame in container.decode(stream):
                if not frame.samples:
                    continue
                if not _RATES[0] <= frame.sample_rate <= _RATES[1]:
                    raise ValueError(f"a frame at {frame.sample_rate} Hz")
                if not channels or not rate:
                    rate, channels = int(frame.sample_rate), len(frame.layout.channels)
                sink.add(_frame_to_mono(frame), int(frame.sample_rate))
        except (av.FFmpegError, ValueError, KeyError) as exc:
            detail = getattr(exc, "strerror", None) or exc
            raise CorruptAudioError(
                f"{name} is damaged: its {_codec_label(codec_name)} audio stops decoding part-way through "
                f"({detail}). {_EXPORT_HINT}"
            ) from None
        if kind in ("ogg", "opus") and _ogg_ends_mid_page(path, size):
            raise CorruptAudioError(
                f"{name} is damaged: it ends part-way through a block of audio (the file was probably "
                f"cut short while copying or recording). {_EXPORT_HINT}"
            )
        info = AudioInfo(
            format=_container_name(container.format.name, kind),
            codec=_codec_label(codec_name),
            sample_rate_hz=rate,
            channels=channels,
        )
    return info, declared


_SAMPLE_DTYPES: dict[str, np.dtype] = {
    "u8": np.dtype(np.uint8),
    "s16": np.dtype(np.int16),
    "s32": np.dtype(np.int32),
    "s64": np.dtype(np.int64),
    "flt": np.dtype(np.float32),
    "dbl": np.dtype(np.float64),
}


def _frame_to_mono(frame) -> np.ndarray:
    """A decoded frame's samples, mixed to mono float32 (read straight from its planes)."""
    dtype = _SAMPLE_DTYPES[frame.format.name.rstrip("p")]
    n = int(frame.samples)
    channels = max(len(frame.layout.channels), 1)
    if frame.format.is_planar:
        planes = frame.planes[:channels]
        mono = _as_float(np.frombuffer(planes[0], dtype=dtype, count=n))
        for plane in planes[1:]:
            mono += _as_float(np.frombuffer(plane, dtype=dtype, count=n))
        if len(planes) > 1:
            mono *= np.float32(1.0 / len(planes))
        return mono
    return mix_to_mono(np.frombuffer(frame.planes[0], dtype=dtype, count=n * channels).reshape(n, channels))


def _codec_label(ffmpeg_name: str) -> str:
    """FFmpeg's decoder name as the codec's name ("mp3float" -> "mp3")."""
    return ffmpeg_name.removesuffix("float")


def _pyav_declared_seconds(container, stream) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return container.duration / 1_000_000.0
    return None


def _mp3_declared_seconds(path: Path, size: int, stream) -> float | None:
    """The length an MP3's Xing/Info frame declares, when the file may be cut short of it.

    Without a Xing frame FFmpeg's duration is only an estimate from the
    bitrate, so nothing is declared. With one, its byte count tells a cut
    file (fewer bytes than counted) from a damaged frame count (every byte
    there): only a cut file keeps the declared length, for the cut-short check.
    """
    with path.open("rb") as handle:
        head = handle.read(16384)
        handle.seek(max(0, size - 128))
        tail = handle.read(128)
    start = _id3v2_end(head)
    tag = max(head.find(b"Xing", start, start + 200), head.find(b"Info", start, start + 200))
    if tag < 0 or len(head) < tag + 16:
        return None
    (flags,) = struct.unpack(">I", head[tag + 4 : tag + 8])
    if not flags & 1:
        return None
    if flags & 2:
        (counted,) = struct.unpack(">I", head[tag + 12 : tag + 16])
        present = size - start - (128 if tail[:3] == b"TAG" else 0)
        if present + 2048 >= counted:
            return None
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def _ogg_ends_mid_page(path: Path, size: int) -> bool:
    """True when an Ogg file's last page is cut off: its header declares more bytes than the file has.

    An Ogg stream declares no length, and FFmpeg quietly drops a cut-off last
    page, so this is how a file cut short while copying shows.
    """
    with path.open("rb") as handle:
        handle.seek(max(0, size - 65536))
        tail = handle.read()
    at = tail.rfind(b"OggS")
    if at < 0 or len(tail) < at + 27 or tail[at + 4] != 0:
        return False
    segments = tail[at + 26]
    lacing = tail[at + 27 : at + 27 + segments]
    return len(lacing) < segments or at + 27 + segments + sum(lacing) > len(tail)


def _id3v2_end(head: bytes) -> int:
    """Offset just past an ID3v2 tag at the start of the file (0 without one)."""
    if head[:3] != b"ID3" or len(head) < 10:
        return 0
    size = 0
    for b in head[6:10]:
        size = (size << 7) | (b & 0x7F)
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _container_name(ffmpeg_name: str, kind: str) -> str:
    """FFmpeg's demuxer name ('mov,mp4,m4a,3gp,3g2,mj2') -> a short format name."""
    if kind in ("mp4", "webm", "ogg", "opus", "wav", "flac", "mp3", "aac", "amr", "aiff"):
        return {"mp4": "m4a", "opus": "ogg"}.get(kind, kind)
    return ffmpeg_name.split(",")[0]


def _unreadable(name: str, kind: str) -> AudioError:
    if kind == "unknown":
        return NotAudioError(
            f"{name} is not an audio file we can read (we could not recognise its format). {_EXPORT_HINT}"
        )
    return CorruptAudioError(
        f"{name} looks like {sniff_description(kind)} but is damaged and cannot be decoded. {_EXPORT_HINT}"
    )


def sniff_description(kind: str) -> str:
    return KIND_DESCRIPTIONS.get(kind, f"a {kind.upper()} file")


# --------------------------------------------------------------------------- length limits


def _check_duration(name: str, seconds: float, min_s: float, max_s: float) -> None:
    if seconds < min_s:
        raise TooShortError(
            f"{name} is only {seconds:.2f} s long; a practice voicemail needs at least "
            f"{min_s:g} s of audio. Record the whole message and try again."
        )
    _refuse_if_too_long(name, seconds, max_s)


def _refuse_if_too_long(name: str, seconds: float, max_s: float) -> None:
    if seconds > max_s + 0.25:
        raise TooLongError(_too_long_message(name, seconds, max_s))


def _too_long_message(name: str, seconds: float | None, max_s: float) -> str:
    how_long = f"is {length(seconds)} long; the limit is" if seconds is not None else "is longer than the limit of"
    return (
        f"{name} {how_long} {length(max_s)} ({max_s:g} s). A voicemail should "
        f"be well under a minute: trim the recording, or raise max_duration_s in coach.toml "
        f"if you really need longer files."
    )
