"""The app's pure helpers: phone line, calling-block cost, escaping, highlights, figures, compare, timeline."""

from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
import soundfile as sf
import soxr

from coach.audio.phone_line import PHONE_RATE, mulaw_decode, mulaw_encode, phone_line, phone_line_wav
from coach.clock import clock, length
from coach.config import Config, config_from_text, default_config
from coach.pipeline import STAGES
from coach.report import (
    Contours,
    Filler,
    Finding,
    Introduction,
    Metrics,
    Pause,
    PhoneNumber,
    Report,
    Score,
    Word,
)
from coach.rules.base import Context
from coach.rules.catalogue import BY_CODE
from coach.rules.engine import evaluate
from coach.rules.highlights import find_highlights
from coach.text.script_diff import script_diff
from coach.ui.pages.practice import STAGE_LABELS
from coach.ui.safe import html_text, md_text, safe_filename
from coach.ui.views import cost
from coach.ui.views.compare import compare_reports
from coach.ui.views.figures import key_figures
from coach.ui.views.script import diff_html
from coach.ui.views.theme import score_card_html, teleprompter_html
from coach.ui.views.timeline import timeline_chart, timeline_frames
from coach.ui.views.transcript import kinds_present, transcript_html, word_kinds

DEFAULTS = default_config()

XSS = "<script>alert('x')</script>"


def words_of(text: str, start: float = 0.5, step: float = 0.3) -> list[Word]:
    return [Word(f" {w}", start + i * step, start + i * step + 0.25, 0.9) for i, w in enumerate(text.split())]


def make_report(
    text: str = "Hi Dana, um, this is Sam from Acme. Sorry to bother you, we have a special offer. Call 415 555 0192.",
    *,
    duration: float = 20.0,
    span: float | None = None,
    wpm: float = 150.0,
    longest_pause: float = 0.6,
    findings: list[Finding] | None = None,
    score: int = 80,
    file: str = "take.wav",
) -> Report:
    words = words_of(text)
    by_text = {w.text.strip(" ,.").lower(): w for w in words}
    um = by_text["um"]
    number_words = [w for w in words if w.text.strip(" .").isdigit()]
    end = words[-1].end if span is None else 0.5 + span
    metrics = Metrics(
        speech_start_s=0.5,
        speech_end_s=end,
        speech_span_s=end - 0.5,
        leading_silence_s=0.5,
        trailing_silence_s=0.4,
        pauses=[Pause(2.0, 2.0 + longest_pause)],
        longest_pause_s=longest_pause,
        wpm=wpm,
        word_count=len(words),
        filler_count=1,
        fillers=[Filler("um", um.start, um.end)],
        loudness_dbfs=-20.0,
        clipping_ratio=0.0,
        snr_db=35.0,
        pitch_median_hz=130.0,
        pitch_variation_st=3.0,
        phone_numbers=[PhoneNumber("4155550192", number_words[0].start, number_words[-1].end, 2.0)],
        introduction=Introduction("Sam", by_text["this"].start, by_text["acme"].end, "Acme", "this is Sam from Acme"),
    )
    frames = int(duration * 100)
    contours = Contours(
        frame_rate_hz=100.0,
        energy_db=[-25.0 if i % 50 else -70.0 for i in range(frames)],
        pitch_hz=[None if i % 40 < 10 else 120.0 + (i % 40) for i in range(frames)],
    )
    return Report(
        file=file,
        duration_s=duration,
        transcript=" ".join(w.text.strip() for w in words),
        words=words,
        metrics=metrics,
        contours=contours,
        findings=findings or [],
        score=Score(score),
    )


def analysed(report: Report, config: Config = DEFAULTS) -> Report:
    """``report`` with the highlights an analysis with ``config`` puts into it."""
    report.highlights = find_highlights(report, Context.build(report, config))
    return report


def finding(code: str, name: str, severity: str = "warning", start: float | None = None) -> Finding:
    return Finding(code, name, severity, f"{name} message", f"{name} fix", start_s=start)


def findings_of(*codes: str) -> list[Finding]:
    return [finding(code, BY_CODE[code].name) for code in codes]


# -- phone line -----------------------------------------------------------------


def _band_energy(x: np.ndarray, rate: int, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(x)) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    return float(spectrum[(freqs >= low) & (freqs < high)].sum())


