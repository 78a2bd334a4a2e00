"""The Spark engine: the analytic's Ibis expressions on Ibis's PySpark backend."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from acctrace.correlate.engine import Engine
from acctrace.errors import AcctraceError

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
    """Loads Arrow tables as temporary views and materialises steps with `cache()`:
    the PySpark backend has no temporary tables."""

    def __init__(self, spark: Any):
        super().__init__(ibis.pyspark.connect(spark))
        self.spark = spark

    def _load(self, name: str, table: pa.Table | ir.Table) -> ir.Table:
        if isinstance(table, ir.Table):
            return table
        return self.view(self.spark.createDataFrame(table, schema=_spark_schema(table.schema)))

    def view(self, frame: Any) -> ir.Table:
        """A Spark DataFrame as an Ibis table."""
        name = ibis.util.gen_name("acctrace")
        frame.createOrReplaceTempView(name)
        return self.con.table(name)

    def _parquet(self, folder: Path) -> ir.Table:
        return self.view(self.spark.read.parquet(str(folder)))

    def materialise(self, expr: ir.Table) -> ir.Table:
        return expr.cache()


def _spark_schema(schema: pa.Schema) -> Any:
    """The Spark schema of an Arrow schema (an empty table carries no types otherwise)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
