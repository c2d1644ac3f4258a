"""Voicemail Coach in the browser: ``streamlit run app.py``.

Practice (record, upload or pick a sample, get the report), History (every
take, progress, comparisons), Review (the trainer's view of the team's takes)
and Team settings (the rules' settings, saved to coach.toml). The pages live in :mod:`coach.ui`.
"""

import streamlit as st

from coach.config import load_config
from coach.errors import CoachError
from coach.ui.pages import history as history_page
from coach.ui.pages import practice, review, team_settings
from coach.ui.views import profile, theme

theme.setup_page()
theme.header()

try:
    config = load_config()
except CoachError as exc:
    st.error(str(exc))
    st.stop()

profile.render_form(config)
practice_tab, history_tab, review_tab, settings_tab = st.tabs(
    [
        ":material/mic: Practice",
        ":material/insights: History",
        ":material/groups: Review",
        ":material/tune: Team settings",
    ]
)
with practice_tab:
    practice.render(config)
with history_tab:
    history_page.render(config)
with review_tab:
    review.render(config)
with settings_tab:
    team_settings.render(config)