def test_phone_line_is_narrowband_8khz_and_mulaw_quantised() -> None:
    rng = np.random.default_rng(0)
    noise = (0.1 * rng.standard_normal(16000 * 3)).astype(np.float32)
    data, rate = sf.read(io.BytesIO(phone_line_wav(noise, 16000)), dtype="float32")
    assert rate == PHONE_RATE
    assert len(data) == pytest.approx(3 * PHONE_RATE, abs=1)
    in_band = _band_energy(data, rate, 400, 3300)
    assert _band_energy(data, rate, 0, 150) < 1e-3 * in_band
    assert _band_energy(data, rate, 3750, 4001) < 3e-3 * in_band
    # Played back at 16 kHz, nothing above 4 kHz: the upper half of the wideband input is gone.
    back = soxr.resample(data, rate, 16000)
    assert _band_energy(back, 16000, 4000, 8001) < 1e-3 * _band_energy(back, 16000, 0, 4000)
    assert _band_energy(noise, 16000, 4000, 8001) > 0.4 * _band_energy(noise, 16000, 0, 8001)
    # 8-bit mu-law: at most 256 distinct sample values, finer steps near zero than near full scale.
    levels = np.unique(np.round(data * 32768).astype(int))
    assert len(levels) <= 256
    codes = np.arange(256)
    steps = np.diff(mulaw_decode(codes))
    assert steps[128] < steps[250] / 20


def test_mulaw_keeps_quiet_speech_as_clear_as_loud_speech() -> None:
    """Companding: the signal-to-quantisation-noise ratio hardly depends on level."""
    t = np.arange(PHONE_RATE) / PHONE_RATE

    def snr(amplitude: float) -> float:
        x = amplitude * np.sin(2 * np.pi * 1000 * t)
        err = mulaw_decode(mulaw_encode(x)) - x
        return 10 * np.log10(np.mean(x**2) / np.mean(err**2))

    loud, quiet = snr(0.5), snr(0.01)
    assert loud > 30 and quiet > 25
    linear_8bit = np.round(0.01 * np.sin(2 * np.pi * 1000 * t) * 127) / 127
    linear_snr = 10 * np.log10(
        np.mean((0.01 * np.sin(2 * np.pi * 1000 * t)) ** 2)
        / np.mean((linear_8bit - 0.01 * np.sin(2 * np.pi * 1000 * t)) ** 2)
    )
    assert quiet > linear_snr + 15


def test_phone_line_keeps_a_voice_band_tone_and_resamples_any_rate() -> None:
    rate = 44100
    t = np.arange(rate * 2) / rate
    tone = 0.3 * np.sin(2 * np.pi * 1000 * t)
    out = phone_line(tone, rate)
    assert len(out) == 2 * PHONE_RATE
    assert np.sqrt(np.mean(out[800:-800] ** 2)) == pytest.approx(0.3 / np.sqrt(2), rel=0.05)
    low = phone_line(0.3 * np.sin(2 * np.pi * 100 * t), rate)
    assert np.sqrt(np.mean(low**2)) < 0.01
    assert phone_line(np.zeros(0), 16000).size == 0


# -- calling-block cost ---------------------------------------------------------


def test_block_cost_defaults_and_arithmetic() -> None:
    block = cost.block_cost(30.0)
    assert block.messages == 40
    assert block.voicemail_s == 1200.0
    assert block.share_of_block == pytest.approx(1200 / 14400)
    assert block.expected_callbacks == pytest.approx(2.0)
    assert block.seconds_per_callback == pytest.approx(600.0)
    assert cost.time_saved_s(block, 25.0) == pytest.approx(200.0)
    assert cost.time_saved_s(block, 40.0) == 0.0

    custom = cost.block_cost(18.0, messages_per_hour=25, hours=2, callback_rate=0.1)
    assert custom.voicemail_s == 18.0 * 50
    assert custom.expected_callbacks == pytest.approx(5.0)
    assert cost.block_cost(18.0, callback_rate=0.0).seconds_per_callback is None
    with pytest.raises(ValueError):
        cost.block_cost(-1.0)
    with pytest.raises(ValueError):
        cost.block_cost(10.0, callback_rate=1.5)


def test_clock_and_length_read_the_way_people_say_them() -> None:
    assert [clock(t) for t in (None, -1.0, 7.9, 63.0, 600.0)] == ["-", "0:00", "0:07", "1:03", "10:00"]
    assert [clock(t, 1) for t in (7.94, 59.96, 63.44)] == ["0:07.9", "1:00.0", "1:03.4"]
    assert [length(t) for t in (40.0, 59.6, 750.0, 3900.0)] == ["40 s", "1 min 00 s", "12 min 30 s", "1 h 05 min"]


# -- escaping -----------------------------------------------------------------------


