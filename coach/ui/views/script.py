"""The script check: what the rep skipped, changed or added compared with their script.

Draws the report's ``script_diff`` (made once, at the analysis's text stage,
by :func:`coach.text.script_diff.script_diff`); every piece of text (the
script's words and the transcript's words) is HTML-escaped here.
"""

from __future__ import annotations

from coach.report import ScriptDiff
from coach.text.script_diff import ADDED, CHANGED, EQUAL, SKIPPED
from coach.ui.safe import html_text

_DEL = '<del title="Skipped" style="background:#ffd6d6;color:#7f1d1d;padding:0 .2em;border-radius:.25em">{}</del>'
_INS = '<ins title="Added" style="background:#c8f0d2;color:#14532d;padding:0 .2em;border-radius:.25em;text-decoration:none">{}</ins>'


def diff_html(diff: ScriptDiff) -> str:
    """The script with skipped words struck through and added or changed words marked."""
    pieces = []
    for op in diff.ops:
        if op.op == EQUAL:
            pieces.append(html_text(op.script))
        elif op.op == SKIPPED:
            pieces.append(_DEL.format(html_text(op.script)))
        elif op.op == ADDED:
            pieces.append(_INS.format(html_text(op.said)))
        elif op.op == CHANGED:
            pieces.append(_DEL.format(html_text(op.script)) + " " + _INS.format(html_text(op.said)))
    return (
        '<div style="font-size:1.1rem;line-height:1.9;padding:1rem 1.2rem;'
        'border:1px solid rgba(128,128,128,.25);border-radius:.6rem">' + " ".join(pieces) + "</div>"
    )


def summary(diff: ScriptDiff) -> str:
    """One sentence for the rep (plain text, no user content)."""
    kept = max(0.0, 1.0 - diff.changed_ratio)
    parts = [f"You kept {kept:.0%} of your script's {diff.script_words} words"]
    if diff.deletions:
        parts.append(f"skipped {diff.deletions}")
    if diff.substitutions:
        parts.append(f"changed {diff.substitutions}")
    if diff.insertions:
        parts.append(f"added {diff.insertions}")
    return ", ".join(parts) + "."


def legend_html() -> str:
    return (
        '<div style="font-size:.9rem;margin:.3rem 0 .6rem">'
        + _DEL.format("skipped or changed: the script's words")
        + " "
        + _INS.format("what you said instead")
        + "</div>"
    )
