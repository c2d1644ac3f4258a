"""The script builder: every variant, filled with complete inputs, passes the text lint with no finding;
each missing input leaves a visible blank and, where a rule can see it, the finding that names it."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from coach.config import config_from_text, default_config
from coach.report import RepProfile
from coach.script.builder import ScriptInputs, build, fields, missing, tidy
from coach.script.estimate import Pace
from coach.script.lint import lint_script
from coach.script.templates import parse, templates
from coach.text.matching import tokenize

CONFIG = default_config()

EXAMPLE = ScriptInputs(**{key: field.example for key, field in templates().fields.items()})

#: Complete inputs as reps type them: names in any case, numbers in any common shape, short and long reasons.
COMPLETE = [
    EXAMPLE,
    ScriptInputs(
        prospect="priya patel",
        prospect_company="",
        reason="Your team posted six openings for account executives.",
        question="who handles onboarding for new reps today",
        next_attempt="tomorrow afternoon",
        rep_name="jordan",
        rep_company="",
        number="(206) 555-0171",
    ),
    ScriptInputs(
        prospect="Kevin O'Brien",
        prospect_company="Northwind Logistics",
        reason="you took over the Tacoma clinic last month",
        question="Is shipping from the new warehouse slower than planned?",
        next_attempt="Friday at 2 pm",
        rep_name="Alex Turner",
        rep_company="Brightpath",
        number="6465550183",
    ),
    ScriptInputs(
        prospect="Megan",
        prospect_company="Greenfield Dental",
        reason="because Greenfield Dental is hiring again",
        question="How do new hires get through benefits paperwork now?",
        next_attempt="on Monday morning",
        rep_name="Sam Porter",
        rep_company="Clearview Benefits",
        number="+1 312 555 0147",
    ),
]


def lint(text: str, inputs: ScriptInputs, config=CONFIG, pace: Pace | None = None):
    return lint_script(text, config, prospect=inputs.prospect or None, pace=pace)


@pytest.mark.parametrize("inputs", COMPLETE, ids=range(len(COMPLETE)))
def test_every_variant_of_complete_inputs_passes_the_text_lint_with_no_finding(inputs: ScriptInputs) -> None:
    scripts = build(inputs)
    assert 2 <= len(scripts) <= 3
    assert len({s.text for s in scripts}) == len(scripts), "the variants must differ"
    for script in scripts:
        result = lint(script.text, inputs)
        assert result.findings == [], (script.name, script.text, [(f.code, f.message) for f in result.findings])
        assert script.blanks == () and "[" not in script.text
        # The shape the rules reward, said once each: who you are, the number twice, the next attempt.
        metrics = result.report.metrics
        assert metrics.introduction is not None
        assert len(metrics.phone_numbers) == 2 and len({n.digits for n in metrics.phone_numbers}) == 1
        assert len(metrics.questions) == 1


def test_optional_fields_may_be_left_out_and_the_script_stays_clean() -> None:
    for inputs in COMPLETE:
        bare = replace(inputs, prospect_company="", rep_company="")
        assert missing(bare) == []
        for script in build(bare):
            assert lint(script.text, bare).findings == [], script.text


def test_the_example_inputs_make_a_voicemail_of_15_to_25_seconds_at_the_default_pace() -> None:
    for script in build(EXAMPLE):
        estimate = lint(script.text, EXAMPLE).estimate
        assert 15 <= estimate.seconds <= 25, (script.name, estimate.seconds)
        assert estimate.status == "in band" and not estimate.pace.measured


#: Each required input a rule can see, and the rule that names it when it is missing.
NAMED_BY = {"rep_name": "VM701", "number": "VM501", "question": "VM403", "next_attempt": "VM503"}


@pytest.mark.parametrize("field", list(NAMED_BY))
def test_each_missing_input_produces_the_finding_that_names_it(field: str) -> None:
    for inputs in COMPLETE:
        gap = replace(inputs, **{field: ""})
        assert missing(gap) == [field]
        blank = fields()[field].blank
        for script in build(gap):
            assert blank in script.text and script.blanks == (field,)
            codes = [f.code for f in lint(script.text, gap).findings]
            assert codes == [NAMED_BY[field]], (script.name, script.text, codes)


def test_a_missing_prospect_or_reason_is_a_visible_blank_and_named_as_missing() -> None:
    # No rule can see these two (VM702 needs the name to check it), so the builder names them.
    for field in ("prospect", "reason"):
        gap = replace(EXAMPLE, **{field: ""})
        assert missing(gap) == [field]
        for script in build(gap):
            assert fields()[field].blank in script.text and field in script.blanks


def test_a_prospect_named_in_the_form_but_edited_out_of_the_script_is_found() -> None:
    script = build(EXAMPLE)[0].text.replace(f"Hi {EXAMPLE.prospect},", "Hi there,")
    assert [f.code for f in lint(script, EXAMPLE).findings] == ["VM702"]


def test_an_empty_form_builds_every_blank_and_lints_each_rule_it_can() -> None:
    empty = ScriptInputs()
    assert missing(empty) == [k for k, f in templates().fields.items() if not f.optional]
    for script in build(empty):
        codes = {f.code for f in lint(script.text, empty).findings}
        assert codes == set(NAMED_BY.values())


def test_your_details_come_from_the_profile_and_the_form_wins() -> None:
    rep = RepProfile(name="Sam Lee", company="Acme", number="415-555-0192", email="sam@acme.com")
    inputs = ScriptInputs.with_profile(rep, prospect="Dana", reason="", rep_name="")
    assert (inputs.rep_name, inputs.rep_company, inputs.number) == ("Sam Lee", "Acme", "415-555-0192")
    assert ScriptInputs.with_profile(rep, rep_name="Jo Park").rep_name == "Jo Park"
    assert ScriptInputs.with_profile(None, prospect=" ") == ScriptInputs()


def test_fields_are_tidied_the_way_a_person_writes_them_into_a_sentence() -> None:
    values = tidy(
        ScriptInputs(
            prospect="dana smith",
            reason="You opened a third location.",
            question="how are you handling payroll.",
            next_attempt="Thursday at 10 am.",
            rep_name="sam lee",
            number="4155550192",
        )
    )
    assert values["prospect"] == "Dana" and values["rep_name"] == "Sam Lee" and values["rep_first"] == "Sam"
    assert values["reason"] == "you opened a third location"
    assert values["question"] == "How are you handling payroll?"
    assert values["next_attempt"] == "Thursday at 10 am"
    assert values["number"] == "415-555-0192"
    # What the rep capitalised on purpose stays: a place, a company, a number they group their own way.
    assert tidy(ScriptInputs(reason="Denver is growing fast"))["reason"] == "Denver is growing fast"
    assert tidy(ScriptInputs(number="+44 20 7946 0958"))["number"] == "+44 20 7946 0958"
    assert tidy(ScriptInputs(rep_name="Mary-Jo McKay"))["rep_name"] == "Mary-Jo McKay"


def test_building_is_deterministic() -> None:
    assert build(EXAMPLE) == build(replace(EXAMPLE))
    assert [s.text for s in build(EXAMPLE)] == [s.text for s in build(EXAMPLE)]


def test_every_reason_sentence_opens_the_way_the_follow_up_email_recognises() -> None:
    openers = [tokenize(o) for o in templates().email.reason_openers]
    for variant in templates().variants:
        reasons = [forms for forms in variant.sentences if any("{reason}" in f for f in forms)]
        assert len(reasons) == 1, variant.name
        for form in reasons[0]:
            tokens = tokenize(form)
            assert any(tokens[: len(o)] == o for o in openers), form


def test_the_lint_uses_the_settings_in_force() -> None:
    script = build(EXAMPLE)[0].text
    tuned = config_from_text('[rules.VM303]\nmin_count = 1\nextend_phrases = ["I\'m calling about"]\n')
    codes = [f.code for f in lint(script, EXAMPLE, tuned).findings]
    assert codes == ["VM303"]
    assert lint(script, EXAMPLE, config_from_text('ignore = ["VM3"]\n[rules.VM303]\nmin_count = 1\n')).findings == []


def test_a_template_naming_an_unknown_field_is_refused() -> None:
    data = {
        "fields": {"prospect": {"label": "x", "example": "x", "blank": "[x]"}},
        "variants": [{"name": "v", "sentences": [["Hi {prospekt}."]]}],
        "email": {"reason_openers": [], "notes": {}},
    }
    with pytest.raises(ValueError, match="prospekt"):
        parse(data)


def test_every_field_has_a_label_an_example_and_a_blank_in_brackets() -> None:
    for key, field in templates().fields.items():
        assert field.label and field.example and field.help, key
        assert field.blank.startswith("[") and field.blank.endswith("]"), key
    used = {n for v in templates().variants for forms in v.sentences for f in forms for n in _names(f)}
    assert set(templates().fields) <= used | {"rep_first"}


def _names(form: str) -> list[str]:
    from coach.script.templates import names_in

    return names_in(form)


def test_complete_inputs_stay_clean_across_a_grid_of_names_numbers_and_times() -> None:
    grid = itertools.product(
        ["Dana", "lee", "Jean-Luc"],
        ["415-555-0192", "212.555.0199", "7735550158"],
        ["Thursday at 10 am", "tomorrow morning", "Wednesday at 3:30 pm"],
    )
    for prospect, number, when in grid:
        inputs = replace(EXAMPLE, prospect=prospect, number=number, next_attempt=when)
        for script in build(inputs):
            assert lint(script.text, inputs).findings == [], script.text
