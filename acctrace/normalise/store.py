"""The normalised events of one run, one table per kind, each event kept once."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from acctrace.normalise import fields
from acctrace.normalise.model import COLUMNS, Row, to_row
from acctrace.normalise.shapes import RawEvent

# pyarrow (0.1 s to import) is imported only where Arrow tables are made: a hunt in one
# process hands its rows to DuckDB without them (`load_into`).
if TYPE_CHECKING:
    import pyarrow as pa

    from acctrace.correlate.engine import Engine


class EventStore:
    """Collects rows per kind; the same event read from two files is kept once.

    An event is identified by host, channel, event id, EventRecordID (the record header
    number differs between exports of one log) and a hash of what identifies it as the
    model reads it (`_IDENTITY`): two different events that share a record id (NXLog
    without a host name, a hand-made file) are both kept. Of duplicates, the copy from the
    file whose name sorts first is cited, so results do not depend on input order.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {kind: [] for kind in COLUMNS}
        self._origins: dict[str, list[str]] = {kind: [] for kind in COLUMNS}
        self._seen: dict[str, tuple[str, int]] = {}
        self.host_names: dict[str, str] = {}
        self._sha256: dict[str, str] = {}  # input -> its SHA-256, known once it is read

    def add(self, raw: RawEvent, file: str, sha256: str | None = None) -> str:
        """Keep one event; returns 'used', 'duplicate', 'irrelevant' or 'untimed'. The
        input's SHA-256 is given here or, when it is hashed while it is read, later to
        `hashed`.

        Every join but the creation's own is on time, so an event without a usable time is
        not kept ('untimed'); a creation is, and its finding says the time is unknown."""
        if sha256 is not None:
            self.hashed(file, sha256)
        mapped = to_row(raw)
        if mapped is None:
            return "irrelevant"
        kind, row = mapped
        if raw.time_us is None and kind != "creation":
            return "untimed"
        host = fields.host_key(raw.computer) or "unknown"
        key = _event_key(host, kind, raw, row)
        if self._kept_already(key, file):
            return "duplicate"
        self._name_host(host, raw.computer or host)
        row.update(
            event_key=key,
            host=host,
            host_name=raw.computer,
            time_us=raw.time_us,
            record_id=raw.record_id,
            event_id=raw.event_id,
            channel=raw.channel,
            file=file,
        )
        self._keep(kind, key, row)
        return "used"

    def _kept_already(self, key: str, file: str) -> bool:
        """Whether the event of `key` is kept already; if so, it is cited from the file whose
        name sorts first, whatever the order the copies came in."""
        seen = self._seen.get(key)
        if seen is None:
            return False
        kept = self.rows[seen[0]][seen[1]]
        kept["file"] = min(kept["file"], file)
        return True

    def _keep(self, kind: str, key: str, row: Row) -> None:
        self._seen[key] = (kind, len(self.rows[kind]))
        self.rows[kind].append(row)
        self._origins[kind].append(row["file"])  # `file` may change later; the origin does not

    def _name_host(self, host: str, name: str) -> None:
        if len(name) > len(self.host_names.get(host, "")):
            self.host_names[host] = name

    def hashed(self, file: str, sha256: str) -> None:
        """The SHA-256 of an input whose events were added: each row's `sha256` is its file's."""
        self._sha256[file] = sha256

    def kept(self) -> dict[str, list[Row]]:
        """The rows kept, per kind, each with its input's SHA-256 (null if never hashed)."""
        for rows in self.rows.values():
            for row in rows:
                row["sha256"] = self._sha256.get(row["file"])
        return self.rows

    def tables(self) -> dict[str, pa.Table]:
        import pyarrow as pa

        from acctrace.normalise.model import SCHEMAS

        return {
            kind: pa.Table.from_pylist(rows, schema=SCHEMAS[kind])
            for kind, rows in self.kept().items()
        }

    def load_into(self, engine: Engine) -> None:
        """The events as the engine's tables of the event model. They go to DuckDB as rows,
        not as Arrow tables: building those and handing them to DuckDB imports pandas, a
        fifth of a small hunt (`Engine.load_rows`)."""
        for kind, rows in self.kept().items():
            engine.load_rows(kind, rows, COLUMNS[kind])

    def batch(self) -> Batch:
        """The events in compact form, to send to another process."""
        return Batch(
            {kind: orjson.dumps(rows) for kind, rows in self.rows.items() if rows},
            {kind: origins for kind, origins in self._origins.items() if origins},
            dict(self.host_names),
            dict(self._sha256),
        )

    @classmethod
    def merged(cls, batches: list[Batch]) -> tuple[EventStore, list[Counter[str]]]:
        """One store of the events of `batches`, exactly as if one store had read their
        inputs in this order; and, per batch, how many of its events (by the input that
        counted them used) an earlier batch held already: duplicates of that input.

        Within a batch each event is kept once already, so across batches the first batch
        holding an event keeps its row, and the row takes the file that sorts first among
        all the copies."""
        store = cls()
        again: list[Counter[str]] = [Counter() for _ in batches]
        for part, batch in enumerate(batches):
            for host, name in batch.host_names.items():
                store._name_host(host, name)
            store._sha256.update(batch.sha256)  # a file read in pieces is hashed by one only
            for kind, data in batch.rows.items():
                for row, origin in zip(orjson.loads(data), batch.origins[kind], strict=True):
                    if store._kept_already(row["event_key"], row["file"]):
                        again[part][origin] += 1
                    else:
                        store._keep(kind, row["event_key"], row)
        return store, again


