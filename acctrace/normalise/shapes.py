"""Per-format field maps: every input shape becomes a `RawEvent` (header + flat EventData).

The shapes accepted (examples in docs/formats.md):
- `event-json`: `{"Event": {"System": ..., "EventData": ...}}` from pyevtx-rs / `evtx_dump -o jsonl`
- `nxlog`: OTRF Security-Datasets (Mordor) flat records, EventData fields at the top level
- `ecs`: Winlogbeat / Elastic Agent documents (`winlog.*`)
- `xml`: `<Event>` elements from `wevtutil qe /f:xml` or `Get-WinEvent | % ToXml`
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from acctrace.normalise import fields

_15_MINUTES_US = 15 * 60 * 1_000_000


@dataclass(slots=True)
class RawEvent:
    """One Windows event, format-independent, before it is mapped to the event model."""

    event_id: int
    channel: str
    computer: str | None
    time_us: int | None
    record_id: int | None
    provider: str
    data: dict[str, Any] = field(default_factory=dict)
    process_id: int | None = None  # System/Execution ProcessID: the process that logged it


class NotAnEvent(ValueError):
    """A well-formed record that is not a Windows event in any accepted shape."""


def detect(obj: Any) -> str | None:
    """Name the JSON shape of one decoded record, or None when it is none of them."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("Event"), dict):
        return "event-json"
    if isinstance(obj.get("winlog"), dict):
        return "ecs"
    if "EventID" in obj and ("Channel" in obj or "SourceName" in obj):
        return "nxlog"
    return None


def from_json(obj: Any) -> RawEvent:
    shape = detect(obj)
    if shape == "event-json":
        return from_event_json(obj["Event"])
    if shape == "ecs":
        return from_ecs(obj)
    if shape == "nxlog":
        return from_nxlog(obj)
    raise NotAnEvent("valid JSON but not a Windows event in any accepted shape")


def _required_id(value: Any) -> int:
    eid = fields.event_id(value)
    if eid is None:
        raise NotAnEvent(f"event id {value!r} is not a number")
    return eid


def _without_attributes(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "#attributes"}


def flatten_event_data(event_data: Any) -> dict[str, Any]:
    """EventData as a flat dict, whether it holds named fields or an unnamed `Data` list."""
    if not isinstance(event_data, dict):
        return {}
    named = _without_attributes(event_data) if "#attributes" in event_data else event_data
    if len(named) != 1 or "Data" not in named:
        return named
    items = named["Data"]
    if isinstance(items, dict):
        items = items.get("#text", items)
    if not isinstance(items, list):
        items = [items]
    return {
        (item.get("#attributes") or {}).get("Name", f"Data{i}")
        if isinstance(item, dict)
        else f"Data{i}": item.get("#text") if isinstance(item, dict) else item
        for i, item in enumerate(items)
    }


def flatten_user_data(user_data: Any) -> dict[str, Any]:
    """UserData wraps its fields in one element named after the event (e.g. LogFileCleared)."""
    if not isinstance(user_data, dict):
        return {}
    children = [v for k, v in user_data.items() if k != "#attributes" and isinstance(v, dict)]
    return _without_attributes(children[0]) if len(children) == 1 else {}


def from_event_json(event: dict[str, Any]) -> RawEvent:
    system = event.get("System")
    if not isinstance(system, dict):
        raise NotAnEvent("Event has no System element")
    provider = system.get("Provider") or {}
    attrs = provider.get("#attributes", provider) if isinstance(provider, dict) else {}
    data = flatten_event_data(event.get("EventData")) or flatten_user_data(event.get("UserData"))
    return RawEvent(
        event_id=_required_id(system.get("EventID")),
        channel=str(system.get("Channel") or ""),
        computer=fields.text(system.get("Computer")),
        time_us=fields.timestamp_us(system.get("TimeCreated")),
        record_id=fields.number(system.get("EventRecordID")),
        provider=str(attrs.get("Name") or ""),
        data=data,
        process_id=fields.number(_attributes(system.get("Execution")).get("ProcessID")),
    )


def _attributes(element: Any) -> dict[str, Any]:
    return element.get("#attributes") or {} if isinstance(element, dict) else {}


