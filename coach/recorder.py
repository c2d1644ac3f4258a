"""Recording a take from the microphone.

The core is pure and testable: :class:`Recorder` reads blocks from an input
stream it is handed (through a factory), measures them with a
:class:`LevelMeter` and decides when to stop (a stop event set by Enter, the
maximum length, a stretch of silence once speech has started, or Ctrl-C).
Elapsed time is counted in frames read, not wall-clock time, so a take of
``max_seconds`` holds exactly that much audio however the sound card delivers.

The only edge is :class:`SoundCard`, a thin wrapper over ``sounddevice`` (and
so PortAudio), imported lazily: a machine without PortAudio gets a
:class:`~coach.errors.RecordingError` naming the package to install instead
of an import traceback, and the rest of the coach works without it.

A take is recorded at a rate the device accepts (its default rate first, as
that is what it does natively), mixed down to mono, then resampled to 16 kHz
with soxr and written as a 16-bit WAV, the form the analysis works in.
"""

from __future__ import annotations

import importlib
import math
import os
import sys
import threading
import wave
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Optional, Protocol, TextIO, Union

import numpy as np

from coach.errors import RecordingError

TARGET_RATE = 16000
#: Tried after the device's default rate, in this order.
FALLBACK_RATES = (48000, 44100, 32000, 22050, 16000)
BLOCK_S = 0.05
#: Input latency asked of PortAudio: a generous buffer, so a busy CPU (Whisper
#: loading in the background) does not drop audio. Only the meter lags by it.
LATENCY_S = 0.25
DEFAULT_MAX_S = 60.0

MIN_DBFS = -120.0
#: Input under this RMS level counts as silent for the "is the mic on?" warning.
SILENT_DBFS = -55.0
#: A sample at or above this magnitude is taken as clipped.
CLIP_LEVEL = 0.99
CLIP_HOLD_S = 1.5
#: Speech and silence thresholds for stop-on-silence. Each is the larger of a
#: fixed level and a margin over the tracked noise floor, so a noisy room does
#: not count as speech nor a quiet one's hiss as sound.
SPEECH_DBFS = -40.0
SPEECH_OVER_FLOOR_DB = 12.0
SPEECH_MIN_S = 0.25
SILENCE_DBFS = -50.0
SILENCE_OVER_FLOOR_DB = 6.0
#: How fast the noise-floor estimate may rise (it falls at once).
FLOOR_RISE_DB_PER_S = 0.5

STOP_ENTER = "enter"
STOP_MAX_LENGTH = "max_length"
STOP_SILENCE = "silence"
STOP_INTERRUPTED = "interrupted"
STOP_DEVICE_ERROR = "device_error"
STOP_STREAM_ENDED = "stream_ended"

PORTAUDIO_INSTALL = (
    "On Debian/Ubuntu: sudo apt-get install libportaudio2; on Fedora: sudo dnf install portaudio; "
    "on macOS and Windows PortAudio comes with the sounddevice wheel: "
    "pip install --force-reinstall sounddevice."
)


# -- levels ----------------------------------------------------------------


def to_dbfs(amplitude: float) -> float:
    """Amplitude (1.0 = full scale) in dBFS, floored at :data:`MIN_DBFS` instead of -inf."""
    if amplitude <= 0.0 or not math.isfinite(amplitude):
        return MIN_DBFS
    return max(MIN_DBFS, 20.0 * math.log10(amplitude))


def block_levels(block: np.ndarray) -> tuple[float, float]:
    """RMS and peak level of a mono block, in dBFS."""
    if block.size == 0:
        return MIN_DBFS, MIN_DBFS
    x = block.astype(np.float64, copy=False)
    rms = math.sqrt(float(np.mean(x * x)))
    peak = float(np.max(np.abs(x)))
    return to_dbfs(rms), to_dbfs(peak)


@dataclass(frozen=True)
class Levels:
    """The meter after one block: what the terminal shows and what stop-on-silence uses."""

    rms_dbfs: float
    peak_dbfs: float
    #: How long the input has stayed under :data:`SILENT_DBFS` (0 while there is sound).
    silent_s: float
    #: A block clipped within the last :data:`CLIP_HOLD_S` seconds.
    clipping: bool
    #: Speech has been heard (at least :data:`SPEECH_MIN_S` above the speech threshold).
    speech_started: bool
    #: How long the input has stayed under the silence threshold (0 while there is sound).
    quiet_s: float
    noise_floor_dbfs: float


