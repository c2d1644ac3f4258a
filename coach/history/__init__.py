"""The take history: every analysed take, its report and its recording (:mod:`~coach.history.store`)."""
