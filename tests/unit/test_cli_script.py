"""``coach script lint`` and ``coach script build``: output like a linter's, exit statuses from coach/cli/common."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from coach.cli import main
from coach.cli.common import EXIT_FAILED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from factories.paths import SAMPLES
from factories.report_factory import CLEAN_TEXT

HEDGED = "Hi Dana, this is Sam from Acme. Sorry to bother you, I just wanted to touch base.\nMy number is 415-555-0192."


@pytest.fixture(autouse=True)
def no_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No takes to measure a pace from (and none created by a lint)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("COACH_DATA_DIR", str(folder))
    monkeypatch.chdir(tmp_path)
    return folder


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_clean_script_exits_0_and_says_how_long_it_is(tmp_path, capsys, no_history) -> None:
    path = write(tmp_path, "clean.txt", CLEAN_TEXT)
    assert main(["script", "lint", path, "--prospect", "Dana"]) == EXIT_OK
    out = capsys.readouterr().out
    assert f"{path}: clean. About " in out and "150 words a minute" in out and "inside 10-25 s" in out
    assert not no_history.exists(), "a lint must not create a history"


def test_findings_print_file_line_column_code_and_fix_and_a_warning_exits_1(tmp_path, capsys) -> None:
    path = write(tmp_path, "hedged.txt", HEDGED)
    assert main(["script", "lint", path]) == EXIT_OK  # suggestions only: below the default --fail-on warning
    out = capsys.readouterr().out
    column = HEDGED.index("Sorry") + 1
    assert f"{path}:1:{column}: VM303 hedging (suggestion) 3 hedging phrases" in out
    assert f"{path}:2:14: VM502 number-said-once (suggestion)" in out
    assert f"{path}: VM403 no-question (suggestion)" in out
    assert "    fix: Cut the hedges" in out
    assert f"{path}: 4 to fix (4 suggestions)." in out
    assert main(["script", "lint", path, "--fail-on", "suggestion"]) == EXIT_PROBLEMS
    no_number = write(tmp_path, "no_number.txt", "Hi Dana, this is Sam from Acme. Are you free Thursday?")
    assert main(["script", "lint", no_number]) == EXIT_PROBLEMS  # VM501 is a warning
    assert main(["script", "lint", no_number, "--fail-on", "error"]) == EXIT_OK


def test_json_output_has_each_finding_with_its_marks_and_the_estimate(tmp_path, capsys) -> None:
    path = write(tmp_path, "hedged.txt", HEDGED)
    main(["script", "lint", path, "--format", "json", "--wpm", "120"])
    (line,) = capsys.readouterr().out.splitlines()
    data = json.loads(line)
    assert data["file"] == path
    assert data["estimate"]["wpm"] == 120 and data["estimate"]["pace_takes"] == 0
    hedging = next(f for f in data["findings"] if f["code"] == "VM303")
    assert [m["text"] for m in hedging["marks"]] == ["Sorry to bother you", "just wanted to", "touch base"]
    assert (hedging["line"], hedging["column"]) == (1, HEDGED.index("Sorry") + 1)
    assert {"code", "name", "severity", "message", "fix", "evidence"} <= set(hedging)
    whole = next(f for f in data["findings"] if f["code"] == "VM403")
    assert whole["line"] is None and whole["marks"] == []


def test_standard_input_and_several_files(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(CLEAN_TEXT))
    clean = write(tmp_path, "clean.txt", CLEAN_TEXT)
    assert main(["script", "lint", "-", clean, str(SAMPLES / "sales_pitch.txt")]) == EXIT_PROBLEMS
    out = capsys.readouterr().out
    assert "<stdin>: " in out and f"{clean}: clean." in out and "VM401 sounds-like-a-pitch (warning)" in out


def test_unusable_files_are_named_and_the_others_still_linted(tmp_path, capsys) -> None:
    empty = write(tmp_path, "empty.txt", "  \n")
    binary = tmp_path / "take.wav"
    binary.write_bytes(b"RIFF\xff\xfe\x00\x80" * 10)
    clean = write(tmp_path, "clean.txt", CLEAN_TEXT)
    missing = str(tmp_path / "nope.txt")
    assert main(["script", "lint", empty, str(binary), missing, str(tmp_path), clean]) == EXIT_FAILED
    captured = capsys.readouterr()
    assert f"{empty}: the script is empty" in captured.err
    assert f"{binary}: is not a UTF-8 text file" in captured.err
    assert f"{missing}: file not found" in captured.err
    assert f"{tmp_path}: is a folder" in captured.err
    assert f"{clean}: clean." in captured.out
    assert "Traceback" not in captured.err

    main(["script", "lint", empty, "--format", "json"])
    assert json.loads(capsys.readouterr().out)["error"]["type"] == "script_error"


def test_a_bad_pace_or_setting_is_a_clear_error(tmp_path, capsys) -> None:
    clean = write(tmp_path, "clean.txt", CLEAN_TEXT)
    assert main(["script", "lint", clean, "--wpm", "0"]) == EXIT_FAILED
    assert "--wpm must be" in capsys.readouterr().err
    bad = write(tmp_path, "bad.toml", "[script]\nmax_s = 5.0\n")
    assert main(["script", "lint", clean, "--config", bad]) == EXIT_FAILED
    assert "script.min_s" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["script", "lint"])
    assert stop.value.code == EXIT_USAGE


def test_build_writes_every_variant_clean_for_complete_inputs(capsys) -> None:
    args = ["script", "build", "--prospect", "Dana", "--prospect-company", "Harbor Street Bakery"]
    args += ["--reason", "you opened a third location in Denver"]
    args += ["--question", "How are you handling payroll across all three stores?", "--next", "Thursday at 10 am"]
    args += ["--rep-name", "Sam Lee", "--rep-company", "Acme Payroll", "--rep-number", "415-555-0192"]
    assert main(args) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("Variant ") == 3 and out.count(": clean. About ") == 3
    assert "Missing" not in out and "[" not in out

    assert main([*args, "--variant", "2", "--format", "json"]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["missing"] == [] and [v["variant"] for v in data["variants"]] == [2]
    variant = data["variants"][0]
    assert variant["findings"] == [] and "Hi Dana" in variant["text"] and 15 <= variant["estimate"]["seconds"] <= 25


def test_build_names_what_is_missing_and_the_finding_that_follows(capsys) -> None:
    assert main(["script", "build", "--prospect", "Dana", "--reason", "you opened a store", "--variant", "1"]) == 0
    out = capsys.readouterr().out
    assert "Missing: one question (--question), when you'll try next (--next), your name" in out.replace("\n", " ")
    assert "[your number]" in out and "VM501 no-callback-number" in out and "VM701 no-introduction" in out
    assert main(["script", "build", "--variant", "9"]) == EXIT_FAILED
    assert "--variant must be between 1 and 3" in capsys.readouterr().err


def test_your_details_come_from_the_settings(tmp_path, capsys) -> None:
    (tmp_path / "coach.toml").write_text('[rep]\nname = "Jo Park"\nnumber = "212-555-0199"\n')
    main(["script", "build", "--variant", "1", "--format", "json"])
    text = json.loads(capsys.readouterr().out)["variants"][0]["text"]
    assert "this is Jo Park" in text and text.count("212-555-0199") == 2
    assert main(["script", "build", "--rep-number", "12"]) == EXIT_FAILED
    assert "--rep-number must be a phone number" in capsys.readouterr().err


def test_lint_takes_your_details_a_wrong_number_is_an_error_and_the_fix_quotes_yours(tmp_path, capsys) -> None:
    text = "Hi Dana, this is Sam from Acme. Call me back at 415-555-0129. Again, 415-555-0129."
    path = write(tmp_path, "swapped.txt", text)
    assert main(["script", "lint", path, "--prospect", "Dana"]) == EXIT_OK  # suggestions only
    assert "VM505" not in capsys.readouterr().out  # no number of yours to compare with
    status = main(["script", "lint", path, "--prospect", "Dana", "--rep-number", "415-555-0192", "--fail-on", "error"])
    out = capsys.readouterr().out
    assert status == EXIT_PROBLEMS
    column = text.index("415") + 1
    assert (
        f"{path}:1:{column}: VM505 wrong-number (error) You said 415-555-0129 twice; your number is 415-555-0192" in out
    )
    # The callback request's rewrite gives the number the prospect should have: yours.
    assert "if sooner suits you, my number is 415-555-0192" in out.replace("\n    ", " ")
    settings = tmp_path / "coach.toml"
    settings.write_text('[rep]\nnumber = "415-555-0192"\n', encoding="utf-8")
    assert main(["script", "lint", path, "--fail-on", "error"]) == EXIT_PROBLEMS  # from [rep] in ./coach.toml
    assert "VM505 wrong-number (error)" in capsys.readouterr().out
