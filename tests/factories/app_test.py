"""Running the Streamlit app in AppTest: the script, its time limit, a fresh start, and a hostile string."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from factories.paths import ROOT

APP = str(ROOT / "app.py")
#: Whisper on a shared CPU can be slow; AppTest's default is 3 s.
TIMEOUT = 600
#: Text that must reach the page escaped, never as markup.
HOSTILE = "<script>alert('x')</script>"


def start() -> AppTest:
    """The app, run once, with no exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at
