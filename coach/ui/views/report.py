"""One take's report on screen: score, figures, what to fix, what worked, and the details.

Everything from the user or the recording (file name, prospect, transcript,
the rules' messages, which quote the transcript) goes through
:mod:`coach.ui.safe` before it reaches Markdown or HTML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import streamlit as st

from coach.clock import clock, length
from coach.errors import CoachError
from coach.history.store import Take
from coach.report import Finding, Report
from coach.rules.catalogue import SEVERITIES
from coach.rules.reliability import missing_speech
from coach.rules.scoring import CORE_CAP, verdict_of, why_capped
from coach.ui import state
from coach.ui.safe import md_text
from coach.ui.views import cost, theme
from coach.ui.views import script as script_view
from coach.ui.views.figures import HEADLINE, Figure, key_figures
from coach.ui.views.timeline import timeline_chart
from coach.ui.views.transcript import kinds_present, legend_html, transcript_html

if TYPE_CHECKING:
    from coach.config import Config

#: Start playback this long before the moment a finding points at.
LEAD_IN_S = 1.5


def finding_title(finding: Finding) -> str:
    """``too-long`` -> ``Too long``."""
    words = finding.name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else finding.code


def grouped_findings(report: Report) -> list[tuple[str, list[Finding]]]:
    """Findings by severity, most severe first (unknown severities last)."""
    order = list(SEVERITIES) + sorted({f.severity for f in report.findings} - set(SEVERITIES))
    return [
        (s, [f for f in report.findings if f.severity == s])
        for s in order
        if any(f.severity == s for f in report.findings)
    ]


def render_report(take: Take, *, key: str, config: Config, previous_score: int | None = None) -> None:
    """The whole report of ``take``; ``key`` keeps widget keys unique on the page."""
    report = take.report
    _score_header(take, previous_score, config)
    missing = missing_speech(report)
    if missing:
        st.warning(md_text(missing), icon=":material/hearing:")
    _figures(report, config)
    st.divider()
    left, right = st.columns([3, 2], gap="large")
    with left:
        _findings(take, key)
    with right:
        _strengths(report)
        _breakdown(report)
    st.divider()
    names = ["Transcript", "Timeline", "Hear it as they will", "What it costs your calling block"]
    diff = report.script_diff
    if diff is not None:
        names.insert(1, "Your script")
    tabs = dict(zip(names, st.tabs(names), strict=False))
    with tabs["Transcript"]:
        _transcript(report)
    if diff is not None:
        with tabs["Your script"]:
            st.markdown(script_view.summary(diff))
            st.html(script_view.legend_html())
            st.html(script_view.diff_html(diff))
    with tabs["Timeline"]:
        _timeline(report)
    with tabs["Hear it as they will"]:
        _phone(take)
    with tabs["What it costs your calling block"]:
        _cost(report, key, config)


def _subtitle(take: Take) -> str:
    parts = [take.file_name, f"{take.duration_s:.1f} s"]
    if take.prospect:
        parts.append(f"for {take.prospect}")
    parts.append(take.created_at.astimezone().strftime("%d %b %H:%M"))
    return " · ".join(parts)


def _score_header(take: Take, previous_score: int | None, config: Config) -> None:
    report = take.report
    score = report.score.value if report.score is not None else None
    key = verdict_of(report.score, report.findings, config.verdict)
    dial, summary, listen = st.columns([5, 3, 4], gap="medium", vertical_alignment="center")
    with dial:
        note = why_capped(report.score) if report.score is not None else ""
        st.html(theme.score_card_html(score, key, _subtitle(take), note))
    with summary:
        if score is not None and previous_score is not None:
            change = score - previous_score
            st.metric(
                "Since your last take",
                f"{score}",
                delta=f"{change:+d} points",
                delta_color="normal" if change else "off",
            )
        counts = {s: sum(f.severity == s for f in report.findings) for s in SEVERITIES}
        fixes = sum(counts.values())
        if fixes:
            st.markdown(
                f"**{fixes} thing{'s' if fixes != 1 else ''} to fix**, "
                f"{len(report.strengths)} strength{'s' if len(report.strengths) != 1 else ''}"
            )
        else:
            st.markdown("**Nothing to fix.** Leave it just like that.")
    with listen:
        wav = _playback(take)
        if wav is not None:
            st.caption("Your take")
            st.audio(wav, format="audio/wav")


def _playback(take: Take) -> bytes | None:
    try:
        return state.playback_wav(*state.audio_key(take.audio_path))
    except CoachError:
        return None


def _figure_metric(figure: Figure) -> None:
    colours: dict[str, Literal["green", "gray", "yellow", "orange"]] = {
        "ok": "green",
        "n/a": "gray",
        "near_low": "yellow",
        "near_high": "yellow",
    }
    colour = colours.get(figure.status) or "orange"
    st.metric(
        figure.spec.label,
        figure.text,
        delta=f"{figure.verdict} · target {figure.spec.target}",
        delta_color=colour,
        delta_arrow="off",
        border=True,
        help=figure.spec.help or None,
    )


def _figures(report: Report, config: Config) -> None:
    st.subheader("Key figures")
    figures = key_figures(report, config)
    headline = [f for f in figures if f.spec.key in HEADLINE]
    others = [f for f in figures if f.spec.key not in HEADLINE]
    for row in (headline, others):
        for column, figure in zip(st.columns(len(row)), row, strict=False):
            with column:
                _figure_metric(figure)


def _findings(take: Take, key: str) -> None:
    report = take.report
    st.subheader("What to fix")
    groups = grouped_findings(report)
    if not groups:
        st.success("No problems found. This message is ready for your calling block.")
        return
    wav = None
    for severity, findings in groups:
        style = theme.SEVERITY_STYLE.get(severity, theme.OTHER_SEVERITY)
        st.markdown(f"#### {style.icon} {style.heading}")
        for _i, finding in enumerate(findings):
            with st.container(border=True):
                st.markdown(
                    f"**{md_text(finding_title(finding))}** &nbsp; :{style.badge}-badge[{md_text(finding.code)}]"
                )
                st.markdown(md_text(finding.message))
                st.markdown(f":material/build: **How to fix:** {md_text(finding.fix)}")
                if finding.evidence:
                    st.caption(md_text(finding.evidence))
                if finding.start_s is not None:
                    wav = wav if wav is not None else _playback(take)
                    if wav is not None:
                        start = max(0.0, finding.start_s - LEAD_IN_S)
                        with st.expander(f"Listen from {clock(start)}", icon=":material/play_circle:"):
                            st.audio(wav, format="audio/wav", start_time=start)


def _strengths(report: Report) -> None:
    st.subheader("What worked")
    if not report.strengths:
        st.caption("Nothing stood out yet: fix the top item and your strengths will show here.")
    for strength in report.strengths:
        st.success(f"**{md_text(strength.name)}**: {md_text(strength.message)}", icon=":material/thumb_up:")


def _breakdown(report: Report) -> None:
    if report.score is None:
        return
    with st.expander("How this score was worked out"):
        lines = ["| | Points |", "|---|---:|", "| Start | 100 |"]
        for item in report.score.breakdown:
            if item.code == CORE_CAP:
                lines.append(f"| Capped: a core rule is broken | -{item.points:g} |")
                continue
            name = md_text(item.name.replace("-", " "))
            lines.append(f"| {name} ({md_text(item.severity)}) | -{item.points:g} |")
        lines.append(f"| **Score** | **{report.score.value}** |")
        st.markdown("\n".join(lines))
        why = why_capped(report.score)
        if why:
            st.caption(md_text(why))


def _transcript(report: Report) -> None:
    present = kinds_present(report)
    if present:
        st.html(legend_html(present))
    st.html(transcript_html(report))
    if report.schema_version < 2 and report.words:
        st.caption("This take was analysed by an earlier version of the coach, which kept no highlights.")
    if report.model:
        st.caption(f"Transcribed by Whisper {md_text(report.model)} on this machine.")


def _timeline(report: Report) -> None:
    if report.contours is None:
        st.info("No timeline for this take.")
        return
    st.altair_chart(timeline_chart(report), width="stretch")
    st.caption(
        "Loudness (blue, left axis) and pitch (red, right axis) over the message. "
        "Grey bands are pauses; coloured bands mark where a finding points."
    )


def _phone(take: Take) -> None:
    st.markdown(
        "Prospects hear your voicemail through a phone line: only 300-3400 Hz, 8000 samples a "
        "second, squeezed to 8 bits (mu-law). Mumbled words and a rushed number suffer most."
    )
    try:
        phone = state.phone_wav(*state.audio_key(take.audio_path))
    except CoachError as exc:
        st.warning(str(exc))
        return
    original, line = st.columns(2)
    with original:
        st.caption("As you recorded it")
        wav = _playback(take)
        if wav is not None:
            st.audio(wav, format="audio/wav")
    with line:
        st.caption("As the prospect hears it")
        st.audio(phone, format="audio/wav")


def _cost(report: Report, key: str, config: Config) -> None:
    a, b, c = st.columns(3)
    per_hour = a.number_input(
        "Voicemails per hour",
        min_value=0,
        max_value=200,
        value=int(cost.DEFAULT_MESSAGES_PER_HOUR),
        step=1,
        key=f"{key}-per-hour",
    )
    hours = b.number_input(
        "Hours in your calling block",
        min_value=0.0,
        max_value=24.0,
        value=cost.DEFAULT_HOURS,
        step=0.5,
        format="%.1f",
        key=f"{key}-hours",
    )
    rate_pct = c.number_input(
        "Callback rate (%)",
        min_value=0.0,
        max_value=100.0,
        value=cost.DEFAULT_CALLBACK_RATE * 100,
        step=0.5,
        format="%.1f",
        key=f"{key}-rate",
    )
    block = cost.block_cost(
        report.duration_s, messages_per_hour=float(per_hour), hours=hours, callback_rate=rate_pct / 100.0
    )
    m1, m2, m3 = st.columns(3)
    m1.metric("Time spent leaving this message", length(block.voicemail_s), border=True)
    m2.metric("Share of your block", f"{block.share_of_block:.0%}", border=True)
    m3.metric("Expected callbacks", f"{block.expected_callbacks:.1f}", border=True)
    st.caption(
        f"{report.duration_s:.1f} s a message x {per_hour} messages an hour x {hours:g} hours "
        f"= {length(block.voicemail_s)}; {block.messages:g} messages at {rate_pct:g}% "
        f"bring about {block.expected_callbacks:.1f} callbacks."
    )
    target = float(config.strengths["short_s"])  # "short and to the point"
    saved = cost.time_saved_s(block, target)
    if saved > 0:
        st.info(
            f"Trim this message to {target:g} s and you win back **{length(saved)}** "
            "of every block, for the same number of messages.",
            icon=":material/timer:",
        )
    elif block.seconds_per_callback is not None:
        st.success(
            f"Short and efficient: about {length(block.seconds_per_callback)} of voicemail per callback.",
            icon=":material/timer:",
        )
