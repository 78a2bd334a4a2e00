"""The exported Spark SQL views run on a local Spark session over the Parquet dataset
`acctrace ingest --parquet` writes, and give the pairs the correlation finds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from acctrace.correlate.run import correlate
from acctrace.correlate.window import Window
from acctrace.export import sql
from acctrace.export.definition import analytic_of
from acctrace.reading import read_inputs
from acctrace.scenario.writers import write_demo
from acctrace.storage import parquet

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("Java 17 is not installed", allow_module_level=True)

pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def test_spark_sql_views_give_the_candidate_pairs(shared_data: Path, tmp_path: Path) -> None:
    from acctrace.spark.engine import session

    paths = [
        shared_data / "evtx" / "mdecrevoisier",
        # A creation only the SAM registry shows (Sysmon 13).
        shared_data
        / "evtx"
        / "evtx-attack-samples"
        / "Persistence"
        / "persistence_hidden_local_account_sysmon.evtx",
        *write_demo(tmp_path / "demo", "event-json", seed=11),
    ]
    tables = read_inputs(paths).store.tables()
    expected = {
        (s.creation["event_key"], c["event_key"])
        for s in correlate(tables, Window()).stories
        for c in s.candidates
    }
    lake = tmp_path / "lake"
    parquet.write(tables, lake)
    spark = session("local[2]")
    for kind in sql.INPUT_TABLES:
        spark.sql(f"DROP TABLE IF EXISTS {kind}")
        # External tables over the dataset: nothing is copied. Spark infers the day
        # partitions and the catalog registers them on repair.
        if any((lake / kind).rglob("*.parquet")):
            spark.sql(f"CREATE TABLE {kind} USING parquet LOCATION '{lake / kind}'")
            spark.sql(f"MSCK REPAIR TABLE {kind}")
        else:  # a kind without events: an empty file with its schema
            (lake / kind).mkdir(parents=True)
            pq.write_table(tables[kind], lake / kind / "empty.parquet")
            spark.sql(f"CREATE TABLE {kind} USING parquet LOCATION '{lake / kind}'")
    for statement in sql.render(analytic_of(None, Window()), "spark").split(";\n"):
        if statement.strip():
            spark.sql(statement)
    rows = spark.sql(f"SELECT creation_key, process_key FROM {sql.PAIR_VIEW}").collect()
    assert len(expected) >= 10
    assert {(r.creation_key, r.process_key) for r in rows} == expected
