"""The catalogue in words: ``coach rules`` (terminal) and the README section (Markdown).

Both render :data:`coach.rules.catalogue.CATALOGUE` with the values of the
configuration they are given, filling the same templates as the findings
(:func:`coach.rules.base.template_values`), so the docs cannot drift from the
code: the README section is generated with the shipped defaults by
``scripts/gen_rule_docs.py`` (which also checks it in CI), and ``coach rules
CODE`` shows the values in force, including a user's coach.toml, as TOML that
can be pasted back into it.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.errors import CoachError
from coach.rules.base import fill, template_values
from coach.rules.catalogue import BY_CODE, CATALOGUE, SEVERITIES, TEXT, RuleInfo
from coach.rules.scoring import VERDICT_WORDS

if TYPE_CHECKING:
    from coach.config import Config

MARK_START = "<!-- rules:start -->"
MARK_END = "<!-- rules:end -->"
GENERATOR = "scripts/gen_rule_docs.py"
WIDTH = 88


# -- values --------------------------------------------------------------------


def summary(info: RuleInfo, config: Config) -> str:
    """The one-line description with the values in force."""
    return fill(info.summary, template_values(info, config))


def checks(info: RuleInfo, config: Config) -> str:
    return fill(info.checks, template_values(info, config))


def fix(info: RuleInfo, config: Config) -> str:
    """The fix as every finding of the rule starts, with the values in force."""
    return fill(info.fix, template_values(info, config))


def borrowed(info: RuleInfo, config: Config, *, markdown: bool = False) -> str:
    """A sentence naming the settings outside ``[rules.CODE]`` that the rule's texts read."""
    tick = "`" if markdown else ""
    shown = " and ".join(f"{tick}{path} = {toml_value(config.general(path)[0])}{tick}" for path in info.borrows)
    return f"Its fix also reads {shown}."


def toml_value(value: Any, indent: str = "") -> str:
    """``value`` written as TOML (strings JSON-escaped, which TOML basic strings accept)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        items = [toml_value(v) for v in value]
        one_line = "[" + ", ".join(items) + "]"
        if len(one_line) <= 60:
            return one_line
        return "[\n" + "".join(f"{indent}    {item},\n" for item in items) + indent + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def settings_toml(code: str, config: Config, *, comments: bool = True) -> str:
    """The rule's settings in force, as a ``[rules.CODE]`` TOML snippet."""
    info = BY_CODE[code]
    settings = config.rule(code)
    defaults = config.default_rule(code)
    helps = {"severity": "one of " + ", ".join(SEVERITIES)}
    helps.update({s.name: s.help for s in info.settings})
    scalars, tables = [], []
    for key in ["severity", *(s.name for s in info.settings)]:
        value = settings[key]
        note = helps[key]
        if value != defaults[key]:
            note += " (changed; the default is " + _short(defaults[key]) + ")"
        if isinstance(value, dict):
            body = "".join(f"{toml_value(k)} = {toml_value(v)}\n" for k, v in value.items())
            tables.append((f"# {note}\n" if comments else "") + f"[rules.{code}.{key}]\n" + body)
        else:
            scalars.append((f"# {note}\n" if comments else "") + f"{key} = {toml_value(value)}\n")
    return f"[rules.{code}]\n" + "".join(scalars) + "".join("\n" + t for t in tables)


def _short(value: Any) -> str:
    if isinstance(value, dict):
        return f"a table of {len(value)} phrases"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    return toml_value(value)


# -- terminal --------------------------------------------------------------------


