"""The Streamlit app (``app.py``): it draws reports and never analyses.

- :mod:`~coach.ui.pages`: one module per tab (Practice, History), laying out views.
- :mod:`~coach.ui.views`: what is drawn from a report (the report view, key
  figures, timeline, transcript, script diff, comparison, cost, theme).
- :mod:`~coach.ui.state`: session state and the cached resources (the history,
  the analyser, playback audio); :mod:`~coach.ui.safe`: escaping user text;
  :mod:`~coach.ui.samples`: the bundled sample voicemails.
"""
