"""Run the Streamlit app for a real browser: start it, drive Debian's Chromium, wait for reruns.

Used by the browser test and by ``scripts/screenshot.py`` (dev tooling; not
part of the ``coach`` package).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from factories.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
#: Headless Chromium on a machine with no network but loopback (see DEVELOPERS.md).
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    data_dir: Path,
    log_path: Path,
    *,
    cwd: Path = ROOT,
    start_timeout_s: float = 120,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """``streamlit run app.py`` on a free port (or ``port``) with its own data folder; yields its URL.

    Streamlit reads ``.streamlit/`` (config, secrets) from ``cwd``; ``env`` adds to the environment.
    Raises RuntimeError (with the end of the server log) when it does not come up.
    """
    port = port or free_port()
    env = dict(os.environ, COACH_DATA_DIR=str(data_dir), **(env or {}))
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout_s
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start: {Path(log_path).read_text()[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_until_idle(page, timeout_s: float = 300) -> None:
    """Wait until the script run is over and no element is stale (greyed out)."""
    time.sleep(0.5)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidgetRunningIcon]')"
        " && !document.querySelector('[data-stale=true]')",
        timeout=timeout_s * 1000,
    )