@dataclass(frozen=True)
class Batch:
    """A store's events, to send to another process: per kind, its rows as one JSON array
    (orjson makes and reads it in about a microsecond a row; pickling the Python rows or
    building Arrow tables costs several) and, per row, its origin (the input that first
    read it, and counted it); its hosts' names; the SHA-256 of the inputs it hashed."""

    rows: dict[str, bytes]
    origins: dict[str, list[str]]
    host_names: dict[str, str]
    sha256: dict[str, str]


# What tells two events of one kind apart, when a collector lost the host name or a file was
# made by hand: the values the analytic joins on, which every export format carries alike
# (a format may drop a descriptive field, and one event must still be one event).
_IDENTITY: dict[str, tuple[str, ...]] = {
    "creation": ("account_sid", "account_name", "creator_sid", "creator_logon_id"),
    "process": ("pid", "parent_pid", "logon_id", "image", "process_guid"),
    "process_end": ("pid", "process_guid"),
    "logon": ("logon_id", "user_sid", "logon_type"),
    "privilege": ("logon_id", "user_sid"),
    "connection": ("pid", "process_guid", "dest_ip", "dest_port"),
    "dns": ("query_name", "process_guid"),
    "explicit_logon": ("actor_logon_id", "target_user", "target_server", "pid"),
    "service_install": ("service_name", "installer_logon_id"),
    "sam_write": ("account_name", "alias_rid", "action", "pid"),
    "kerberos": ("service_name", "user_name"),
    "script_block": ("pid", "script_block_id", "message_number"),
    "account_change": ("account_sid", "account_name", "group_sid", "actor_logon_id"),
}


def _event_key(host: str, kind: str, raw: RawEvent, row: Row) -> str:
    """host|channel|event id|record id#identity, the identity a hash of the event's
    `_IDENTITY` values as the model maps them. `#` sorts before the digits, so keys order
    as their record ids do."""
    identity = orjson.dumps([row[column] for column in _IDENTITY[kind]], default=str)
    content = hashlib.blake2b(identity, digest_size=8).hexdigest()
    ident = raw.record_id if raw.record_id is not None else f"t{raw.time_us}"
    return f"{host}|{raw.channel.lower()}|{raw.event_id}|{ident}#{content}"
