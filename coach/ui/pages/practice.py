"""The Practice page: give some context, leave the message, get the report.

A script first, if the rep wants one: the builder (:mod:`coach.ui.views.builder`)
writes and lints it, and "Practise this" puts it in the teleprompter. Then
three ways in: record in the browser, upload a file, or try a sample. The
live recorder (:mod:`coach.ui.views.live_recorder`) streams the take to the
server as the rep speaks, so its report is ready about a second after stop;
the browser's own recorder (``st.audio_input``) is the fallback. A new
recording or upload is analysed as soon as it arrives (a retake is one click
away); a sample on request. Each input is analysed once per session: the
take it produced is remembered, so reruns (typing, moving a slider) only
redraw. A recording the coach cannot use shows why and what to do, and
nothing is saved. Under the report, the follow-up e-mail to send with the
voicemail (:mod:`coach.ui.views.follow_up`).
"""

from __future__ import annotations

import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from coach.audio.decode import check_file_size
from coach.config import load_config
from coach.errors import CoachError, HistoryError
from coach.history.store import History
from coach.ui import state
from coach.ui.safe import md_text, safe_filename
from coach.ui.samples import Sample, load_samples
from coach.ui.views import builder, follow_up, live_recorder, profile, theme
from coach.ui.views.report import render_report

if TYPE_CHECKING:
    from coach.analysis.streaming import LiveTranscript
    from coach.config import Config

UPLOAD_TYPES = ["wav", "mp3", "m4a", "ogg", "flac", "webm"]
MODES = ("Record", "Upload a file", "Try a sample")
MODE_ICONS = {
    "Record": ":material/mic:",
    "Upload a file": ":material/upload_file:",
    "Try a sample": ":material/library_music:",
}

STAGE_LABELS = {
    "decode": "Reading the recording",
    "acoustics": "Measuring pace, pauses, loudness and pitch",
    "transcribe": "Transcribing with Whisper",
    "text": "Finding your name, the number and the filler words",
    "rules": "Checking it against the coaching rules",
}


def render(config: Config) -> None:
    history = state.open_history("practice")
    if history is None:
        return
    builder.render(config, history)
    prospect, script = _context()
    st.subheader("Leave your message")
    mode = (
        st.segmented_control(
            "How do you want to practise?",
            MODES,
            default=MODES[0],
            key="vc-mode",
            format_func=lambda m: f"{MODE_ICONS[m]} {m}",
            label_visibility="collapsed",
        )
        or MODES[0]
    )
    max_mb = config.analysis.max_file_mb
    if mode == "Record":
        input_key = _record(history, prospect, script, max_mb)
    elif mode == "Upload a file":
        input_key = _upload(history, prospect, script, max_mb)
    else:
        input_key = _sample(history, prospect, script)

    message = state.error_for(input_key)
    if message:
        st.error(message, icon=":material/error:")
    _current_report(history, config)


def _context() -> tuple[str, str]:
    with st.expander("Who are you calling? (optional)", icon=":material/person:"):
        c1, c2 = st.columns([1, 2])
        prospect = c1.text_input(
            "Prospect's first name",
            key="vc-prospect",
            placeholder="e.g. Dana",
            help="The coach checks that you say their name.",
        )
        script = c2.text_area(
            "Your script",
            key="vc-script",
            height=140,
            placeholder="Paste the message you plan to leave. It is shown large while "
            "you record, and afterwards you see what you skipped or changed.",
        )
    return prospect.strip(), script.strip()


def _record(history: History, prospect: str, script: str, max_mb: float) -> str | None:
    if script:
        st.caption("Read from here while you record:")
        st.html(theme.teleprompter_html(script))
    if live_recorder.available() and st.toggle(
        "Live recorder: the report is ready when you stop",
        value=True,
        key="vc-live-toggle",
        help="Sends your voice to the coach as you speak, so it transcribes while you talk. "
        "Switch it off to use the browser's recorder, which sends the take when you stop.",
    ):
        return _record_live(history, prospect, script)
    audio = st.audio_input("Press the microphone, leave your message, press stop.", key="vc-recorder")
    if audio is None:
        st.caption("Tip: record the message exactly as you would leave it, then retake it until the score is green.")
        return None
    key = f"record:{audio.file_id}"
    name = f"Recording {_now_label()}.wav"
    _analyse_once(history, key, audio.getvalue(), name, "record", prospect, script, max_mb)
    return key


def _record_live(history: History, prospect: str, script: str) -> str | None:
    """The live recorder; a stopped take is saved as a 16 kHz WAV and analysed with its streamed words."""
    from coach.analysis.transcribe import initial_prompt
    from coach.audio import SAMPLE_RATE
    from coach.audio.pcm import resample, write_wav

    warming = state.warm_up()
    rep = profile.current_rep(load_config())  # the settings in force, as the analysis reads them
    finished = live_recorder.render(lambda: warming.wait().model, initial_prompt(rep, prospect or None))
    if finished is None:
        return st.session_state.get("vc-live-last")
    key = f"live:{time.time_ns()}"
    st.session_state["vc-live-last"] = key
    if finished.lost_s >= live_recorder.LOST_WARN_S:
        st.warning(
            f"{finished.lost_s:.1f} s of your take did not reach the coach (a network or CPU hiccup) and counts "
            "as silence. If the transcript has gaps, record it again, or switch the live recorder off.",
            icon=":material/wifi_off:",
        )
    name = f"Recording {_now_label()}.wav"
    with tempfile.TemporaryDirectory(prefix="coach-take-") as folder:
        path = Path(folder) / safe_filename(name)
        write_wav(path, resample(finished.samples, finished.sample_rate, SAMPLE_RATE), SAMPLE_RATE)
        _analyse(history, key, path, name, "record", prospect, script, live=finished.live)
    finished.live.cancel()  # when the analysis failed before it took the streamed words
    return key


