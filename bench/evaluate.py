"""Measure the checkout's pipeline on the labelled evaluation set (``make eval``).

Usage::

    python bench/evaluate.py [--model tiny.en|base] [--only PATTERNS] [--json OUT] [--markdown]
                             [--set .cache/eval] [--engines piper,espeak] [--reports DIR]
                             [--no-profile] [--streamed] [--from-reports DIR [--rules-again]]

Renders the set of ``bench/eval/messages.toml`` into ``.cache/eval/`` first
when it is missing or stale (``scripts/make_eval_set.py``), then runs
:class:`coach.pipeline.Analyzer` on every rendering with its message's
prospect, script and rep profile (``--no-profile``: without the profile, as
a rep who gave none), and prints one table per condition group and overall.
``--streamed``: each rendering is transcribed as ``coach record`` transcribes
a take while it is recorded (:class:`coach.analysis.streaming.LiveTranscript`
fed in 0.1 s blocks; where it cuts depends on the audio alone, not on the
feeding pace), saved as the recorder saves it and analysed with the streamed
words: the same figures for the live recorders.


- WER: the ``wer`` of :func:`coach.text.script_diff.compare_script` on the transcript
  against the exact transcript (corpus figure: all errors over all reference words);
- numbers: messages whose phone numbers (``metrics.phone_numbers``, in
  order) are exactly the designed ones, to the digit (none where none is said);
- lost words: the words of phrases none of whose words reached the transcript
  (a stretch of speech with no words), plus words deleted after the last one
  recognised (the end cut off);
- inserted and hallucinated words: transcript words the alignment does not map
  to the reference (insertions, and substitutions whose word was said outside
  the reference word's phrase), and those of them that are in silence: timed
  outside every phrase, or after the message's last word (an invented
  "Thank you." that Whisper squeezes into the end of the file);
- names: the words of the rep's name, the company and the prospect's name
  (those the message says) that the transcript spells exactly, case and
  punctuation aside;
- word-boundary error: |Whisper's start - designed start| of each phrase's first
  word and the same for each phrase's last word's end, where that word is
  recognised and is its own token (median, p90, ms);
- per rule: precision and recall against the labels ("either" labels are not
  scored), the false-alarm rate, and the share of clean messages (nothing must
  fire) with any false warning;
- the verdict (``score.verdict``): clean messages that read "Ready to dial",
  and messages labelled to break a core rule (``[verdict.core]``) that read
  ready anyway (none may).

The alignment is coach's own (:mod:`coach.text.script_diff`), the one the WER
counts; a substitution paired with a word said in another phrase's time or in
silence counts as lost plus inserted here (the WER is unchanged). Nothing is asserted: this prints
figures; the targets of issue 9 are shown beside them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # this checkout's coach, whatever the venv points at
import make_eval_set as gen  # noqa: E402

#: Seconds either side of a phrase inside which a transcript word still counts as "in speech".
SPEECH_SLACK_S = 0.15
#: A substituted word timed further than this outside its reference word's phrase was said elsewhere.
DISPLACED_SLACK_S = 0.5

#: Report metrics kept in each result beside the designed values, to see why a delivery rule did (not) fire.
MEASURED = (
    "speech_span_s",
    "leading_silence_s",
    "longest_pause_s",
    "wpm",
    "loudness_dbfs",
    "clipping_ratio",
    "snr_db",
    "pitch_variation_st",
    "mean_word_probability",
)

TARGETS = {
    "lost_words": "no lost words",
    "hallucinated": "no hallucinated words",
    "numbers": "phone numbers right to the digit in 99% of messages",
    "boundary": "median word-boundary error under 50 ms",
    "recall": "recall of every rule at least 95%",
    "false_warnings": "false warnings on clean messages under 2%",
}


# --------------------------------------------------------------------------
# Per-rendering scoring (pure: a labels item and a report dict in, figures out)
# --------------------------------------------------------------------------


@dataclass
class Token:
    """A whitespace token of the transcript with the time span of the Whisper words in it."""

    text: str
    start: float
    end: float


def transcript_tokens(words: list[dict[str, Any]]) -> list[Token]:
    """Whisper's words joined the way the transcript is, cut at whitespace, with times."""
    tokens: list[Token] = []
    open_token = False
    for w in words:
        text = w["text"]
        parts = text.split()
        if not parts:
            open_token = False
            continue
        for k, part in enumerate(parts):
            joins = k == 0 and open_token and not text[:1].isspace()
            if joins:
                last = tokens[-1]
                tokens[-1] = Token(last.text + part, last.start, max(last.end, w["end"]))
            else:
                tokens.append(Token(part, w["start"], w["end"]))
        open_token = not text[-1:].isspace()
    return tokens


