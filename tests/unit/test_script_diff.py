"""Word error rate and the script-vs-take word diff."""

from __future__ import annotations

import pytest

from coach.errors import CoachError
from coach.text.normalise import normalize_words
from coach.text.script_diff import compare_script
from factories.accuracy import word_error_rate


@pytest.mark.parametrize(
    "reference, hypothesis, expected",
    [
        ("the cat sat", "the cat sat", 0.0),
        ("the cat sat", "the cat sat down", 1 / 3),  # one insertion
        ("the cat sat", "the sat", 1 / 3),  # one deletion
        ("the cat sat", "the dog sat", 1 / 3),  # one substitution
        ("the cat sat on the mat", "a cat sat on mat today", 3 / 6),  # S + D + I
        ("the cat sat", "", 1.0),
        ("one two", "three four five six", 4 / 2),  # can exceed 1
    ],
)
def test_word_error_rate_known_cases(reference, hypothesis, expected):
    assert word_error_rate(reference, hypothesis) == pytest.approx(expected)


def test_wer_ignores_case_punctuation_and_number_spelling():
    script = "Hi Dana, my number is 415-555-0192. Talk Thursday at 10!"
    said = "hi dana my number is four one five five five five oh one nine two talk thursday at ten"
    assert word_error_rate(script, said) == 0.0


def test_wer_counts_a_dropped_digit():
    script = "My number is 415-555-0192."
    said = "My number is 415-55-0192."
    assert word_error_rate(script, said) == pytest.approx(1 / len(normalize_words(script)))


def test_wer_needs_a_reference_with_words():
    with pytest.raises(CoachError, match="no words"):
        word_error_rate(" ... ", "hello")


def test_skipped_phrase():
    script = "Hi Dana, this is Sam from Acme. I saw your new store opened last month. Call me back."
    said = "Hi Dana, this is Sam from Acme. Call me back."
    diff = compare_script(script, said)
    assert [op.op for op in diff.ops] == ["equal", "skipped", "equal"]
    assert diff.ops[1].script == "I saw your new store opened last month."
    assert diff.ops[1].said == ""
    assert diff.ops[0].said == "Hi Dana, this is Sam from Acme."
    n = len(normalize_words(script))
    assert diff.script_words == n
    assert (diff.substitutions, diff.deletions, diff.insertions) == (0, 8, 0)
    assert diff.changed_ratio == pytest.approx(8 / n)
    assert diff.wer == pytest.approx(8 / n)


def test_changed_word():
    diff = compare_script("I'll try you again Thursday afternoon.", "I'll try you again Friday afternoon.")
    assert [op.op for op in diff.ops] == ["equal", "changed", "equal"]
    assert (diff.ops[1].script, diff.ops[1].said) == ("Thursday", "Friday")
    assert diff.wer == pytest.approx(1 / 6)
    assert diff.changed_ratio == pytest.approx(1 / 6)


def test_added_words_count_in_wer_not_in_changed_ratio():
    diff = compare_script("This is Sam from Acme.", "Um, this is, uh, Sam from Acme.")
    assert [(op.op, op.said) for op in diff.ops if op.op != "equal"] == [("added", "Um,"), ("added", "uh,")]
    assert diff.insertions == 2
    assert diff.wer == pytest.approx(2 / 5)
    assert diff.changed_ratio == 0.0


def test_part_of_a_number_changed_shows_the_spoken_digits():
    diff = compare_script("Call 415-555-0192 today.", "Call 415-55-0192 today.")
    (skipped,) = [op for op in diff.ops if op.op != "equal"]
    assert (skipped.op, skipped.script, skipped.said) == ("skipped", "five", "")


def test_ops_cover_both_texts_in_order():
    script = "Hi Tom, this is Chris Patel from Brightwater Commercial Cleaning. Would a quote be useful?"
    said = "Hi, Tom. This is Chris Patel from Brightwater Cleaning. Would a quote for your floor be useful"
    diff = compare_script(script, said)
    script_side = " ".join(op.script for op in diff.ops if op.op != "added")
    said_side = " ".join(op.said for op in diff.ops if op.op != "skipped")
    assert normalize_words(script_side) == normalize_words(script)
    assert normalize_words(said_side) == normalize_words(said)
    assert any(op.op == "skipped" and op.script == "Commercial" for op in diff.ops)
    assert any(op.op == "added" and op.said == "for your floor" for op in diff.ops)


def test_identical_text_is_one_equal_op():
    diff = compare_script("Talk soon.", "talk soon")
    assert [op.op for op in diff.ops] == ["equal"]
    assert diff.wer == 0.0 and diff.changed_ratio == 0.0


def test_nothing_said_skips_the_whole_script():
    diff = compare_script("Talk soon.", "")
    assert [(op.op, op.script) for op in diff.ops] == [("skipped", "Talk soon.")]
    assert diff.wer == 1.0 and diff.changed_ratio == 1.0


def test_empty_script_is_a_clear_error():
    with pytest.raises(CoachError, match="script has no words"):
        compare_script("   ", "hello there")
