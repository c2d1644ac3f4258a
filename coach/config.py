"""Settings: the package's defaults.toml, overridden by a user's coach.toml.

``load_config()`` reads ``coach.toml`` from the working directory when there
is one (``load_config(path)`` reads the given file instead) and lays it over
the defaults shipped in ``coach/defaults.toml``. The user file only lists
what it changes::

    select = ["VM1", "VM5"]        # only these codes / prefixes ("ALL" = all)
    ignore = ["VM402"]             # then drop these

    [analysis]
    model = "base"

    [score]
    warning = 8

    [rules.VM101]
    max_s = 35
    severity = "error"

    [rules.VM303]
    extend_phrases = ["at your earliest convenience"]   # add to the default list

The defaults file is also the schema: a key the defaults do not have is an
error (with a did-you-mean), and each value is checked against the kind its
rule declares in :mod:`coach.rules.catalogue` (seconds, dB, phrase list...).
Every problem is a :class:`~coach.errors.ConfigError` that names the file
and the key, and says what was expected.
"""

from __future__ import annotations

import copy
import difflib
import functools
import math
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from coach.errors import ConfigError
from coach.report import RepProfile
from coach.rules.catalogue import BY_CODE, BY_NAME, CODES, SEVERITIES, RuleInfo

USER_FILE = "coach.toml"
EXTEND_PREFIX = "extend_"


# -- kinds of values ---------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a setting holds: ``expected`` completes "must be ..." in error messages."""

    expected: str
    check: Callable[[Any], bool]
    unit: str = ""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(low: float = -math.inf, high: float = math.inf, *, low_open: bool = False) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        if not _is_number(value):
            return False
        above = value > low if low_open else value >= low
        return above and value <= high

    return check


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _core_rules(value: Any) -> bool:
    return isinstance(value, dict) and all(k in BY_CODE and v in SEVERITIES for k, v in value.items())


def _weighted(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and k.strip() and _is_number(v) and v > 0 for k, v in value.items()
    )


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE_CHARS = re.compile(r"[+\d\s().\-/]+")


