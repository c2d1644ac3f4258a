"""Where the tests find the project, its samples and the real-speech reference set."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_audio"
#: 20 real recordings with Praat figures, beside the checkout (never copied into it).
REALSPEECH = ROOT.parent / "shared" / "realspeech"
