"""Distributed reading: acctrace's own readers and normalisers run on Spark's executors.

A DataFrame of file paths is spread over the executors; `mapInArrow` runs the same
`read_inputs` there on each file and emits its events as Arrow batches of one wide schema
(every kind's columns, plus `kind`), and each file's accounting as one `tally` row. The
driver splits the result per kind and keeps each event once, as `EventStore` does: the
copy from the file whose name sorts first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyarrow as pa

from acctrace.errors import InputProblem
from acctrace.normalise.model import SCHEMAS
from acctrace.reading import Reading, read_inputs
from acctrace.sources import Tally
from acctrace.sources.inputs import files

_TALLY = "tally"


def wide_schema() -> pa.Schema:
    fields: dict[str, pa.Field] = {"kind": pa.field("kind", pa.string())}
    for schema in SCHEMAS.values():
        for field in schema:
            fields.setdefault(field.name, field)
    fields["tally"] = pa.field("tally", pa.string())  # a file's accounting, as JSON
    return pa.schema(list(fields.values()))


def read_on_executors(spark: Any, paths: list[Path]) -> tuple[dict[str, Any], Reading]:
    """Per kind, a Spark DataFrame of the events under `paths`; and the accounting."""
    from acctrace.spark.engine import _spark_schema

    listed = list(files(paths))
    reading = Reading()
    reading.problems += [p for p in listed if isinstance(p, InputProblem)]
    names = [str(p) for p in listed if isinstance(p, Path)]
    schema = wide_schema()
    frame = spark.createDataFrame([(n,) for n in names], "path string")
    frame = frame.repartition(max(1, min(len(names), spark.sparkContext.defaultParallelism)))
    out = frame.mapInArrow(_reader(schema), _spark_schema(schema)).cache()
    for row in out.filter(out.kind == _TALLY).select("tally").collect():
        tally, problems = _tally_from_json(row["tally"])
        reading.tallies.append(tally)
        reading.problems += problems
    reading.tallies.sort(key=lambda t: t.file)
    return {kind: _first_copy(out, kind, schema) for kind in SCHEMAS}, reading


def _reader(schema: pa.Schema):
    def read_files(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for path in batch.column("path").to_pylist():
                part = read_inputs([Path(path)], workers=1)
                for kind, table in part.store.tables().items():
                    if table.num_rows:
                        yield from _widened(table, kind, schema).to_batches()
                for tally in part.tallies:
                    yield _tally_batch(tally, part, schema)

    return read_files


def _widened(table: pa.Table, kind: str, schema: pa.Schema) -> pa.Table:
    columns = {
        f.name: table[f.name] if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
        for f in schema
    }
    columns["kind"] = pa.array([kind] * table.num_rows, pa.string())
    return pa.table(columns, schema=schema)


def _tally_batch(tally: Tally, part: Reading, schema: pa.Schema) -> pa.RecordBatch:
    problems = [asdict(p) for p in part.problems if p.file == tally.file]
    payload = {**asdict(tally), "skipped": dict(tally.skipped), "problems": problems}
    row = {f.name: [None] for f in schema} | {"kind": [_TALLY], "tally": [json.dumps(payload)]}
    return pa.RecordBatch.from_pydict(row, schema=schema)


def _tally_from_json(text: str) -> tuple[Tally, list[InputProblem]]:
    data = json.loads(text)
    problems = [InputProblem(**p) for p in data.pop("problems")]
    data.pop("problems", None)
    tally = Tally(**{k: v for k, v in data.items() if k != "skipped"})
    tally.skipped.update(data["skipped"])
    tally.problems = [InputProblem(**p) if isinstance(p, dict) else p for p in tally.problems]
    return tally, problems


def _first_copy(out: Any, kind: str, schema: pa.Schema) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rows = out.filter(out.kind == kind).select(*SCHEMAS[kind].names)
    first = Window.partitionBy("event_key").orderBy("file")
    return rows.withColumn("_copy", F.row_number().over(first)).filter("_copy = 1").drop("_copy")