def from_ecs(doc: dict[str, Any]) -> RawEvent:
    winlog = doc["winlog"]
    data = dict(winlog.get("event_data") or {})
    data.update(winlog.get("user_data") or {})
    return RawEvent(
        event_id=_required_id(winlog.get("event_id") or (doc.get("event") or {}).get("code")),
        channel=str(winlog.get("channel") or ""),
        computer=fields.text(winlog.get("computer_name") or (doc.get("host") or {}).get("name")),
        time_us=fields.timestamp_us(doc.get("@timestamp")),
        record_id=fields.number(winlog.get("record_id")),
        provider=str(winlog.get("provider_name") or ""),
        data=data,
        process_id=fields.number((winlog.get("process") or {}).get("pid")),
    )


# NXLog adds these to every record; they are not EventData and some collide with it
# (NXLog's `ProcessID` is the logging process, the event's own field is `ProcessId`).
_NXLOG_ENVELOPE = frozenset(
    (
        "EventID Hostname Channel SourceName ProviderGuid EventTime EventReceivedTime "
        "@timestamp @version RecordNumber Keywords SeverityValue Severity EventType Opcode "
        "OpcodeValue Task Version ExecutionProcessID ThreadID SourceModuleName "
        "SourceModuleType host port tags Message Category AccountName AccountType Domain "
        "UserID ProcessID"
    ).split()
)


def _nxlog_time_us(rec: dict[str, Any]) -> int | None:
    """Event time in UTC: Sysmon's UtcTime, else EventTime (local) shifted to UTC.

    NXLog's EventTime has no zone and `@timestamp` is when the collector received the
    event; the zone offset is the difference between EventReceivedTime (local) and
    `@timestamp` (UTC), rounded to a quarter hour.
    """
    utc = fields.timestamp_us(rec.get("UtcTime"))
    if utc is not None:
        return utc
    received_utc = fields.timestamp_us(rec.get("@timestamp"))
    local = fields.timestamp_us(rec.get("EventTime"))
    received_local = fields.timestamp_us(rec.get("EventReceivedTime"))
    if local is not None and received_local is not None and received_utc is not None:
        offset = round((received_local - received_utc) / _15_MINUTES_US) * _15_MINUTES_US
        return local - offset
    return local if local is not None else received_utc


def from_nxlog(rec: dict[str, Any]) -> RawEvent:
    return RawEvent(
        event_id=_required_id(rec.get("EventID")),
        channel=str(rec.get("Channel") or ""),
        computer=fields.text(rec.get("Hostname")),
        time_us=_nxlog_time_us(rec),
        record_id=fields.number(rec.get("RecordNumber")),
        provider=str(rec.get("SourceName") or ""),
        data={k: v for k, v in rec.items() if k not in _NXLOG_ENVELOPE},
        process_id=fields.number(rec.get("ExecutionProcessID")),
    )


def from_xml(event: Any) -> RawEvent:
    """An lxml `<Event>` element (any namespace) as a RawEvent."""

    def local(el: Any) -> str:
        return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""

    system = next((c for c in event if local(c) == "System"), None)
    if system is None:
        raise NotAnEvent("<Event> has no <System>")
    sys_fields = {local(c): c for c in system}
    provider = sys_fields.get("Provider")
    time_created = sys_fields.get("TimeCreated")
    execution = sys_fields.get("Execution")
    data: dict[str, Any] = {}
    for section in event:
        if local(section) == "EventData":
            for i, item in enumerate(section):
                data[item.get("Name") or f"Data{i}"] = item.text
        elif local(section) == "UserData":
            for wrapper in section:
                data.update({local(c): c.text for c in wrapper})

    def value(name: str) -> str | None:
        el = sys_fields.get(name)
        return el.text if el is not None else None

    return RawEvent(
        event_id=_required_id(value("EventID")),
        channel=value("Channel") or "",
        computer=fields.text(value("Computer")),
        time_us=fields.timestamp_us(
            time_created.get("SystemTime") if time_created is not None else None
        ),
        record_id=fields.number(value("EventRecordID")),
        provider=(provider.get("Name") if provider is not None else "") or "",
        data=data,
        process_id=fields.number(execution.get("ProcessID") if execution is not None else None),
    )
