"""The script builder and the follow-up e-mail in the app, run headless with AppTest.

The first tests need no model: the builder, lint as you type, "Practise this".
The last is the issue's "done when": a rep with no script builds one, sees it
is clean and about 20 s long, records it (the good sample voicemail, analysed
by the real pipeline and Whisper) and leaves with the e-mail to send.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from coach.history.store import History
from coach.ui.views import builder
from factories.app_test import HOSTILE, TIMEOUT, start
from factories.paths import SAMPLES

FORM = {
    "prospect": "Dana",
    "reason": "Harbor Street Bakery opened a third location",
    "question": "How are you handling payroll across all three stores?",
    "next_attempt": "Thursday at 10 am",
}


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception


def fill(at: AppTest, rep: dict[str, str], form: dict[str, str]) -> None:
    for key, value in rep.items():
        at.text_input(key=f"vc-rep-{key}").set_value(value)
    for key, value in form.items():
        at.text_input(key=builder.form_key(key)).set_value(value)
    at.run()
    ok(at)


def script_box(at: AppTest) -> str:
    return at.text_area(key=builder.SCRIPT).value


def lint_markup(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html") if "vc-lint-script" in h.proto.body)


def page_markup(at: AppTest) -> list[str]:
    texts = []
    for kind in ("markdown", "caption", "html", "error", "success", "info", "warning", "metric", "code"):
        for element in at.get(kind):
            proto = getattr(element, "proto", None)
            texts.append(text_format.MessageToString(proto, as_utf8=True) if proto is not None else str(element))
    return texts


def test_build_a_clean_script_then_lint_it_as_you_type(data_dir: Path) -> None:
    at = start()
    # Before anything is typed: the blanks are in the box and the rules that can see them say so.
    assert "[your number]" in script_box(at) and "[their name]" in script_box(at)
    assert "No phone number" in "\n".join(m.value for m in at.markdown)

    fill(at, {"name": "Marcus Reed", "company": "Paybridge", "number": "415-555-0192"}, FORM)
    script = script_box(at)
    assert script.startswith("Hi Dana, this is Marcus Reed from Paybridge.") and script.count("415-555-0192") == 2
    assert any("Clean" in s.value for s in at.success)
    (length,) = [m for m in at.metric if m.label == "Estimated length"]
    assert 18 <= int(length.value.split()[0]) <= 25
    assert 'vc-lint"' not in lint_markup(at)

    # Another wording, picked: the box follows.
    at.radio(key=builder.VARIANT).set_value(1).run()
    ok(at)
    assert script_box(at) != script and "it's Marcus Reed with Paybridge" in script_box(at)

    # Lint as you type: an edit is checked on the rerun it causes, its words underlined, its fix listed.
    edited = script_box(at).replace("I'm calling because", "Sorry to bother you, I just wanted to touch base because")
    at.text_area(key=builder.SCRIPT).set_value(edited).run()
    ok(at)
    markup = lint_markup(at)
    assert markup.count('title="VM303 Hedging"') == 3 and ">Sorry to bother you</span>" in markup
    listed = "\n".join(m.value for m in at.markdown)
    assert "VM303" in listed and "Cut the hedges" in listed
    assert not any("Clean" in s.value for s in at.success)

    # The rep's edits survive a change to the form; "Rewrite from the form" replaces them.
    at.text_input(key=builder.form_key("question")).set_value("Who runs payroll for the new store?").run()
    ok(at)
    assert script_box(at) == edited
    at.button(key="vc-builder-rewrite-go").click().run()
    ok(at)
    assert "Who runs payroll for the new store?" in script_box(at) and "Sorry" not in script_box(at)

    # Fix it back by hand: clean again.
    at.text_area(key=builder.SCRIPT).set_value(script).run()
    ok(at)
    assert any("Clean" in s.value for s in at.success)


def test_no_raw_html_from_the_form_or_the_script_reaches_the_page(data_dir: Path) -> None:
    at = start()
    fill(
        at,
        {"name": f"Sam {HOSTILE}", "company": "Acme"},
        {"prospect": f"Dana{HOSTILE}", "prospect_company": HOSTILE, "reason": f"you said {HOSTILE}"},
    )
    at.text_area(key=builder.SCRIPT).set_value(script_box(at) + f"\nSorry to bother you {HOSTILE} <b>touch base</b>")
    at.run()
    ok(at)
    markup = page_markup(at)
    for text in markup:
        assert "<script" not in text and "<b>" not in text, text
    assert "&lt;script&gt;" in lint_markup(at)


def test_practise_this_puts_the_script_in_the_teleprompter(data_dir: Path) -> None:
    at = start()
    fill(at, {"name": "Marcus Reed", "number": "415-555-0192"}, FORM)
    script = script_box(at)
    at.button(key="vc-builder-practise").click().run()
    ok(at)
    assert at.text_area(key=builder.PRACTICE_SCRIPT).value == script
    assert at.text_input(key=builder.PRACTICE_PROSPECT).value == "Dana"
    prompter = "\n".join(h.proto.body for h in at.get("html") if "vc-prompter" in h.proto.body)
    assert "Hi Dana, this is Marcus Reed." in prompter and "I&#x27;ll try you again Thursday at 10 am." in prompter


def test_build_record_and_leave_with_the_email(data_dir: Path) -> None:
    """Done when: build a script, see it clean and about 20 s long, record it, get the e-mail to send."""
    at = start()
    rep = {"name": "Marcus", "company": "Paybridge", "number": "415-555-0192", "email": "marcus@paybridge.com"}
    fill(at, rep, FORM)
    assert any("Clean" in s.value for s in at.success)
    at.button(key="vc-builder-practise").click().run()
    ok(at)
    # "Recording" it: the good sample voicemail says this message (Piper's voice), through the Record input.
    recording = (SAMPLES / "good_voicemail.wav").read_bytes()
    at.audio_input(key="vc-recorder").set_value(("recording.wav", recording, "audio/wav")).run(timeout=TIMEOUT)
    ok(at)
    assert not at.error, [e.value for e in at.error]
    (summary,) = History(data_dir).list_takes()
    take = History(data_dir).get_take(summary.id)
    assert take.report.script == script_box(at) and take.report.email is not None

    key = f"take-{take.id}"
    subject = at.text_input(key=f"{key}-email-subject").value
    body = at.text_area(key=f"{key}-email-body").value
    assert (subject, body) == (take.report.email.subject, take.report.email.body)
    assert "third location" in subject.lower()
    assert body.startswith("Hi Dana,") and "415-555-0192" in body and "Thursday at 10" in body
    assert "How are you handling payroll across all three stores?" in body and "marcus@paybridge.com" in body

    # Edited in place: the copy box and the mailto: link carry the edit.
    at.text_input(key=f"{key}-email-to").set_value("dana@harborstreet.com")
    at.text_area(key=f"{key}-email-body").set_value(body + "\n\nP.S. Congrats on the new store!").run()
    ok(at)
    assert any("P.S. Congrats on the new store!" in c.value and subject in c.value for c in at.code)
    (link,) = [b for b in at.get("link_button") if b.proto.url.startswith("mailto:")]
    url = urlsplit(link.proto.url)
    assert url.path == "dana@harborstreet.com"
    assert parse_qs(url.query)["subject"] == [subject]
    assert parse_qs(url.query)["body"][0].endswith("P.S. Congrats on the new store!")
