"""The normalised events as a Parquet dataset: one folder per event kind, partitioned by
day (`DIR/<kind>/day=YYYY-MM-DD/*.parquet`), readable by DuckDB and Spark alike.

`acctrace ingest --parquet DIR` writes it; `acctrace hunt --parquet DIR` (on either
engine) reads it. An event already in the dataset is not written again.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

_DAY = "day"


def write(tables: dict[str, pa.Table], directory: Path) -> int:
    """Add the events not in the dataset yet; returns how many were written."""
    written = 0
    batch = uuid.uuid4().hex
    for kind, table in tables.items():
        new = _not_stored(table, directory / kind)
        if new.num_rows == 0:
            continue
        days = pc.strftime(pc.cast(pc.fill_null(new["time_us"], 0), pa.timestamp("us")), "%Y-%m-%d")
        ds.write_dataset(
            new.append_column(_DAY, days),
            directory / kind,
            format="parquet",
            partitioning=ds.partitioning(pa.schema([(_DAY, pa.string())]), flavor="hive"),
            basename_template=f"part-{batch}-{{i}}.parquet",
            existing_data_behavior="overwrite_or_ignore",
        )
        written += new.num_rows
    return written


def _not_stored(table: pa.Table, folder: Path) -> pa.Table:
    if not folder.exists():
        return table
    stored = ds.dataset(folder, format="parquet", partitioning="hive").to_table(
        columns=["event_key"]
    )
    keep = pc.invert(pc.is_in(table["event_key"], value_set=stored["event_key"]))
    return table.filter(keep)
