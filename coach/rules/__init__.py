"""The rule engine and its catalogue: :mod:`coach.rules.engine` runs the rules over a report.

Kept empty on purpose: :mod:`coach.config` reads :mod:`coach.rules.catalogue`
(what each rule is and which settings it takes) without loading the checks.
"""
