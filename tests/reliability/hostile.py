"""Builders of account-creation events and hostile inputs, shared by the reliability tests."""

from __future__ import annotations

import io
from typing import IO
from xml.sax.saxutils import escape, quoteattr

import orjson

from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.shapes import RawEvent
from acctrace.sources import Tally
from acctrace.sources.inputs import Input

SID = "S-1-5-21-1111-2222-3333-"


def creation(name: str, record: int, host: str = "ws1.corp.local") -> dict:
    """A Security 4720 in the OTRF/NXLog JSON shape."""
    return {
        "EventID": 4720,
        "SourceName": "Microsoft-Windows-Security-Auditing",
        "Channel": "Security",
        "Hostname": host,
        "@timestamp": f"2024-03-01T10:00:{record % 60:02d}.000Z",
        "RecordNumber": record,
        "TargetUserName": name,
        "TargetDomainName": "WS1",
        "TargetSid": f"{SID}{1000 + record}",
        "SubjectUserSid": f"{SID}500",
        "SubjectUserName": "admin",
        "SubjectDomainName": "WS1",
        "SubjectLogonId": "0x3e7",
    }


def creation_line(name: str, record: int) -> bytes:
    return orjson.dumps(creation(name, record)) + b"\n"


def other_line(record: int, event_id: int = 5156) -> bytes:
    """An event the analytic does not read."""
    rec = {"EventID": event_id, "Channel": "Security", "Hostname": "ws1", "RecordNumber": record}
    return orjson.dumps(rec) + b"\n"


def creation_xml(name: str, record: int) -> str:
    data = "".join(
        f"<Data Name={quoteattr(k)}>{escape(str(v))}</Data>"
        for k, v in creation(name, record).items()
        if k.startswith(("Target", "Subject"))
    )
    return (
        '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>'
        '<Provider Name="Microsoft-Windows-Security-Auditing"/><EventID>4720</EventID>'
        '<TimeCreated SystemTime="2024-03-01T10:00:00.000Z"/>'
        f"<EventRecordID>{record}</EventRecordID><Channel>Security</Channel>"
        f"<Computer>ws1.corp.local</Computer></System><EventData>{data}</EventData></Event>\n"
    )


def read_bytes(reader: object, data: bytes, name: str = "input") -> tuple[list[RawEvent], Tally]:
    """Everything one reader yields from `data`, and its tally."""
    tally = Tally(name, "test")
    events = list(reader.read(io.BytesIO(data), tally, RELEVANT_EVENT_IDS))  # type: ignore[attr-defined]
    return events, tally


def balanced(tally: Tally, yielded: int) -> bool:
    """The reader's half of the accounting identity: every record read was yielded (to be
    used or found a duplicate downstream), passed over, or skipped with a reason."""
    return tally.read == yielded + tally.passed_over + tally.skipped_total


def as_input(name: str, fmt: str, stream: IO[bytes]) -> Input:
    return Input(name, fmt, stream, None)


class FailingStream(io.BytesIO):
    """A stream that breaks after `good` bytes, as a disk or a network share can."""

    def __init__(self, data: bytes, good: int):
        super().__init__(data)
        self.good = good

    def read(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.good:
            raise OSError(5, "Input/output error")
        return super().read(size)

    def readline(self, size: int | None = -1) -> bytes:
        if self.tell() >= self.good:
            raise OSError(5, "Input/output error")
        return super().readline(size)