def render_list(config: Config) -> str:
    """``coach rules``: one line per rule (code, name, severity, what fires it)."""
    name_w = max(len(i.name) for i in CATALOGUE)
    lines = [f"{'code':<6} {'name':<{name_w}}  {'severity':<10}  fires when"]
    off = 0
    for info in CATALOGUE:
        severity = config.severity(info.code)
        if not config.is_enabled(info.code):
            severity, off = "off", off + 1
        lines.append(f"{info.code:<6} {info.name:<{name_w}}  {severity:<10}  {summary(info, config)}")
    lines.append("")
    note = f"{len(CATALOGUE)} rules"
    if off:
        note += f", {off} turned off by select/ignore in {config.source}"
    lines.append(note + ". `coach rules CODE` explains one, with its settings.")
    return "\n".join(lines) + "\n"


def _para(title: str, text: str) -> str:
    body = textwrap.fill(text, WIDTH, initial_indent="  ", subsequent_indent="  ")
    return f"{title}\n{body}\n"


def render_rule(info: RuleInfo, config: Config) -> str:
    """``coach rules CODE``: everything about one rule, with its settings in force."""
    severity = config.severity(info.code)
    head = f"{info.code} {info.name} ({severity})"
    parts = [head + "\n" + textwrap.fill(summary(info, config), WIDTH) + "\n"]
    if not config.is_enabled(info.code):
        parts.append(f"Turned off by select/ignore in {config.source}.\n")
    parts.append(_para("What it checks", checks(info, config)))
    parts.append(_para("Why it matters for a voicemail", info.why))
    parts.append(_para("Example", info.example))
    parts.append(_para("Fix", fix(info, config)))
    notes = [borrowed(info, config)] if info.borrows else []
    if info.needs == "prospect":
        notes.append("Runs only when a prospect name is given (coach analyze --prospect NAME).")
    if info.needs == "script":
        notes.append("Runs only when a script is given (coach analyze --script FILE).")
    if info.needs == "rep-number":
        notes.append("Runs only when your number is given (coach analyze --rep-number NUMBER, or [rep] number).")
    if info.input_kind == TEXT:
        notes.append("Judges the words alone, so it also checks a written script (coach script lint).")
    if info.uses_transcript:
        notes.append(
            "Reads the transcript: when it is unreliable (low word confidence or a noisy recording) "
            "a finding is downgraded to a suggestion and says to check by ear."
        )
    if info.reads_number:
        notes.append(
            "Reads the callback number's digits: when a number's reading stays doubtful after it is read "
            "again from its own audio, a finding is downgraded to a suggestion and says to check by ear."
        )
    if notes:
        parts.append(_para("Notes", " ".join(notes)))
    where = config.source or "the defaults"
    snippet = textwrap.indent(settings_toml(info.code, config), "  ")
    parts.append(f"Settings (current values, from {where}; put changes in coach.toml)\n{snippet}")
    return "\n".join(parts)


def _verdict_paragraph(config: Config) -> list[str]:
    v = config.verdict
    core = ", ".join(
        f"{code} {BY_CODE[code].name}" + ("" if least == "suggestion" else f" (as {least})")
        for code, least in v.core.items()
        if code in BY_CODE
    )
    return [
        f'Beside the score, the verdict: "{VERDICT_WORDS["ready"]}" from {v.ready}, "{VERDICT_WORDS["almost"]}" '
        f'from {v.almost}, "{VERDICT_WORDS["retake"]}" from {v.retake}, "{VERDICT_WORDS["redo"]}" below. A take '
        f"that breaks a core rule ({core}) cannot read ready: its score is capped at {v.core_cap}, and the "
        "breakdown says which core rules cost the rest (`[verdict]` in the settings).",
    ]


# -- Markdown ------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _anchor(info: RuleInfo) -> str:
    return f"{info.code}-{info.name}".lower()


def _md_setting(name: str, value: Any, help: str) -> str:
    if isinstance(value, dict):
        shown = ", ".join(f'"{k}" {toml_value(v)}' for k, v in value.items())
        return f"- `{name}`: {help}: {shown}"
    if isinstance(value, list):
        shown = ", ".join(json.dumps(v, ensure_ascii=False) for v in value)
        return f"- `{name}`: {help}: {shown}"
    return f"- `{name} = {toml_value(value)}`: {help}"


