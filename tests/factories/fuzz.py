"""Structured mutations of WAV, MP3 and M4A files (hypothesis strategies) and a guarded worker to run them.

:func:`cases` draws a base file (a 5 s excerpt of a sample voicemail,
encoded at test time) and one to three mutations that know the format:
WAV fmt fields, data and RIFF sizes, chunk ids and sample values; MP3 frame
headers, the Xing frame, ID3 tags and joined streams at another rate; M4A
atom sizes, types and the fields that declare length (mdhd, stts, stsz,
stco); and, for every format, byte flips, overwrites, insertions,
deletions, truncation and appended junk at positions drawn relative to the
file's length.

:class:`Worker` runs ``coach analyze``'s own per-file function
(:func:`coach.cli.analyze.analyse_file`, decode and acoustics) on one file at
a time in a child process, then the oracle (:func:`factories.bad_input.oracle_length`).
A case that runs past ``timeout_s`` is a hang, a child that dies is a crash;
either way a fresh child takes over. The child's stderr (fd 2) goes to a
file that is read after each case, so a traceback printed by a C callback
is seen too.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import struct
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from factories.bad_input import encode, speech

# --------------------------------------------------------------------------- base files

#: name -> (extension, sample rate, channels, soundfile subtype)
BASES: dict[str, tuple[str, int, int, str | None]] = {
    "pcm16_16k_mono.wav": (".wav", 16000, 1, "PCM_16"),
    "float_16k_mono.wav": (".wav", 16000, 1, "FLOAT"),
    "pcm16_44k_stereo.wav": (".wav", 44100, 2, "PCM_16"),
    "pcm24_8k_mono.wav": (".wav", 8000, 1, "PCM_24"),
    "mono_16k.mp3": (".mp3", 16000, 1, None),
    "stereo_44k.mp3": (".mp3", 44100, 2, None),
    "mono_16k.m4a": (".m4a", 16000, 1, None),
    "stereo_44k.m4a": (".m4a", 44100, 2, None),
}
BASE_SECONDS = 5.0


@cache
def base_bytes(name: str) -> bytes:
    ext, rate, channels, subtype = BASES[name]
    import numpy as np

    data, _ = speech(BASE_SECONDS, rate)
    if channels == 2:
        data = np.stack([data, 0.8 * data], axis=1)
    return encode(data, rate, ext, subtype)


def kind_of(name: str) -> str:
    return BASES[name][0].lstrip(".")


# --------------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Mutation:
    """One change to a file's bytes; positions are fractions of the length, so any file takes any mutation."""

    def apply(self, raw: bytes) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError


def _at(raw: bytes, where: float) -> int:
    return min(len(raw), max(0, int(where * len(raw))))


@dataclass(frozen=True)
class Flip(Mutation):
    where: float
    mask: int

    def apply(self, raw: bytes) -> bytes:
        if not raw:
            return raw
        i = min(_at(raw, self.where), len(raw) - 1)
        return raw[:i] + bytes([raw[i] ^ self.mask]) + raw[i + 1 :]


@dataclass(frozen=True)
class FlipHeader(Mutation):
    """A byte flip within the first ``span`` bytes, where the headers are."""

    offset: int
    mask: int

    def apply(self, raw: bytes) -> bytes:
        if self.offset >= len(raw):
            return raw
        i = self.offset
        return raw[:i] + bytes([raw[i] ^ self.mask]) + raw[i + 1 :]


@dataclass(frozen=True)
class Overwrite(Mutation):
    where: float
    data: bytes

    def apply(self, raw: bytes) -> bytes:
        i = _at(raw, self.where)
        return raw[:i] + self.data + raw[i + len(self.data) :]


@dataclass(frozen=True)
class Insert(Mutation):
    where: float
    data: bytes

    def apply(self, raw: bytes) -> bytes:
        i = _at(raw, self.where)
        return raw[:i] + self.data + raw[i:]


@dataclass(frozen=True)
class Delete(Mutation):
    where: float
    length: int

    def apply(self, raw: bytes) -> bytes:
        i = _at(raw, self.where)
        return raw[:i] + raw[i + self.length :]


