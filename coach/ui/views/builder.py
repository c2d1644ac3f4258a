"""The Practice page's script builder: a short form, a script in two or three wordings, linted as it is typed.

The form's fields (labels, examples, help) are :mod:`coach.script.templates`'
``[fields]``; your name, company and number come from "Your details" in the
sidebar. The builder writes the chosen variant into an editable box; the box
keeps the rep's own edits until they ask to rewrite it from the form. Every
rerun (Streamlit reruns when the box is edited) lints the box's text with the
recording rules that judge words (:func:`coach.script.lint.lint_script`) and
draws it with each finding's words underlined: the text is HTML-escaped
first (:func:`coach.ui.safe.html_text`), and the findings go through
:func:`coach.ui.safe.md_text`. "Practise this" puts the script in the
teleprompter and the script box of the Practice page, so the take is then
compared with it (VM801).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from coach.errors import CoachError
from coach.rules.scoring import SEVERITY_RANK
from coach.script.builder import ScriptInputs, build, fields, missing
from coach.script.estimate import IN_BAND, Pace, history_pace
from coach.script.lint import ScriptLint, lint_script
from coach.ui.safe import html_text, md_text
from coach.ui.views import profile, theme
from coach.ui.views.report import finding_title

if TYPE_CHECKING:
    from coach.config import Config
    from coach.history.store import History

#: Session keys: the editable script, the text last written from the form, the chosen wording.
SCRIPT = "vc-builder-script"
LAST_BUILT = "vc-builder-last"
VARIANT = "vc-builder-variant"
REWRITE = "vc-builder-rewrite"
PRACTISED = "vc-builder-practised"
_PACE = "vc-builder-pace"
#: The form's fields on the page, in order (the rep's own come from the sidebar).
FORM = ("prospect", "prospect_company", "reason", "question", "next_attempt")
#: The Practice page's widgets that "Practise this" fills.
PRACTICE_SCRIPT = "vc-script"
PRACTICE_PROSPECT = "vc-prospect"


def form_key(field: str) -> str:
    return f"vc-builder-{field}"


def render(config: Config, history: History) -> None:
    """The builder, in its own expander."""
    with st.expander("Build a script", icon=":material/edit_note:"):
        st.caption(
            "Who you're calling and why: the coach writes the message in the shape the rules reward "
            "and checks it with the same rules as your recordings, as you edit it."
        )
        inputs = _form(config)
        scripts = build(inputs)
        names = [s.name for s in scripts]
        chosen = st.radio(
            "Wording",
            range(len(scripts)),
            format_func=lambda i: names[i],
            horizontal=True,
            key=VARIANT,
            on_change=_ask_rewrite,
        )
        built = scripts[chosen or 0].text
        _sync(built)
        text = st.text_area(
            "Your script: edit it freely, it is checked each time you change it",
            key=SCRIPT,
            height=200,
        )
        if text != st.session_state.get(LAST_BUILT):
            st.button(
                "Rewrite from the form",
                key="vc-builder-rewrite-go",
                icon=":material/restart_alt:",
                on_click=_ask_rewrite,
                help="Replaces your edits with the script written from the form.",
            )
        if not text.strip():
            st.info("Write or build a script to have it checked.", icon=":material/edit:")
            return
        rep = profile.current_rep(config)
        result = lint_script(text, config, pace=_pace(history, config), prospect=inputs.prospect or None, rep=rep)
        _lint(result)
        st.button(
            "Practise this",
            type="primary",
            icon=":material/mic:",
            key="vc-builder-practise",
            on_click=_practise,
            args=(text, inputs.prospect),
            help="Shows it in the teleprompter while you record, and compares your take with it.",
        )
        if st.session_state.pop(PRACTISED, False):
            st.success(
                "It's your script now: the Record mode below shows it in the teleprompter, and every take "
                "is compared with it.",
                icon=":material/check_circle:",
            )


def _form(config: Config) -> ScriptInputs:
    spec = fields()
    values = {}
    left, right = st.columns(2)
    for column, key in zip((left, right), FORM[:2], strict=True):
        values[key] = column.text_input(
            spec[key].label, key=form_key(key), placeholder=f"e.g. {spec[key].example}", help=spec[key].help
        )
    for key in FORM[2:]:
        values[key] = st.text_input(
            spec[key].label, key=form_key(key), placeholder=f"e.g. {spec[key].example}", help=spec[key].help
        )
    rep = profile.current_rep(config)
    inputs = ScriptInputs.with_profile(rep, **values)
    mine = [v for v in (inputs.rep_name, inputs.rep_company, inputs.number) if v]
    if mine:
        st.caption(f"You: {md_text(', '.join(mine))} (from Your details in the sidebar).")
    gaps = [spec[k].label.lower() for k in missing(inputs)]
    if gaps:
        st.caption(f"Still to fill in: {md_text(', '.join(gaps))}. Each is a [blank] in the script until then.")
    return inputs


def _ask_rewrite() -> None:
    st.session_state[REWRITE] = True


def _sync(built: str) -> None:
    """Put the newly built script in the box, unless the rep has edited what the form last wrote."""
    current = st.session_state.get(SCRIPT)
    forced = st.session_state.pop(REWRITE, False)
    if forced or current is None or current == st.session_state.get(LAST_BUILT):
        st.session_state[SCRIPT] = built
        st.session_state[LAST_BUILT] = built


def _practise(text: str, prospect: str) -> None:
    st.session_state[PRACTICE_SCRIPT] = text
    if prospect.strip():
        st.session_state[PRACTICE_PROSPECT] = prospect.strip()
    st.session_state[PRACTISED] = True


def _pace(history: History, config: Config) -> Pace:
    """The rep's pace, read from the history once per change in it (not on every keystroke)."""
    try:
        stamp = tuple(t.id for t in history.list_takes()[:20])
    except CoachError:
        stamp = ()
    cached = st.session_state.get(_PACE)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    pace = history_pace(history, config)
    st.session_state[_PACE] = (stamp, pace)
    return pace


