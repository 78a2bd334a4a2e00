"""The normalised events of one run, one table per kind, each event kept once."""

from __future__ import annotations

import hashlib

import orjson
import pyarrow as pa

from acctrace.normalise import fields
from acctrace.normalise.model import SCHEMAS, Row, to_row
from acctrace.normalise.shapes import RawEvent


class EventStore:
    """Collects rows per kind; the same event read from two files is kept once.

    An event is identified by host, channel, event id and EventRecordID (the record
    header number differs between exports of one log). Of duplicates, the copy from the
    file whose name sorts first is kept, so results do not depend on input order.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[Row]] = {kind: [] for kind in SCHEMAS}
        self._seen: dict[str, tuple[str, int]] = {}
        self.host_names: dict[str, str] = {}

    def add(self, raw: RawEvent, file: str, sha256: str) -> str:
        """Keep one event; returns 'used', 'duplicate' or 'irrelevant'."""
        mapped = to_row(raw)
        if mapped is None:
            return "irrelevant"
        kind, row = mapped
        host = fields.host_key(raw.computer) or "unknown"
        key = _event_key(host, raw)
        if key in self._seen:
            seen_kind, index = self._seen[key]
            kept = self.rows[seen_kind][index]
            if file < kept["file"]:
                kept["file"], kept["sha256"] = file, sha256
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
            sha256=sha256,
        )
        self._keep(kind, key, row)
        return "used"

    def absorb(self, other: EventStore) -> dict[str, int]:
        """Take in the events of a store filled elsewhere (a worker process); returns, per
        file, how many were here already. Duplicates resolve as in `add`."""
        duplicates: dict[str, int] = {}
        for host, name in other.host_names.items():
            self._name_host(host, name)
        for kind, rows in other.rows.items():
            for row in rows:
                key = row["event_key"]
                if key not in self._seen:
                    self._keep(kind, key, row)
                    continue
                duplicates[row["file"]] = duplicates.get(row["file"], 0) + 1
                seen_kind, index = self._seen[key]
                kept = self.rows[seen_kind][index]
                if row["file"] < kept["file"]:
                    kept["file"], kept["sha256"] = row["file"], row["sha256"]
        return duplicates

    def _keep(self, kind: str, key: str, row: Row) -> None:
        self._seen[key] = (kind, len(self.rows[kind]))
        self.rows[kind].append(row)

    def _name_host(self, host: str, name: str) -> None:
        if len(name) > len(self.host_names.get(host, "")):
            self.host_names[host] = name

    def tables(self) -> dict[str, pa.Table]:
        return {
            kind: pa.Table.from_pylist(rows, schema=SCHEMAS[kind])
            for kind, rows in self.rows.items()
        }


def _event_key(host: str, raw: RawEvent) -> str:
    if raw.record_id is not None:
        ident = str(raw.record_id)
    else:  # shapes without a record number: the content identifies the event
        ident = (
            "h"
            + hashlib.sha1(
                orjson.dumps(raw.data, default=str, option=orjson.OPT_SORT_KEYS)
                + str(raw.time_us).encode()
            ).hexdigest()[:16]
        )
    return f"{host}|{raw.channel.lower()}|{raw.event_id}|{ident}"
