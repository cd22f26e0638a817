"""Who says so: attribution extraction, source typing and resolution, hedges, check-worthiness.

The analysers in :mod:`newsift.analyze.attribution` and :mod:`newsift.analyze.claims` are thin wrappers over
this package; the evaluation scorers in :mod:`newsift.eval` call the same functions.
"""
