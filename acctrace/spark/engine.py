"""The Spark engine: the analytic's Ibis expressions on Ibis's PySpark backend."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from acctrace.correlate.engine import Columns, Engine, Row, call
from acctrace.correlate.window import Window
from acctrace.errors import AcctraceError
from acctrace.normalise.model import SCHEMAS, arrow_schema

DEFAULT_MASTER = "local[*]"


class SparkUnavailable(AcctraceError):
    """PySpark or Java is missing."""


def session(master: str = DEFAULT_MASTER) -> Any:
    """A Spark session (created, or the running one when acctrace is spark-submitted)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            "the Spark engine needs PySpark and Java 17: pip install 'acctrace[spark]'"
        ) from exc
    # Executors run acctrace's readers: on a local master, in this very Python.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        spark = (
            SparkSession.builder.master(master)
            .appName("acctrace")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            # A local master runs everything in the driver's JVM; the 1 GB default is short.
            .config("spark.driver.memory", os.environ.get("ACCTRACE_SPARK_DRIVER_MEMORY", "4g"))
            .getOrCreate()
        )
    except Exception as exc:  # py4j/JVM start-up failures have no common base class
        raise SparkUnavailable(f"Spark could not start ({exc}); is Java 17 installed?") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


class SparkEngine(Engine):
    """The steps as Ibis expressions on Ibis' PySpark backend, Arrow tables as temporary
    views. Each step's result is small (rows per account creation) and is fetched anyway,
    so it comes back as Arrow and is loaded again: later steps start from its rows, not
    from its plan (plans that read a cached step still carry its whole plan, and the
    lineage walk would nest one level deeper per parent)."""

    def __init__(self, spark: Any):
        self.con = ibis.pyspark.connect(spark)
        self.spark = spark
        self.tables: dict[str, ir.Table] = {}
        self.results: dict[str, pa.Table] = {}

    def load_table(self, name: str, table: pa.Table) -> str:
        frame = self.spark.createDataFrame(table, schema=_spark_schema(table.schema))
        return self.view(name, frame)

    def load_rows(self, name: str, rows: Iterable[Row], columns: Columns) -> str:
        return self.load_table(name, pa.Table.from_pylist(list(rows), arrow_schema(columns)))

    def view(self, name: str, frame: Any) -> str:
        """A Spark DataFrame as the table `name`."""
        view = ibis.util.gen_name("acctrace")
        frame.createOrReplaceTempView(view)
        self.tables[name] = self.con.table(view)
        return name

    def read_parquet(self, directory: Path) -> None:
        for kind, schema in SCHEMAS.items():
            folder = directory / kind
            if any(folder.rglob("*.parquet")):
                self.view(kind, self.spark.read.parquet(str(folder)).select(*schema.names))
            else:
                self.load_table(kind, schema.empty_table())

    def step(
        self, name: str, build: str, *inputs: str, window: Window | None = None, **tunables: Any
    ) -> str:
        expr = call(build, [self.tables[n] for n in inputs], window, tunables)
        self.results[name] = self.con.to_pyarrow(expr)
        return self.load_table(name, self.results[name])

    def rows(self, name: str) -> list[dict[str, Any]]:
        if name in self.results:
            return self.results[name].to_pylist()
        return self.con.to_pyarrow(self.tables[name]).to_pylist()


def _spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema of an Arrow schema (an empty table carries no types otherwise)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
