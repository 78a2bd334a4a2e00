"""The corpus's raw events in the shapes other engines read: flat Zircolite rows in SQLite
(pySigma's SQLite backend) and Winlogbeat documents (EQL), each with acctrace's event key."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from acctrace.normalise.fields import host_key
from acctrace.normalise.shapes import RawEvent
from acctrace.scenario.events import Event
from acctrace.scenario.writers import ecs_record
from acctrace.sources import Input, Tally, discover, read

WANTED = frozenset({4720, 4688, 1, 4672})


def raw_events(paths: list[Path]) -> list[RawEvent]:
    events: list[RawEvent] = []
    for source in discover(paths):
        if isinstance(source, Input):
            events.extend(read(source, Tally(source.name, source.format), WANTED))
    return events


def event_key(raw: RawEvent) -> str:
    """The key acctrace's store gives the event (normalise/store.py)."""
    return f"{host_key(raw.computer)}|{raw.channel.lower()}|{raw.event_id}|{raw.record_id}"


def system_time(raw: RawEvent) -> str:
    assert raw.time_us is not None
    moment = datetime.fromtimestamp(raw.time_us / 1_000_000, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _flat(raw: RawEvent) -> dict[str, object]:
    """One event as Zircolite flattens it: System fields and EventData side by side."""
    row: dict[str, object] = {
        "EventID": raw.event_id,
        "Channel": raw.channel,
        "Computer": raw.computer,
        "SystemTime": system_time(raw),
        "EventRecordID": raw.record_id,
    }
    for name, value in raw.data.items():
        row.setdefault(name, value if isinstance(value, int | float | str) else str(value))
    return row


def zircolite_table(events: list[RawEvent]) -> tuple[sqlite3.Connection, dict[int, str]]:
    """An in-memory SQLite `logs` table in Zircolite's layout (a TEXT COLLATE NOCASE column
    per field, absent fields NULL), and each row's acctrace event key by rowid."""
    rows = [_flat(e) for e in events]
    columns: dict[str, str] = {}
    for row in rows:
        for name in row:
            columns.setdefault(name.lower(), name)
    con = sqlite3.connect(":memory:")
    defs = ", ".join(f'"{name}" TEXT COLLATE NOCASE' for name in columns.values())
    con.execute(f"CREATE TABLE logs ({defs})")
    keys: dict[int, str] = {}
    for raw, row in zip(events, rows, strict=True):
        names = list(row)
        cursor = con.execute(
            f"INSERT INTO logs ({', '.join(chr(34) + n + chr(34) for n in names)}) "
            f"VALUES ({', '.join('?' * len(names))})",
            [row[n] for n in names],
        )
        keys[cursor.lastrowid] = event_key(raw)
    return con, keys


def ecs_documents(events: list[RawEvent]) -> Iterator[tuple[dict, str]]:
    """Each event as the Winlogbeat document acctrace's demo writer makes, with its key."""
    for raw in events:
        data = {k: v if isinstance(v, str) else str(v) for k, v in raw.data.items()}
        event = Event(
            raw.event_id,
            raw.channel,
            raw.provider,
            raw.computer or "",
            raw.time_us or 0,
            raw.record_id or 0,
            data,
        )
        yield ecs_record(event), event_key(raw)
