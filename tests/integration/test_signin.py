"""Sign-in on a team server: a real OpenID Connect provider (``oidc-provider-mock``), the app, headless Chromium.

The provider runs locally with three users: Alice and Bob (reps) and Pat (a
trainer by the ``[team]`` trainers list). The app is started with a
``.streamlit/secrets.toml`` pointing at it. A visitor sees only the sign-in
button; Alice signs in, records a take through Chromium's fake microphone and
sees only her own takes (not Bob's, which is already in the history); Pat
signs in and sees the whole team. The server's log never shows a secret.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coach.config import default_config
from coach.history.access import rep
from coach.history.store import History
from coach.report import RepProfile
from coach.rules.engine import apply
from factories.app_harness import CHROMIUM, free_port, running_app, wait_until_idle
from factories.browser_take import REPORT_TIMEOUT_S, browser_args, use_browser_recorder
from factories.paths import SAMPLES
from factories.report_factory import clean_report

playwright_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")

USERS = {
    "alice": {"sub": "alice", "email": "alice@example.com", "name": "Alice Reed"},
    "bob": {"sub": "bob", "email": "bob@example.com", "name": "Bob Stone"},
    "pat": {"sub": "pat", "email": "pat@example.com", "name": "Pat Lee"},
}
CLIENT_SECRET = "client-secret-never-in-a-log-6f1e"
COOKIE_SECRET = "cookie-secret-never-in-a-log-93ab"


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up: {log.read_text()[-2000:]}")


@pytest.fixture()
def provider(tmp_path: Path):
    """``python -m oidc_provider_mock`` on a free loopback port, with the three users."""
    port = free_port()
    log = tmp_path / "oidc.log"
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for claims in USERS.values():
        args += ["--user-claims", json.dumps(claims)]
    with open(log, "w") as fh:
        proc = subprocess.Popen(args, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}/.well-known/openid-configuration", proc, log)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _seed(data: Path, wav: Path) -> None:
    """Bob's take and an older one of Alice's, as the store files them for a signed-in rep."""
    history = History(data)
    for who, name in ((USERS["bob"], "bob-take.wav"), (USERS["alice"], "alice-old.wav")):
        report = clean_report()
        report.rep = RepProfile(name=who["name"])
        history.as_actor(rep(who["email"], who["name"])).save_take(
            wav, apply(report, default_config()), source="upload", context={"file_name": name}
        )


def _sign_in(page, app_url: str, sub: str) -> None:
    page.goto(app_url)
    page.get_by_role("button", name="Sign in").click()
    page.locator(f'button[name="sub"][value="{sub}"]').click()
    page.wait_for_url(f"{app_url}/**")
    page.get_by_text(f"Signed in as {USERS[sub]['name']}").wait_for()
    wait_until_idle(page)


def test_reps_see_their_own_takes_trainers_the_team_visitors_only_the_sign_in(tmp_path: Path, provider: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    wav = tmp_path / "no_callback_number.wav"
    shutil.copyfile(SAMPLES / "no_callback_number.wav", wav)
    data = tmp_path / "data"
    _seed(data, wav)

    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        'client_id = "voicemail-coach"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "[team]\n"
        'trainers = ["PAT@example.com"]\n'
    )
    log = tmp_path / "streamlit.log"
    with (
        running_app(data, log, cwd=tmp_path, port=port) as url,
        playwright_api.sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=browser_args(wav))
        try:
            # A visitor: the sign-in button and nothing else.
            page = browser.new_context(viewport={"width": 1280, "height": 2000}).new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            page.get_by_role("button", name="Sign in").wait_for()
            wait_until_idle(page)
            body = page.locator('[data-testid="stMain"]').inner_text()
            assert "Practice" not in body and "History" not in body and "Review" not in body
            assert page.get_by_role("tab").count() == 0

            # Alice, a rep: records a take, sees her takes only.
            page = browser.new_context(viewport={"width": 1280, "height": 2400}).new_page()
            page.set_default_timeout(60_000)
            _sign_in(page, url, "alice")
            assert [t.inner_text().split(" ", 1)[-1] for t in page.get_by_role("tab").all()] == ["Practice", "History"]
            playwright_api.expect(page.get_by_role("textbox", name="Your name")).to_have_value("Alice Reed")
            use_browser_recorder(page)  # the browser's own recorder, fed by the fake microphone
            mic = page.get_by_test_id("stAudioInputActionButton")
            mic.click()
            page.wait_for_function(
                "() => document.querySelector('[data-testid=stAudioInputActionButton]')"
                "?.getAttribute('aria-label') !== 'Record'"
            )
            time.sleep(9.0)
            mic.click()
            page.locator(".vc-dial").wait_for(timeout=REPORT_TIMEOUT_S * 1000)
            wait_until_idle(page, REPORT_TIMEOUT_S)
            page.get_by_role("tab", name="History").click()
            wait_until_idle(page)
            takes_metric = page.get_by_test_id("stMetric").filter(has_text="Takes")
            assert takes_metric.get_by_test_id("stMetricValue").inner_text() == "2"
            history_text = page.locator('[data-testid="stMain"]').inner_text()
            assert "bob-take.wav" not in history_text

            # Pat, a trainer: the whole team on the Review tab.
            page = browser.new_context(viewport={"width": 1280, "height": 2400}).new_page()
            page.set_default_timeout(60_000)
            _sign_in(page, url, "pat")
            tabs = [t.inner_text().split(" ", 1)[-1] for t in page.get_by_role("tab").all()]
            assert tabs == ["Practice", "History", "Review", "Team settings"]
            review_tab = page.get_by_role("tab", name="Review")
            review_tab.click()
            wait_until_idle(page)
            team = page.get_by_test_id("stMetric").filter(has_text="Reps").first
            try:
                team.wait_for(state="visible", timeout=30_000)
            except playwright_api.Error:  # a rerun after sign-in redrew the tab bar under the click
                review_tab.click()
                team.wait_for(state="visible", timeout=60_000)
            metrics = {
                m.get_by_test_id("stMetricLabel").inner_text().strip(): m.get_by_test_id("stMetricValue").inner_text()
                for m in page.get_by_test_id("stMetric").all()
                if m.is_visible()
            }
            assert "Takes" in metrics, (metrics, page.locator('[data-testid="stMain"]').inner_text()[:3000])
            assert metrics["Takes"] == "3" and metrics["Reps"] == "2", metrics
        finally:
            browser.close()

    # The store filed the recorded take under Alice's identity, with her name from the sign-in.
    history = History(data)
    alice = history.as_actor(rep("alice@example.com"))
    mine = alice.list_takes()
    assert len(mine) == 2 and {t.rep for t in mine} == {"Alice Reed"}
    recorded = [t for t in mine if t.source == "record"]
    assert len(recorded) == 1
    assert len(history.list_takes()) == 3
    server_log = log.read_text()
    assert CLIENT_SECRET not in server_log and COOKIE_SECRET not in server_log
