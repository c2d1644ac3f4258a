"""After the recording: the follow-up e-mail that goes with the voicemail.

:func:`follow_up` writes the draft from one report and the rep's details,
deterministically, with the wording of ``coach/script/templates.toml``
``[email]``: a subject naming the reason for the call, a greeting, the
reason and the question as the voicemail said them, the same next-attempt
time and the callback number, and a signature. The pipeline calls it at its
last stage, so the JSON report, ``coach analyze --email`` and the app all
show the same draft.

Nothing goes in that the rep did not provide or say. The words come from
the take; when the take kept to a script (the script comparison within
VM801's limit), from the script the rep wrote, which spells names as they
do. The reason is the first sentence that opens with one of the
``reason_openers`` ("I'm calling because ..."), else the first that is none
of the other parts (introduction, number, question, next step, request to
call back). The time is the day or time said with the commitment to the
next attempt (VM503's phrases); when the voicemail asked for a callback
instead (VM504) or named no time, the e-mail still commits to the next
attempt, with a blank for the day and time, and a note says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.report import FollowUpEmail, Report, Word
from coach.rules.base import Context, quotes
from coach.rules.callback import main_number, next_step
from coach.rules.reliability import assess
from coach.script.estimate import Pace, timing
from coach.script.templates import templates
from coach.script.words import script_report
from coach.text.features import split_sentences
from coach.text.matching import tokenize
from coach.text.tokens import join_words

if TYPE_CHECKING:
    from coach.config import Config

#: A subject line longer than this is cut at a word, with "...".
SUBJECT_MAX = 78
_GREETINGS = frozenset({"hi", "hey", "hello", "morning", "afternoon", "evening", "good"})


@dataclass
class _Sentence:
    words: list[Word]
    first: int
    last: int

    @property
    def text(self) -> str:
        return join_words(self.words)

    def holds_word(self, index: int | None) -> bool:
        return index is not None and self.first <= index <= self.last


def _sentences(report: Report) -> list[_Sentence]:
    index = {id(w): i for i, w in enumerate(report.words)}
    return [_Sentence(s, index[id(s[0])], index[id(s[-1])]) for s in split_sentences(report.words)]


def _word_at(report: Report, t: float | None) -> int | None:
    """The index of the word that starts at ``t`` (the start of a number, a question, the introduction)."""
    if t is None:
        return None
    return next((i for i, w in enumerate(report.words) if w.start >= t - 1e-6), None)


def _source(report: Report, config: Config) -> tuple[Report, bool]:
    """(the report whose words the e-mail quotes, whether they are the take's own words)."""
    diff = report.script_diff
    kept = diff is not None and 100.0 * diff.changed_ratio <= config.rule("VM801")["max_changed_percent"]
    if report.script and kept:
        pace = Pace(float(config.script["default_wpm"]))
        written = script_report(report.script, timing(config, pace), prospect=report.prospect, rep=report.rep)
        if written.report.words:
            return written.report, False
    return report, True


def _opener_at(sentence: _Sentence, openers: tuple[str, ...]) -> tuple[int, int] | None:
    """(the word a reason opener starts at, how many words it takes), at the sentence's start or
    after a comma or colon ("Hi, I'm calling because ..."), or None."""
    tokens = [tokenize(w.text) for w in sentence.words]
    for start in range(len(sentence.words)):
        if start and not sentence.words[start - 1].text.rstrip().endswith((",", ":", ";")):
            continue
        flat = [t for ts in tokens[start:] for t in ts]
        for opener in openers:
            wanted = tokenize(opener)
            if flat[: len(wanted)] != wanted:
                continue
            taken = 0
            for count, ts in enumerate(tokens[start:], start=1):
                taken += len(ts)
                if taken >= len(wanted):
                    return start, count
    return None


def _subject(sentence: _Sentence, skip: int) -> str:
    rest = join_words(sentence.words[skip:]).strip(" :;,-\u2013\u2014").rstrip(".!?").strip()
    if not rest:
        return ""
    rest = rest[:1].upper() + rest[1:]
    if len(rest) > SUBJECT_MAX:
        rest = rest[: SUBJECT_MAX - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    return rest


def _reason(
    report: Report, ctx: Context, sentences: list[_Sentence], config: Config
) -> tuple[_Sentence, int, int] | None:
    """(the sentence that gives the reason, the word its reason starts at, the opener's length in words)."""
    openers = templates().email.reason_openers
    for s in sentences:
        found = _opener_at(s, openers)
        if found is not None:
            return s, *found
    commitments, times = next_step(ctx)
    asks = ctx.text.find(config.rule("VM504")["phrases"])
    m = report.metrics
    tw = ctx.text.token_word
    taken = {_word_at(report, m.introduction.start)} if m.introduction is not None else set()
    taken |= {_word_at(report, n.start) for n in m.phone_numbers} | {_word_at(report, q.start) for q in m.questions}
    taken |= {tw[x.first] for x in (*commitments, *times, *asks)}
    for s in sentences:
        cores = [t for w in s.words for t in tokenize(w.text)]
        if len(cores) < 3 or (cores[0] in _GREETINGS and len(cores) <= 3):
            continue
        if not any(s.holds_word(i) for i in taken):
            return s, 0, 0
    return None


def _time(ctx: Context) -> str | None:
    """The day or time said with the first commitment to a next attempt, or None."""
    commitments, times = next_step(ctx)
    if not commitments or not times:
        return None
    first = commitments[0]
    nearest = min(times, key=lambda t: abs(t.first - first.last) if t.first > first.last else abs(first.first - t.last))
    if nearest.phrase in ctx.config.rule("VM503")["parts_of_day"]:
        return templates().email.texts["part_of_day"].format(part=nearest.said)
    return nearest.said


def _question(report: Report, sentences: list[_Sentence]) -> str | None:
    if not report.metrics.questions:
        return None
    first = report.metrics.questions[0]
    at = _word_at(report, first.start)
    return next((s.text for s in sentences if s.holds_word(at)), first.text)


def follow_up(report: Report, config: Config) -> FollowUpEmail:
    """The follow-up e-mail draft for ``report`` (see the module's docstring)."""
    words = templates().email
    texts, notes_text = words.texts, words.notes
    source, is_take = _source(report, config)
    ctx = Context.build(source, config)
    sentences = _sentences(source)
    rep = report.rep
    notes: list[str] = []
    blanks: list[str] = []

    def blank(text: str) -> str:
        if text not in blanks:
            blanks.append(text)
        return text

    reason = _reason(source, ctx, sentences, config)
    subject = said_reason = ""
    if reason is not None:
        sentence, start, opener = reason
        subject = _subject(sentence, start + opener)
        said_reason = join_words(sentence.words[start:])
        said_reason = said_reason[:1].upper() + said_reason[1:]
    subject = texts["subject"].format(reason=subject) if subject else texts["subject_without_reason"]

    prospect = (report.prospect or "").split()
    greeting = texts["greeting"].format(prospect=prospect[0]) if prospect else texts["greeting_without_name"]
    opening = texts["opening"].format(reason=said_reason) if said_reason else texts["opening_without_reason"]
    question = _question(source, sentences)
    if question:
        opening += " " + question

    number = (rep.number if rep and rep.number else None) or main_number(source) or blank(texts["blank_number"])
    time = _time(ctx)
    if time is None:
        time = blank(texts["blank_time"])
        asks = ctx.text.find(config.rule("VM504")["phrases"])
        if asks and not next_step(ctx)[0]:
            notes.append(notes_text["asked_for_callback"].format(asked=quotes([a.said for a in asks], 3)))
        else:
            notes.append(notes_text["no_time"])
    step = texts["next_step"].format(time=time, number=number)

    intro = source.metrics.introduction
    name = (rep.name if rep and rep.name else None) or (intro.name if intro else None) or blank(texts["blank_name"])
    company = (rep.company if rep and rep.company else None) or (intro.company if intro else None)
    signature = [name, *([company] if company else []), number, *([rep.email] if rep and rep.email else [])]
    body = "\n\n".join([greeting, opening, step, "\n".join(signature)])

    if blanks:
        notes.append(notes_text["blanks"].format(blanks=" and ".join(blanks)))
    if is_take:
        reliable, why = assess(report, config)
        if not reliable:
            notes.append(notes_text["unreliable"].format(why=why))
    return FollowUpEmail(subject=subject, body=body, notes=notes)