def _upload(history: History, prospect: str, script: str, max_mb: float) -> str | None:
    uploaded = st.file_uploader(
        "Upload a voicemail (WAV, MP3, M4A, OGG, FLAC or WebM)",
        type=UPLOAD_TYPES,
        key="vc-upload",
        help=f"Up to {max_mb:g} MB ([analysis] max_file_mb).",
    )
    if uploaded is None:
        return None
    key = f"upload:{uploaded.file_id}"
    _analyse_once(history, key, uploaded.getvalue(), uploaded.name, "upload", prospect, script, max_mb)
    return key


def _sample(history: History, prospect: str, script: str) -> str | None:
    samples = load_samples()
    if not samples:
        st.info("No sample voicemails are installed (sample_audio/manifest.json is missing).")
        return None
    by_name = {s.path.name: s for s in samples}
    name = st.selectbox(
        "Sample voicemail",
        list(by_name),
        key="vc-sample",
        format_func=lambda n: _sample_label(by_name[n]),
    )
    chosen = by_name[name]
    st.caption(md_text(chosen.description))
    use_script = bool(chosen.script) and st.checkbox("Compare it with its script", value=True, key="vc-sample-script")
    if chosen.script and use_script:
        with st.expander("The sample's script"):
            st.markdown(md_text(chosen.script))
    if not st.button("Analyse this sample", type="primary", icon=":material/play_arrow:", key="vc-sample-go"):
        return st.session_state.get("vc-sample-last")
    key = f"sample:{chosen.path.name}:{prospect or chosen.prospect}:{use_script}:{script}"
    st.session_state["vc-sample-last"] = key
    _analyse(
        history,
        key,
        chosen.path,
        chosen.path.name,
        "sample",
        prospect or chosen.prospect or "",
        script or (chosen.script if use_script else "") or "",
    )
    return key


def _sample_label(sample: Sample) -> str:
    return f"{sample.title} ({sample.duration_s:.0f} s)" if sample.duration_s else sample.title


def _now_label() -> str:
    return datetime.now().strftime("%H:%M:%S")


def _analyse_once(
    history: History, key: str, data: bytes, name: str, source: str, prospect: str, script: str, max_mb: float
) -> None:
    """Analyse an upload or recording the first time its key is seen; one over the size cap is refused from
    its size, before it is written anywhere or decoded."""
    if key in state.seen_inputs():
        return
    try:
        check_file_size(name, len(data), max_mb)
    except CoachError as exc:
        state.seen_inputs()[key] = None
        state.set_error(key, str(exc))
        state.set_current_take(None)
        return
    with tempfile.TemporaryDirectory(prefix="coach-take-") as folder:
        path = Path(folder) / safe_filename(name)
        path.write_bytes(data)
        _analyse(history, key, path, name, source, prospect, script)


def _analyse(
    history: History,
    key: str,
    path: Path,
    name: str,
    source: str,
    prospect: str,
    script: str,
    live: LiveTranscript | None = None,
) -> None:
    """Run the pipeline with a progress box, save the take, make it the current one.

    ``live`` is the take's transcript streamed while it was recorded (the live recorder).
    """
    state.clear_error()
    seen = state.seen_inputs()
    with st.status("Analysing your message...", expanded=True) as status:

        def progress(stage: str) -> None:
            label = STAGE_LABELS.get(stage, stage.capitalize())
            status.update(label=f"{label}...")
            st.write(f":material/chevron_right: {label}")

        try:
            analyzer = state.analyzer()

            def waiting(ahead: int) -> None:
                status.update(label=state.waiting_label(ahead))

            with state.analysis_queue().turn(on_wait=waiting):
                status.update(label="Analysing your message...")
                report = analyzer.analyze(
                    path,
                    prospect=prospect or None,
                    script=script or None,
                    progress=progress,
                    display_name=name,
                    rep=profile.current_rep(analyzer.config),
                    live=live,
                )
            take_id = history.save_take(
                path,
                report,
                source=source,
                context={"prospect": prospect or None, "script": script or None, "source": source, "file_name": name},
            )
        except CoachError as exc:
            label = (
                "This take could not be saved"
                if isinstance(exc, HistoryError)
                else "The coach could not use this recording"
            )
            status.update(label=label, state="error", expanded=False)
            seen[key] = None
            state.set_error(key, str(exc))
            state.set_current_take(None)
            return
        total = sum(report.timings_s.values())
        status.update(label=f"Analysed in {total:.1f} s", state="complete", expanded=False)
    seen[key] = take_id
    state.set_current_take(take_id)


def _current_report(history: History, config: Config) -> None:
    take_id = state.current_take_id()
    if take_id is None:
        return
    try:
        take = history.get_take(take_id)
    except CoachError:
        state.set_current_take(None)
        return
    previous = [
        t for t in history.list_takes() if t.id != take.id and t.created_at < take.created_at and t.score is not None
    ]
    st.divider()
    render_report(take, key=f"take-{take.id}", config=config, previous_score=previous[0].score if previous else None)
    st.divider()
    follow_up.render(take, key=f"take-{take.id}")
