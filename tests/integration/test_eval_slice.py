"""A slice of the evaluation set (``make eval``) in ``make test``: the harness, not the targets.

espeak-ng renderings only, so CI needs no GPL Piper: a handful of messages of
``bench/eval/messages.toml`` are rendered into a temporary folder with
``scripts/make_eval_set.py`` and analysed by ``bench/evaluate.py`` with the
real tiny.en weights. The assertions check that the generator is deterministic
and its ground truth matches the audio, that labels follow the conditions and
round-trip through ``labels.json``, that the harness scores a constructed case
exactly, and that messages designed to fire a rule fire it and are counted as
hits. The figures themselves (WER, recall, ...) depend on work in progress and
are what ``make eval`` prints, not what this asserts.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys

import numpy as np
import pytest
import soundfile as sf

from factories.paths import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_eval_set as gen

_spec = importlib.util.spec_from_file_location("eval_harness", ROOT / "bench" / "evaluate.py")
assert _spec is not None and _spec.loader is not None
ev = importlib.util.module_from_spec(_spec)
sys.modules["eval_harness"] = ev
_spec.loader.exec_module(ev)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng not installed (apt-get install espeak-ng; scripts/setup.sh dev)",
)

#: The slice: a clean message, one designed to fire VM501, one with dead air (computed VM103), monotone (VM601).
SLICE = "good_payroll@espeak_us_f,no_number@espeak_us_f,dead_air@espeak_us_f,good_payroll@monotone"
ANALYSED = "no_number@espeak_us_f,good_payroll@monotone"


@pytest.fixture(scope="module")
def slice_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("evalset")
    doc = gen.build(out, only=SLICE, engines={"espeak"}, log=lambda s: None)
    return out, doc


def _items(doc):
    return {it["id"]: it for it in doc["items"]}


@needs_espeak
def test_slice_renders_the_designed_messages_with_round_tripping_labels(slice_set):
    out, doc = slice_set
    assert set(_items(doc)) == set(SLICE.split(","))
    assert doc["problems"] == []
    assert json.loads((out / "labels.json").read_text()) == doc
    manifest = json.loads((out / "manifest.json").read_text())
    for item in doc["items"]:
        path = out / item["file"]
        assert gen.sha256(path) == item["sha256"] == manifest[item["id"]]["sha256"]
        info = sf.info(str(path))
        assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")


@needs_espeak
def test_same_command_gives_the_same_files(slice_set, tmp_path):
    _, doc = slice_set
    again = gen.build(tmp_path, only=SLICE, engines={"espeak"}, log=lambda s: None)
    assert [(it["id"], it["sha256"]) for it in again["items"]] == [(it["id"], it["sha256"]) for it in doc["items"]]
    # A second build of the same folder renders nothing and keeps the files.
    lines: list[str] = []
    gen.build(tmp_path, only=SLICE, engines={"espeak"}, log=lines.append)
    assert not any(line.startswith("rendered") for line in lines)


@needs_espeak
def test_ground_truth_phrase_edges_are_where_the_audio_starts_and_stops(slice_set):
    out, doc = slice_set
    item = _items(doc)["dead_air@espeak_us_f"]
    y, sr = sf.read(str(out / item["file"]), dtype="float64")

    def db(t0: float, t1: float) -> float:
        seg = y[int(t0 * sr) : int(t1 * sr)]
        return 20 * np.log10(np.sqrt(np.mean(seg**2)) + 1e-12)

    first = item["pieces"][0]
    assert first["start"] == pytest.approx(2.5, abs=0.05)  # the designed 2.5 s lead, plus espeak's own onset
    assert db(0.0, first["start"] - 0.01) < -55  # only the -60 dBFS floor before the first word
    assert db(first["start"], first["start"] + 0.15) > -45
    for a, b in zip(item["pieces"], item["pieces"][1:], strict=False):
        assert b["start"] > a["end"]
        if b["start"] - a["end"] > 0.1:  # inside each designed gap: the floor only
            assert db(a["end"] + 0.01, b["start"] - 0.01) < -50
    assert db(item["pieces"][-1]["end"] + 0.01, len(y) / sr) < -50
    assert item["truth"]["leading_silence_s"] == pytest.approx(first["start"], abs=1e-4)
    assert [n["digits"] for n in item["truth"]["numbers"]] == item["numbers"] == ["7735550158", "7735550158"]


@needs_espeak
def test_labels_follow_the_spec_and_the_conditions(slice_set):
    _, doc = slice_set
    items = _items(doc)
    assert items["no_number@espeak_us_f"]["labels"]["VM501"] == gen.FIRE
    assert items["good_payroll@espeak_us_f"]["labels"]["VM501"] == gen.NOT
    assert items["dead_air@espeak_us_f"]["labels"]["VM103"] == gen.FIRE  # computed from the 2.5 s lead
    assert items["good_payroll@espeak_us_f"]["labels"]["VM103"] == gen.NOT
    assert items["good_payroll@monotone"]["labels"]["VM601"] == gen.FIRE  # espeak-ng at pitch range 0
    assert items["good_payroll@espeak_us_f"]["labels"]["VM601"] == gen.NOT
    assert items["good_payroll@espeak_us_f"]["labels"]["VM801"] == gen.NOT  # its script is its own text
    assert items["good_payroll@espeak_us_f"]["script"] == items["good_payroll@espeak_us_f"]["reference"]
    assert items["good_payroll@espeak_us_f"]["clean"] and not items["good_payroll@monotone"]["clean"]
    assert set(items["no_number@espeak_us_f"]["labels"]) == set(doc["codes"])


def test_threshold_labels_leave_a_margin_unscored():
    assert gen._threshold_label(40.0, 30.0, 1.0, fires_above=True) == gen.FIRE
    assert gen._threshold_label(30.5, 30.0, 1.0, fires_above=True) == gen.EITHER
    assert gen._threshold_label(20.0, 30.0, 1.0, fires_above=True) == gen.NOT
    assert gen._threshold_label(5.0, 8.0, 1.0, fires_above=False) == gen.FIRE


def _word(text, start, end):
    return {"text": text, "start": start, "end": end, "probability": 0.9}


def test_harness_scores_a_constructed_case_exactly():
    """Reference of three phrases; the transcript drops the last one and invents "Thank you." in the tail."""
    item = {
        "id": "case@x",
        "group": "g",
        "reference": "Hi Dana, this is Sam. My number is 415-555-0192. Talk soon.",
        "numbers": ["4155550192"],
        "pieces": [
            {"text": "Hi Dana, this is Sam.", "words": [0, 5], "start": 0.5, "end": 1.7},
            {"text": "My number is 415-555-0192.", "words": [5, 18], "start": 2.0, "end": 5.0},
            {"text": "Talk soon.", "words": [18, 20], "start": 5.5, "end": 6.1},
        ],
        "labels": {"VM501": gen.NOT, "VM502": gen.FIRE, "VM503": gen.EITHER},
        "clean": False,
    }
    words = [
        _word(" Hi", 0.52, 0.7),
        _word(" Dana,", 0.7, 0.9),
        _word(" this", 1.0, 1.1),
        _word(" is", 1.1, 1.2),
        _word(" Sam.", 1.2, 1.75),
        _word(" My", 2.04, 2.2),
        _word(" number", 2.2, 2.5),
        _word(" is", 2.5, 2.6),
        _word(" 415", 2.7, 3.4),
        _word("-555", 3.5, 4.2),
        _word("-0192.", 4.3, 5.1),
        _word(" Thank", 7.0, 7.3),
        _word(" you.", 7.3, 7.6),
    ]
    report = {
        "transcript": "".join(w["text"] for w in words).strip(),
        "words": words,
        "metrics": {"phone_numbers": [{"digits": "4155550192"}]},
        "findings": [{"code": "VM502"}, {"code": "VM501"}],
    }
    r = ev.score(item, report)
    assert r["ref_words"] == 20
    # coach's alignment pairs "Talk soon" with "Thank you" (2 substitutions) ...
    assert (r["substitutions"], r["deletions"], r["insertions"]) == (2, 0, 0)
    assert r["wer"] == pytest.approx(2 / 20)
    # ... but they were said 1 s after the phrase ended: lost words plus words invented in silence.
    assert r["inserted"] == r["hallucinated"] == ["thank", "you"]
    assert r["lost_words"] == 2 and r["end_cut"] == 2  # "Talk soon." never heard
    assert r["numbers_ok"]
    # Edges: "Hi" 20 ms late, "Sam." 50 ms late, "My" 40 ms late, "0192." (end of the 415-555-0192 token) 100 ms late.
    assert r["boundary_ms"] == pytest.approx([20.0, 50.0, 40.0, 100.0])
    assert r["edges"] == 6

    rules = ev.rule_figures([r], ["VM501", "VM502", "VM503"])
    assert rules["VM502"]["tp"] == 1 and rules["VM502"]["recall"] == 1.0
    assert rules["VM501"]["fp"] == 1 and rules["VM501"]["false_alarm_rate"] == 1.0
    assert rules["VM503"]["positives"] == 0 and rules["VM503"]["either_fired"] == 0

    missed = ev.score(item, None, error="no words")
    assert missed["wer"] == 1.0 and missed["lost_words"] == 20 and not missed["numbers_ok"]


@needs_espeak
def test_harness_on_the_slice_counts_designed_rules_as_hits(slice_set):
    out, doc = slice_set
    results = ev.evaluate(doc, out, "tiny.en", only=ANALYSED, log=lambda s: None)
    by_id = {r["id"]: r for r in results}
    assert set(by_id) == set(ANALYSED.split(","))
    assert "VM501" in by_id["no_number@espeak_us_f"]["fired"]
    assert "VM601" in by_id["good_payroll@monotone"]["fired"]
    summary = ev.summarise(results, doc["codes"])
    assert summary["rules"]["VM501"]["tp"] == 1 and summary["rules"]["VM501"]["recall"] == 1.0
    assert summary["rules"]["VM601"]["tp"] == 1
    assert summary["overall"]["files"] == 2 and summary["overall"]["ref_words"] > 50
    assert summary["overall"]["wer"] < 0.6  # espeak-ng is understood at all (not a target)
    text = ev.table(summary, "tiny.en")
    assert "VM501" in text and "overall" in text