@dataclass(frozen=True)
class Duplicate(Mutation):
    where: float
    length: int

    def apply(self, raw: bytes) -> bytes:
        i = _at(raw, self.where)
        return raw[: i + self.length] + raw[i : i + self.length] + raw[i + self.length :]


@dataclass(frozen=True)
class Truncate(Mutation):
    keep: float

    def apply(self, raw: bytes) -> bytes:
        return raw[: _at(raw, self.keep)]


@dataclass(frozen=True)
class Append(Mutation):
    data: bytes

    def apply(self, raw: bytes) -> bytes:
        return raw + self.data


# -- WAV


def _chunks(raw: bytes) -> list[tuple[bytes, int, int]]:
    """(id, header offset, declared size) of each top-level RIFF chunk that starts inside the file."""
    out, offset = [], 12
    while offset + 8 <= len(raw) and len(out) < 64:
        size = struct.unpack("<I", raw[offset + 4 : offset + 8])[0]
        out.append((raw[offset : offset + 4], offset, size))
        offset += 8 + size + (size & 1)
    return out


def _find_chunk(raw: bytes, chunk_id: bytes) -> tuple[int, int] | None:
    for cid, offset, size in _chunks(raw):
        if cid == chunk_id:
            return offset, size
    return None


_FMT_FIELDS = {"tag": (8, "<H"), "channels": (10, "<H"), "rate": (12, "<I"), "byte_rate": (16, "<I")}
_FMT_FIELDS |= {"block_align": (20, "<H"), "bits": (22, "<H"), "fmt_size": (4, "<I")}


@dataclass(frozen=True)
class WavFmtField(Mutation):
    name: str
    value: int

    def apply(self, raw: bytes) -> bytes:
        found = _find_chunk(raw, b"fmt ")
        if found is None:
            return raw
        rel, fmt = _FMT_FIELDS[self.name]
        at = found[0] + rel
        width = struct.calcsize(fmt)
        value = self.value % (1 << (8 * width))
        return raw[:at] + struct.pack(fmt, value) + raw[at + width :]


@dataclass(frozen=True)
class WavDataSize(Mutation):
    """Set the data chunk's size: an absolute value, or a fraction of the real size."""

    value: int | None
    fraction: float

    def apply(self, raw: bytes) -> bytes:
        found = _find_chunk(raw, b"data")
        if found is None:
            return raw
        at, size = found
        new = self.value if self.value is not None else int(size * self.fraction)
        return raw[: at + 4] + struct.pack("<I", new % (1 << 32)) + raw[at + 8 :]


@dataclass(frozen=True)
class RiffSize(Mutation):
    value: int

    def apply(self, raw: bytes) -> bytes:
        return raw[:4] + struct.pack("<I", self.value % (1 << 32)) + raw[8:]


@dataclass(frozen=True)
class RenameChunk(Mutation):
    which: bytes
    to: bytes

    def apply(self, raw: bytes) -> bytes:
        found = _find_chunk(raw, self.which)
        if found is None:
            return raw
        at = found[0]
        return raw[:at] + self.to + raw[at + 4 :]


@dataclass(frozen=True)
class ChunkBeforeData(Mutation):
    chunk_id: bytes
    body: bytes
    size_delta: int

    def apply(self, raw: bytes) -> bytes:
        found = _find_chunk(raw, b"data")
        if found is None:
            return raw
        at = found[0]
        size = max(0, len(self.body) + self.size_delta)
        chunk = self.chunk_id + struct.pack("<I", size) + self.body + (b"\x00" if len(self.body) & 1 else b"")
        return raw[:at] + chunk + raw[at:]


@dataclass(frozen=True)
class ChunkAfterData(Mutation):
    chunk_id: bytes
    body: bytes

    def apply(self, raw: bytes) -> bytes:
        pad = b"\x00" if len(raw) & 1 else b""
        return raw + pad + self.chunk_id + struct.pack("<I", len(self.body)) + self.body


