"""How closely a take followed its script: word error rate and a word diff.

Both texts go through :func:`coach.text.features.normalize_words` (lower case,
no punctuation, numbers spelled out the same way on both sides), then a
Levenshtein alignment over words gives substitutions (S), deletions (D) and
insertions (I). WER is (S + D + I) / N with N the script's word count; the
tests measure transcription accuracy against a reference transcript with it.

For display, runs of non-matching words are grouped: only script words ->
"skipped", only said words -> "added", both -> "changed"; matching runs are
"equal". Segment texts use the original wording of each side (a numeral
partly matched shows its spelled-out words instead).
"""

from __future__ import annotations

from coach.errors import CoachError
from coach.report import DiffOp, ScriptDiff
from coach.text.normalise import normalize_words_indexed, source_tokens

EQUAL = "equal"
SKIPPED = "skipped"
ADDED = "added"
CHANGED = "changed"


def _no_words_error() -> CoachError:
    return CoachError(
        "The script has no words to compare against (it is empty or only punctuation). "
        "Paste the script's text, or leave it out."
    )


def align_words(ref: list[str], hyp: list[str]) -> list[tuple[str, int, int]]:
    """Minimum-edit alignment as ("=", "S", "D", "I", ref index, hyp index) steps.

    Ties prefer a match or substitution, then a deletion, then an insertion,
    which keeps a skipped phrase as one block of deletions.
    """
    n, m = len(ref), len(hyp)
    dist = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        dist[i][0] = i
    for j in range(m + 1):
        dist[0][j] = j
    for i in range(1, n + 1):
        row, prev, r = dist[i], dist[i - 1], ref[i - 1]
        for j in range(1, m + 1):
            row[j] = min(prev[j - 1] + (r != hyp[j - 1]), prev[j] + 1, row[j - 1] + 1)
    steps: list[tuple[str, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and dist[i][j] == dist[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            steps.append(("=" if ref[i - 1] == hyp[j - 1] else "S", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and dist[i][j] == dist[i - 1][j] + 1:
            steps.append(("D", i - 1, j))
            i -= 1
        else:
            steps.append(("I", i, j - 1))
            j -= 1
    return steps[::-1]


def _shown(tokens: list[str], norm: list[tuple[str, int]], indices: list[int]) -> str:
    """Original wording for normalised word ``indices``; a token only partly
    covered shows the covered normalised words instead."""
    if not indices:
        return ""
    per_token: dict[int, list[int]] = {}
    for k in indices:
        per_token.setdefault(norm[k][1], []).append(k)
    total: dict[int, int] = {}
    for _, t in norm:
        total[t] = total.get(t, 0) + 1
    parts = []
    for t, ks in per_token.items():
        parts.append(tokens[t] if len(ks) == total[t] else " ".join(norm[k][0] for k in ks))
    return " ".join(parts)


def compare_script(script: str, said: str) -> ScriptDiff:
    """Compare the script with the transcript of the take.

    ``wer`` counts every difference, fillers and extra words included;
    ``changed_ratio`` is the share of the script's words that were
    substituted or skipped (added words do not count against the script).
    Raises :class:`CoachError` when the script has no words.
    """
    script_norm = normalize_words_indexed(script)
    said_norm = normalize_words_indexed(said)
    if not script_norm:
        raise _no_words_error()
    ref = [w for w, _ in script_norm]
    hyp = [w for w, _ in said_norm]
    steps = align_words(ref, hyp)
    subs = sum(1 for op, _, _ in steps if op == "S")
    dels = sum(1 for op, _, _ in steps if op == "D")
    ins = sum(1 for op, _, _ in steps if op == "I")
    script_tokens = source_tokens(script)
    said_tokens = source_tokens(said)

    ops: list[DiffOp] = []
    k = 0
    while k < len(steps):
        equal = steps[k][0] == "="
        end = k
        while end < len(steps) and (steps[end][0] == "=") == equal:
            end += 1
        block = steps[k:end]
        ref_idx = [i for op, i, _ in block if op in ("=", "S", "D")]
        hyp_idx = [j for op, _, j in block if op in ("=", "S", "I")]
        if equal:
            kind = EQUAL
        elif not hyp_idx:
            kind = SKIPPED
        elif not ref_idx:
            kind = ADDED
        else:
            kind = CHANGED
        ops.append(
            DiffOp(
                kind,
                _shown(script_tokens, script_norm, ref_idx),
                _shown(said_tokens, said_norm, hyp_idx),
            )
        )
        k = end
    return ScriptDiff(
        wer=(subs + dels + ins) / len(ref),
        changed_ratio=(subs + dels) / len(ref),
        ops=ops,
        script_words=len(ref),
        substitutions=subs,
        deletions=dels,
        insertions=ins,
    )


def script_diff(script: str | None, transcript: str) -> ScriptDiff | None:
    """The take's transcript against its script; None when no script was given (or it is blank).

    Raises :class:`CoachError` when the script has text but no words.
    """
    if not (script or "").strip():
        return None
    return compare_script(script or "", transcript)
