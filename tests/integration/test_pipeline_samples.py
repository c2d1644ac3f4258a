"""End to end on sample_audio/: the real model and real decoding against each sample's script."""

from __future__ import annotations

import pytest
import soundfile as sf

from coach.pipeline import STAGES
from coach.text.normalise import normalize_words
from coach.text.script_diff import compare_script
from factories.accuracy import word_error_rate
from factories.paths import SAMPLES


@pytest.fixture(scope="session")
def sample_reports(analyzer, sample_manifest):
    return {
        entry["file"]: analyzer.analyze(SAMPLES / entry["file"], prospect=entry.get("prospect"))
        for entry in sample_manifest
    }


def _entries():
    import json

    return json.loads((SAMPLES / "manifest.json").read_text())


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["file"])
def test_transcript_matches_script(entry, sample_reports):
    report = sample_reports[entry["file"]]
    script = (SAMPLES / entry["script"]).read_text()
    wer = word_error_rate(script, report.transcript)
    assert wer <= 0.10, f"WER {wer:.1%}\nscript: {script}\nheard:  {report.transcript}"


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["file"])
def test_duration_and_pace(entry, sample_reports):
    report = sample_reports[entry["file"]]
    info = sf.info(SAMPLES / entry["file"])
    assert abs(report.duration_s - info.duration) <= 0.05
    script_words = len(normalize_words((SAMPLES / entry["script"]).read_text()))
    expected_wpm = 60 * script_words / report.metrics.speech_span_s
    assert report.metrics.wpm == pytest.approx(expected_wpm, rel=0.10)


def digit_edits(a: str, b: str) -> int:
    """Digits substituted, dropped or added between two digit strings (the WER aligner's count)."""
    return round(word_error_rate(" ".join(a), " ".join(b)) * len(a))


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e["file"])
def test_phone_numbers_found(entry, sample_reports):
    """Every number said is found; tiny.en may drop or mishear one digit of it."""
    found = [n.digits for n in sample_reports[entry["file"]].metrics.phone_numbers]
    expected = entry["phone_digits"]
    assert len(found) == len(expected), found
    for want, got in zip(expected, found, strict=False):
        assert digit_edits(want, got) <= 1, (want, got)


def test_leading_silence_and_long_pause_of_dead_air_sample(sample_reports, sample_manifest):
    entry = next(e for e in sample_manifest if e["file"] == "dead_air.wav")
    m = sample_reports["dead_air.wav"].metrics
    assert m.leading_silence_s == pytest.approx(entry["leading_silence_s"], abs=0.15)
    assert m.longest_pause_s == pytest.approx(max(entry["internal_pauses_s"]), abs=0.2)


def test_fillers_kept_in_transcript(sample_reports):
    script = (SAMPLES / "filler_heavy.txt").read_text().lower()
    said = sum(normalize_words(script).count(f) for f in ("um", "uh"))
    assert said >= 6
    assert sample_reports["filler_heavy.wav"].metrics.filler_count >= said - 1


def test_introduction_and_question_in_good_sample(sample_reports, sample_manifest):
    entry = next(e for e in sample_manifest if e["file"] == "good_voicemail.wav")
    m = sample_reports["good_voicemail.wav"].metrics
    assert m.introduction is not None
    assert m.introduction.name.split()[0] == entry["rep_name"].split()[0]
    assert m.introduction.start < 3.0
    assert m.questions


def test_the_report_carries_the_script_diff_and_highlights_the_app_draws(analyzer):
    script = (SAMPLES / "filler_heavy.txt").read_text()
    report = analyzer.analyze(SAMPLES / "filler_heavy.wav", script=script)
    assert list(report.timings_s) == list(STAGES)
    assert report.script_diff == compare_script(script, report.transcript)
    kinds = {h.kind for h in report.highlights}
    assert {"filler", "number", "intro"} <= kinds, kinds
    for h in report.highlights:
        assert h.first_word is not None and h.last_word is not None
        said = "".join(w.text for w in report.words[h.first_word : h.last_word + 1])
        assert h.text.strip(" ,.?!") in said, (h, said)
