"""The team's takes out of the coach: CSV for a spreadsheet, JSON in full, and a self-contained HTML report.

All three read :mod:`coach.history.review` for the trainer's score, the
verdict and the summaries, so every export agrees with the Review tab.

- CSV: one row per take: rep, date, file, machine score, trainer score,
  verdict, the finding codes (the machine's, those marked wrong, those the
  trainer added), the notes, and every figure of the report's metrics
  (lists as counts).
- JSON: the full reports with notes, overrides, both scores and the verdict.
- HTML: one file with its CSS and SVG charts inline (no script, no network):
  team figures, the score distribution, what most reps hit, one section per
  rep (first, best, latest, trend, recurring findings) and the team table.
  It prints cleanly to PDF.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach import __version__
from coach.clock import clock
from coach.errors import ConfigError
from coach.history.review import (
    VERDICT_WORDS,
    FindingCount,
    Judged,
    RepSummary,
    attention_order,
    finding_counts,
    rep_summaries,
    team_average,
    title,
)
from coach.report import Metrics

if TYPE_CHECKING:
    from coach.config import Config

FORMATS = ("csv", "json", "html")
#: Columns before the metrics, in order.
BASE_COLUMNS = (
    "take_id",
    "rep",
    "date",
    "file",
    "source",
    "duration_s",
    "machine_score",
    "trainer_score",
    "verdict",
    "verdict_by",
    "pass_mark",
    "findings",
    "dismissed",
    "added",
    "notes",
    "prospect",
    "transcript_complete",
    "script_wer",
    "settings_fingerprint",
)


def metric_columns() -> list[str]:
    """Every field of :class:`~coach.report.Metrics` as a column (a list becomes ``<name>_count``)."""
    columns = []
    for f in dataclasses.fields(Metrics):
        if f.name == "introduction":
            columns += ["introduction_name", "introduction_start_s"]
        elif _is_list(f.type):
            columns.append(f"{f.name}_count")
        else:
            columns.append(f.name)
    columns.append("callback_digits")
    return columns


def _is_list(annotation: Any) -> bool:
    return str(annotation).startswith("list")


def csv_row(j: Judged, config: Config) -> dict[str, Any]:
    take, report = j.take, j.take.report
    m = report.metrics
    row: dict[str, Any] = {
        "take_id": take.id,
        "rep": j.rep,
        "date": take.created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "file": take.file_name,
        "source": take.source,
        "duration_s": round(take.duration_s, 2),
        "machine_score": j.machine_score,
        "trainer_score": j.score,
        "verdict": VERDICT_WORDS[j.verdict],
        "verdict_by": j.verdict_by,
        "pass_mark": config.pass_mark,
        "findings": " ".join(dict.fromkeys(f.code for f in report.findings)),
        "dismissed": " ".join(o.code for o in take.overrides if o.action == "dismiss"),
        "added": " ".join(o.code for o in take.overrides if o.action == "add"),
        "notes": " | ".join(_note_text(n.at_s, n.text) for n in take.notes),
        "prospect": take.prospect or "",
        "transcript_complete": "" if report.transcript_quality is None else report.transcript_quality.complete,
        "script_wer": "" if report.script_diff is None else round(report.script_diff.wer, 3),
        "settings_fingerprint": take.settings_fingerprint or "",
    }
    for f in dataclasses.fields(Metrics):
        value = getattr(m, f.name)
        if f.name == "introduction":
            row["introduction_name"] = value.name if value is not None else ""
            row["introduction_start_s"] = round(value.start, 2) if value is not None else ""
        elif isinstance(value, list):
            row[f"{f.name}_count"] = len(value)
        elif isinstance(value, float):
            row[f.name] = round(value, 3) if math.isfinite(value) else ""
        else:
            row[f.name] = "" if value is None else value
    row["callback_digits"] = " ".join(p.digits for p in m.phone_numbers)
    return row


def _note_text(at_s: float | None, text: str) -> str:
    return f"at {clock(at_s)}: {text}" if at_s is not None else text


def to_csv(judged: list[Judged], config: Config) -> str:
    columns = list(BASE_COLUMNS) + metric_columns()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for j in attention_order(judged):
        writer.writerow(csv_row(j, config))
    return out.getvalue()


def to_json(judged: list[Judged], config: Config) -> str:
    takes = []
    for j in attention_order(judged):
        take = j.take
        takes.append(
            {
                "take_id": take.id,
                "rep": j.rep,
                "created_at": take.created_at.isoformat(),
                "file": take.file_name,
                "source": take.source,
                "machine_score": j.machine_score,
                "trainer_score": j.score,
                "trainer_findings": [dataclasses.asdict(f) for f in j.findings],
                "verdict": j.verdict,
                "verdict_by": j.verdict_by,
                "settings_fingerprint": take.settings_fingerprint,
                "notes": [_plain(n) for n in take.notes],
                "overrides": [_plain(o) for o in take.overrides],
                "context": take.context,
                "report": take.report.to_dict(),
            }
        )
    document = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "coach_version": __version__,
        "pass_mark": config.pass_mark,
        "settings_fingerprint": config.rules_fingerprint(),
        "takes": takes,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, default=str)


def _plain(obj: Any) -> dict[str, Any]:
    data = dataclasses.asdict(obj)
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.items()}


def export(judged: list[Judged], config: Config, path: str | Path, *, title: str = "Team voicemail review") -> str:
    """Write the export named by ``path``'s suffix (.csv, .json, .html); returns the format."""
    target = Path(path)
    kind = target.suffix.lower().lstrip(".")
    if kind == "htm":
        kind = "html"
    if kind not in FORMATS:
        raise ConfigError(f"{target}: the export is chosen by the file's suffix: .csv, .json or .html.")
    text = {"csv": to_csv, "json": to_json}.get(kind)
    body = text(judged, config) if text is not None else to_html(judged, config, title=title)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8", newline="")
    except OSError as exc:
        raise ConfigError(f"{target}: cannot write the export ({exc.strerror or exc}).") from None
    return kind


