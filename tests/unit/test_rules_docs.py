"""Docs from one source: `coach rules`, `coach rules CODE` and the README section."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest

from coach.cli import main
from coach.cli.common import EXIT_USAGE
from coach.config import config_from_text, default_config, load_config
from coach.errors import CoachError
from coach.rules import docs
from coach.rules.catalogue import CATALOGUE, CODES, find_rule
from factories.paths import ROOT

SCRIPT = ROOT / "scripts" / "gen_rule_docs.py"
DEFAULTS = default_config()


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["rules", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_list_documents_every_code_with_its_default_numbers(capsys):
    status, out, _ = cli(capsys)
    assert status == 0
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("VM")}
    assert list(lines) == list(CODES)
    assert (
        "too-long" in lines["VM101"] and "warning" in lines["VM101"] and "over 30 s (error over 45 s)" in lines["VM101"]
    )
    assert "suggestion" in lines["VM303"]
    assert "20% of the speech is 6 dB" in lines["VM605"]


@pytest.mark.parametrize("code", CODES)
def test_every_rule_is_explained(capsys, code):
    status, out, _ = cli(capsys, code)
    info = find_rule(code)
    assert status == 0
    for heading in ("What it checks", "Why it matters for a voicemail", "Example", "Fix", "Settings"):
        assert heading in out
    assert out.startswith(f"{code} {info.name} (")
    assert f"[rules.{code}]" in out
    for setting in info.settings:
        assert f"{setting.name} = " in out or f"[rules.{code}.{setting.name}]" in out


def test_explain_shows_current_values_from_config(tmp_path, capsys):
    path = tmp_path / "team.toml"
    path.write_text('[rules.VM401]\nthreshold = 5\nseverity = "error"\n')
    status, out, _ = cli(capsys, "vm401", "--config", str(path))
    assert status == 0
    assert out.startswith("VM401 sounds-like-a-pitch (error)")
    assert "total weight of 5 or more" in out
    assert "threshold = 5" in out and "the default is 3.0" in out
    assert f"from {path}" in out


def test_rule_lookup_by_name(capsys):
    status, out, _ = cli(capsys, "sounds-like-a-pitch")
    assert status == 0 and out.startswith("VM401 ")


def test_unknown_code_is_a_usage_error(capsys):
    status, out, err = cli(capsys, "VM999")
    assert status == 2 and out == ""
    assert "unknown rule 'VM999'" in err and "coach rules" in err


def test_near_miss_suggests(capsys):
    status, _, err = cli(capsys, "VM4O1")
    assert status == EXIT_USAGE and "did you mean VM401 (sounds-like-a-pitch)?" in err
    status, _, err = cli(capsys, "too-lnog")
    assert status == EXIT_USAGE and "did you mean VM101 (too-long)?" in err
    status, _, err = cli(capsys, "nothing-like-it")
    assert status == EXIT_USAGE and "did you mean" not in err and "unknown rule 'nothing-like-it'." in err


def test_list_marks_rules_turned_off(tmp_path, capsys):
    path = tmp_path / "coach.toml"
    path.write_text('ignore = ["VM6"]\n')
    _, out, _ = cli(capsys, "--config", str(path))
    line = next(row for row in out.splitlines() if row.startswith("VM601"))
    assert " off " in line
    assert "5 turned off by select/ignore" in out


def test_invalid_config_is_reported(tmp_path, capsys):
    path = tmp_path / "coach.toml"
    path.write_text('[rules.VM101]\nmax_s = "thirty"\n')
    status, _, err = cli(capsys, "--config", str(path))
    assert status == 1 and "rules.VM101.max_s must be a number of seconds" in err


@pytest.mark.parametrize("code", CODES)
def test_settings_snippet_pastes_back_into_coach_toml(code):
    tuned = config_from_text(
        '[rules.VM303]\nextend_phrases = ["at your earliest convenience"]\n[rules.VM101]\nmax_s = 33\n'
    )
    snippet = docs.settings_toml(code, tuned)
    tomllib.loads(snippet)
    again = config_from_text(snippet)
    assert dict(again.rule(code)) == dict(tuned.rule(code))


def test_markdown_documents_every_rule():
    text = docs.render_markdown(DEFAULTS)
    for info in CATALOGUE:
        assert f"| [{info.code}](#{info.code.lower()}-{info.name}) | {info.name} |" in text
        assert f"### {info.code} {info.name}" in text
        assert info.why in text
    assert "max_s = 30.0" in text and '"special offer" 2.0' in text


def test_generated_markdown_uses_defaults_not_the_local_coach_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coach.toml").write_text("[rules.VM101]\nmax_s = 12\n")
    assert load_config().rule("VM101")["max_s"] == 12
    printed = subprocess.run([sys.executable, str(SCRIPT), "--print"], capture_output=True, text=True, cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout == docs.render_markdown(DEFAULTS)
    assert "over 30 s" in printed.stdout and "over 12 s" not in printed.stdout
    assert "over 12 s" in docs.render_markdown(load_config())


README = """# Voicemail Coach

Intro text.

## Rules

<!-- rules:start -->
old catalogue
<!-- rules:end -->

## After
Tail text.
"""


def test_readme_update_and_check(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README)
    assert docs.update_readme(readme, DEFAULTS, check=True) is False
    assert readme.read_text() == README  # check changes nothing
    assert docs.update_readme(readme, DEFAULTS) is False  # rewrote it
    text = readme.read_text()
    assert text.startswith("# Voicemail Coach\n\nIntro text.\n\n## Rules\n\n<!-- rules:start -->\n")
    assert text.endswith("<!-- rules:end -->\n\n## After\nTail text.\n")
    assert "old catalogue" not in text and "### VM801 off-script" in text
    assert docs.update_readme(readme, DEFAULTS, check=True) is True
    assert docs.update_readme(readme, DEFAULTS) is True
    assert readme.read_text() == text


def test_readme_edited_by_hand_is_out_of_date(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README)
    docs.update_readme(readme, DEFAULTS)
    readme.write_text(readme.read_text().replace("over 30 s", "over 25 s"))
    assert docs.update_readme(readme, DEFAULTS, check=True) is False


@pytest.mark.parametrize("text", ["# no markers\n", "<!-- rules:end -->\n<!-- rules:start -->\n", README + README])
def test_readme_without_one_pair_of_markers(tmp_path, text):
    readme = tmp_path / "README.md"
    readme.write_text(text)
    with pytest.raises(CoachError, match="rules:start"):
        docs.update_readme(readme, DEFAULTS, check=True)


def test_generator_script_check_mode(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(README)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True)

    checked = run("--check", str(readme))
    assert checked.returncode == 1 and "out of date" in checked.stderr
    assert run(str(readme)).returncode == 0
    assert run("--check", str(readme)).returncode == 0
    (tmp_path / "plain.md").write_text("no markers\n")
    assert run("--check", str(tmp_path / "plain.md")).returncode == 2
    printed = run("--print")
    assert printed.returncode == 0 and printed.stdout == docs.render_markdown(DEFAULTS)


def test_project_readme_catalogue_is_up_to_date():
    """The README's rule catalogue is generated: `make docs` after changing a rule."""
    readme = ROOT / "README.md"
    assert docs.update_readme(readme, DEFAULTS, check=True) is True