@dataclass(frozen=True)
class FloatSample(Mutation):
    """Set one 32-bit sample of the data chunk to a raw bit pattern (NaN, inf, 1e30 ...)."""

    where: float
    value: float

    def apply(self, raw: bytes) -> bytes:
        found = _find_chunk(raw, b"data")
        if found is None:
            return raw
        start = found[0] + 8
        count = (len(raw) - start) // 4
        if count <= 0:
            return raw
        at = start + 4 * min(count - 1, int(self.where * count))
        return raw[:at] + struct.pack("<f", self.value) + raw[at + 4 :]


# -- MP3


def _frame_starts(raw: bytes, limit: int = 4000) -> list[int]:
    """Offsets of MPEG audio frame headers found by walking frame lengths from the first sync."""
    from factories.bad_input import mp3_first_frame_length, mpeg_frames_start

    out, at = [], mpeg_frames_start(raw)
    while at + 4 <= len(raw) and len(out) < limit:
        if raw[at] != 0xFF or (raw[at + 1] & 0xE0) != 0xE0:
            break
        try:
            length = mp3_first_frame_length(raw, at)
        except (IndexError, KeyError):
            break
        if length <= 4:
            break
        out.append(at)
        at += length
    return out


@dataclass(frozen=True)
class Mp3FrameHeader(Mutation):
    """Overwrite one byte of the k-th frame header (bitrate, rate, version, layer, padding ...)."""

    frame: float
    byte: int
    value: int

    def apply(self, raw: bytes) -> bytes:
        starts = _frame_starts(raw)
        if not starts:
            return raw
        at = starts[min(len(starts) - 1, int(self.frame * len(starts)))] + self.byte
        return raw[:at] + bytes([self.value]) + raw[at + 1 :]


@dataclass(frozen=True)
class Mp3DropFrames(Mutation):
    frame: float
    count: int

    def apply(self, raw: bytes) -> bytes:
        starts = _frame_starts(raw) + [len(raw)]
        if len(starts) < 3:
            return raw
        i = min(len(starts) - 2, int(self.frame * (len(starts) - 1)))
        j = min(len(starts) - 1, i + self.count)
        return raw[: starts[i]] + raw[starts[j] :]


@dataclass(frozen=True)
class Mp3Xing(Mutation):
    """Remove the Xing frame, or set its frame or byte count."""

    action: str
    value: int

    def apply(self, raw: bytes) -> bytes:
        from factories.bad_input import mp3_without_xing, xing_offset

        try:
            at = xing_offset(raw)
        except ValueError:
            return raw
        if self.action == "remove":
            try:
                return mp3_without_xing(raw)
            except (ValueError, IndexError, KeyError):
                return raw
        field_at = at + (8 if self.action == "frames" else 12)
        return raw[:field_at] + struct.pack(">I", self.value % (1 << 32)) + raw[field_at + 4 :]


@dataclass(frozen=True)
class Id3Tag(Mutation):
    """Prepend an ID3v2 tag whose declared size may be wrong."""

    body: bytes
    size_delta: int

    def apply(self, raw: bytes) -> bytes:
        size = max(0, len(self.body) + self.size_delta) & 0x0FFFFFFF
        syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
        return b"ID3\x03\x00\x00" + syncsafe + self.body + raw


@dataclass(frozen=True)
class JoinMp3(Mutation):
    """Append the other MP3 base (another rate and channel count): a stream that changes rate."""

    def apply(self, raw: bytes) -> bytes:
        other = base_bytes("stereo_44k.mp3") if b"\xff\xf3" in raw[:4096] else base_bytes("mono_16k.mp3")
        return raw + other


# -- M4A

_MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"udta", b"dinf"}


def mp4_atoms(raw: bytes) -> list[tuple[bytes, int, int]]:
    """(type, header offset, declared size) of every atom, walking into the container atoms."""
    out: list[tuple[bytes, int, int]] = []

    def walk(start: int, end: int, depth: int) -> None:
        at = start
        while at + 8 <= end and len(out) < 400 and depth < 8:
            size = struct.unpack(">I", raw[at : at + 4])[0]
            kind = raw[at + 4 : at + 8]
            out.append((kind, at, size))
            if size < 8:
                return
            if kind in _MP4_CONTAINERS:
                walk(at + 8, min(end, at + size), depth + 1)
            at += size

    walk(0, len(raw), 0)
    return out


