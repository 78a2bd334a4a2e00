"""acctrace: attribute every Windows account creation to who, with what, and what happened next."""

__version__ = "0.1.0"
