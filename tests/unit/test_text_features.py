"""Fillers, questions, introductions, sentences and word normalisation on Whisper-shaped words."""

from __future__ import annotations

import pytest

from coach.report import Word
from coach.text.features import (
    count_sentences,
    find_fillers,
    find_questions,
    looks_like_question,
    split_sentences,
)
from coach.text.introduction import find_introduction
from coach.text.normalise import normalize_words, number_words
from factories.word_factory import spoken, words_of

# --- fillers ----------------------------------------------------------------


def test_fillers_in_any_case_punctuation_and_length():
    words = spoken("Um, hi Dana, uh. UMM this is Sam, uhh... er erm, Ah hmm? Mm. uhm")
    fillers = find_fillers(words)
    assert [f.text for f in fillers] == ["Um", "uh", "UMM", "uhh", "er", "erm", "Ah", "hmm", "Mm", "uhm"]
    by_text = {w.text.strip(): w for w in words}
    assert fillers[0].start == by_text["Um,"].start and fillers[0].end == by_text["Um,"].end


def test_words_that_only_look_like_fillers_are_not_counted():
    words = spoken("I'm like, you know, a summer umbrella, her arm, Emma, hum, me, umami, mmm-hmm ahead")
    assert [f.text for f in find_fillers(words)] == []


# --- sentences --------------------------------------------------------------


def test_split_sentences_on_end_punctuation():
    words = spoken("Hi Dana. This is Sam from Acme. Are you free Thursday? Great! Talk soon")
    sentences = split_sentences(words)
    assert ["".join(w.text for w in s).strip() for s in sentences] == [
        "Hi Dana.",
        "This is Sam from Acme.",
        "Are you free Thursday?",
        "Great!",
        "Talk soon",
    ]
    assert count_sentences(words) == 5


def test_titles_and_times_do_not_split_a_sentence():
    words = spoken("Mr. Smith said call at 2 p.m. on Thursday. Thanks.")
    assert count_sentences(words) == 2
    words = spoken("Call me at 2 p.m. Thanks.")
    assert count_sentences(words) == 2


def test_ellipsis_only_ends_a_sentence_before_a_capital():
    assert count_sentences(spoken("So... I wanted to ask... about your payroll.")) == 2
    assert count_sentences(spoken("So... we could talk.")) == 1


def test_punctuation_only_tokens_make_no_sentence():
    words = words_of([" Hi", " Dana.", " .", " Bye."])
    assert count_sentences(words) == 2
    assert count_sentences([]) == 0

    words = spoken("Hi Dana. This is Sam from Acme.")


# --- questions --------------------------------------------------------------


def test_question_mark_sentences_with_times():
    words = spoken("Hi Dana. How are you handling payroll across three stores? I'll call Thursday.")
    (question,) = find_questions(words)
    assert question.text == "How are you handling payroll across three stores?"
    assert question.start == words[2].start and question.end == words[9].end


def test_questions_whisper_left_without_question_mark():
    words = spoken(
        "So, um, would you be open to a quick call. We help bakeries. "
        "Would love to connect. What I wanted to share is simple. "
        "I was wondering if you'd be open to trying a sample. Any chance Thursday works. "
        "Is it still your team that handles payroll. Do you have ten minutes"
    )
    assert [q.text for q in find_questions(words)] == [
        "So, um, would you be open to a quick call.",
        "I was wondering if you'd be open to trying a sample.",
        "Any chance Thursday works.",
        "Is it still your team that handles payroll.",
        "Do you have ten minutes",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Are you the one handling payroll.", True),
        ("What's the best time to reach you.", True),
        ("How does Thursday look.", True),
        ("How about Friday.", True),
        ("Could we find ten minutes.", True),
        ("Would love to connect.", False),
        ("What I wanted to share is simple.", False),
        ("How we helped Acme is a good story.", False),
        ("Give me a call back.", False),
        ("Can't wait to hear from you.", False),
        ("Have your team give me a call.", False),
        ("Is your team still handling payroll.", True),
    ],
)
def test_question_word_order(text, expected):
    assert looks_like_question(spoken(text)) is expected


