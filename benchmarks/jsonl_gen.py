"""Winlogbeat (ECS) JSON lines of any length, mostly events the analytic does not read.

The relevant lines are the demo domain's day (acctrace.scenario: logons, processes, seven
account creations and what followed them), repeated a day later each round with record
ids moved on and the created accounts' SIDs changed (a SID is created once), so every round
is a new, correlatable story; with `fresh_sessions` (watch_load.py), each round also has
logon sessions and process GUIDs of its own, as a day after a reboot would, instead of the
day's sessions lasting for every round. Between them go copies of the
day's irrelevant events (4634, 4656, 5156, Sysmon 11) with fresh record ids, so that about
`relevant` of all lines matter. Lines are written in batches: the file is never in memory.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.scenario.events import Event
from acctrace.scenario.story import generate
from acctrace.scenario.writers import ecs_record

DAY_US = 86_400 * 1_000_000
ROUND_IDS = 10_000_000  # record ids of round r start at r * ROUND_IDS
FILLER_IDS = 10**12  # filler record ids: far above any round's
_SENTINEL_ID = 987_654_321_987_654_321
_BATCH = 4096
_SHARED_SESSIONS = {"0x0", "0x3e4", "0x3e5", "0x3e7"}  # none, services, SYSTEM: every boot's
_NO_GUID = "{00000000-0000-0000-0000-000000000000}"


@dataclass(frozen=True)
class Lines:
    path: Path
    lines: int
    relevant: int
    rounds: int
    creations: int
    bytes: int


class _Filler:
    """An irrelevant event pre-rendered around its two varying values, record id and time."""

    def __init__(self, event: Event):
        line = orjson.dumps(ecs_record(dataclasses.replace(event, record_id=_SENTINEL_ID)))
        stamp = ecs_record(event)["@timestamp"].encode()
        head, tail = line.split(b'"' + stamp + b'"')
        self.before_time = head + b'"'
        self.after_time, self.after_id = (b'"' + tail).split(str(_SENTINEL_ID).encode())

    def render(self, stamp: bytes, record_id: int) -> bytes:
        return b"".join(
            (self.before_time, stamp, self.after_time, b"%d" % record_id, self.after_id, b"\n")
        )


def _day() -> tuple[list[Event], list[Event]]:
    events = generate()
    relevant = [e for e in events if e.event_id in RELEVANT_EVENT_IDS]
    return relevant, [e for e in events if e.event_id not in RELEVANT_EVENT_IDS]


def _own_session(key: str, value: object, r: int) -> object:
    """Round r's logon id or process GUID: a logon id names a session until the next boot,
    a GUID one process."""
    if not isinstance(value, str) or not r:
        return value
    if key.endswith("LogonId") and value.lower() not in _SHARED_SESSIONS:
        return hex(int(value, 16) + r * 0x100000000)
    if key.endswith("Guid") and value.startswith("{") and value != _NO_GUID:
        return f"{value[:-5]}{r % 0x10000:04x}}}"
    return value


def _lines(
    total: int, fraction: float, first_round: int, fresh_sessions: bool = False
) -> Iterator[tuple[bytes, bool]]:
    relevant, irrelevant = _day()
    created = {e.data["TargetSid"] for e in relevant if e.event_id == 4720}
    fillers = [_Filler(e) for e in irrelevant]
    per_relevant = max(0, round(1 / fraction) - 1) if fraction > 0 else total
    written, filler_id, r = 0, FILLER_IDS, first_round
    while written < total:
        new_sid = {sid: f"{sid}{r:04d}" for sid in created} if r else {}  # new accounts
        for event in relevant:
            shifted = dataclasses.replace(
                event,
                time_us=event.time_us + r * DAY_US,
                record_id=event.record_id + r * ROUND_IDS,
                data={
                    k: _own_session(k, new_sid.get(v, v), r)
                    if fresh_sessions
                    else new_sid.get(v, v)
                    for k, v in event.data.items()
                },
            )
            record = ecs_record(shifted)
            yield orjson.dumps(record) + b"\n", True
            stamp = record["@timestamp"].encode()
            written += 1
            for _ in range(min(per_relevant, total - written)):
                yield fillers[filler_id % len(fillers)].render(stamp, filler_id), False
                filler_id += 1
                written += 1
            if written >= total:
                return
        r += 1


def stream(
    total: int, fraction: float = 0.02, first_round: int = 0, fresh_sessions: bool = False
) -> Iterator[tuple[bytes, bool]]:
    """The same lines one by one, each with whether it is relevant (watch_load.py feeds
    them to a running watcher)."""
    return _lines(total, fraction, first_round, fresh_sessions)


def write_lines(path: Path, total: int, fraction: float = 0.02, first_round: int = 0) -> Lines:
    """Write `total` ECS lines of which about `fraction` are relevant; round 0 is the demo day."""
    relevant_count = creations = size = 0
    last_round = first_round
    per_round = len(_day()[0])
    with open(path, "wb") as out:
        batch: list[bytes] = []
        for line, relevant in _lines(total, fraction, first_round):
            batch.append(line)
            size += len(line)
            if relevant:
                relevant_count += 1
                creations += b'"event_id":"4720"' in line
            if len(batch) >= _BATCH:
                out.write(b"".join(batch))
                batch.clear()
        out.write(b"".join(batch))
    last_round = first_round + max(relevant_count - 1, 0) // per_round
    return Lines(path, total, relevant_count, last_round - first_round + 1, creations, size)
