"""Fuzz: mutated WAV, MP3 and M4A files through the per-file path of ``coach analyze``.

Each case (:func:`factories.fuzz.cases`) is written to disk and run by a
worker process through :func:`coach.cli.analyze.analyse_file`, the function
the CLI calls for each file, up to and including decoding and the acoustic
measurements (Whisper is left out: 1-3 s a file). For every input
(:func:`factories.fuzz.problems`): one JSON line, a report or a typed error
with a message naming the file, no traceback, crash or hang (a per-case
timeout), and an analysed length within 0.1 s of what FFmpeg decodes from
the whole file (the oracle), or an error.

``make test`` runs a fixed set of ``COACH_FUZZ_EXAMPLES`` (default 100) cases;
``make fuzz`` runs 5,000 random ones and prints the tally.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from factories.fuzz import Case, Worker, cases, describe, problems

EXAMPLES = int(os.environ.get("COACH_FUZZ_EXAMPLES", "100"))
RANDOM = os.environ.get("COACH_FUZZ_RANDOM", "") == "1"
TIMEOUT_S = float(os.environ.get("COACH_FUZZ_TIMEOUT_S", "60"))

TALLY: Counter[str] = Counter()


@pytest.fixture(scope="module")
def worker():
    found = Worker(timeout_s=TIMEOUT_S)
    started = time.perf_counter()
    yield found
    found.close()
    TALLY["restarts"] = found.restarts
    elapsed = time.perf_counter() - started
    print(f"\nfuzz tally ({elapsed:.0f} s): {json.dumps(dict(sorted(TALLY.items())))}")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(case=cases())
def test_mutated_file_gives_one_line_and_its_real_length_or_an_error(worker: Worker, folder: Path, case: Case):
    path = folder / f"fuzzed{case.ext}"
    path.write_bytes(case.data)
    outcome = worker.run(path)
    TALLY["cases"] += 1
    TALLY[f"error:{outcome.error_type}" if outcome.error_type else "measured"] += 1
    if outcome.oracle_s is None:
        TALLY["oracle decodes nothing"] += 1
    found = problems(outcome, path.name)
    if found:
        TALLY["failures"] += 1
    assert not found, json.dumps(describe(case)) + "\n" + "\n".join(found)
