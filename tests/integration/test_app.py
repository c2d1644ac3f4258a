"""The Streamlit app, run headless with AppTest: the real pipeline, the real Whisper model.

Each test points ``COACH_DATA_DIR`` at its own folder, drives the app as a
user would (choose how to practise, upload or record, tick, click) and checks
both what is on the page and what is in the take history.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from coach.config import default_config
from coach.history.store import History
from coach.report import Report
from coach.rules.base import speech_bounds
from coach.rules.engine import apply
from coach.ui.safe import md_text
from coach.ui.views.report import finding_title
from factories.paths import ROOT, SAMPLES
from factories.report_factory import clean_report

APP = str(ROOT / "app.py")
#: Whisper on a shared CPU can be slow; AppTest's default is 3 s.
TIMEOUT = 600

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def choose(at: AppTest, mode: str) -> None:
    at.segmented_control(key="vc-mode").set_value(mode).run()
    assert not at.exception, at.exception


def page_markup(at: AppTest) -> list[str]:
    """Every element whose text is rendered as Markdown or HTML (not data grids or pickers)."""
    texts = []
    for kind in (
        "markdown",
        "caption",
        "subheader",
        "html",
        "error",
        "success",
        "info",
        "warning",
        "metric",
        "expander",
        "status",
        "tabs",
    ):
        for element in at.get(kind):
            proto = getattr(element, "proto", None)
            texts.append(text_format.MessageToString(proto, as_utf8=True) if proto is not None else str(element))
    return texts


def markdown_text(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def html_text(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def assert_report_shown(at: AppTest, take_id: int, history: History) -> None:
    take = history.get_take(take_id)
    assert take.report.score is not None
    assert 'class="vc-dial"' in html_text(at)
    assert f">{take.report.score.value}</div>" in html_text(at)
    shown = markdown_text(at)
    for finding in take.report.findings:
        assert md_text(finding_title(finding)) in shown
        assert md_text(finding.fix) in shown
    for strength in take.report.strengths:
        assert any(md_text(strength.name) in s.value for s in at.success)
    labels = [m.label for m in at.metric]
    assert {"Speech length", "Pace", "Longest pause", "Loudness"} <= set(labels)


def test_upload_a_sample_shows_the_report_and_keeps_the_take(data_dir: Path) -> None:
    at = start()
    at.text_input(key="vc-rep-name").set_value("Jordan Rep")
    at.text_input(key="vc-rep-number").set_value("415-555-0192")
    at.text_input(key="vc-prospect").set_value(f"Mike {HOSTILE}")
    at.text_area(key="vc-script").set_value((SAMPLES / "filler_heavy.txt").read_text() + f" {HOSTILE}")
    choose(at, "Upload a file")
    audio = (SAMPLES / "filler_heavy.wav").read_bytes()
    at.file_uploader(key="vc-upload").upload(f"{HOSTILE}.wav", audio, "audio/wav").run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]

    history = History(data_dir)
    takes = history.list_takes()
    assert len(takes) == 1
    take = history.get_take(takes[0].id)
    assert take.file_name == f"{HOSTILE}.wav" and take.source == "upload"
    assert take.context["prospect"] == f"Mike {HOSTILE}"
    assert take.audio_path.read_bytes() == audio
    assert take.report.rep is not None and take.report.rep.name == "Jordan Rep"
    assert take.report.rep.number == "415-555-0192"
    assert_report_shown(at, take.id, history)
    codes = {f.code for f in take.report.findings}
    assert "VM302" in codes, "the filler-heavy sample should be flagged for fillers"
    # The sample says 503-555-0126; "Your details" say 415-555-0192.
    assert "VM505" in codes and "VM505" in take.report.score.core
    assert "so it cannot read Ready to dial" in html_text(at)
    assert any(f.start_s is not None for f in take.report.findings)
    assert any(e.label.startswith("Listen from") for e in at.expander)
    assert "Callback number" in html_text(at) and 'title="Filler"' in html_text(at)
    # The page draws what the analysis kept: its highlights and its script diff.
    assert {"filler", "number"} <= {h.kind for h in take.report.highlights}
    assert take.report.script_diff is not None and "Your script" in [t.label for t in at.tabs]

    # The hostile file name, prospect and script reach the page only as text.
    markup = page_markup(at)
    assert len(markup) > 20
    for text in markup:
        assert "<script" not in text, text
    assert "&lt;script&gt;" in html_text(at)

    # Rerunning (e.g. changing a number in the cost calculator) does not analyse again.
    at.number_input(key=f"take-{take.id}-hours").set_value(2.0).run()
    assert not at.exception, at.exception
    assert len(history.list_takes()) == 1
    assert "Expected callbacks" in [m.label for m in at.metric]

    # The History tab lists it.
    frame = at.dataframe[0].value
    assert list(frame["Take"]) == [f"#{take.id}"] and list(frame["Score"]) == [take.score]


def _wav_bytes(samples: np.ndarray, rate: int = 16000) -> bytes:
    buf = io.BytesIO()
    sf.write(buf, samples, rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def test_bad_and_silent_input_show_an_error_and_save_nothing(data_dir: Path) -> None:
    at = start()
    choose(at, "Upload a file")
    at.file_uploader(key="vc-upload").upload(
        "notes.wav", b"These are my notes, not a recording.\n" * 20, "audio/wav"
    ).run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "notes.wav" in message and ("WAV" in message or "audio" in message.lower())
    assert History(data_dir).list_takes() == []
    assert not list((data_dir / "audio").iterdir())

    choose(at, "Record")
    silence = _wav_bytes(np.zeros(16000 * 3, dtype=np.float32))
    at.audio_input(key="vc-recorder").set_value(("recording.wav", silence, "audio/wav")).run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert len(at.error) == 1 and at.error[0].value != message
    assert History(data_dir).list_takes() == []

    # The app keeps working: the next upload is analysed and kept.
    choose(at, "Upload a file")
    at.file_uploader(key="vc-upload").upload("empty.wav", b"", "audio/wav").run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "empty" in at.error[0].value.lower()
    assert History(data_dir).list_takes() == []


def test_retake_then_compare_and_delete(data_dir: Path) -> None:
    at = start()
    choose(at, "Try a sample")
    at.selectbox(key="vc-sample").set_value("too_long.wav").run()
    at.button(key="vc-sample-go").click().run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    history = History(data_dir)
    (first,) = history.list_takes()
    assert first.source == "sample" and first.prospect == "Priya"
    assert_report_shown(at, first.id, history)

    choose(at, "Record")
    recording = (SAMPLES / "good_voicemail.wav").read_bytes()
    at.audio_input(key="vc-recorder").set_value(("recording.wav", recording, "audio/wav")).run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    second, again = history.list_takes()
    assert again.id == first.id and second.source == "record"
    assert_report_shown(at, second.id, history)
    assert "Since your last take" in [m.label for m in at.metric]

    # History: score over time, the table, and the comparison (earlier vs later by default).
    assert list(at.dataframe[0].value["Take"]) == [f"#{second.id}", f"#{first.id}"]
    a, b = history.get_take(first.id).report, history.get_take(second.id).report
    went_away = [finding_title(f) for f in a.findings if f.code not in {g.code for g in b.findings}]
    appeared = [finding_title(f) for f in b.findings if f.code not in {g.code for g in a.findings}]
    assert "VM101" in {f.code for f in a.findings} and "VM101" not in {f.code for f in b.findings}
    shown = markdown_text(at)
    for title in went_away + appeared:
        assert md_text(title) in shown
    figures = next(d.value for d in at.dataframe if "Figure" in d.value.columns)
    length = figures[figures["Figure"] == "Speech length"].iloc[0]
    assert length["Change"] == "Better"
    assert length[f"Take #{first.id}"] == f"{speech_bounds(a)[2]:.1f} s"

    # Swap the comparison: what went away now shows as new.
    at.selectbox(key="vc-cmp-a").set_value(second.id)
    at.selectbox(key="vc-cmp-b").set_value(first.id).run()
    figures = next(d.value for d in at.dataframe if "Figure" in d.value.columns)
    assert figures[figures["Figure"] == "Speech length"].iloc[0]["Change"] == "Worse"

    # Delete the first take: row and audio go, the other stays.
    audio = history.get_take(first.id).audio_path
    at.selectbox(key="vc-del").set_value(first.id)
    at.checkbox(key="vc-del-sure").check().run()
    at.button(key="vc-del-go").click().run()
    assert not at.exception, at.exception
    assert [t.id for t in history.list_takes()] == [second.id]
    assert not audio.exists()
    assert list(at.dataframe[0].value["Take"]) == [f"#{second.id}"]


def test_a_take_kept_before_highlights_still_opens(data_dir: Path) -> None:
    """A version-1 report (no highlights, no script diff) from an existing history opens as it is."""
    data = json.loads(apply(clean_report(script="Hi Dana this is Marcus"), default_config()).to_json())
    for key in ("highlights", "script_diff"):
        del data[key]
    data["schema_version"] = 1
    old = Report.from_dict(data)
    history = History(data_dir)
    take_id = history.save_take(SAMPLES / "good_voicemail.wav", old, source="cli")
    at = start()
    at.selectbox(key="vc-open").set_value(take_id).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert 'class="vc-transcript"' in html_text(at) and "<mark" not in html_text(at)
    assert any("earlier version of the coach" in c.value for c in at.caption)
    assert "Your script" not in [t.label for t in at.tabs]


def test_a_bad_number_in_your_details_is_explained_and_not_used(data_dir: Path) -> None:
    at = start()
    at.text_input(key="vc-rep-number").set_value("555").run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.sidebar.error]
    assert any("number must be a phone number with 7 to 15 digits" in e for e in errors), errors
