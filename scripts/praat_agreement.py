"""Print a markdown table: coach.analysis.acoustics figures vs Praat's on the real-speech clips.

Usage: python scripts/praat_agreement.py [REALSPEECH_DIR]

The reference figures come from ../shared/realspeech/manifest.csv (Praat
6.1.38: pitch 75-500 Hz autocorrelation; pauses from "To TextGrid (silences)"
at -25 dB re peak, 0.25 s minimum pause). Our pauses are counted with the
same 0.25 s minimum so the counts are comparable.
"""

from __future__ import annotations

import csv
import math
import statistics
import sys
import time
from pathlib import Path

from coach.analysis.acoustics import measure, warm_up
from coach.audio.decode import load_audio

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "realspeech"
PRAAT_MIN_PAUSE_S = 0.25


def semitones(a: float, b: float) -> float:
    return 12.0 * math.log2(a / b)


def rows(directory: Path):
    with (directory / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            path = directory / row["file"]
            if not path.exists():
                continue
            audio = load_audio(path)
            started = time.perf_counter()
            result = measure(audio.samples, audio.sample_rate, min_pause_s=PRAAT_MIN_PAUSE_S, name=path.name)
            elapsed = time.perf_counter() - started
            yield row, audio, result, elapsed


def main(argv: list[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    if not (directory / "manifest.csv").exists():
        print(f"no manifest.csv in {directory}", file=sys.stderr)
        return 1
    warm_up()
    print(
        "| clip | span s (Praat) | lead s | trail s | pauses (Praat) | max pause s (Praat) "
        "| F0 median Hz (Praat) | F0 SD st (Praat) | ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    errors = {"span": [], "lead": [], "trail": [], "f0": [], "sd": [], "npause": []}
    for row, _audio, m, elapsed in rows(directory):
        p_span = float(row["speech_span_s"])
        p_f0 = float(row["f0_median_hz"])
        p_sd = float(row["f0_sd_semitones"])
        p_n = int(row["n_pauses_internal"])
        p_max = float(row["pause_max_internal_s"])
        errors["span"].append(abs(m.speech_span_s - p_span))
        errors["lead"].append(abs(m.leading_silence_s - float(row["leading_silence_s"])))
        errors["trail"].append(abs(m.trailing_silence_s - float(row["trailing_silence_s"])))
        errors["f0"].append(abs(semitones(m.pitch_median_hz, p_f0)))
        errors["sd"].append(abs((m.pitch_variation_st or 0.0) - p_sd))
        errors["npause"].append(abs(len(m.pauses) - p_n))
        print(
            f"| {row['file']} | {m.speech_span_s:.2f} ({p_span:.2f}) "
            f"| {m.leading_silence_s:.2f} ({float(row['leading_silence_s']):.2f}) "
            f"| {m.trailing_silence_s:.2f} ({float(row['trailing_silence_s']):.2f}) "
            f"| {len(m.pauses)} ({p_n}) | {m.longest_pause_s:.2f} ({p_max:.2f}) "
            f"| {m.pitch_median_hz:.1f} ({p_f0:.1f}) "
            f"| {m.pitch_variation_st:.2f} ({p_sd:.2f}) | {elapsed * 1000:.0f} |"
        )
    med = {k: statistics.median(v) for k, v in errors.items() if v}
    print()
    print(
        f"Median absolute difference: span {med['span']:.2f} s, leading {med['lead']:.2f} s, "
        f"trailing {med['trail']:.2f} s, pause count {med['npause']:.0f}, "
        f"F0 median {med['f0']:.2f} st ({(2 ** (med['f0'] / 12) - 1) * 100:.1f} %), "
        f"F0 SD {med['sd']:.2f} st."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
