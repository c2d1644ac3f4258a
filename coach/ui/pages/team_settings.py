"""The Team settings tab: thresholds, phrase lists, severities, which rules run, the pass mark.

Edits are saved to ``coach.toml`` in the app's working directory, the same
file ``coach analyze`` and ``coach batch`` read there. The page only writes
what differs from the shipped defaults; before anything is written, the new
file's text is checked by :func:`coach.config.config_from_text` (the same
validation as every settings file), so a bad value is refused with its
message and the old file stays. The file is rewritten, so comments in it are
not kept. Stored takes keep their scores until re-scored (Review tab).
"""

from __future__ import annotations

import copy
import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st
import tomli_w

from coach.config import EXTEND_PREFIX, KINDS, USER_FILE, config_from_text, default_data
from coach.errors import ConfigError
from coach.history.review import title
from coach.rules.catalogue import BY_CODE, CODES, SEVERITIES

if TYPE_CHECKING:
    from coach.config import Config

LIST_KINDS = ("phrases", "words")


def settings_path() -> Path:
    """The team's settings file: ``coach.toml`` in the working directory."""
    return Path.cwd() / USER_FILE


def render(config: Config) -> None:
    path = settings_path()
    st.subheader("Team settings")
    st.caption(
        f"Saved to {path}, the file the `coach` command reads in this folder. Only what differs from the "
        "defaults is written; comments in that file are not kept. Stored takes keep their scores until you "
        "re-score them on the Review tab."
    )
    try:
        user = _read_user(path)
    except ConfigError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    edited = copy.deepcopy(user)
    defaults = default_data()

    c1, c2, c3, c4 = st.columns(4)
    _set(
        edited,
        defaults,
        ("review", "pass_mark"),
        c1.number_input("Pass mark", 0, 100, config.pass_mark, 1, key="vc-settings-pass-mark"),
    )
    for column, severity in zip((c2, c3, c4), SEVERITIES, strict=True):
        value = column.number_input(
            f"Points for {'an' if severity == 'error' else 'a'} {severity}",
            0,
            100,
            int(config.score.points(severity)),
            1,
            key=f"vc-settings-points-{severity}",
        )
        _set(edited, defaults, ("score", severity), value)

    off = st.multiselect(
        "Rules switched off",
        CODES,
        default=[c for c in CODES if not config.is_enabled(c)],
        format_func=lambda c: f"{c} {title(BY_CODE[c].name)}",
        key="vc-settings-off",
        help="These rules do not run for the team (the settings' ignore list).",
    )
    if sorted(off) != sorted(c for c in CODES if not config.is_enabled(c)):
        edited["ignore"] = sorted(off)
        edited.pop("select", None)

    code = st.selectbox(
        "Rule to tune",
        CODES,
        format_func=lambda c: f"{c} {title(BY_CODE[c].name)}: {BY_CODE[c].summary.split('{')[0].strip()}",
        key="vc-settings-rule",
    )
    if code is not None:
        _rule_editor(code, config, edited, defaults)

    changed = edited != user
    if st.button("Save team settings", type="primary", disabled=not changed, key="vc-settings-save"):
        try:
            save_user_settings(path, edited)  # the next analysis reads it (state.analyzer)
        except ConfigError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        st.success(f"Saved {path}. New analyses use these settings; re-score stored takes on the Review tab.")
        st.rerun()
    if changed:
        st.caption("Unsaved changes.")


def _rule_editor(code: str, config: Config, edited: dict[str, Any], defaults: dict[str, Any]) -> None:
    info = BY_CODE[code]
    values = config.rule(code)
    with st.container(border=True):
        st.markdown(f"**{code} {title(info.name)}**")
        st.caption(info.why)
        severity = st.selectbox(
            "Severity", SEVERITIES, index=SEVERITIES.index(values["severity"]), key=f"vc-settings-{code}-severity"
        )
        _set(edited, defaults, ("rules", code, "severity"), severity)
        for setting in info.settings:
            key = f"vc-settings-{code}-{setting.name}"
            current = values[setting.name]
            label = f"{setting.name}: {setting.help}"
            unit = KINDS[setting.kind].unit
            if unit:
                label += f" ({unit})"
            if setting.kind in LIST_KINDS:
                text = st.text_area(label, "\n".join(current), key=key, help="One per line.")
                value: Any = [line.strip() for line in text.splitlines() if line.strip()]
            elif setting.kind == "weighted_phrases":
                text = st.text_area(
                    label, "\n".join(f"{p} = {w:g}" for p, w in current.items()), key=key, help="phrase = weight"
                )
                value = _weighted(text, code, setting.name)
            elif setting.kind == "text":
                value = st.text_input(label, current, key=key)
            elif setting.kind == "count":
                value = int(st.number_input(label, min_value=0, value=int(current), step=1, key=key))
            else:
                value = float(st.number_input(label, value=float(current), key=key, format="%g"))
            if value != current:
                edited.setdefault("rules", {}).setdefault(code, {}).pop(EXTEND_PREFIX + setting.name, None)
            _set(edited, defaults, ("rules", code, setting.name), value, current=current)


def _weighted(text: str, code: str, name: str) -> dict[str, float] | str:
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        phrase, _, weight = line.rpartition("=")
        try:
            out[phrase.strip().strip('"')] = float(weight)
        except ValueError:
            return text  # invalid: config_from_text names the key when saving
    return out


def _set(
    edited: dict[str, Any], defaults: dict[str, Any], path: tuple[str, ...], value: Any, *, current: Any = None
) -> None:
    """Put ``value`` at ``path`` of the user file, or remove it there when it is the default."""
    default: Any = defaults
    for part in path:
        default = default[part]
    table = edited
    for part in path[:-1]:
        table = table.setdefault(part, {})
    if current is not None and value == current:
        return  # untouched: keep the file as it is (an extend_ key stays an extend_ key)
    if value == default:
        table.pop(path[-1], None)
    else:
        table[path[-1]] = value
    _prune(edited)


def _prune(data: dict[str, Any]) -> None:
    for key in [k for k, v in data.items() if isinstance(v, dict)]:
        _prune(data[key])
        if not data[key]:
            del data[key]


def _read_user(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}); fix or remove it before editing here.") from None


def save_user_settings(path: Path, data: dict[str, Any]) -> Config:
    """Validate ``data`` as a settings file and write it to ``path`` atomically; returns the new settings."""
    text = "# Team settings for Voicemail Coach, saved by the app's Team settings tab.\n" + tomli_w.dumps(data)
    config = config_from_text(text, str(path))
    tmp = path.with_name(f".{path.name}.saving")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot be written ({exc.strerror or exc}).") from None
    return config