# -- the HTML report -------------------------------------------------------------------

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;margin:24px auto;
max-width:1040px;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d9dee3;
padding-bottom:4px}h3{font-size:15px;margin:0 0 6px}
.muted{color:#65717d}.cards{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.card{border:1px solid #d9dee3;border-radius:8px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 6px;
border-bottom:1px solid #e6e9ec;vertical-align:top}th{background:#f3f5f7}
td.num,th.num{text-align:right}.pass{color:#1a7f37;font-weight:600}.retake{color:#b42318;font-weight:600}
.reps{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:14px}
.rep{border:1px solid #d9dee3;border-radius:8px;padding:10px 12px;break-inside:avoid}
.rep ul{margin:4px 0 0;padding-left:18px}.note{color:#5b3cc4}
svg text{font:11px system-ui,sans-serif;fill:#3e4c59}
@media print{body{margin:0;max-width:none}.rep,.card,tr{break-inside:avoid}h2{break-after:avoid}}
"""


def to_html(judged: list[Judged], config: Config, *, title: str = "Team voicemail review") -> str:
    """One self-contained page: inline CSS and SVG, no script, nothing fetched."""
    reps = rep_summaries(judged)
    team = finding_counts(judged)
    average = team_average(judged)
    passed = sum(j.passed for j in judged)
    now = datetime.now().astimezone().strftime("%d %b %Y %H:%M")
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='muted'>{_n(len(judged), 'take')} by {_n(len(reps), 'rep')} · made {escape(now)} by "
        f"Voicemail Coach {escape(__version__)} · pass mark {config.pass_mark}</p>",
        "<div class='cards'>",
        _card("Takes", str(len(judged))),
        _card("Team average", "-" if average is None else f"{average:.0f}"),
        _card("Passed", f"{passed} of {len(judged)}"),
        _card("Reps", str(len(reps))),
        "</div>",
        "<h2>What to train next</h2>",
        _team_findings(team, len(reps)),
        "<h2>Score distribution</h2>",
        _histogram([j.score for j in judged], config.pass_mark),
        "<h2>Each rep</h2><div class='reps'>",
        *[_rep_card(r, average, config.pass_mark) for r in reps],
        "</div>",
        "<h2>Every take</h2>",
        _team_table(judged),
        "</body></html>",
    ]
    return "\n".join(parts)


def _n(count: int, word: str) -> str:
    """``1 take``, ``2 takes``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def _bin(i: int) -> str:
    """The label of the score histogram's bin ``i`` (the last one holds 100)."""
    return f"{i * 10}-{i * 10 + (10 if i == 9 else 9)}"


def _card(label: str, value: str) -> str:
    return f"<div class='card'><span class='muted'>{escape(label)}</span><b>{escape(value)}</b></div>"


def _team_findings(counts: list[FindingCount], rep_count: int) -> str:
    if not counts:
        return "<p>No findings: nothing to train.</p>"
    top = counts[:8]
    width, bar_h, gap, label_w = 720, 18, 6, 300
    height = len(top) * (bar_h + gap) + 4
    scale = (width - label_w - 170) / max(1, rep_count)
    rows = []
    for i, c in enumerate(top):
        y = i * (bar_h + gap)
        w = max(2.0, c.reps * scale)
        rows.append(
            f"<text x='0' y='{y + 13}'>{escape(c.code)} {escape(title(c.name))}</text>"
            f"<rect x='{label_w}' y='{y}' width='{w:.1f}' height='{bar_h}' fill='#e8590c' rx='2'/>"
            f"<text x='{label_w + w + 6:.1f}' y='{y + 13}'>{c.reps} of {_n(rep_count, 'rep')}, {_n(c.takes, 'take')}</text>"
        )
    svg = (
        f"<svg class='chart' role='img' aria-label='Findings most reps hit' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>{''.join(rows)}</svg>"
    )
    return f"<p class='muted'>The findings most reps hit, the first thing to train.</p>{svg}"


def _histogram(scores: list[int], pass_mark: int) -> str:
    bins = [0] * 10
    for s in scores:
        bins[min(9, max(0, s) // 10)] += 1
    width, height, left, bottom = 720, 200, 30, 24
    plot_w, plot_h = width - left - 10, height - bottom - 10
    top = max(bins) or 1
    bar_w = plot_w / 10
    parts = []
    for i, n in enumerate(bins):
        h = plot_h * n / top
        x = left + i * bar_w
        colour = "#2f9e44" if (i + 1) * 10 > pass_mark else "#e8590c"
        parts.append(
            f"<rect x='{x + 2:.1f}' y='{10 + plot_h - h:.1f}' width='{bar_w - 4:.1f}' height='{h:.1f}' "
            f"fill='{colour}'><title>{_bin(i)}: {_n(n, 'take')}</title></rect>"
        )
        if n:
            parts.append(f"<text x='{x + bar_w / 2:.1f}' y='{10 + plot_h - h - 3:.1f}' text-anchor='middle'>{n}</text>")
        parts.append(
            f"<text x='{x + bar_w / 2:.1f}' y='{height - 8}' text-anchor='middle'>{i * 10}-{i * 10 + 9}</text>"
        )
    mark_x = left + plot_w * pass_mark / 100
    parts.append(
        f"<line x1='{mark_x:.1f}' x2='{mark_x:.1f}' y1='6' y2='{10 + plot_h}' stroke='#1f2933' stroke-dasharray='4 3'/>"
        f"<text x='{mark_x + 4:.1f}' y='16'>pass mark {pass_mark}</text>"
    )
    return (
        f"<svg class='chart' role='img' aria-label='Score distribution' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>{''.join(parts)}</svg>"
    )


def _trend(points: list[int], pass_mark: int) -> str:
    width, height, pad = 300, 70, 6
    if len(points) < 2:
        return "<p class='muted'>One take so far: the trend starts with the second.</p>"
    step = (width - 2 * pad) / (len(points) - 1)

    def y(score: int) -> float:
        return pad + (height - 2 * pad) * (1 - score / 100)

    line = " ".join(f"{pad + i * step:.1f},{y(s):.1f}" for i, s in enumerate(points))
    dots = "".join(
        f"<circle cx='{pad + i * step:.1f}' cy='{y(s):.1f}' r='3' fill='#1c7ed6'><title>{s}</title></circle>"
        for i, s in enumerate(points)
    )
    return (
        f"<svg class='chart' role='img' aria-label='Score trend' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' xmlns='http://www.w3.org/2000/svg'>"
        f"<line x1='0' x2='{width}' y1='{y(pass_mark):.1f}' y2='{y(pass_mark):.1f}' stroke='#2f9e44' "
        f"stroke-dasharray='4 3'/><polyline points='{line}' fill='none' stroke='#1c7ed6' stroke-width='2'/>"
        f"{dots}</svg>"
    )


def _rep_card(r: RepSummary, average: float | None, pass_mark: int) -> str:
    versus = "" if average is None else f" ({r.average - average:+.0f} against the team)"
    recurring = "".join(
        f"<li>{escape(c.code)} {escape(title(c.name))}: {c.takes} of {_n(r.takes, 'take')}</li>"
        for c in r.recurring[:4]
    )
    main = r.main_problem
    return (
        f"<div class='rep'><h3>{escape(r.rep)}</h3>"
        f"<div class='muted'>{_n(r.takes, 'take')} · first {r.first} · best {r.best} · latest {r.latest} · "
        f"average {r.average:.0f}{escape(versus)} · passed {r.passed}</div>"
        f"{_trend([s for _, s, _ in r.trend], pass_mark)}"
        + (
            f"<div><b>Main problem:</b> {escape(main.code)} {escape(title(main.name))}</div><ul>{recurring}</ul>"
            if main
            else "<div>No finding recurs.</div>"
        )
        + "</div>"
    )


def _team_table(judged: list[Judged]) -> str:
    rows = [
        "<table class='team'><thead><tr><th>Rep</th><th>Date</th><th>File</th><th class='num'>Length</th>"
        "<th class='num'>Pace</th><th class='num'>Machine</th><th class='num'>Trainer</th><th>Verdict</th>"
        "<th>Top findings</th><th>Notes</th></tr></thead><tbody>"
    ]
    for j in attention_order(judged):
        take = j.take
        top = ", ".join(f"{f.code} {title(f.name)}" for f in j.findings[:3])
        notes = "<br>".join(escape(_note_text(n.at_s, n.text)) for n in take.notes)
        css = "pass" if j.passed else "retake"
        rows.append(
            f"<tr><td>{escape(j.rep)}</td><td>{take.created_at.astimezone():%d %b %Y}</td>"
            f"<td>{escape(take.file_name)}</td><td class='num'>{take.duration_s:.0f} s</td>"
            f"<td class='num'>{take.report.metrics.wpm:.0f}</td>"
            f"<td class='num'>{'-' if j.machine_score is None else j.machine_score}</td>"
            f"<td class='num'>{j.score}</td><td class='{css}'>{escape(VERDICT_WORDS[j.verdict])}</td>"
            f"<td>{escape(top)}</td><td class='note'>{notes}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)