class LevelMeter:
    """Running level measurements over the blocks of one take.

    Durations are counted in frames, so "3 s of silence" is exact however the
    blocks fall, and turned into seconds only when reported.
    """

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = int(sample_rate)
        self._silent = 0
        self._quiet = 0
        self._speech = 0
        self._since_clip: Optional[int] = None
        self._clipped = 0
        self.noise_floor: Optional[float] = None
        self.max_peak_dbfs = MIN_DBFS
        self.max_rms_dbfs = MIN_DBFS

    def _s(self, frames: int) -> float:
        return frames / self.sample_rate

    @property
    def speech_started(self) -> bool:
        return self._s(self._speech) >= SPEECH_MIN_S

    @property
    def clipped_s(self) -> float:
        return self._s(self._clipped)

    def update(self, block: np.ndarray) -> Levels:
        """Measure one mono block (float, full scale 1.0) and return the levels after it."""
        frames = int(block.size)
        rms, peak = block_levels(block)
        self.max_peak_dbfs = max(self.max_peak_dbfs, peak)
        self.max_rms_dbfs = max(self.max_rms_dbfs, rms)

        if self.noise_floor is None or rms < self.noise_floor:
            self.noise_floor = rms
        else:
            self.noise_floor = min(rms, self.noise_floor + FLOOR_RISE_DB_PER_S * self._s(frames))
        speech_threshold = max(SPEECH_DBFS, self.noise_floor + SPEECH_OVER_FLOOR_DB)
        silence_threshold = max(SILENCE_DBFS, self.noise_floor + SILENCE_OVER_FLOOR_DB)

        self._silent = self._silent + frames if rms < SILENT_DBFS else 0
        self._quiet = self._quiet + frames if rms < silence_threshold else 0
        if rms >= speech_threshold:
            self._speech += frames
        if frames and peak >= to_dbfs(CLIP_LEVEL):
            self._since_clip = 0
            self._clipped += frames
        elif self._since_clip is not None:
            self._since_clip += frames
        return Levels(
            rms_dbfs=rms,
            peak_dbfs=peak,
            silent_s=self._s(self._silent),
            clipping=self._since_clip is not None and self._s(self._since_clip) < CLIP_HOLD_S,
            speech_started=self.speech_started,
            quiet_s=self._s(self._quiet),
            noise_floor_dbfs=self.noise_floor,
        )


# -- the recording loop ----------------------------------------------------


class InputStream(Protocol):
    """What :class:`Recorder` needs of a stream: ``sounddevice.InputStream.read``."""

    def read(self, frames: int) -> tuple[np.ndarray, bool]: ...


StreamFactory = Callable[[], AbstractContextManager]
BlockCallback = Callable[[float, Levels], None]


@dataclass
class Take:
    """What was recorded: mono float32 samples at the device's rate, and how it went."""

    samples: np.ndarray
    sample_rate: int
    stop_reason: str
    overflows: int = 0
    clipped_s: float = 0.0
    max_peak_dbfs: float = MIN_DBFS
    max_rms_dbfs: float = MIN_DBFS
    speech_started: bool = False
    error: Optional[str] = None

    @property
    def duration_s(self) -> float:
        return len(self.samples) / float(self.sample_rate)

    @property
    def silent(self) -> bool:
        """Nothing in the whole take rose above the silent-input level."""
        return self.max_rms_dbfs < SILENT_DBFS

    def samples_16k(self) -> np.ndarray:
        return resample(self.samples, self.sample_rate, TARGET_RATE)


def downmix(block: np.ndarray) -> np.ndarray:
    """A (frames,) or (frames, channels) block as mono float32 (the channels' mean)."""
    block = np.asarray(block, dtype=np.float32)
    if block.ndim == 2:
        block = block[:, 0] if block.shape[1] == 1 else block.mean(axis=1, dtype=np.float32)
    return np.ascontiguousarray(block, dtype=np.float32)


