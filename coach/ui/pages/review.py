"""The Review tab: a trainer's view of the team's takes.

From the top: add recordings (many files or a ZIP, through the same batch
code as ``coach batch``); the team (figures, what most reps hit, the score
distribution); each rep (first, best, latest, trend, what recurs, against the
team); the table of takes, failing ones first, with filters; one take opened
in the report view the Practice page uses, with the trainer's tools beside it
(verdict, notes pinned to a moment, findings marked wrong or added); exports
and re-scoring with the current settings. Every figure comes from
:mod:`coach.history.review`, so the page, ``coach batch`` and the exports agree.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd
import streamlit as st

from coach.batch import RepRules, run_batch
from coach.clock import clock, parse_clock
from coach.errors import CoachError
from coach.history import export, review
from coach.history.review import VERDICT_WORDS, Judged
from coach.history.store import History, Take
from coach.rules.catalogue import BY_CODE, CODES, SEVERITIES
from coach.ui import state
from coach.ui.safe import md_text, safe_filename
from coach.ui.views import theme
from coach.ui.views.report import choose_take, finding_title, render_report

if TYPE_CHECKING:
    from coach.config import Config

UPLOAD_TYPES = ["wav", "mp3", "m4a", "ogg", "flac", "webm", "zip"]
OPEN_KEY = "vc-review-open"
AUTHOR_KEY = "vc-review-author"
FREE_TEXT = "Something else (free text)"


def render(config: Config) -> None:
    history = state.open_history("review")
    if history is None:
        return
    _add_recordings(history, config)
    try:
        takes = history.load_takes()
    except CoachError as exc:
        st.error(str(exc))
        return
    if not takes:
        st.info(
            "No takes yet. Add your team's recordings above (one folder per rep in a ZIP works best), or run "
            "`coach batch FOLDER` on the command line.",
            icon=":material/groups:",
        )
        return
    judged = review.judge_all(takes, config)
    _team(judged, config)
    st.divider()
    _reps(judged, config)
    st.divider()
    shown = _table(judged, config)
    _exports(shown, config)
    st.divider()
    _open_take(history, judged, config)
    st.divider()
    _rescore(history, config)


# -- adding recordings ---------------------------------------------------------------


def _add_recordings(history: History, config: Config) -> None:
    with st.expander("Add recordings", icon=":material/upload:", expanded=len(history) == 0):
        st.caption(
            "Drop many voicemails or a ZIP of the team's folder (one folder per rep). Recordings already "
            "analysed are skipped."
        )
        files = st.file_uploader(
            "Recordings or ZIP archives", type=UPLOAD_TYPES, accept_multiple_files=True, key="vc-review-upload"
        )
        c1, c2 = st.columns(2)
        pattern = c1.text_input(
            "Rep from the file name (optional)",
            key="vc-review-pattern",
            placeholder="{rep}_*.wav",
            help="A pattern with {rep} where the rep's name is: alex_monday.wav gives alex.",
        )
        default = c2.text_input(
            "Rep for the rest (optional)",
            key="vc-review-default-rep",
            help="For files that are not in a rep's folder and do not match the pattern; else unassigned.",
        )
        if not st.button(
            f"Analyse {len(files or [])} upload{'s' if len(files or []) != 1 else ''}",
            type="primary",
            disabled=not files,
            key="vc-review-go",
            icon=":material/play_arrow:",
        ):
            return
        try:
            rules = RepRules(pattern=pattern.strip() or None, default=default.strip() or None)
        except CoachError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        with tempfile.TemporaryDirectory(prefix="coach-review-") as folder:
            paths, names = [], {}
            for n, upload in enumerate(files or []):
                target = Path(folder) / f"{n:03d}-{safe_filename(upload.name)}"
                target.write_bytes(upload.getvalue())
                paths.append(target)
                names[str(target)] = upload.name
            bar = st.progress(0.0, text="Reading the uploads...")

            def progress(done: int, total: int, result: object) -> None:
                name = getattr(getattr(result, "item", None), "name", "")
                bar.progress(done / total if total else 1.0, text=f"{done} of {total} · {name}")

            def waiting(ahead: int) -> None:
                bar.progress(0.0, text=state.waiting_label(ahead))

            try:
                with state.analysis_queue().turn(on_wait=waiting):
                    outcome = run_batch(
                        paths,
                        history,
                        config,
                        rules=rules,
                        workers=1,
                        analyzer=state.analyzer(),
                        names=names,
                        progress=progress,
                    )
            except CoachError as exc:
                st.error(str(exc), icon=":material/error:")
                return
        summary = (
            f"{outcome.count('analysed')} analysed, {outcome.count('skipped')} already there, "
            f"{len(outcome.failed)} could not be used."
        )
        (st.warning if outcome.failed else st.success)(summary)
        for name, error in outcome.failed:
            st.error(f"{md_text(name)}: {md_text(error)}", icon=":material/error:")


# -- the team ---------------------------------------------------------------------------


def _team(judged: list[Judged], config: Config) -> None:
    st.subheader("Your team")
    summaries = review.rep_summaries(judged)
    average = review.team_average(judged)
    passed = sum(j.passed for j in judged)
    c = st.columns(4)
    c[0].metric("Takes", len(judged), border=True)
    c[1].metric("Reps", len(summaries), border=True)
    c[2].metric("Team average", "-" if average is None else f"{average:.0f}", border=True)
    c[3].metric(f"Passed (≥ {config.pass_mark})", f"{passed} of {len(judged)}", border=True)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**What to train next:** the findings most reps hit")
        counts = review.finding_counts(judged)[:8]
        if not counts:
            st.caption("No findings anywhere. Nothing to train.")
        else:
            frame = pd.DataFrame(
                {
                    "finding": [f"{c.code} {review.title(c.name)}" for c in counts],
                    "reps": [c.reps for c in counts],
                    "takes": [c.takes for c in counts],
                }
            )
            chart = (
                alt.Chart(frame)
                .mark_bar(color="#e8590c")
                .encode(
                    x=alt.X("reps:Q", title="Reps", axis=alt.Axis(tickMinStep=1, format="d")),
                    y=alt.Y("finding:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
                    tooltip=["finding", "reps", "takes"],
                )
            )
            st.altair_chart(chart.properties(height=34 * len(counts) + 30), width="stretch")
    with right:
        st.markdown("**Score distribution**")
        frame = pd.DataFrame({"score": [j.score for j in judged]})
        bars = (
            alt.Chart(frame)
            .mark_bar(color="#4c78a8")
            .encode(
                x=alt.X("score:Q", bin=alt.Bin(extent=[0, 100], step=10), title="Score"),
                y=alt.Y("count():Q", title="Takes", axis=alt.Axis(tickMinStep=1, format="d")),
            )
        )
        mark = (
            alt.Chart(pd.DataFrame({"x": [config.pass_mark]}))
            .mark_rule(strokeDash=[4, 4], color=theme.VERDICT_COLOURS["ready"])
            .encode(x="x:Q")
        )
        st.altair_chart((bars + mark).properties(height=220), width="stretch")
        st.caption(f"Dashed line: the pass mark ({config.pass_mark}).")


def _reps(judged: list[Judged], config: Config) -> None:
    st.subheader("Each rep")
    summaries = {s.rep: s for s in review.rep_summaries(judged)}
    average = review.team_average(judged) or 0.0
    rows = [
        {
            "Rep": s.rep,
            "Takes": s.takes,
            "First": s.first,
            "Best": s.best,
            "Latest": s.latest,
            "Average": round(s.average),
            "Passed": f"{s.passed}/{s.takes}",
            "Main problem": f"{s.main_problem.code} {review.title(s.main_problem.name)}" if s.main_problem else "-",
        }
        for s in summaries.values()
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    rep = st.selectbox("Rep", list(summaries), key="vc-review-rep")
    if rep is None:
        return
    s = summaries[rep]
    c = st.columns(4)
    c[0].metric("First score", s.first, border=True)
    c[1].metric("Best score", s.best, border=True)
    c[2].metric("Latest score", s.latest, delta=f"{s.latest - s.first:+d} since the first", border=True)
    c[3].metric(
        "Average", f"{s.average:.0f}", delta=f"{s.average - average:+.0f} against the team average", border=True
    )
    left, right = st.columns([3, 2], gap="large")
    with left:
        if len(s.trend) < 2:
            st.caption("The trend appears from the rep's second take.")
        else:
            frame = pd.DataFrame(
                {
                    "take": list(range(1, len(s.trend) + 1)),
                    "score": [score for _, score, _ in s.trend],
                    "id": [f"#{take_id}" for _, _, take_id in s.trend],
                    "when": [when.astimezone().strftime("%d %b %H:%M") for when, _, _ in s.trend],
                }
            )
            base = alt.Chart(frame).encode(
                x=alt.X("take:Q", title="Take", axis=alt.Axis(tickMinStep=1, format="d")),
                y=alt.Y("score:Q", title="Score", scale=alt.Scale(domain=[0, 100])),
                tooltip=["id", "when", "score"],
            )
            mark = (
                alt.Chart(pd.DataFrame({"y": [config.pass_mark]}))
                .mark_rule(strokeDash=[4, 4], color=theme.VERDICT_COLOURS["ready"])
                .encode(y="y:Q")
            )
            st.altair_chart((mark + base.mark_line() + base.mark_circle(size=70)).properties(height=200))
    with right:
        st.markdown(f"**What recurs for {md_text(rep)}**")
        if not s.recurring:
            st.caption("Nothing recurs.")
        for c_ in s.recurring[:5]:
            unit = "take" if s.takes == 1 else "takes"
            st.markdown(f"- **{md_text(c_.code)}** {md_text(review.title(c_.name))}: {c_.takes} of {s.takes} {unit}")


# -- the table of takes -------------------------------------------------------------------


def _table(judged: list[Judged], config: Config) -> list[Judged]:
    st.subheader("Takes")
    reps = sorted({j.rep for j in judged}, key=str.casefold)
    codes = sorted({f.code for j in judged for f in j.findings})
    f1, f2, f3, f4 = st.columns([2, 2, 2, 2])
    chosen_reps = f1.multiselect("Rep", reps, key="vc-review-f-rep", placeholder="All reps")
    chosen_codes = f2.multiselect(
        "Finding",
        codes,
        key="vc-review-f-code",
        placeholder="Any finding",
        format_func=lambda c: f"{c} {review.title(BY_CODE[c].name)}" if c in BY_CODE else c,
    )
    low, high = f3.slider("Score", 0, 100, (0, 100), key="vc-review-f-score")
    days = sorted(j.created_at.astimezone().date() for j in judged)
    span = f4.date_input("Date", (days[0], days[-1]), key="vc-review-f-date")
    first, last = _date_span(span, days[0], days[-1])
    shown = [
        j
        for j in review.attention_order(judged)
        if (not chosen_reps or j.rep in chosen_reps)
        and (not chosen_codes or any(f.code in chosen_codes for f in j.findings))
        and low <= j.score <= high
        and first <= j.created_at.astimezone().date() <= last
    ]
    frame = pd.DataFrame(
        {
            "Take": [f"#{j.take.id}" for j in shown],
            "Rep": [j.rep for j in shown],
            "Date": [j.created_at.astimezone().replace(tzinfo=None) for j in shown],
            "Verdict": [VERDICT_WORDS[j.verdict] for j in shown],
            "Score": [j.machine_score for j in shown],
            "Trainer score": [j.score for j in shown],
            "Top findings": [", ".join(f"{f.code} {finding_title(f)}" for f in j.findings[:3]) for j in shown],
            "Length (s)": [round(j.take.duration_s) for j in shown],
            "Pace (wpm)": [round(j.take.report.metrics.wpm) for j in shown],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "Take": st.column_config.TextColumn("Take", width="small"),
            "Date": st.column_config.DatetimeColumn("Date", format="D MMM HH:mm"),
            "Score": st.column_config.NumberColumn("Score", width="small", help="The coach's score"),
            "Trainer score": st.column_config.NumberColumn(
                "Trainer score", width="small", help="The coach's score adjusted by your overrides"
            ),
            "Top findings": st.column_config.TextColumn("Top findings", width="large"),
        },
    )
    st.caption(
        f"{len(shown)} of {len(judged)} takes. Takes below the pass mark ({config.pass_mark}) come first, then the "
        "newest; click a column to sort by it. Score: the coach's; trainer score: after your overrides."
    )
    return shown


def _date_span(value: object, first: date, last: date) -> tuple[date, date]:
    if isinstance(value, (tuple, list)):
        if len(value) == 2:
            return value[0], value[1]
        if len(value) == 1:
            return value[0], value[0]
        return first, last
    if isinstance(value, date):
        return value, value
    return first, last


def _exports(shown: list[Judged], config: Config) -> None:
    if not shown:
        return
    c1, c2, c3 = st.columns(3)
    stamp = datetime.now().strftime("%Y%m%d")
    c1.download_button(
        "Spreadsheet (CSV)",
        lambda: export.to_csv(shown, config),
        file_name=f"team-voicemails-{stamp}.csv",
        mime="text/csv",
        icon=":material/table:",
        key="vc-review-csv",
    )
    c2.download_button(
        "Full reports (JSON)",
        lambda: export.to_json(shown, config),
        file_name=f"team-voicemails-{stamp}.json",
        mime="application/json",
        icon=":material/data_object:",
        key="vc-review-json",
    )
    c3.download_button(
        "Team report to e-mail (HTML)",
        lambda: export.to_html(shown, config),
        file_name=f"team-voicemails-{stamp}.html",
        mime="text/html",
        icon=":material/mail:",
        key="vc-review-html",
    )
    st.caption(
        "The exports hold the takes the filters show (made when you click). The HTML report opens offline and "
        "prints to PDF."
    )


# -- one take -----------------------------------------------------------------------------


def take_label(j: Judged) -> str:
    when = j.created_at.astimezone().strftime("%d %b %H:%M")
    return f"#{j.take.id} · {j.rep} · {when} · {j.score} · {VERDICT_WORDS[j.verdict]} · {j.take.file_name}"


def _open_take(history: History, judged: list[Judged], config: Config) -> None:
    st.subheader("Review a take")
    ordered = review.attention_order(judged)
    labels = {j.take.id: take_label(j) for j in ordered}
    take = choose_take(history, labels, key=OPEN_KEY, placeholder="Choose a take: the first ones need you most")
    if take is None:
        return
    st.text_input("Your name, shown on your notes", key=AUTHOR_KEY, placeholder="e.g. Pat (trainer)")
    tools, notes = st.columns(2, gap="large")
    with tools:
        _verdict(history, take, config)
        _dismiss(history, take)
        _add_finding(history, take)
    with notes:
        _notes(history, take)
        _overrides_list(history, take)
    with st.container(border=True):
        render_report(take, key=f"review-{take.id}", config=config)


def _author() -> str:
    return str(st.session_state.get(AUTHOR_KEY, "") or "").strip()


def _verdict(history: History, take: Take, config: Config) -> None:
    judged = review.judge(take, config)
    options = ["score", "passed", "retake"]
    words = {
        "score": f"By the score ({VERDICT_WORDS['passed' if judged.score >= config.pass_mark else 'retake'].lower()})",
        "passed": VERDICT_WORDS["passed"],
        "retake": VERDICT_WORDS["retake"],
    }
    current = take.verdict or "score"
    picked = st.radio(
        "Verdict",
        options,
        index=options.index(current),
        format_func=words.__getitem__,
        horizontal=True,
        key=f"vc-review-verdict-{take.id}",
    )
    if picked != current:
        history.set_verdict(take.id, None if picked == "score" else picked)
        st.rerun()
    st.caption(
        f"Coach's score {judged.machine_score if judged.machine_score is not None else '-'} · "
        f"trainer's score {judged.score} · pass mark {config.pass_mark}"
    )


def _dismiss(history: History, take: Take) -> None:
    codes = list(dict.fromkeys(f.code for f in take.report.findings))
    dismissed = {o.code for o in take.overrides if o.action == "dismiss"}
    open_codes = [c for c in codes if c not in dismissed]
    with st.form(f"vc-review-dismiss-{take.id}", clear_on_submit=True, border=True):
        st.markdown("**Mark a finding wrong**")
        names = {f.code: f"{f.code} {finding_title(f)}" for f in take.report.findings}
        code = st.selectbox("Finding", open_codes, format_func=names.__getitem__, key=f"vc-review-dcode-{take.id}")
        reason = st.text_input("Why is it wrong?", key=f"vc-review-dreason-{take.id}")
        if st.form_submit_button("Mark wrong", disabled=not open_codes) and code is not None:
            try:
                history.dismiss_finding(take.id, code, reason, author=_author())
            except CoachError as exc:
                st.error(str(exc))
                return
            st.rerun()


def _add_finding(history: History, take: Take) -> None:
    with st.form(f"vc-review-add-{take.id}", clear_on_submit=True, border=True):
        st.markdown("**Add a finding the rules missed**")
        options = [FREE_TEXT, *CODES]
        code = st.selectbox(
            "Rule",
            options,
            key=f"vc-review-acode-{take.id}",
            format_func=lambda c: c if c == FREE_TEXT else f"{c} {review.title(BY_CODE[c].name)}",
        )
        text = st.text_input("What you heard", key=f"vc-review-atext-{take.id}")
        severity = st.selectbox("Severity", SEVERITIES, index=1, key=f"vc-review-asev-{take.id}")
        fix = st.text_input("How to fix it (optional)", key=f"vc-review-afix-{take.id}")
        if st.form_submit_button("Add finding"):
            try:
                history.add_finding(
                    take.id,
                    text,
                    severity,
                    code=None if code == FREE_TEXT else code,
                    reason=fix,
                    author=_author(),
                )
            except CoachError as exc:
                st.error(str(exc))
                return
            st.rerun()


def _notes(history: History, take: Take) -> None:
    with st.form(f"vc-review-note-{take.id}", clear_on_submit=True, border=True):
        st.markdown("**Leave a note**")
        c1, c2 = st.columns([1, 3])
        at = c1.text_input("At (m:ss)", key=f"vc-review-nat-{take.id}", placeholder="0:12")
        text = c2.text_input("Note", key=f"vc-review-ntext-{take.id}", placeholder="slow down on the number")
        if st.form_submit_button("Add note"):
            try:
                history.add_note(take.id, text, at_s=parse_clock(at), author=_author())
            except (CoachError, ValueError) as exc:
                st.error(str(exc))
                return
            st.rerun()
    for note in take.notes:
        c1, c2 = st.columns([6, 1])
        when = f"at {clock(note.at_s)}: " if note.at_s is not None else ""
        c1.markdown(f":material/push_pin: {md_text(when + note.text)}")
        if c2.button("Delete", key=f"vc-review-ndel-{note.id}", type="tertiary"):
            history.delete_note(note.id)
            st.rerun()


def _overrides_list(history: History, take: Take) -> None:
    for o in take.overrides:
        c1, c2 = st.columns([6, 1])
        if o.action == "dismiss":
            c1.markdown(f":material/block: Marked wrong: **{md_text(o.code)}**: {md_text(o.reason)}")
        else:
            label = o.code if o.code in BY_CODE else "Trainer's finding"
            c1.markdown(f":material/add_circle: Added **{md_text(label)}** ({md_text(o.severity)}): {md_text(o.text)}")
        if c2.button("Undo", key=f"vc-review-odel-{o.id}", type="tertiary"):
            history.delete_override(o.id)
            st.rerun()


# -- re-scoring ----------------------------------------------------------------------------


def _rescore(history: History, config: Config) -> None:
    with st.expander("Re-score stored takes with the current settings", icon=":material/tune:"):
        st.caption(
            "Runs the rules with the team settings (coach.toml) over every stored report, without transcribing "
            "again. Each take gets a new coach's score; your notes, overrides and verdicts stay."
        )
        if st.button("Re-score all takes", key="vc-review-rescore", icon=":material/refresh:"):
            try:
                result = review.rescore(history, config)
            except CoachError as exc:
                st.error(str(exc))
                return
            st.success(
                f"Re-scored {result.takes} takes in {result.seconds:.1f} s: {result.changed} changed "
                f"(settings {result.fingerprint})."
            )
