#!/usr/bin/env python3
"""Word-boundary error against ground truth: phrases synthesised one by one, joined with known gaps.

Each message is said phrase by phrase with espeak-ng (several voices), every
phrase trimmed to its sound (frames within 45 dB of the phrase's peak, 5 ms
frames) and joined with silences of known length (0.35 to 1.2 s, with a
faint noise floor), then 2 s of trailing silence. So each phrase's first-word
start and last-word end are known. Each transcribed word is given to the
phrase whose span (widened by half the gaps around it) holds its middle;
the error of a phrase is |first word's start - phrase start| and |last
word's end - phrase end|.

"before" is what the coach did before this change (``whisper.transcribe``
with ``word_timestamps=True`` and the filler prompt); "after" is
:func:`coach.analysis.transcribe.transcribe` with the acoustic speech track
(decode, align, keep the supported words, clamp their times).

    .venv/bin/python bench/word_boundaries.py            # prints the table
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RATE = 16000
VOICES = ["en-us+m3", "en-us+f2", "en-gb+m1"]
MESSAGES = [
    [
        "Hi Dana, this is Marcus from Paybridge.",
        "I saw Harbor Street Bakery opened a third location.",
        "How are you handling payroll across all three stores?",
        "My number is 415 555 0192.",
        "I will try you again Thursday at ten.",
    ],
    [
        "Hey Sam, it's Riley with Brightpath.",
        "Quick question about onboarding your new hires.",
        "Most teams your size lose a full day to paperwork.",
        "Call me back at 212 555 0199.",
        "Thank you.",
    ],
    [
        "Good morning Priya, Jordan here from Northwind.",
        "Your team just opened an office in Denver.",
        "I have an idea for your fleet costs.",
        "Reach me at 303 555 0148, again 303 555 0148.",
        "Talk soon.",
    ],
]
GAPS_S = [0.6, 0.35, 1.2, 0.8, 0.5]
TRAILING_S = 2.0
NOISE_DBFS = -70.0


def say(text: str, voice: str) -> np.ndarray:
    import soundfile as sf
    import soxr

    out = subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "--stdout", text], capture_output=True, check=True)
    x, rate = sf.read(io.BytesIO(out.stdout), dtype="float32")
    x = soxr.resample(x, rate, RATE).astype(np.float32)
    frame = RATE // 200
    n = len(x) // frame
    level = 10 * np.log10(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(level >= level.max() - 45.0)
    return 0.3 * x[loud[0] * frame : (loud[-1] + 1) * frame] / np.max(np.abs(x))


def build(phrases: list[str], voice: str, seed: int) -> tuple[np.ndarray, list[tuple[float, float]]]:
    pieces, truth, t = [np.zeros(int(0.4 * RATE), np.float32)], [], 0.4
    for k, phrase in enumerate(phrases):
        audio = say(phrase, voice)
        truth.append((t, t + len(audio) / RATE))
        gap = GAPS_S[k % len(GAPS_S)] if k + 1 < len(phrases) else TRAILING_S
        pieces += [audio, np.zeros(int(gap * RATE), np.float32)]
        t += (len(audio) + int(gap * RATE)) / RATE
    x = np.concatenate(pieces)
    rng = np.random.default_rng(seed)
    return x + (rng.standard_normal(len(x)) * 10 ** (NOISE_DBFS / 20)).astype(np.float32), truth


def errors(words, truth: list[tuple[float, float]]) -> tuple[list[float], list[float], int]:
    """(start errors, end errors, words outside every phrase) for one file."""
    edges = [0.0] + [(truth[k][1] + truth[k + 1][0]) / 2 for k in range(len(truth) - 1)] + [truth[-1][1] + 0.3]
    starts, ends, stray = [], [], 0
    for k, (a, b) in enumerate(truth):
        inside = [w for w in words if edges[k] <= (w.start + w.end) / 2 < edges[k + 1] and w.text.strip(" .,?!-")]
        if not inside:
            continue
        starts.append(abs(inside[0].start - a))
        ends.append(abs(inside[-1].end - b))
    stray = sum(1 for w in words if (w.start + w.end) / 2 >= edges[-1] and w.text.strip(" .,?!-"))
    return starts, ends, stray


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (apt-get install espeak-ng)", file=sys.stderr)
        return 1
    import whisper

    from coach.analysis import acoustics
    from coach.analysis.models import load_model
    from coach.analysis.transcribe import FILLER_PROMPT, transcribe
    from coach.report import Word

    model = load_model("tiny.en")
    results: dict[str, tuple[list[float], list[float], int]] = {"before": ([], [], 0), "after": ([], [], 0)}
    for m, phrases in enumerate(MESSAGES):
        for v, voice in enumerate(VOICES):
            x, truth = build(phrases, voice, seed=10 * m + v)
            old = whisper.transcribe(
                model,
                x,
                language="en",
                temperature=0.0,
                word_timestamps=True,
                condition_on_previous_text=False,
                initial_prompt=FILLER_PROMPT,
                fp16=False,
                verbose=None,
            )
            before = [
                Word(w["word"], w["start"], w["end"], w["probability"]) for s in old["segments"] for w in s["words"]
            ]
            after = transcribe(model, x, sounding=acoustics.measure(x, RATE).sounding).words
            for name, words in (("before", before), ("after", after)):
                s, e, stray = errors(words, truth)
                acc = results[name]
                results[name] = (acc[0] + s, acc[1] + e, acc[2] + stray)
            print(f"message {m + 1}, {voice}: done", file=sys.stderr)
    print("| words | phrase starts: median / p90 (s) | phrase ends: median / p90 (s) | words after the last phrase |")
    print("|---|---|---|---|")
    for name, (s, e, stray) in results.items():
        print(
            f"| {name} | {np.median(s):.3f} / {np.percentile(s, 90):.3f} (n={len(s)}) "
            f"| {np.median(e):.3f} / {np.percentile(e, 90):.3f} (n={len(e)}) | {stray} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
