"""Many reps at once: N headless Chromium sessions upload a voicemail to one app server and wait for the report.

Usage: ``python bench/load.py [--sessions 1,5,20] [--sample sample_audio/good_voicemail.wav]
[--url http://127.0.0.1:8501] [--round-timeout 900]`` (``make load``). Prints a table; nothing is asserted.

- Without ``--url`` it starts the app itself (``streamlit run app.py`` on a
  free loopback port, its own empty history in a temporary folder, as the
  browser test does) and warms it up with one take that is not counted;
  with ``--url`` it drives an app that is already running (its history then
  keeps the takes).
- Each round opens N pages in one Debian Chromium (``/usr/bin/chromium``,
  never Playwright's download), lets each load the Practice page and choose
  "Upload a file", then gives every page the file at once (the same bytes
  each time: the app analyses each upload; the history keeps them all).
  A page's time to report runs from its upload to the score dial on its page.
- The app analyses one take at a time per process (the others wait in line,
  each told how many takes are ahead), so on 2 cores N = 20 takes about 20
  times one take. Each round is bounded by ``--round-timeout`` seconds; pages
  without a report by then are counted as such.

On a shared machine numbers move with the load; the figures in docs/deploy.md
name the command and the machine that gave them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from factories.app_harness import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

#: Every page in a round loads this tall so the report is drawn without scrolling.
VIEWPORT = {"width": 1280, "height": 1600}


async def _open(browser, url: str, timeout_s: float):
    """A fresh session on the Practice page, set to upload."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    await page.goto(url)
    await page.get_by_text("Upload a file", exact=True).click()
    await page.locator(".st-key-vc-upload input[type=file]").wait_for(state="attached")
    return page


async def _take(page, sample: Path, timeout_s: float) -> tuple[float | None, str]:
    """Upload ``sample`` and wait for the score dial (or an error): (seconds, outcome)."""
    start = time.perf_counter()
    await page.locator(".st-key-vc-upload input[type=file]").set_input_files(str(sample))
    dial = page.locator(".vc-dial")
    error = page.locator('[data-testid="stAlertContentError"]')
    try:
        await dial.or_(error).first.wait_for(state="visible", timeout=timeout_s * 1000)
    except Exception:  # playwright's TimeoutError: no report in the round's time
        return None, "no report in time"
    if await error.count():
        return None, "error: " + (await error.first.inner_text())[:120]
    return time.perf_counter() - start, "report"


async def _round(url: str, sample: Path, n: int, timeout_s: float) -> tuple[list[float], list[str], float]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = await asyncio.gather(*(_open(browser, url, timeout_s) for _ in range(n)))
            start = time.perf_counter()
            results = await asyncio.gather(*(_take(page, sample, timeout_s) for page in pages))
            wall = time.perf_counter() - start
        finally:
            await browser.close()
    times = [t for t, _ in results if t is not None]
    problems = [outcome for t, outcome in results if t is None]
    return times, problems, wall


def _percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", default="1,5,20", help="comma-separated N (default 1,5,20)")
    parser.add_argument("--sample", type=Path, default=ROOT / "sample_audio" / "good_voicemail.wav")
    parser.add_argument("--url", help="an app that is already running (default: start one here)")
    parser.add_argument("--round-timeout", type=float, default=900.0, help="seconds each round may take")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium).", file=sys.stderr)
        return 2
    sizes = [int(s) for s in args.sessions.split(",") if s.strip()]
    began = time.perf_counter()
    with ExitStack() as stack:
        url = args.url
        if url is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="coach-load-")))
            url = stack.enter_context(running_app(folder / "data", folder / "server.log"))
            warm, _, _ = asyncio.run(_round(url, args.sample, 1, args.round_timeout))
            print(f"app at {url}; warm-up take (model load included): {warm[0] if warm else float('nan'):.1f} s")
        print(f"sample: {args.sample.name}; cores: {os.cpu_count()}; round limit: {args.round_timeout:.0f} s")
        print(f"{'N':>4} {'reports':>8} {'p50 s':>8} {'p95 s':>8} {'max s':>8} {'round s':>8}")
        for n in sizes:
            times, problems, wall = asyncio.run(_round(url, args.sample, n, args.round_timeout))
            if times:
                p50, p95, most = _percentile(times, 50), _percentile(times, 95), max(times)
                print(f"{n:>4} {len(times):>5}/{n:<2} {p50:>8.1f} {p95:>8.1f} {most:>8.1f} {wall:>8.1f}")
            else:
                print(f"{n:>4} {0:>5}/{n:<2} {'-':>8} {'-':>8} {'-':>8} {wall:>8.1f}")
            for problem in sorted(set(problems)):
                print(f"     {problems.count(problem)} x {problem}")
    print(f"whole run: {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