# --- introductions ----------------------------------------------------------


def _intro(text: str):
    return find_introduction(spoken(text))


def test_this_is_name_from_company():
    words = spoken("Hi Dana, this is Sam from Acme. My number is 415-555-0192.")
    intro = find_introduction(words)
    assert intro.name == "Sam"
    assert intro.company == "Acme"
    assert intro.phrase == "this is Sam from Acme"
    assert intro.start == words[2].start and intro.end == words[6].end


def test_my_name_is_two_word_name_with_company():
    intro = _intro("Hi Laura, my name is Sam Ortiz with Crestview Benefits. I noticed")
    assert (intro.name, intro.company) == ("Sam Ortiz", "Crestview Benefits")
    assert intro.phrase == "my name is Sam Ortiz with Crestview Benefits"


def test_it_is_name_from_company():
    intro = _intro("Hey Dana, it's Sam from Acme, quick one for you.")
    assert (intro.name, intro.company, intro.phrase) == ("Sam", "Acme", "it's Sam from Acme")


def test_name_here_from_company():
    words = spoken("Hi Dana, Sam here from Acme. Quick question.")
    intro = find_introduction(words)
    assert (intro.name, intro.company) == ("Sam", "Acme")
    assert intro.phrase == "Sam here from Acme"
    assert intro.start == words[2].start


def test_name_from_company_here():
    intro = _intro("Hey Dana, Sam from Acme here. Quick question.")
    assert (intro.name, intro.company, intro.phrase) == ("Sam", "Acme", "Sam from Acme here")


def test_greeting_then_name_from_company():
    intro = _intro("Hi Dana, Sam from Acme. I saw your new store.")
    assert (intro.name, intro.company, intro.phrase) == ("Sam", "Acme", "Sam from Acme")


def test_name_here_without_company():
    intro = _intro("Hi Dana, Sam here. Give me a call.")
    assert (intro.name, intro.company, intro.phrase) == ("Sam", None, "Sam here")


def test_this_is_name_only():
    intro = _intro("Hi, this is Sam. Call me back.")
    assert (intro.name, intro.company, intro.phrase) == ("Sam", None, "this is Sam")


def test_calling_from_and_over_at():
    intro = _intro("Hi Priya, this is Daniel Reyes calling from Northway Freight, and I hope")
    assert (intro.name, intro.company) == ("Daniel Reyes", "Northway Freight")
    assert intro.phrase == "this is Daniel Reyes calling from Northway Freight"
    intro = _intro("Hi Dana, I'm Sam over at Acme. Quick one.")
    assert (intro.name, intro.company) == ("Sam", "Acme")


def test_filler_between_this_is_and_the_name():
    # tiny.en's real words for an early take of sample_audio/filler_heavy.wav
    words = [
        Word(" Hi,", 0.0, 0.58, 0.9),
        Word(" Mike.", 0.64, 0.96, 0.9),
        Word(" Um,", 1.4, 1.4, 0.9),
        Word(" this", 1.5, 1.62, 0.9),
        Word(" is,", 1.62, 2.1, 0.9),
        Word(" uh,", 2.1, 2.38, 0.9),
        Word(" Jordan", 2.64, 2.72, 0.9),
        Word(" from", 2.72, 3.1, 0.9),
        Word(" Summit", 3.1, 3.44, 0.9),
        Word(" Office", 3.44, 3.88, 0.9),
        Word(" Coffee.", 3.88, 4.38, 0.9),
        Word(" Sorry", 4.7, 4.94, 0.9),
    ]
    intro = find_introduction(words)
    assert (intro.name, intro.company) == ("Jordan", "Summit Office Coffee")
    assert (intro.start, intro.end) == (1.5, 4.38)


def test_company_with_joining_word():
    assert _intro("This is Sam from Smith and Sons. We build").company == "Smith and Sons"
    assert _intro("This is Sam from Smith & Sons. We build").company == "Smith & Sons"
    assert _intro("This is Dr. Sam Lee from Acme Corp, and I").name == "Dr. Sam Lee"


