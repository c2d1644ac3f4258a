#!/usr/bin/env python3
"""Capture what the app receives when a recording is played into Chromium's microphone.

Run from the repository root::

    python scripts/capture_browser_take.py sample_audio/sales_pitch.wav /tmp/sales_pitch_chromium.wav

Starts ``streamlit run app.py`` with a throw-away data folder, opens it in
headless Debian Chromium whose fake audio device plays the input file once
(``--use-file-for-fake-audio-capture=F.wav%noloop``), records for the file's
length plus ``--tail`` seconds, waits for the report and copies the WAV the
app kept for the take to the output path. This is the recipe for the
"browser-captured take" the transcription tests use; the capture itself is
not kept in the repository.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from factories.app_harness import running_app  # noqa: E402
from factories.browser_take import record_take  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wav", type=Path, help="a PCM WAV to play into the fake microphone")
    parser.add_argument("out", type=Path, help="where to copy the WAV the app received")
    parser.add_argument("--tail", type=float, default=1.5, help="seconds to keep recording after the file ends")
    args = parser.parse_args()

    seconds = sf.info(str(args.wav)).duration + args.tail
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with running_app(data, Path(tmp) / "streamlit.log", cwd=Path(tmp)) as url:
            record_take(url, args.wav.resolve(), seconds)
        from coach.history.store import History

        history = History(data)
        take = history.get_take(history.list_takes()[0].id)
        shutil.copyfile(take.audio_path, args.out)
        print(f"{args.out}: {sf.info(str(args.out)).duration:.2f} s; transcript: {take.report.transcript}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
