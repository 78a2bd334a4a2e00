"""Assess: per-finding reasoning in plain Python over the correlated rows.

`attribution` picks the creating process, `verdict` scores and explains, `policy` matches
approved workflows, and `build` assembles the `Finding`.
"""