class Recorder:
    """Reads one take from a stream until a stop condition holds.

    ``open_stream`` returns a context manager yielding an object with
    ``read(frames) -> (block, overflowed)``; the stream runs while the context
    is open. ``stop_event`` is set by whoever watches for Enter. ``on_block``
    is called after each block with the elapsed seconds and the levels.
    """

    def __init__(
        self,
        open_stream: StreamFactory,
        *,
        sample_rate: int,
        max_seconds: float = DEFAULT_MAX_S,
        stop_on_silence_s: Optional[float] = None,
        stop_event: Optional[threading.Event] = None,
        on_block: Optional[BlockCallback] = None,
        block_s: float = BLOCK_S,
    ) -> None:
        if max_seconds <= 0:
            raise RecordingError(f"The maximum length must be more than 0 seconds (got {max_seconds:g}).")
        if stop_on_silence_s is not None and stop_on_silence_s <= 0:
            raise RecordingError(
                f"--stop-on-silence must be more than 0 seconds (got {stop_on_silence_s:g})."
            )
        self.open_stream = open_stream
        self.sample_rate = int(sample_rate)
        self.max_frames = int(round(max_seconds * self.sample_rate))
        self.stop_on_silence_s = stop_on_silence_s
        self.stop_event = stop_event if stop_event is not None else threading.Event()
        self.on_block = on_block
        self.block_frames = max(1, int(round(block_s * self.sample_rate)))
        self.meter = LevelMeter(self.sample_rate)

    def run(self) -> Take:
        blocks: list[np.ndarray] = []
        frames = 0
        overflows = 0
        reason = STOP_MAX_LENGTH
        error: Optional[str] = None
        try:
            with self.open_stream() as stream:
                while True:
                    if self.stop_event.is_set():
                        reason = STOP_ENTER
                        break
                    if frames >= self.max_frames:
                        reason = STOP_MAX_LENGTH
                        break
                    want = min(self.block_frames, self.max_frames - frames)
                    try:
                        data, overflowed = stream.read(want)
                    except RecordingError as exc:
                        reason, error = STOP_DEVICE_ERROR, str(exc)
                        break
                    block = downmix(data)[: self.max_frames - frames]
                    if block.size == 0:
                        reason = STOP_STREAM_ENDED
                        break
                    blocks.append(block)
                    frames += block.size
                    overflows += int(bool(overflowed))
                    levels = self.meter.update(block)
                    if self.on_block is not None:
                        self.on_block(frames / self.sample_rate, levels)
                    if (
                        self.stop_on_silence_s is not None
                        and levels.speech_started
                        and levels.quiet_s >= self.stop_on_silence_s
                    ):
                        reason = STOP_SILENCE
                        break
        except KeyboardInterrupt:
            reason = STOP_INTERRUPTED
        samples = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
        return Take(
            samples=samples,
            sample_rate=self.sample_rate,
            stop_reason=reason,
            overflows=overflows,
            clipped_s=self.meter.clipped_s,
            max_peak_dbfs=self.meter.max_peak_dbfs,
            max_rms_dbfs=self.meter.max_rms_dbfs,
            speech_started=self.meter.speech_started,
            error=error,
        )


def watch_enter(stop_event: threading.Event, stdin: Optional[TextIO] = None) -> Optional[threading.Thread]:
    """Set ``stop_event`` when Enter is pressed; only on a terminal.

    When stdin is not a TTY (a pipe, /dev/null, a CI job), nothing is watched:
    end of input there means nothing, and stopping on it would end every take
    at once. Returns the daemon thread, or None when there is no terminal.
    """
    stdin = stdin if stdin is not None else sys.stdin
    try:
        interactive = stdin is not None and stdin.isatty()
    except (ValueError, OSError):
        interactive = False
    if not interactive:
        return None

    def wait_for_enter() -> None:
        try:
            line = stdin.readline()
        except (ValueError, OSError):
            return
        if line:
            stop_event.set()

    thread = threading.Thread(target=wait_for_enter, name="coach-record-enter", daemon=True)
    thread.start()
    return thread


# -- resampling and files --------------------------------------------------


def resample(samples: np.ndarray, from_rate: int, to_rate: int = TARGET_RATE) -> np.ndarray:
    """Resample mono float32 audio with soxr (high quality); a copy when the rates match."""
    samples = np.asarray(samples, dtype=np.float32)
    if int(from_rate) == int(to_rate) or samples.size == 0:
        return samples.copy()
    import soxr

    return soxr.resample(samples, int(from_rate), int(to_rate), quality="HQ").astype(np.float32, copy=False)


