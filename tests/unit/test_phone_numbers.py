"""Callback numbers from Whisper word lists: numerals, words, mixes, and what is not a number."""

from __future__ import annotations

import pytest

from coach.cli.text_report import render
from coach.config import default_config
from coach.report import PhoneNumber, Word
from coach.rules.engine import apply
from coach.text.normalise import spoken_word_count
from coach.text.phone_numbers import (
    find_phone_numbers,
    group_digits,
    number_spans,
    same_number,
    shown_number,
    usual_length,
)
from factories.report_factory import build_report
from factories.word_factory import spoken, words_of


def digits_found(words: list[Word]) -> list[str]:
    return [n.digits for n in find_phone_numbers(words)]


# --- shapes of one number ---------------------------------------------------


def test_numerals_in_one_token():
    words = spoken("My number is 415-555-0192. Talk soon.")
    (number,) = find_phone_numbers(words)
    assert number.digits == "4155550192"
    assert number.text == "415-555-0192"
    assert (number.start, number.end) == (words[3].start, words[3].end)


def test_numerals_over_several_tokens():
    words = words_of([" My", " number", " is", " 415", "-555", "-0192."])
    (number,) = find_phone_numbers(words)
    assert number.digits == "4155550192"
    assert number.text == "415-555-0192"
    assert number.start == words[3].start and number.end == words[5].end


def test_parentheses_area_code():
    words = words_of([" Call", " me", " at", " (415)", " 555-0192", " today."])
    (number,) = find_phone_numbers(words)
    assert number.digits == "4155550192"
    assert number.text == "(415) 555-0192"


def test_dotted_numerals():
    assert digits_found(spoken("reach me at 415.555.0192 anytime")) == ["4155550192"]


def test_digit_words_with_oh_and_group_commas():
    words = spoken("It's four one five, five five five, oh one nine two. Thanks.")
    (number,) = find_phone_numbers(words)
    assert number.digits == "4155550192"
    assert number.text == "four one five, five five five, oh one nine two"


def test_double_and_triple():
    assert digits_found(spoken("call four one five triple five oh one nine two")) == ["4155550192"]
    assert digits_found(spoken("call two oh six, double five five, oh one seven one")) == ["2065550171"]


def test_mixed_numerals_and_words():
    words = words_of([" at", " 415", " five", " five", " five,", " 0192."])
    assert digits_found(words) == ["4155550192"]


def test_tens_and_teens_words():
    assert digits_found(spoken("four one five five five five oh one ninety-two")) == ["4155550192"]
    assert digits_found(spoken("four one five five five five oh one ninety two")) == ["4155550192"]
    assert digits_found(spoken("five five five, nineteen eighty-two, thanks")) == ["5551982"]


def test_dash_and_and_do_not_break_a_number():
    assert digits_found(spoken("four one five dash five five five and oh one nine two")) == ["4155550192"]


def test_country_code_and_eight_hundred():
    assert digits_found(spoken("call 1-800-555-0199 today")) == ["18005550199"]
    assert digits_found(spoken("call one eight hundred five five five oh one nine nine")) == ["18005550199"]


def test_seven_digit_local_number():
    assert digits_found(spoken("my direct line is 555-0147 ok")) == ["5550147"]


def test_dropped_digit_still_found():
    # tiny.en's real output for "415-555-0192" in an early take of sample_audio/good_voicemail.wav
    words = [
        Word(" My", 3.3, 3.44, 0.9),
        Word(" number", 3.44, 3.68, 0.9),
        Word(" is", 3.68, 4.18, 0.9),
        Word(" 415", 4.18, 4.8, 0.9),
        Word("-55", 4.8, 5.8, 0.9),
        Word("-0192.", 5.8, 7.5, 0.9),
        Word(" I", 8.1, 8.1, 0.9),
    ]
    (number,) = find_phone_numbers(words)
    assert number.digits == "415550192"
    assert number.start == 4.18 and number.end == 7.5
    assert number.digits_per_s == pytest.approx(9 / (7.5 - 4.18))


def test_stray_letter_in_a_digit_group_keeps_the_digits():
    # tiny.en's real output for a rushed "206-555-0171" in an early take of sample_audio/rushed_number.wav
    words = [
        Word(" at", 15.1, 15.32, 0.9),
        Word(" 206", 15.32, 15.7, 0.9),
        Word("-5501Z", 15.7, 16.84, 0.9),
        Word(" at", 16.84, 16.94, 0.9),
        Word(" 1.", 16.94, 17.04, 0.9),
    ]
    assert digits_found(words) == ["2065501"]
    assert spoken_word_count(words) == 1 + 7 + 2


