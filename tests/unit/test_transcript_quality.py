"""What the report says about the transcript itself: dropped words, recovered and missing speech."""

from __future__ import annotations

import json

from coach.cli.text_report import render
from coach.config import default_config
from coach.report import DroppedWord, Report, SpeechGap, TranscriptQuality
from coach.rules.engine import apply, evaluate
from factories.report_factory import build_report

DEFAULTS = default_config()
#: A message whose callback number and next step were lost: only the first words came back.
HALF = "Hi Dana, this is Marcus from Paybridge. I saw Harbor Street Bakery open a third location."


def incomplete(report: Report) -> Report:
    report.transcript_quality = TranscriptQuality(
        complete=False,
        missing_s=14.2,
        gaps=[SpeechGap(start=6.1, end=20.3)],
        dropped_words=[DroppedWord(" Thank", 21.6, 21.6, 0.04, "silent_filler")],
    )
    return report


def test_missing_speech_makes_text_findings_say_the_transcript_is_incomplete():
    findings, strengths, _ = evaluate(incomplete(build_report(HALF, probability=0.95)), DEFAULTS)
    vm501 = next(f for f in findings if f.code == "VM501")
    assert vm501.severity == "suggestion"
    assert "14.2 s of speech has no words in the transcript" in vm501.message
    assert "check this by ear" in vm501.message


def test_a_complete_transcript_keeps_the_findings_as_they_are():
    report = build_report(HALF, probability=0.95)
    report.transcript_quality = TranscriptQuality(complete=True)
    findings, _, _ = evaluate(report, DEFAULTS)
    assert next(f for f in findings if f.code == "VM501").severity == "warning"


def test_transcript_quality_survives_json():
    report = apply(incomplete(build_report(HALF)), DEFAULTS)
    data = json.loads(report.to_json())
    quality = data["transcript_quality"]
    assert quality["complete"] is False and quality["missing_s"] == 14.2
    assert quality["gaps"] == [{"start": 6.1, "end": 20.3, "recovered": False}]
    assert quality["dropped_words"][0] == {
        "text": " Thank",
        "start": 21.6,
        "end": 21.6,
        "probability": 0.04,
        "reason": "silent_filler",
    }
    again = Report.from_dict(data)
    assert again.transcript_quality == report.transcript_quality


def test_reports_without_the_field_still_load():
    data = apply(build_report(HALF), DEFAULTS).to_dict()
    data.pop("transcript_quality")
    assert Report.from_dict(data).transcript_quality is None


def test_text_report_says_what_is_missing():
    text = render(apply(incomplete(build_report(HALF)), DEFAULTS))
    assert "Incomplete: 14.2 s of your speech has no words in the transcript (0:06.1-0:20.3)" in " ".join(text.split())
