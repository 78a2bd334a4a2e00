"""Tuning from history: what routine account creation looks like here.

`learn.propose` turns past findings into proposed approved workflows (`acctrace baseline`);
`novelty.apply_baseline` is the hunt hook that compares new findings with them
(`acctrace hunt --baseline FILE`). This module imports neither, so that the pipeline can
import the hook without importing the pipeline back.
"""