# --- what is not a phone number ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "I'll try you again Thursday at 10.",
        "How about 2 pm on Friday?",
        "We cut costs by 20 percent last year.",
        "You could save 30% on your bill.",
        "Just 1 thing before I go.",
        "We have 10,000 customers and 1,000,000 users.",
        "Call me back at 10:30 or at 2pm.",
        "It's the 3rd time this year, in the 90s.",
        "It costs $4,500,000 in total.",
        "Oh, hi Dana, one more thing.",
    ],
)
def test_times_amounts_and_small_numbers_are_not_phone_numbers(text):
    assert find_phone_numbers(spoken(text)) == []


def test_short_runs_in_a_row_are_not_glued_into_a_number():
    # "10 am" and "5 minutes" never join a run, so nothing reaches 7 digits.
    assert digits_found(spoken("Thursday at 10 am, 11 or 12, 5 minutes tops")) == []


def test_number_next_to_a_time_keeps_its_own_digits():
    assert digits_found(spoken("call 415-555-0192, 2 pm works")) == ["4155550192"]


def test_stray_digit_after_a_number_is_left_out():
    words = spoken("that's 415-555-0192, one more time")
    assert digits_found(words) == ["4155550192"]


def test_leading_oh_interjection_is_not_a_zero():
    assert digits_found(spoken("Oh, 415-555-0192 is my cell")) == ["4155550192"]


# --- several numbers --------------------------------------------------------


def test_two_numbers_in_one_message():
    words = spoken("My cell is 415-555-0192 and my office is 212-555-0147. Again 415-555-0192.")
    numbers = find_phone_numbers(words)
    assert [n.digits for n in numbers] == ["4155550192", "2125550147", "4155550192"]
    assert numbers[0].end < numbers[1].start < numbers[2].start


def test_number_said_twice_back_to_back_is_two_numbers():
    words = spoken("That's 415-555-0192, 415-555-0192.")
    assert digits_found(words) == ["4155550192", "4155550192"]


def test_words_number_said_twice_back_to_back():
    once = "four one five five five five oh one nine two."
    words = spoken(f"{once} {once}")
    assert digits_found(words) == ["4155550192", "4155550192"]


def test_long_gap_ends_a_run():
    head = spoken("four one five five five", duration=0.3, gap=0.1)
    tail_start = head[-1].end + 2.0
    tail = spoken("five oh one nine two", start=tail_start)
    assert digits_found(head + tail) == []
    close = spoken("five oh one nine two", start=head[-1].end + 1.0)
    assert digits_found(head + close) == ["4155550192"]


def test_max_gap_is_configurable():
    head = spoken("four one five five five")
    tail = spoken("five oh one nine two", start=head[-1].end + 1.0)
    assert find_phone_numbers(head + tail, max_gap_s=0.5) == []


# --- speed ------------------------------------------------------------------


def test_digits_per_second_from_word_times():
    words = spoken("call four one five five five five oh one nine two thanks", start=2.0, duration=0.3, gap=0.1)
    (number,) = find_phone_numbers(words)
    first, last = words[1], words[10]
    assert number.start == first.start and number.end == last.end
    assert number.digits_per_s == pytest.approx(10 / (last.end - first.start))


def test_digits_per_second_one_token():
    words = [Word(" at", 0.5, 0.9, 0.9), Word(" 415-555-0192.", 1.0, 3.5, 0.9)]
    (number,) = find_phone_numbers(words)
    assert number.digits_per_s == pytest.approx(10 / 2.5)


def test_zero_length_span_gives_unknown_speed():
    words = [Word(" 415-555-0192.", 1.0, 1.0, 0.9)]
    (number,) = find_phone_numbers(words)
    assert number.digits_per_s == 0.0


# --- word count -------------------------------------------------------------


def test_spoken_word_count_counts_numeral_digits():
    assert spoken_word_count(words_of([" Call", " me", " at", " 415-555-0192."])) == 3 + 10
    assert spoken_word_count(words_of([" Call", " me", " at", " (415)", " 555", "-0192."])) == 3 + 10


def test_spoken_word_count_counts_digit_words_once():
    assert spoken_word_count(spoken("call four one five five five five oh one nine two")) == 11
    assert spoken_word_count(spoken("call four one five double five oh one nine two")) == 10


def test_spoken_word_count_skips_punctuation_and_says_other_numerals_as_spoken():
    words = words_of([" Hi", " Dana", " -", " ...", " at", " 10", " am."])
    assert spoken_word_count(words) == 5
    assert spoken_word_count([]) == 0


