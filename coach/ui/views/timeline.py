"""The timeline chart: loudness and pitch over time, pauses and findings marked.

One time axis (seconds) for everything: the energy envelope (dBFS, left
axis) as a filled area, the pitch contour (Hz, right axis) as a line broken
where the voice is unvoiced, pauses shaded grey and the span of each finding
that points at a moment shaded in its severity's colour (name in the
tooltip); a trainer's note pinned to a moment is a dashed purple line (its
text in the tooltip). A single layered chart rather than stacked panels, so it can
stretch to the width of the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from coach.clock import clock
from coach.history.store import Note
from coach.report import Report
from coach.ui.views.theme import NOTE_COLOUR, OTHER_SEVERITY, SEVERITY_STYLE

ENERGY_FLOOR_DB = -60.0
#: A finding with a start but no end is drawn this wide (seconds).
POINT_FINDING_S = 0.4


def timeline_frames(report: Report) -> dict[str, pd.DataFrame]:
    """The chart's data: ``energy``, ``pitch``, ``pauses`` and ``findings`` tables."""
    contours = report.contours
    energy = pd.DataFrame(columns=["t", "db"])
    pitch = pd.DataFrame(columns=["t", "hz", "run"])
    if contours is not None and contours.frame_rate_hz > 0:
        step = 1.0 / contours.frame_rate_hz
        energy = pd.DataFrame(
            {
                "t": [i * step for i in range(len(contours.energy_db))],
                "db": [
                    max(float(v), ENERGY_FLOOR_DB) if v is not None else ENERGY_FLOOR_DB for v in contours.energy_db
                ],
            }
        )
        rows, run, voiced = [], 0, False
        for i, hz in enumerate(contours.pitch_hz):
            if hz is None or hz != hz or hz <= 0:
                voiced = False
                continue
            if not voiced:
                run += 1
                voiced = True
            rows.append((i * step, float(hz), run))
        pitch = pd.DataFrame(rows, columns=["t", "hz", "run"])
    pauses = pd.DataFrame(
        [(p.start, p.end, round(p.end - p.start, 2)) for p in report.metrics.pauses],
        columns=["start", "end", "seconds"],
    )
    spans = []
    for f in report.findings:
        if f.start_s is None:
            continue
        end = f.end_s if f.end_s is not None and f.end_s > f.start_s else f.start_s + POINT_FINDING_S
        spans.append((f.start_s, end, f.name, f.severity))
    findings = pd.DataFrame(spans, columns=["start", "end", "finding", "severity"])
    return {"energy": energy, "pitch": pitch, "pauses": pauses, "findings": findings}


def _overlays(frames: dict[str, pd.DataFrame], x: alt.X) -> list[alt.Chart]:
    layers = []
    if not frames["pauses"].empty:
        layers.append(
            alt.Chart(frames["pauses"])
            .mark_rect(color="#888", opacity=0.18)
            .encode(
                x=x,
                x2="end:Q",
                tooltip=[alt.Tooltip("seconds:Q", title="Pause (s)")],
            )
        )
    if not frames["findings"].empty:
        severities = sorted(frames["findings"]["severity"].unique())
        layers.append(
            alt.Chart(frames["findings"])
            .mark_rect(opacity=0.22)
            .encode(
                x=x,
                x2="end:Q",
                color=alt.Color(
                    "severity:N",
                    scale=alt.Scale(
                        domain=severities, range=[SEVERITY_STYLE.get(s, OTHER_SEVERITY).chart for s in severities]
                    ),
                    legend=alt.Legend(title="Findings by severity", orient="top"),
                ),
                tooltip=[
                    alt.Tooltip("finding:N", title="Finding"),
                    alt.Tooltip("severity:N"),
                    alt.Tooltip("start:Q", title="From (s)", format=".1f"),
                ],
            )
        )
    return layers


def notes_frame(notes: Sequence[Note]) -> pd.DataFrame:
    """The trainer's notes pinned to a moment: one vertical mark each."""
    rows = [(n.at_s, clock(n.at_s), n.text) for n in notes if n.at_s is not None]
    return pd.DataFrame(rows, columns=["start", "at", "note"])


def timeline_chart(report: Report, *, duration_s: float | None = None, notes: Sequence[Note] = ()) -> alt.LayerChart:
    """The layered chart for ``report``, with the trainer's ``notes`` marked where they are pinned."""
    frames = timeline_frames(report)
    end = duration_s if duration_s is not None else report.duration_s
    x = alt.X("t:Q", title="Time (s)", scale=alt.Scale(domain=[0, max(end, 0.1)], nice=False))
    overlay_x = alt.X("start:Q", title="Time (s)", scale=alt.Scale(domain=[0, max(end, 0.1)], nice=False))

    energy = (
        alt.Chart(frames["energy"])
        .mark_area(color="#9ecae9", opacity=0.7, line={"color": "#4c78a8", "strokeWidth": 1})
        .encode(
            x=x,
            y=alt.Y(
                "db:Q",
                title="Loudness (dBFS)",
                scale=alt.Scale(domain=[ENERGY_FLOOR_DB, 0]),
                axis=alt.Axis(titleColor="#4c78a8", orient="left"),
            ),
            y2=alt.datum(ENERGY_FLOOR_DB),
            tooltip=[
                alt.Tooltip("t:Q", title="Time (s)", format=".2f"),
                alt.Tooltip("db:Q", title="dBFS", format=".0f"),
            ],
        )
    )
    pitch = (
        alt.Chart(frames["pitch"])
        .mark_line(color="#e45756", strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y(
                "hz:Q",
                title="Pitch (Hz)",
                scale=alt.Scale(zero=False),
                axis=alt.Axis(titleColor="#e45756", orient="right"),
            ),
            detail="run:N",
            tooltip=[alt.Tooltip("t:Q", title="Time (s)", format=".2f"), alt.Tooltip("hz:Q", title="Hz", format=".0f")],
        )
    )
    layers = [*_overlays(frames, overlay_x), energy, pitch]
    pinned = notes_frame(notes)
    if not pinned.empty:
        layers.append(
            alt.Chart(pinned)
            .mark_rule(color=NOTE_COLOUR, strokeWidth=2, strokeDash=[5, 3])
            .encode(
                x=overlay_x,
                tooltip=[alt.Tooltip("at:N", title="Trainer's note at"), alt.Tooltip("note:N", title="Note")],
            )
        )
    return alt.layer(*layers).resolve_scale(y="independent").properties(height=280)
