"""Time to report for 10, 30 and 60 s voicemails, per stage, cold and warm; peak memory.

Usage: ``python bench/bench_pipeline.py [--runs N] [--model tiny.en]``
(``make bench``). Prints a table; nothing here is asserted. The recordings are
made by concatenating the sample voicemails (real speech rhythm, not tones) and
cutting them to length. For comparison it also times stock
``whisper.transcribe(word_timestamps=True)`` on the same audio.

Target (issue 2): a 30 s voicemail's report in at most 4 s after warm-up on a
2-core machine, peak memory under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
LENGTHS = (10, 30, 60)


def make_recording(seconds: int, folder: Path) -> Path:
    """A WAV of ``seconds`` of sample voicemail speech (samples joined end to end)."""
    parts = []
    for wav in sorted((ROOT / "sample_audio").glob("*.wav")):
        audio, rate = sf.read(wav, dtype="float32")
        assert rate == 16000, wav
        parts.append(audio)
    joined = np.concatenate(parts)
    path = folder / f"bench_{seconds}s.wav"
    sf.write(path, joined[: seconds * 16000], 16000, subtype="PCM_16")
    return path


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold(path: str, model: str) -> None:
    """In a fresh process: the first report, model loading and numba compilation included."""
    start = time.perf_counter()
    from coach.pipeline import Analyzer

    analyzer = Analyzer(model)
    load_start = time.perf_counter()
    _ = analyzer.model
    load = time.perf_counter() - load_start
    report = analyzer.analyze(path)
    total = time.perf_counter() - start
    print(json.dumps({"total": total, "model_load": load, "stages": report.timings_s, "peak_mb": peak_rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--cold", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        cold(args.cold, args.model)
        return

    import whisper

    from coach.audio.decode import load_audio
    from coach.pipeline import Analyzer

    with tempfile.TemporaryDirectory() as tmp:
        files = {s: make_recording(s, Path(tmp)) for s in LENGTHS}
        cold_30 = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--cold", str(files[30]), "--model", args.model],
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        analyzer = Analyzer(args.model)
        warm_start = time.perf_counter()
        analyzer.warm_up()
        warm_up_s = time.perf_counter() - warm_start

        print(f"Voicemail Coach pipeline benchmark (model {args.model}, {args.runs} warm runs each, median)")
        print(
            f"cold first report of 30 s in a new process: {cold_30['total']:.2f} s "
            f"(model load {cold_30['model_load']:.2f} s; stages "
            + ", ".join(f"{k} {v:.2f}" for k, v in cold_30["stages"].items())
            + f"); peak RSS {cold_30['peak_mb']:.0f} MB"
        )
        print(f"warm-up (model load + numba + one short transcription): {warm_up_s:.2f} s")
        print()
        header = ["length", "total", "decode", "acoustics", "transcribe", "text", "rules", "stock whisper"]
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for seconds, path in files.items():
            totals, stages = [], {}
            for _ in range(args.runs):
                start = time.perf_counter()
                report = analyzer.analyze(path)
                totals.append(time.perf_counter() - start)
                for k, v in report.timings_s.items():
                    stages.setdefault(k, []).append(v)
            samples = load_audio(path).samples
            stock = []
            for _ in range(args.runs):
                start = time.perf_counter()
                whisper.transcribe(analyzer.model, samples, word_timestamps=True, fp16=False, language="en")
                stock.append(time.perf_counter() - start)
            row = [f"{seconds} s", f"{statistics.median(totals):.2f} s"]
            row += [
                f"{statistics.median(stages[k]):.3f} s" for k in ("decode", "acoustics", "transcribe", "text", "rules")
            ]
            row.append(f"{statistics.median(stock):.2f} s")
            print("| " + " | ".join(row) + " |")
        print()
        print(f"peak RSS of this process (model loaded, all runs): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
