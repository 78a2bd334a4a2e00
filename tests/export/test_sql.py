"""The exported SQL views run and give the pairs acctrace finds on the same events."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot

from acctrace.assess.policy import load_policy
from acctrace.assess.tools import is_script_host, is_unknown_binary
from acctrace.commands.demo import DEMO_POLICY
from acctrace.correlate.window import Window
from acctrace.export import sql
from acctrace.export.definition import analytic_of
from acctrace.storage import parquet
from tests.export import postgres as pg
from tests.export.conftest import Corpus, record_key

DEMO = analytic_of(load_policy(DEMO_POLICY), Window())


def run_on_duckdb(corpus: Corpus, script: str, lake: Path | None = None) -> list[dict]:
    """The views over the corpus's tables, or over the Parquet dataset `lake` as
    `acctrace ingest --parquet` writes it (each kind a folder, partitioned by day)."""
    con = duckdb.connect()
    for kind in sql.INPUT_TABLES:
        if lake is not None and any((lake / kind).rglob("*.parquet")):
            files = str(lake / kind / "**" / "*.parquet")
            dataset = f"read_parquet('{files}', hive_partitioning=true)"
            con.execute(f"CREATE VIEW {kind} AS SELECT * FROM {dataset}")
        else:
            con.register(kind, corpus.tables[kind])
    con.execute(script)
    cursor = con.execute(f"SELECT * FROM {sql.PAIR_VIEW}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_duckdb_views_give_the_candidate_pairs_of_the_correlation(corpus: Corpus) -> None:
    rows = run_on_duckdb(corpus, sql.render(DEMO, "duckdb"))
    pairs = {(record_key(r["creation_key"]), record_key(r["process_key"])) for r in rows}
    assert len(corpus.candidates) >= 10
    assert pairs == corpus.candidates
    toto3 = [r for r in rows if r["account_name"] == "toto3"]
    assert {r["image"].rsplit("\\", 1)[-1] for r in toto3} == {"net.exe", "net1.exe"}
    net1 = next(r for r in toto3 if r["image"].endswith("net1.exe"))
    assert net1["parent_image"].endswith("net.exe")  # found one level up, by PID and time


def test_views_read_the_parquet_dataset_ingest_writes(corpus: Corpus, tmp_path: Path) -> None:
    parquet.write(corpus.tables, tmp_path)
    assert (tmp_path / "sam_write").is_dir()  # every input table has a `day` column there
    rows = run_on_duckdb(corpus, sql.render(DEMO, "duckdb"), lake=tmp_path)
    keys = {(record_key(r["creation_key"]), record_key(r["process_key"])) for r in rows}
    assert keys == corpus.candidates


def _finding_key(host: str | None, account: str | None, telemetry: str, record: int | None):
    return (host, account, telemetry, record)


def test_the_policy_approves_the_pairs_acctrace_approves(corpus: Corpus) -> None:
    rows = run_on_duckdb(corpus, sql.render(DEMO, "duckdb"))
    by_key = {
        _finding_key(
            r["host_name"],
            r["account_name"],
            r["telemetry"],
            int(record_key(r["process_key"]).split("|")[-1]),
        ): r["approved_by"]
        for r in rows
    }
    attributed = [f for f in corpus.hunt.findings if f.process is not None]
    approved = [f for f in attributed if f.approval is not None]
    assert approved and len(approved) < len(attributed)
    for f in attributed:
        key = _finding_key(f.host, f.account.name, f.process.telemetry, f.process.record_id)
        expected = f.approval.workflow if f.approval else None
        assert by_key[key] == expected, key


def test_a_narrower_window_drops_the_pairs_outside_it(corpus: Corpus) -> None:
    wide = run_on_duckdb(corpus, sql.render(DEMO, "duckdb"))
    narrow = run_on_duckdb(corpus, sql.render(analytic_of(None, Window(before_s=0.01)), "duckdb"))
    assert len(narrow) < len(wide)
    in_session = [r for r in narrow if r["logon_id"] and r["in_window"]]
    assert all(r["creation_time_us"] - r["process_time_us"] <= 10_000 for r in in_session)
    # earlier: only what can create an account in its own process however long it has run
    earlier = [r["image"] for r in narrow if not r["in_window"]]
    assert all(is_script_host(image) or is_unknown_binary(image) for image in earlier)


@pytest.mark.parametrize("dialect", sorted(sql.DIALECTS))
def test_every_dialect_parses_as_that_dialect(dialect: str) -> None:
    script = sql.render(DEMO, dialect)
    statements = sqlglot.parse(script, read=sql.reader(dialect))
    assert [s.key for s in statements if s is not None] == ["create", "create"]
    assert script.startswith("-- acctrace ")
    assert f"sha256 {DEMO.policy_hash}" in script


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    reason = pg.why_not_runnable()
    if reason:
        pytest.skip(reason)
    with pg.server() as dsn:
        yield dsn


def test_postgres_views_give_the_same_rows_as_duckdb(corpus: Corpus, postgres: str) -> None:
    psycopg = pytest.importorskip("psycopg")
    with psycopg.connect(postgres, autocommit=True) as con:
        for kind in sql.INPUT_TABLES:
            pg.load(con, kind, corpus.tables[kind])
        con.execute(sql.render(DEMO, "postgres"))
        cursor = con.execute(f"SELECT * FROM {sql.PAIR_VIEW}")
        names = [d.name for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    keys = {(record_key(r["creation_key"]), record_key(r["process_key"])) for r in rows}
    assert keys == corpus.candidates

    def rows_by_pair(found: list[dict]) -> dict:
        return {(r["creation_key"], r["process_key"]): r for r in found}

    assert rows_by_pair(rows) == rows_by_pair(run_on_duckdb(corpus, sql.render(DEMO, "duckdb")))
