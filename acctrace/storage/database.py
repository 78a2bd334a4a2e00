"""The persistent event store: one DuckDB file holding the event model's tables.

`acctrace ingest --db FILE` adds the relevant events of new inputs; `acctrace hunt --db
FILE` correlates over everything stored. An event is stored once, identified like in
memory by host, channel, event id and EventRecordID (a content hash where there is none),
so re-ingesting a file adds nothing. Every ingested input is recorded with its size,
SHA-256, modification time and when it was read. The schema is versioned: a store written
by an older acctrace is upgraded when a migration exists, refused with a message otherwise.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from acctrace.errors import AcctraceError
from acctrace.normalise.model import SCHEMAS
from acctrace.storage import NO_NETWORK

SCHEMA_VERSION = 2
# Each migration brings a store from the version before it: columns it adds, per table.
# DuckDB cannot alter a table that has an index: the table's key index is made again.
_MIGRATIONS: dict[int, dict[str, list[str]]] = {2: {"explicit_logon": ["target_info varchar"]}}
_NEW_TABLES: dict[int, tuple[str, ...]] = {2: ("script_block",)}  # made empty by the migration
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
_TABLES = {**SCHEMAS, "files": _FILES}
_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


class StoreError(AcctraceError):
    """The store cannot be opened or was written by an incompatible acctrace."""


@dataclass(frozen=True)
class StoredFile:
    file: str
    size: int | None
    sha256: str | None
    mtime: str | None


class EventDatabase:
    """The store, opened for writing, or read-only: then `read_from` is the file actually
    read, the store itself or its snapshot (see `open_for_reading`).

    Only a file that does not exist yet is made a store, and only when `create` is true
    (`ingest`, `watch`): a typo in `hunt --db` is an error, not an empty store. A file that
    is not an acctrace store, or a damaged one, is refused before anything is written to it.
    """

    def __init__(
        self,
        path: Path,
        read_only: bool = False,
        read_from: Path | None = None,
        create: bool = True,
    ):
        self.path = path
        self.read_from = read_from or path
        new = not self.read_from.exists()
        if new and (read_only or not create):
            raise StoreError("no such store (acctrace ingest --db FILE makes one)", str(path))
        where = str(self.read_from)
        if not new:
            _check_header(self.read_from)
            if not read_only:  # checked read-only first, so a refused file is left untouched
                checking = _connect(self.read_from, read_only=True)
                try:
                    _version(checking, where)
                finally:
                    checking.close()
        self.con = _connect(self.read_from, read_only)
        try:
            if new:
                self._create()
                return
            version = _version(self.con, where)
            if version < SCHEMA_VERSION and read_only:
                raise StoreError(
                    f"store schema {version}: open it once with acctrace ingest to upgrade it",
                    where,
                )
            if version < SCHEMA_VERSION:
                self._migrate(version)
        except BaseException:
            self.con.close()
            raise

    def _migrate(self, version: int) -> None:
        self.con.begin()
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for kind in _NEW_TABLES[target]:
                self._make_table(kind)
            for kind, columns in _MIGRATIONS[target].items():
                self.con.execute(f'drop index if exists "{kind}_key"')
                for column in columns:
                    self.con.execute(f'alter table "{kind}" add column if not exists {column}')
                self.con.execute(f'create unique index "{kind}_key" on "{kind}" (event_key)')
        self.con.execute("update acctrace_meta set schema_version = ?", [SCHEMA_VERSION])
        self.con.commit()

    def _create(self) -> None:
        self.con.execute("create table acctrace_meta (schema_version integer, created_at varchar)")
        self.con.execute(
            "insert into acctrace_meta values (?, ?)",
            [SCHEMA_VERSION, datetime.now(UTC).isoformat()],
        )
        for kind in _TABLES:
            self._make_table(kind)

    def _make_table(self, kind: str) -> None:
        self.con.register("acctrace_empty", _TABLES[kind].empty_table())
        self.con.execute(f'create table "{kind}" as select * from acctrace_empty')
        self.con.unregister("acctrace_empty")
        if kind in SCHEMAS:
            self.con.execute(f'create unique index "{kind}_key" on "{kind}" (event_key)')

    def add(
        self,
        tables: dict[str, pa.Table],
        files: list[StoredFile],
        also: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ) -> int:
        """Store the events not stored yet; returns how many were added. `also` runs in the
        same transaction (`acctrace watch` stores how far it read with what it read).

        The events are first inserted as they are: the key index refuses a duplicate, and
        only then is the batch stored again leaving out those stored already. That check
        reads every stored key, and a stream's batches seldom hold one."""
        try:
            return self._add(tables, files, also, checked=False)
        except duckdb.ConstraintException:
            return self._add(tables, files, also, checked=True)

    def _add(
        self,
        tables: dict[str, pa.Table],
        files: list[StoredFile],
        also: Callable[[duckdb.DuckDBPyConnection], None] | None,
        checked: bool,
    ) -> int:
        added = 0
        self.con.begin()
        try:
            for kind, table in tables.items():
                added += self._insert(kind, table, checked)
            now = datetime.now(UTC).isoformat()
            for f in files:
                self.con.execute(
                    "insert into files values (?, ?, ?, ?, ?, ?)",
                    [f.file, f.size, f.sha256, f.mtime, now, added],
                )
            if also is not None:
                also(self.con)
            self.con.commit()
        except (duckdb.IOException, duckdb.TransactionException, OSError) as exc:
            # A full disk or a file size limit, met while writing or committing.
            self._rollback()
            raise StoreError(f"could not write ({_first_line(exc)})", str(self.path)) from exc
        except BaseException:
            self._rollback()
            raise
        return added

    def _insert(self, kind: str, table: pa.Table, checked: bool) -> int:
        """Insert a batch of one kind (`checked`: but the events stored already); how many
        rows it added."""
        unstored = f' where not exists (select 1 from "{kind}" s where s.event_key = n.event_key)'
        self.con.register("acctrace_new", table)
        try:
            (added,) = self.con.execute(  # by name: a migrated table has its new columns last
                f'insert into "{kind}" by name select * from acctrace_new n'
                + (unstored if checked else "")
            ).fetchone()
            if added < table.num_rows:
                # An event stored already is cited from the file whose name sorts first, as
                # a hunt in memory cites it, whatever the order of ingestion.
                self.con.execute(
                    f'update "{kind}" s set file = n.file, sha256 = n.sha256 from acctrace_new n '
                    "where s.event_key = n.event_key and n.file < s.file"
                )
            return added
        finally:
            self.con.unregister("acctrace_new")

    def _rollback(self) -> None:
        with contextlib.suppress(duckdb.Error):  # a failed commit has ended the transaction
            self.con.rollback()

    def known_sha256(self) -> set[str]:
        return {r[0] for r in self.con.execute("select distinct sha256 from files").fetchall()}

    def apart(self) -> duckdb.DuckDBPyConnection:
        """A second connection to the open store; close it after use. A hunt materialises
        its steps as temporary tables, which live as long as their connection: a long-
        running writer (`acctrace watch`) hunting on its own connection would keep every
        hunt's tables until it exits. Made in the thread that owns the store's connection,
        it may be used in another."""
        return self.con.cursor()

    def bound_memory(self, limit: str) -> None:
        """Cap what DuckDB holds (its cache of the store's blocks included: without a cap it
        keeps what it read, up to 80 % of RAM), spilling beside the store past it."""
        spill = self.path.with_name(self.path.name + ".tmp")
        self.con.execute("set memory_limit = ?", [limit])
        self.con.execute("set temp_directory = ?", [str(spill)])

    def publish_snapshot(self, con: duckdb.DuckDBPyConnection | None = None) -> Path:
        """Copy the store into a new file beside it and rename that over the last snapshot:
        readers (`open_for_reading`) see the old snapshot or the new one, never a half-
        written file. DuckDB makes the copy in one transaction: copying the file from here
        would close a descriptor of it, and that drops this process's lock on the store.
        On `con` (a connection `apart`, in another thread) when given."""
        con = con or self.con
        target = snapshot_path(self.path)
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        (name,) = con.execute("select current_database()").fetchone()
        literal = str(partial).replace("'", "''")
        con.execute(f"attach '{literal}' as acctrace_snapshot")
        try:
            quoted = name.replace('"', '""')
            con.execute(f'copy from database "{quoted}" to acctrace_snapshot')
        finally:
            con.execute("detach acctrace_snapshot")
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