def align(reference: str, tokens: list[Token]):
    """(reference words, hypothesis words as (word, token index), coach's alignment steps)."""
    from coach.text.normalise import normalize_words_indexed, source_tokens
    from coach.text.script_diff import align_words

    ref = [w for w, _ in normalize_words_indexed(reference)]
    joined = " ".join(t.text for t in tokens)
    hyp = normalize_words_indexed(joined)
    if len(source_tokens(joined)) != len(tokens):  # NFKC split a token: fall back to one token at a time
        hyp = [(w, i) for i, t in enumerate(tokens) for w, _ in normalize_words_indexed(t.text)]
    return ref, hyp, align_words(ref, [w for w, _ in hyp])


def _in_speech(t0: float, t1: float, pieces: list[dict[str, Any]], slack: float = SPEECH_SLACK_S) -> bool:
    mid = (t0 + t1) / 2
    return any(p["start"] - slack <= mid <= p["end"] + slack for p in pieces)


def score(item: dict[str, Any], report: dict[str, Any] | None, error: str | None = None) -> dict[str, Any]:
    """Every figure for one rendering; ``report`` is ``Report.to_dict()`` (None when analysis failed)."""
    from coach.text.script_diff import compare_script

    words = (report or {}).get("words") or []
    transcript = (report or {}).get("transcript") or ""
    tokens = transcript_tokens(words)
    ref, hyp, steps = align(item["reference"], tokens)
    pieces = item["pieces"]

    piece_of = {i: p for p in pieces for i in range(*p["words"])}
    match: dict[int, int] = {}
    recognised: set[int] = set()
    ops = []
    for op, i, j in steps:
        tok = tokens[hyp[j][1]] if op != "D" else None
        if op == "S" and tok is not None and not _in_speech(tok.start, tok.end, [piece_of[i]], DISPLACED_SLACK_S):
            # Paired by the alignment with a word said elsewhere (an invented "Thank you." in the
            # silence after a lost last phrase): for these figures a deletion plus an insertion.
            op = "I"
        if op in ("=", "S"):
            recognised.add(i)
            if op == "=":
                match[i] = j
        ops.append((op, j, tok))
    # Hallucinated: inserted words in silence, or after the message's last recognised word
    # (Whisper squeezes an invented "Thank you." into the last moments of the file).
    last_kept = max((k for k, (op, _, _) in enumerate(ops) if op in ("=", "S")), default=-1)
    inserted, hallucinated = [], []
    for k, (op, j, tok) in enumerate(ops):
        if op == "I" and tok is not None:
            inserted.append(hyp[j][0])
            if k > last_kept or not _in_speech(tok.start, tok.end, pieces):
                hallucinated.append(hyp[j][0])

    # Lost: phrases none of whose words made it into the transcript (a stretch of speech with no
    # words), and words deleted after the last recognised one (the end cut off).
    lost: set[int] = set()
    for p in pieces:
        if not recognised.intersection(range(*p["words"])):
            lost.update(range(*p["words"]))
    last = max(recognised, default=-1)
    end_cut = list(range(last + 1, len(ref)))
    lost.update(end_cut)

    # Phrase edges: a matched word that starts (ends) its token gives the token's start (end).
    def first_of_token(j: int) -> bool:
        return j == 0 or hyp[j - 1][1] != hyp[j][1]

    def last_of_token(j: int) -> bool:
        return j == len(hyp) - 1 or hyp[j + 1][1] != hyp[j][1]

    boundary_ms, edges = [], 0
    for p in pieces:
        a, b = p["words"][0], p["words"][1] - 1
        edges += 2
        if a in match and first_of_token(match[a]):
            boundary_ms.append(1000 * abs(tokens[hyp[match[a]][1]].start - p["start"]))
        if b in match and last_of_token(match[b]):
            boundary_ms.append(1000 * abs(tokens[hyp[match[b]][1]].end - p["end"]))

    metrics = (report or {}).get("metrics") or {}
    score_ = (report or {}).get("score") or {}
    said = [n["digits"] for n in metrics.get("phone_numbers", [])]
    fired = sorted({f["code"] for f in (report or {}).get("findings", [])})
    subs = sum(1 for op, _, _ in steps if op == "S")
    dels = sum(1 for op, _, _ in steps if op == "D")
    return {
        "id": item["id"],
        "group": item["group"],
        "error": error,
        "transcript": transcript,
        "wer": compare_script(item["reference"], transcript).wer,
        "ref_words": len(ref),
        "substitutions": subs,
        "deletions": dels,
        "insertions": sum(1 for op, _, _ in steps if op == "I"),
        "inserted": inserted,
        "hallucinated": hallucinated,
        "lost_words": len(lost),
        "end_cut": len(end_cut),
        "numbers_expected": item["numbers"],
        "numbers_said": said,
        "numbers_ok": said == item["numbers"],
        "boundary_ms": [round(b, 1) for b in boundary_ms],
        "edges": edges,
        "fired": fired,
        "names": name_hits(item, transcript),
        "score": score_.get("value"),
        "verdict": score_.get("verdict", ""),
        "core": score_.get("core", []),
        "measured": {k: metrics.get(k) for k in MEASURED},
        "labels": item["labels"],
        "clean": item["clean"],
    }