def test_user_text_is_escaped_everywhere_it_is_placed_in_html() -> None:
    report = make_report(f"Hi Dana, um, this is Sam from Acme {XSS} call 415 555 0192.")
    html = transcript_html(report)
    assert "<script" not in html and "&lt;script&gt;" in html
    no_words = make_report()
    no_words.words = []
    no_words.transcript = XSS
    assert "<script" not in transcript_html(no_words)
    assert "<script" not in score_card_html(50, "retake", f"{XSS}.wav · for {XSS}", XSS)
    assert "<script" not in teleprompter_html(f"Hi {XSS}\nsecond line")
    diff = script_diff(f"Hi Dana {XSS} this is Sam", make_report().transcript)
    assert diff is not None and "<script" not in diff_html(diff)
    assert "<" not in md_text(f"**{XSS}** [link](javascript:x) :red[x]")
    assert "\\[" in md_text("[link](x)")
    assert md_text('doesn\'t "say"') == 'doesn\'t "say"'
    assert html_text('"<&>') == "&quot;&lt;&amp;&gt;"


def test_safe_filename_drops_folders_and_control_characters() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\me\\take 1.m4a") == "take 1.m4a"
    assert safe_filename("bad\x00name\n.wav") == "badname.wav"
    assert safe_filename("") == "recording.wav"
    assert safe_filename("..") == "recording.wav"
    long = safe_filename("x" * 300 + ".webm")
    assert len(long.encode()) <= 240 and long.endswith(".webm")


# Issue 14: safe_filename capped at 120 characters, not 255 bytes.
def test_long_non_ascii_upload_name_fits_the_file_system(tmp_path):
    name = "语音留言" * 25 + ".wav"
    safe = safe_filename(name)
    assert len(os.fsencode(safe)) <= 255
    assert safe.endswith(".wav") and safe.startswith("语音留言")
    (tmp_path / safe).write_bytes(b"RIFF")  # raised "File name too long" before
    assert (tmp_path / safe).exists()


# -- transcript highlights -------------------------------------------------------------


def test_transcript_highlights_each_kind() -> None:
    report = analysed(make_report(TEXT_OF_EVERY_KIND))
    tagged = {w.text.strip(" ,.").lower(): kind for w, kind in zip(report.words, word_kinds(report), strict=True)}
    assert tagged["um"] == "filler"
    assert tagged["sam"] == "intro" and tagged["acme"] == "intro"
    assert tagged["sorry"] == "hedge" and tagged["bother"] == "hedge"
    assert tagged["special"] == "pitch" and tagged["offer"] == "pitch"
    assert tagged["give"] == "ask" and tagged["back"] == "ask"
    assert tagged["follow"] == "commitment" and tagged["thursday"] == "time"
    assert tagged["415"] == "number" and tagged["0192"] == "number"
    assert tagged["dana"] is None and tagged["soon"] is None
    assert kinds_present(report) == ["filler", "hedge", "pitch", "ask", "commitment", "time", "number", "intro"]
    html = transcript_html(report)
    assert 'title="Filler"' in html and 'title="Callback number"' in html and 'title="Next step"' in html


TEXT_OF_EVERY_KIND = (
    "Hi Dana, um, this is Sam from Acme. Sorry to bother you, we have a special offer. "
    "I'll follow up Thursday, or give me a call back soon at 415 555 0192."
)


def test_highlights_are_what_the_analysis_found_with_its_configuration() -> None:
    tuned = config_from_text('[rules.VM401]\nphrases = {"dana" = 5.0}\n')
    report = analysed(make_report(), tuned)
    tagged = {w.text.strip(" ,.").lower(): kind for w, kind in zip(report.words, word_kinds(report), strict=True)}
    assert tagged["dana"] == "pitch" and tagged["special"] is None
    again = Report.from_dict(json.loads(report.to_json()))
    spans = [(h.kind, h.text, h.first_word, h.last_word) for h in report.highlights]
    assert [(h.kind, h.text, h.first_word, h.last_word) for h in again.highlights] == spans
    assert word_kinds(again) == word_kinds(report)


def test_the_practice_page_names_every_stage_of_the_pipeline() -> None:
    assert list(STAGE_LABELS) == list(STAGES)


def test_a_report_from_before_highlights_opens_with_a_plain_transcript() -> None:
    data = analysed(make_report()).to_dict()
    for key in ("highlights", "script_diff"):
        del data[key]
    data["schema_version"] = 1
    old = Report.from_dict(data)
    assert old.highlights == [] and old.script_diff is None and old.schema_version == 1
    assert kinds_present(old) == [] and "<mark" not in transcript_html(old)
    assert "Sorry to bother you" in transcript_html(old)


# -- figures and compare ------------------------------------------------------------


