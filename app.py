"""Voicemail Coach in the browser: ``streamlit run app.py``.

Practice (record, upload or pick a sample, get the report) and History (every
take, progress, comparisons). The pages live in :mod:`coach.ui`.
"""

import streamlit as st

from coach.config import load_config
from coach.errors import CoachError
from coach.ui import state
from coach.ui.pages import history as history_page
from coach.ui.pages import practice
from coach.ui.views import profile, theme

theme.setup_page()
state.warm_up()  # once per server, in the background: the model is ready by the first take
theme.header()

try:
    config = load_config()
except CoachError as exc:
    st.error(str(exc))
    st.stop()

profile.render_form(config)
practice_tab, history_tab = st.tabs([":material/mic: Practice", ":material/insights: History"])
with practice_tab:
    practice.render(config)
with history_tab:
    history_page.render(config)
