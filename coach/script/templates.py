"""The builder's and the follow-up e-mail's wording, read from ``templates.toml`` (data, declared once).

:func:`templates` loads and checks the file once per process: every
``{name}`` a sentence uses must be a declared field (or the first word of
one: ``{rep_first}``), every variant must have at least one sentence, and
every form must be a string. A mistake in the file is a bug in the coach,
so it raises ``ValueError`` naming the place.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

#: Names a sentence may use beyond the fields: the first word of a field.
DERIVED = {"rep_first": "rep_name"}


@dataclass(frozen=True)
class Field:
    """One input of the builder's form."""

    key: str
    label: str
    example: str
    #: Written in the script where the field is missing and required ("[your number]").
    blank: str
    help: str
    optional: bool = False


@dataclass(frozen=True)
class VariantTemplate:
    """One wording of the script: sentences in order, each a tuple of forms (see the file's header)."""

    name: str
    sentences: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class EmailTemplate:
    """The follow-up e-mail's sentences and notes (``[email]``)."""

    reason_openers: tuple[str, ...]
    texts: Mapping[str, str]
    notes: Mapping[str, str]


@dataclass(frozen=True)
class Templates:
    fields: Mapping[str, Field]
    variants: tuple[VariantTemplate, ...]
    email: EmailTemplate


def names_in(template: str) -> list[str]:
    """The ``{names}`` a template fills, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


@functools.lru_cache(maxsize=1)
def templates() -> Templates:
    text = resources.files("coach.script").joinpath("templates.toml").read_text(encoding="utf-8")
    return parse(tomllib.loads(text))


def parse(data: Mapping[str, Any], label: str = "coach/script/templates.toml") -> Templates:
    """The templates in ``data`` (the TOML file's tables), checked."""
    fields = {
        key: Field(
            key,
            str(table["label"]),
            str(table["example"]),
            str(table["blank"]),
            str(table.get("help", "")),
            bool(table.get("optional", False)),
        )
        for key, table in data["fields"].items()
    }
    known = set(fields) | set(DERIVED)
    variants = []
    for i, table in enumerate(data["variants"], start=1):
        sentences = tuple(tuple(forms) for forms in table["sentences"])
        if not sentences or any(not forms for forms in sentences):
            raise ValueError(f"{label}: variant {i} needs sentences, each with at least one form")
        for forms in sentences:
            for form in forms:
                if not isinstance(form, str):
                    raise ValueError(f"{label}: variant {i}: {form!r} is not a string")
                unknown = set(names_in(form)) - known
                if unknown:
                    raise ValueError(f"{label}: variant {i}: unknown field {sorted(unknown)} in {form!r}")
        variants.append(VariantTemplate(str(table["name"]), sentences))
    email = dict(data["email"])
    notes = email.pop("notes")
    openers = tuple(email.pop("reason_openers"))
    return Templates(
        fields=MappingProxyType(fields),
        variants=tuple(variants),
        email=EmailTemplate(openers, MappingProxyType({k: str(v) for k, v in email.items()}), MappingProxyType(notes)),
    )
