"""Settings: defaults, coach.toml overrides, select/ignore, and clear errors naming the key."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from coach.config import (
    GENERAL_KINDS,
    closest,
    closest_rule,
    config_from_text,
    default_config,
    default_data,
    load_config,
)
from coach.errors import ConfigError
from coach.rules.catalogue import CATALOGUE, CODES
from coach.rules.engine import evaluate
from factories.report_factory import CLEAN_TEXT, build_report, clean_report


def codes_found(report, config) -> set[str]:
    return {f.code for f in evaluate(report, config)[0]}


def long_report(span: float = 33.0):
    report = clean_report()
    m = report.metrics
    m.speech_end_s = m.speech_start_s + span
    m.speech_span_s = span
    return report


# -- defaults ------------------------------------------------------------------------------


def test_defaults_match_the_issue():
    c = default_config()
    assert c.analysis.max_duration_s == 300 and c.analysis.min_duration_s == 1.0
    assert c.analysis.min_pause_s == 0.3 and c.analysis.model == "tiny.en"
    assert (c.score.error, c.score.warning, c.score.suggestion) == (20, 10, 4)
    assert c.rule("VM101")["max_s"] == 30 and c.rule("VM101")["error_s"] == 45
    assert c.rule("VM201")["max_wpm"] == 190 and c.rule("VM202")["min_wpm"] == 110
    assert c.rule("VM203")["max_digits_per_s"] == 3.5
    assert c.rule("VM603")["max_percent"] == 0.1 and c.rule("VM604")["min_snr_db"] == 15
    assert c.severity("VM303") == "suggestion" and c.severity("VM401") == "warning"
    assert c.enabled_codes() == list(CODES)


def test_every_catalogue_setting_has_a_default_and_no_default_is_undocumented():
    data = tomllib.loads(resources.files("coach").joinpath("defaults.toml").read_text())
    for info in CATALOGUE:
        declared = {"severity", *(s.name for s in info.settings)}
        assert set(data["rules"][info.code]) == declared, info.code


def test_settings_a_rule_borrows_exist_and_follow_the_user_file():
    tuned = config_from_text("[strengths]\nideal_min_wpm = 140.0\n")
    for info in CATALOGUE:
        for path in info.borrows:
            table, key = path.split(".")
            assert key in GENERAL_KINDS[table], (info.code, path)
            assert tuned.general(path) == (tuned.strengths[key], GENERAL_KINDS[table][key])
    assert tuned.general("strengths.ideal_min_wpm") == (140.0, "wpm")
    assert tuned.general("analysis.model") == ("tiny.en", "model")
    assert tuned.default_rule("VM101")["max_s"] == 30.0


def test_no_user_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.source is None
    assert config.rule("VM101") == default_config().rule("VM101")


def test_coach_toml_in_the_working_directory_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coach.toml").write_text("[rules.VM101]\nmax_s = 35\n")
    config = load_config()
    assert config.rule("VM101")["max_s"] == 35
    assert config.rule("VM101")["error_s"] == 45  # untouched keys keep their defaults
    assert config.source == "coach.toml"
    assert "rules.VM101.max_s" in config.overridden


def test_explicit_path_wins_over_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coach.toml").write_text("[rules.VM101]\nmax_s = 35\n")
    other = tmp_path / "team.toml"
    other.write_text('[analysis]\nmodel = "base"\nmin_pause_s = 0.25\n')
    config = load_config(other)
    assert config.rule("VM101")["max_s"] == 30
    assert config.analysis.model == "base" and config.analysis.min_pause_s == 0.25


def test_the_defaults_file_itself_loads_as_a_user_file():
    path = resources.files("coach").joinpath("defaults.toml")
    assert load_config(str(path)).rules == default_config().rules


def test_missing_explicit_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")


# -- overrides change behaviour ------------------------------------------------------------------


def test_threshold_override_changes_what_fires():
    report = long_report(33.0)
    assert "VM101" in codes_found(report, default_config())
    assert "VM101" not in codes_found(report, config_from_text("[rules.VM101]\nmax_s = 35\n"))


def test_severity_override():
    config = config_from_text('[rules.VM101]\nseverity = "error"\n')
    finding = next(f for f in evaluate(long_report(33.0), config)[0] if f.code == "VM101")
    assert finding.severity == "error"


def test_phrase_list_replace_and_extend():
    text = CLEAN_TEXT + " At your earliest convenience, kind of."
    report = build_report(text)
    replaced = config_from_text('[rules.VM303]\nphrases = ["at your earliest convenience"]\nmin_count = 1\n')
    assert replaced.rule("VM303")["phrases"] == ["at your earliest convenience"]
    hedges = next(f for f in evaluate(report, replaced)[0] if f.code == "VM303")
    assert hedges.message.startswith('1 hedging phrase: "At your earliest convenience"')
    extended = config_from_text('[rules.VM303]\nextend_phrases = ["at your earliest convenience"]\n')
    assert "kind of" in extended.rule("VM303")["phrases"]
    assert "at your earliest convenience" in extended.rule("VM303")["phrases"]
    assert "VM303" in codes_found(report, extended)
    assert "VM303" not in codes_found(report, default_config())


def test_weighted_phrases_extend():
    config = config_from_text('[rules.VM401.extend_phrases]\n"synergize" = 3.0\n')
    assert config.rule("VM401")["phrases"]["synergize"] == 3.0
    assert config.rule("VM401")["phrases"]["special offer"] == 2.0
    assert "VM401" in codes_found(build_report(CLEAN_TEXT + " We synergize."), config)


def test_score_points_override():
    config = config_from_text("[score]\nwarning = 15\n")
    assert evaluate(long_report(33.0), config)[2].value == 85


def test_reliability_thresholds_are_settings():
    report = build_report("Hi Dana, calling about payroll. Talk soon.", probability=0.7)
    strict = config_from_text("[reliability]\nmin_word_probability = 0.8\n")
    vm501 = next(f for f in evaluate(report, strict)[0] if f.code == "VM501")
    assert vm501.severity == "suggestion"


# -- select / ignore ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "toml, enabled, disabled",
    [
        ('select = ["VM1", "VM5"]', ["VM101", "VM104", "VM501"], ["VM201", "VM401", "VM801"]),
        ('ignore = ["VM402"]', ["VM401", "VM403"], ["VM402"]),
        ('select = ["vm1"]\nignore = ["VM104"]', ["VM101", "VM103"], ["VM104", "VM201"]),
        ('select = ["ALL"]\nignore = ["VM6", "VM7"]', ["VM101", "VM801"], ["VM601", "VM702"]),
    ],
)
def test_select_and_ignore(toml, enabled, disabled):
    config = config_from_text(toml)
    assert all(config.is_enabled(c) for c in enabled)
    assert not any(config.is_enabled(c) for c in disabled)


def test_ignored_rule_does_not_fire():
    assert "VM101" not in codes_found(long_report(40.0), config_from_text('ignore = ["VM101"]'))


# -- errors -------------------------------------------------------------------------------------------


def error(text: str, label: str = "coach.toml") -> str:
    with pytest.raises(ConfigError) as info:
        config_from_text(text, label)
    return str(info.value)


def test_wrong_type_names_the_key_and_what_was_expected():
    assert error('[rules.VM101]\nmax_s = "thirty"\n') == (
        "coach.toml: rules.VM101.max_s must be a number of seconds (0 or more), got 'thirty'"
    )


@pytest.mark.parametrize(
    "toml, fragment",
    [
        ("[rules.VM101]\nmax_s = true\n", "rules.VM101.max_s must be a number of seconds"),
        ("[rules.VM101]\nmax_s = -3\n", "rules.VM101.max_s must be a number of seconds (0 or more), got -3"),
        ('[rules.VM101]\nseverity = "fatal"\n', 'rules.VM101.severity must be one of "error", "warning", "suggestion"'),
        ('[rules.VM303]\nphrases = "kind of"\n', "rules.VM303.phrases must be a list of phrases"),
        ("[rules.VM303]\nphrases = [1, 2]\n", "rules.VM303.phrases must be a list of phrases"),
        ('[rules.VM401.phrases]\n"special offer" = -1\n', "rules.VM401.phrases must be a table"),
        ("[rules.VM302]\nmax_count = 2.5\n", "rules.VM302.max_count must be a whole number"),
        ("[rules.VM605]\nlast_fraction = 1.5\n", "rules.VM605.last_fraction must be a number between 0 and 1"),
        ("[score]\nwarning = 7.5\n", "score.warning must be a whole number of points"),
        ('[analysis]\nmodel = ""\n', "analysis.model must be a Whisper model name"),
        ("[rules.VM101]\nmax_s = 50\n", "rules.VM101.error_s (45.0) must be at least rules.VM101.max_s (50)"),
        ("[rules.VM202]\nmin_wpm = 200\n", "rules.VM202.min_wpm (200) must be below rules.VM201.max_wpm"),
        ("rules = 3\n", "rules must be a table"),
        ("[rules]\nVM101 = 35\n", "rules.VM101 must be a table"),
        ("[rules.VM101]\nextend_max_s = 3\n", "max_s is not a list, so it cannot be extended"),
        ('[rules.VM303]\nphrases = ["a"]\nextend_phrases = ["b"]\n', "set either phrases or extend_phrases, not both"),
    ],
)
def test_invalid_values(toml, fragment):
    assert fragment in error(toml)


def test_unknown_rule_key_suggests_the_close_one():
    message = error("[rules.VM101]\nmax_seconds = 35\n")
    assert "unknown key 'rules.VM101.max_seconds'; did you mean 'max_s'?" in message
    assert "VM101 has: severity, max_s, error_s" in message


def test_unknown_top_level_key_suggests():
    assert error('sellect = ["VM1"]\n') == "coach.toml: unknown key 'sellect'; did you mean 'select'?"


def test_unknown_table_key():
    assert "unknown key 'analysis.modle'; did you mean 'model'?" in error('[analysis]\nmodle = "base"\n')


def test_unknown_rule_code():
    assert "unknown rule code 'rules.VM109'" in error("[rules.VM109]\nmax_s = 3\n")
    assert "use the rule's code: [rules.VM101] (too-long)" in error("[rules.too-long]\nmax_s = 3\n")
    assert "unknown rule code 'rules.VM4O1'; did you mean 'VM401'?" in error("[rules.VM4O1]\nthreshold = 3\n")
    assert "unknown rule code 'rules.to-long'; did you mean 'VM101'?" in error("[rules.to-long]\nmax_s = 3\n")


def test_one_matcher_suggests_keys_codes_and_names():
    assert closest("sellect", ["select", "ignore"]) == "select"
    assert closest("SELECT", ["select", "ignore"]) == "select"
    assert closest("zzz", ["select", "ignore"]) is None
    assert closest_rule("vm4o1").code == "VM401"
    assert closest_rule("too-lnog").code == "VM101"
    assert closest_rule("something else entirely") is None


def test_unknown_code_in_select_or_ignore():
    assert "select has 'VM9', which matches no rule code" in error('select = ["VM9"]\n')
    assert "use the code VM401 for sounds-like-a-pitch" in error('ignore = ["sounds-like-a-pitch"]\n')
    assert "ignore must be a list of rule codes" in error('ignore = "VM1"\n')


def test_invalid_toml_gives_the_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[rules.VM101]\nmax_s = 35\nseverity = "error\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: invalid TOML:") and "line 3" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[rules.VM303]\nphrases = ["caf\xe9"]\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config(path)


def test_default_data_is_a_fresh_copy():
    data = default_data()
    data["rules"]["VM101"]["max_s"] = 1
    assert default_config().rule("VM101")["max_s"] == 30
