"""Normalise: every input shape becomes one event model (see `model.py`)."""
