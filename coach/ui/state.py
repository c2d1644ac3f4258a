"""Session state and per-server caches of the app.

Per server (``st.cache_resource``): the Analyzer, whose Whisper model and
numba kernels are loaded and warmed once, so only the first analysis after
start pays for them. Per session (``st.session_state``): which take is on
screen and which inputs were already analysed, so a rerun (moving a slider,
typing a name) never analyses the same recording twice.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import numpy as np
import soundfile as sf
import streamlit as st

from coach.audio.decode import load_audio
from coach.audio.phone_line import phone_line_wav
from coach.history.store import History
from coach.pipeline import Analyzer, get_analyzer

CURRENT_TAKE = "vc_current_take"
SEEN_INPUTS = "vc_seen_inputs"
LAST_ERROR = "vc_last_error"


def history() -> History:
    """The take history of this server's data directory (``$COACH_DATA_DIR`` or ``./data``)."""
    found = History()
    _clean_once(str(found.data_dir))
    return found


@st.cache_resource(show_spinner=False)
def _clean_once(data_dir: str) -> bool:
    """Remove audio left by a save that crashed, once per server and data directory."""
    History(data_dir).clean_orphans()
    return True


@st.cache_resource(show_spinner="Loading the speech model (first time only)...")
def analyzer(model_name: str | None = None) -> Analyzer:
    """The warmed-up Analyzer for ``model_name`` (default: the configured model)."""
    found = get_analyzer(model_name)
    found.warm_up()
    return found


@st.cache_resource
def analysis_lock() -> threading.Lock:
    """One analysis at a time per server, so a second session can say it is waiting.

    Correctness does not depend on it (:mod:`coach.analysis.transcribe` serialises
    Whisper itself); this lock lets the page tell the rep why nothing moves.
    """
    return threading.Lock()


def current_take_id() -> int | None:
    return st.session_state.get(CURRENT_TAKE)


def set_current_take(take_id: int | None) -> None:
    st.session_state[CURRENT_TAKE] = take_id


def seen_inputs() -> dict[str, int | None]:
    """Input key (upload id, recording id, sample path) -> the take it produced (None: failed)."""
    return st.session_state.setdefault(SEEN_INPUTS, {})


def set_error(input_key: str, message: str) -> None:
    st.session_state[LAST_ERROR] = (input_key, message)


def error_for(input_key: str | None) -> str | None:
    stored = st.session_state.get(LAST_ERROR)
    if stored and input_key is not None and stored[0] == input_key:
        return stored[1]
    return None


def clear_error() -> None:
    st.session_state.pop(LAST_ERROR, None)


def _wav_bytes(samples: np.ndarray, rate: int) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


@st.cache_data(show_spinner=False, max_entries=32)
def playback_wav(audio_path: str, mtime: float) -> bytes:
    """The take decoded to a 16 kHz WAV: every browser plays it, whatever the upload was."""
    decoded = load_audio(Path(audio_path), max_duration_s=3600.0, min_duration_s=0.0)
    return _wav_bytes(decoded.samples, decoded.sample_rate)


@st.cache_data(show_spinner=False, max_entries=32)
def phone_wav(audio_path: str, mtime: float) -> bytes:
    """The take as a phone line delivers it (see :mod:`coach.audio.phone_line`)."""
    decoded = load_audio(Path(audio_path), max_duration_s=3600.0, min_duration_s=0.0)
    return phone_line_wav(decoded.samples, decoded.sample_rate)


def audio_key(path: Path) -> tuple[str, float]:
    """Cache key of a stored take's audio: its path and modification time."""
    return str(path), path.stat().st_mtime if path.exists() else 0.0
