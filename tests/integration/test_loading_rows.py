"""Events reach DuckDB as rows (`Engine.load_rows`, JSON lines DuckDB reads), not as Arrow
tables: every value must arrive exactly as read, typed as the event model says."""

from __future__ import annotations

from pathlib import Path

from acctrace.correlate.engine import Engine
from acctrace.normalise.model import COLUMNS
from acctrace.reading import read_inputs

COLUMNS_OF_TEST = [("text", "string"), ("big", "int64"), ("small", "int32"), ("flag", "bool")]


def test_rows_arrive_as_given_with_missing_keys_null_and_others_left_out() -> None:
    hostile = "C:\\a b\\\"q\" 'o''k'\n\r\t\x00\x1b[31m \u202e\U0001f600 é"
    rows = [
        {"text": hostile, "big": -(2**63), "small": 2**31 - 1, "flag": False, "extra": [1]},
        {"big": 2**63 - 1},
        {"text": "", "flag": True},
    ]
    engine = Engine()
    engine.load_rows("t", rows, COLUMNS_OF_TEST)
    assert engine.rows("t") == [
        {"text": hostile, "big": -(2**63), "small": 2**31 - 1, "flag": False},
        {"text": None, "big": 2**63 - 1, "small": None, "flag": None},
        {"text": "", "big": None, "small": None, "flag": True},
    ]
    types = engine.con.execute("select column_type from (describe t)").fetchall()
    assert [t for (t,) in types] == ["VARCHAR", "BIGINT", "INTEGER", "BOOLEAN"]


def test_no_rows_make_an_empty_table_of_the_columns() -> None:
    engine = Engine()
    engine.load_rows("empty", iter([]), COLUMNS_OF_TEST)
    assert engine.rows("empty") == []
    described = engine.con.execute("select column_name from (describe empty)").fetchall()
    assert [name for (name,) in described] == [name for name, _ in COLUMNS_OF_TEST]


def test_real_events_load_the_same_as_rows_and_as_arrow_tables(shared_data: Path) -> None:
    """What `ingest --db`, Parquet and Spark take (Arrow tables) and what a hunt loads
    (rows) hold the same values for every event of the real logs."""
    store = read_inputs([shared_data / "evtx"], None, None, frozenset(), 1).store
    as_rows, as_arrow = Engine(), Engine()
    store.load_into(as_rows)
    as_arrow.load(store.tables())
    for kind in COLUMNS:
        order = f'SELECT * FROM "{kind}" ORDER BY event_key'
        got = as_rows.con.execute(order).fetchall()
        assert got == as_arrow.con.execute(order).fetchall(), kind
        described = f'DESCRIBE "{kind}"'
        assert (
            as_rows.con.execute(described).fetchall() == as_arrow.con.execute(described).fetchall()
        )
    assert len([kind for kind, rows in store.rows.items() if rows]) >= 8  # real variety
