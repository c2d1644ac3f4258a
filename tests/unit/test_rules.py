"""The rule engine on constructed reports: each rule fires, stays quiet, and flips at its threshold.

Reports come from tests/report_factory.py (words laid out on a timeline, no
audio, no model); a test overrides only the measurement it is about.
"""

from __future__ import annotations

import ast
import dataclasses
import re

import pytest

from coach.config import config_from_text, default_config
from coach.report import Contours, Filler, Pause, PhoneNumber, Report, RepProfile, Word
from coach.rules import docs
from coach.rules.catalogue import BY_CODE
from coach.rules.engine import CODES, RULES, apply, evaluate
from coach.rules.wording import content_word_count
from coach.text.matching import TextIndex, tokenize
from factories.paths import ROOT
from factories.report_factory import CLEAN_TEXT, FRAME_RATE, build_report, clean_report, layout

DEFAULTS = default_config()


def found(report: Report, code: str, config=None):
    """Findings of one rule, through the whole engine (reliability, sorting)."""
    findings, _, _ = evaluate(report, config or DEFAULTS)
    return [f for f in findings if f.code == code]


def fires(report: Report, code: str, config=None) -> bool:
    return bool(found(report, code, config))


def with_metrics(report: Report, **changes) -> Report:
    return dataclasses.replace(report, metrics=dataclasses.replace(report.metrics, **changes))


def with_span(report: Report, span: float) -> Report:
    start = report.metrics.speech_start_s
    return with_metrics(report, speech_end_s=start + span, speech_span_s=span)


def one(report: Report, code: str, config=None):
    items = found(report, code, config)
    assert len(items) == 1, items
    return items[0]


# -- the clean message ------------------------------------------------------------------


def test_clean_calm_message_fires_no_warning_and_scores_high():
    report = clean_report()
    assert 18 <= report.metrics.speech_span_s <= 25
    findings, strengths, score = evaluate(report, DEFAULTS)
    assert [f for f in findings if f.severity in ("error", "warning")] == []
    assert score.value >= 90
    names = {s.name for s in strengths}
    assert {
        "Number said twice",
        "Specific next step",
        "Short and to the point",
        "Pace in the sweet spot",
        "Introduced yourself early",
        "Gave them a reason to reply",
        "No fillers",
        "Clean recording",
        "Used their name",
    } <= names


def test_every_catalogue_code_has_a_rule():
    assert list(RULES) == list(CODES)
    assert len(CODES) == 26


# -- VM1xx timing ---------------------------------------------------------------------------


def test_vm101_too_long_message_names_the_overrun_and_points_past_the_limit():
    report = with_span(clean_report(), 38.0)
    f = one(report, "VM101")
    assert f.severity == "warning"
    assert f.message.startswith("38 s from your first word to your last: 8 s over the 30 s limit")
    assert f.start_s == pytest.approx(report.metrics.speech_start_s + 30.0)
    assert f.end_s == pytest.approx(report.metrics.speech_end_s)
    assert "38 s" in f.evidence


def test_vm101_error_over_45_s():
    assert one(with_span(clean_report(), 50.0), "VM101").severity == "error"


@pytest.mark.parametrize(
    "span, expected",
    [(30.0, None), (30.05, "warning"), (45.0, "warning"), (45.05, "error")],
)
def test_vm101_boundaries(span, expected):
    items = found(with_span(clean_report(), span), "VM101")
    assert [f.severity for f in items] == ([expected] if expected else [])


def test_vm101_uses_the_speech_span_not_the_file_length():
    report = dataclasses.replace(clean_report(), duration_s=40.0)
    assert report.metrics.speech_span_s < 30
    assert not fires(report, "VM101")


@pytest.mark.parametrize("span, fired", [(5.0, True), (7.95, True), (8.0, False), (20.0, False)])
def test_vm102_too_short(span, fired):
    assert fires(with_span(clean_report(), span), "VM102") is fired


def test_vm103_dead_air_points_at_the_silence():
    report = build_report(CLEAN_TEXT, lead_s=2.5)
    f = one(report, "VM103")
    assert f.message.startswith("2.5 s of silence before your first word")
    assert (f.start_s, f.end_s) == (0.0, pytest.approx(2.5))


@pytest.mark.parametrize("lead, fired", [(0.4, False), (1.0, False), (1.05, True)])
def test_vm103_boundary(lead, fired):
    assert fires(build_report(CLEAN_TEXT, lead_s=lead), "VM103") is fired


