"""The sound card through sounddevice/PortAudio: list, check and open input devices.

The only edge of recording: ``sounddevice`` is imported lazily, so a machine
without PortAudio gets a :class:`~coach.errors.RecordingError` naming the
package to install instead of an import traceback, and the rest of the coach
works without it. A device is opened at a rate it accepts (its default rate
first, as that is what it does natively), mono if it can, else stereo to be
mixed down.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coach.errors import RecordingError

#: Tried after the device's default rate, in this order.
FALLBACK_RATES = (48000, 44100, 32000, 22050, 16000)
#: Seconds of audio per block read from the stream.
BLOCK_S = 0.05
#: Input latency asked of PortAudio: a generous buffer, so a busy CPU (Whisper
#: loading in the background) does not drop audio. Only the meter lags by it.
LATENCY_S = 0.25

PORTAUDIO_INSTALL = (
    "On Debian/Ubuntu: sudo apt-get install libportaudio2; on Fedora: sudo dnf install portaudio; "
    "on macOS and Windows PortAudio comes with the sounddevice wheel: "
    "pip install --force-reinstall sounddevice."
)


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

    def default_input_index(self) -> int | None:
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

    def __init__(self, stream: Any, error_type: type[BaseException], device: InputDevice) -> None:
        self.stream = stream
        self.error_type = error_type
        self.device = device

    def __enter__(self) -> _OpenStream:
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


def find_device(devices: list[InputDevice], spec: str | int | None, default_index: int | None = None) -> InputDevice:
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
