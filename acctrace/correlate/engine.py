"""Where the analytic runs: named steps, each an Ibis expression over named tables.

The correlation is a sequence of steps (`run.py`, `trace.py`). A step names the function of
`analytic.py` or `origin.py` that builds it, the tables it reads (the event model's tables by
kind, earlier steps, or rows loaded from Python) and its tunables (the window, time bounds);
the engine leaves its result as a table of the step's name.

On DuckDB, the default, a step runs from its SQL: Ibis compiles each distinct step once per
process, and the steps of a hunt with the default tunables ship compiled ahead
(`compiled.py`, regenerated with `python -m acctrace.correlate.compile`), so a hunt with
them never imports Ibis at all. Tunables are not part of the SQL: the step is compiled with
sentinel values that are replaced by the real ones when it runs. On Spark the steps are Ibis
expressions on Ibis' PySpark backend (`acctrace.spark.engine`).
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import orjson

from acctrace.correlate.window import Window
from acctrace.normalise.model import COLUMNS
from acctrace.storage import NO_NETWORK

if TYPE_CHECKING:
    import pyarrow as pa

Row = dict[str, Any]
Tunable = int | None
Columns = list[tuple[str, str]]  # names and types, as model.COLUMNS gives them

# Values no real tunable takes, so that each can be found in compiled SQL and replaced.
_SENTINEL_BASE = 7_340_033_000_000_001


class _SentinelWindow(Window):
    """A window whose bounds are sentinels: what a step is compiled with."""

    def __init__(self, before_us: int, after_us: int):
        super().__init__()
        object.__setattr__(self, "_before", before_us)
        object.__setattr__(self, "_after", after_us)

    @property
    def before_us(self) -> int:
        return self._before  # type: ignore[attr-defined]

    @property
    def after_us(self) -> int:
        return self._after  # type: ignore[attr-defined]


def step_key(
    build: str, inputs: tuple[str, ...], window: bool, tunables: Mapping[str, Tunable]
) -> str:
    """What decides a step's SQL: its builder, the tables it reads, which tunables it has
    (and which of them are unset: an unset bound leaves its filter out)."""
    given = ",".join(
        f"{k}={'set' if v is not None else 'none'}" for k, v in sorted(tunables.items())
    )
    return f"{build}({', '.join(inputs)}){' window' if window else ''} {given}".strip()


def builder(build: str) -> Callable[..., Any]:
    """`analytic.candidate_processes` -> the function in acctrace.correlate.analytic."""
    module, _, name = build.rpartition(".")
    return getattr(importlib.import_module(f"acctrace.correlate.{module}"), name)


def call(build: str, tables: list[Any], window: Window | None, tunables: Mapping[str, Any]) -> Any:
    """The builder with `tables` as its leading parameters, then its window and tunables
    by name (the window is not always the last parameter)."""
    function = builder(build)
    kwargs = {**tunables, **({"window": window} if window is not None else {})}
    params = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params.values()):
        return function(*tables, **kwargs)
    names = [name for name in params if name not in kwargs]
    if len(tables) > len(names):
        raise TypeError(f"{build} reads {len(names)} tables, not {len(tables)}")
    return function(**dict(zip(names, tables, strict=False)), **kwargs)


class Engine:
    """DuckDB, embedded or on a store's connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection | None = None):
        self.con = con if con is not None else duckdb.connect(":memory:", config=NO_NETWORK)

    # --- the tables steps read ------------------------------------------------------------

    def load(self, tables: Mapping[str, pa.Table]) -> None:
        """The event model's Arrow tables, each as a temporary table named by its kind."""
        for kind, table in tables.items():
            self.load_table(kind, table)

    def load_table(self, name: str, table: pa.Table) -> str:
        # Copied by DuckDB itself from the Arrow table (Ibis would compile the copy).
        view = f"acctrace_arrow_{name}"
        self.con.register(view, table)
        try:
            self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM "{view}"')
        finally:
            self.con.unregister(view)
        return name

    def load_rows(self, name: str, rows: Iterable[Row], columns: Columns) -> str:
        """Rows made in Python (events read, the processes an origin hop looks for) as a
        table of these columns; keys not among them are left out, missing ones are null.

        DuckDB reads them as JSON lines from a temporary file, which needs neither pyarrow
        (0.1 s to import) nor pandas. Handed Python values or Arrow data instead, DuckDB
        imports pandas (to recognise pandas objects; an Arrow scan imports pyarrow.dataset,
        which imports it too), and so does pyarrow when it converts Python lists: 0.2 s, a
        fifth of a hunt of one small file."""
        typed = ", ".join(f'"{column}" {type_}' for column, type_ in columns)
        self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" ({typed})')
        handle, path = tempfile.mkstemp(prefix="acctrace-", suffix=".jsonl")
        try:
            with os.fdopen(handle, "wb") as out:
                out.writelines(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in rows)
                written = out.tell() > 0
            if written:  # most tables of a small hunt are empty: 1 ms each spared
                names = ", ".join(f'"{column}"' for column, _ in columns)
                types = ", ".join(f"{_quote(column)}: {_quote(t)}" for column, t in columns)
                self.con.execute(
                    f'INSERT INTO "{name}" SELECT {names} FROM read_json({_quote(path)}, '
                    f"format = 'newline_delimited', columns = {{{types}}})"
                )
        finally:
            os.unlink(path)
        return name

    def read_parquet(self, directory: Path) -> None:
        """The event tables of a dataset written by `acctrace ingest --parquet`."""
        for kind, columns in COLUMNS.items():
            folder = directory / kind
            if any(folder.rglob("*.parquet")):
                glob = str(folder / "**" / "*.parquet").replace("'", "''")
                names = ", ".join(f'"{c}"' for c, _ in columns)
                self.con.execute(
                    f'CREATE OR REPLACE TEMP VIEW "{kind}" AS SELECT {names} '
                    f"FROM read_parquet('{glob}', hive_partitioning = true)"
                )
            else:
                self.load_rows(kind, [], columns)

    # --- steps ----------------------------------------------------------------------------

    def step(
        self,
        name: str,
        build: str,
        *inputs: str,
        window: Window | None = None,
        **tunables: Tunable,
    ) -> str:
        """Run `build(*inputs, window=..., **tunables)` and keep its result as `name`."""
        sql = self._sql(build, inputs, window is not None, tunables)
        values = _values(window, tunables)
        self.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {_bind(sql, values)}')
        return name

    def schema(self, name: str) -> pa.Schema:
        return self.con.execute(f'SELECT * FROM "{name}" LIMIT 0').fetch_arrow_table().schema

    def rows(self, name: str) -> list[Row]:
        result = self.con.execute(f'SELECT * FROM "{name}"')
        names = [column[0] for column in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def _sql(self, build: str, inputs: tuple[str, ...], window: bool, tunables: Mapping) -> str:
        key = step_key(build, inputs, window, tunables)
        known = _compiled()
        if key not in known:
            known[key] = self.compile(build, inputs, window, tunables)
        return known[key]

    def compile(self, build: str, inputs: tuple[str, ...], window: bool, tunables: Mapping) -> str:
        """The step's SQL with sentinels in place of its tunables, compiled by Ibis from the
        tables `inputs` name (their schemas read from this connection)."""
        import ibis

        tables = [ibis.table(ibis.Schema.from_pyarrow(self.schema(n)), name=n) for n in inputs]
        sentinels = _sentinels(tunables)
        given = {k: v for k, v in sentinels.items() if k not in _WINDOW}
        stand_in = _SentinelWindow(sentinels["before_us"], sentinels["after_us"])
        expr = call(build, tables, stand_in if window else None, given)
        return ibis.to_sql(expr, dialect="duckdb")


_WINDOW = ("before_us", "after_us")


def _quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _sentinels(tunables: Mapping[str, Tunable]) -> dict[str, Tunable]:
    names = [*_WINDOW, *sorted(tunables)]
    return {
        name: (_SENTINEL_BASE + i if tunables.get(name, 0) is not None else None)
        for i, name in enumerate(names)
    }


def _values(window: Window | None, tunables: Mapping[str, Tunable]) -> dict[int, int]:
    """Sentinel -> the value it stands for in this run."""
    actual = dict(tunables)
    if window is not None:
        actual |= {"before_us": window.before_us, "after_us": window.after_us}
    sentinels = _sentinels(tunables)
    return {sentinels[k]: int(v) for k, v in actual.items() if v is not None}


_NUMBER = re.compile(r"\b7340033\d{9}\b")


def _bind(sql: str, values: Mapping[int, int]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(values[int(match.group())])

    return _NUMBER.sub(value, sql)


_cache: dict[str, str] | None = None


def forget_compiled() -> dict[str, str]:
    """Start again from nothing compiled (`compile.py`); returns what was compiled."""
    global _cache
    compiled, _cache = _cache or {}, {}
    return compiled


def _compiled() -> dict[str, str]:
    """Steps compiled so far in this process, starting with those compiled ahead."""
    global _cache
    if _cache is None:
        from acctrace.correlate.compiled import STEPS

        _cache = dict(STEPS)
    return _cache