def _version(con: duckdb.DuckDBPyConnection, where: str) -> int:
    """The schema version of an acctrace store; StoreError, with the reason in one line, for
    a file that is not one or is damaged."""
    try:
        tables = {
            name: set(columns)
            for name, columns in con.execute(
                "select table_name, list(column_name) from information_schema.columns "
                "where table_schema = 'main' group by table_name"
            ).fetchall()
        }
        if "acctrace_meta" not in tables:
            held = ", ".join(sorted(tables)[:5]) or "no tables"
            raise StoreError(f"not an acctrace store (it holds {held})", where)
        versions = con.execute("select schema_version from acctrace_meta").fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"damaged store ({_first_line(exc)})", where) from exc
    if len(versions) != 1 or not isinstance(versions[0][0], int) or versions[0][0] < 1:
        raise StoreError("damaged store: acctrace_meta holds no single schema version", where)
    (version,) = versions[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"written by a newer acctrace (store schema {version}, this one reads "
            f"{SCHEMA_VERSION}); upgrade acctrace",
            where,
        )
    for kind, schema in _TABLES.items():
        if kind not in tables and kind not in _tables_added_since(version):
            raise StoreError(f"damaged store: table {kind} is missing", where)
        if kind not in tables:
            continue
        lacking = set(schema.names) - tables[kind] - _added_since(version)
        if lacking:
            raise StoreError(
                f"damaged store: table {kind} lacks {', '.join(sorted(lacking))}", where
            )
    return version


def _tables_added_since(version: int) -> set[str]:
    return {k for target in range(version + 1, SCHEMA_VERSION + 1) for k in _NEW_TABLES[target]}


def _added_since(version: int) -> set[str]:
    """Columns a store of `version` lacks until it is migrated."""
    return {
        column.split()[0]
        for target in range(version + 1, SCHEMA_VERSION + 1)
        for columns in _MIGRATIONS[target].values()
        for column in columns
    }


def _check_header(path: Path) -> None:
    """Refuse what is not a DuckDB file before DuckDB sees it (it would take a SQLite file
    for an attached database, and an empty file for a new one)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(12)
    except OSError as exc:
        raise StoreError(f"cannot read: {exc.strerror or exc}", str(path)) from exc
    if head[8:12] != _MAGIC:
        what = "an empty file" if not head else "not a DuckDB file"
        raise StoreError(f"{what}, not an acctrace store", str(path))


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config=NO_NETWORK)
    except duckdb.Error as exc:
        raise StoreError(_first_line(exc), str(path)) from exc


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
