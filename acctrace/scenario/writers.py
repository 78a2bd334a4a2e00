"""Render canonical events in each input shape acctrace reads, with each shape's quirks.

- event-json: `evtx_dump -o jsonl`; every 7th EventID is `{"#attributes": ..., "#text": id}`
- ecs: Winlogbeat documents, ids as strings, `host.name` short and lower-case
- nxlog: OTRF/Mordor flat records: local times in UTC-4 without a zone, second precision,
  `@timestamp` is the collector's receive time, and NXLog's own `ProcessID` is mixed in
- xml: bare `<Event>` elements, no root, as `wevtutil qe /f:xml` prints them
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import orjson

from acctrace.scenario import SHAPES
from acctrace.scenario.events import SECURITY, Event
from acctrace.scenario.story import generate

SUFFIXES = {"ecs": ".ndjson", "nxlog": ".jsonl", "event-json": ".jsonl", "xml": ".xml"}

EVENT_NS = "http://schemas.microsoft.com/win/2004/08/events/event"
_PROVIDER_GUIDS = {
    "Microsoft-Windows-Security-Auditing": "{54849625-5478-4994-a5ba-3e3b0328c30d}",
    "Microsoft-Windows-Sysmon": "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}",
}
_NXLOG_ZONE = timedelta(hours=-4)
_NXLOG_DELAY = timedelta(seconds=2)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _utc(time_us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=time_us)


def _system_time(time_us: int) -> str:
    """Event XML's SystemTime: microseconds and a Z."""
    return _utc(time_us).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso_ms(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _lines(records: Iterable[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


# --- event-json ---------------------------------------------------------------------------


def event_json_record(event: Event, qualified_id: bool = False) -> dict[str, Any]:
    """One `evtx_dump -o jsonl` record; `qualified_id` gives EventID the attribute form."""
    event_id: Any = event.event_id
    if qualified_id:
        event_id = {"#attributes": {"Qualifiers": 0}, "#text": event.event_id}
    provider = {"Name": event.provider}
    if event.provider in _PROVIDER_GUIDS:
        provider["Guid"] = _PROVIDER_GUIDS[event.provider]
    return {
        "Event": {
            "#attributes": {"xmlns": EVENT_NS},
            "System": {
                "Provider": {"#attributes": provider},
                "EventID": event_id,
                "TimeCreated": {"#attributes": {"SystemTime": _system_time(event.time_us)}},
                "EventRecordID": event.record_id,
                "Channel": event.channel,
                "Computer": event.computer,
                **_execution(event),
            },
            "EventData": dict(event.data),
        }
    }


def _execution(event: Event) -> dict[str, Any]:
    if event.process_id is None:
        return {}
    return {"Execution": {"#attributes": {"ProcessID": event.process_id, "ThreadID": 1}}}


def write_event_json(events: Iterable[Event], path: Path) -> Path:
    records = (event_json_record(e, (i + 1) % 7 == 0) for i, e in enumerate(events))
    path.write_bytes(_lines(records))
    return path


# --- ecs ------------------------------------------------------------------------------------


def ecs_record(event: Event) -> dict[str, Any]:
    """One Winlogbeat document."""
    code = str(event.event_id)
    return {
        "@timestamp": _iso_ms(_utc(event.time_us)),
        "event": {"code": code, "provider": event.provider, "kind": "event"},
        "host": {"name": event.computer.split(".", 1)[0].lower()},
        "winlog": {
            "event_id": code,
            "channel": event.channel,
            "computer_name": event.computer,
            "record_id": event.record_id,
            "provider_name": event.provider,
            **({"process": {"pid": event.process_id}} if event.process_id is not None else {}),
            "api": "wineventlog",
            "event_data": dict(event.data),
        },
        "ecs": {"version": "8.0.0"},
    }


def write_ecs(events: Iterable[Event], path: Path) -> Path:
    path.write_bytes(_lines(ecs_record(e) for e in events))
    return path


# --- nxlog ----------------------------------------------------------------------------------


def _local(moment: datetime) -> str:
    return (moment + _NXLOG_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def nxlog_record(event: Event) -> dict[str, Any]:
    """One OTRF/Mordor record: envelope first, then every EventData field at the top level."""
    created = _utc(event.time_us)
    received = created + _NXLOG_DELAY
    security = event.channel == SECURITY
    return {
        "EventID": event.event_id,
        "Hostname": event.computer,
        "Channel": "security" if security else event.channel,
        "SourceName": event.provider,
        "@timestamp": _iso_ms(received),
        "@version": "1",
        "EventTime": _local(created),
        "EventReceivedTime": _local(received),
        "RecordNumber": event.record_id,
        "EventType": "AUDIT_SUCCESS" if security else "INFO",
        "SeverityValue": 2,
        "Severity": "INFO",
        "Keywords": "0x8020000000000000" if security else "0x8000000000000000",
        "ProcessID": 1234,  # NXLog's, not the event's: readers must ignore it
        **({"ExecutionProcessID": event.process_id} if event.process_id is not None else {}),
        "ThreadID": 5678,
        "SourceModuleName": "eventlog",
        "SourceModuleType": "im_msvistalog",
        **event.data,
    }


def write_nxlog(events: Iterable[Event], path: Path) -> Path:
    path.write_bytes(_lines(nxlog_record(e) for e in events))
    return path


# --- xml -----------------------------------------------------------------------------------

# A bare CR would become LF when parsed: keep it as a character reference.
_TEXT_ENTITIES = {"\r": "&#13;"}


def xml_element(event: Event) -> str:
    """One `<Event>` element on one line."""
    guid = _PROVIDER_GUIDS.get(event.provider)
    provider = f"<Provider Name={quoteattr(event.provider)}"
    provider += f" Guid={quoteattr(guid)}/>" if guid else "/>"
    data = "".join(
        f"<Data Name={quoteattr(name)}>{escape(value, _TEXT_ENTITIES)}</Data>"
        for name, value in event.data.items()
    )
    return (
        f'<Event xmlns="{EVENT_NS}"><System>{provider}'
        f"<EventID>{event.event_id}</EventID>"
        f"<TimeCreated SystemTime={quoteattr(_system_time(event.time_us))}/>"
        f"<EventRecordID>{event.record_id}</EventRecordID>"
        + (f'<Execution ProcessID="{event.process_id}"/>' if event.process_id is not None else "")
        + f"<Channel>{escape(event.channel)}</Channel>"
        f"<Computer>{escape(event.computer)}</Computer>"
        f"</System><EventData>{data}</EventData></Event>"
    )


def write_xml(events: Iterable[Event], path: Path) -> Path:
    path.write_text("".join(xml_element(e) + "\n" for e in events), encoding="utf-8")
    return path


# --- dispatch ---------------------------------------------------------------------------------

_WRITERS: dict[str, Callable[[Iterable[Event], Path], Path]] = {
    "ecs": write_ecs,
    "nxlog": write_nxlog,
    "event-json": write_event_json,
    "xml": write_xml,
}


def write(events: Iterable[Event], path: Path | str, shape: str) -> Path:
    """Write `events` to `path` in `shape` (one of SHAPES)."""
    if shape not in _WRITERS:
        raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
    return _WRITERS[shape](events, Path(path))


def by_host(events: Iterable[Event]) -> Iterator[tuple[str, list[Event]]]:
    """Events grouped per computer, hosts in name order, each host's events in list order."""
    hosts: dict[str, list[Event]] = {}
    for event in events:
        hosts.setdefault(event.computer, []).append(event)
    for host in sorted(hosts):
        yield host, hosts[host]


def write_demo(directory: Path | str, shape: str = "ecs", seed: int = 7) -> list[Path]:
    """The story as one file per host (`dc01.ndjson`...), as a collector would ship it."""
    if shape not in _WRITERS:
        raise ValueError(f"unknown shape {shape!r}; expected one of {', '.join(SHAPES)}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [
        write(events, directory / f"{host.split('.', 1)[0].lower()}{SUFFIXES[shape]}", shape)
        for host, events in by_host(generate(seed=seed))
    ]
