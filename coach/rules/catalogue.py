"""The rule catalogue: what each rule checks and why, and every word it says, keyed by stable code.

This module is data only. Every number and phrase list a rule uses (and each
rule's default severity) lives in ``coach/defaults.toml``; here each rule
names its settings and says what they mean, so ``coach rules``, the README
and the configuration validator all read one source.

Every text is a template filled with the rule's settings in force
(``{max_s}``), so what it says always shows the numbers actually used:
``summary``, ``checks`` and ``fix`` are what the docs show, and a finding's
texts come from here too, the way pylint declares a message once and
``add_message`` fills it in. The check functions compute values and pass
them (:func:`coach.rules.base.finding`); they hold no prose. A finding's fix
is ``fix`` (its placeholders beyond the settings default to ``fix_defaults``,
which the docs show) followed by any details the check adds from ``texts``;
its message and evidence are ``texts`` entries.

Codes are stable: a code is never reused for a different check. The hundreds
digit is the family (1 timing, 2 pace, 3 wording, 4 pitch, 5 callback,
6 delivery, 7 introduction, 8 script).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from coach.text.phone_numbers import DEFAULT_MAX_DIGITS, DEFAULT_MIN_DIGITS

SEVERITIES = ("error", "warning", "suggestion")

#: What a rule judges (``RuleInfo.input_kind``): the recording's sound or timing, which a written
#: script does not have, or the words alone, so that it also checks a script before it is recorded.
AUDIO = "audio"
TEXT = "text"
INPUT_KINDS = (AUDIO, TEXT)


@dataclass(frozen=True)
class Setting:
    """One tunable value of a rule; ``kind`` is a key of :data:`coach.config.KINDS`."""

    name: str
    kind: str
    help: str


@dataclass(frozen=True)
class RuleInfo:
    """Everything said about a rule except its code (the check) and its values (defaults.toml)."""

    code: str
    name: str
    family: str
    summary: str
    checks: str
    why: str
    example: str
    fix: str
    settings: tuple[Setting, ...] = ()
    #: The finding's message, evidence and details, by name ("message", "evidence" by default).
    texts: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: What ``fix``'s placeholders beyond the settings read when a finding has no value of its own.
    fix_defaults: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: Settings outside the rule's own table its texts read, as "table.key" ("strengths.ideal_min_wpm").
    borrows: tuple[str, ...] = ()
    #: Decided from the transcript (words, phrases, numbers): downgraded when the
    #: transcript is unreliable (see :mod:`coach.rules.reliability`).
    uses_transcript: bool = False
    #: Decided from a callback number's digits: downgraded when a number's reading stayed doubtful after it
    #: was read again (:func:`coach.rules.reliability.uncertain_number`).
    reads_number: bool = False
    #: Context the rule needs to run at all ("prospect", "script" or "rep-number": the option that gives it), if any.
    needs: str | None = None
    #: :data:`TEXT`: judged from the words alone, so it also checks a written script
    #: (:func:`coach.rules.engine.evaluate_text`, ``coach script lint``); :data:`AUDIO`: needs the
    #: recording (timing, pace, pauses, sound) and is not applicable to text.
    input_kind: str = AUDIO


def _s(name: str, kind: str, help: str) -> Setting:
    return Setting(name, kind, help)


_PACE_EVIDENCE = "{words} words in {span}"
_IDEAL_PACE = ("strengths.ideal_min_wpm", "strengths.ideal_max_wpm")

#: VM303's tips: a plain replacement for each common hedge, added to its fix when that hedge was said.
HEDGE_TIPS = {
    "just wanted to": 'say "I\'m calling because ..." instead of "just wanted to"',
    "just calling to": 'say "I\'m calling because ..." instead of "just calling to"',
    "sorry to bother you": 'drop "sorry to bother you": open with their name and yours',
    "sorry to bother": 'drop "sorry to bother": open with their name and yours',
    "i was wondering if": 'ask the question directly instead of "I was wondering if"',
    "touch base": 'replace "touch base" with the actual reason for the call',
    "if you get a chance": 'drop "if you get a chance"',
    "hopefully": 'replace "hopefully" with what you will do: "I\'ll try you Thursday at 10"',
    "kind of": 'drop "kind of"',
    "sort of": 'drop "sort of"',
    "just checking in": 'replace "just checking in" with one new, specific reason',
    "no pressure": 'drop "no pressure"',
}


CATALOGUE: tuple[RuleInfo, ...] = (
    # 1xx timing -----------------------------------------------------------
    RuleInfo(
        code="VM101",
        name="too-long",
        family="timing",
        summary="speech lasts over {max_s} s (error over {error_s} s)",
        checks=(
            "How long the prospect listens to you: the time from your first word to your last. "
            "Silence before the first word and after the last is left out (VM103 covers dead air "
            "at the start), so trimming the recording's ends does not change this figure."
        ),
        why=(
            "Most voicemails are deleted or skipped within the first seconds, and long ones "
            "are rarely heard to the end, which is where your number and next step usually "
            "are. Sales coaching puts the effective length at 20-30 seconds."
        ),
        example="A 48 s message that walks through the whole product before leaving the number.",
        fix="Keep four parts only: who you are, why them, when you'll try next, and your number twice; aim for 20-25 s.",
        texts={
            "message": "{span} from your first word to your last: {over} over the {max_s} s limit",
            "as_error": " (over {error_s} s counts as an error)",
            "cut": "At your pace ({wpm} words a minute) {over} is about {cut} words to cut.",
            "evidence": "speech span {span} (recording {duration})",
        },
        settings=(
            _s("max_s", "seconds", "a warning above this many seconds of speech"),
            _s("error_s", "seconds", "an error above this many seconds of speech"),
        ),
    ),
    RuleInfo(
        code="VM102",
        name="too-short",
        family="timing",
        summary="speech lasts under {min_s} s",
        checks="The time from your first word to your last.",
        why=(
            "A few seconds cannot hold your name, a reason to care and a number; a very "
            "short message sounds like a misdial or a hang-up and gets deleted."
        ),
        example='"Hi, it\'s Sam, call me back." (3 s)',
        fix="Say who you are, one reason tied to them, when you'll try next, and your number.",
        texts={
            "message": "{span} from your first word to your last: under the {min_s} s minimum",
            "evidence": "speech span {span}",
        },
        settings=(_s("min_s", "seconds", "a finding below this many seconds of speech"),),
    ),
    RuleInfo(
        code="VM103",
        name="dead-air-start",
        family="timing",
        summary="over {max_s} s of silence before the first word",
        checks="The silence between the start of the recording and your first word.",
        why=(
            "The first seconds decide whether the prospect keeps listening; silence there "
            "sounds like a robocall or a dropped line, and many delete the message."
        ),
        example='2.5 s of silence after the beep before "Hi Dana...".',
        fix="Start speaking as soon as the beep ends; on a practice take, start within a second of pressing record.",
        texts={
            "message": "{silence} of silence before your first word (limit {max_s} s)",
            "evidence": "first sound at {first}",
        },
        settings=(_s("max_s", "seconds", "a finding when the leading silence is longer"),),
    ),
    RuleInfo(
        code="VM104",
        name="long-pause",
        family="timing",
        summary="a pause inside the message over {max_s} s",
        checks="Every silence between your first and last word; each long one is a finding.",
        why=(
            "A long silence mid-message sounds like you lost your place or the line dropped, "
            "and the prospect skips ahead or deletes."
        ),
        example='"My number is ... (3 s) ... 415-555-0192."',
        fix="Know your next line before you start; keep pauses to a breath, under a second.",
        texts={
            "message": "{pause} of silence{where} (limit {max_s} s)",
            "after": " after {said}",
            "at": " at {start}",
            "evidence": "pause from {start} to {end}",
        },
        settings=(_s("max_s", "seconds", "a finding for each pause longer than this"),),
    ),
    # 2xx pace -------------------------------------------------------------
    RuleInfo(
        code="VM201",
        name="too-fast",
        family="pace",
        summary="pace over {max_wpm} words a minute",
        checks=(
            "Words a minute over the speech span (first word to last, pauses included, each "
            "digit of a phone number counted as a word). Not checked on messages under "
            "{min_words} words, where a pace figure means little."
        ),
        why=(
            "Voicemail audio is compressed and often played on a phone speaker; fast speech "
            "blurs names and numbers and sounds nervous or like a script being read."
        ),
        example="A 20 s message with 70 words (210 words a minute).",
        fix=(
            "Slow to about {ideal_min_wpm}-{ideal_max_wpm} words a minute: pause at every full stop, and slower "
            "still for your name and number."
        ),
        texts={
            "message": "{wpm} words a minute: {over} over the {max_wpm} limit",
            "evidence": _PACE_EVIDENCE,
        },
        borrows=_IDEAL_PACE,
        settings=(
            _s("max_wpm", "wpm", "a finding above this pace"),
            _s("min_words", "count", "messages with fewer words are not checked"),
        ),
        uses_transcript=True,
    ),
    RuleInfo(
        code="VM202",
        name="too-slow",
        family="pace",
        summary="pace under {min_wpm} words a minute",
        checks=("Words a minute over the speech span, as for VM201. Not checked on messages under {min_words} words."),
        why="A dragging message loses attention and makes a short message long.",
        example="A 30 s message with 45 words (90 words a minute).",
        fix=(
            "Rehearse the lines until they are familiar; aim for {ideal_min_wpm}-{ideal_max_wpm} words a minute, "
            "pausing at full stops, not mid-sentence."
        ),
        texts={
            "message": "{wpm} words a minute: {under} under the {min_wpm} minimum",
            "evidence": _PACE_EVIDENCE,
        },
        borrows=_IDEAL_PACE,
        settings=(
            _s("min_wpm", "wpm", "a finding below this pace"),
            _s("min_words", "count", "messages with fewer words are not checked"),
        ),
        uses_transcript=True,
    ),
    RuleInfo(
        code="VM203",
        name="number-rushed",
        family="pace",
        summary="a callback number said faster than {max_digits_per_s} digits a second",
        checks="How fast each phone number is said: its digits over the time from its first digit to its last.",
        why=(
            "The number is the one thing the prospect must write down; rattled off, they "
            "have to replay the message, and most will not."
        ),
        example='"4155550192" said in 2 s (5 digits a second).',
        fix="Say it in groups with a beat between ({groups}), about as fast as someone can write.",
        fix_defaults={"groups": "415 - 555 - 0192"},
        texts={
            "message": "{number} took {took}: {rate} digits a second (limit {max_digits_per_s})",
            "time": "Give its {digits} digits at least {min_s}.",
            "evidence": "{digits} digits from {start} to {end}",
        },
        settings=(_s("max_digits_per_s", "digits_per_s", "a finding for a number said faster than this"),),
        uses_transcript=True,
    ),
    # 3xx wording ----------------------------------------------------------
    RuleInfo(
        code="VM301",
        name="too-wordy",
        family="wording",
        summary="more than {max_words} words, or sentences averaging over {max_sentence_words} words",
        checks="The number of words said, and the average number of words per sentence.",
        why=(
            "Every extra word pushes your number and next step further back, and long "
            "sentences are hard to follow by ear."
        ),
        example="A 95-word message built from three long sentences.",
        fix="One reason, one next step: cut feature lists and split long sentences in two.",
        texts={
            "message": "{problems}",
            "words": "{words} words: {over} over the {max_words}-word limit",
            "sentences": "sentences average {average} words (limit {max_sentence_words})",
            "longest": "Start with the longest sentence ({count} words): {sentence}",
            "evidence": "{words} words in {sentences} sentence{s}",
        },
        settings=(
            _s("max_words", "count", "a finding above this many words"),
            _s("max_sentence_words", "count", "a finding when sentences average more words than this"),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM302",
        name="filler-words",
        family="wording",
        summary="more than {max_count} fillers, or more than {max_per_min} a minute",
        checks=(
            'Filler sounds ("um", "uh", "er"). The rate per minute of speech only counts '
            "from {min_count_for_rate} fillers on, so one slip in a short message is not a finding."
        ),
        why=(
            "Fillers make you sound unsure of why you are calling; on a voicemail there is "
            "no face or rapport to soften them."
        ),
        example='"Hi Mike, um, this is, uh, Jordan ..."',
        fix=(
            "Pause silently instead of filling; write your opening and your number down and rehearse them until "
            "they come without um."
        ),
        texts={
            "count": "{count} fillers: {over} over the limit of {max_count}",
            "rate": "{count} fillers in {span}: {rate} a minute (limit {max_per_min})",
            "evidence": "{said}",
            "evidence_count": "{count} fillers",
        },
        settings=(
            _s("max_count", "count", "a finding above this many fillers"),
            _s("max_per_min", "per_minute", "a finding above this many fillers a minute"),
            _s("min_count_for_rate", "count", "the rate is only judged from this many fillers on"),
        ),
        uses_transcript=True,
    ),
    RuleInfo(
        code="VM303",
        name="hedging",
        family="wording",
        summary="{min_count} or more weak or apologetic phrases",
        checks='Weak, apologetic or vague phrases ("just wanted to", "sorry to bother you", "touch base").',
        why=(
            'Apologising for the call or "just checking in" tells the prospect the call is '
            "not worth their time; plain, confident wording earns a callback."
        ),
        example='"Sorry to bother you, I just wanted to touch base ..."',
        fix='Cut the hedges and say it straight: "I\'m calling because ...".',
        texts={
            "message": "{count} hedging phrase{s}: {quoted}",
            "tips": "{tips}.",
            "evidence": "{said}",
        },
        settings=(
            _s("min_count", "count", "a finding from this many hedging phrases"),
            _s("phrases", "phrases", "the hedging phrases"),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    # 4xx pitch ------------------------------------------------------------
    RuleInfo(
        code="VM401",
        name="sounds-like-a-pitch",
        family="pitch",
        summary="sales-pitch signals with a total weight of {threshold} or more",
        checks=(
            "What makes a message a pitch, each with a weight, added up: the phrases of the list "
            '(offers and pressure weigh more than buzzwords; "we help" claims; offers to "share '
            'details"), money or percentage promises (an amount such as "$13", "millions" or '
            '"30 percent" within {promise_window} words of a promise word such as "earn", "save" or '
            '"adding": {promise_weight} each) and feature lists ({feature_list_items} or more short '
            'items in a row: "cross docking, warehousing, and last mile delivery": {feature_list_weight} each).'
        ),
        why=(
            'Prospects delete ads. Offers and buzzwords ("special offer", "free trial", '
            '"industry-leading"), claims of what you do for companies like theirs, promised '
            "figures and lists of features mark the message as a pitch in the first seconds, and a "
            "pitch gets no callback."
        ),
        example=(
            '"We help operators earn $13 per MCF, often adding millions in revenue. I\'d be glad to share details."'
        ),
        fix=(
            "Cut the offers, promises and feature lists; replace them with one specific, observed reason you "
            'are calling this prospect ("I saw you opened a third store last month ...") and a question about it.'
        ),
        texts={
            "message": "Sounds like an ad: {count} pitch signal{s} (weight {total}, limit {threshold}): {quoted}",
            "promise": "{said} (a money or percentage promise)",
            "feature_list": "{said} (a feature list)",
            "evidence": "{said}",
        },
        settings=(
            _s("threshold", "weight", "a finding when the weights add up to this or more"),
            _s("phrases", "weighted_phrases", "pitch phrases and their weights"),
            _s("promise_words", "phrases", "words that make an amount nearby a promise"),
            _s("promise_window", "count", "how many words from a promise word an amount may be"),
            _s("promise_weight", "weight", "the weight of each money or percentage promise"),
            _s("feature_list_items", "count", "items in a row that make a feature list"),
            _s("feature_list_weight", "weight", "the weight of each feature list"),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM402",
        name="me-focused",
        family="pitch",
        summary="I/we/our/us outnumber you/your more than {max_ratio} to 1",
        checks=(
            "Words about you and your company (I, me, my, we, our, us) against words about "
            "the prospect (you, your). Not judged below {min_me_words} me-words."
        ),
        why=(
            "A message about you and your company gives the prospect no reason to call; one about their situation does."
        ),
        example='"We are a leading provider, our team has, we offer, I wanted to tell you about us ..."',
        fix=(
            'Turn sentences that start with "We" or "I" around to start with them: '
            '"We help companies cut payroll time" becomes "Your team could cut payroll time ...".'
        ),
        texts={
            "message": (
                "{me} words about you (I, we, our ...) against {you} about them (you, your): "
                "{ratio} to 1 (limit {max_ratio} to 1)"
            ),
            "none_about_them": "{me} words about you (I, we, our ...) and none about them (you, your)",
            "evidence": "me-words: {me}, you-words: {you}",
        },
        settings=(
            _s("max_ratio", "ratio", "a finding when me-words outnumber you-words more than this many to 1"),
            _s("min_me_words", "count", "not judged below this many me-words"),
            _s("me_words", "words", "words about the caller"),
            _s("you_words", "words", "words about the prospect"),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM403",
        name="no-question",
        family="pitch",
        summary="no question and no curiosity hook",
        checks='Questions (sentences ending in "?") and curiosity hooks ("I noticed", "curious", "an idea for").',
        why=(
            "A question or a specific observation gives the prospect something to think "
            "about and a reason to reply; statements alone are easy to ignore."
        ),
        example="A message that only states who you are and what you sell.",
        fix=(
            'Add one question about their situation, for example "How are you handling payroll across all '
            'three stores?", or a specific observation: "I noticed you opened a Denver office ...".'
        ),
        texts={
            "message": "No question and nothing to make them curious: the message only makes statements",
            "evidence": 'no sentence ends in "?"; no curiosity phrase ({hooks} ...)',
        },
        settings=(_s("hooks", "phrases", "phrases that count as a curiosity hook"),),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    # 5xx callback ---------------------------------------------------------
    RuleInfo(
        code="VM501",
        name="no-callback-number",
        family="callback",
        summary="no phone number said",
        checks=f"Whether a callback number ({DEFAULT_MIN_DIGITS} to {DEFAULT_MAX_DIGITS} digits) is said at all.",
        why="Without a number, a prospect who does want to call back cannot; few will look it up.",
        example='"... give me a call back when you can. Thanks!" (no number)',
        fix='Say your number slowly, early and again at the end: "My number is {number} ... again, {number}."',
        fix_defaults={"number": "415-555-0192"},
        texts={
            "message": "No phone number in the message: a prospect who wants to call back cannot",
            "evidence": f"no {DEFAULT_MIN_DIGITS}- to {DEFAULT_MAX_DIGITS}-digit number heard",
        },
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM502",
        name="number-said-once",
        family="callback",
        summary="the callback number is said only once",
        checks="How many times each callback number is said (a digit dropped by the transcript still counts as the same number).",
        why=(
            "Prospects rarely have a pen ready the first time; saying it early and again at "
            "the end saves them a replay."
        ),
        example='"... you can reach me at 206-555-0171." (once, at the end)',
        fix='Say it early, right after your name ("My number is {number}."), and again as the last thing they hear ("Again, that\'s {number}.").',
        fix_defaults={"number": "415-555-0192"},
        texts={
            "message": "You say {number} {where}: a prospect reaching for a pen has to replay the message",
            "at_end": "only at the end",
            "once": "only once, {at}",
            "evidence": "{said} {at}",
        },
        uses_transcript=True,
        reads_number=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM503",
        name="no-next-step",
        family="callback",
        summary="no commitment to a specific time for the next attempt",
        checks=(
            'A commitment to your next attempt ("I\'ll try you", "I\'ll call you", "I\'ll '
            'follow up") together with a specific day or time anywhere in the message '
            '("Thursday", "tomorrow", "at 10", "2 pm", "on the 14th"), or a part of the day '
            'just after the commitment ("I\'ll call you Tuesday afternoon", even when Tuesday '
            "is misheard)."
        ),
        why=(
            "Saying when you will try next makes the next call expected rather than a "
            "surprise, and keeps the next step in your hands."
        ),
        example='"I\'ll follow up soon." (no day or time)',
        fix='Commit to a specific time near the end: "I\'ll try you again {day}."',
        fix_defaults={"day": "Thursday at 10"},
        texts={
            "no_time": "You say {said} but not when: no day or time for your next attempt",
            "no_commitment": "You mention {said} but don't commit to trying them then",
            "neither": "The message doesn't say when you'll try them next",
            "evidence": "{said} {at}",
            "evidence_neither": "no commitment to a next attempt, no day or time",
        },
        settings=(
            _s("commitments", "phrases", "phrases that commit to your next attempt"),
            _s("days", "phrases", "words and phrases that name a specific day or part of one"),
            _s(
                "parts_of_day",
                "phrases",
                "parts of a day that name the time when said within a few words after a commitment",
            ),
            _s("part_of_day_within", "count", "how many words after a commitment a part of the day may come"),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM504",
        name="asks-for-callback",
        family="callback",
        summary="asks the prospect to call back instead of committing to the next attempt",
        checks=(
            'Requests to call back ("give me a call back", "call me", "get back to me") in a '
            "message with no commitment to your next attempt."
        ),
        why=(
            "Cold prospects rarely call back, so asking them to leaves the next step to "
            "chance. Committing to your next attempt keeps it in your hands, and the number "
            "is still there if they want to call sooner."
        ),
        example='"Give me a call back when you can."',
        fix='Replace {asked} with a commitment: "{rewrite}"',
        fix_defaults={"asked": '"give me a call back"', "number": "[your number]"},
        texts={
            "message": "You ask them to call back ({asks}) instead of saying when you'll try next",
            "evidence": "{said}",
        },
        settings=(
            _s("phrases", "phrases", "phrases that ask the prospect to call back"),
            _s("rewrite", "text", "suggested wording; {number} is replaced by your number"),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM505",
        name="wrong-number",
        family="callback",
        summary="a number you say is not the callback number in your details",
        checks=(
            "Only when your number is given (--rep-number, [rep] number, the app's Your details): each "
            "number said against it. Your number said without its area code or its leading 1 is the same "
            "number; one a digit short or long is taken for a transcription slip (Whisper drops a "
            "repeated digit), not a wrong number."
        ),
        why=(
            "A prospect who does call back dials what they heard; one wrong or swapped digit and "
            "the call reaches someone else, and you never learn it happened."
        ),
        example='Your number is 415-555-0192; the message says "415-555-0129".',
        fix="Say your number exactly as it is, in groups: {yours}. Write it down in front of you before you record.",
        fix_defaults={"yours": "415-555-0192"},
        texts={
            "message": "You said {said}{times}; your number is {yours} ({difference})",
            "twice": " twice",
            "times": " {count} times",
            "swapped": "{said_digits} for {your_digits}: two digits swapped",
            "changed": "{said_digits} for {your_digits}",
            "length": "{said_count} digits for your {your_count}",
            "evidence": "{heard} {at}",
        },
        uses_transcript=True,
        reads_number=True,
        input_kind=TEXT,
        needs="rep-number",
    ),
    # 6xx delivery ---------------------------------------------------------
    RuleInfo(
        code="VM601",
        name="monotone",
        family="delivery",
        summary="pitch varies by under {min_st} semitones",
        checks="How much your voice's pitch moves (its standard deviation, in semitones) while you speak.",
        why="A flat voice sounds read and bored; pitch movement carries interest and marks the important words.",
        example="A message read on one note (1.2 semitones of variation).",
        fix="Smile while you speak and stress the words that matter: their name, the reason, the day you'll call.",
        texts={
            "message": "Your pitch varies by {variation} semitones (flat below {min_st}): it sounds read",
            "evidence": "pitch variation {measured} semitones{around}",
            "around": " around {hz} Hz",
        },
        settings=(_s("min_st", "semitones", "a finding below this pitch variation"),),
    ),
    RuleInfo(
        code="VM602",
        name="too-quiet",
        family="delivery",
        summary="speech loudness under {min_dbfs} dBFS",
        checks="The average loudness of your speech, in dB relative to full scale.",
        why="Quiet messages get lost on a phone speaker and in voicemail compression.",
        example="Speech at -42 dBFS, recorded at arm's length from a laptop.",
        fix="Move closer to the microphone (a hand's width) or raise the input level, and speak as if across a table.",
        texts={
            "message": "Speech at {level}: quieter than the {min_dbfs} dBFS minimum",
            "level": "{dbfs} dBFS",
            "silence": "silence",
            "evidence": "speech loudness {level}",
        },
        settings=(_s("min_dbfs", "dbfs", "a finding below this speech loudness"),),
    ),
    RuleInfo(
        code="VM603",
        name="clipping",
        family="delivery",
        summary="more than {max_percent}% of samples clipped",
        checks="The share of samples at or near full scale, where the recording distorts.",
        why="Clipped audio crackles and distorts words, and voicemail compression makes it worse.",
        example="A recording with the input gain at maximum, 1.5% of samples clipped.",
        fix="Lower the input gain or move back from the microphone, and turn it slightly off-axis to avoid popping.",
        texts={
            "message": "{percent}% of samples are clipped (limit {max_percent}%): loud parts will crackle",
            "evidence": "clipping ratio {ratio}%, peak {peak} dBFS",
        },
        settings=(_s("max_percent", "percent", "a finding above this share of clipped samples"),),
    ),
    RuleInfo(
        code="VM604",
        name="noisy",
        family="delivery",
        summary="signal-to-noise under {min_snr_db} dB",
        checks="How far your speech stands above the background noise (signal-to-noise ratio).",
        why="Background noise makes you hard to understand and sounds careless, like a call from a car.",
        example="A message recorded next to a fan (SNR 9 dB).",
        fix="Record in a quiet room away from fans, traffic and open-plan chatter; a headset microphone helps.",
        texts={
            "message": "Background noise: speech is only {snr} dB above it (minimum {min_snr_db} dB)",
            "evidence": "signal-to-noise ratio {measured} dB",
        },
        settings=(_s("min_snr_db", "db", "a finding below this signal-to-noise ratio"),),
    ),
    RuleInfo(
        code="VM605",
        name="trailing-off",
        family="delivery",
        summary="the last {last_fraction} of the speech is {min_drop_db} dB or more quieter than the rest",
        checks=(
            "The energy of the last part of the speech span against the rest, averaged in dB "
            "over sounding frames (frames within {sounding_range_db} dB of the loud level, so "
            "pauses do not count)."
        ),
        why=(
            "The end of a voicemail carries the number and the next step; trailing off makes "
            "exactly that part the hardest to hear."
        ),
        example="A strong opening whose last sentence and number fade 8 dB.",
        fix="Keep your volume up to the last digit: take a breath before your closing line and say it like your first.",
        texts={
            "message": "Your last {tail} (from {start}) are {drop} dB quieter than the rest (limit {min_drop_db} dB){holds}",
            "holds_number": ", and that is where your number is",
            "holds_words": ": {said}",
            "evidence": "mean level {before} dB before {start}, {after} dB after",
        },
        settings=(
            _s("last_fraction", "fraction", "the share of the speech span counted as the end"),
            _s("min_drop_db", "db", "a finding when the end is this much quieter or more"),
            _s("sounding_range_db", "db", "frames within this many dB of the loud level count as sounding"),
        ),
    ),
    # 7xx introduction -----------------------------------------------------
    RuleInfo(
        code="VM701",
        name="no-introduction",
        family="intro",
        summary="you never say your name",
        checks=(
            'Whether you introduce yourself ("this is Sam", "my name is Sam", "it\'s Sam from Acme"). '
            "With your name in your details (--rep-name, [rep] name, the app's Your details), your own "
            "name counts however Whisper wrote it, when a word of it is {min_similarity} alike in "
            'spelling or sounds the same ("This has been Ortiz with ClearPath" for Ben Ortiz with '
            'Clearpath): your whole name, or part of it after "this is" or before "here" or '
            '"from/with/at" a company. With your company, "NAME from/with YOUR COMPANY" counts too.'
        ),
        why=(
            "An anonymous message sounds like spam; your name (and company) lets the prospect "
            "recognise you when you try again."
        ),
        example='"Hi, I\'m calling about your payroll ..." (no name)',
        fix='Open with who you are: "{greeting}, this is {you} from {company}."',
        fix_defaults={"greeting": "Hi", "you": "[your name]", "company": "[your company]", "yours": ""},
        texts={
            "message": "You never say your name{yours}: an anonymous message sounds like spam",
            "yours": " ({name})",
            "greeting": "Hi {first}",
            "evidence": 'no "this is ...", "my name is ..." or "it\'s ... from ..." heard',
        },
        settings=(
            _s(
                "min_similarity",
                "fraction",
                "how alike in spelling a said word must be to a part of your name (1 = exact)",
            ),
        ),
        uses_transcript=True,
        input_kind=TEXT,
    ),
    RuleInfo(
        code="VM702",
        name="no-prospect-name",
        family="intro",
        summary="a prospect name was given and never said",
        checks=(
            "Only when a prospect name is given (--prospect): whether any part of it is said. "
            "Whisper often mishears names it does not know, so a word {min_similarity} similar "
            'to the name counts, and right after the greeting ("Hi, Ora" for Laura) a word '
            "{greeting_similarity} similar does."
        ),
        why="Their name in the first second tells them the message is for them, not a broadcast.",
        example='Prospect "Dana"; the message opens "Hi there, ..."',
        fix='Open with their name: "Hi {first}, this is ..." and use it once more at the end.',
        fix_defaults={"first": "Dana"},
        texts={
            "message": "You never say {prospect}: the message could be for anyone",
            "evidence": "prospect {prospect} not heard in the transcript",
        },
        settings=(
            _s("min_similarity", "fraction", "how close a said word must be to the name (1 = exact)"),
            _s("greeting_similarity", "fraction", 'how close the word right after "Hi" must be'),
        ),
        uses_transcript=True,
        needs="prospect",
        input_kind=TEXT,
    ),
    # 8xx script -----------------------------------------------------------
    RuleInfo(
        code="VM801",
        name="off-script",
        family="script",
        summary="a script was given and over {max_changed_percent}% of its words were changed or skipped",
        checks="Only when a script is given (--script): the share of the script's words changed or left out.",
        why=(
            "When practising a script, drifting far from it usually means the lines are not "
            "learned yet, and the key parts (the number, the next step) are the first to go."
        ),
        example="A script of 60 words of which 18 were skipped (30%).",
        fix="Rehearse the parts you changed or skipped, read the script aloud twice, then record again.",
        texts={
            "message": "{percent}% of the script's words were changed or skipped (limit {max_changed_percent}%)",
            "start": "Start with: {parts}.",
            "skipped": "skipped {script}",
            "changed": "{script} became {said}",
            "evidence": "{changed} changed and {skipped} skipped of {total} script words",
        },
        settings=(_s("max_changed_percent", "percent", "a finding above this share of changed or skipped words"),),
        uses_transcript=True,
        needs="script",
    ),
)

BY_CODE: dict[str, RuleInfo] = {info.code: info for info in CATALOGUE}
BY_NAME: dict[str, RuleInfo] = {info.name: info for info in CATALOGUE}
CODES: tuple[str, ...] = tuple(BY_CODE)


def find_rule(code_or_name: str) -> RuleInfo | None:
    """The rule with this code ("VM401", any case) or name ("sounds-like-a-pitch"), else None."""
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