@pytest.mark.parametrize(
    "said, count",
    [
        (" 10001", 5),  # a digit string outside a phone number: one zero zero zero one
        (" 10001-90210-01803", 15),  # the an4 clip's three spoken digit strings
        (" 2024", 3),  # twenty twenty four
        (" 1905", 3),  # nineteen oh five
        (" 2005", 3),  # two thousand five
        (" 10:30", 2),  # ten thirty
        (" $30", 2),  # thirty dollars
        (" 30%", 2),  # thirty percent
        (" 3rd", 1),
        (" 10,000", 2),  # ten thousand
    ],
)
def test_spoken_word_count_counts_numerals_by_the_words_it_takes_to_say_them(said, count):
    assert spoken_word_count(words_of([said])) == count


def test_spoken_word_count_reads_text_and_words_alike():
    text = "Call me at 415-555-0192 before 10:30 on the 3rd."
    assert spoken_word_count(text) == spoken_word_count(spoken(text)) == 3 + 10 + 1 + 2 + 3


# --- same number ------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("4155550192", "4155550192", True),
        ("4155550192", "415550192", True),  # a 5 dropped
        ("155550192", "4155550192", True),  # first digit dropped
        ("415555019", "4155550192", True),  # last digit dropped
        ("4155550192", "41555019", False),  # two dropped
        ("4155550192", "4155550193", False),  # a different digit
        ("4155550192", "2125550147", False),
        ("415-555-0192", "4155550192", True),  # formatting ignored
        ("", "", False),
    ],
)
def test_same_number(a, b, same):
    assert same_number(a, b) is same
    assert same_number(b, a) is same


def test_digit_word_before_a_unit_word_is_not_part_of_a_number():
    assert digits_found(spoken("call 415-555-0192, two pm works")) == ["4155550192"]
    words = spoken("four one five five five five oh one nine two, ten am is best")
    assert digits_found(words) == ["4155550192"]


# --- display --------------------------------------------------------------------


@pytest.mark.parametrize(
    "digits, shown",
    [
        ("5550192", "555-0192"),
        ("4155550192", "415-555-0192"),
        ("18005550199", "1-800-555-0199"),
        ("44207946095", "442-079-460-95"),  # 11 digits without the country code 1: threes
        ("415555092", "415-555-092"),  # a digit dropped: threes
        ("41555", "415-55"),
        ("(415) 555-0192", "415-555-0192"),
    ],
)
def test_group_digits(digits, shown):
    assert group_digits(digits) == shown


def test_shown_number_keeps_what_was_heard_when_the_length_is_unusual():
    assert shown_number(PhoneNumber("5550192", 1.0, 3.0, 3.5, "555 0192")) == "555-0192"
    assert shown_number(PhoneNumber("415555092", 1.0, 3.0, 3.5, "415-555-092")) == "415-555-092"
    assert shown_number(PhoneNumber("415555092", 1.0, 3.0, 3.5, "")) == "415-555-092"


@pytest.mark.parametrize("said, shown", [("555-0192", "555-0192"), ("1-800-555-0199", "1-800-555-0199")])
def test_findings_and_the_text_report_group_a_number_alike(said, shown):
    report = apply(build_report(f"Hi Dana, this is Sam from Acme. Call me on {said}. Thanks."), default_config())
    once = next(f for f in report.findings if f.code == "VM502")
    assert f"You say {shown} only" in once.message
    assert f"Callback number: {shown} at" in render(report)


@pytest.mark.parametrize(
    "digits, whole",
    [("5550192", True), ("4155550192", True), ("18005550199", True), ("415555092", False), ("28005550199", False)],
)
def test_usual_length(digits, whole):
    assert usual_length(digits) is whole


def test_number_spans_name_the_words_of_each_number_and_of_its_run():
    words = spoken("Call me at 415-555-0192, 415-555-0192. Thanks")
    spans = number_spans(words)
    assert [(s.first, s.last, s.digits) for s in spans] == [(3, 3, "4155550192"), (4, 4, "4155550192")]
    assert [(s.run_first, s.run_last, s.left_over) for s in spans] == [(3, 4, False), (3, 4, False)]
    assert [n.digits for n in find_phone_numbers(words)] == [s.digits for s in spans]


def test_digits_of_a_run_that_went_into_no_number_are_flagged():
    # tiny.en on a slowly read number: "Again, 617-555 615551555 5 I'll-0110."
    words = spoken("Again, 617-555 615551555 5 I'll-0110.")
    (span,) = number_spans(words)
    assert span.left_over and (span.run_first, span.run_last) == (1, 3)
    (clean,) = number_spans(spoken("Again, 617-555-0110."))
    assert not clean.left_over
