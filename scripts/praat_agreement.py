"""Print a markdown table: coach.analysis.acoustics figures vs Praat's on the real-speech clips.

Usage: python scripts/praat_agreement.py [--compare] [REALSPEECH_DIR]

The reference figures come from ../shared/realspeech/manifest.csv (Praat
6.1.38: pitch 75-500 Hz autocorrelation; pauses from "To TextGrid (silences)"
at -25 dB re peak, 0.25 s minimum pause). Our pauses are counted with the
same 0.25 s minimum so the counts are comparable.

``--compare`` prints one summary line per alternative instead: the module as it
is, then with librosa's pitch trackers or librosa.effects.split in place of the
hand-written parts (the figures quoted in coach/analysis/acoustics.py). It
takes a few minutes: librosa.pyin is slow.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from coach.analysis import acoustics
from coach.analysis.acoustics import measure, warm_up
from coach.audio.decode import load_audio
from coach.audio.dsp import librosa

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "realspeech"
PRAAT_MIN_PAUSE_S = 0.25


def semitones(a: float, b: float) -> float:
    return 12.0 * math.log2(a / b)


def load(directory: Path) -> list[tuple[dict, Any]]:
    with (directory / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(row, load_audio(directory / row["file"])) for row in rows if (directory / row["file"]).exists()]


def run(clips: list[tuple[dict, Any]], table: bool) -> tuple[dict[str, float], float]:
    """Measure every clip; print the table rows if ``table``; median absolute differences and total time."""
    errors: dict[str, list[float]] = {"span": [], "lead": [], "trail": [], "f0": [], "sd": [], "npause": []}
    total = 0.0
    for row, audio in clips:
        _current["samples"], _current["rate"] = audio.samples, audio.sample_rate
        started = time.perf_counter()
        m = measure(audio.samples, audio.sample_rate, min_pause_s=PRAAT_MIN_PAUSE_S, name=row["file"])
        elapsed = time.perf_counter() - started
        total += elapsed
        p_span = float(row["speech_span_s"])
        p_f0 = float(row["f0_median_hz"])
        p_sd = float(row["f0_sd_semitones"])
        p_n = int(row["n_pauses_internal"])
        p_max = float(row["pause_max_internal_s"])
        errors["span"].append(abs(m.speech_span_s - p_span))
        errors["lead"].append(abs(m.leading_silence_s - float(row["leading_silence_s"])))
        errors["trail"].append(abs(m.trailing_silence_s - float(row["trailing_silence_s"])))
        errors["f0"].append(abs(semitones(m.pitch_median_hz or p_f0, p_f0)))
        errors["sd"].append(abs((m.pitch_variation_st or 0.0) - p_sd))
        errors["npause"].append(abs(len(m.pauses) - p_n))
        if table:
            print(
                f"| {row['file']} | {m.speech_span_s:.2f} ({p_span:.2f}) "
                f"| {m.leading_silence_s:.2f} ({float(row['leading_silence_s']):.2f}) "
                f"| {m.trailing_silence_s:.2f} ({float(row['trailing_silence_s']):.2f}) "
                f"| {len(m.pauses)} ({p_n}) | {m.longest_pause_s:.2f} ({p_max:.2f}) "
                f"| {m.pitch_median_hz:.1f} ({p_f0:.1f}) "
                f"| {m.pitch_variation_st:.2f} ({p_sd:.2f}) | {elapsed * 1000:.0f} |"
            )
    med = {k: statistics.median(v) for k, v in errors.items() if v}
    med["f0_max"] = max(errors["f0"])
    return med, total


# --------------------------------------------------------------------------- alternatives for --compare

_current: dict[str, Any] = {}


def librosa_yin(x, sample_rate, hop, *, candidates=None, fmin=acoustics.F0_MIN_HZ, fmax=acoustics.F0_MAX_HZ):
    """librosa.yin's F0, with YIN's aperiodicity d'(tau) at its lag computed here (librosa does not return it).

    Frames of 38 ms (the span of acoustics.yin's frame: 25 ms window + 13 ms
    longest lag); d(tau) over the frame's N - tau overlapping samples, at tau =
    floor and ceil of the period (the trough is one of them: the smaller).
    """
    n = 1 + len(x) // hop
    length = int(round(0.038 * sample_rate)) // 2 * 2
    f0 = librosa.yin(x, fmin=fmin, fmax=fmax, sr=sample_rate, frame_length=length, hop_length=hop)[:n]
    aperiodicity = np.ones(n)
    idx = np.flatnonzero(np.isfinite(f0) if candidates is None else candidates & np.isfinite(f0))
    padded = np.pad(np.asarray(x, np.float64), (length // 2, length // 2))
    frames = librosa.util.frame(padded, frame_length=length, hop_length=hop, axis=0)[idx]
    period = sample_rate / f0[idx]
    aperiodicity[idx] = np.minimum(
        _cmnd_at(frames, np.floor(period).astype(int)), _cmnd_at(frames, np.ceil(period).astype(int))
    )
    if candidates is not None:
        f0 = np.where(candidates, f0, np.nan)
    return f0, aperiodicity


def _cmnd_at(frames: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """YIN's cumulative mean normalised difference of each frame (row) at its own lag ``tau``, in O(N)."""
    n, length = frames.shape
    rows = np.arange(n)
    later = np.minimum(np.arange(length)[None, :] + tau[:, None], length - 1)
    inside = np.arange(length)[None, :] + tau[:, None] < length
    energy = np.concatenate((np.zeros((n, 1)), np.cumsum(frames**2, axis=1)), axis=1)  # C[i] = sum_{j<i} y_j^2
    energy_sums = np.concatenate((np.zeros((n, 1)), np.cumsum(energy, axis=1)), axis=1)  # sum_{j<i} C[j]
    prefix = np.concatenate((np.zeros((n, 1)), np.cumsum(frames, axis=1)), axis=1)  # sum_{j<i} y_j
    total = energy[:, length]
    # r(tau) and sum_{k=1..tau} r(k), with r(k) = sum_{m<N-k} y_m y_{m+k}
    r_tau = np.sum(frames * np.where(inside, frames[rows[:, None], later], 0.0), axis=1)
    r_sum = np.sum(frames * (prefix[rows[:, None], later + 1] - prefix[:, 1:]), axis=1)
    # d(k) = C[N-k] + (C[N] - C[k]) - 2 r(k)
    d_tau = energy[rows, length - tau] + total - energy[rows, tau] - 2.0 * r_tau
    d_sum = (
        energy_sums[:, length]
        - energy_sums[rows, length - tau]
        + tau * total
        - (energy_sums[rows, tau + 1] - energy_sums[:, 1])
        - 2.0 * r_sum
    )
    return d_tau * tau / np.maximum(d_sum, 1e-20)


