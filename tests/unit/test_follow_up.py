"""The follow-up e-mail: what the voicemail said and the rep's details, and nothing else."""

from __future__ import annotations

import re

from coach.analysis.metrics import build_metrics
from coach.config import default_config
from coach.follow_up import follow_up
from coach.report import Report, RepProfile
from coach.rules.engine import apply
from coach.script.builder import ScriptInputs, build
from coach.script.templates import templates
from coach.text.script_diff import script_diff
from factories.report_factory import CLEAN_TEXT, build_report

CONFIG = default_config()
EXAMPLE = ScriptInputs(**{key: field.example for key, field in templates().fields.items()})
REP = RepProfile(name="Marcus Reed", company="Ledgerline Payroll", number="415-555-0192", email="marcus@ledgerline.com")


def take(
    text: str, *, prospect: str | None = "Dana", rep: RepProfile | None = REP, script: str | None = None
) -> Report:
    """A take of ``text`` with the pipeline's own text features, analysed by the rules."""
    report = build_report(text, prospect=prospect, script=script)
    report.metrics = build_metrics(report.metrics, report.words)
    report.rep = rep
    return apply(report, CONFIG)


def template_words() -> set[str]:
    email = templates().email
    text = " ".join([*email.texts.values(), *email.notes.values()])
    return {w.lower() for w in re.findall(r"[A-Za-z']+", text)}


def facts(text: str) -> set[str]:
    """What an e-mail could invent: numbers, capitalised words (names, days, companies) and e-mail addresses."""
    found = set(re.findall(r"\d+", text)) | set(re.findall(r"[\w.]+@[\w.]+", text))
    found |= set(re.findall(r"\b[A-Z][a-z']+\b", text))
    return found


def assert_nothing_invented(email_text: str, said: str, rep: RepProfile | None) -> None:
    given = said + " " + " ".join([rep.name, rep.company, rep.number, rep.email] if rep else [])
    allowed = facts(given) | {w.capitalize() for w in template_words()} | {w.upper() for w in template_words()}
    invented = {f for f in facts(email_text) if f not in allowed and f.lower() not in given.lower()}
    assert not invented, invented


def test_the_email_has_the_prospect_the_reason_the_time_and_the_number() -> None:
    email = follow_up(take(CLEAN_TEXT), CONFIG)
    assert email.subject == "Harbor Street Bakery opened a third location"
    body = email.body
    assert body.startswith("Hi Dana,")
    assert "I saw Harbor Street Bakery opened a third location." in body
    assert "How are you handling payroll across all three?" in body
    assert "I'll try you again Thursday at 10 am; if sooner suits you, my number is 415-555-0192." in body
    assert body.rstrip().endswith("Marcus Reed\nLedgerline Payroll\n415-555-0192\nmarcus@ledgerline.com")
    assert email.notes == []
    # Two or three sentences between the greeting and the signature.
    middle = body.split("\n\n")[1:3]
    assert 2 <= sum(len(re.findall(r"[.?!](?:\s|$)", part)) for part in middle) <= 4
    assert_nothing_invented(email.subject + "\n" + body, CLEAN_TEXT + " Dana", REP)


def test_the_pipeline_stage_and_the_function_give_the_same_draft() -> None:
    report = take(CLEAN_TEXT)
    assert report.email is None  # apply() is the rules; the e-mail is the pipeline's last step
    report.email = follow_up(report, CONFIG)
    again = Report.from_dict(report.to_dict())
    assert again.email == report.email
    assert report.to_dict()["email"]["subject"] == "Harbor Street Bakery opened a third location"


def test_a_callback_request_becomes_a_commitment_with_a_blank_not_an_invented_time() -> None:
    said = (
        "Hi Megan, this is Sam Porter from Clearview Benefits. I noticed Greenfield Dental is hiring again. "
        "Give me a call back when you can at 312-555-0147."
    )
    rep = RepProfile(name="Sam Porter")
    email = follow_up(take(said, prospect="Megan", rep=rep), CONFIG)
    assert "I'll try you again [day and time]; if sooner suits you, my number is 312-555-0147." in email.body
    assert "call back" not in email.body.lower()
    assert any("asked them to call you back" in n and '"Give me a call back"' in n for n in email.notes)
    assert any("[day and time]" in n for n in email.notes)
    assert email.subject == "Greenfield Dental is hiring again"
    days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "tomorrow"}
    assert not any(d in email.body for d in days)
    assert_nothing_invented(email.subject + "\n" + email.body, said + " Megan", rep)


def test_what_was_not_said_or_given_is_left_out_or_blank() -> None:
    said = "Hi, I'm calling because your team is growing. I'll follow up soon."
    email = follow_up(take(said, prospect=None, rep=None), CONFIG)
    assert email.body.startswith("Hi,\n")
    assert "[your number]" in email.body and "[your name]" in email.body and "[day and time]" in email.body
    assert "?" not in email.body  # no question was asked, so none is added
    assert email.subject == "Your team is growing"
    assert any("Fill in" in n for n in email.notes)
    assert_nothing_invented(email.subject + "\n" + email.body, said, None)


def test_a_take_that_kept_to_its_script_is_quoted_as_the_rep_wrote_it() -> None:
    script = build(EXAMPLE)[1].text  # "Number at the end", with the example fields
    said = script.replace("Harbor Street", "harbour street").replace("Sam Lee", "Sam Leigh")
    report = take(said, prospect="Dana", script=script, rep=RepProfile(number="415-555-0192"))
    report.script_diff = script_diff(script, report.transcript)
    email = follow_up(report, CONFIG)
    assert "Sam Lee" in email.body and "Sam Leigh" not in email.body
    assert email.subject == "You opened a third location in Denver"
    assert "How are you handling payroll across all three stores?" in email.body
    assert "Thursday at 10 am" in email.body
    # A take far from its script is quoted as said.
    off = take(CLEAN_TEXT, script=script)
    assert off.script_diff is not None
    assert 100 * off.script_diff.changed_ratio > CONFIG.rule("VM801")["max_changed_percent"]
    assert "Harbor Street Bakery opened a third location" in follow_up(off, CONFIG).subject


def test_a_low_confidence_transcript_says_to_check_the_email() -> None:
    report = build_report(CLEAN_TEXT, prospect="Dana", probability=0.3)
    report.rep = REP
    email = follow_up(apply(report, CONFIG), CONFIG)
    assert any("may be wrong" in n for n in email.notes)


def test_a_long_reason_makes_a_short_subject() -> None:
    said = (
        "Hi Dana, this is Marcus from Ledgerline. I saw that Harbor Street Bakery opened a third location "
        "downtown and is hiring bakers, drivers and counter staff for the new shop next month. "
        "I'll try you again Thursday at 10 am. My number is 415-555-0192. Again, 415-555-0192."
    )
    subject = follow_up(take(said), CONFIG).subject
    assert subject.startswith("Harbor Street Bakery opened a third location") and subject.endswith("...")
    assert len(subject) <= 78


def test_a_part_of_the_day_after_the_commitment_is_the_emails_time() -> None:
    # "I'll call you Tuesday afternoon" as Whisper heard it from an espeak voice.
    text = CLEAN_TEXT.replace("I'll try you again Thursday at 10 am.", "I'll call you to use the afternoon.")
    assert text != CLEAN_TEXT
    report = take(text)
    assert not [f for f in report.findings if f.code == "VM503"]
    email = follow_up(report, CONFIG)
    assert "I'll try you again in the afternoon; if sooner suits you" in email.body
    assert email.notes == []
