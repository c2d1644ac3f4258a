"""The History page: every take, the score over time, two takes compared, deleting a take."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd
import streamlit as st

from coach.errors import CoachError
from coach.history.store import History, TakeSummary
from coach.ui import state
from coach.ui.safe import md_text
from coach.ui.views import theme
from coach.ui.views.compare import Comparison, compare_reports
from coach.ui.views.report import finding_title, render_report

if TYPE_CHECKING:
    from coach.config import Config

SOURCE_WORDS = {"record": "Recorded", "upload": "Uploaded", "sample": "Sample", "cli": "Command line"}


def take_label(t: TakeSummary) -> str:
    """One line naming a take in a picker (plain text, never Markdown)."""
    when = t.created_at.astimezone().strftime("%d %b %H:%M")
    score = "-" if t.score is None else str(t.score)
    return f"#{t.id} · {when} · score {score} · {t.file_name}"


def render(config: Config) -> None:
    history = state.open_history("history")
    if history is None:
        return
    try:
        takes = history.list_takes()
    except CoachError as exc:
        st.error(str(exc))
        return
    st.subheader("Your progress")
    if not takes:
        st.info(
            "No takes yet. Record or upload a message on the Practice tab and it will appear here.",
            icon=":material/history:",
        )
        return
    _summary(takes)
    _score_chart(history, config)
    _table(takes)
    st.divider()
    _compare(history, takes, config)
    st.divider()
    _open_take(history, takes, config)
    _delete(history, takes)


def _summary(takes: list[TakeSummary]) -> None:
    scored = [t.score for t in takes if t.score is not None]
    c1, c2, c3 = st.columns(3)
    c1.metric("Takes", len(takes), border=True)
    if scored:
        latest, first = scored[0], scored[-1]
        c2.metric(
            "Latest score",
            latest,
            delta=f"{latest - first:+d} since your first take" if len(scored) > 1 else None,
            border=True,
        )
        c3.metric("Best score", max(scored), border=True)


def _score_chart(history: History, config: Config) -> None:
    series = history.score_series()
    if len(series) < 2:
        st.caption("Your score over time appears here from your second take.")
        return
    frame = pd.DataFrame(
        {
            "take": list(range(1, len(series) + 1)),
            "id": [p.id for p in series],
            "score": [p.score for p in series],
            "when": [p.created_at.astimezone().strftime("%d %b %H:%M") for p in series],
        }
    )
    base = alt.Chart(frame).encode(
        x=alt.X("take:Q", title="Take", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("score:Q", title="Score", scale=alt.Scale(domain=[0, 100])),
        tooltip=[
            alt.Tooltip("id:Q", title="Take #"),
            alt.Tooltip("when:N", title="When"),
            alt.Tooltip("score:Q", title="Score"),
        ],
    )
    ready = (
        alt.Chart(pd.DataFrame({"y": [config.verdict.ready]}))
        .mark_rule(strokeDash=[4, 4], color=theme.VERDICT_COLOURS["ready"])
        .encode(y="y:Q")
    )
    chart = ready + base.mark_line(color="#4c78a8") + base.mark_circle(size=80, color="#4c78a8")
    st.altair_chart(chart.properties(height=220), width="stretch")
    label = f"{theme.verdict('ready')[1].lower()} ({config.verdict.ready}+, with no core rule broken)"
    st.caption(f"Dashed line: {label}.")


def _table(takes: list[TakeSummary]) -> None:
    frame = pd.DataFrame(
        {
            "Take": [f"#{t.id}" for t in takes],
            "When": [t.created_at.astimezone().strftime("%d %b %Y %H:%M") for t in takes],
            "Score": [t.score for t in takes],
            "Length (s)": [round(t.duration_s, 1) for t in takes],
            "Prospect": [t.prospect or "" for t in takes],
            "How": [SOURCE_WORDS.get(t.source, t.source) for t in takes],
            "File": [t.file_name for t in takes],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "Score": st.column_config.ProgressColumn("Score", min_value=0, max_value=100, format="%d"),
            "Length (s)": st.column_config.NumberColumn("Length (s)", format="%.1f"),
        },
    )


def _compare(history: History, takes: list[TakeSummary], config: Config) -> None:
    st.subheader("Compare two takes")
    if len(takes) < 2:
        st.caption("Make a second take to compare it with the first.")
        return
    labels = {t.id: take_label(t) for t in takes}
    ids = list(labels)
    c1, c2 = st.columns(2)
    before = c1.selectbox("Earlier take", ids, index=1, format_func=labels.__getitem__, key="vc-cmp-a")
    after = c2.selectbox("Later take", ids, index=0, format_func=labels.__getitem__, key="vc-cmp-b")
    if before is None or after is None or before == after:
        st.caption("Pick two different takes.")
        return
    try:
        a, b = history.get_take(before), history.get_take(after)
    except CoachError as exc:
        st.error(str(exc))
        return
    render_comparison(compare_reports(a.report, b.report, config), before, after)


def render_comparison(comparison: Comparison, before_id: int, after_id: int) -> None:
    s1, s2, s3 = st.columns(3)
    s1.metric(
        f"Score, take #{before_id}", "-" if comparison.score_before is None else comparison.score_before, border=True
    )
    delta = comparison.score_delta
    s2.metric(
        f"Score, take #{after_id}",
        "-" if comparison.score_after is None else comparison.score_after,
        delta=None if delta is None else f"{delta:+d} points",
        border=True,
    )
    s3.metric(
        "Findings",
        len(comparison.appeared) + len(comparison.stayed),
        delta=f"{len(comparison.went_away)} fixed, {len(comparison.appeared)} new",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    rows = []
    for change in comparison.figures:
        verdict = {True: "Better", False: "Worse", None: "Same"}[change.better]
        rows.append(
            {
                "Figure": change.label,
                f"Take #{before_id}": change.before.text,
                f"Take #{after_id}": change.after.text,
                "Target": change.before.spec.target,
                "Change": verdict,
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    columns = (
        ("**:green[Fixed]**", ":material/check_circle:", comparison.went_away, "Nothing went away."),
        ("**:red[New]**", ":material/add_circle:", comparison.appeared, "Nothing new went wrong."),
        ("**:orange[Still there]**", ":material/radio_button_unchecked:", comparison.stayed, "Nothing carried over."),
    )
    for column, (title, icon, findings, none) in zip(st.columns(len(columns)), columns, strict=True):
        with column:
            st.markdown(title)
            for f in findings:
                st.markdown(f"{icon} {md_text(finding_title(f))}")
            if not findings:
                st.caption(none)


def _open_take(history: History, takes: list[TakeSummary], config: Config) -> None:
    st.subheader("Look back at a take")
    labels = {t.id: take_label(t) for t in takes}
    chosen = st.selectbox(
        "Take",
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        key="vc-open",
        placeholder="Choose a take to see its full report",
    )
    if chosen is None:
        return
    try:
        take = history.get_take(chosen)
    except CoachError as exc:
        st.error(str(exc))
        return
    with st.container(border=True):
        render_report(take, key=f"hist-{take.id}", config=config)


def _delete(history: History, takes: list[TakeSummary]) -> None:
    with st.expander("Delete a take", icon=":material/delete:"):
        labels = {t.id: take_label(t) for t in takes}
        chosen = st.selectbox("Take to delete", list(labels), format_func=labels.__getitem__, key="vc-del")
        sure = st.checkbox("Yes, delete this take and its recording for good", key="vc-del-sure")
        if st.button("Delete take", type="secondary", disabled=not sure, key="vc-del-go") and chosen is not None:
            try:
                history.delete_take(chosen)
            except CoachError as exc:
                st.error(str(exc))
                return
            if state.current_take_id() == chosen:
                state.set_current_take(None)
            st.session_state.pop("vc-del-sure", None)
            st.toast(f"Deleted take #{chosen}.")
            st.rerun()
