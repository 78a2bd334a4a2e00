"""What `acctrace watch` keeps in the store beside the events, so that a restart after any
crash (kill -9 included) loses nothing, counts nothing twice and alerts nothing twice.

- `watch_checkpoints`: how far each source was read (a file's offset by fingerprint, an
  EVTX log's last record id, a Kafka partition's offset). Written in the transaction that
  stores the events read up to there, so the two can never disagree.
- `watch_arrivals`: when each account creation reached the store (wall clock), which
  decides when its alert is due and until when updates are sent.
- `watch_findings`: the last revision alerted per finding id, a digest of its content, and
  the finding itself as alerted (as hunted, while held): a change of its related findings
  alone, or a first alert hunted before the grace period ended, is sent without hunting
  it again.
- `watch_deliveries`: an outbox: one row per alert revision and sink, pending until the
  sink took it (`sent`) or gave up on it (`dead`, with the reason; see the dead letters).
- `watch_sinks`: per file sink, its size after the last delivery recorded as sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

_TABLES = (
    "create table if not exists watch_checkpoints (source varchar primary key, position varchar)",
    "create table if not exists watch_arrivals (event_key varchar primary key, time_us bigint, "
    "arrived_us bigint)",
    "create table if not exists watch_findings (id varchar primary key, first_seen_us bigint, "
    "revision integer, digest varchar, severity varchar)",
    "create table if not exists watch_deliveries (sink varchar, id varchar, revision integer, "
    "severity varchar, state varchar, document varchar, detail varchar, "
    "primary key (sink, id, revision))",
    "create table if not exists watch_sinks (sink varchar primary key, size bigint)",
    "alter table watch_findings add column if not exists finding varchar",  # since 2026-11
)
CREATION_KINDS = ("creation", "sam_write")  # the tables whose rows are account creations


@dataclass(frozen=True)
class Tracked:
    """A finding watch has seen: when first, and what it alerted last (revision 0: nothing)."""

    first_seen_us: int
    revision: int
    digest: str | None
    severity: str | None


def prepare(con: duckdb.DuckDBPyConnection, now_us: int) -> bool:
    """Create watch's tables; True the first time. On a store that `ingest` filled before
    watch first ran, the creations already there are history: arrived long ago. Those
    `ingest` stored while watch was stopped arrive now."""
    first_time = not con.execute(
        "select count(*) from information_schema.tables where table_name = 'watch_arrivals'"
    ).fetchone()[0]
    for statement in _TABLES:
        con.execute(statement)
    note_arrivals(con, arrived_us=0 if first_time else now_us)
    return first_time


def note_arrivals(
    con: duckdb.DuckDBPyConnection, arrived_us: int, tables: dict[str, pa.Table] | None = None
) -> None:
    """Record when the creations of these tables (every one stored: None) arrived, but those
    noted already; call in the transaction that stores them. A stream's batch is looked up
    in the arrivals' key index, not the store's creations joined with every arrival."""
    statement = "insert or ignore into watch_arrivals select event_key, time_us, ? from {}"
    for kind in CREATION_KINDS:
        if tables is None:
            con.execute(statement.format(f'"{kind}"'), [arrived_us])
        elif kind in tables and tables[kind].num_rows:
            rows = tables[kind].select(["event_key", "time_us"])
            _from_arrow(con, rows, statement, [arrived_us])


def due_creations(
    con: duckdb.DuckDBPyConnection, after_us: int, until_us: int, grace_us: int
) -> list[str]:
    """The event keys of the creations whose grace period ended after `after_us` and by
    `until_us`."""
    rows = con.execute(
        "select event_key from watch_arrivals where arrived_us + ? > ? and arrived_us + ? <= ?",
        [grace_us, after_us, grace_us, until_us],
    ).fetchall()
    return [r[0] for r in rows]


def arrived_after(con: duckdb.DuckDBPyConnection, after_us: int) -> dict[str, int]:
    """The creations that arrived after `after_us`: event key -> when."""
    rows = con.execute(
        "select event_key, arrived_us from watch_arrivals where arrived_us > ?", [after_us]
    ).fetchall()
    return dict(rows)


_UNKNOWN_TIME = -(2**63)  # creations of unknown time come first in event-time order


def open_creations(
    con: duckdb.DuckDBPyConnection,
    since_arrival_us: int,
    after: tuple[int, str] | None = None,
    limit: int | None = None,
) -> list[tuple[int, str]]:
    """The creations that arrived at or after `since_arrival_us` (the ones still open for
    alerts and updates), as (event time, event key), in that order after `after`; at most
    `limit`. In event time, so that those hunted together are near in time (see
    slicing.chunks)."""
    rows = con.execute(
        "select coalesce(time_us, ?) as t, event_key from watch_arrivals "
        "where arrived_us >= ? and (t, event_key) > (?, ?) "
        "order by t, event_key" + ("" if limit is None else f" limit {int(limit)}"),
        [_UNKNOWN_TIME, since_arrival_us, *(after or (_UNKNOWN_TIME, ""))],
    ).fetchall()
    return rows


def event_times(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, int | None]:
    """The event time of each of these creations (None: unknown)."""
    rows = _from_arrow(
        con,
        pa.table({"event_key": pa.array(keys, pa.string())}),
        "select a.event_key, a.time_us from watch_arrivals a "
        "join {} k on a.event_key = k.event_key",
    )
    return dict(rows)


def creations_at(con: duckdb.DuckDBPyConnection, places: list[str]) -> list[str]:
    """The event keys of the creations at these places (see `arrivals`)."""
    if not places:
        return []
    rows = con.execute(
        "select event_key from watch_arrivals "
        "where list_contains(?, split_part(event_key, '#', 1))",
        [places],
    ).fetchall()
    return [r[0] for r in rows]


def arrivals(con: duckdb.DuckDBPyConnection, places: list[str | None]) -> dict[str, int]:
    """When the creation events at these places (`host|channel|event id|record id`, a
    store key without the `#identity` a finding does not carry) arrived; the earliest,
    should two events share a place."""
    wanted = [p for p in places if p is not None]
    if not wanted:
        return {}
    rows = con.execute(
        "select split_part(event_key, '#', 1) as place, min(arrived_us) from watch_arrivals "
        "where list_contains(?, place) group by place",
        [wanted],
    ).fetchall()
    return dict(rows)


def positions(con: duckdb.DuckDBPyConnection, prefix: str) -> dict[str, Any]:
    """The checkpoints of the sources whose key starts with `prefix`."""
    rows = con.execute(
        "select source, position from watch_checkpoints where starts_with(source, ?)", [prefix]
    ).fetchall()
    return {source: json.loads(position) for source, position in rows}


def save_positions(con: duckdb.DuckDBPyConnection, changed: dict[str, Any]) -> None:
    for source, position in changed.items():
        con.execute(
            "insert or replace into watch_checkpoints values (?, ?)",
            [source, json.dumps(position, sort_keys=True)],
        )


def tracked(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Tracked]:
    """What watch has seen of these findings (those it has not seen are missing)."""
    if not ids:
        return {}
    rows = con.execute(
        "select id, first_seen_us, revision, digest, severity from watch_findings "
        "where list_contains(?, id)",
        [ids],
    ).fetchall()
    return {r[0]: Tracked(*r[1:]) for r in rows}


def track(con: duckdb.DuckDBPyConnection, findings: dict[str, tuple[Tracked, str | None]]) -> None:
    """Record what was alerted of these findings (by id: its state, and its JSON as sent),
    in one statement: one upsert per finding costs milliseconds, and an update of related
    findings may touch thousands."""
    if not findings:
        return
    states = [state for state, _ in findings.values()]
    rows = pa.table(
        {
            "id": pa.array(list(findings), pa.string()),
            "first_seen_us": pa.array([s.first_seen_us for s in states], pa.int64()),
            "revision": pa.array([s.revision for s in states], pa.int32()),
            "digest": pa.array([s.digest for s in states], pa.string()),
            "severity": pa.array([s.severity for s in states], pa.string()),
            "finding": pa.array([finding for _, finding in findings.values()], pa.string()),
        }
    )
    _from_arrow(con, rows, "insert or replace into watch_findings by name select * from {}")


def _from_arrow(
    con: duckdb.DuckDBPyConnection, rows: pa.Table, statement: str, parameters: list | None = None
) -> list[tuple]:
    """Run `statement` with `rows` as the table in its `{}`; its result rows."""
    con.register("acctrace_watch_rows", rows)
    try:
        return con.execute(statement.format("acctrace_watch_rows"), parameters).fetchall()
    finally:
        con.unregister("acctrace_watch_rows")


def findings(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
    """The JSON of these findings as last alerted (as last hunted, while held)."""
    if not ids:
        return {}
    rows = con.execute(
        "select id, finding from watch_findings where list_contains(?, id) and finding is not null",
        [ids],
    ).fetchall()
    return dict(rows)


def received(con: duckdb.DuckDBPyConnection, sink: str) -> set[str]:
    """The finding ids of which `sink` was given some revision already."""
    rows = con.execute("select distinct id from watch_deliveries where sink = ?", [sink])
    return {r[0] for r in rows.fetchall()}


@dataclass(frozen=True)
class Delivery:
    """One revision of one finding's alert, rendered for one sink."""

    id: str
    revision: int
    severity: str
    document: str  # one line of JSON in the sink's shape


