"""The live recorder: the browser streams the microphone to the server while the rep speaks.

``st.audio_input`` hands the take over only when the rep presses stop, so the
whole take is transcribed after it. Here streamlit-webrtc sends the
microphone's audio over WebRTC as it is captured (20 ms frames, usually
48 kHz); each frame is fed to a :class:`coach.analysis.streaming.LiveTranscript`
as ``coach record`` feeds its blocks, so when the rep presses stop only the
last chunk is left to transcribe. No STUN or TURN server: the browser and the
server meet on the machine's own addresses (an empty ICE server list), which
is what a rep running the app on their own computer needs, offline included.

Every frame counts. streamlit-webrtc's per-frame callback keeps only the
newest frame when its worker falls behind (a busy CPU, Whisper decoding a
chunk): the take would lose audio. The recorder takes the queued-frames
callback, which is handed every frame that arrived. Frames that never
arrived (packets lost, or silence the browser did not send) show as a jump
in the frames' timestamps; the gap is filled with silence, so the take keeps
its real length and every pause its real duration.

The page falls back to ``st.audio_input`` when streamlit-webrtc is not
installed, and the rep can switch to it.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from coach.analysis.streaming import LiveTranscript

log = logging.getLogger(__name__)

#: Frames that arrive this soon after a take was handed over belong to it (they are dropped).
LATE_FRAMES_S = 0.5
#: A jump in the frames' timestamps up to this long is audio that did not arrive: filled with silence (s).
#: A longer one is a new stream (timestamps restarted), not a gap.
MAX_GAP_S = 5.0
#: The rep is told when this much of a take did not arrive (s).
LOST_WARN_S = 0.5
_SCALE = {"s16": 32768.0, "s16p": 32768.0, "s32": 2147483648.0, "s32p": 2147483648.0}


def available() -> bool:
    """True when streamlit-webrtc (and so aiortc) is installed and the app runs in a Streamlit server.

    streamlit-webrtc needs the server's session manager; Streamlit's ``AppTest``
    runs the script against a stand-in runtime, where the page shows the
    browser's recorder instead.
    """
    if importlib.util.find_spec("streamlit_webrtc") is None:
        return False
    from streamlit.runtime import Runtime

    return Runtime.exists() and type(Runtime.instance()) is Runtime


@dataclass
class FinishedTake:
    """A take the rep stopped: its mono samples at the browser's rate and its streamed transcript."""

    samples: np.ndarray
    sample_rate: int
    live: LiveTranscript
    lost_s: float = 0.0  # audio that never arrived, filled with silence (s)


def mono(frame) -> np.ndarray:
    """A PyAV audio frame as mono float32 in [-1, 1] (channels averaged)."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if frame.format.is_planar:
        block = data.reshape(channels, -1).mean(axis=0)
    else:
        block = data.reshape(-1, channels).mean(axis=1)
    scale = _SCALE.get(frame.format.name, 1.0)
    return (np.asarray(block, dtype=np.float64) / scale).astype(np.float32)


def _start_s(frame) -> float | None:
    """When a frame starts in its stream (s), from its timestamp; None when it has none."""
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * frame.time_base)


class LiveTake:
    """One session's take as it streams in (frames arrive on streamlit-webrtc's worker thread)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parts: list[np.ndarray] = []
        self._rate = 0
        self._live: LiveTranscript | None = None
        self._closed_at = -1e9
        self._next_pts: float | None = None  # where the next frame should start (s, stream time)
        self.filled_s = 0.0  # silence put in for frames that did not arrive, this take
        self.model: Callable[[], object] | None = None
        self.prompt: str | None = None

    async def on_frames(self, frames: list) -> list:
        """streamlit-webrtc's queued-frames callback: every frame that arrived since the last call, in order."""
        for frame in frames:
            self.on_frame(frame)
        return frames

    def on_frame(self, frame):
        """Keep one frame (filling a timestamp gap before it with silence), feed it to the transcript."""
        block = mono(frame)
        with self._lock:
            if time.monotonic() - self._closed_at < LATE_FRAMES_S or self.model is None:
                return frame
            if self._live is None or frame.sample_rate != self._rate:
                if self._live is not None:
                    self._live.cancel()
                self._parts, self._rate = [], int(frame.sample_rate)
                self._live = LiveTranscript(self.model, self._rate, prompt=self.prompt)
                self._next_pts, self.filled_s = None, 0.0
            start = _start_s(frame)
            if start is not None and self._next_pts is not None:
                gap = int(round((start - self._next_pts) * self._rate))
                if 0 < gap <= MAX_GAP_S * self._rate:
                    silence = np.zeros(gap, np.float32)
                    self._parts.append(silence)
                    self._live.feed(silence)
                    self.filled_s += gap / self._rate
            self._next_pts = None if start is None else start + block.size / self._rate
            self._parts.append(block)
            self._live.feed(block)
        return frame

    @property
    def seconds(self) -> float:
        with self._lock:
            return sum(p.size for p in self._parts) / self._rate if self._rate else 0.0

    def finish(self) -> FinishedTake | None:
        """The take so far, handed over once (None when nothing was recorded)."""
        with self._lock:
            live, parts, rate, lost = self._live, self._parts, self._rate, self.filled_s
            self._live, self._parts, self._next_pts, self.filled_s = None, [], None, 0.0
            self._closed_at = time.monotonic()
        if live is None or not parts:
            return None
        if lost:
            log.warning("live take: %.2f s of audio did not arrive and was filled with silence", lost)
        return FinishedTake(np.concatenate(parts), rate, live, lost)


def render(model: Callable[[], object], prompt: str | None) -> FinishedTake | None:
    """Draw the live recorder; the take once the rep has stopped (else None).

    ``model`` returns the Whisper model (from the server's warm-up, without
    Streamlit calls: it runs on the transcription thread); ``prompt`` is file
    analysis's prompt for this take.
    """
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    take: LiveTake = st.session_state.setdefault("vc-live-take", LiveTake())
    take.model, take.prompt = model, prompt
    ctx = webrtc_streamer(
        key="vc-live",
        mode=WebRtcMode.SENDONLY,
        rtc_configuration={"iceServers": []},
        media_stream_constraints={"audio": True, "video": False},
        queued_audio_frames_callback=take.on_frames,
        translations={"start": "Record", "stop": "Stop"},
    )
    was_playing = st.session_state.get("vc-live-playing", False)
    st.session_state["vc-live-playing"] = ctx.state.playing
    if ctx.state.playing:
        st.caption(":material/radio_button_checked: Recording: your message is transcribed as you speak. Press Stop.")
        return None
    if not was_playing:
        return None  # a rerun while the connection is being set up, or with no take: nothing has stopped
    return take.finish()
