#!/usr/bin/env python3
"""Take the README's screenshot of the app: a report page, in headless Chromium.

Run from the repository root::

    python scripts/screenshot.py                    # -> docs/screenshot.png
    python scripts/screenshot.py --sample dead_air.wav --out /tmp/shot.png
    python scripts/screenshot.py --review           # -> docs/review.png

Starts ``streamlit run app.py`` on a free port with a throw-away data folder,
opens it in Debian's Chromium (``/usr/bin/chromium``, driven by Playwright;
``playwright install`` is never needed), fills in the prospect, picks a
sample under "Try a sample", analyses it and saves a picture of the page
from the header down to the end of the report's transcript.

With ``--review``, it first puts a small team into the data folder (the
sample voicemails in one folder per rep, through ``coach batch``'s code,
with a trainer's note and override on one take), opens the Review tab and
saves it from the team figures down to the table of takes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from factories.app_harness import CHROMIUM, CHROMIUM_ARGS, running_app, wait_until_idle  # noqa: E402


def shoot(url: str, sample: str, prospect: str, out: Path, width: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 4400}, device_scale_factor=1)
            page.set_default_timeout(60_000)
            page.goto(url)
            page.get_by_text("Who are you calling? (optional)").click()
            field = page.get_by_label("Prospect's first name", exact=True)
            field.fill(prospect)
            field.press("Enter")
            wait_until_idle(page)
            page.get_by_role("radio", name="Try a sample").click()
            wait_until_idle(page)
            page.get_by_test_id("stSelectbox").filter(has_text="Sample voicemail").click()
            stem = Path(sample).stem.replace("_", " ").capitalize()
            page.get_by_role("option").filter(has_text=stem).first.click()
            wait_until_idle(page)
            page.get_by_role("button", name=re.compile("Analyse this sample")).click()
            page.locator(".vc-dial").wait_for(timeout=600_000)
            wait_until_idle(page)
            page.mouse.move(0, 0)
            time.sleep(1.0)
            tabs = page.get_by_test_id("stTabs").last.bounding_box()
            height = int(tabs["y"] + tabs["height"] + 24) if tabs else 2400
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), clip={"x": 0, "y": 0, "width": width, "height": height})
        finally:
            browser.close()


#: The team of the Review screenshot: rep -> sample voicemails.
TEAM = {
    "Alex Kim": ["filler_heavy", "good_voicemail"],
    "Bo Diaz": ["no_callback_number", "rushed_number"],
    "Casey Lin": ["too_long", "sales_pitch", "dead_air"],
}


def populate_team(data_dir: Path, folder: Path) -> None:
    """The sample voicemails, one folder per rep, analysed into ``data_dir`` by the batch code."""
    import shutil

    from coach.batch import run_batch
    from coach.config import load_config
    from coach.history.store import History

    for rep, names in TEAM.items():
        (folder / rep).mkdir(parents=True)
        for name in names:
            shutil.copyfile(ROOT / "sample_audio" / f"{name}.wav", folder / rep / f"{name}.wav")
    history = History(data_dir)
    outcome = run_batch([folder], history, load_config(), workers=1)
    assert not outcome.failed, outcome.failed
    takes = {t.file_name.rsplit("/", 1)[-1]: t.id for t in history.list_takes()}
    history.add_note(takes["filler_heavy.wav"], "Breathe instead of saying um here", at_s=4.0, author="Pat")
    rushed = history.get_take(takes["rushed_number.wav"])
    history.dismiss_finding(rushed.id, rushed.report.findings[-1].code, "Fine for this prospect", author="Pat")


def shoot_review(url: str, out: Path, width: int) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 3000}, device_scale_factor=1)
            page.set_default_timeout(120_000)
            page.goto(url)
            wait_until_idle(page)
            page.get_by_role("tab", name=re.compile("Review")).click()
            wait_until_idle(page)
            page.get_by_text("Your team").first.wait_for()
            page.mouse.move(0, 0)
            time.sleep(2.0)
            top = page.get_by_text("Your team").first.bounding_box()
            caption = page.get_by_text(re.compile(r"^\d+ of \d+ takes\.")).first.bounding_box()
            sidebar = page.get_by_test_id("stSidebar").bounding_box()
            x0 = int(sidebar["x"] + sidebar["width"]) if sidebar else 0
            y0 = int(top["y"] - 16) if top else 0
            y1 = int(caption["y"] + caption["height"] + 16) if caption else 2400
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), clip={"x": x0, "y": y0, "width": width - x0, "height": y1 - y0})
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="filler_heavy.wav", help="file in sample_audio/ to analyse")
    parser.add_argument("--prospect", default=None, help="prospect name (default: the sample's)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--review", action="store_true", help="the Review tab with a small team (docs/review.png)")
    args = parser.parse_args()
    if args.review:
        out = args.out if args.out != ROOT / "docs" / "screenshot.png" else ROOT / "docs" / "review.png"
        with tempfile.TemporaryDirectory(prefix="coach-shot-") as tmp:
            populate_team(Path(tmp) / "data", Path(tmp) / "team")
            with running_app(Path(tmp) / "data", Path(tmp) / "streamlit.log") as url:
                shoot_review(url, out, args.width)
        print(f"saved {out}")
        return 0
    manifest = {e["file"]: e for e in json.loads((ROOT / "sample_audio" / "manifest.json").read_text())}
    if args.sample not in manifest:
        parser.error(f"unknown sample {args.sample!r}; choose from: {', '.join(manifest)}")
    prospect = args.prospect or manifest[args.sample].get("prospect") or ""
    with (
        tempfile.TemporaryDirectory(prefix="coach-shot-") as tmp,
        running_app(Path(tmp) / "data", Path(tmp) / "streamlit.log") as url,
    ):
        shoot(url, args.sample, prospect, args.out, args.width)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
