"""Store and exit-code promises (issue #11): only `ingest` makes a store; a foreign, damaged
or non-DuckDB file is refused untouched with one line; a full disk is a clean error; every
command keeps one exit contract (0 all read, 1 nothing readable or bad store, 2 usage,
3 something skipped)."""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import duckdb
import orjson
import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.storage.database import EventDatabase

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _creation(number: int, name: str) -> dict:
    return {
        "EventID": 4720, "SourceName": "Microsoft-Windows-Security-Auditing",
        "Channel": "Security", "Hostname": "ws1.corp.local", "RecordNumber": number,
        "@timestamp": f"2024-03-01T10:00:{number:02d}Z", "TargetUserName": name,
        "TargetDomainName": "WS1", "TargetSid": f"S-1-5-21-1-2-3-{1000 + number}",
        "SubjectUserSid": "S-1-5-21-1-2-3-500", "SubjectUserName": "admin",
        "SubjectDomainName": "WS1", "SubjectLogonId": "0x3e7",
    }  # fmt: skip


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(
        b"".join(orjson.dumps(_creation(i, f"u{i}")) + b"\n" for i in (1, 2))
    )
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_hunt_db_of_a_missing_store_is_refused_and_creates_nothing(
    tmp_path: Path, logs: Path
) -> None:
    typo = tmp_path / "typo.duckdb"
    for args in (["hunt", "--db", typo], ["hunt", logs, "--db", typo]):
        result = invoke(*args)
        assert result.exit_code == 1
        assert "no such store" in _one_error_line(result)
        assert not typo.exists()
    assert invoke("ingest", logs, "--db", typo).exit_code == 0  # ingest makes it
    assert invoke("hunt", "--db", typo).exit_code == 0


def test_ingest_of_nothing_readable_exits_1(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("ingest", empty, "--db", tmp_path / "s.duckdb").exit_code == 1


def _foreign(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table invoices (id integer)")


def _damaged(change: str):  # type: ignore[no-untyped-def]
    def make(path: Path) -> None:
        EventDatabase(path).close()
        with duckdb.connect(str(path)) as con:
            con.execute(change)

    return make


def _sqlite(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("create table t (x)")


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_foreign, "not an acctrace store (it holds invoices)"),
        (_damaged("update acctrace_meta set schema_version = null"), "no single schema version"),
        (_damaged("delete from acctrace_meta"), "no single schema version"),
        (_damaged("drop table logon"), "table logon is missing"),
        (_sqlite, "not a DuckDB file"),
        (lambda p: p.write_bytes(b""), "an empty file"),
        (lambda p: p.write_bytes(b"\x00" * 5000), "not a DuckDB file"),
    ],
    ids=["foreign", "null-version", "empty-meta", "dropped-table", "sqlite", "empty", "zeros"],
)
def test_a_foreign_or_damaged_file_is_refused_untouched(
    tmp_path: Path,
    logs: Path,
    make,
    reason: str,  # type: ignore[no-untyped-def]
) -> None:
    store = tmp_path / "s.duckdb"
    make(store)
    before = _digest(store)
    for args in (
        ["ingest", logs, "--db", store],
        ["hunt", "--db", store],
        ["hunt", logs, "--db", store],
    ):
        result = invoke(*args)
        assert result.exit_code == 1, (args, result.output)
        assert reason in _one_error_line(result)
        assert _digest(store) == before, args
    assert not store.with_name(store.name + ".wal").exists()


def test_a_store_of_schema_1_is_upgraded_by_ingest(tmp_path: Path, logs: Path) -> None:
    store = tmp_path / "s.duckdb"
    EventDatabase(store).close()
    with duckdb.connect(str(store)) as con:  # as acctrace 1 wrote it: no target_info
        con.execute("drop index explicit_logon_key")
        con.execute("alter table explicit_logon drop column target_info")
        con.execute("drop table script_block")
        con.execute("update acctrace_meta set schema_version = 1")
    assert "open it once with acctrace ingest" in _one_error_line(invoke("hunt", "--db", store))
    assert invoke("ingest", logs, "--db", store).exit_code == 0
    assert invoke("hunt", "--db", store, "--json").stdout.count("\n") == 2


