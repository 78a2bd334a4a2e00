"""A store another process writes to (as `acctrace watch` does) can still be hunted: from
the snapshot the writer publishes, since DuckDB lets no other process open the file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.report import bundle
from acctrace.storage.database import (
    EventDatabase,
    StoreError,
    open_for_reading,
    snapshot_path,
)
from tests.watch.conftest import alert_lines, start_watch

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


def test_a_case_bundle_from_the_store_while_watch_runs(tmp_path: Path, toto3: Path) -> None:
    """An analyst bundles the evidence of an alert from the store watch is writing, with
    nothing but its id: the finding from the snapshot, the records from the watched file,
    redacted as `case` always does; `verify` holds, against the logs too."""
    watched, store, alerts = tmp_path / "in", tmp_path / "soc.duckdb", tmp_path / "alerts.jsonl"
    watched.mkdir()
    shutil.copyfile(toto3, watched / "Security.evtx")
    log = tmp_path / "watch.log"
    watcher = start_watch(
        watched,
        "--db",
        store,
        "--grace",
        "0",
        "--interval",
        "0.2",
        "--sink",
        f"file:{alerts}",
        log=log,
    )
    try:
        deadline = time.monotonic() + 90
        while not (alert_lines(alerts) and snapshot_path(store).exists()):
            assert watcher.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        finding_id = alert_lines(alerts)[0]["id"]
        case = tmp_path / "case.zip"
        made = CliRunner().invoke(
            cli, ["case", finding_id[:12], "--db", str(store), "--bundle", str(case)]
        )
        assert watcher.poll() is None  # it ran beside the watcher
    finally:
        watcher.terminate()
        watcher.wait(timeout=60)
    assert made.exit_code == 0, made.output
    assert "not found" not in made.stderr
    with zipfile.ZipFile(case) as z:
        manifest = json.loads(z.read("manifest.json"))
        records = {r["role"]: z.read(r["path"]).decode() for r in manifest["records"]}
        leaked = [n for n in z.namelist() if b"kjh@(@Jd" in z.read(n)]  # net user's password
    assert leaked == [] and any(r["redacted"] for r in manifest["records"])
    assert manifest["finding_id"] == finding_id and not manifest["missing"]
    assert manifest["command_line"][-2:] == ["--db", str(store)]
    assert "toto3" in records["creation"] and "net1.exe" in records["process"].lower()
    assert all(r["file"] == str(watched / "Security.evtx") for r in manifest["records"])
    assert bundle.verify(case, None).ok
    for logs in (watched, Path(os.path.relpath(watched))):  # found by name, however given
        checked = bundle.verify(case, [logs])
        assert checked.ok, checked.problems
        assert sum("same as record" in x for x in checked.checked) == len(manifest["records"])
    assert not bundle.verify(case, [toto3]).ok  # another file: its input is not there


def test_case_needs_logs_or_a_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["case", "b6a2", "--bundle", str(tmp_path / "x.zip")])
    assert result.exit_code == 2 and "or --db" in result.output