NAME_KINDS = ("rep", "company", "prospect")


def name_hits(item: dict[str, Any], transcript: str) -> dict[str, list[int]]:
    """For the rep's name, the company and the prospect: [words spelt right, words said], counting
    only the name words the message says (a word of the reference)."""
    from coach.text.normalise import normalize_words

    reference = set(normalize_words(item["reference"]))
    heard = set(normalize_words(transcript))
    names = {"rep": item.get("rep") or "", "company": item.get("company") or "", "prospect": item.get("prospect") or ""}
    out = {}
    for kind in NAME_KINDS:
        said = [w for w in normalize_words(names[kind]) if w in reference]
        out[kind] = [sum(w in heard for w in said), len(said)]
    return out


# --------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def group_figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    ref = sum(r["ref_words"] for r in results)
    errors = sum(r["wer"] * r["ref_words"] for r in results)
    bounds = [b for r in results for b in r["boundary_ms"]]
    names = {k: [sum(r["names"][k][i] for r in results if "names" in r) for i in (0, 1)] for k in NAME_KINDS}
    return {
        "files": len(results),
        "failed": sum(1 for r in results if r["error"]),
        "wer": errors / ref if ref else None,
        "numbers_ok": sum(r["numbers_ok"] for r in results) / len(results) if results else None,
        "lost_words": sum(r["lost_words"] for r in results),
        "end_cut": sum(r["end_cut"] for r in results),
        "inserted": sum(len(r["inserted"]) for r in results),
        "hallucinated": sum(len(r["hallucinated"]) for r in results),
        "ref_words": ref,
        "boundary_median_ms": statistics.median(bounds) if bounds else None,
        "boundary_p90_ms": _pct(bounds, 0.9),
        "boundary_coverage": len(bounds) / max(1, sum(r["edges"] for r in results)),
        "names": {k: (h / n if n else None) for k, (h, n) in names.items()},
        "names_ok": (sum(h for h, _ in names.values()) / sum(n for _, n in names.values()))
        if any(n for _, n in names.values())
        else None,
    }


def rule_figures(results: list[dict[str, Any]], codes: list[str]) -> dict[str, dict[str, Any]]:
    out = {}
    for code in codes:
        tp = fn = fp = tn = either_fired = 0
        for r in results:
            label, fired = r["labels"].get(code), code in r["fired"]
            if label == gen.FIRE:
                tp, fn = tp + fired, fn + (not fired)
            elif label == gen.NOT:
                fp, tn = fp + fired, tn + (not fired)
            elif fired:
                either_fired += 1
        out[code] = {
            "positives": tp + fn,
            "tp": tp,
            "fn": fn,
            "fp": fp,
            "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None,
            "false_alarm_rate": fp / (fp + tn) if fp + tn else None,
            "either_fired": either_fired,
        }
    return out


