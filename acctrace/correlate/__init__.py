"""Correlate: the relational half of the analytic, defined once in portable Ibis.

`analytic.py` holds pure functions (Ibis tables in, an Ibis table out) for each join;
`run.py` executes them on an `Engine` and hands the small result to the assessment.
"""