def test_apostrophe_split_by_whisper():
    words = words_of([" Hey", " Dana,", " it", "'s", " Sam", " from", " Acme."])
    intro = find_introduction(words)
    assert (intro.name, intro.company, intro.phrase) == ("Sam", "Acme", "it's Sam from Acme")


@pytest.mark.parametrize(
    "text",
    [
        "Hi Dana, this is a quick message about payroll.",
        "This is about your payroll. Call me back.",
        "This is regarding the quote you asked for.",
        "Hi, this is a quick one.",
        "It's Thursday, so I wanted to follow up.",
        "Hi Dana from the front desk said to call.",
        "I'm calling about your payroll setup.",
        "",
    ],
)
def test_not_introductions(text):
    assert _intro(text) is None


def test_first_introduction_wins_and_non_introductions_are_skipped():
    words = spoken("Hi Dana, this is a quick message. This is Sam from Acme. Again, this is Sam.")
    intro = find_introduction(words)
    assert (intro.name, intro.company) == ("Sam", "Acme")
    assert intro.start == words[7].start


# --- normalisation ----------------------------------------------------------


def test_normalize_case_and_punctuation():
    assert normalize_words("Hi, Dana! It's Sam -- from ACME's follow-up team.") == [
        "hi",
        "dana",
        "it's",
        "sam",
        "from",
        "acme's",
        "follow",
        "up",
        "team",
    ]


def test_normalize_phone_numerals_digit_by_digit():
    expected = ["four", "one", "five", "five", "five", "five", "zero", "one", "nine", "two"]
    assert normalize_words("415-555-0192.") == expected
    assert normalize_words("(415) 555-0192") == expected
    assert normalize_words("415 555 0192") == expected
    assert normalize_words("415 555-0192") == expected
    assert normalize_words("415.555.0192") == expected
    assert normalize_words("4155550192") == expected


def test_normalize_spoken_numbers_match_numerals():
    numerals = normalize_words("call 415-555-0192")
    for said in (
        "call four one five five five five oh one nine two",
        "Call four one five, five five five, oh one nine two.",
        "call four one five double five five oh one nine two",
        "call four one five triple five zero one nine two",
    ):
        assert normalize_words(said) == numerals


def test_normalize_small_numbers_times_and_amounts():
    assert normalize_words("Thursday at 10") == ["thursday", "at", "ten"]
    assert normalize_words("at 2pm") == ["at", "two", "pm"]
    assert normalize_words("at 2 p.m.") == ["at", "two", "pm"]
    assert normalize_words("at 10:30") == ["at", "ten", "thirty"]
    assert normalize_words("20 percent") == normalize_words("20%") == ["twenty", "percent"]
    assert normalize_words("$30") == ["thirty", "dollars"]
    assert normalize_words("its 3rd location") == ["its", "third", "location"]
    assert normalize_words("10,000 users") == ["ten", "thousand", "users"]
    assert normalize_words("21 stores") == normalize_words("twenty-one stores")


def test_years_and_digit_strings_read_as_said():
    assert normalize_words("since 2024") == normalize_words("since twenty twenty-four")
    assert normalize_words("in 1905") == ["in", "nineteen", "oh", "five"]
    assert normalize_words("1500 people") == ["fifteen", "hundred", "people"]
    assert normalize_words("in 2005") == ["in", "two", "thousand", "five"]
    assert normalize_words("zip 10001") == ["zip", "one", "zero", "zero", "zero", "one"]
    # tiny.en's stray letter after a digit group is not a word said
    assert normalize_words("206-5501Z") == normalize_words("206-5501")


def test_normalize_oh_only_in_digit_context():
    assert normalize_words("Oh, one more thing") == ["oh", "one", "more", "thing"]
    assert normalize_words("five oh one") == ["five", "zero", "one"]
    assert normalize_words("0192. Oh, and thanks")[-3:] == ["oh", "and", "thanks"]


def test_number_words():
    assert number_words(0) == ["zero"]
    assert number_words(15) == ["fifteen"]
    assert number_words(415) == ["four", "hundred", "fifteen"]
    assert number_words(2024) == ["two", "thousand", "twenty", "four"]
    assert number_words(1_000_000) == ["one", "million"]
