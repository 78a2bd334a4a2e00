"""The persistent store: incremental, deduplicated, versioned, and the same findings."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.pipeline import HuntOptions, run
from acctrace.reading import read_inputs, stored_files
from acctrace.scenario.writers import write_demo
from acctrace.storage.database import EventDatabase, StoreError


@pytest.fixture()
def logs(tmp_path: Path) -> list[Path]:
    return write_demo(tmp_path / "logs", "ecs")


def essentials(result) -> list[tuple]:
    return [
        (f.id, f.process.image if f.process else None, f.verdict.score) for f in result.findings
    ]


def test_hunting_the_store_gives_the_in_memory_findings(tmp_path: Path, logs: list[Path]) -> None:
    database = EventDatabase(tmp_path / "store.duckdb")
    stored = run(logs, HuntOptions(), database=database)
    assert essentials(stored) == essentials(run(logs, HuntOptions()))


def test_ingesting_twice_adds_nothing_and_new_files_add_only_their_records(
    tmp_path: Path, logs: list[Path]
) -> None:
    database = EventDatabase(tmp_path / "store.duckdb")
    run(logs[:2], HuntOptions(), database=database)
    files_before = database.con.execute("select count(*) from files").fetchone()[0]
    again = run(logs[:2], HuntOptions(), database=database)
    assert again.files == []  # known content is not read again
    assert database.con.execute("select count(*) from files").fetchone()[0] == files_before
    copy = tmp_path / "exported-again.ndjson"
    copy.write_bytes(logs[0].read_bytes() + b"\n")  # other bytes, same events
    assert database.add(*_read(copy)) == 0
    run(logs[2:], HuntOptions(), database=database)
    assert len(run([], HuntOptions(), database=database).findings) == 7
    stored = database.con.execute("select file, size, sha256, mtime from files").fetchall()
    assert {Path(f).name for f, *_ in stored} >= {p.name for p in logs}
    assert all(size and len(sha) == 64 and mtime for _, size, sha, mtime in stored)


def _read(path: Path):
    reading = read_inputs([path])
    return reading.store.tables(), stored_files(reading)


def test_since_limits_what_is_correlated(tmp_path: Path, logs: list[Path]) -> None:
    database = EventDatabase(tmp_path / "store.duckdb")
    run(logs, HuntOptions(), database=database)
    late = run([], HuntOptions(since_us=1_709_553_600_000_000), database=database)  # 12:00Z
    assert {f.account.name for f in late.findings} == {"svc_update"}


def test_a_store_from_a_newer_acctrace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    EventDatabase(path).close()
    con = duckdb.connect(str(path))
    con.execute("update acctrace_meta set schema_version = 99")
    con.close()
    with pytest.raises(StoreError, match="newer acctrace"):
        EventDatabase(path)


def test_ingest_and_hunt_db_commands(tmp_path: Path, logs: list[Path]) -> None:
    db = str(tmp_path / "soc.duckdb")
    first = CliRunner().invoke(cli, ["ingest", *map(str, logs), "--db", db])
    assert first.exit_code == 0 and "4 inputs read" in first.stderr
    second = CliRunner().invoke(cli, ["ingest", *map(str, logs), "--db", db])
    assert "0 new events stored; 4 inputs already stored" in second.stderr
    hunted = CliRunner().invoke(cli, ["hunt", "--db", db, "--json"])
    assert hunted.exit_code == 0 and len(hunted.stdout.splitlines()) == 7
    assert CliRunner().invoke(cli, ["hunt"]).exit_code == 2
