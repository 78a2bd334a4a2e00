"""The commands of the command line, one module per family, registered lazily in cli.py.

A command module imports only click and light modules at its top: `acctrace --help` loads
every command module to list them, so Ibis, DuckDB, pandas or pyarrow are imported inside the
command's body, when it runs (tests/test_startup.py holds this).
"""
