"""The live recorder's frame handling (coach.ui.views.live_recorder), with real PyAV frames."""

from __future__ import annotations

import numpy as np
import pytest

av = pytest.importorskip("av")

from coach.ui.views import live_recorder  # noqa: E402


def _frame(left: np.ndarray, right: np.ndarray, rate: int = 48000):
    """A packed s16 stereo frame, as Chromium's WebRTC audio arrives through aiortc."""
    interleaved = np.stack([left, right], axis=1).reshape(1, -1).astype(np.int16)
    frame = av.AudioFrame.from_ndarray(interleaved, format="s16", layout="stereo")
    frame.sample_rate = rate
    return frame


def test_a_stereo_s16_frame_becomes_mono_float():
    left = np.full(960, 16384, dtype=np.int16)
    right = np.zeros(960, dtype=np.int16)
    block = live_recorder.mono(_frame(left, right))
    assert block.dtype == np.float32 and block.shape == (960,)
    assert np.allclose(block, 0.25)


def test_a_planar_float_frame_becomes_mono():
    data = np.stack([np.full(480, 0.5), np.full(480, -0.1)]).astype(np.float32)
    frame = av.AudioFrame.from_ndarray(data, format="fltp", layout="stereo")
    frame.sample_rate = 48000
    assert np.allclose(live_recorder.mono(frame), 0.2)


def test_a_take_is_handed_over_once_and_late_frames_are_dropped():
    take = live_recorder.LiveTake()
    take.model = lambda: pytest.fail("a 0.2 s take is not transcribed before it ends")
    take.prompt = None
    tone = (8000 * np.sin(np.arange(960) / 10)).astype(np.int16)
    for _ in range(10):
        assert take.on_frame(_frame(tone, tone)) is not None
    assert take.seconds == pytest.approx(0.2)
    finished = take.finish()
    assert finished is not None and finished.sample_rate == 48000
    assert finished.samples.shape == (9600,)
    assert np.allclose(finished.samples[:960], tone / 32768.0, atol=1e-6)
    finished.live.cancel()
    take.on_frame(_frame(tone, tone))  # in flight when Stop was pressed: belongs to the take handed over
    assert take.finish() is None


def _timed(samples: np.ndarray, pts: int, rate: int = 48000):
    """A mono s16 frame with its RTP-style timestamp (time base 1/rate), as aiortc hands Opus frames over."""
    from fractions import Fraction

    frame = _frame(samples, samples, rate)
    frame.pts = pts
    frame.time_base = Fraction(1, rate)
    return frame


def test_every_queued_frame_is_kept_and_a_timestamp_gap_becomes_silence():
    """Frames that queued up while the worker was busy all count; a frame that never came is silence."""
    import asyncio

    take = live_recorder.LiveTake()
    take.model = lambda: pytest.fail("a short take is not transcribed before it ends")
    take.prompt = None
    tone = (8000 * np.sin(np.arange(960) / 10)).astype(np.int16)
    # Frames 0-4 arrive together (a busy worker), frame 5 is lost, frames 6-9 follow.
    first = [_timed(tone, 960 * k) for k in range(5)]
    later = [_timed(tone, 960 * k) for k in range(6, 10)]
    assert asyncio.run(take.on_frames(first)) == first
    asyncio.run(take.on_frames(later))
    finished = take.finish()
    assert finished is not None
    finished.live.cancel()
    assert finished.samples.shape == (9600,)  # ten frames' time: the take keeps its length
    assert finished.lost_s == pytest.approx(0.02)
    assert not finished.samples[4800:5760].any()  # the lost frame is silence ...
    assert np.allclose(finished.samples[5760:6720], tone / 32768.0, atol=1e-6)  # ... and the next is in its place


def test_a_timestamp_restart_is_not_filled():
    """A jump longer than MAX_GAP_S (or backwards) is a new stream, not lost audio."""
    take = live_recorder.LiveTake()
    take.model = lambda: pytest.fail("a short take is not transcribed before it ends")
    take.prompt = None
    tone = (8000 * np.sin(np.arange(960) / 10)).astype(np.int16)
    take.on_frame(_timed(tone, 10_000_000))
    take.on_frame(_timed(tone, 10_000_960))
    take.on_frame(_timed(tone, 0))
    take.on_frame(_timed(tone, 960 + int(48000 * (live_recorder.MAX_GAP_S + 1))))
    finished = take.finish()
    assert finished is not None
    finished.live.cancel()
    assert finished.samples.shape == (4 * 960,) and finished.lost_s == 0