# -- drawing ----------------------------------------------------------------------------------


def lint_html(result: ScriptLint) -> str:
    """The script with each finding's words underlined in its severity's colour and numbered as in
    the list below it. Every piece of the text is escaped; only the markup here is HTML."""
    text = result.text
    cuts = sorted({0, len(text), *(m.start for m in result.marks), *(m.end for m in result.marks)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = html_text(text[a:b]).replace("\n", "<br>")
        covering = [m for m in result.marks if m.start <= a and m.end >= b]
        if covering:
            found = [result.findings[m.finding] for m in covering]
            worst = min(found, key=lambda f: SEVERITY_RANK.get(f.severity, len(SEVERITY_RANK)))
            colour = theme.SEVERITY_STYLE.get(worst.severity, theme.OTHER_SEVERITY).chart
            title = html_text("; ".join(f"{f.code} {finding_title(f)}" for f in found))
            piece = (
                f'<span class="vc-lint" title="{title}" style="text-decoration:underline wavy {colour};'
                f'text-decoration-thickness:2px;text-underline-offset:4px">{piece}</span>'
            )
        ending = sorted({m.finding + 1 for m in result.marks if m.end == b})
        if ending:
            piece += f'<sup style="opacity:.7">{",".join(str(n) for n in ending)}</sup>'
        pieces.append(piece)
    return (
        '<div class="vc-lint-script" style="font-size:1.1rem;line-height:2;padding:.8rem 1.1rem;'
        'border:1px solid rgba(128,128,128,.25);border-radius:.6rem">' + "".join(pieces) + "</div>"
    )


def _lint(result: ScriptLint) -> None:
    estimate = result.estimate
    status = "ok" if estimate.status == IN_BAND else "off"
    left, right = st.columns([1, 3], vertical_alignment="center")
    left.metric(
        "Estimated length",
        f"{estimate.seconds:.0f} s",
        delta=f"target {estimate.min_s:g}-{estimate.max_s:g} s",
        delta_color="normal" if status == "ok" else "inverse",
        delta_arrow="off",
        border=True,
    )
    right.caption(md_text(estimate.describe()))
    st.html(lint_html(result))
    if not result.findings:
        st.success("Clean: no rule finds anything to fix in this script.", icon=":material/check_circle:")
        return
    lines = []
    for number, finding in enumerate(result.findings, start=1):
        style = theme.SEVERITY_STYLE.get(finding.severity, theme.OTHER_SEVERITY)
        lines.append(
            f"{number}. {style.icon} **{md_text(finding_title(finding))}** "
            f":{style.badge}-badge[{md_text(finding.code)}] {md_text(finding.message)}  \n"
            f"   :material/build: {md_text(finding.fix)}"
        )
    st.markdown("\n".join(lines))
