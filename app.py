"""Voicemail Coach in the browser: ``streamlit run app.py``.

Practice (record, upload or pick a sample, get the report), History (every
take, progress, comparisons), Review (the trainer's view of the team's takes)
and Team settings (the rules' settings, saved to coach.toml). The pages live in :mod:`coach.ui`.
With sign-in on (``[auth]`` in .streamlit/secrets.toml, see docs/deploy.md) a
visitor sees only the sign-in button and a rep only Practice and History.
"""

import streamlit as st

from coach.config import load_config
from coach.errors import CoachError
from coach.ui import auth, state
from coach.ui.pages import history as history_page
from coach.ui.pages import practice, review, team_settings
from coach.ui.views import profile, theme

theme.setup_page()
state.warm_up()  # once per server, in the background: the model is ready by the first take
theme.header()
actor = auth.gate()

try:
    config = load_config()
except CoachError as exc:
    st.error(str(exc))
    st.stop()

profile.render_form(config)
if actor.sees_everyone:
    practice_tab, history_tab, review_tab, settings_tab = st.tabs(
        [
            ":material/mic: Practice",
            ":material/insights: History",
            ":material/groups: Review",
            ":material/tune: Team settings",
        ]
    )
    with review_tab:
        review.render(config)
    with settings_tab:
        team_settings.render(config)
else:  # a signed-in rep: their own practice and history
    practice_tab, history_tab = st.tabs([":material/mic: Practice", ":material/insights: History"])
with practice_tab:
    practice.render(config)
with history_tab:
    history_page.render(config)
