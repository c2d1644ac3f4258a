"""Batch throughput and re-scoring: ``coach batch``'s pool on 50 voicemails of about 25 s.

Usage: ``python bench/bench_batch.py [--files 50] [--quick] [--model tiny.en]`` (``make bench`` runs it
after bench_pipeline.py). Prints a table; nothing here is asserted.

- The recordings are cut from the sample voicemails joined end to end (real
  speech, each window starting at a different place, so no two files have
  the same bytes and none is skipped), written as 16 kHz WAV with soundfile.
- Each configuration runs in a fresh process through :func:`coach.batch.run_batch`
  into an empty history, as ``coach batch`` does: one worker in the process
  (the baseline), two worker processes, two threads sharing one model.
  Files per minute include starting the workers and loading the model.
  Peak memory per worker is the largest resident set of one worker process
  (for one worker or threads: the whole process).
- Re-scoring: one real report stored 500 times, then every stored take
  re-scored with stricter settings, as ``coach history rescore`` does.

Run time: about 12 minutes for 50 files on a 2-core machine (``--quick``: 10
files, about 3 minutes). On a shared machine, numbers move with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SECONDS = 25
RATE = 16000
#: (label, mode, workers)
CONFIGS = (("1 worker (in process)", "serial", 1), ("2 processes", "process", 2), ("2 threads", "thread", 2))


def make_recordings(count: int, folder: Path) -> list[Path]:
    """``count`` WAVs of ``SECONDS`` s of sample speech, each from a different offset."""
    parts = []
    for wav in sorted((ROOT / "sample_audio").glob("*.wav")):
        audio, rate = sf.read(wav, dtype="float32")
        assert rate == RATE, wav
        parts.append(audio)
    joined = np.concatenate(parts)
    span = SECONDS * RATE
    step = max(RATE // 10, (len(joined) - span) // max(1, count))
    paths = []
    for i in range(count):
        start = (i * step) % (len(joined) - span)
        path = folder / f"take_{i:03d}.wav"
        sf.write(path, joined[start : start + span], RATE, subtype="PCM_16")
        paths.append(path)
    return paths


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def one_run(folder: str, mode: str, workers: int, model: str) -> None:
    """In a fresh process: one batch into an empty history; prints JSON."""
    from coach.batch import run_batch
    from coach.config import default_config
    from coach.history.store import History

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        history = History(Path(tmp) / "data")
        start = time.perf_counter()
        outcome = run_batch([folder], history, default_config(), workers=workers, model=model, mode=mode)
        seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "analysed": outcome.count("analysed"),
                "failed": len(outcome.failed),
                "peak_self_mb": peak_mb(resource.RUSAGE_SELF),
                "peak_worker_mb": peak_mb(resource.RUSAGE_CHILDREN),
            }
        )
    )


def rescore_run(count: int, model: str, folder: Path) -> dict:
    from coach.config import config_from_text, default_config
    from coach.history.review import rescore
    from coach.history.store import History
    from coach.pipeline import Analyzer

    source = make_recordings(1, folder)[0]
    report = Analyzer(model, default_config()).analyze(source)
    tiny = folder / "tiny.wav"
    sf.write(tiny, np.zeros(RATE // 10, dtype=np.float32), RATE)
    history = History(folder / "rescore-data")
    start = time.perf_counter()
    for _ in range(count):
        history.save_take(tiny, report, source="batch")
    stored = time.perf_counter() - start
    strict = config_from_text("[rules.VM101]\nmax_s = 10.0\nerror_s = 12.0\n")
    result = rescore(history, strict)
    return {"takes": result.takes, "changed": result.changed, "seconds": result.seconds, "store_s": stored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="10 files instead of 50")
    parser.add_argument("--rescore-takes", type=int, default=500)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--rescore-only", action="store_true", help="only the re-scoring figure")
    parser.add_argument("--one", nargs=3, metavar=("FOLDER", "MODE", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args.one[0], args.one[1], int(args.one[2]), args.model)
        return
    count = 10 if args.quick else args.files
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp) / "team"
        folder.mkdir()
        make_recordings(0 if args.rescore_only else count, folder)
        print(f"Batch of {count} recordings of {SECONDS} s, Whisper {args.model}, {os.cpu_count()} cores")
        print(f"{'configuration':<24} {'wall s':>8} {'files/min':>10} {'peak MB/worker':>15}")
        for label, mode, workers in () if args.rescore_only else CONFIGS:
            done = subprocess.run(
                [sys.executable, __file__, "--model", args.model, "--one", str(folder), mode, str(workers)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
            )
            r = json.loads(done.stdout.strip().splitlines()[-1])
            assert r["analysed"] == count and not r["failed"], r
            peak = r["peak_worker_mb"] if mode == "process" else r["peak_self_mb"]
            print(f"{label:<24} {r['seconds']:>8.1f} {count / r['seconds'] * 60:>10.1f} {peak:>15.0f}")
        r = rescore_run(args.rescore_takes, args.model, Path(tmp))
        print(
            f"\nRe-scoring {r['takes']} stored takes (no Whisper): {r['seconds']:.2f} s "
            f"({r['changed']} changed; storing them took {r['store_s']:.1f} s)"
        )


if __name__ == "__main__":
    main()
