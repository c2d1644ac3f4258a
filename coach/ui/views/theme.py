"""Page chrome: page settings, the header and a few CSS touches."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from coach.rules.scoring import VERDICT_WORDS
from coach.ui.safe import html_text

_CSS = """
<style>
.block-container {padding-top: 3.6rem; max-width: 1200px;}
.vc-hero h1 {font-size: 2.1rem; margin: 0 0 .1rem 0; padding: 0;}
.vc-hero p {margin: 0; opacity: .75; font-size: 1.05rem;}
.vc-score {display: flex; align-items: center; gap: 1.2rem;}
.vc-score .vc-dial {width: 7.2rem; height: 7.2rem; border-radius: 50%; display: flex;
  align-items: center; justify-content: center; font-size: 3.2rem; font-weight: 800; color: #fff;}
.vc-score .vc-verdict {font-size: 1.5rem; font-weight: 700;}
.vc-score .vc-sub {opacity: .75;}
.vc-prompter {font-size: 1.9rem; line-height: 1.55; padding: 1.2rem 1.5rem; border-radius: .8rem;
  background: #111827; color: #f9fafb; max-height: 20rem; overflow-y: auto;}
</style>
"""


@dataclass(frozen=True)
class SeverityStyle:
    """How findings of one severity are presented: heading, badge colour, chart colour, icon."""

    heading: str
    badge: str
    chart: str
    icon: str


#: Keyed by :data:`coach.rules.catalogue.SEVERITIES`; :data:`OTHER_SEVERITY` for anything else.
SEVERITY_STYLE = {
    "error": SeverityStyle("Fix these first", "red", "#d62728", ":material/error:"),
    "warning": SeverityStyle("Worth fixing", "orange", "#ff7f0e", ":material/warning:"),
    "suggestion": SeverityStyle("Polish", "blue", "#1f77b4", ":material/lightbulb:"),
}
OTHER_SEVERITY = SeverityStyle("Other", "gray", "#7f7f7f", ":material/info:")

#: The dial's colour for each verdict (:data:`coach.rules.scoring.VERDICT_WORDS`; floors in ``[verdict]``).
VERDICT_COLOURS = {"ready": "#16a34a", "almost": "#65a30d", "retake": "#d97706", "redo": "#dc2626"}
NOT_SCORED = ("#6b7280", "Not scored")


def setup_page() -> None:
    st.set_page_config(page_title="Voicemail Coach", page_icon=":material/voicemail:", layout="wide")
    st.html(_CSS)


def header() -> None:
    st.html(
        '<div class="vc-hero"><h1>Voicemail Coach</h1>'
        "<p>Practise the voicemail before you dial: record it, see what to fix, retake it.</p></div>"
    )


def verdict(key: str) -> tuple[str, str]:
    """Colour and words for a verdict key ("ready", ...: :func:`coach.rules.scoring.verdict_of`)."""
    if key not in VERDICT_WORDS:
        return NOT_SCORED
    return VERDICT_COLOURS[key], VERDICT_WORDS[key]


def score_card_html(score: int | None, verdict_key: str, subtitle: str = "", note: str = "") -> str:
    """The big score dial with its verdict; ``subtitle`` and ``note`` (why it is capped) are escaped here."""
    colour, words = verdict(verdict_key if score is not None else "")
    shown = "-" if score is None else str(int(score))
    return (
        f'<div class="vc-score"><div class="vc-dial" style="background:{colour}">{shown}</div>'
        f'<div><div class="vc-verdict">{html_text(words)}</div>'
        f'<div class="vc-sub">{html_text(subtitle)}</div>'
        + (f'<div class="vc-sub">{html_text(note)}</div>' if note else "")
        + "</div></div>"
    )


def teleprompter_html(script: str) -> str:
    """The script, large, for reading while recording (escaped, line breaks kept)."""
    paragraphs = [html_text(p.strip()) for p in script.splitlines() if p.strip()]
    return '<div class="vc-prompter">' + "<br>".join(paragraphs) + "</div>"
