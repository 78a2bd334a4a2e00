"""A persistent store of normalised events (DuckDB), for hunts that grow incrementally."""

# DuckDB opened by acctrace (the store, the analytic's engine) never installs or loads an
# extension from the network: a file DuckDB would take for another format (SQLite) must not
# fetch a reader. Here, not in database.py, so the engine needs no pyarrow to import it.
NO_NETWORK = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
