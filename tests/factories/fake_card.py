"""Stand-ins for the sound card, the one thing the recording tests fake (there is none in CI).

``FakeStream`` hands out blocks of a known signal the way
``sounddevice.InputStream.read`` does; ``FakeCard`` stands in for PortAudio's
device list. Everything behind that edge (the loop, the meter, soxr, the WAV
writer, the CLI) is real.
"""

from __future__ import annotations

import argparse

import numpy as np

from coach.audio import devices as dev
from coach.cli import record as cli_record


def tone(seconds: float, rate: int, *, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(round(seconds * rate))) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


class FakeStream:
    """Blocks of ``signal`` as ``InputStream.read`` returns them: (frames, channels), overflowed."""

    def __init__(self, signal: np.ndarray, on_read=None):
        self.signal = signal if signal.ndim == 2 else signal[:, None]
        self.pos = 0
        self.reads = 0
        self.on_read = on_read
        self.entered = False
        self.closed = False

    def __enter__(self):
        self.entered = True
        return self

    def __exit__(self, *exc):
        self.closed = True

    def read(self, frames):
        self.reads += 1
        if self.on_read is not None:
            self.on_read(self.reads)
        chunk = self.signal[self.pos : self.pos + frames]
        self.pos += len(chunk)
        return chunk.copy(), False


MIC = dev.InputDevice(
    index=3, name="USB Headset Mic", channels=2, default_rate=44100.0, hostapi="ALSA", is_default=True
)
BUILTIN = dev.InputDevice(index=0, name="Built-in Microphone", channels=1, default_rate=48000.0, hostapi="ALSA")


class FakeCard:
    """A sound card with one headset whose 'microphone' plays ``signal`` at 48 kHz stereo."""

    def __init__(self, signal: np.ndarray, on_read=None, refuse_default_rate=True):
        self.signal = signal
        self.on_read = on_read
        self.refuse_default_rate = refuse_default_rate
        self.opened = []

    def input_devices(self):
        return [BUILTIN, MIC]

    def default_input_index(self):
        return MIC.index

    def check(self, device, rate, channels):
        if self.refuse_default_rate and rate == 44100:
            raise dev.Unsupported("Invalid sample rate")

    def open(self, settings, block_s=dev.BLOCK_S):
        self.opened.append(settings)
        stereo = np.stack([self.signal, self.signal], axis=1) if settings.channels == 2 else self.signal
        return FakeStream(stereo, self.on_read)


def parse(argv):
    parser = argparse.ArgumentParser(prog="coach")
    cli_record.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)
