"""The Streamlit app's building blocks, one concern per module.

Pure helpers (no Streamlit): :mod:`~coach.ui.safe` (escaping),
:mod:`~coach.ui.figures` (key figures and their target bands),
:mod:`~coach.ui.cost` (calling-block maths), :mod:`~coach.ui.phone_line`
(narrowband mu-law rendering), :mod:`~coach.ui.compare` (two takes' diff),
:mod:`~coach.ui.transcript_view` (highlighted transcript HTML),
:mod:`~coach.ui.timeline` (Altair chart), :mod:`~coach.ui.samples`
(the bundled sample voicemails).

Streamlit views: :mod:`~coach.ui.practice`, :mod:`~coach.ui.report_view`,
:mod:`~coach.ui.history_page`, with session state and cached resources in
:mod:`~coach.ui.state` and the page chrome in :mod:`~coach.ui.theme`.
"""
