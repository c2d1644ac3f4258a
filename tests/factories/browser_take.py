"""Record a WAV through Chromium's fake microphone into the running app.

Chromium's ``--use-file-for-fake-audio-capture`` plays a file into
``getUserMedia``; the app's ``st.audio_input`` receives it through the
browser's capture chain (WebAudio, resampling, Streamlit's WAV encoder) and
the practice page analyses and keeps the take. :func:`record_take` drives one
such recording and returns the id of the take it left in the history, so a
test (or ``scripts/capture_browser_take.py``) can read both the report and
the WAV the app received.
"""

from __future__ import annotations

import time
from pathlib import Path

from factories.app_harness import CHROMIUM, CHROMIUM_ARGS, wait_until_idle

#: Analysis on a busy shared CPU can take a while; wait up to this long for the report.
REPORT_TIMEOUT_S = 420


def browser_args(wav: Path) -> list[str]:
    return [
        *CHROMIUM_ARGS,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        # "%noloop": play the file once, then silence (Chromium loops it otherwise).
        f"--use-file-for-fake-audio-capture={wav}%noloop",
    ]


#: The live recorder's switch on the Record mode (on by default when streamlit-webrtc is installed).
LIVE_TOGGLE = "Live recorder: the report is ready when you stop"


def use_browser_recorder(page) -> None:
    """Switch the Record mode to the browser's own recorder (``st.audio_input``) when the live one is shown."""
    toggle = page.get_by_text(LIVE_TOGGLE)
    try:
        toggle.wait_for(timeout=15_000)
    except Exception:  # streamlit-webrtc not installed: the browser recorder is all there is
        return
    toggle.click()
    page.get_by_test_id("stAudioInputActionButton").wait_for()


def record_take(url: str, wav: Path, seconds: float, *, screenshot: Path | None = None) -> str:
    """Press record, let ``wav`` play for ``seconds``, press stop, wait for the report.

    ``wav`` must be a plain PCM WAV (Chromium's fake device reads nothing else).
    Returns the text of the report page.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=browser_args(wav))
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 2400}).new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            use_browser_recorder(page)
            mic = page.get_by_test_id("stAudioInputActionButton")
            mic.click()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=stAudioInputActionButton]')"
                "?.getAttribute('aria-label') !== 'Record'"
            )
            time.sleep(seconds)
            mic.click()
            page.locator(".vc-dial").wait_for(timeout=REPORT_TIMEOUT_S * 1000)
            wait_until_idle(page, REPORT_TIMEOUT_S)
            if screenshot is not None:
                page.screenshot(path=str(screenshot))
            return page.locator('[data-testid="stMain"]').inner_text()
        finally:
            browser.close()
