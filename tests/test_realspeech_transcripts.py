"""Word error rate of the bundled tiny.en on real recordings with verified transcripts.

Tolerances are per recording condition, not per clip: clean read speech is
held to 10%, telephone-band and old broadcast audio to 25% (tiny.en is the
smallest Whisper; the published tiny.en WER on LibriSpeech test-clean is
about 5.6%, and narrowband audio roughly doubles or triples that).
"""

from __future__ import annotations

import pytest

from coach.models import load_model
from coach.audio import load_audio
from coach.script_diff import word_error_rate
from coach.transcribe import transcribe
from conftest import REALSPEECH

pytestmark = pytest.mark.slow


def _verified(rows):
    return [r for r in rows if r["transcript_status"].startswith("verified")]


def _tolerance(row) -> float:
    narrowband = row["sample_rate_hz"] == "8000" or "8khz" in row["file"]
    return 0.25 if narrowband or row["file"] == "jfk.flac" else 0.10


def test_verified_clips_exist(realspeech_rows):
    assert len(_verified(realspeech_rows)) >= 8


def test_word_error_rate_per_verified_clip(realspeech_rows):
    model = load_model("tiny.en")
    failures, table = [], []
    for row in _verified(realspeech_rows):
        audio = load_audio(REALSPEECH / row["file"])
        said = transcribe(model, audio.samples).text
        wer = word_error_rate(row["transcript"], said)
        table.append(f"{row['file']}: WER {wer:.1%} (limit {_tolerance(row):.0%})")
        if wer > _tolerance(row):
            failures.append(f"{row['file']}: {wer:.1%}\n  ref: {row['transcript']}\n  hyp: {said}")
    print("\n".join(table))
    assert not failures, "\n".join(failures)
