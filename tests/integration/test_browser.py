"""The app in a real browser: Chromium's fake microphone plays a sample voicemail.

Starts ``streamlit run app.py`` on a free port with its own data folder,
opens it in headless Debian Chromium (``/usr/bin/chromium``; Playwright's own
browser download is never used) whose fake audio device plays
``sample_audio/no_callback_number.wav`` into ``st.audio_input``. The test
types a prospect and the script, presses record, waits for the message to
play, presses stop and waits for the report: the score, the findings the
sample was written to show, and the take in the history. A screenshot of
the report is left in the test's temporary folder.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from coach.history.store import History
from coach.text.phone_numbers import same_number
from factories.accuracy import word_error_rate
from factories.app_harness import CHROMIUM, running_app, wait_until_idle
from factories.browser_take import browser_args, record_take, use_browser_recorder
from factories.paths import SAMPLES

SAMPLE = "no_callback_number.wav"
#: Analysis on a busy shared CPU can take a while; the test waits up to this long.
REPORT_TIMEOUT_S = 420

playwright_api = pytest.importorskip("playwright.sync_api")
#: Silence before the sample in the live recorder's fake microphone file (s).
LEAD_IN_S = 30.0


@pytest.fixture()
def app_url(tmp_path: Path):
    """A running ``streamlit run app.py`` with its own data folder."""
    try:
        with running_app(tmp_path / "data", tmp_path / "streamlit.log", cwd=tmp_path) as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


def test_record_in_the_browser_with_a_fake_microphone(app_url: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    manifest = {e["file"]: e for e in json.loads((SAMPLES / "manifest.json").read_text())}
    entry = manifest[SAMPLE]
    # The fake device reads a plain PCM WAV; the samples are 16 kHz mono 16-bit already.
    wav = tmp_path / SAMPLE
    shutil.copyfile(SAMPLES / SAMPLE, wav)
    script = (SAMPLES / entry["script"]).read_text().strip()

    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=browser_args(wav))
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 2400})
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(app_url)
            page.get_by_text("Who are you calling? (optional)").click()
            page.get_by_label("Prospect's first name", exact=True).fill(entry["prospect"])
            page.get_by_label("Your script", exact=True).fill(script)
            page.get_by_label("Your script", exact=True).press("Control+Enter")
            prompter = page.locator(".vc-prompter")
            prompter.wait_for()
            assert entry["prospect"] in prompter.inner_text()

            use_browser_recorder(page)
            mic = page.get_by_test_id("stAudioInputActionButton")
            assert mic.get_attribute("aria-label") == "Record"
            mic.click()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=stAudioInputActionButton]')"
                "?.getAttribute('aria-label') !== 'Record'"
            )
            time.sleep(entry["duration_s"] + 1.5)
            mic.click()

            dial = page.locator(".vc-dial")
            dial.wait_for(timeout=REPORT_TIMEOUT_S * 1000)
            wait_until_idle(page, REPORT_TIMEOUT_S)
            score = int(dial.inner_text())
            page.get_by_text("What to fix", exact=True).wait_for()
            page.get_by_test_id("stMetricLabel").filter(has_text="Pace").wait_for()
            page.screenshot(path=str(tmp_path / "report.png"))
            body = page.locator('[data-testid="stMain"]').inner_text()
        finally:
            browser.close()

    takes = History(tmp_path / "data").list_takes()
    assert len(takes) == 1
    take = History(tmp_path / "data").get_take(takes[0].id)
    assert take.source == "record" and take.prospect == entry["prospect"]
    assert score == take.score
    assert take.duration_s == pytest.approx(entry["duration_s"], abs=3.0)
    # What the microphone heard is the sample: the transcript follows its script.
    assert word_error_rate(script, take.report.transcript) < 0.35, take.report.transcript
    codes = {f.code for f in take.report.findings}
    # The sample was written to show these two (manifest: no-callback-number, asks-for-callback).
    assert {"VM501", "VM504"} <= codes, f"{codes}: {take.report.transcript}"
    assert "No callback number" in body and "Asks for callback" in body
    assert "How to fix" in body
    assert (tmp_path / "report.png").stat().st_size > 10_000


def _one_digit_apart(said: str, want: str) -> bool:
    """True when ``said`` is ``want`` with at most one digit misread, dropped or added."""
    if said == want:
        return True
    if len(said) == len(want):
        return sum(a != b for a, b in zip(said, want, strict=True)) == 1
    return same_number(said, want)


def test_a_browser_take_keeps_every_word(app_url: str, tmp_path: Path) -> None:
    """What Chromium's capture chain delivers is transcribed in full, its last words timed to the voice.

    Through the browser, ``rushed_number.wav`` once came back as "... You can reach me at 206-55-":
    stock Whisper with word timestamps started its second window past the number. The take must keep
    the callback number, say nothing is missing, and no word may outlast the voice.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    manifest = {e["file"]: e for e in json.loads((SAMPLES / "manifest.json").read_text())}
    entry = manifest["rushed_number.wav"]
    wav = tmp_path / "rushed_number.wav"
    shutil.copyfile(SAMPLES / "rushed_number.wav", wav)
    record_take(app_url, wav, entry["duration_s"] + 1.5)

    history = History(tmp_path / "data")
    (listed,) = history.list_takes()
    report = history.get_take(listed.id).report
    quality = report.transcript_quality
    assert quality is not None and quality.complete, quality
    # The whole number is there: the cut-off take read "206-55-". One digit of the rattled-off number may be
    # misread (tiny.en now and then writes "555" as "550" or "55", more often in the unprompted recovery
    # pass, which is what CI's browser take went through: "2065500171").
    said = [n.digits for n in report.metrics.phone_numbers]
    assert any(_one_digit_apart(d, entry["phone_digits"][0]) for d in said), report.transcript
    assert "VM501" not in {f.code for f in report.findings}
    script = (SAMPLES / entry["script"]).read_text()
    assert word_error_rate(script, report.transcript) < 0.2, report.transcript
    assert report.words[-1].end <= report.metrics.speech_end_s + 1e-6