def test_vm104_long_pause_quotes_what_came_before():
    words = CLEAN_TEXT.split()
    at = [i for i, w in enumerate(words) if w == "is"][1]  # "My number is" ...
    report = build_report(CLEAN_TEXT, pauses={at: 3.0})
    f = one(report, "VM104")
    assert "of silence after" in f.message and "number is" in f.message
    pause = max(report.metrics.pauses, key=lambda p: p.duration)
    assert (f.start_s, f.end_s) == (pause.start, pause.end)


@pytest.mark.parametrize("length, fired", [(1.5, False), (2.0, False), (2.05, True)])
def test_vm104_boundary(length, fired):
    report = with_metrics(clean_report(), pauses=[Pause(5.0, 5.0 + length)])
    assert fires(report, "VM104") is fired


def test_vm104_each_long_pause_is_a_finding_but_costs_once():
    report = with_metrics(clean_report(), pauses=[Pause(3.0, 6.0), Pause(9.0, 12.5)])
    findings, _, score = evaluate(report, DEFAULTS)
    assert [f.start_s for f in findings if f.code == "VM104"] == [3.0, 9.0]
    assert [i.code for i in score.breakdown] == ["VM104"]
    assert score.value == 90


# -- VM2xx pace -------------------------------------------------------------------------------


def test_vm201_too_fast_message():
    f = one(with_metrics(clean_report(), wpm=205.0), "VM201")
    assert f.message.startswith("205 words a minute: 15 over the 190 limit")


@pytest.mark.parametrize("wpm, fired", [(160.0, False), (190.0, False), (190.5, True)])
def test_vm201_boundary(wpm, fired):
    assert fires(with_metrics(clean_report(), wpm=wpm), "VM201") is fired


def test_vm201_not_judged_on_few_words():
    assert not fires(with_metrics(clean_report(), wpm=260.0, word_count=10), "VM201")


def test_vm201_fires_on_a_rushed_layout():
    report = build_report(CLEAN_TEXT, word_s=0.2, digit_s=0.2)
    assert report.metrics.wpm > 190
    assert fires(report, "VM201")


@pytest.mark.parametrize("wpm, fired", [(95.0, True), (109.5, True), (110.0, False), (150.0, False)])
def test_vm202_too_slow(wpm, fired):
    assert fires(with_metrics(clean_report(), wpm=wpm), "VM202") is fired


def test_vm203_rushed_number_points_at_the_number():
    report = build_report(CLEAN_TEXT, digit_s=0.2)
    numbers = report.metrics.phone_numbers
    assert len(numbers) == 2 and all(n.digits_per_s > 3.5 for n in numbers)
    items = found(report, "VM203")
    assert [(f.start_s, f.end_s) for f in items] == [(n.start, n.end) for n in numbers]
    assert "digits a second (limit 3.5)" in items[0].message
    assert "415 - 555 - 0192" in items[0].fix


@pytest.mark.parametrize("rate, fired", [(3.0, False), (3.5, False), (3.51, True)])
def test_vm203_boundary(rate, fired):
    number = PhoneNumber("4155550192", 10.0, 10.0 + 10 / rate, rate, "415-555-0192")
    assert fires(with_metrics(clean_report(), phone_numbers=[number]), "VM203") is fired


# -- VM3xx wording ----------------------------------------------------------------------------


def _sentences(count: int, words_each: int) -> str:
    vocabulary = ["teams", "often", "find", "that", "shipping", "costs", "rise", "quickly", "each", "season"]
    sentence = " ".join(vocabulary[i % len(vocabulary)] for i in range(words_each))
    return " ".join(f"{sentence.capitalize()}." for _ in range(count))


