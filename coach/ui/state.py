"""Session state and per-server caches of the app.

Per server (``st.cache_resource``): the Analyzer, whose Whisper model and
numba kernels are loaded and warmed once, so only the first analysis after
start pays for them. The take history is opened in one guarded place,
:func:`open_history`, which shows why it cannot be used and how to recover;
nothing here deletes a recording. Per session (``st.session_state``): which take is on
screen and which inputs were already analysed, so a rerun (moving a slider,
typing a name) never analyses the same recording twice.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import streamlit as st

from coach.audio.decode import load_audio
from coach.audio.phone_line import phone_line_wav
from coach.errors import DamagedHistoryError, HistoryError
from coach.history.store import History, move_aside, recording_count
from coach.pipeline import Analyzer, get_analyzer

CURRENT_TAKE = "vc_current_take"
SEEN_INPUTS = "vc_seen_inputs"
LAST_ERROR = "vc_last_error"
HISTORY_NOTE = "vc_history_note"


def open_history(page: str) -> History | None:
    """The take history of this server's data directory (``$COACH_DATA_DIR`` or ``./data``), or None.

    The one place the app opens it. When it cannot be used, the page shows
    why and what to do instead of a traceback, and gets None. A damaged
    database gets a button that moves it aside and starts a new one; the
    recordings are left where they are. ``page`` keeps the button's key
    apart on each page.
    """
    try:
        found = History()
        _checked_once(str(found.db_path))
    except DamagedHistoryError as exc:
        st.error(str(exc), icon=":material/error:")
        if st.button(
            "Start a new history",
            key=f"vc-history-reset-{page}",
            icon=":material/restart_alt:",
            help="Renames the damaged file and starts an empty history. No recording is deleted.",
        ):
            _start_new_history()
        return None
    except HistoryError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    note = st.session_state.pop(HISTORY_NOTE, None) if page == "practice" else None
    if note:
        st.success(note, icon=":material/check_circle:")
    return found


def _start_new_history() -> None:
    """Move the damaged database aside, unless another session already has (then just redraw)."""
    try:
        History().check()
    except DamagedHistoryError:
        pass
    except HistoryError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    else:
        _checked_once.clear()
        st.rerun()
    try:
        aside = move_aside()
    except HistoryError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    _checked_once.clear()
    count = recording_count()
    st.session_state[HISTORY_NOTE] = (
        f"Started a new history. The damaged one is kept as {aside.name} in {aside.parent}, "
        f"and your {count} recording{'s are' if count != 1 else ' is'} still in {aside.parent / 'audio'}."
    )
    st.rerun()


@st.cache_resource(show_spinner=False)
def _checked_once(db_path: str) -> bool:
    """SQLite's quick check of the whole database, once per server and database (raises when damaged)."""
    History(Path(db_path).parent).check()
    return True


class WarmUp:
    """The server's Analyzer, warming up in a background thread (model load, numba, one transcription)."""

    def __init__(self, model_name: str | None) -> None:
        self.analyzer = get_analyzer(model_name)
        self.seconds: float | None = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._run, name="coach-warm-up")
        self._thread.start()

    def _run(self) -> None:
        start = time.perf_counter()
        try:
            self.analyzer.warm_up()
        except Exception as exc:  # the first analysis raises it again, with its message, where the rep sees it
            self.error = str(exc)
        self.seconds = time.perf_counter() - start

    @property
    def ready(self) -> bool:
        return not self._thread.is_alive()

    def wait(self) -> Analyzer:
        self._thread.join()
        return self.analyzer


@st.cache_resource(show_spinner=False)
def warm_up(model_name: str | None = None) -> WarmUp:
    """Start warming the Analyzer up in the background, once per server: the first page opened
    starts it (app.py calls this before drawing anything), so by the time the rep has recorded
    a take the model is loaded and the first report is as fast as the tenth."""
    return WarmUp(model_name)


def analyzer(model_name: str | None = None) -> Analyzer:
    """The warmed-up Analyzer for ``model_name`` (default: the configured model), waiting for the warm-up."""
    warming = warm_up(model_name)
    if not warming.ready:
        with st.spinner("Loading the speech model (first time only)..."):
            return warming.wait()
    return warming.analyzer


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