def summarise(results: list[dict[str, Any]], codes: list[str]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        groups[r["group"]].append(r)
    clean = [r for r in results if r["clean"]]
    false_warned = [
        {"id": r["id"], "codes": [c for c in r["fired"] if r["labels"].get(c) == gen.NOT]}
        for r in clean
        if any(r["labels"].get(c) == gen.NOT for c in r["fired"])
    ]
    unlabelled = sorted({c for r in results for c in r["fired"] if c not in codes})
    verdicts = verdict_figures(results)
    rules = rule_figures(results, codes)
    overall = group_figures(results)
    recalls = [v["recall"] for v in rules.values() if v["recall"] is not None]
    fw_rate = len(false_warned) / len(clean) if clean else None
    targets = {
        "lost_words": overall["lost_words"] == 0,
        "hallucinated": overall["hallucinated"] == 0,
        "numbers": overall["numbers_ok"] is not None and overall["numbers_ok"] >= 0.99,
        "boundary": overall["boundary_median_ms"] is not None and overall["boundary_median_ms"] < 50,
        "recall": bool(recalls) and min(recalls) >= 0.95,
        "false_warnings": fw_rate is not None and fw_rate < 0.02,
    }
    return {
        "groups": {g: group_figures(rs) for g, rs in sorted(groups.items())},
        "overall": overall,
        "rules": rules,
        "clean_messages": len(clean),
        "false_warning_rate": fw_rate,
        "false_warnings": false_warned,
        "unlabelled_fired": unlabelled,
        "verdicts": verdicts,
        "targets": targets,
    }


def verdict_figures(results: list[dict[str, Any]]) -> dict[str, Any]:
    """How the verdict reads: clean messages ready, and messages labelled to break a core rule
    (``[verdict.core]`` of the checkout's settings) that read ready anyway."""
    from coach.config import load_config

    core = set(load_config().verdict.core)
    clean = [r for r in results if r["clean"] and not r["error"]]
    broken = [r for r in results if not r["error"] and any(r["labels"].get(c) == gen.FIRE for c in core)]
    fired_core = [r for r in results if r.get("core")]
    return {
        "clean": len(clean),
        "clean_ready": sum(r.get("verdict") == "ready" for r in clean),
        "clean_not_ready": [
            f"{r['id']} ({', '.join(r.get('core') or [])}: {r.get('score')})"
            for r in clean
            if r.get("verdict") != "ready"
        ],
        "core_labelled": len(broken),
        "core_labelled_ready": [r["id"] for r in broken if r.get("verdict") == "ready"],
        "core_fired": len(fired_core),
        "core_fired_ready": [r["id"] for r in fired_core if r.get("verdict") == "ready"],
    }


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def _f(value: float | None, fmt: str, scale: float = 1.0) -> str:
    return "-" if value is None else format(value * scale, fmt)


def code_under_test() -> str:
    """Which coach package is measured: its folder and, in a git checkout, the commit."""
    import subprocess

    import coach

    where = Path(coach.__file__).resolve().parent
    try:
        rev = subprocess.run(
            ["git", "-C", str(where), "describe", "--always", "--dirty"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        rev = "?"
    return f"{where} ({rev})"


def table(summary: dict[str, Any], model: str) -> str:
    from coach.rules.catalogue import BY_CODE

    lines = [f"Evaluation set, model {model}, code {code_under_test()}", ""]
    head = (
        f"{'group':<13}{'files':>6}{'WER %':>7}{'numbers ok %':>14}{'lost':>6}{'end cut':>8}"
        f"{'inserted':>9}{'halluc.':>8}{'edge med ms':>12}{'p90 ms':>8}{'edges %':>8}"
    )
    lines.append(head)
    lines.append("-" * len(head))
    rows = list(summary["groups"].items()) + [("overall", summary["overall"])]
    for name, g in rows:
        if name == "overall":
            lines.append("-" * len(head))
        lines.append(
            f"{name:<13}{g['files']:>6}{_f(g['wer'], '.1f', 100):>7}{_f(g['numbers_ok'], '.1f', 100):>14}"
            f"{g['lost_words']:>6}{g['end_cut']:>8}{g['inserted']:>9}{g['hallucinated']:>8}"
            f"{_f(g['boundary_median_ms'], '.0f'):>12}{_f(g['boundary_p90_ms'], '.0f'):>8}"
            f"{_f(g['boundary_coverage'], '.0f', 100):>8}"
        )
    lines += ["", f"{'rule':<7}{'name':<22}{'pos':>5}{'TP':>5}{'FN':>5}{'FP':>5}{'recall %':>10}"]
    lines[-1] += f"{'precision %':>13}{'false alarm %':>15}{'either fired':>14}"
    for code, v in summary["rules"].items():
        name = BY_CODE[code].name if code in BY_CODE else "?"
        lines.append(
            f"{code:<7}{name:<22}{v['positives']:>5}{v['tp']:>5}{v['fn']:>5}{v['fp']:>5}"
            f"{_f(v['recall'], '.0f', 100):>10}{_f(v['precision'], '.0f', 100):>13}"
            f"{_f(v['false_alarm_rate'], '.1f', 100):>15}{v['either_fired']:>14}"
        )
    fw = summary["false_warning_rate"]
    lines += [
        "",
        f"clean messages (nothing must fire): {summary['clean_messages']}, "
        f"with a false warning: {len(summary['false_warnings'])} ({_f(fw, '.1f', 100)}%)",
    ]
    for w in summary["false_warnings"]:
        lines.append(f"  {w['id']}: {', '.join(w['codes'])}")
    if summary["unlabelled_fired"]:
        lines.append(f"rules fired that the labels do not cover: {', '.join(summary['unlabelled_fired'])}")
    lines += ["", *verdict_lines(summary)]
    lines += ["", "names spelt right (words said): " + names_line(summary["overall"])]
    lines += ["", "targets (issue 9):"]
    for key, ok in summary["targets"].items():
        lines.append(f"  {'met   ' if ok else 'MISSED'} {TARGETS[key]}")
    return "\n".join(lines)


def names_line(g: dict[str, Any]) -> str:
    parts = [f"{k} {_f(g['names'][k], '.0f', 100)}%" for k in NAME_KINDS]
    return f"{_f(g['names_ok'], '.1f', 100)}% ({', '.join(parts)})"


def verdict_lines(summary: dict[str, Any]) -> list[str]:
    v = summary["verdicts"]
    lines = [
        f"verdict: clean messages reading Ready to dial: {v['clean_ready']} of {v['clean']}; "
        f"labelled to break a core rule: {v['core_labelled']}, of them reading ready: {len(v['core_labelled_ready'])}; "
        f"a core rule fired: {v['core_fired']}, reading ready: {len(v['core_fired_ready'])}"
    ]
    lines += [f"  not ready (clean): {x}" for x in v["clean_not_ready"]]
    lines += [f"  ready despite a core label: {x}" for x in v["core_labelled_ready"]]
    return lines


def markdown(summary: dict[str, Any], model: str, seconds: float | None = None) -> str:
    """The figures as the README's tables (``--markdown``)."""
    from coach.rules.catalogue import BY_CODE

    o = summary["overall"]
    lines = [
        f"Model {model}, {o['files']} renderings" + (f", {seconds:.0f} s" if seconds is not None else "") + ":",
        "",
        "| group | files | WER | numbers right | names right | lost words | inserted | hallucinated "
        "| edge error median / p90 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, g in list(summary["groups"].items()) + [("**overall**", o)]:
        lines.append(
            f"| {name} | {g['files']} | {_f(g['wer'], '.1f', 100)}% | {_f(g['numbers_ok'], '.0f', 100)}% "
            f"| {_f(g['names_ok'], '.0f', 100)}% | {g['lost_words']} | {g['inserted']} | {g['hallucinated']} "
            f"| {_f(g['boundary_median_ms'], '.0f')} / {_f(g['boundary_p90_ms'], '.0f')} ms |"
        )
    lines += ["", "| rule | labelled to fire | recall | precision | false alarms |", "|---|---|---|---|---|"]
    for code, v in summary["rules"].items():
        name = BY_CODE[code].name if code in BY_CODE else "?"
        lines.append(
            f"| {code} {name} | {v['positives']} | {_f(v['recall'], '.0f', 100)}% | {_f(v['precision'], '.0f', 100)}% "
            f"| {v['fp']} of {v['fp'] + v['tn']} |"
        )
    fw = summary["false_warning_rate"]
    lines += [
        "",
        f"Clean messages with a false warning: {len(summary['false_warnings'])} of {summary['clean_messages']} "
        f"({_f(fw, '.1f', 100)}%).",
        "",
        f"Names spelt right (words of the rep's name, the company and the prospect's name said): {names_line(o)}.",
        "",
        *verdict_lines(summary),
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


def evaluate(
    doc: dict[str, Any],
    set_dir: Path,
    model: str,
    *,
    only: str | None = None,
    reports: Path | None = None,
    progress: Path | None = None,
    profile: bool = True,
    streamed: bool = False,
    log=lambda s: print(s, file=sys.stderr),
) -> list[dict[str, Any]]:
    """Analyse every rendering of the labels document; one scored result per rendering.

    With ``progress``, each result is also appended to that JSON-lines file as it is
    made, so an interrupted run still leaves its figures.
    """
    from coach.errors import CoachError
    from coach.pipeline import Analyzer
    from coach.report import RepProfile

    analyzer = Analyzer(model)
    _ = analyzer.model
    items = [it for it in doc["items"] if gen.selected(it["id"], only)]
    results = []
    for n, item in enumerate(items, 1):
        start = time.perf_counter()
        report, error = None, None
        rep = rep_profile(item) if profile else RepProfile()
        try:
            if streamed:
                analysed = _analyse_streamed(analyzer, set_dir / item["file"], item, rep)
            else:
                analysed = analyzer.analyze(
                    set_dir / item["file"], prospect=item["prospect"], script=item["script"], rep=rep
                )
            report = analysed.to_dict()
        except CoachError as exc:
            error = str(exc)
        result = score(item, report, error)
        result["seconds"] = round(time.perf_counter() - start, 2)
        results.append(result)
        if progress is not None:
            with progress.open("a") as fh:
                fh.write(json.dumps(result) + "\n")
        if reports is not None:
            reports.mkdir(parents=True, exist_ok=True)
            kept = report if report is not None else {"error": error}
            (reports / report_name(item["id"])).write_text(json.dumps(kept, indent=1))
        flag = "" if not error else f"  ERROR {error}"
        log(f"[{n}/{len(items)}] {item['id']}: WER {result['wer']:.2f}, fired {','.join(result['fired'])}{flag}")
    return results


def _analyse_streamed(analyzer, path: Path, item: dict[str, Any], rep):
    """``path`` as a take recorded with ``coach record``: streamed in 0.1 s blocks, saved, analysed with its words."""
    import tempfile

    from coach.analysis.streaming import LiveTranscript
    from coach.analysis.transcribe import initial_prompt
    from coach.audio import SAMPLE_RATE
    from coach.audio.decode import load_audio
    from coach.audio.pcm import write_wav

    audio = load_audio(path).samples
    live = LiveTranscript(lambda: analyzer.model, SAMPLE_RATE, prompt=initial_prompt(rep, item["prospect"] or None))
    block = SAMPLE_RATE // 10
    for at in range(0, len(audio), block):
        live.feed(audio[at : at + block])
    with tempfile.TemporaryDirectory(prefix="coach-eval-take-") as folder:
        take = write_wav(Path(folder) / path.name, audio)
        return analyzer.analyze(take, prospect=item["prospect"], script=item["script"], rep=rep, live=live)


def rep_profile(item: dict[str, Any]):
    """The rep's details a rendering is analysed with (the spec's profile; see make_eval_set)."""
    from coach.report import RepProfile

    return RepProfile(**item["profile"])


def report_name(rid: str) -> str:
    return f"{rid.replace('@', '__')}.json"


def rescore(
    doc: dict[str, Any], folder: Path, *, only: str | None = None, rules_again: bool = False, profile: bool = True
) -> list[dict[str, Any]]:
    """Results from report JSONs kept by an earlier run (``--reports``); renderings without one are skipped.

    With ``rules_again``, the text stage's introduction and the rules are run again on each kept
    transcript and measurements with this checkout's code and settings (and the rendering's
    profile unless ``profile`` is False): rule changes measured without Whisper.
    """
    results = []
    for item in doc["items"]:
        path = folder / report_name(item["id"])
        if gen.selected(item["id"], only) and path.exists():
            kept = json.loads(path.read_text())
            failed = "error" in kept and "words" not in kept
            if rules_again and not failed:
                kept = apply_rules_again(kept, item, profile)
            results.append(score(item, None if failed else kept, kept["error"] if failed else None))
    return results


def apply_rules_again(kept: dict[str, Any], item: dict[str, Any], profile: bool) -> dict[str, Any]:
    """``kept`` with its metrics' text figures and its findings made again by this checkout."""
    from coach.analysis.metrics import build_metrics
    from coach.config import load_config
    from coach.report import Report, RepProfile
    from coach.rules import engine

    config = load_config()
    report = Report.from_dict(kept)
    rep = rep_profile(item) if profile else RepProfile()
    report.rep = None if rep.is_empty else rep
    report.prospect, report.script = item["prospect"], item["script"]
    report.metrics = build_metrics(
        report.metrics, report.words, rep=rep, name_similarity=config.rule("VM701")["min_similarity"]
    )
    return engine.apply(report, config).to_dict()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="tiny.en", help="Whisper model: tiny.en (default) or base")
    ap.add_argument(
        "--only", help="renderings whose id (message@condition) matches these comma-separated globs: good_*,*@noise_*"
    )
    ap.add_argument("--json", type=Path, help="write the figures (and every rendering's) as JSON here")
    ap.add_argument("--set", type=Path, default=gen.OUT, help="where the set is rendered (default .cache/eval)")
    ap.add_argument("--engines", help="render/evaluate only these engines: piper,espeak")
    ap.add_argument("--reports", type=Path, help="keep each rendering's report JSON in this folder")
    ap.add_argument("--markdown", action="store_true", help="print the figures as the README's markdown tables")
    ap.add_argument(
        "--from-reports",
        type=Path,
        help="score the report JSONs a --reports run kept here instead of analysing again (labels re-derived)",
    )
    ap.add_argument(
        "--rules-again",
        action="store_true",
        help="with --from-reports: run the text stage and the rules again on the kept transcripts (this checkout's)",
    )
    ap.add_argument(
        "--no-profile", action="store_true", help="analyse without the rep's profile (no names or number given)"
    )
    ap.add_argument(
        "--streamed", action="store_true", help="transcribe each rendering as the live recorders do (see above)"
    )
    args = ap.parse_args(argv)

    engines = set(args.engines.split(",")) if args.engines else None
    start = time.perf_counter()
    doc = gen.build(args.set, only=args.only, engines=engines, log=lambda s: print(s, file=sys.stderr))
    if doc["problems"]:
        print("the spec's labels disagree with the ground truth:\n  " + "\n  ".join(doc["problems"]), file=sys.stderr)
        return 1
    built = time.perf_counter() - start
    progress = args.json.with_suffix(".partial.jsonl") if args.json else None
    if progress is not None:
        progress.unlink(missing_ok=True)
    if args.from_reports:
        results = rescore(
            doc, args.from_reports, only=args.only, rules_again=args.rules_again, profile=not args.no_profile
        )
    else:
        results = evaluate(
            doc,
            args.set,
            args.model,
            only=args.only,
            reports=args.reports,
            progress=progress,
            profile=not args.no_profile,
            streamed=args.streamed,
        )
    elapsed = time.perf_counter() - start - built
    summary = summarise(results, doc["codes"])
    seconds = None if args.from_reports else elapsed
    print(markdown(summary, args.model, seconds) if args.markdown else table(summary, args.model))
    print(
        f"\n{len(results)} renderings analysed in {elapsed:.0f} s ({elapsed / max(1, len(results)):.1f} s each); "
        f"set ready in {built:.0f} s"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"model": args.model, "seconds": round(elapsed, 1), "summary": summary, "results": results}, indent=1
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