#: Offsets (from the atom header) of the fields that say how long the audio is, per atom type.
_MP4_FIELDS = {
    b"mdhd": (20, 24),  # timescale, duration (version 0)
    b"mvhd": (20, 24),
    b"stts": (12, 16, 20),  # entry count, first sample count, first delta
    b"stsz": (16, 20),  # sample count, first size
    b"stco": (12, 16),  # entry count, first chunk offset
    b"stsc": (12, 16, 20),
    b"elst": (12, 16, 20),
}


@dataclass(frozen=True)
class Mp4Field(Mutation):
    atom: bytes
    index: int
    value: int

    def apply(self, raw: bytes) -> bytes:
        for kind, at, _size in mp4_atoms(raw):
            if kind == self.atom:
                offsets = _MP4_FIELDS[self.atom]
                field_at = at + offsets[self.index % len(offsets)]
                if field_at + 4 > len(raw):
                    return raw
                return raw[:field_at] + struct.pack(">I", self.value % (1 << 32)) + raw[field_at + 4 :]
        return raw


@dataclass(frozen=True)
class Mp4AtomSize(Mutation):
    which: float
    value: int

    def apply(self, raw: bytes) -> bytes:
        atoms = mp4_atoms(raw)
        if not atoms:
            return raw
        _kind, at, _size = atoms[min(len(atoms) - 1, int(self.which * len(atoms)))]
        return raw[:at] + struct.pack(">I", self.value % (1 << 32)) + raw[at + 4 :]


@dataclass(frozen=True)
class Mp4AtomType(Mutation):
    which: float
    to: bytes

    def apply(self, raw: bytes) -> bytes:
        atoms = mp4_atoms(raw)
        if not atoms:
            return raw
        _kind, at, _size = atoms[min(len(atoms) - 1, int(self.which * len(atoms)))]
        return raw[: at + 4] + self.to + raw[at + 8 :]


# --------------------------------------------------------------------------- strategies

_fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, exclude_max=True)
_junk = st.binary(min_size=1, max_size=64)
_u32 = st.one_of(
    st.sampled_from([0, 1, 2, 7, 8, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE]),
    st.integers(min_value=0, max_value=0xFFFFFFFF),
)
# No second "data" chunk: the oracle's decoders disagree on one (FFmpeg plays only the last); the
# corpus has that kind with its length known from how it was made.
_chunk_ids = st.sampled_from([b"LIST", b"junk", b"JUNK", b"fact", b"id3 ", b"bext", b"fmt ", b"\x00\x00\x00\x00"])


def generic() -> st.SearchStrategy[Mutation]:
    return st.one_of(
        st.builds(Flip, _fraction, st.integers(1, 255)),
        st.builds(FlipHeader, st.integers(0, 511), st.integers(1, 255)),
        st.builds(Overwrite, _fraction, _junk),
        st.builds(Insert, _fraction, _junk),
        st.builds(Delete, _fraction, st.integers(1, 4096)),
        st.builds(Duplicate, _fraction, st.integers(1, 8192)),
        st.builds(Truncate, _fraction),
        st.builds(Append, st.binary(min_size=1, max_size=2048)),
    )


def wav_mutations() -> st.SearchStrategy[Mutation]:
    small = st.sampled_from([0, 1, 2, 3, 4, 6, 7, 8, 12, 16, 20, 24, 32, 48, 64, 0xFFFE, 0xFFFF])
    return st.one_of(
        st.builds(WavFmtField, st.sampled_from(sorted(_FMT_FIELDS)), st.one_of(small, _u32)),
        st.builds(
            WavDataSize,
            st.one_of(st.none(), st.sampled_from([0, 1, 0xFFFFFFFF]), _u32),
            st.floats(min_value=0.0, max_value=3.0, allow_nan=False),
        ),
        st.builds(RiffSize, _u32),
        st.builds(
            RenameChunk,
            st.sampled_from([b"fmt ", b"data"]),
            st.sampled_from([b"junk", b"FMT ", b"DATA", b"\x00\x00\x00\x00"]),
        ),
        st.builds(ChunkBeforeData, _chunk_ids, st.binary(max_size=64), st.integers(-64, 64)),
        st.builds(ChunkAfterData, _chunk_ids, st.binary(max_size=64)),
        st.builds(
            FloatSample,
            _fraction,
            st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e30, -1e30, 3.4e38, 1.5]),
        ),
    )


