"""One engine: a phrase that fires on a script fires on a recording of it, and the e-mail comes with the take.

The script is said by espeak-ng at test time and analysed by the real
pipeline (tiny.en); the lint judges the text. Both go through the same rule
functions with the same settings, so the same rules fire on the same words.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import soundfile as sf

from coach.audio import SAMPLE_RATE
from coach.config import default_config
from coach.rules.catalogue import BY_CODE, TEXT
from coach.rules.highlights import ASK, HEDGE
from coach.script.lint import lint_script
from coach.text.matching import tokenize
from factories.paths import ROOT, SAMPLES
from factories.speech import espeak, with_silence

CONFIG = default_config()

#: Worded so that tiny.en hears espeak-ng's en-us voice word for word (espeak-ng 1.51).
SCRIPT = (
    "Hi Dana, this is Sam Porter from Acme. I know you're busy, so hopefully this is quick. No pressure at all. "
    "Give me a call back when you can."
)


def phrases(report, kind: str) -> list[str]:
    return [" ".join(tokenize(h.text)) for h in report.highlights if h.kind == kind]


def test_the_same_phrases_fire_on_a_script_and_on_a_recording_of_it(analyzer, tmp_path: Path) -> None:
    lint = lint_script(SCRIPT, CONFIG, prospect="Dana")
    on_script = {f.code for f in lint.findings}
    assert {"VM303", "VM504"} <= on_script

    path = tmp_path / "script.wav"
    sf.write(path, with_silence(espeak(SCRIPT, words_per_minute=150), 0.5), SAMPLE_RATE)
    take = analyzer.analyze(path, prospect="Dana")
    on_take = {f.code for f in take.findings}
    assert {"VM303", "VM504"} <= on_take, take.transcript

    # The same words matched, by the same phrase lists, on both.
    assert phrases(lint.report, HEDGE) == ["i know you are busy", "hopefully", "no pressure"]
    for kind in (HEDGE, ASK):
        assert phrases(take, kind) == phrases(lint.report, kind), (kind, take.transcript)
    # And every rule that judges words reaches the same verdict on the take as on its script.
    text_codes = {code for code in on_script | on_take if BY_CODE[code].input_kind == TEXT}
    assert {c for c in on_take if c in text_codes} == on_script, take.transcript


def test_analyze_email_prints_the_follow_up_and_json_always_has_it(analyzer, tmp_path: Path) -> None:
    sample = SAMPLES / "no_callback_number.wav"
    out = subprocess.run(
        [sys.executable, "-m", "coach", "analyze", str(sample), "--email", "-q", "--prospect", "Megan"]
        + ["--rep-name", "Sam Porter", "--rep-number", "312-555-0147"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Follow-up e-mail" in text and "Subject: " in text and "Hi Megan," in text
    assert "I'll try you again [day and time]; if sooner suits you, my number is 312-555-0147." in text
    assert "asked them to call you back" in text

    report = analyzer.analyze(sample, prospect="Megan")
    email = report.to_dict()["email"]
    assert set(email) == {"subject", "body", "notes"} and email["body"].startswith("Hi Megan,")