@pytest.mark.parametrize("words, fired", [(70, False), (75, False), (76, True)])
def test_vm301_word_limit(words, fired):
    # sentences of 5 words (the average stays low), plus a remainder sentence
    text = _sentences(words // 5, 5) + (" " + _sentences(1, words % 5) if words % 5 else "")
    report = build_report(text)
    assert report.metrics.word_count == words
    assert fires(report, "VM301") is fired


@pytest.mark.parametrize("per_sentence, fired", [(20, False), (25, False), (26, True)])
def test_vm301_sentence_average(per_sentence, fired):
    report = build_report(_sentences(2, per_sentence))
    assert fires(report, "VM301") is fired


def test_vm301_message_and_longest_sentence():
    text = _sentences(16, 5) + " " + _sentences(1, 12)
    f = one(build_report(text), "VM301")
    assert f.message.startswith("92 words: 17 over the 75-word limit")
    assert "longest sentence (12 words)" in f.fix
    assert f.start_s is not None


def test_vm301_counts_a_phone_number_as_one_word():
    report = clean_report()
    assert report.metrics.word_count == content_word_count(report) + 2 * 9


def test_vm302_filler_count():
    text = "Hi Dana, um, this is Marcus, uh, from Ledgerline. Um, I saw your, uh, new store. " + CLEAN_TEXT
    report = build_report(text)
    f = one(report, "VM302")
    assert f.message.startswith("4 fillers: 1 over the limit of 3")
    assert f.start_s == report.metrics.fillers[0].start
    assert '"um,"' in f.evidence.lower() or '"um"' in f.evidence.lower()


def _fillers(count: int) -> list[Filler]:
    return [Filler("um", 2.0 + i, 2.2 + i) for i in range(count)]


@pytest.mark.parametrize("span, fired", [(60.0, False), (45.0, False), (44.0, True)])
def test_vm302_rate_boundary(span, fired):
    # 3 fillers: not over the count limit; 4 a minute is the rate limit
    report = with_span(with_metrics(clean_report(), fillers=_fillers(3), filler_count=3), span)
    assert fires(report, "VM302") is fired


def test_vm302_one_slip_in_a_short_message_is_not_a_finding():
    report = with_metrics(clean_report(), fillers=_fillers(1), filler_count=1)
    assert not fires(report, "VM302")


def test_vm303_hedging_fires_at_two_phrases_with_times():
    text = "Hi Dana, sorry to bother you, I just wanted to ask about payroll. " + CLEAN_TEXT
    report = build_report(text)
    f = one(report, "VM303")
    assert f.severity == "suggestion"
    assert f.message.startswith('2 hedging phrases: "sorry to bother you", "just wanted to"')
    sorry = next(w for w in report.words if w.text.strip().lower() == "sorry")
    assert f.start_s == sorry.start
    assert 'instead of "just wanted to"' in f.fix


def test_vm303_one_hedge_is_not_a_finding():
    assert not fires(build_report("Hi Dana, sorry to bother you. " + CLEAN_TEXT), "VM303")


def test_vm303_matching_ignores_case_punctuation_and_partial_words():
    assert fires(build_report("Kind-of a HOPEFULLY short message. " + CLEAN_TEXT), "VM303")
    assert not fires(build_report("What kinds of stores? Hopefulness. " + CLEAN_TEXT), "VM303")


# -- VM4xx pitch ----------------------------------------------------------------------------------

PITCH = (
    "Hi Kevin, this is Tyler with ShieldPoint. I'm calling to save you money with our industry-leading "
    "solution. We have a special offer for a limited time, with a free trial and no obligation. "
    "Call me at 646-555-0183."
)


def test_vm401_sales_pitch_fires_with_weighted_evidence():
    f = one(build_report(PITCH), "VM401")
    assert f.severity == "warning"
    assert '"calling to save you money"' in f.message and '"special offer"' in f.message
    assert "(2)" in f.evidence


@pytest.mark.parametrize(
    "extra, fired",
    [
        ("We are industry-leading.", False),  # 1
        ("We have a special offer.", False),  # 2
        ("We have a special offer and a discount.", True),  # 3 = threshold
    ],
)
def test_vm401_threshold(extra, fired):
    assert fires(build_report(CLEAN_TEXT + " " + extra), "VM401") is fired


def test_vm402_me_focused():
    text = "We help teams. Our platform is what we built, and I think my team and I can help us all. Call you soon."
    f = one(build_report(text), "VM402")
    assert "to 1 (limit 2 to 1)" in f.message


def test_vm402_exactly_two_to_one_is_not_a_finding():
    text = "We built our tool for us and I run my team and we grow. You and your team and your board."
    index = TextIndex([], text)
    assert len(index.positions(DEFAULTS.rule("VM402")["me_words"])) == 6
    assert len(index.positions(DEFAULTS.rule("VM402")["you_words"])) == 3
    assert not fires(build_report(text), "VM402")
    assert fires(build_report(text.replace(" and your board", "")), "VM402")


def test_vm402_needs_enough_me_words():
    assert not fires(build_report("We built our tool and I run it. Thanks."), "VM402")


def test_vm403_no_question_no_hook():
    text = "Hi Dana, this is Marcus from Ledgerline Payroll. I'll try you Thursday at 10. My number is 415-555-0192."
    f = one(build_report(text), "VM403")
    assert f.severity == "suggestion"
    assert not fires(build_report(text + " How are you handling payroll?"), "VM403")
    assert not fires(build_report(text + " I noticed your third store opened."), "VM403")


# -- VM5xx callback ---------------------------------------------------------------------------------


def test_vm501_no_number():
    text = "Hi Dana, this is Marcus from Ledgerline. I'll try you again Thursday at 10 am. Talk soon."
    f = one(build_report(text), "VM501")
    assert f.severity == "warning"
    assert not fires(clean_report(), "VM501")


def test_vm502_number_said_once_points_at_it():
    text = CLEAN_TEXT.replace(" Again, Marcus at 415-555-0192.", "")
    report = build_report(text)
    f = one(report, "VM502")
    number = report.metrics.phone_numbers[0]
    assert (f.start_s, f.end_s) == (number.start, number.end)
    assert "415-555-0192" in f.message


def test_vm502_twice_is_fine_even_with_a_dropped_digit():
    assert not fires(clean_report(), "VM502")
    text = CLEAN_TEXT.replace("Again, Marcus at 415-555-0192.", "Again, Marcus at 415-555-092.")
    report = build_report(text)
    assert [n.digits for n in report.metrics.phone_numbers] == ["4155550192", "415555092"]
    assert not fires(report, "VM502")


def test_vm502_two_different_numbers_each_once():
    text = CLEAN_TEXT.replace("Again, Marcus at 415-555-0192.", "Or my cell, 628-555-0147.")
    report = build_report(text)
    assert len(found(report, "VM502")) == 2


BASE = "Hi Dana, this is Marcus from Ledgerline Payroll. My number is 415-555-0192. "


@pytest.mark.parametrize(
    "closing",
    [
        "I'll try you again Thursday at 10.",
        "I'll call you tomorrow morning at 9.",
        "I'll follow up at 2 pm.",
        "I'll reach out on the 14th.",
        "I'll try you next Tuesday.",
        "I will give you a call Friday at ten thirty.",
        "On Monday I'm going to follow up.",
        # Whisper's mishearings of a named day or time (espeak voices on the evaluation set)
        "I'll call you to use the afternoon.",
        "I'll try to win that to 30 p.m.",
        # "10am" as Whisper writes it: a number and "am", like "10 a.m."
        "I'll try to again first date at 10am.",
        "I'll call you at 2:30PM.",
    ],
)
def test_vm503_specific_next_step_is_not_a_finding(closing):
    assert not fires(build_report(BASE + closing), "VM503")


@pytest.mark.parametrize(
    "closing, fragment",
    [
        ("I'll follow up soon.", 'You say "I\'ll follow up" but not when'),
        ("I'll try you next week.", "but not when"),
        ("I'll call you at one of your stores.", "but not when"),
        ("Thursday at 10 works for a chat.", "don't commit to trying them then"),
        ("Have a good one.", "doesn't say when you'll try them next"),
        # a part of the day names the time only just after a commitment
        ("Have a good afternoon. I'll follow up soon.", "but not when"),
        ("I'll follow up soon, so enjoy the rest of your afternoon.", "but not when"),
    ],
)
def test_vm503_missing_next_step(closing, fragment):
    f = one(build_report(BASE + closing), "VM503")
    assert fragment in f.message


def test_vm503_points_at_the_vague_commitment():
    report = build_report(BASE + "I'll follow up soon.")
    f = one(report, "VM503")
    ill = next(w for w in report.words if w.text.strip() == "I'll")
    up = next(w for w in report.words if w.text.strip() == "up")
    assert (f.start_s, f.end_s) == (ill.start, up.end)


def test_vm504_asks_for_callback_rewrite_uses_the_reps_number():
    report = build_report(BASE + "Give me a call back when you can.")
    f = one(report, "VM504")
    assert '"Give me a call back"' in f.message
    assert "I'll try you again Thursday at 10; if sooner suits you, my number is 415-555-0192." in f.fix
    assert f.start_s == next(w for w in report.words if w.text.strip() == "Give").start


def test_vm504_without_a_number_leaves_a_placeholder():
    f = one(build_report("Hi Dana, this is Marcus. Call me back when you can."), "VM504")
    assert "[your number]" in f.fix


def test_vm504_quiet_when_the_rep_commits_to_the_next_attempt():
    assert not fires(build_report(BASE + "I'll try you Thursday at 10; if sooner suits you, call me."), "VM504")
    assert not fires(clean_report(), "VM504")


# -- VM6xx delivery -------------------------------------------------------------------------------------


@pytest.mark.parametrize("st, fired", [(1.5, True), (1.99, True), (2.0, False), (None, False)])
def test_vm601_monotone(st, fired):
    assert fires(with_metrics(clean_report(), pitch_variation_st=st), "VM601") is fired


@pytest.mark.parametrize("level, fired", [(-42.0, True), (-35.1, True), (-35.0, False), (-22.0, False)])
def test_vm602_too_quiet(level, fired):
    assert fires(with_metrics(clean_report(), loudness_dbfs=level), "VM602") is fired


@pytest.mark.parametrize("ratio, fired", [(0.002, True), (0.0011, True), (0.001, False), (0.0, False)])
def test_vm603_clipping(ratio, fired):
    assert fires(with_metrics(clean_report(), clipping_ratio=ratio), "VM603") is fired


def test_vm603_message_in_percent():
    assert one(with_metrics(clean_report(), clipping_ratio=0.008), "VM603").message.startswith(
        "0.8% of samples are clipped"
    )


@pytest.mark.parametrize("snr, fired", [(9.0, True), (14.9, True), (15.0, False), (30.0, False)])
def test_vm604_noisy(snr, fired):
    items = found(with_metrics(clean_report(), snr_db=snr), "VM604")
    assert bool(items) is fired
    if items:  # acoustic: keeps its severity even when the transcript is distrusted
        assert items[0].severity == "warning"


def _flat_contour(report: Report, head_db: float, tail_db: float) -> Report:
    """Constant energy over the speech span, ``tail_db`` in its last fifth."""
    m = report.metrics
    n = int(report.duration_s * FRAME_RATE) + 1
    split = m.speech_start_s + 0.8 * m.speech_span_s
    energy = []
    for i in range(n):
        t = i / FRAME_RATE
        if t < m.speech_start_s or t > m.speech_end_s:
            energy.append(-70.0)
        else:
            energy.append(tail_db if t >= split else head_db)
    return dataclasses.replace(report, contours=Contours(FRAME_RATE, energy, [None] * n))


def test_vm605_trailing_off_points_at_the_end():
    report = build_report(CLEAN_TEXT, tail_drop_db=9.0)
    f = one(report, "VM605")
    m = report.metrics
    assert f.start_s == pytest.approx(m.speech_start_s + 0.8 * m.speech_span_s, abs=0.02)
    assert f.end_s == m.speech_end_s
    assert "quieter than the rest" in f.message and "your number" in f.message


@pytest.mark.parametrize("tail, fired", [(-20.0, False), (-25.8, False), (-26.2, True), (-32.0, True)])
def test_vm605_boundary(tail, fired):
    assert fires(_flat_contour(clean_report(), -20.0, tail), "VM605") is fired


def test_vm605_pauses_do_not_count_as_quiet():
    # long silent gaps in the last fifth, speech in it at full level
    words = CLEAN_TEXT.split()
    report = build_report(CLEAN_TEXT, pauses={len(words) - 3: 1.5, len(words) - 2: 1.5})
    assert not fires(report, "VM605")


def test_vm605_needs_a_contour():
    assert not fires(build_report(CLEAN_TEXT, contours=False, tail_drop_db=12.0), "VM605")


# -- VM7xx introduction, VM8xx script --------------------------------------------------------------------


def test_vm701_no_introduction():
    report = build_report(
        "Hi Dana, calling about payroll. I'll try you Thursday at 10. My number is 415-555-0192.", prospect="Dana"
    )
    assert report.metrics.introduction is None
    f = one(report, "VM701")
    assert '"Hi Dana, this is [your name] from [your company]."' in f.fix
    assert not fires(clean_report(), "VM701")


@pytest.mark.parametrize(
    "prospect, fired",
    [(None, False), ("Dana", False), ("Dana Lee", False), ("Danna", False), ("Priya", True)],
)
def test_vm702_prospect_name(prospect, fired):
    assert fires(build_report(CLEAN_TEXT, prospect=prospect), "VM702") is fired


def test_vm702_similarity_settings_are_the_boundary():
    strict = config_from_text("[rules.VM702]\nmin_similarity = 1.0\ngreeting_similarity = 1.0\n")
    assert fires(build_report(CLEAN_TEXT, prospect="Danna"), "VM702", strict)


def test_vm702_a_misheard_name_right_after_the_greeting_counts():
    # Whisper heard "Laura" as "Ora" (similarity 0.5): enough after "Hi", not elsewhere
    assert not fires(build_report("Hi, Ora. This is Sam. " + CLEAN_TEXT[9:], prospect="Laura"), "VM702")
    assert fires(build_report("Hi there. This is Sam, Ora. " + CLEAN_TEXT[9:], prospect="Laura"), "VM702")


def test_vm702_a_similar_common_word_is_not_the_name():
    text = "Hi there, this is Marcus. Your payroll data is what I'd like to talk about."
    assert fires(build_report(text, prospect="Dana"), "VM702")


SCRIPT = "Hi Dana this is Marcus from Ledgerline Payroll and my number is easy to remember okay"  # 15 words


@pytest.mark.parametrize("skipped, fired", [(0, False), (3, False), (4, True), (8, True)])
def test_vm801_off_script_boundary(skipped, fired):
    # 3 of 15 words skipped = 20% (the limit, not over it); 4 = 26.7%
    words = SCRIPT.split()
    said = " ".join(words[: len(words) - skipped]) + "."
    report = build_report(said, script=SCRIPT)
    assert fires(report, "VM801") is fired


def test_vm801_only_with_a_script():
    assert not fires(build_report("Something else entirely."), "VM801")


def test_vm801_fix_names_what_was_skipped():
    report = build_report("Hi Dana this is Marcus. Okay.", script=SCRIPT)
    f = one(report, "VM801")
    assert "skipped" in f.fix and "Ledgerline" in f.fix


# -- reliability, ordering, scoring -------------------------------------------------------------------------


def test_unreliable_transcript_downgrades_text_rules_and_says_so():
    text = "Hi Dana, calling about payroll. Talk soon."
    report = build_report(text, probability=0.35)
    findings, strengths, _ = evaluate(report, DEFAULTS)
    vm501 = next(f for f in findings if f.code == "VM501")
    assert vm501.severity == "suggestion"
    assert "transcript confidence is low" in vm501.message and "check this by ear" in vm501.message
    assert not {"No fillers", "Pace in the sweet spot"} & {s.name for s in strengths}


def test_low_snr_distrusts_the_transcript_but_not_the_acoustics():
    report = with_metrics(build_report("Hi Dana, calling about payroll. Talk soon."), snr_db=6.0)
    findings, _, _ = evaluate(report, DEFAULTS)
    by_code = {f.code: f for f in findings}
    assert by_code["VM604"].severity == "warning"
    assert by_code["VM501"].severity == "suggestion"
    assert "signal-to-noise 6 dB" in by_code["VM501"].message


def test_reliable_transcript_keeps_severity():
    report = build_report("Hi Dana, calling about payroll. Talk soon.", probability=0.9)
    assert one(report, "VM501").severity == "warning"


def test_findings_sorted_by_severity_then_time():
    report = with_span(build_report(BASE + "Give me a call back. Kind of hopefully.", lead_s=2.0), 50.0)
    findings, _, _ = evaluate(report, DEFAULTS)
    ranks = {"error": 0, "warning": 1, "suggestion": 2}
    keys = [(ranks[f.severity], f.start_s is not None, f.start_s or 0.0) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].code == "VM101" and findings[0].severity == "error"


def test_score_breakdown_sums_to_the_points_lost():
    report = with_metrics(build_report(PITCH), snr_db=12.0, pitch_variation_st=1.0)
    findings, _, score = evaluate(report, DEFAULTS)
    assert score.value == 100 - sum(item.points for item in score.breakdown)
    points = {"error": 20, "warning": 10, "suggestion": 4}
    assert sorted(i.code for i in score.breakdown) == sorted({f.code for f in findings})
    for item in score.breakdown:
        assert item.points == points[item.severity]


def test_score_floors_at_zero_and_still_adds_up():
    report = with_span(build_report("Um uh um uh um. Call me back.", lead_s=3.0), 60.0)
    report = with_metrics(report, snr_db=5.0, pitch_variation_st=0.5, loudness_dbfs=-50.0, clipping_ratio=0.05)
    heavy = config_from_text("[score]\nwarning = 30\nsuggestion = 10\n")
    findings, _, score = evaluate(report, heavy)
    assert score.value == 0
    assert sum(i.points for i in score.breakdown) == 100
    assert len(score.breakdown) == len({f.code for f in findings})


def test_apply_fills_the_report_and_survives_json():
    report = apply(build_report(BASE + "Give me a call back.", script=SCRIPT), DEFAULTS)
    assert report.findings and report.strengths and report.score is not None
    assert {h.kind for h in report.highlights} >= {"number", "intro", "ask"}
    again = Report.from_dict(report.to_dict())
    assert [f.code for f in again.findings] == [f.code for f in report.findings]
    assert again.score.value == report.score.value
    assert [(h.kind, h.first_word, h.last_word) for h in again.highlights] == [
        (h.kind, h.first_word, h.last_word) for h in report.highlights
    ]
    assert again.script_diff == report.script_diff and again.script_diff is not None


def test_select_and_ignore_limit_the_rules_run():
    report = with_span(build_report(BASE + "Give me a call back.", lead_s=2.0), 40.0)
    only_callback = config_from_text('select = ["VM5"]\nignore = ["VM504"]\n')
    codes = {f.code for f in evaluate(report, only_callback)[0]}
    assert codes and all(c.startswith("VM5") for c in codes) and "VM504" not in codes


def test_tokenize_normalises_like_the_phrase_lists():
    assert tokenize("I'll try you—Thursday at 10 a.m.!") == ["i", "will", "try", "you", "thursday", "at", "10", "am"]
    assert tokenize("Industry-Leading, don't") == ["industry", "leading", "do", "not"]


def test_measurements_lost_in_json_are_skipped_not_guessed():
    data = clean_report().to_dict()
    for key in ("snr_db", "loudness_dbfs", "clipping_ratio", "pitch_variation_st", "peak_dbfs"):
        data["metrics"][key] = None  # -inf/NaN are written as null
    data["contours"] = None
    findings, strengths, score = evaluate(Report.from_dict(data), DEFAULTS)
    assert not {f.code for f in findings} & {"VM601", "VM602", "VM603", "VM604", "VM605"}
    assert "Clean recording" not in {s.name for s in strengths}
    assert score.value >= 90


# -- one home for every text ----------------------------------------------------------------------


def _every_rule_fires() -> list[Report]:
    """Reports that between them fire every rule of the catalogue."""
    number_once = CLEAN_TEXT.replace(" Again, Marcus at 415-555-0192.", "")
    long_text = _sentences(16, 5) + " " + _sentences(1, 12)
    return [
        with_span(clean_report(), 50.0),
        with_span(clean_report(), 5.0),
        build_report(CLEAN_TEXT, lead_s=2.5, digit_s=0.2, tail_drop_db=9.0, prospect="Priya"),
        with_metrics(clean_report(), pauses=[Pause(3.0, 6.0)], wpm=205.0, pitch_variation_st=1.0),
        with_metrics(clean_report(), wpm=95.0, loudness_dbfs=-42.0, clipping_ratio=0.008),
        with_metrics(build_report(number_once), snr_db=12.0, pitch_median_hz=None, pitch_variation_st=1.5),
        build_report(long_text),
        build_report("Hi Dana, um, this is Marcus, uh, from Ledgerline. Um, I saw your, uh, new store. " + CLEAN_TEXT),
        build_report("Hi Dana, sorry to bother you, I just wanted to ask about payroll. " + CLEAN_TEXT),
        build_report(PITCH),
        build_report("We help teams. Our platform is what we built, and I think my team and I can help us all."),
        build_report("Hi Dana, calling about payroll. I'll follow up soon. Give me a call back.", prospect="Dana"),
        build_report("Hi Dana this is Marcus. Okay.", script=SCRIPT),
        _with_rep(clean_report(), RepProfile(number="415-555-0129")),
    ]


def _with_rep(report: Report, rep: RepProfile) -> Report:
    report.rep = rep
    return report


def _pattern(template: str) -> str:
    """A regex for what ``template`` reads once its placeholders are filled with anything."""
    parts = re.split(r"\{\w+\}", template)
    return "(?s:.*?)".join(re.escape(p) for p in parts)


def test_every_finding_reads_its_catalogue_templates():
    found = [f for report in _every_rule_fires() for f in evaluate(report, DEFAULTS)[0]]
    assert {f.code for f in found} == set(CODES)
    for f in found:
        info = BY_CODE[f.code]
        texts = "|".join(f"(?:{_pattern(t)})" for t in info.texts.values())
        assert re.fullmatch(f"(?:{texts})+", f.message), (f.code, f.message)
        assert re.fullmatch(f"(?:{texts})", f.evidence), (f.code, f.evidence)
        assert re.fullmatch(f"{_pattern(info.fix)}(?: (?:{texts}))*", f.fix), (f.code, f.fix)
        if not info.fix_defaults:
            assert f.fix.startswith(docs.fix(info, DEFAULTS)), f.code


def test_check_functions_hold_no_prose():
    """Strings in the checks are names (of texts, values, settings) or punctuation, never words to read."""
    for family in ("timing", "pace", "wording", "pitch", "callback", "delivery", "intro", "script"):
        tree = ast.parse((ROOT / "coach" / "rules" / f"{family}.py").read_text())
        for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
            body = function.body[1:] if ast.get_docstring(function) else function.body
            for node in (n for stmt in body for n in ast.walk(stmt)):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    assert re.fullmatch(r"\w*|[^A-Za-z]*", node.value), (family, function.name, node.value)


def test_the_rules_never_import_the_settings():
    """coach.rules receives a Config; it imports coach.config only for type names."""
    for path in (ROOT / "coach" / "rules").glob("*.py"):
        tree = ast.parse(path.read_text())
        typing_only = {
            id(n)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for n in ast.walk(block)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "coach.config":
                assert id(node) in typing_only, path.name
    config = ast.parse((ROOT / "coach" / "config.py").read_text())
    modules = {n.module for n in ast.walk(config) if isinstance(n, ast.ImportFrom) and n.module}
    assert {m for m in modules if m.startswith("coach.rules")} == {"coach.rules.catalogue"}


def test_pace_advice_reads_the_configured_ideal_band():
    fast, slow = with_metrics(clean_report(), wpm=205.0), with_metrics(clean_report(), wpm=95.0)
    assert "Slow to about 130-175 words a minute" in one(fast, "VM201").fix
    assert "aim for 130-175 words a minute" in one(slow, "VM202").fix
    band = config_from_text("[strengths]\nideal_min_wpm = 140.0\nideal_max_wpm = 160.0\n")
    assert "Slow to about 140-160 words a minute" in one(fast, "VM201", band).fix
    assert "aim for 140-160 words a minute" in one(slow, "VM202", band).fix
    assert one(fast, "VM201", band).fix == docs.fix(BY_CODE["VM201"], band)
    assert "140-160 words a minute" in docs.render_rule(BY_CODE["VM201"], band)


def test_vm801_reads_the_script_diff_in_the_report():
    report = build_report(SCRIPT + ".", script=SCRIPT)
    assert report.script_diff is not None and report.script_diff.changed_ratio == 0
    assert not fires(report, "VM801")
    drifted = dataclasses.replace(report, script_diff=dataclasses.replace(report.script_diff, changed_ratio=0.5))
    assert one(drifted, "VM801").message.startswith("50% of the script's words were changed or skipped")
    assert not fires(dataclasses.replace(report, script_diff=None), "VM801")


def test_vm503_reads_a_pm_that_whisper_wrote_as_two_words():
    # Whisper now and then writes "p.m." as " p" + ".m." (here in "Wednesday at 2 30 pm" as heard from an espeak
    # voice): still a clock time, and quoted whole.
    text = BASE + "I'll try to win that to 30 p.m."
    words = layout(text)
    k = next(i for i, w in enumerate(words) if w.text == " p.m.")
    w = words[k]
    middle = (w.start + w.end) / 2
    words[k : k + 1] = [Word(" p", w.start, middle, w.probability), Word(".m.", middle, w.end, w.probability)]
    index = TextIndex(words)
    assert index.tokens[-2:] == ["30", "pm"]
    assert index.span(len(index) - 2, len(index) - 1)[0] == "30 p.m"
    assert not fires(build_report(text, words=words), "VM503")