def write_wav(path: Union[str, os.PathLike], samples: np.ndarray, sample_rate: int = TARGET_RATE) -> Path:
    """Write mono float samples as a 16-bit PCM WAV.

    The file appears complete or not at all: it is written next to its final
    name and renamed into place, so an interrupted save leaves no half file.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RecordingError(f"Cannot create the folder {path.parent} for the recording: {exc.strerror or exc}.") from exc
    pcm = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    pcm = np.round(pcm * 32767.0).astype("<i2")
    tmp = path.with_name(f".{path.name}.part")
    try:
        with wave.open(str(tmp), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(int(sample_rate))
            wav.writeframes(pcm.tobytes())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RecordingError(f"Cannot write the recording to {path}: {exc.strerror or exc}.") from exc
    return path


def default_take_path(data_dir: Union[str, os.PathLike, None] = None, now: Optional[datetime] = None) -> Path:
    """``<data dir>/recordings/take-YYYYmmdd-HHMMSS.wav``, with ``-2``, ``-3``... if taken."""
    from coach.history import resolve_data_dir

    folder = resolve_data_dir(data_dir) / "recordings"
    stem = f"take-{(now or datetime.now()):%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.wav"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.wav"
        n += 1
    return path


# -- the sound card (the only edge) ----------------------------------------


def load_sounddevice() -> Any:
    """Import ``sounddevice``; a missing PortAudio becomes a RecordingError saying what to install."""
    try:
        return importlib.import_module("sounddevice")
    except OSError as exc:
        raise RecordingError(
            f"Recording needs the PortAudio library, which was not found ({exc}). {PORTAUDIO_INSTALL}"
        ) from exc
    except ImportError as exc:
        if exc.name == "sounddevice":
            raise RecordingError(
                "Recording needs the Python package sounddevice: pip install sounddevice "
                f"(and PortAudio: {PORTAUDIO_INSTALL})"
            ) from exc
        raise RecordingError(f"sounddevice could not be loaded ({exc}). {PORTAUDIO_INSTALL}") from exc
    except Exception as exc:  # PortAudioError from Pa_Initialize; its class is not importable yet.
        raise RecordingError(f"PortAudio could not start: {exc}. {PORTAUDIO_INSTALL}") from exc


@dataclass(frozen=True)
class InputDevice:
    """One input device as PortAudio lists it."""

    index: int
    name: str
    channels: int
    default_rate: float
    hostapi: str = ""
    is_default: bool = False


@dataclass(frozen=True)
class StreamSettings:
    """How a take will be recorded: which device, at which rate, with how many channels."""

    device: InputDevice
    sample_rate: int
    channels: int
    #: Rates tried before this one, with PortAudio's reason for refusing each.
    refused: tuple[str, ...] = field(default=())


class Unsupported(Exception):
    """Internal: the device refuses this rate or channel count (try another)."""


#: PortAudio error codes that mean "try other settings" rather than "busy".
_SETTINGS_ERRORS = {-9997, -9998, -9994}  # invalid sample rate, invalid channel count, sample format


class SoundCard:
    """The sound card through sounddevice/PortAudio: list, check and open input devices."""

    def __init__(self, sd: Any = None) -> None:
        self.sd = sd if sd is not None else load_sounddevice()

    def input_devices(self) -> list[InputDevice]:
        try:
            devices = self.sd.query_devices()
            hostapis = self.sd.query_hostapis()
        except self.sd.PortAudioError as exc:
            raise RecordingError(f"PortAudio cannot list the sound devices: {exc}.") from exc
        default = self.default_input_index()
        found = []
        for dev in devices:
            if int(dev["max_input_channels"]) <= 0:
                continue
            api = hostapis[dev["hostapi"]]["name"] if 0 <= dev["hostapi"] < len(hostapis) else ""
            found.append(
                InputDevice(
                    index=int(dev["index"]),
                    name=str(dev["name"]),
                    channels=int(dev["max_input_channels"]),
                    default_rate=float(dev["default_samplerate"]),
                    hostapi=api,
                    is_default=int(dev["index"]) == default,
                )
            )
        return found

    def default_input_index(self) -> Optional[int]:
        try:
            index = self.sd.default.device[0]
        except (IndexError, TypeError):
            return None
        if index is None or int(index) < 0:
            return None
        return int(index)

    def _classify(self, exc: Exception, device: InputDevice) -> Exception:
        code = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else None
        if code in _SETTINGS_ERRORS:
            return Unsupported(str(exc.args[0] if exc.args else exc))
        return RecordingError(
            f"The input device {device.index} ({device.name}) is busy or unavailable: {exc}. "
            "Close other programs using the microphone, or pick another with --device (see: coach devices)."
        )

    def check(self, device: InputDevice, sample_rate: int, channels: int) -> None:
        """Raise :class:`Unsupported` if the device refuses these settings, RecordingError if it is unusable."""
        try:
            self.sd.check_input_settings(
                device=device.index, samplerate=sample_rate, channels=channels, dtype="float32"
            )
        except self.sd.PortAudioError as exc:
            raise self._classify(exc, device) from exc
        except ValueError as exc:
            raise Unsupported(str(exc)) from exc

    def open(self, settings: StreamSettings, block_s: float = BLOCK_S) -> AbstractContextManager:
        """A context manager yielding a running input stream (see :class:`Recorder`)."""
        try:
            stream = self.sd.InputStream(
                device=settings.device.index,
                samplerate=settings.sample_rate,
                channels=settings.channels,
                dtype="float32",
                blocksize=max(1, int(round(block_s * settings.sample_rate))),
                latency=LATENCY_S,
            )
        except self.sd.PortAudioError as exc:
            error = self._classify(exc, settings.device)
            if isinstance(error, Unsupported):
                error = RecordingError(
                    f"The input device {settings.device.index} ({settings.device.name}) refused "
                    f"{settings.sample_rate} Hz, {settings.channels} channel(s): {exc}. "
                    "Pick another device with --device (see: coach devices)."
                )
            raise error from exc
        return _OpenStream(stream, self.sd.PortAudioError, settings.device)


class _OpenStream(AbstractContextManager):
    """Starts and stops a sounddevice stream; a PortAudio error while reading becomes RecordingError."""

    def __init__(self, stream: Any, error_type: type, device: InputDevice) -> None:
        self.stream = stream
        self.error_type = error_type
        self.device = device

    def __enter__(self) -> "_OpenStream":
        try:
            self.stream.start()
        except self.error_type as exc:
            self.stream.close()
            raise RecordingError(
                f"Cannot start recording from input device {self.device.index} ({self.device.name}): {exc}. "
                "It may be in use by another program; close it, or pick another with --device."
            ) from exc
        return self

    def read(self, frames: int) -> tuple[np.ndarray, bool]:
        try:
            data, overflowed = self.stream.read(frames)
        except self.error_type as exc:
            raise RecordingError(f"The input device {self.device.name} stopped delivering audio: {exc}.") from exc
        return data, bool(overflowed)

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self.stream.stop()
        except self.error_type:
            pass  # The device is already gone; closing below still frees it.
        finally:
            self.stream.close()


# -- choosing a device and settings ----------------------------------------


def find_device(devices: list[InputDevice], spec: Union[str, int, None], default_index: Optional[int] = None) -> InputDevice:
    """The input device for ``--device``: an index, part of a name, or None for the default."""
    if not devices:
        raise RecordingError(
            "No microphone found: PortAudio sees no input device. Plug in a microphone or headset "
            "(and check it is enabled in the system sound settings), then run: coach devices"
        )
    listing = "; ".join(f"{d.index}: {d.name}" for d in devices)
    if spec is None or str(spec).strip() == "":
        for dev in devices:
            if dev.index == default_index:
                return dev
        return devices[0]
    text = str(spec).strip()
    if text.lstrip("-").isdigit():
        index = int(text)
        for dev in devices:
            if dev.index == index:
                return dev
        raise RecordingError(f"There is no input device {index}. Input devices: {listing}.")
    exact = [d for d in devices if d.name.lower() == text.lower()]
    if exact:
        return exact[0]
    partial = [d for d in devices if text.lower() in d.name.lower()]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise RecordingError(f"No input device is named like {text!r}. Input devices: {listing}.")
    names = "; ".join(f"{d.index}: {d.name}" for d in partial)
    raise RecordingError(f"{text!r} matches several input devices ({names}); give the number instead.")


def candidate_rates(device: InputDevice) -> list[int]:
    """The device's own rate first, then common rates; each once."""
    rates: list[int] = []
    for rate in (int(round(device.default_rate)), *FALLBACK_RATES):
        if rate > 0 and rate not in rates:
            rates.append(rate)
    return rates


def choose_settings(device: InputDevice, check: Callable[[InputDevice, int, int], None]) -> StreamSettings:
    """The first rate (and mono, else stereo to mix down) that ``check`` accepts.

    ``check`` raises :class:`Unsupported` for settings the device refuses and
    :class:`RecordingError` when the device cannot be used at all (busy).
    """
    channel_options = [1] + ([2] if device.channels >= 2 else [])
    refused: list[str] = []
    for rate in candidate_rates(device):
        for channels in channel_options:
            try:
                check(device, rate, channels)
            except Unsupported as exc:
                refused.append(f"{rate} Hz/{channels} ch: {exc}")
                continue
            return StreamSettings(device=device, sample_rate=rate, channels=channels, refused=tuple(refused))
    raise RecordingError(
        f"The input device {device.index} ({device.name}) accepts none of the sample rates tried "
        f"({', '.join(str(r) for r in candidate_rates(device))} Hz; first refusal: {refused[0]}). "
        "Pick another with --device (see: coach devices)."
    )
