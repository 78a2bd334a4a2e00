"""A store another process writes to (as `acctrace watch` does) can still be hunted: from
the snapshot the writer publishes, since DuckDB lets no other process open the file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.storage.database import (
    EventDatabase,
    StoreError,
    open_for_reading,
    snapshot_path,
)

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from acctrace.reading import read_inputs, stored_files
    from acctrace.storage.database import EventDatabase

    database = EventDatabase(Path(sys.argv[1]))
    reading = read_inputs([Path(p) for p in sys.argv[2:]])
    database.add(reading.store.tables(), stored_files(reading))
    if sys.stdin.readline().strip() == "publish":
        database.publish_snapshot()
    print("ready", flush=True)
    sys.stdin.readline()  # hold the store open until the test is done
    """
)


@pytest.fixture()
def toto3(shared_data: Path) -> Path:
    return shared_data / "evtx" / "mdecrevoisier" / "ID4688-User creation via commandline.evtx"


def _writer(store: Path, logs: Path, publish: bool) -> subprocess.Popen:
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(store), str(logs)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    writer.stdin.write("publish\n" if publish else "hold\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "ready"
    return writer


def _stop(writer: subprocess.Popen) -> None:
    writer.stdin.close()
    writer.wait(timeout=30)
    writer.stdout.close()


def test_hunt_db_reads_the_snapshot_while_another_process_writes(
    tmp_path: Path, toto3: Path
) -> None:
    store = tmp_path / "soc.duckdb"
    writer = _writer(store, toto3, publish=True)
    try:
        result = CliRunner().invoke(cli, ["hunt", "--db", str(store), "--json"])
        assert result.exit_code == 0, result.stderr
        assert '"name":"toto3"' in result.stdout
        database = open_for_reading(store)
        assert database.read_from == snapshot_path(store)
        database.close()
    finally:
        _stop(writer)
    database = open_for_reading(store)  # no writer any more: the store itself
    assert database.read_from == store
    database.close()


def test_without_a_snapshot_the_lock_is_reported(tmp_path: Path, toto3: Path) -> None:
    store = tmp_path / "soc.duckdb"
    writer = _writer(store, toto3, publish=False)
    try:
        with pytest.raises(StoreError, match="lock"):
            open_for_reading(store)
    finally:
        _stop(writer)


def test_reading_never_creates_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        open_for_reading(tmp_path / "missing.duckdb")
    (tmp_path / "other.duckdb").write_bytes(b"")
    EventDatabase(tmp_path / "plain.duckdb").con.execute("drop table acctrace_meta")
    with pytest.raises(StoreError, match="not an acctrace store"):
        open_for_reading(tmp_path / "plain.duckdb")
