"""Before the recording: the script builder and the text lint.

:mod:`~coach.script.builder` fills the sentence templates of
``templates.toml`` (:mod:`~coach.script.templates`) with the form's fields;
:mod:`~coach.script.words` makes a report from a script's text, which
:mod:`~coach.script.lint` has the rule engine judge (the rules that read
words alone); :mod:`~coach.script.estimate` times it at the rep's own pace.
"""