def _is_phone(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return _PHONE_CHARS.fullmatch(value.strip()) is not None and 7 <= digits <= 15


KINDS: dict[str, Kind] = {
    "seconds": Kind("a number of seconds (0 or more)", _number(0), "s"),
    "db": Kind("a number of decibels", _number(), "dB"),
    "dbfs": Kind("a level in dBFS (0 or below)", _number(high=0), "dBFS"),
    "wpm": Kind("a number of words a minute (above 0)", _number(0, low_open=True), "words a minute"),
    "digits_per_s": Kind("a number of digits a second (above 0)", _number(0, low_open=True), "digits a second"),
    "per_minute": Kind("a number a minute (0 or more)", _number(0), "a minute"),
    "semitones": Kind("a number of semitones (0 or more)", _number(0), "semitones"),
    "count": Kind("a whole number (0 or more)", _count),
    "ratio": Kind("a number (0 or more)", _number(0), "to 1"),
    "weight": Kind("a number above 0", _number(0, low_open=True)),
    "fraction": Kind("a number between 0 and 1", _number(0, 1)),
    "percent": Kind("a percentage between 0 and 100", _number(0, 100), "%"),
    "points": Kind("a whole number of points between 0 and 100", lambda v: _count(v) and v <= 100, "points"),
    "phrases": Kind("a list of phrases (non-empty strings)", _strings),
    "words": Kind("a list of words (non-empty strings)", _strings),
    "weighted_phrases": Kind('a table of "phrase" = weight (numbers above 0)', _weighted),
    "text": Kind("a string", lambda v: isinstance(v, str)),
    "model": Kind('a Whisper model name such as "tiny.en"', lambda v: isinstance(v, str) and bool(v.strip())),
    "severity": Kind("one of " + ", ".join(f'"{s}"' for s in SEVERITIES), lambda v: v in SEVERITIES),
    "codes": Kind('a list of rule codes or prefixes such as ["VM1", "VM402"]', _strings),
    "core_rules": Kind(
        'a table of rule code = the least severity that counts, such as VM501 = "suggestion" '
        "(`coach rules` lists the codes)",
        _core_rules,
    ),
    "name": Kind("a name (at most 100 characters)", lambda v: isinstance(v, str) and len(v.strip()) <= 100),
    "phone": Kind(
        'a phone number with 7 to 15 digits, such as "415-555-0192" (or "" for none)',
        lambda v: isinstance(v, str) and (not v.strip() or _is_phone(v)),
    ),
    "email": Kind(
        'an e-mail address such as "sam@acme.com" (or "" for none)',
        lambda v: isinstance(v, str) and (not v.strip() or _EMAIL.fullmatch(v.strip()) is not None),
    ),
}

#: Kinds that are collections, so ``extend_<key>`` adds to the default instead of replacing it.
EXTENDABLE = ("phrases", "words", "weighted_phrases")

#: Settings outside the rules: (table, key) -> kind.
GENERAL_KINDS: dict[str, dict[str, str]] = {
    "analysis": {"max_duration_s": "seconds", "min_duration_s": "seconds", "min_pause_s": "seconds", "model": "model"},
    "score": dict.fromkeys(SEVERITIES, "points"),
    "reliability": {"min_word_probability": "fraction", "min_snr_db": "db"},
    "verdict": {"ready": "points", "almost": "points", "retake": "points", "core_cap": "points", "core": "core_rules"},
    "rep": {"name": "name", "company": "name", "number": "phone", "email": "email"},
    "strengths": {
        "short_s": "seconds",
        "early_intro_s": "seconds",
        "expressive_st": "semitones",
        "ideal_min_wpm": "wpm",
        "ideal_max_wpm": "wpm",
    },
}
TOP_LEVEL = ("select", "ignore", "analysis", "rep", "score", "verdict", "reliability", "strengths", "rules")


def rule_kinds(code: str) -> dict[str, str]:
    """Setting name -> kind for one rule, severity included."""
    kinds = {"severity": "severity"}
    kinds.update({s.name: s.kind for s in BY_CODE[code].settings})
    return kinds


# -- the configuration ---------------------------------------------------------


@dataclass(frozen=True)
class AnalysisConfig:
    max_duration_s: float
    min_duration_s: float
    min_pause_s: float
    model: str


@dataclass(frozen=True)
class ScoreConfig:
    error: float
    warning: float
    suggestion: float

    def points(self, severity: str) -> float:
        return float(getattr(self, severity))


@dataclass(frozen=True)
class VerdictConfig:
    """The verdict beside the score: band floors, and the core rules that keep a take from reading ready."""

    ready: int
    almost: int
    retake: int
    core_cap: int
    #: Rule code -> the least severity at which its finding counts as breaking a core rule.
    core: Mapping[str, str]


@dataclass(frozen=True)
class Config:
    """Every setting in force: defaults with the user's file laid over them."""

    analysis: AnalysisConfig
    rep: RepProfile
    score: ScoreConfig
    verdict: VerdictConfig
    reliability: Mapping[str, float]
    strengths: Mapping[str, float]
    rules: Mapping[str, Mapping[str, Any]]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    #: The user file laid over the defaults, if any (as given, for messages).
    source: str | None = None
    #: Keys the user file set, as dotted paths ("rules.VM101.max_s").
    overridden: frozenset[str] = field(default_factory=frozenset)

    def rule(self, code: str) -> Mapping[str, Any]:
        """The settings of one rule (``severity`` included)."""
        return self.rules[code]

    def severity(self, code: str) -> str:
        return self.rules[code]["severity"]

    def general(self, path: str) -> tuple[Any, str]:
        """(value, kind) of a setting outside the rules, named "table.key" ("strengths.ideal_min_wpm")."""
        table, key = path.split(".", 1)
        source = getattr(self, table)
        value = source[key] if isinstance(source, Mapping) else getattr(source, key)
        return value, GENERAL_KINDS[table][key]

    def default_rule(self, code: str) -> Mapping[str, Any]:
        """The shipped default settings of one rule, to say which of this configuration's differ."""
        return MappingProxyType(_parsed_defaults()["rules"][code])

    def is_enabled(self, code: str) -> bool:
        """Ruff-style: in ``select`` (all when empty) and not in ``ignore``, by prefix."""
        selected = not self.select or any(_matches(code, p) for p in self.select)
        return selected and not any(_matches(code, p) for p in self.ignore)

    def enabled_codes(self) -> list[str]:
        return [c for c in CODES if self.is_enabled(c)]


def _matches(code: str, pattern: str) -> bool:
    pattern = pattern.strip().upper()
    return pattern == "ALL" or code.startswith(pattern)


# -- loading -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _defaults_text() -> str:
    return resources.files("coach").joinpath("defaults.toml").read_text(encoding="utf-8")


def default_data() -> dict[str, Any]:
    """The shipped defaults as plain data (a fresh copy each call)."""
    return copy.deepcopy(_parsed_defaults())


@functools.lru_cache(maxsize=1)
def _parsed_defaults() -> dict[str, Any]:
    data = tomllib.loads(_defaults_text())
    _validate(data, "coach/defaults.toml", defaults=None)
    return data


def default_config() -> Config:
    """The shipped defaults only, ignoring any coach.toml (for docs and tests)."""
    return _build(default_data(), source=None, overridden=frozenset())


def load_config(path: str | Path | None = None) -> Config:
    """Defaults overridden by ``path``, or by ``./coach.toml`` when path is None and it exists."""
    if path is None:
        candidate = Path.cwd() / USER_FILE
        if not candidate.is_file():
            return default_config()
        label, file = USER_FILE, candidate
    else:
        file = Path(path)
        label = str(path)
        if not file.exists():
            raise ConfigError(f"{label}: settings file not found; check the path given to --config")
        if not file.is_file():
            raise ConfigError(f"{label}: is not a file; give the path of a .toml settings file")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{label}: is not a UTF-8 text file; save it as UTF-8 TOML") from None
    except OSError as exc:
        raise ConfigError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    return config_from_text(text, label)


def config_from_text(text: str, label: str = USER_FILE) -> Config:
    """Defaults overridden by the TOML ``text``; ``label`` names it in error messages."""
    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}") from None
    defaults = default_data()
    _validate(user, label, defaults=defaults)
    merged, overridden = _merge(defaults, user)
    _check_consistency(merged, label)
    return _build(merged, source=label, overridden=frozenset(overridden))


