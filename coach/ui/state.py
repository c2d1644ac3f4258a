"""Session state and per-server caches of the app.

Per server (``st.cache_resource``): the Analyzer, whose Whisper model and
numba kernels are loaded and warmed once, so only the first analysis after
start pays for them, and the line takes wait in for it (:class:`TurnQueue`:
one analysis at a time, first come first served, each waiting page told how
many takes are ahead of it). The take history is opened in one guarded place,
:func:`open_history`, which shows why it cannot be used and how to recover;
nothing here deletes a recording. Per session (``st.session_state``): which take is on
screen and which inputs were already analysed, so a rerun (moving a slider,
typing a name) never analyses the same recording twice.
"""

from __future__ import annotations

import io
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import soundfile as sf
import streamlit as st

from coach.analysis.models import DEFAULT_MODEL, resolve_name
from coach.audio.decode import load_audio
from coach.audio.phone_line import phone_line_wav
from coach.config import load_config
from coach.errors import CoachError, DamagedHistoryError, HistoryError
from coach.history.store import History, move_aside, recording_count
from coach.pipeline import Analyzer, get_analyzer

if TYPE_CHECKING:
    pass

CURRENT_TAKE = "vc_current_take"
SEEN_INPUTS = "vc_seen_inputs"
LAST_ERROR = "vc_last_error"
HISTORY_NOTE = "vc_history_note"


def open_history(page: str) -> History | None:
    """The take history of this server (``$COACH_DATABASE_URL``, else ``$COACH_DATA_DIR`` or ``./data``), or None.

    As this session's user sees it: with sign-in on, a rep's own takes only (checked in the store).

    The one place the app opens it. When it cannot be used, the page shows
    why and what to do instead of a traceback, and gets None. A damaged
    database gets a button that moves it aside and starts a new one; the
    recordings are left where they are. ``page`` keeps the button's key
    apart on each page.
    """
    from coach.ui import auth

    try:
        found = auth.session_history()
        if found.is_default_sqlite:
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
def _warm_up(model_name: str) -> WarmUp:
    return WarmUp(model_name)


def warm_up() -> WarmUp:
    """Start warming the configured model up in the background, once per server and model: the first
    page opened starts it (app.py calls this before drawing anything), so by the time the rep has
    recorded a take the model is loaded and the first report is as fast as the tenth."""
    try:
        model = resolve_name(load_config().analysis.model)
    except CoachError:
        model = DEFAULT_MODEL  # the page says what is wrong with the settings
    return _warm_up(model)


def analyzer() -> Analyzer:
    """The warmed-up model with the settings in force now (coach.toml, as the page read it), waiting for
    the warm-up: a change saved on the Team settings tab applies to the next take, without loading the
    model again."""
    config = load_config()
    warming = _warm_up(resolve_name(config.analysis.model))
    if not warming.ready:
        with st.spinner("Loading the speech model (first time only)..."):
            warming.wait()
    return warming.analyzer.with_config(config)


class TurnQueue:
    """First come, first served: one analysis at a time, in the order the takes were submitted.

    A take gets a ticket when it is submitted (:meth:`ticket`), waits until
    every ticket before it has finished (:meth:`wait`), runs, and gives its
    turn up in :meth:`turn`'s ``finally``, so a take that fails, or a session
    the rep leaves, never holds the queue. ``on_wait(ahead)`` is called, in
    the waiting thread and outside the queue's lock, each time the number of
    takes ahead changes (the one running included), so the page can say "2
    takes ahead of yours" and count down. Thread-safe; one per process
    (:func:`analysis_queue`). Correctness does not depend on it
    (:mod:`coach.analysis.transcribe` serialises Whisper itself): it makes the
    wait fair and visible.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._line: deque[int] = deque()
        self._numbers = itertools.count(1)

    def ticket(self) -> int:
        """Join the end of the line; the ticket is this take's place until :meth:`leave`."""
        with self._changed:
            number = next(self._numbers)
            self._line.append(number)
            return number

    def ahead(self, ticket: int) -> int:
        """Takes before ``ticket`` (0: its turn)."""
        with self._changed:
            return self._line.index(ticket)

    def __len__(self) -> int:
        """Takes in the line: the one running and those waiting."""
        with self._changed:
            return len(self._line)

    def wait(self, ticket: int, on_wait: Callable[[int], None] | None = None) -> None:
        """Block until ``ticket`` is first in line, calling ``on_wait(ahead)`` whenever that count changes."""
        told: int | None = None
        while True:
            with self._changed:
                ahead = self._line.index(ticket)
                if ahead == told:
                    self._changed.wait()
                    ahead = self._line.index(ticket)
            if ahead == 0:
                return
            if ahead != told and on_wait is not None:
                on_wait(ahead)
            told = ahead

    def leave(self, ticket: int) -> None:
        """Give up ``ticket``'s place (done, failed or abandoned); the takes behind it move up."""
        with self._changed:
            if ticket in self._line:
                self._line.remove(ticket)
            self._changed.notify_all()

    @contextmanager
    def turn(self, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """A ticket, the wait for it, and its release however the block ends."""
        ticket = self.ticket()
        try:
            self.wait(ticket, on_wait)
            yield
        finally:
            self.leave(ticket)


def waiting_label(ahead: int) -> str:
    """What the page says while a take waits for its turn."""
    return f"{ahead} take{'s' if ahead != 1 else ''} ahead of yours: waiting for your turn..."


@st.cache_resource
def analysis_queue() -> TurnQueue:
    """This server process's one line for analyses (the Practice page's takes and the Review tab's batches)."""
    return TurnQueue()


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
