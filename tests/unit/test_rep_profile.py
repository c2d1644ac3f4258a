"""The rep's profile: one [rep] table, one check for coach.toml, the --rep-* options and the app's form."""

from __future__ import annotations

import argparse

import pytest

from coach.cli.common import REP_OPTIONS, add_analysis_options, analysis_config
from coach.config import GENERAL_KINDS, config_from_text, default_config, overlay_rep
from coach.errors import ConfigError
from coach.report import Report, RepProfile
from factories.report_factory import clean_report


def test_defaults_have_an_empty_profile():
    assert default_config().rep == RepProfile()
    assert default_config().rep.is_empty


def test_profile_from_settings_is_trimmed():
    config = config_from_text('[rep]\nname = " Sam Lee "\ncompany = "Acme"\nnumber = "(415) 555-0192"\n')
    assert config.rep == RepProfile(name="Sam Lee", company="Acme", number="(415) 555-0192")
    assert not config.rep.is_empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[rep]\nnumber = "555"\n', "rep.number must be a phone number with 7 to 15 digits"),
        ('[rep]\nnumber = "call me maybe 4155550192"\n', "rep.number must be a phone number"),
        ('[rep]\nemail = "sam at acme"\n', "rep.email must be an e-mail address"),
        ("[rep]\nname = 3\n", "rep.name must be a name"),
        ('[rep]\nnmae = "Sam"\n', "unknown key 'rep.nmae'; did you mean 'name'?"),
    ],
)
def test_bad_profile_settings_name_the_key(text, message):
    with pytest.raises(ConfigError, match=message):
        config_from_text(text, "coach.toml")


def test_overlay_keeps_unset_fields_and_checks_the_given_ones():
    base = RepProfile(name="Sam", company="Acme")
    assert overlay_rep(base, {"number": " 415.555.0192 ", "name": None}, label="x") == RepProfile(
        name="Sam", company="Acme", number="415.555.0192"
    )
    with pytest.raises(ConfigError, match=r"^Your details: number must be a phone number"):
        overlay_rep(base, {"number": "12"}, label="Your details", prefix="")


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_analysis_options(parser)
    return parser.parse_args(argv)


def test_every_rep_setting_has_a_cli_option():
    assert set(REP_OPTIONS) == set(GENERAL_KINDS["rep"])


def test_cli_options_override_the_settings_file(tmp_path):
    settings = tmp_path / "team.toml"
    settings.write_text('[rep]\nname = "Sam"\ncompany = "Acme"\n')
    config = analysis_config(_parse(["--config", str(settings), "--rep-number", "415-555-0192"]))
    assert config.rep == RepProfile(name="Sam", company="Acme", number="415-555-0192")
    assert analysis_config(_parse(["--config", str(settings)])).rep.number == ""


def test_a_bad_cli_option_is_named_as_typed():
    with pytest.raises(ConfigError, match="--rep-email must be an e-mail address"):
        analysis_config(_parse(["--rep-email", "nope"]))


def test_report_keeps_the_profile_through_json():
    report = clean_report()
    report.rep = RepProfile(name="Sam Lee", number="415-555-0192")
    again = Report.from_dict(report.to_dict())
    assert again.rep == report.rep
    assert report.to_dict()["rep"] == {"name": "Sam Lee", "company": "", "number": "415-555-0192", "email": ""}