def queue(con: duckdb.DuckDBPyConnection, sink: str, deliveries: list[Delivery]) -> None:
    if not deliveries:
        return
    rows = pa.table(
        {
            "id": pa.array([d.id for d in deliveries], pa.string()),
            "revision": pa.array([d.revision for d in deliveries], pa.int32()),
            "severity": pa.array([d.severity for d in deliveries], pa.string()),
            "document": pa.array([d.document for d in deliveries], pa.string()),
        }
    )
    literal = sink.replace("'", "''")
    _from_arrow(
        con,
        rows,
        f"insert or ignore into watch_deliveries select '{literal}', id, revision, severity, "
        "'pending', document, null from {}",
    )


def pending(con: duckdb.DuckDBPyConnection, sink: str) -> list[Delivery]:
    """What a sink has not taken yet, oldest revision first."""
    rows = con.execute(
        "select id, revision, severity, document from watch_deliveries where sink = ? and "
        "state = 'pending' order by revision, id",
        [sink],
    ).fetchall()
    return [Delivery(*row) for row in rows]


def settle(
    con: duckdb.DuckDBPyConnection,
    sink: str,
    done: list[tuple[str, int]],
    state: str,
    detail: str | None = None,
) -> None:
    if not done:
        return
    rows = pa.table(
        {
            "id": pa.array([i for i, _ in done], pa.string()),
            "revision": pa.array([r for _, r in done], pa.int32()),
        }
    )
    _from_arrow(
        con,
        rows,
        "update watch_deliveries d set state = ?, detail = ? from {} s "
        "where d.sink = ? and d.id = s.id and d.revision = s.revision",
        [state, detail, sink],
    )


def sink_size(con: duckdb.DuckDBPyConnection, sink: str) -> int | None:
    row = con.execute("select size from watch_sinks where sink = ?", [sink]).fetchone()
    return None if row is None else row[0]


def save_sink_size(con: duckdb.DuckDBPyConnection, sink: str, size: int) -> None:
    con.execute("insert or replace into watch_sinks values (?, ?)", [sink, size])
