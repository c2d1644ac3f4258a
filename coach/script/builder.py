"""The script builder: a short form in, two or three voicemail scripts out, deterministic.

No language model and no network: the scripts are the sentence templates
of :mod:`coach.script.templates` (``templates.toml``) filled with what the
rep typed, tidied the way a person would write them into a sentence (a
question ends in "?", a reason follows "because" in lower case, a name is
capitalised). A field left empty is written as its blank ("[your number]"),
so the gap is visible in the script and the rule that needs it fires on the
text lint (:mod:`coach.script.lint`); :func:`missing` lists them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from coach.script.templates import DERIVED, Field, VariantTemplate, names_in, templates
from coach.text.phone_numbers import group_digits

if TYPE_CHECKING:
    from coach.report import RepProfile

#: First words of a reason that read in lower case after "because" ("You opened ..." -> "you opened ...").
_LOWER_FIRST = frozenset(
    {"you", "your", "yours", "the", "a", "an", "we", "our", "they", "their", "them", "it", "its", "there"}
    | {"this", "that", "these", "those", "since", "after", "with", "when", "last", "most", "some"}
)
_TRAILING_STOP = re.compile(r"[\s.!;:,]+$")
_SEPARATORS = re.compile(r"[\s().\-/]")


@dataclass(frozen=True)
class ScriptInputs:
    """The builder's form: every field is a string, "" when not given (keys: ``templates.toml`` [fields])."""

    prospect: str = ""
    prospect_company: str = ""
    reason: str = ""
    question: str = ""
    next_attempt: str = ""
    rep_name: str = ""
    rep_company: str = ""
    number: str = ""

    @classmethod
    def with_profile(cls, rep: RepProfile | None, **form: str) -> ScriptInputs:
        """The form's fields, with your name, company and number from ``rep`` where the form has none."""
        mine = {"rep_name": rep.name, "rep_company": rep.company, "number": rep.number} if rep else {}
        values = {k: v for k, v in mine.items() if v}
        values.update({k: v for k, v in form.items() if v and v.strip()})
        return cls(**values)


@dataclass(frozen=True)
class Script:
    """One variant, filled: its name, its text (one sentence a line) and the fields left blank."""

    name: str
    text: str
    blanks: tuple[str, ...]


def fields() -> dict[str, Field]:
    return dict(templates().fields)


def _capitalised(name: str) -> str:
    """A name as written, or title-cased when typed all in lower case ("sam lee" -> "Sam Lee")."""
    return name.title() if name == name.lower() else name


def _reason(text: str) -> str:
    text = _TRAILING_STOP.sub("", text)
    text = re.sub(r"^because\s+", "", text, flags=re.IGNORECASE)
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWER_FIRST and first[1:] == first[1:].lower():
        text = text[:1].lower() + text[1:]
    return text


def _question(text: str) -> str:
    text = _TRAILING_STOP.sub("", text).rstrip("?").rstrip()
    return text[:1].upper() + text[1:] + "?" if text else ""


def _number(text: str) -> str:
    """The number as the rep writes it; a bare run of digits in groups ("4155550192" -> "415-555-0192")."""
    if _SEPARATORS.search(text):
        return text
    digits = "".join(c for c in text if c.isdigit())
    return group_digits(digits) if digits else text


def tidy(inputs: ScriptInputs) -> dict[str, str]:
    """The form's values as they go into a sentence ("" when not given), with the derived names."""
    raw = {k: " ".join(v.split()) for k, v in asdict(inputs).items()}
    values = dict(raw)
    values["prospect"] = _capitalised(raw["prospect"].split(" ", 1)[0]) if raw["prospect"] else ""
    values["rep_name"] = _capitalised(raw["rep_name"])
    values["reason"] = _reason(raw["reason"])
    values["question"] = _question(raw["question"])
    values["next_attempt"] = _TRAILING_STOP.sub("", raw["next_attempt"])
    values["number"] = _number(raw["number"])
    for derived, source in DERIVED.items():
        values[derived] = values[source].split(" ", 1)[0] if values[source] else ""
    return values


def missing(inputs: ScriptInputs) -> list[str]:
    """The required fields left empty, in the form's order."""
    values = tidy(inputs)
    return [key for key, field in templates().fields.items() if not field.optional and not values[key]]


def _fill(template: VariantTemplate, values: dict[str, str]) -> Script:
    spec = templates().fields
    optional = {k for k, f in spec.items() if f.optional}
    blanks: list[str] = []
    lines = []
    for forms in template.sentences:
        form = next((f for f in forms if all(values[n] for n in names_in(f) if n in optional)), forms[-1])
        filled = {}
        for name in names_in(form):
            key = DERIVED.get(name, name)
            if values[name]:
                filled[name] = values[name]
            else:
                filled[name] = spec[key].blank
                if key not in blanks:
                    blanks.append(key)
        lines.append(form.format_map(filled))
    return Script(template.name, "\n".join(lines), tuple(blanks))


def build(inputs: ScriptInputs) -> list[Script]:
    """Every variant of the script for ``inputs``, in the templates' order."""
    values = tidy(inputs)
    return [_fill(t, values) for t in templates().variants]
