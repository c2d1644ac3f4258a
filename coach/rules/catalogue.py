"""The rule catalogue: what each rule checks and why, in words, keyed by stable code.

This module is data only. Every number and phrase list a rule uses (and each
rule's default severity) lives in ``coach/defaults.toml``; here each rule
names its settings and says what they mean, so ``coach rules``, the README
and the configuration validator all read one source. ``summary`` is a
template filled with the rule's current settings (``{max_s}``), so the
one-line description always shows the numbers actually in force.

Codes are stable: a code is never reused for a different check. The hundreds
digit is the family (1 timing, 2 pace, 3 wording, 4 pitch, 5 callback,
6 delivery, 7 introduction, 8 script).
"""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "suggestion")


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
    #: Decided from the transcript (words, phrases, numbers): downgraded when the
    #: transcript is unreliable (see :mod:`coach.rules.reliability`).
    uses_transcript: bool = False
    #: Context the rule needs to run at all ("prospect" or "script"), if any.
    needs: str | None = None


def _s(name: str, kind: str, help: str) -> Setting:
    return Setting(name, kind, help)


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
        fix=(
            "Keep four parts only: who you are, why you are calling them, when you will try "
            "next, and your number (twice). Aim for 20-25 s."
        ),
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
        fix="Say who you are, one reason tied to them, when you will try next, and your number.",
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
        fix="Start speaking as soon as the beep ends (or within a second of pressing record).",
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
        fix=(
            "Know your next line before you start; keep pauses to a breath (under a second), "
            "a short beat before the number is enough."
        ),
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
        fix="Slow to about 140-160 words a minute: pause at every full stop, and slower still for your name and number.",
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
        fix="Rehearse the lines until they are familiar; aim for 140-160 words a minute, pausing at full stops, not mid-sentence.",
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
        fix="Say it in groups with a beat between (415 - 555 - 0192), about as fast as someone can write.",
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
        settings=(
            _s("max_words", "count", "a finding above this many words"),
            _s("max_sentence_words", "count", "a finding when sentences average more words than this"),
        ),
        uses_transcript=True,
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
        fix="Pause silently instead of filling; write your opening and your number down and rehearse them.",
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
        fix='Cut the hedge and say the reason directly: "I\'m calling because ...".',
        settings=(
            _s("min_count", "count", "a finding from this many hedging phrases"),
            _s("phrases", "phrases", "the hedging phrases"),
        ),
        uses_transcript=True,
    ),
    # 4xx pitch ------------------------------------------------------------
    RuleInfo(
        code="VM401",
        name="sounds-like-a-pitch",
        family="pitch",
        summary="sales-pitch phrases with a total weight of {threshold} or more",
        checks=(
            "Sales-pitch phrases, each with a weight (offers and pressure weigh more than "
            "buzzwords); the rule adds up the weights of every phrase said."
        ),
        why=(
            'Prospects delete ads. Offers and buzzwords ("special offer", "free trial", '
            '"industry-leading") mark the message as a pitch in the first seconds, and a '
            "pitch gets no callback."
        ),
        example='"I\'m calling to save you money with a special offer, for a limited time."',
        fix=(
            "Replace claims with one specific, observed reason you are calling them: "
            '"I saw you opened a third store last month ...".'
        ),
        settings=(
            _s("threshold", "weight", "a finding when the weights add up to this or more"),
            _s("phrases", "weighted_phrases", "pitch phrases and their weights"),
        ),
        uses_transcript=True,
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
        fix='Turn sentences that start with "We" or "I" around to start with them: "Your team ...".',
        settings=(
            _s("max_ratio", "ratio", "a finding when me-words outnumber you-words more than this many to 1"),
            _s("min_me_words", "count", "not judged below this many me-words"),
            _s("me_words", "words", "words about the caller"),
            _s("you_words", "words", "words about the prospect"),
        ),
        uses_transcript=True,
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
        fix='Add one question about their situation: "How are you handling payroll across all three stores?"',
        settings=(_s("hooks", "phrases", "phrases that count as a curiosity hook"),),
        uses_transcript=True,
    ),
    # 5xx callback ---------------------------------------------------------
    RuleInfo(
        code="VM501",
        name="no-callback-number",
        family="callback",
        summary="no phone number said",
        checks="Whether a callback number (7 to 11 digits) is said at all.",
        why="Without a number, a prospect who does want to call back cannot; few will look it up.",
        example='"... give me a call back when you can. Thanks!" (no number)',
        fix='Say your number slowly, once early and once at the end: "my number is 415-555-0192".',
        uses_transcript=True,
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
        fix='Say it early ("my number is ...") and again as the last thing they hear ("again, 415-555-0192").',
        uses_transcript=True,
    ),
    RuleInfo(
        code="VM503",
        name="no-next-step",
        family="callback",
        summary="no commitment to a specific time for the next attempt",
        checks=(
            'A commitment to your next attempt ("I\'ll try you", "I\'ll call you", "I\'ll '
            'follow up") together with a specific day or time anywhere in the message '
            '("Thursday", "tomorrow", "at 10", "2 pm", "on the 14th").'
        ),
        why=(
            "Saying when you will try next makes the next call expected rather than a "
            "surprise, and keeps the next step in your hands."
        ),
        example='"I\'ll follow up soon." (no day or time)',
        fix='Commit to a day and time: "I\'ll try you again Thursday at 10."',
        settings=(
            _s("commitments", "phrases", "phrases that commit to your next attempt"),
            _s("days", "phrases", "words and phrases that name a specific day or part of one"),
        ),
        uses_transcript=True,
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
        fix="Commit to your next attempt and offer the number as an option: see the rewrite.",
        settings=(
            _s("phrases", "phrases", "phrases that ask the prospect to call back"),
            _s("rewrite", "text", "suggested wording; {number} is replaced by your number"),
        ),
        uses_transcript=True,
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
        fix="Smile while you speak and stress the words that matter: their name, the reason, the day.",
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
        fix="Move closer to the microphone (a hand's width) or raise the input level; speak as if across a table.",
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
        fix="Record in a quiet room away from fans and traffic; a headset microphone helps.",
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
        checks='Whether you introduce yourself ("this is Sam", "my name is Sam", "it\'s Sam from Acme").',
        why=(
            "An anonymous message sounds like spam; your name (and company) lets the prospect "
            "recognise you when you try again."
        ),
        example='"Hi, I\'m calling about your payroll ..." (no name)',
        fix='Open with who you are: "Hi Dana, this is Sam from Acme."',
        uses_transcript=True,
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
        fix='Start with their name: "Hi Dana, ...".',
        settings=(
            _s("min_similarity", "fraction", "how close a said word must be to the name (1 = exact)"),
            _s("greeting_similarity", "fraction", 'how close the word right after "Hi" must be'),
        ),
        uses_transcript=True,
        needs="prospect",
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
        fix="Rehearse the parts you changed or skipped; read the script aloud twice, then record again.",
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