def test_key_figures_against_their_bands() -> None:
    figures = {f.spec.key: f for f in key_figures(make_report(span=31.0, wpm=120.0), DEFAULTS)}
    assert figures["duration"].status == "high" and figures["duration"].verdict == "Too long"
    assert figures["pace"].status == "near_low" and figures["pace"].verdict == "A bit slow"
    slow = {f.spec.key: f for f in key_figures(make_report(span=27.0, wpm=100.0), DEFAULTS)}
    assert slow["pace"].status == "low" and slow["pace"].verdict == "Too slow"
    assert slow["duration"].status == "near_high"
    strict = config_from_text("[rules.VM202]\nmin_wpm = 125.0\n")
    assert {f.spec.key: f for f in key_figures(make_report(wpm=120.0), strict)}["pace"].status == "low"
    assert figures["longest_pause"].status == "ok"
    assert figures["callback_numbers"].value == 1
    assert figures["duration"].spec.target == "10-25 s"
    tuned = config_from_text("[rules.VM104]\nmax_s = 0.5\n")
    pause = {f.spec.key: f for f in key_figures(make_report(), tuned)}["longest_pause"]
    assert pause.status == "high" and pause.spec.target == "under 0.5 s"
    ideal = config_from_text("[strengths]\nideal_min_wpm = 140.0\nideal_max_wpm = 160.0\n")
    pace = {f.spec.key: f for f in key_figures(make_report(wpm=170.0), ideal)}["pace"]
    assert pace.spec.target == "140-160 wpm" and pace.status == "near_high"
    short = config_from_text("[strengths]\nshort_s = 20.0\n[rules.VM101]\nmax_s = 40.0\n")
    length_card = {f.spec.key: f for f in key_figures(make_report(span=31.0), short)}["duration"]
    assert length_card.spec.target == "10-20 s" and length_card.status == "near_high"


@pytest.mark.parametrize("duration, span", [(40.0, 20.0), (31.0, 29.5), (34.0, 31.0), (12.0, 7.0), (9.0, 8.5)])
def test_the_length_card_judges_the_speech_span_as_the_length_rules_do(duration: float, span: float) -> None:
    report = make_report(duration=duration, span=span)
    card = {f.spec.key: f for f in key_figures(report, DEFAULTS)}["duration"]
    assert card.value == pytest.approx(span) and "first word to your last" in card.spec.help
    fired = {f.code for f in evaluate(report, DEFAULTS)[0]}
    assert (card.status == "high") == ("VM101" in fired)
    assert (card.status == "low") == ("VM102" in fired)


def test_compare_two_reports() -> None:
    before = make_report(span=40.0, wpm=200.0, score=55, findings=findings_of("VM101", "VM201", "VM302", "VM302"))
    after = make_report(
        span=22.0, wpm=185.0, longest_pause=2.5, score=78, findings=findings_of("VM201", "VM302", "VM104")
    )
    diff = compare_reports(before, after, DEFAULTS)
    assert diff.score_delta == 23
    assert [f.code for f in diff.went_away] == ["VM101", "VM302"]
    assert [f.code for f in diff.appeared] == ["VM104"]
    assert [f.code for f in diff.stayed] == ["VM201", "VM302"]
    changes = {c.before.spec.key: c for c in diff.figures}
    assert changes["duration"].better is True and changes["duration"].delta == pytest.approx(-18.0)
    assert changes["pace"].better is True
    assert changes["longest_pause"].better is False
    assert changes["loudness"].better is None
    same = compare_reports(after, after, DEFAULTS)
    assert same.appeared == [] and same.went_away == [] and same.score_delta == 0


# -- timeline ---------------------------------------------------------------------------


def test_timeline_has_energy_pitch_pauses_and_findings_on_one_axis() -> None:
    report = make_report(findings=[finding("VM104", "long-pause", start=2.0), finding("VM101", "too-long")])
    frames = timeline_frames(report)
    assert len(frames["energy"]) == 2000 and frames["energy"]["db"].min() >= -60.0
    assert frames["pitch"]["run"].nunique() == 50
    assert list(frames["pauses"]["start"]) == [2.0]
    assert list(frames["findings"]["finding"]) == ["long-pause"]
    spec = timeline_chart(report).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["rect", "rect", "area", "line"]
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert {layer["encoding"]["x"]["title"] for layer in spec["layer"]} == {"Time (s)"}
    assert "long-pause" in json.dumps(spec["datasets"])


def test_missing_speech_is_said_the_same_way_in_the_text_report():
    from coach.cli.text_report import render
    from coach.report import SpeechGap, TranscriptQuality
    from coach.rules.reliability import missing_speech
    from factories.report_factory import clean_report

    report = clean_report()
    assert missing_speech(report) is None
    report.transcript_quality = TranscriptQuality(
        complete=False,
        missing_s=2.4,
        gaps=[SpeechGap(start=12.0, end=14.4, recovered=False), SpeechGap(start=3.0, end=4.0, recovered=True)],
    )
    message = missing_speech(report)
    assert message is not None and "2.4 s of your speech has no words" in message
    assert "0:12.0-0:14.4" in message and "0:03" not in message
    assert message.split(".")[0] in " ".join(render(report).split())