def test_the_live_recorder_streams_the_take_and_reports_at_stop(app_url: str, tmp_path: Path) -> None:
    """streamlit-webrtc, offline (no STUN server): Chromium's fake microphone streams a sample to the server.

    The take is transcribed while it plays; after Stop the report is made and kept, with the sample's
    number and every word (the streamed words are used when the saved take is the streamed audio:
    tests/integration/test_streaming.py).
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    pytest.importorskip("streamlit_webrtc")
    manifest = {e["file"]: e for e in json.loads((SAMPLES / "manifest.json").read_text())}
    entry = manifest["good_voicemail.wav"]
    # Chromium's fake microphone starts playing its file when the page asks for the microphone, before the
    # WebRTC connection is up (seconds on a busy machine); a rep starts speaking once "Recording" shows.
    # So the file starts with LEAD_IN_S of silence and the sample follows it.
    import numpy as np
    import soundfile as sf

    voice, rate = sf.read(SAMPLES / "good_voicemail.wav", dtype="float32")
    wav = tmp_path / "good_voicemail.wav"
    sf.write(wav, np.concatenate([np.zeros(int(LEAD_IN_S * rate), np.float32), voice]), rate, subtype="PCM_16")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=browser_args(wav))
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 2400}).new_page()
            page.set_default_timeout(120_000)
            page.goto(app_url)
            recorder = page.frame_locator("iframe[title*='webrtc']").first
            recorder.get_by_role("button", name="Record").click()
            clicked = time.monotonic()
            page.get_by_text("Recording: your message is transcribed as you speak").wait_for()
            assert time.monotonic() - clicked < LEAD_IN_S, "the connection took longer than the lead-in"
            time.sleep(max(0.0, LEAD_IN_S + entry["duration_s"] + 1.5 - (time.monotonic() - clicked)))
            recorder.get_by_role("button", name="Stop").click()
            page.locator(".vc-dial").wait_for(timeout=REPORT_TIMEOUT_S * 1000)
            wait_until_idle(page, REPORT_TIMEOUT_S)
            body = page.locator('[data-testid="stMain"]').inner_text()
        finally:
            browser.close()
    assert "Analysed in" in body or "What to fix" in body or "Ready to dial" in body
    history = History(tmp_path / "data")
    (listed,) = history.list_takes()
    report = history.get_take(listed.id).report
    assert listed.source == "record"
    assert report.transcript_quality is not None and report.transcript_quality.complete
    assert [n.digits for n in report.metrics.phone_numbers][:1] == entry["phone_digits"][:1], report.transcript
    script = (SAMPLES / entry["script"]).read_text()
    assert word_error_rate(script, report.transcript) < 0.2, report.transcript