def mp3_mutations() -> st.SearchStrategy[Mutation]:
    return st.one_of(
        st.builds(Mp3FrameHeader, _fraction, st.integers(1, 3), st.integers(0, 255)),
        st.builds(Mp3DropFrames, _fraction, st.integers(1, 40)),
        st.builds(Mp3Xing, st.sampled_from(["remove", "frames", "bytes"]), _u32),
        st.builds(Id3Tag, st.binary(max_size=128), st.integers(-200, 200)),
        st.just(JoinMp3()),
    )


def m4a_mutations() -> st.SearchStrategy[Mutation]:
    return st.one_of(
        st.builds(Mp4Field, st.sampled_from(sorted(_MP4_FIELDS)), st.integers(0, 2), _u32),
        st.builds(Mp4AtomSize, _fraction, _u32),
        st.builds(Mp4AtomType, _fraction, st.sampled_from([b"free", b"skip", b"moov", b"mdat", b"\x00\x00\x00\x00"])),
    )


_BY_KIND = {"wav": wav_mutations, "mp3": mp3_mutations, "m4a": m4a_mutations}


class Case:
    """A mutated file: its base, the mutations made, and the bytes (left out of the repr)."""

    def __init__(self, base: str, mutations: tuple[Mutation, ...], data: bytes) -> None:
        self.base, self.mutations, self.data = base, mutations, data

    @property
    def ext(self) -> str:
        return BASES[self.base][0]

    def __repr__(self) -> str:
        return f"Case({self.base!r}, {self.mutations!r}, <{len(self.data)} bytes>)"


@st.composite
def cases(draw) -> Case:
    """A base file and one to three mutations, half of them specific to its format."""
    base = draw(st.sampled_from(sorted(BASES)))
    specific = _BY_KIND[kind_of(base)]()
    mutations = tuple(draw(st.lists(st.one_of(specific, generic()), min_size=1, max_size=3)))
    data = base_bytes(base)
    for mutation in mutations:
        data = mutation.apply(data)
    return Case(base, mutations, data)


# --------------------------------------------------------------------------- the worker


@dataclass
class Outcome:
    """What the per-file path made of one file, as the parent sees it."""

    line: str | None = None
    error_type: str | None = None
    measured_s: float | None = None
    oracle_s: float | None = None
    stderr: str = ""
    hang: bool = False
    crash: str | None = None
    oracle_hang: bool = False


