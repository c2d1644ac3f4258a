"""Word error rate of the bundled tiny.en on real recordings with verified transcripts.

Two bounds. Over all verified clips together (the usual corpus WER: errors
over reference words), at most 6%: the published tiny.en WER on LibriSpeech
test-clean is about 5.6%. Per clip, by recording condition rather than tuned
per clip: clean read speech at most 15%, telephone-band and old broadcast
audio at most 25%. These clips hold 14-36 words, so a single misheard word
is already 3-7% of a clip.
"""

from __future__ import annotations

from coach.analysis.models import load_model
from coach.analysis.transcribe import transcribe
from coach.audio.decode import load_audio
from coach.text.normalise import normalize_words
from factories.accuracy import word_error_rate
from factories.paths import REALSPEECH


def _verified(rows):
    return [r for r in rows if r["transcript_status"].startswith("verified")]


def _tolerance(row) -> float:
    narrowband = row["sample_rate_hz"] == "8000" or "8khz" in row["file"]
    return 0.25 if narrowband or row["file"] == "jfk.flac" else 0.15


def test_verified_clips_exist(realspeech_rows):
    assert len(_verified(realspeech_rows)) >= 8


def test_word_error_rate_per_verified_clip(realspeech_rows):
    model = load_model("tiny.en")
    failures, table = [], []
    errors = reference_words = 0
    for row in _verified(realspeech_rows):
        audio = load_audio(REALSPEECH / row["file"])
        said = transcribe(model, audio.samples).text
        wer = word_error_rate(row["transcript"], said)
        words = len(normalize_words(row["transcript"]))
        errors += wer * words
        reference_words += words
        table.append(f"{row['file']}: WER {wer:.1%} (limit {_tolerance(row):.0%})")
        if wer > _tolerance(row):
            failures.append(f"{row['file']}: {wer:.1%}\n  ref: {row['transcript']}\n  hyp: {said}")
    corpus_wer = errors / reference_words
    print("\n".join(table) + f"\ncorpus WER {corpus_wer:.1%} over {reference_words} words")
    assert not failures, "\n".join(failures)
    assert corpus_wer <= 0.06
