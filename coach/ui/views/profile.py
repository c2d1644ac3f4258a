"""The sidebar's "Your details": the rep's name, company, callback number and e-mail.

Starts from the details of the last take in the history (each report keeps
the profile it used), else from the settings' ``[rep]`` table (coach.toml),
and is kept for the browser session; every field is checked by the same
validation as the settings (:func:`coach.config.overlay_rep`). The Practice
page analyses each take with :func:`current_rep`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from coach.config import overlay_rep
from coach.errors import CoachError, ConfigError
from coach.history.store import History
from coach.report import RepProfile

if TYPE_CHECKING:
    from coach.config import Config

#: Field -> (label, placeholder, help).
FIELDS = {
    "name": ("Your name", "e.g. Sam Lee", "The coach checks that you say it."),
    "company": ("Company", "e.g. Acme", 'Accepted in "Sam from Acme" as your introduction.'),
    "number": ("Callback number", "e.g. 415-555-0192", "The coach checks that the number you say is this one."),
    "email": ("E-mail", "e.g. sam@acme.com", "For the follow-up e-mail."),
}
_PROFILE_KEY = "vc-rep-profile"


def last_profile(history: History | None = None) -> RepProfile | None:
    """The profile of the newest take that has one, or None (no history, or it cannot be read:
    the pages say why)."""
    try:
        history = history or History()
        for summary in history.list_takes()[:20]:
            rep = history.get_take(summary.id).report.rep
            if rep is not None and not rep.is_empty:
                return rep
    except CoachError:
        return None
    return None


def render_form(config: Config) -> RepProfile:
    """Draw the form in the sidebar; return the profile in force (the settings' where a field is invalid)."""
    if not any(f"vc-rep-{key}" in st.session_state for key in FIELDS):
        start = last_profile() or config.rep
        for key in FIELDS:
            st.session_state[f"vc-rep-{key}"] = getattr(start, key)
    with st.sidebar:
        st.subheader("Your details")
        st.caption(
            "Used to check your name and number in every take. Filled in from your last take, or from coach.toml [rep]."
        )
        values = {}
        for key, (label, placeholder, help_text) in FIELDS.items():
            values[key] = st.text_input(label, key=f"vc-rep-{key}", placeholder=placeholder, help=help_text)
        try:
            profile = overlay_rep(config.rep, values, label="Your details", prefix="")
        except ConfigError as exc:
            st.error(str(exc), icon=":material/error:")
            profile = config.rep
    st.session_state[_PROFILE_KEY] = profile
    return profile


def current_rep(config: Config) -> RepProfile:
    """The profile the sidebar holds for this session (the settings' before the form has drawn)."""
    profile = st.session_state.get(_PROFILE_KEY)
    return profile if isinstance(profile, RepProfile) else config.rep
