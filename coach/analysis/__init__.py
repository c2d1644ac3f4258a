"""Samples to measurements: the acoustic measurements (:mod:`~coach.analysis.acoustics`),
Whisper's words (:mod:`~coach.analysis.transcribe`, with the offline weights in
:mod:`~coach.analysis.models` and :mod:`~coach.analysis.ct2`), and both combined
into the report's metrics (:mod:`~coach.analysis.metrics`).
"""
