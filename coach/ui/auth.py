"""Sign-in for a team server: Streamlit's OpenID Connect (``st.login``), roles from configuration.

Off unless ``.streamlit/secrets.toml`` has an ``[auth]`` section (Streamlit's
own: ``redirect_uri``, ``cookie_secret``, ``client_id``, ``client_secret``,
``server_metadata_url``, for Google, Microsoft, Okta, Keycloak or any OIDC
provider). Then a visitor sees only the sign-in button, and each signed-in
user acts on the history as themselves (:class:`~coach.history.access.Actor`,
checked in the store): a rep sees only their own takes, a trainer the team's.

Who is a trainer, from ``[team]`` in the same file (see
``.streamlit/secrets.example.toml``)::

    [team]
    trainers = ["pat@example.com"]      # e-mails, any case
    trainer_group = "sales-trainers"    # or: members of this group...
    group_claim = "groups"              # ...in this claim of the ID token

Everyone else who signs in is a rep. Without ``[auth]`` the coach is the
single-user tool it always was: no sign-in, one user who may do everything.
Nothing here logs or shows a secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from coach.history.access import LOCAL, Actor
from coach.history.store import History

AUTH_SECTION = "auth"
TEAM_SECTION = "team"


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    """A section of Streamlit's secrets, or None (no secrets file, or no such section)."""
    try:
        if name not in st.secrets:
            return None
        found = st.secrets[name]
    except (KeyError, OSError, StreamlitAPIException):
        return None
    return found if isinstance(found, Mapping) else None


def enabled() -> bool:
    """Whether sign-in is on: ``[auth]`` in ``.streamlit/secrets.toml``."""
    return _secrets_section(AUTH_SECTION) is not None


def role_for(email: str, claims: Mapping[str, Any], team: Mapping[str, Any] | None) -> str:
    """``trainer`` when the e-mail is in ``trainers`` or the group claim names ``trainer_group``; else ``rep``."""
    team = team or {}
    trainers = {str(e).strip().casefold() for e in team.get("trainers", []) or []}
    if email.strip().casefold() in trainers:
        return "trainer"
    group = str(team.get("trainer_group", "") or "").strip()
    if group:
        groups = claims.get(str(team.get("group_claim", "groups") or "groups"), [])
        if isinstance(groups, str):
            groups = [groups]
        if group in {str(g) for g in groups or []}:
            return "trainer"
    return "rep"


def actor() -> Actor | None:
    """Who is using this session: the single user (sign-in off), the signed-in user, or None (signed out)."""
    if not enabled():
        return LOCAL
    user = st.user
    if not user.is_logged_in:
        return None
    claims = user.to_dict()
    identity = str(claims.get("email") or claims.get("sub") or "").strip()
    if not identity:
        return None
    name = str(claims.get("name") or "").strip()
    return Actor(identity, name, role_for(identity, claims, _secrets_section(TEAM_SECTION)))


def gate() -> Actor:
    """For ``app.py``: the acting user; when sign-in is on and nobody is signed in, only a sign-in button."""
    found = actor()
    if found is None:
        st.info("Sign in to practise your voicemails and see your takes.", icon=":material/lock:")
        if st.button("Sign in", type="primary", icon=":material/login:", key="vc-sign-in"):
            st.login()
        st.stop()
    assert found is not None
    if found.role != "owner":
        with st.sidebar:
            st.caption(f"Signed in as **{found.label}** ({found.role})")
            if st.button("Sign out", icon=":material/logout:", key="vc-sign-out"):
                st.logout()
    return found


def session_history() -> History:
    """The history as this session's user sees it (every read and write checked in the store)."""
    found = actor()
    if found is None:  # signed out: the page never gets this far; refuse rather than show anything
        from coach.history.access import AccessDeniedError

        raise AccessDeniedError("Sign in to see your takes.")
    return History().as_actor(found)