def librosa_pyin(x, sample_rate, hop, *, candidates=None, fmin=acoustics.F0_MIN_HZ, fmax=acoustics.F0_MAX_HZ):
    """librosa.pyin's F0 and voicing (HMM), its defaults but the frame (38 ms, as above)."""
    n = 1 + len(x) // hop
    length = int(round(0.038 * sample_rate)) // 2 * 2
    f0, voiced, _ = librosa.pyin(x, fmin=fmin, fmax=fmax, sr=sample_rate, frame_length=length, hop_length=hop)
    f0, voiced = f0[:n], voiced[:n]
    if candidates is not None:
        voiced = voiced & candidates
    return np.where(voiced, f0, np.nan), np.where(voiced, 0.0, 1.0)


def effects_split(share: float) -> Callable[..., np.ndarray]:
    """find_sounding with librosa.effects.split at one threshold, ``share`` of the way from low to high."""

    def find_sounding(level_db, floor_db, reference_db, *, hop_s=acoustics.HOP_S, min_pause_s=0.3):
        spread = max(reference_db - floor_db, 0.0)
        low = max(
            floor_db + min(acoustics.LOW_ABOVE_FLOOR_DB, acoustics.LOW_SHARE * spread),
            reference_db - acoustics.LOW_BELOW_REFERENCE_DB,
        )
        high = max(
            floor_db + min(acoustics.HIGH_ABOVE_FLOOR_DB, acoustics.HIGH_SHARE * spread),
            reference_db - acoustics.HIGH_BELOW_REFERENCE_DB,
        )
        threshold = low + share * (high - low)
        x, rate = _current["samples"], _current["rate"]
        hop = int(round(hop_s * rate))
        intervals = librosa.effects.split(
            x,
            top_db=reference_db - threshold,
            ref=10 ** (reference_db / 20),  # an amplitude
            frame_length=int(round(acoustics.ENERGY_WINDOW_S * rate)),
            hop_length=hop,
        )
        mask = np.zeros(len(level_db), bool)
        for start, end in intervals:
            mask[start // hop : len(level_db) if end >= len(x) else end // hop] = True
        mask = acoustics._close_gaps(mask, int(round(acoustics.MIN_GAP_S / hop_s)))
        mask = acoustics._drop_short(mask, int(round(acoustics.MIN_SOUNDING_S / hop_s)))
        return acoustics._close_gaps(mask, int(round(min_pause_s / hop_s)))

    return find_sounding


ALTERNATIVES: dict[str, dict[str, Callable[..., Any]]] = {
    "coach.analysis.acoustics as it is": {},
    "librosa.yin + aperiodicity at its lag": {"yin": librosa_yin},
    "librosa.pyin": {"yin": librosa_pyin},
    "librosa.effects.split at low": {"find_sounding": effects_split(0.0)},
    "librosa.effects.split half-way low-high": {"find_sounding": effects_split(0.5)},
    "librosa.effects.split at high": {"find_sounding": effects_split(1.0)},
}


@contextmanager
def replaced(patches: dict[str, Callable[..., Any]]) -> Iterator[None]:
    saved = {name: getattr(acoustics, name) for name in patches}
    for name, value in patches.items():
        setattr(acoustics, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(acoustics, name, value)


def summary(med: dict[str, float]) -> str:
    return (
        f"span {med['span']:.2f} s, leading {med['lead']:.2f} s, trailing {med['trail']:.2f} s, "
        f"pause count {med['npause']:.0f}, F0 median {med['f0']:.2f} st "
        f"({(2 ** (med['f0'] / 12) - 1) * 100:.1f} %), F0 SD {med['sd']:.2f} st"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="one line per librosa alternative")
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv[1:])
    if not (args.directory / "manifest.csv").exists():
        print(f"no manifest.csv in {args.directory}", file=sys.stderr)
        return 1
    warm_up()
    clips = load(args.directory)
    if args.compare:
        print("| variant | median absolute difference from Praat | worst F0 median | time, all clips |")
        print("|---|---|---|---|")
        for label, patches in ALTERNATIVES.items():
            with replaced(patches):
                run(clips[:1], table=False)  # first-call costs (numba) out of the timing
                med, total = run(clips, table=False)
            print(f"| {label} | {summary(med)} | {med['f0_max']:.2f} st | {total:.2f} s |")
        return 0
    print(
        "| clip | span s (Praat) | lead s | trail s | pauses (Praat) | max pause s (Praat) "
        "| F0 median Hz (Praat) | F0 SD st (Praat) | ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    med, _ = run(clips, table=True)
    print()
    print(f"Median absolute difference: {summary(med)}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
