"""How well a said word is recognised as a known name, on the evaluation set's real transcripts.

Usage::

    python bench/names.py REPORTS_DIR [--set .cache/eval]

``REPORTS_DIR`` holds the reports a ``bench/evaluate.py --reports DIR`` run
kept. Each rendering's transcript is aligned to its exact text (coach's own
alignment, as ``make eval`` does); every word of the rep's name, the company
and the prospect's name that the message says gives a pair (what Whisper
wrote there, the name word). A pair whose word was written as spelt is
"exact"; the others are the misheard names a matcher has to accept. Every
other transcript word against the names of its message is a pair that must
not match. Printed per matcher: misheard names accepted, and other words
taken for a name (per 1,000 pairs):

- ``difflib 0.8``: the SequenceMatcher ratio VM702 used before;
- ``spelling 0.8``: rapidfuzz's normalised Indel similarity (``coach.text.names``);
- ``spelling 0.8 or sound``: the same, or the same Metaphone code, which the
  coach allows only where a name is expected (after "Hi", in an introduction).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "scripts")]
import evaluate  # noqa: E402
import make_eval_set as gen  # noqa: E402

from coach.text.names import letters, match_name  # noqa: E402
from coach.text.normalise import normalize_words  # noqa: E402

MATCHERS = {
    "difflib 0.8": lambda said, name: said == name or SequenceMatcher(None, said, name).ratio() >= 0.8,
    "spelling 0.8": lambda said, name: match_name(said, name, 0.8) is not None,
    "spelling 0.8 or sound": lambda said, name: match_name(said, name, 0.8, by_sound=True) is not None,
}


def pairs(item: dict, report: dict) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(name pairs (said, name, kind), other-word pairs (said, name)) of one rendering."""
    tokens = evaluate.transcript_tokens(report.get("words") or [])
    ref, hyp, steps = evaluate.align(item["reference"], tokens)
    names = {}
    for kind in ("rep", "company", "prospect"):
        for w in normalize_words(item.get(kind) or ""):
            names.setdefault(w, kind)
    named, others = [], []
    aligned = set()
    for op, i, j in steps:
        if op in ("=", "S") and ref[i] in names:
            named.append((hyp[j][0], ref[i], names[ref[i]]))
            aligned.add(j)
    for j, (word, _) in enumerate(hyp):
        if j not in aligned and letters(word):
            others += [(word, name) for name in names]
    return named, others


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reports", type=Path)
    ap.add_argument("--set", type=Path, default=gen.OUT)
    args = ap.parse_args(argv)
    doc = json.loads((args.set / "labels.json").read_text())
    named, others = [], []
    for item in doc["items"]:
        path = args.reports / evaluate.report_name(item["id"])
        if not path.exists():
            continue
        report = json.loads(path.read_text())
        if "words" not in report:
            continue
        a, b = pairs(item, report)
        named += a
        others += b
    misheard = [(s, n, k) for s, n, k in named if letters(s) != letters(n)]
    kinds = Counter(k for _, _, k in named)
    print(f"name words said: {len(named)} ({dict(kinds)}), written as spelt: {len(named) - len(misheard)}")
    print(f"misheard: {len(misheard)}; other words against the names: {len(others)}")
    print(f"{'matcher':<24}{'misheard accepted':>20}{'false per 1000':>16}")
    for label, match in MATCHERS.items():
        accepted = sum(match(letters(s), letters(n)) for s, n, _ in misheard)
        false = sum(match(letters(s), letters(n)) for s, n in others)
        print(f"{label:<24}{accepted:>12} of {len(misheard):<5}{1000 * false / max(1, len(others)):>14.2f}")
    print("\nmisheard names (said -> name):")
    for (s, n, k), count in Counter(misheard).most_common(40):
        flags = "".join("x" if m(letters(s), letters(n)) else "." for m in MATCHERS.values())
        print(f"  {s!r} -> {n!r} ({k}) x{count}  [{flags}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
