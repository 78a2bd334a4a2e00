"""The persistent event store: one DuckDB file holding the event model's tables.

`acctrace ingest --db FILE` adds the relevant events of new inputs; `acctrace hunt --db
FILE` correlates over everything stored. An event is stored once, identified like in
memory by host, channel, event id and EventRecordID (a content hash where there is none),
so re-ingesting a file adds nothing. Every ingested input is recorded with its size,
SHA-256, modification time and when it was read. The schema is versioned: a store written
by an older acctrace is upgraded when a migration exists, refused with a message otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from acctrace.errors import AcctraceError
from acctrace.normalise.model import SCHEMAS

SCHEMA_VERSION = 1
_FILES = pa.schema(
    [
        ("file", pa.string()),
        ("size", pa.int64()),
        ("sha256", pa.string()),
        ("mtime", pa.string()),
        ("ingested_at", pa.string()),
        ("records_added", pa.int64()),
    ]
)


class StoreError(AcctraceError):
    """The store cannot be opened or was written by an incompatible acctrace."""


@dataclass(frozen=True)
class StoredFile:
    file: str
    size: int | None
    sha256: str | None
    mtime: str | None


class EventDatabase:
    """The store, opened for writing (created when absent), or read-only: then `read_from`
    is the file actually read, the store itself or its snapshot (see `open_for_reading`)."""

    def __init__(self, path: Path, read_only: bool = False, read_from: Path | None = None):
        self.path = path
        self.read_from = read_from or path
        try:
            self.con = duckdb.connect(str(self.read_from), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(str(exc).splitlines()[0], str(self.read_from)) from exc
        self._prepare(read_only)

    def _prepare(self, read_only: bool) -> None:
        exists = self.con.execute(
            "select count(*) from information_schema.tables where table_name = 'acctrace_meta'"
        ).fetchone()[0]
        if not exists and read_only:
            self.con.close()
            raise StoreError("not an acctrace store", str(self.read_from))
        if not exists:
            self._create()
            return
        (version,) = self.con.execute("select schema_version from acctrace_meta").fetchone()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"written by a newer acctrace (store schema {version}, this one "
                f"reads {SCHEMA_VERSION}); upgrade acctrace",
                str(self.path),
            )
        if version < SCHEMA_VERSION:  # no older schema has existed yet: nothing to migrate
            raise StoreError(
                f"store schema {version} cannot be upgraded; ingest again into a new file",
                str(self.path),
            )

    def _create(self) -> None:
        self.con.execute("create table acctrace_meta (schema_version integer, created_at varchar)")
        self.con.execute(
            "insert into acctrace_meta values (?, ?)",
            [SCHEMA_VERSION, datetime.now(UTC).isoformat()],
        )
        for kind, schema in {**SCHEMAS, "files": _FILES}.items():
            self.con.register("acctrace_empty", schema.empty_table())
            self.con.execute(f'create table "{kind}" as select * from acctrace_empty')
            self.con.unregister("acctrace_empty")
        for kind in SCHEMAS:
            self.con.execute(f'create unique index "{kind}_key" on "{kind}" (event_key)')

    def add(
        self,
        tables: dict[str, pa.Table],
        files: list[StoredFile],
        also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> int:
        """Store the events not stored yet; returns how many were added. `also` runs in the
        same transaction (`acctrace watch` stores how far it read with what it read)."""
        added = 0
        self.con.begin()
        try:
            for kind, table in tables.items():
                before = self._count(kind)
                self.con.register("acctrace_new", table)
                self.con.execute(
                    f'insert into "{kind}" select * from acctrace_new n where not exists '
                    f'(select 1 from "{kind}" s where s.event_key = n.event_key)'
                )
                self.con.unregister("acctrace_new")
                added += self._count(kind) - before
            now = datetime.now(UTC).isoformat()
            for f in files:
                self.con.execute(
                    "insert into files values (?, ?, ?, ?, ?, ?)",
                    [f.file, f.size, f.sha256, f.mtime, now, added],
                )
            if also is not None:
                also(self.con)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise
        return added

    def _count(self, kind: str) -> int:
        return self.con.execute(f'select count(*) from "{kind}"').fetchone()[0]

    def known_sha256(self) -> set[str]:
        return {r[0] for r in self.con.execute("select distinct sha256 from files").fetchall()}

    def tables(self) -> tuple[object, dict[str, object]]:
        """An Ibis connection on the store and its event tables, for the analytic."""
        import ibis  # the analytic's library; readers and workers never need it

        con = ibis.duckdb.from_connection(self.con)
        return con, {kind: con.table(kind) for kind in SCHEMAS}

    def publish_snapshot(self) -> Path:
        """Copy the store into a new file beside it and rename that over the last snapshot:
        readers (`open_for_reading`) see the old snapshot or the new one, never a half-
        written file. DuckDB makes the copy in one transaction: copying the file from here
        would close a descriptor of it, and that drops this process's lock on the store."""
        target = snapshot_path(self.path)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        (name,) = self.con.execute("select current_database()").fetchone()
        literal = str(partial).replace("'", "''")
        self.con.execute(f"attach '{literal}' as acctrace_snapshot")
        try:
            quoted = name.replace('"', '""')
            self.con.execute(f'copy from database "{quoted}" to acctrace_snapshot')
        finally:
            self.con.execute("detach acctrace_snapshot")
        os.replace(partial, target)
        return target

    def close(self) -> None:
        self.con.close()


def snapshot_path(path: Path) -> Path:
    """Where a long-running writer (`acctrace watch`) publishes read-only copies of the store."""
    return path.with_name(path.name + ".snapshot")


def open_for_reading(path: Path) -> EventDatabase:
    """Open the store at `path` read-only, also while another process writes to it.

    DuckDB lets one process open a file for writing, and then no other process may open it
    at all. `acctrace watch` holds its store for as long as it runs, and after each cycle
    publishes a consistent copy beside it (`snapshot_path`: checkpoint, copy, atomic
    rename). So: the store itself when no writer holds it; else the latest snapshot, whose
    events are at most one watch cycle old (`read_from` says which was opened). Raises
    StoreError when neither can be opened, or the file is not an acctrace store.
    """
    if not path.exists():
        raise StoreError("no such store", str(path))
    try:
        return EventDatabase(path, read_only=True)
    except StoreError as exc:
        snapshot = snapshot_path(path)
        if "lock" not in str(exc).lower() or not snapshot.exists():
            raise
        return EventDatabase(path, read_only=True, read_from=snapshot)