def test_no_duckdb_connection_may_fetch_an_extension(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    database = EventDatabase(store)
    try:
        settings = dict(
            database.con.execute(
                "select name, value from duckdb_settings() where name like 'auto%extensions'"
            ).fetchall()
        )
    finally:
        database.close()
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
    }


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE is how the test fills the disk")
def test_a_full_disk_is_one_line_and_exit_1(tmp_path: Path, logs: Path) -> None:
    """Writes past RLIMIT_FSIZE fail as on a full disk (Python ignores SIGXFSZ)."""
    store = tmp_path / "s.duckdb"
    big = logs / "big.jsonl"
    big.write_bytes(
        b"".join(
            orjson.dumps(_creation(i % 60, f"n{i}") | {"RecordNumber": i}) + b"\n"
            for i in range(3, 20000)
        )
    )

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

    done = subprocess.run(
        [sys.executable, "-m", "acctrace", "ingest", str(logs), "--db", str(store)],
        capture_output=True, text=True, preexec_fn=limit, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [x for x in done.stderr.splitlines() if x.startswith("error:")]
    assert len(errors) == 1 and "could not write" in errors[0], done.stderr


def test_every_command_gives_3_when_something_was_skipped(tmp_path: Path, logs: Path) -> None:
    (logs / "broken.jsonl").write_bytes(b'{"EventID": 4720, "Channel": "Security", \n')
    finding = orjson.loads(invoke("hunt", logs, "--json").stdout.splitlines()[0])["id"]
    for args in (
        ["hunt", logs],
        ["report", logs, "-o", tmp_path / "r.html"],
        ["report", logs, "--format", "md"],
        ["coverage", logs],
        ["baseline", logs, "--out", tmp_path / "p.yaml"],
        ["case", finding, logs, "--bundle", tmp_path / "c.zip"],
        ["ingest", logs, "--db", tmp_path / "s.duckdb"],
    ):
        assert invoke(*args).exit_code == 3, args
    (logs / "broken.jsonl").unlink()
    for args in (["hunt", logs], ["report", logs, "--format", "md"], ["coverage", logs]):
        assert invoke(*args).exit_code == 0, args


def test_nothing_readable_is_1_everywhere(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (["hunt", empty], ["report", empty], ["coverage", empty]):
        assert invoke(*args).exit_code == 1, args


def test_an_output_never_overwrites_an_input(tmp_path: Path, logs: Path) -> None:
    log = logs / "a.jsonl"
    before = _digest(log)
    finding = orjson.loads(invoke("hunt", logs, "--json").stdout.splitlines()[0])["id"]
    for args in (
        ["report", log, "-o", log],
        ["report", logs, "--format", "md", "-o", log],
        ["case", finding, log, "--bundle", log],
        ["hunt", logs, "-o", log],
    ):
        result = invoke(*args)
        assert result.exit_code == 2 and "would be overwritten" in result.output, args
        assert _digest(log) == before, args


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a file with mode 000"
)
def test_an_unreadable_log_is_one_warning_not_a_usage_error(logs: Path) -> None:
    """Issue #11: naming an unreadable file stopped the run with click's usage error (2)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="acctrace-unreadable-"))
    try:
        folder.chmod(0o755)
        readable = folder / "a.jsonl"
        shutil.copy(logs / "a.jsonl", readable)
        readable.chmod(0o644)
        locked = folder / "locked.jsonl"
        locked.write_bytes(b"{}\n")
        locked.chmod(0o000)
        done = subprocess.run(
            [sys.executable, "-m", "acctrace", "hunt", str(locked), str(readable)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert done.returncode == 3, done.stderr
        warnings = [x for x in done.stderr.splitlines() if x.startswith("warning:")]
        assert len(warnings) == 1 and "locked.jsonl" in warnings[0] and "unreadable" in warnings[0]
        assert done.stdout.count("created") == 2  # the readable log's two creations
    finally:
        shutil.rmtree(folder, ignore_errors=True)