def render_markdown(config: Config) -> str:
    """The README's catalogue section (between the markers), from the catalogue and ``config``
    (the shipped defaults, for the README)."""
    score = config.score
    out = [
        f"<!-- Generated by {GENERATOR} from coach/rules/catalogue.py and coach/defaults.toml: do not edit by hand. -->",
        "",
        "| Code | Name | Severity | Fires when |",
        "|---|---|---|---|",
    ]
    for info in CATALOGUE:
        out.append(
            f"| [{info.code}](#{_anchor(info)}) | {info.name} | {config.severity(info.code)} | {_md(summary(info, config))} |"
        )
    out += [
        "",
        f"Each rule that fires costs points once, by its severity: error {score.error:g}, warning "
        f"{score.warning:g}, suggestion {score.suggestion:g}; the score is 100 minus the points (never "
        "below 0), and the report lists what each rule cost. Rules marked *reads the transcript* are "
        'downgraded to suggestions that say "check this by ear" when Whisper\'s mean word confidence '
        f"is under {config.reliability['min_word_probability']:g} or the signal-to-noise ratio under "
        f"{config.reliability['min_snr_db']:g} dB; those marked *reads the number* are, too, when a callback "
        "number's reading stays doubtful after it is read again from its own audio. "
        "Rules marked *checks scripts too* judge the words alone, "
        "so `coach script lint` and the app's script builder run them on a script before it is recorded.",
        "",
        *_verdict_paragraph(config),
        "",
    ]
    for info in CATALOGUE:
        settings = config.rule(info.code)
        flags = []
        if info.uses_transcript:
            flags.append("reads the transcript")
        if info.reads_number:
            flags.append("reads the number")
        if info.needs:
            flags.append(f"needs --{info.needs}")
        if info.input_kind == TEXT:
            flags.append("checks scripts too")
        flag_text = f" ({', '.join(flags)})" if flags else ""
        out += [
            f"### {info.code} {info.name}",
            "",
            f"*{config.severity(info.code)}*{flag_text}: {summary(info, config)}.",
            "",
            f"- **Checks:** {checks(info, config)}",
            f"- **Why:** {info.why}",
            f"- **Example:** {info.example}",
            f"- **Fix:** {fix(info, config)}",
            "",
            f"Settings (`[rules.{info.code}]`):",
            "",
            _md_setting("severity", settings["severity"], "one of " + ", ".join(SEVERITIES)),
        ]
        out += [_md_setting(s.name, settings[s.name], s.help) for s in info.settings]
        out += ["", borrowed(info, config, markdown=True), ""] if info.borrows else [""]
    return "\n".join(out).rstrip() + "\n"


# -- the README region -------------------------------------------------------------------

_REGION = re.compile(re.escape(MARK_START) + r"\n?(.*?)" + re.escape(MARK_END), re.DOTALL)


def replace_region(text: str, section: str, *, label: str = "README.md") -> str:
    """``text`` with the content between the markers replaced by ``section``."""
    if text.count(MARK_START) != 1 or text.count(MARK_END) != 1 or text.index(MARK_START) > text.index(MARK_END):
        raise CoachError(
            f"{label}: needs exactly one {MARK_START} line followed by one {MARK_END} line "
            "around the rule catalogue; add them where the catalogue belongs"
        )
    return _REGION.sub(lambda _: f"{MARK_START}\n{section}{MARK_END}", text, count=1)


def update_readme(path: str | Path, config: Config, *, check: bool = False) -> bool:
    """Rewrite the README's catalogue region from ``config`` (the shipped defaults);
    with ``check``, only say whether it is current.

    Returns True when the file was already up to date.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CoachError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    new = replace_region(text, render_markdown(config), label=str(path))
    if new == text:
        return True
    if not check:
        path.write_text(new, encoding="utf-8")
    return False
