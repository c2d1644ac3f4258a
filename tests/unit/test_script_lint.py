"""The text lint: the recording rules run on a script (one engine), the words they mark, its estimated length."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.analysis.metrics import build_metrics
from coach.config import config_from_text, default_config
from coach.history.store import History
from coach.report import RepProfile
from coach.rules.catalogue import AUDIO, CATALOGUE, TEXT
from coach.rules.engine import evaluate, evaluate_text
from coach.script.estimate import Pace, history_pace, measured_pace, word_pace
from coach.script.lint import lint_script
from coach.script.words import Timing, script_report
from factories.paths import SAMPLES
from factories.report_factory import CLEAN_TEXT, build_report

CONFIG = default_config()
TEXT_CODES = {info.code for info in CATALOGUE if info.input_kind == TEXT}

HEDGED = (
    "Hi Dana, this is Sam from Acme. Sorry to bother you, I just wanted to touch base about payroll. "
    "Give me a call back at 415-555-0192."
)


def test_the_catalogue_says_which_rules_can_judge_text() -> None:
    assert all(info.input_kind in (AUDIO, TEXT) for info in CATALOGUE)
    assert {
        "VM301",  # too wordy
        "VM303",  # hedges
        "VM401",  # pitch phrases
        "VM402",  # me-focus
        "VM403",  # no question
        "VM501",  # no number
        "VM502",  # number once
        "VM503",  # no next step
        "VM504",  # asks for a callback
        "VM505",  # a number that is not the rep's
        "VM701",  # no introduction
        "VM702",  # no prospect name
    } == TEXT_CODES
    # Timing, pace, the number's speed, fillers, delivery and the script comparison need a recording.
    assert {"VM101", "VM102", "VM103", "VM104", "VM201", "VM202", "VM203", "VM302", "VM601", "VM605", "VM801"} <= {
        info.code for info in CATALOGUE if info.input_kind == AUDIO
    }


def test_only_rules_that_judge_words_run_on_a_script() -> None:
    # 190 words of rambling at a pace: a recording of it would be too long and too wordy.
    text = "Hi Dana, this is Sam from Acme. " + "We help teams like yours with payroll and more. " * 20
    script = script_report(text, Timing(wpm=150, digits_per_s=3.5))
    assert script.report.metrics.speech_span_s > 60
    findings, _ = evaluate_text(script.report, CONFIG)
    assert {f.code for f in findings} <= TEXT_CODES
    assert "VM301" in {f.code for f in findings}
    # The same report through the recording entry point also gets VM101 (too long): the text one does not.
    assert "VM101" in {f.code for f in evaluate(script.report, CONFIG)[0]}


@pytest.mark.parametrize("name", sorted(p.stem for p in SAMPLES.glob("*.txt")))
def test_a_script_and_a_take_of_the_same_words_get_the_same_text_findings(name: str) -> None:
    """One engine: the text lint's findings are the recording rules' findings on the same words."""
    text = (SAMPLES / f"{name}.txt").read_text()
    take = build_report(text, prospect="Dana")
    take.metrics = build_metrics(take.metrics, take.words)  # the pipeline's own text features, as for a take
    on_take = [(f.code, f.message) for f in evaluate(take, CONFIG)[0] if f.code in TEXT_CODES]
    on_script = [(f.code, f.message) for f in lint_script(text, CONFIG, prospect="Dana").findings]

    def without_times(found):
        return sorted((code, message.split(" at ")[0]) for code, message in found)

    assert without_times(on_script) == without_times(on_take)


def test_hedges_and_the_callback_request_are_underlined_where_they_are() -> None:
    result = lint_script(HEDGED, CONFIG)
    by_code = {f.code: i for i, f in enumerate(result.findings)}
    assert set(by_code) >= {"VM303", "VM504", "VM502", "VM503"}
    marked = {code: [HEDGED[m.start : m.end] for m in result.marks_of(i)] for code, i in by_code.items()}
    assert marked["VM303"] == ["Sorry to bother you", "just wanted to", "touch base"]
    assert marked["VM504"] == ["Give me a call back"]
    assert marked["VM502"] == ["415-555-0192"]
    assert marked["VM503"] == []  # about the whole message: listed, not underlined
    first = result.marks_of(by_code["VM303"])[0]
    assert (result.position(first.start).line, result.position(first.start).column) == (1, HEDGED.index("Sorry") + 1)


def test_positions_count_lines_and_columns_from_one() -> None:
    text = "Hi Dana, this is Sam from Acme.\nI was wondering if we could talk.\nHopefully this week."
    result = lint_script(text, CONFIG)
    (hedging,) = [i for i, f in enumerate(result.findings) if f.code == "VM303"]
    places = [(result.position(m.start).line, result.position(m.start).column) for m in result.marks_of(hedging)]
    assert places == [(2, 1), (3, 1)]


def test_a_clean_script_has_no_findings_and_no_marks() -> None:
    result = lint_script(CLEAN_TEXT, CONFIG, prospect="Dana")
    assert result.findings == [] and result.marks == [] and result.worst() is None


def test_the_estimate_times_words_at_the_pace_and_digits_at_the_writing_down_pace() -> None:
    words = "Hi Dana, this is Sam from Acme, calling about your new store."  # 12 words
    number = " My number is 415-555-0192."  # 3 words and 10 digits
    at_120 = lint_script(words + number, CONFIG, pace=Pace(120.0, takes=3)).estimate
    limit = CONFIG.rule("VM203")["max_digits_per_s"]
    assert at_120.seconds == pytest.approx(15 * 60 / 120 + 10 / limit)
    assert at_120.digits_per_s == limit and at_120.pace.measured
    # Without a measured pace, the default of [script] default_wpm.
    default = lint_script(words + number, CONFIG).estimate
    assert default.pace == Pace(150.0) and default.seconds == pytest.approx(15 * 60 / 150 + 10 / limit)
    # The band comes from [script].
    tuned = config_from_text("[script]\nmin_s = 5.0\nmax_s = 8.0\n")
    assert lint_script(words + number, tuned).estimate.status == "long"
    assert default.status == "short"  # 8.9 s, under the default 10-25 s band


def test_a_script_report_measures_nothing_acoustic() -> None:
    report = script_report(HEDGED, Timing(150, 3.5)).report
    m = report.metrics
    assert math.isnan(m.loudness_dbfs) and math.isnan(m.snr_db) and m.pitch_median_hz is None
    assert m.pauses == [] and report.contours is None and report.audio is None
    assert [n.digits for n in m.phone_numbers] == ["4155550192"]
    assert m.introduction is not None and m.introduction.name == "Sam"


def _take(tmp_path: Path, history: History, text: str, source: str, **layout) -> None:
    wav = tmp_path / "take.wav"
    sf.write(wav, np.zeros(1600, dtype=np.float32), 16000)
    history.save_take(wav, build_report(text, **layout), source=source)


def test_the_reps_pace_is_measured_over_their_latest_takes_without_the_samples(tmp_path: Path) -> None:
    history = History(tmp_path / "data")
    assert history_pace(history, CONFIG) == Pace(150.0)
    # Two takes at a slow pace, then a sample voicemail said fast: the sample is not the rep's voice.
    _take(tmp_path, history, CLEAN_TEXT, "upload", word_s=0.5)
    _take(tmp_path, history, CLEAN_TEXT, "record", word_s=0.5)
    _take(tmp_path, history, CLEAN_TEXT, "sample", word_s=0.2)
    slow = build_report(CLEAN_TEXT, word_s=0.5)
    words, seconds = word_pace(slow, 15)
    pace = history_pace(history, CONFIG)
    assert pace.takes == 2 and pace.wpm == pytest.approx(60 * words / seconds)
    assert pace.wpm < 150


def test_only_the_most_recent_takes_count_and_short_ones_are_skipped() -> None:
    config = config_from_text("[script]\nrecent_takes = 2\n")
    fast, slow = build_report(CLEAN_TEXT, word_s=0.25), build_report(CLEAN_TEXT, word_s=0.6)
    short = build_report("Hi, it's Sam.", word_s=0.9)
    newest_first = [short, fast, fast, slow, slow]
    pace = measured_pace(newest_first, config)
    assert pace.takes == 2
    assert pace.wpm == pytest.approx(measured_pace([fast], config).wpm)
    assert measured_pace([short], config) == Pace(150.0)


def test_script_settings_are_checked() -> None:
    from coach.errors import ConfigError

    with pytest.raises(ConfigError, match="script.min_s"):
        config_from_text("[script]\nmin_s = 30.0\n")
    with pytest.raises(ConfigError, match="script.recent_takes"):
        config_from_text("[script]\nrecent_takes = 0\n")
    with pytest.raises(ConfigError, match="script.default_wpm"):
        config_from_text("[script]\ndefault_wpm = -5\n")


def test_coach_rules_says_which_rules_also_check_a_script() -> None:
    from coach.rules.catalogue import BY_CODE
    from coach.rules.docs import render_markdown, render_rule

    assert "coach script lint" in render_rule(BY_CODE["VM303"], CONFIG)
    assert "coach script lint" not in render_rule(BY_CODE["VM101"], CONFIG)
    markdown = render_markdown(CONFIG)
    assert markdown.count("checks scripts too") == len(TEXT_CODES) + 1  # each text rule, and the legend


def test_a_script_with_a_number_that_is_not_the_reps_is_an_error_on_that_number() -> None:
    rep = RepProfile(name="Marcus", company="Ledgerline Payroll", number="415-555-0192")
    text = CLEAN_TEXT.replace("415-555-0192", "415-555-0129")
    lint = lint_script(text, CONFIG, rep=rep, prospect="Dana")
    wrong = [f for f in lint.findings if f.code == "VM505"]
    assert len(wrong) == 1 and wrong[0].severity == "error"
    assert "415-555-0192" in wrong[0].message and "0129" in wrong[0].message
    marked = {text[m.start : m.end] for m in lint.marks if lint.findings[m.finding].code == "VM505"}
    assert any("0129" in span for span in marked)
    # The rep's own number, and a script linted without a profile, get no such finding.
    assert "VM505" not in {f.code for f in lint_script(CLEAN_TEXT, CONFIG, rep=rep, prospect="Dana").findings}
    assert "VM505" not in {f.code for f in lint_script(text, CONFIG, prospect="Dana").findings}
