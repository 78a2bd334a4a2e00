"""A persistent store of normalised events (DuckDB), for hunts that grow incrementally."""
