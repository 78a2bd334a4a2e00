"""Where the analytic's Ibis expressions run. DuckDB, embedded, is the default."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from acctrace.normalise.model import SCHEMAS
from acctrace.storage.database import NO_NETWORK


class Engine:
    """An Ibis backend with the three operations the analytic needs."""

    def __init__(self, con: Any | None = None):
        self.con = con if con is not None else ibis.duckdb.connect(**NO_NETWORK)

    def load(self, tables: dict[str, pa.Table | ir.Table]) -> dict[str, ir.Table]:
        """Arrow tables are loaded into the engine; Ibis tables (a persistent store's) are
        used where they are."""
        return {name: self._load(name, table) for name, table in tables.items()}

    def _load(self, name: str, table: pa.Table | ir.Table) -> ir.Table:
        if isinstance(table, ir.Table):
            return table
        # Copied by DuckDB itself from the Arrow table: Ibis' create_table would compile the
        # copy and import pyarrow.dataset and pandas first (a third of a second per hunt).
        name = ibis.util.gen_name(f"acctrace_{name}")
        duckdb = self.con.con
        duckdb.register(f"{name}_arrow", table)
        try:
            duckdb.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM "{name}_arrow"')
        finally:
            duckdb.unregister(f"{name}_arrow")
        return self.con.table(name, database=("temp", "main"))

    def read_parquet(self, directory: Path) -> dict[str, ir.Table]:
        """The event tables of a dataset written by `acctrace ingest --parquet`."""
        tables = {}
        for kind, schema in SCHEMAS.items():
            folder = directory / kind
            if any(folder.rglob("*.parquet")):
                table = self._parquet(folder)
                tables[kind] = table.drop("day") if "day" in table.columns else table
            else:
                tables[kind] = self._load(kind, schema.empty_table())
        return tables

    def _parquet(self, folder: Path) -> ir.Table:
        return self.con.read_parquet(str(folder / "**" / "*.parquet"), hive_partitioning=True)

    def materialise(self, expr: ir.Table) -> ir.Table:
        """Compute once and keep, so iterative steps do not nest ever-deeper queries."""
        return self.con.create_table(ibis.util.gen_name("acctrace_step"), expr, temp=True)

    def settle(self, expr: ir.Table) -> ir.Table:
        """Compute a small result and load it back as a plain table, so that the queries
        reading it start from its rows, not from its plan (on Spark, plans that read a
        cached step still carry its whole plan, and the lineage walk reads the candidates
        at every level)."""
        return self._load("settled", self.con.to_pyarrow(expr))

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        return self.con.to_pyarrow(expr).to_pylist()

    def count(self, expr: ir.Table) -> int:
        return int(self.con.execute(expr.count()))
