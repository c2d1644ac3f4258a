"""The sidebar's "Your details": the rep's name, company, callback number and e-mail.

Starts from the settings' ``[rep]`` table (coach.toml), the name from the
newest take in the history when the settings give none, and is kept for the
browser session (the take's rep is this name); every field is checked by the same validation as the
settings (:func:`coach.config.overlay_rep`). The Practice page analyses each
take with :func:`current_rep`, and each report keeps the profile it used.
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


def render_form(config: Config) -> RepProfile:
    """Draw the form in the sidebar; return the profile in force (the settings' where a field is invalid)."""
    with st.sidebar:
        st.subheader("Your details")
        st.caption("Used to check your name and number in every take. Defaults come from coach.toml [rep].")
        values = {}
        offered = config.rep.name or last_name_used()
        for key, (label, placeholder, help_text) in FIELDS.items():
            start = offered if key == "name" else getattr(config.rep, key)
            values[key] = st.text_input(
                label, value=start, key=f"vc-rep-{key}", placeholder=placeholder, help=help_text
            )
        if offered and not config.rep.name and values["name"] == offered:
            st.caption("Your name is offered from your last take; change it if this is not you.")
        try:
            profile = overlay_rep(config.rep, values, label="Your details", prefix="")
        except ConfigError as exc:
            st.error(str(exc), icon=":material/error:")
            profile = config.rep
    st.session_state[_PROFILE_KEY] = profile
    return profile


def last_name_used() -> str:
    """The rep name of the newest take in the history ("" when none, or when the history cannot be read)."""
    try:
        return History().last_rep_name() or ""
    except CoachError:
        return ""


def current_rep(config: Config) -> RepProfile:
    """The profile the sidebar holds for this session (the settings' before the form has drawn)."""
    profile = st.session_state.get(_PROFILE_KEY)
    return profile if isinstance(profile, RepProfile) else config.rep
