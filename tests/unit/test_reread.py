"""Which callback numbers are read again, and which reading is kept (coach.analysis.reread; no Whisper)."""

from __future__ import annotations

from coach.analysis.reread import MIN_VOTES, READINGS, Reading, choose, decided, doubtful, settle
from coach.config import default_config
from coach.report import RereadNumber, TranscriptQuality, Word
from coach.rules.engine import apply
from coach.text.phone_numbers import number_spans
from factories.report_factory import build_report
from factories.word_factory import spoken


def suspects(text: str) -> list[str]:
    spans = number_spans(spoken(text))
    return [spans[k].digits for k in doubtful(spans)]


def reading(digits: str) -> Reading:
    return Reading(digits, (Word(" " + digits, 1.0, 2.0, 0.9),))


def test_whole_numbers_that_agree_are_not_read_again():
    assert suspects("My number is 415-555-0192. Again, 415-555-0192.") == []
    assert suspects("Call 555-0148 or 1-800-555-0199.") == []


def test_a_number_of_no_whole_length_is_doubtful():
    # "5 0 3, 5 5 0 1 2 6": a 5 dropped from a run of three.
    assert suspects("My number is 5 0 3, 5 5 0 1 2 6. Thanks") == ["503550126"]
    # "1-800-0555-0199." as tiny.en wrote it, in four tokens: the number is cut to its last 8 digits.
    words = [Word(" Again,", 0.0, 0.4, 0.9)] + [
        Word(t, 0.5 + 0.5 * k, 0.9 + 0.5 * k, 0.9) for k, t in enumerate([" 1", "-800", "-0555", "-0199."])
    ]
    spans = number_spans(words)
    assert [spans[k].digits for k in doubtful(spans)] == ["05550199"]


def test_digits_left_over_from_a_number_make_it_doubtful():
    assert suspects("Again, 617-555 615551555 5 I'll-0110.") == ["6155515555"]


def test_two_readings_one_digit_apart_are_both_doubtful():
    said = "My number is 206-555-0171. Again, 236-555-0171."
    assert suspects(said) == ["2065550171", "2365550171"]
    # Two different numbers (an office line and a cell) are not.
    assert suspects("Office 206-555-0171, cell 425-555-0188.") == []


def test_the_reading_most_ways_agree_on_is_kept():
    kept = choose("503550126", [reading("5035550126"), reading("5035550126"), reading("503550126")], [])
    assert kept is not None and kept.digits == "5035550126"


def test_the_takes_other_number_counts_one_vote_more():
    # The first pass wrote "1-800-0555-0199" the second time; one way reads the number as said the first time.
    kept = choose("05550199", [reading("18005550199"), reading("1800550199")], ["18005550199"])
    assert kept is not None and kept.digits == "18005550199"


def test_no_single_decoding_decides_and_a_tie_keeps_the_first_reading():
    assert MIN_VOTES == 2 and len(READINGS) == 4
    assert choose("503550126", [reading("8000550199")], []) is None
    assert choose("2065550171", [reading("2365550171")], []) is None  # one vote each: the first stays
    # Readings of no whole length are never kept, however many agree.
    assert choose("503550126", [reading("50355012"), reading("50355012")], []) is None


def test_a_number_still_doubtful_after_the_second_reading_is_not_settled():
    words = spoken("My number is 646-555-0183. Again, 555-050-183.")
    first, second = (RereadNumber(w.start, w.end, "x", "y") for w in (words[3], words[5]))
    assert [r.settled for r in settle(words, [first, second])] == [True, False]
    fixed = spoken("My number is 646-555-0183. Again, 646-555-0183.")
    assert [r.settled for r in settle(fixed, [first, second])] == [True, True]


def test_findings_that_read_an_unsettled_number_say_to_check_it_by_ear():
    text = "Hi Dana, this is Sam from Acme. My number is 646-555-0183. I'll try you Thursday at 10. Bye."
    report = build_report(text)
    report.transcript_quality = TranscriptQuality(
        reread_numbers=[RereadNumber(3.0, 4.0, "646555018", "6465550183", settled=True)]
    )
    once = next(f for f in apply(report, default_config()).findings if f.code == "VM502")
    assert "check this by ear" not in once.message
    report.transcript_quality.reread_numbers[0].settled = False
    report.transcript_quality.reread_numbers[0].kept = "646555018"
    found = {f.code: f for f in apply(report, default_config()).findings}
    assert found["VM502"].severity == "suggestion"
    assert "the number heard as 646-555-018 was read again and the readings disagree" in found["VM502"].message
    assert "check this by ear" in found["VM502"].message
    # Rules that do not read the number's digits are not touched.
    assert all("readings disagree" not in f.message for c, f in found.items() if c not in ("VM502", "VM505"))


def test_the_readings_stop_once_the_rest_cannot_change_the_choice():
    # The repeated number of rushed_number.wav, streamed: "206550171" read again; the take's other saying is
    # 2065550171. Two greedy readings of it decide: no two beam searches could outvote them.
    other = ["2065550171"]
    assert not decided("206550171", [reading("2065550171")], other, left=3)
    assert decided("206550171", [reading("2065550171"), reading("2065550171")], other, left=2)
    # Without the take's other number to agree with, two votes against two ways still to come do not decide.
    assert not decided("206550171", [reading("2065550171"), reading("2065550171")], [], left=2)
    assert decided("206550171", [reading("2065550171"), reading("2065550171"), reading("2065550171")], [], left=1)
    # A rival reading that could still catch up keeps the readings going; so does "keep the first" before the end.
    assert not decided("05550199", [reading("18005550199"), reading("1800550199")], ["18005550199"], left=2)
    assert decided("05550199", [reading("18005550199"), reading("1800550199")] * 2, ["18005550199"], left=0)
    assert not decided("503550126", [reading("50355012")], [], left=3)
    assert decided("503550126", [reading("50355012")], [], left=0)