def _serve(conn, stderr_path: str) -> None:  # pragma: no cover - runs in the child
    fd = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    from coach.cli.analyze import analyse_file
    from coach.config import load_config
    from coach.pipeline import Analyzer
    from factories.bad_input import oracle_length
    from factories.paths import ROOT

    analyzer = Analyzer("tiny.en", load_config(ROOT / "coach" / "defaults.toml"))
    conn.send("ready")
    while True:
        path = conn.recv()
        if path is None:
            return
        result = analyse_file(analyzer, path, measure_only=True)
        kind = result.error.kind if result.error is not None else None
        conn.send(("measured", result.json_line(), kind, result.measured_s))
        try:
            oracle = oracle_length(Path(path))
        except Exception as exc:  # the oracle's own failure is not the coach's: no length to compare
            print(f"oracle failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            oracle = None
        conn.send(("oracle", oracle))


class Worker:
    """A child process running the per-file path; restarted after a hang or a crash."""

    def __init__(self, timeout_s: float = 60.0) -> None:
        self.timeout_s = timeout_s
        self.restarts = 0
        self._folder = tempfile.mkdtemp(prefix="coach-fuzz-")
        self._stderr = os.path.join(self._folder, "stderr.txt")
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, self._stderr), daemon=True)
        self._proc.start()
        child.close()
        if not self._conn.poll(120):
            raise RuntimeError("the fuzz worker did not start")
        assert self._conn.recv() == "ready"
        self._stderr_seen = 0

    def _restart(self) -> None:
        self._proc.kill()
        self._proc.join()
        self.restarts += 1
        self._start()

    def _new_stderr(self) -> str:
        with open(self._stderr, "rb") as fh:
            fh.seek(self._stderr_seen)
            data = fh.read()
        self._stderr_seen += len(data)
        return data.decode("utf-8", "replace")

    def run(self, path: str | Path) -> Outcome:
        self._conn.send(os.fsdecode(path))
        outcome = Outcome()
        try:
            if not self._conn.poll(self.timeout_s):
                outcome.hang = True
                outcome.stderr = self._new_stderr()
                self._restart()
                return outcome
            _, outcome.line, outcome.error_type, outcome.measured_s = self._conn.recv()
            if not self._conn.poll(self.timeout_s):
                outcome.oracle_hang = True
                outcome.stderr = self._new_stderr()
                self._restart()
                return outcome
            _, outcome.oracle_s = self._conn.recv()
        except (EOFError, ConnectionResetError, BrokenPipeError):
            self._proc.join(5)
            outcome.crash = f"the worker died (exit code {self._proc.exitcode})"
            outcome.stderr = self._new_stderr()
            self._restart()
            return outcome
        outcome.stderr = self._new_stderr()
        return outcome

    def close(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send(None)
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()
        shutil.rmtree(self._folder, ignore_errors=True)


def describe(case: Case) -> dict[str, Any]:
    return {"base": case.base, "mutations": [repr(m) for m in case.mutations], "bytes": len(case.data)}


#: Analysed length and the oracle's may differ by this much (an MP3 without gapless data keeps its encoder delay).
TOLERANCE_S = 0.1
MIN_S, MAX_S = 1.0, 300.0  # coach/defaults.toml: min_duration_s, max_duration_s


def problems(outcome: Outcome, name: str) -> list[str]:
    """What broke the property for one file: empty when it held.

    One JSON line naming the file; a report, or a typed error whose message
    names the file; no traceback, crash or hang; and an analysed length
    within :data:`TOLERANCE_S` of the oracle's (when the oracle decodes
    anything), or, for a too-short or too-long refusal, an oracle that agrees.
    """
    import json

    found = []
    if outcome.hang:
        found.append(f"hang: no answer within the per-case timeout\n{outcome.stderr[-2000:]}")
    if outcome.crash:
        found.append(f"crash: {outcome.crash}\n{outcome.stderr[-2000:]}")
    if "Traceback" in outcome.stderr:
        found.append(f"traceback on stderr:\n{outcome.stderr[-4000:]}")
    if outcome.line is None:
        return found
    if "\n" in outcome.line:
        found.append("the JSON line has a line break in it")
    data = json.loads(outcome.line)
    if data.get("file") != name:
        found.append(f"the line names {data.get('file')!r}, not {name!r}")
    if "error" in data:
        error = data["error"]
        if error["type"] == "internal_error":
            found.append(f"internal error (a bug): {error['message']}")
        if not error["message"] or name not in error["message"]:
            found.append(f"the message does not name the file: {error['message']!r}")
        oracle = outcome.oracle_s
        if oracle is not None and error["type"] == "too_short" and oracle >= MIN_S + TOLERANCE_S:
            found.append(f"called too short, but the file holds {oracle:.2f} s: {error['message']}")
        if oracle is not None and error["type"] == "too_long" and oracle <= MAX_S - TOLERANCE_S:
            found.append(f"called too long, but the file holds {oracle:.2f} s: {error['message']}")
    else:
        measured = data["duration_s"]
        if outcome.oracle_s is not None and abs(measured - outcome.oracle_s) > TOLERANCE_S:
            found.append(f"analysed {measured:.3f} s of a file that holds {outcome.oracle_s:.3f} s (oracle)")
    return found