def _build(data: dict[str, Any], *, source: str | None, overridden: frozenset[str]) -> Config:
    rules = {code: MappingProxyType(dict(data["rules"][code])) for code in CODES}
    return Config(
        analysis=AnalysisConfig(**{k: data["analysis"][k] for k in GENERAL_KINDS["analysis"]}),
        rep=RepProfile(**{k: data["rep"][k].strip() for k in GENERAL_KINDS["rep"]}),
        score=ScoreConfig(**{k: float(data["score"][k]) for k in SEVERITIES}),
        verdict=VerdictConfig(
            **{k: data["verdict"][k] for k in ("ready", "almost", "retake", "core_cap")},
            core=MappingProxyType(dict(data["verdict"]["core"])),
        ),
        reliability=MappingProxyType(dict(data["reliability"])),
        strengths=MappingProxyType(dict(data["strengths"])),
        rules=MappingProxyType(rules),
        select=tuple(p.strip().upper() for p in data["select"]),
        ignore=tuple(p.strip().upper() for p in data["ignore"]),
        source=source,
        overridden=overridden,
    )


def _merge(defaults: dict[str, Any], user: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    merged = defaults
    overridden: list[str] = []
    for key in ("select", "ignore"):
        if key in user:
            merged[key] = list(user[key])
            overridden.append(key)
    for table in GENERAL_KINDS:
        for key, value in user.get(table, {}).items():
            merged[table][key] = value
            overridden.append(f"{table}.{key}")
    for code, settings in user.get("rules", {}).items():
        target = merged["rules"][code]
        for key, value in settings.items():
            if key.startswith(EXTEND_PREFIX):
                base = key[len(EXTEND_PREFIX) :]
                if isinstance(target[base], dict):
                    target[base] = {**target[base], **value}
                else:
                    target[base] = list(target[base]) + [v for v in value if v not in target[base]]
                overridden.append(f"rules.{code}.{base}")
            else:
                target[key] = value
                overridden.append(f"rules.{code}.{key}")
    return merged, overridden


def overlay_rep(base: RepProfile, values: Mapping[str, str | None], *, label: str, prefix: str = "rep.") -> RepProfile:
    """``base`` with the given ``[rep]`` fields replaced (None = keep), each checked like the settings.

    One check for every way a profile arrives: coach.toml, ``--rep-*`` options,
    the app's form. ``label`` names the source in the error ("command line") and
    ``prefix`` + key the field ("--rep-" gives "--rep-number must be ...").
    """
    changes = {}
    for key, value in values.items():
        if value is None:
            continue
        if key not in GENERAL_KINDS["rep"]:
            _fail(label, f"unknown key '{prefix}{key}'{_did_you_mean(key, list(GENERAL_KINDS['rep']))}")
        _check_value(label, f"{prefix}{key}", GENERAL_KINDS["rep"][key], value)
        changes[key] = value.strip()
    return replace(base, **changes)


# -- validation ----------------------------------------------------------------


def _fail(label: str, message: str) -> None:
    raise ConfigError(f"{label}: {message}")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``word`` (ignoring case when nothing matches as typed), or None."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return close[0]
    folded = {c.casefold(): c for c in choices}
    close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def closest_rule(code_or_name: str) -> RuleInfo | None:
    """The rule whose code or name is most like ``code_or_name`` (a typo), or None."""
    key = code_or_name.strip()
    code = closest(key.upper(), CODES)
    if code is not None:
        return BY_CODE[code]
    name = closest(key.lower(), BY_NAME)
    return BY_NAME[name] if name is not None else None


def did_you_mean(suggestion: str | None) -> str:
    """``; did you mean X?`` to end an error message, or "" without a suggestion."""
    return f"; did you mean {suggestion}?" if suggestion else ""


def _did_you_mean(word: str, choices: list[str]) -> str:
    found = closest(word, choices)
    return did_you_mean(f"'{found}'" if found else None)


def _did_you_mean_code(text: str) -> str:
    near = closest_rule(text)
    return did_you_mean(f"'{near.code}'" if near else None)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list" if any(not isinstance(v, str) for v in value) or not value else repr(value)
    return str(value)


def _check_value(label: str, path: str, kind_name: str, value: Any) -> None:
    kind = KINDS[kind_name]
    if not kind.check(value):
        _fail(label, f"{path} must be {kind.expected}, got {_show(value)}")


def _check_table(label: str, path: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(label, f"{path} must be a table ([{path}]), got {_show(value)}")
    return value


def _validate(data: dict[str, Any], label: str, *, defaults: dict[str, Any] | None) -> None:
    """Check every key and value; ``defaults`` None means ``data`` is the defaults file itself."""
    is_defaults = defaults is None
    for key in data:
        if key not in TOP_LEVEL:
            _fail(label, f"unknown key '{key}'{_did_you_mean(key, list(TOP_LEVEL))}")
    for key in ("select", "ignore"):
        if key in data:
            _check_codes(label, key, data[key])
        elif is_defaults:
            _fail(label, f"missing key '{key}'")
    for table, kinds in GENERAL_KINDS.items():
        if table not in data:
            if is_defaults:
                _fail(label, f"missing table [{table}]")
            continue
        values = _check_table(label, table, data[table])
        for key, value in values.items():
            if key not in kinds:
                _fail(label, f"unknown key '{table}.{key}'{_did_you_mean(key, list(kinds))}")
            if kinds[key] == "core_rules":
                _check_core_rules(label, f"{table}.{key}", value)
            _check_value(label, f"{table}.{key}", kinds[key], value)
        if is_defaults:
            missing = set(kinds) - set(values)
            if missing:
                _fail(label, f"[{table}] lacks {', '.join(sorted(missing))}")
    rules = _check_table(label, "rules", data.get("rules", {}))
    for code, settings in rules.items():
        if code not in BY_CODE:
            _fail(label, _unknown_rule_message(code))
        _check_rule(label, code, _check_table(label, f"rules.{code}", settings), is_defaults)
    if is_defaults:
        absent = [c for c in CODES if c not in rules]
        if absent:
            _fail(label, f"no [rules.X] table for {', '.join(absent)}")


def _unknown_rule_message(code: str) -> str:
    info = BY_NAME.get(code.lower())
    if info is not None:
        return f"rules.{code}: use the rule's code: [rules.{info.code}] ({info.name})"
    return f"unknown rule code 'rules.{code}'{_did_you_mean_code(code)} (`coach rules` lists the codes)"


def _check_rule(label: str, code: str, settings: dict[str, Any], is_defaults: bool) -> None:
    kinds = rule_kinds(code)
    for key, value in settings.items():
        path = f"rules.{code}.{key}"
        if key.startswith(EXTEND_PREFIX) and key[len(EXTEND_PREFIX) :] in kinds and not is_defaults:
            base = key[len(EXTEND_PREFIX) :]
            if kinds[base] not in EXTENDABLE:
                _fail(label, f"{path}: {base} is not a list, so it cannot be extended; set {base} itself")
            if base in settings:
                _fail(label, f"{path}: set either {base} or {key}, not both")
            _check_value(label, path, kinds[base], value)
            continue
        if key not in kinds:
            hint = _did_you_mean(key, list(kinds))
            known = ", ".join(kinds)
            _fail(label, f"unknown key '{path}'{hint} ({code} has: {known})")
        _check_value(label, path, kinds[key], value)
    if is_defaults:
        missing = set(kinds) - set(settings)
        if missing:
            _fail(label, f"[rules.{code}] lacks {', '.join(sorted(missing))}")


def _check_core_rules(label: str, path: str, value: Any) -> None:
    """Name the first bad entry of a code = severity table ([verdict.core])."""
    table = _check_table(label, path, value)
    for code, severity in table.items():
        if code not in BY_CODE:
            info = BY_NAME.get(code.lower())
            hint = f"; use the code {info.code} for {info.name}" if info else _did_you_mean_code(code)
            _fail(label, f"{path} has '{code}', which is no rule code{hint} (`coach rules` lists the codes)")
        _check_value(label, f"{path}.{code}", "severity", severity)


def _check_codes(label: str, key: str, value: Any) -> None:
    _check_value(label, key, "codes", value)
    for pattern in value:
        p = pattern.strip().upper()
        if p != "ALL" and not any(code.startswith(p) for code in CODES):
            info = BY_NAME.get(pattern.strip().lower())
            hint = f"; use the code {info.code} for {info.name}" if info else _did_you_mean_code(p)
            _fail(label, f"{key} has '{pattern}', which matches no rule code{hint} (`coach rules` lists the codes)")


def _check_consistency(data: dict[str, Any], label: str) -> None:
    """Relations between settings that each look valid alone."""
    vm101 = data["rules"]["VM101"]
    if vm101["error_s"] < vm101["max_s"]:
        _fail(label, f"rules.VM101.error_s ({vm101['error_s']}) must be at least rules.VM101.max_s ({vm101['max_s']})")
    pace_low, pace_high = data["rules"]["VM202"]["min_wpm"], data["rules"]["VM201"]["max_wpm"]
    if pace_low >= pace_high:
        _fail(label, f"rules.VM202.min_wpm ({pace_low}) must be below rules.VM201.max_wpm ({pace_high})")
    verdict = data["verdict"]
    floors = [(k, verdict[k]) for k in ("ready", "almost", "retake")]
    for (high, a), (low, b) in zip(floors, floors[1:], strict=False):
        if a <= b:
            _fail(label, f"verdict.{high} ({a}) must be above verdict.{low} ({b})")
    if verdict["core_cap"] >= verdict["ready"]:
        _fail(
            label,
            f"verdict.core_cap ({verdict['core_cap']}) must be below verdict.ready ({verdict['ready']}), "
            "so a take that breaks a core rule cannot read ready",
        )
    analysis = data["analysis"]
    if analysis["min_duration_s"] >= analysis["max_duration_s"]:
        _fail(
            label,
            f"analysis.min_duration_s ({analysis['min_duration_s']}) must be below "
            f"analysis.max_duration_s ({analysis['max_duration_s']})",
        )
