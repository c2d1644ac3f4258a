"""The Review and Team settings tabs, run headless with AppTest: real uploads, real Whisper, a real history.

A trainer uploads a ZIP of a rep's folder and a loose file named by a
pattern, sees the team and each rep, filters the table, opens a take, leaves
a note pinned to a moment, marks a finding wrong, sets a verdict; then
switches a rule off on the Team settings tab, which writes coach.toml, and
re-scores the stored takes without transcribing again.
"""

from __future__ import annotations

import io
import tomllib
import zipfile
from pathlib import Path

from streamlit.testing.v1 import AppTest

import coach.pipeline as pipeline
from coach.config import load_config
from coach.history.review import judge
from coach.history.store import History
from factories.app_test import APP, TIMEOUT
from factories.paths import SAMPLES


def ok(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def click(at: AppTest, label: str) -> None:
    buttons = [b for b in at.button if b.label == label]
    assert buttons, [b.label for b in at.button]
    buttons[0].click().run(timeout=TIMEOUT)
    ok(at)


def test_a_trainer_uploads_reviews_overrides_and_rescores(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    ok(at)
    assert any("No takes yet" in i.value for i in at.info)

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(SAMPLES / "filler_heavy.wav", "team/casey/monday.wav")
    uploads = [
        ("team.zip", archive.getvalue(), "application/zip"),
        ("alex_first.wav", (SAMPLES / "good_voicemail.wav").read_bytes(), "audio/wav"),
    ]
    at.file_uploader(key="vc-review-upload").set_value(uploads).run()
    at.text_input(key="vc-review-pattern").set_value("{rep}_*.wav").run()
    at.button(key="vc-review-go").click().run(timeout=TIMEOUT)
    assert not at.exception, at.exception
    assert any("2 analysed" in s.value for s in at.success), [s.value for s in at.success]

    history = History(data_dir)
    takes = {t.rep: t for t in history.list_takes()}
    assert set(takes) == {"casey", "alex"}
    casey = history.get_take(takes["casey"].id)
    assert casey.file_name == "team.zip:casey/monday.wav" and casey.source == "batch"
    assert "VM302" in {f.code for f in casey.report.findings}
    machine = casey.score

    # The team, each rep, the table (failing takes first), filters.
    labels = {m.label for m in at.metric}
    assert {"Takes", "Reps", "Team average", "First score", "Best score", "Latest score"} <= labels
    assert set(at.selectbox(key="vc-review-rep").options) == {"alex", "casey"}
    table = at.dataframe[-1].value
    assert list(table["Rep"]) and set(table["Rep"]) == {"alex", "casey"}
    passed = [v == "Passed" for v in table["Verdict"]]
    assert passed == sorted(passed)
    at.multiselect(key="vc-review-f-rep").set_value(["casey"]).run()
    ok(at)
    assert list(at.dataframe[-1].value["Rep"]) == ["casey"]
    at.multiselect(key="vc-review-f-code").set_value(["VM302"]).run()
    assert list(at.dataframe[-1].value["Take"]) == [f"#{casey.id}"]

    # Open the take: the Practice page's report view, with the trainer's tools.
    at.selectbox(key="vc-review-open").set_value(casey.id).run()
    ok(at)
    assert 'class="vc-dial"' in "\n".join(str(h.proto.body) for h in at.get("html"))
    at.text_input(key="vc-review-author").set_value("Pat").run()
    at.text_input(key=f"vc-review-nat-{casey.id}").set_value("0:03")
    at.text_input(key=f"vc-review-ntext-{casey.id}").set_value("slow down <b>here</b>")
    click(at, "Add note")
    at.selectbox(key=f"vc-review-dcode-{casey.id}").set_value("VM302")
    at.text_input(key=f"vc-review-dreason-{casey.id}").set_value("those were breaths")
    click(at, "Mark wrong")
    at.radio(key=f"vc-review-verdict-{casey.id}").set_value("retake").run()
    ok(at)

    stored = history.get_take(casey.id)
    assert [(n.at_s, n.text, n.author) for n in stored.notes] == [(3.0, "slow down <b>here</b>", "Pat")]
    assert [(o.action, o.code, o.reason) for o in stored.overrides] == [("dismiss", "VM302", "those were breaths")]
    assert stored.verdict == "retake"
    assert stored.score == machine and stored.report.score.value == machine  # the machine's score never changes
    judged = judge(stored, load_config())
    assert judged.score > machine
    page = "\n".join(str(h.proto.body) for h in at.get("html"))
    assert "vc-note" in page and "slow down &lt;b&gt;here&lt;/b&gt;" in page and "<b>here" not in page
    shown = "\n".join(m.value for m in at.markdown)
    assert "Not a problem here" in shown and f"trainer's score **{judged.score}**" in shown
    table = at.dataframe[-1].value
    assert list(table["Score"]) == [machine] and list(table["Trainer score"]) == [judged.score]

    # Team settings: switch VM302 off, saved to ./coach.toml through the settings' validation.
    at.multiselect(key="vc-settings-off").set_value(["VM302"]).run()
    at.button(key="vc-settings-save").click().run()
    ok(at)
    saved = tomllib.loads((tmp_path / "coach.toml").read_text())
    assert saved["ignore"] == ["VM302"]
    assert not load_config().is_enabled("VM302")

    # Re-score without Whisper: the stored report loses VM302, the trainer's note and override stay.
    def no_whisper(*args, **kwargs):
        raise AssertionError("re-scoring must not transcribe")

    monkeypatch.setattr(pipeline, "transcribe", no_whisper)
    monkeypatch.setattr(pipeline, "load_model", no_whisper)
    at.button(key="vc-review-rescore").click().run(timeout=TIMEOUT)
    ok(at)
    assert any("Re-scored 2 takes" in s.value for s in at.success), [s.value for s in at.success]
    rescored = history.get_take(casey.id)
    assert "VM302" not in {f.code for f in rescored.report.findings}
    assert rescored.score > machine and len(rescored.notes) == 1 and len(rescored.overrides) == 1
    assert rescored.settings_fingerprint == load_config().rules_fingerprint()


def test_the_practice_page_offers_the_name_of_the_last_take(data_dir: Path) -> None:
    from coach.config import default_config
    from coach.report import RepProfile
    from coach.rules.engine import apply
    from factories.report_factory import clean_report

    history = History(data_dir)
    report = apply(clean_report(), default_config())
    report.rep = RepProfile(name="Dana Ruiz")
    history.save_take(SAMPLES / "good_voicemail.wav", report, source="upload")
    report.rep = RepProfile(name="Imported Rep")
    history.save_take(SAMPLES / "filler_heavy.wav", report, source="batch")  # a trainer's import: not offered
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    ok(at)
    assert at.text_input(key="vc-rep-name").value == "Dana Ruiz"
    assert any("Filled in from your last take" in c.value for c in at.caption)
