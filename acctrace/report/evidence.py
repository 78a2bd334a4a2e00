"""Re-reading the records a finding rests on, from the original inputs, by record id.

A finding's `sources` name each event by input file, the file's SHA-256, EventRecordID and
event id. Inputs are matched by SHA-256 (so a moved or renamed log still matches) and read
again with the same discovery and field mapping as a hunt. The text kept is the record
as read: the line of a JSON-lines file byte for byte, an EVTX record as pyevtx-rs renders
it (JSON), a Windows XML `<Event>` element as serialised by lxml.
"""

from __future__ import annotations

import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import orjson
from evtx import PyEvtxParser
from lxml import etree

from acctrace.errors import InputProblem
from acctrace.findings import Source
from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_event_json, from_json, from_xml
from acctrace.sources import Input, discover, sha256_of
from acctrace.sources.jsonlines import MAX_LINE_BYTES
from acctrace.sources.tally import Tally
from acctrace.sources.xml import pieces as xml_events

_EVENT_ID = re.compile(
    r'"(?:EventID|event_id|EventId|code)"\s*:\s*(?:\{[^{}]*?"#text"\s*:\s*)?"?(\d+)'
)
_SUFFIX = {"evtx": "json", "jsonl": "json", "xml": "xml"}


@dataclass(frozen=True)
class RawRecord:
    """One record as read again; `file` and `sha256` are those the finding names."""

    file: str
    sha256: str | None
    record_id: int | None
    event_id: int
    channel: str
    format: str
    read_from: str  # the input it was found in now
    text: str

    @property
    def key(self) -> tuple[str, int | None, int]:
        return (self.file, self.record_id, self.event_id)

    @property
    def suffix(self) -> str:
        return _SUFFIX.get(self.format, "txt")


def reread(paths: list[Path], sources: Iterable[Source]) -> tuple[list[RawRecord], list[Source]]:
    """The records behind `sources` found in `paths`, and the sources not found."""
    wanted: dict[str, dict[tuple[int | None, int], Source]] = {}
    for s in sources:
        wanted.setdefault(s.sha256 or f"name:{s.file}", {})[(s.record_id, s.event_id)] = s
    found: dict[tuple[str, int | None, int], RawRecord] = {}
    for item in discover(paths):
        if isinstance(item, InputProblem):
            continue
        sha256 = sha256_of(item.stream)
        # No SHA-256 (a file `watch` followed, named absolute): by name, however given here.
        named = wanted.get(f"name:{item.name}") or wanted.get(f"name:{os.path.abspath(item.name)}")
        targets = wanted.get(sha256) or named
        if not targets:
            continue
        event_ids = frozenset(event_id for _, event_id in targets)
        for raw, text in records(item, event_ids):
            source = targets.get((raw.record_id, raw.event_id))
            if source is None:
                continue
            record = RawRecord(
                source.file,
                source.sha256,
                raw.record_id,
                raw.event_id,
                raw.channel,
                item.format,
                item.name,
                text,
            )
            found.setdefault(record.key, record)
    missing = [
        s
        for targets in wanted.values()
        for s in targets.values()
        if (s.file, s.record_id, s.event_id) not in found
    ]
    return list(found.values()), missing


def records(source: Input, event_ids: frozenset[int]) -> Iterator[tuple[RawEvent, str]]:
    """Every record of one input whose event id is wanted, with its text as read."""
    if source.format == "evtx":
        yield from _evtx(source, event_ids)
    elif source.format == "jsonl":
        yield from _jsonl(source.stream, event_ids)
    elif source.format == "xml":
        yield from _xml(source.stream, event_ids)


def _wanted(text: str, event_ids: frozenset[int]) -> bool:
    return any(int(m.group(1)) in event_ids for m in _EVENT_ID.finditer(text))


def _evtx(source: Input, event_ids: frozenset[int]) -> Iterator[tuple[RawEvent, str]]:
    with warnings.catch_warnings(), tempfile.TemporaryFile() as copy:
        warnings.simplefilter("ignore")  # bad chunks were counted by the hunt already
        if source.path is not None:
            target: str | IO[bytes] = str(source.path)
        else:
            while chunk := source.stream.read(1 << 20):
                copy.write(chunk)
            copy.seek(0)
            target = copy
        try:
            parser = PyEvtxParser(target, skip_errors=True)
            for record in parser.records_json():
                data = record["data"]
                if not _wanted(data, event_ids):
                    continue
                try:
                    yield from_event_json(orjson.loads(data)["Event"]), data
                except (orjson.JSONDecodeError, KeyError, NotAnEvent):
                    continue
        except (OSError, RuntimeError):
            return


def _jsonl(stream: IO[bytes], event_ids: frozenset[int]) -> Iterator[tuple[RawEvent, str]]:
    """Lines as the hunt reads them: one over its limit is passed by, never held whole."""
    while line := stream.readline(MAX_LINE_BYTES + 1):
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            continue
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if not text.strip() or not _wanted(text, event_ids):
            continue
        try:
            yield from_json(orjson.loads(line)), text
        except (orjson.JSONDecodeError, NotAnEvent):
            continue


def _xml(stream: IO[bytes], event_ids: frozenset[int]) -> Iterator[tuple[RawEvent, str]]:
    """Each `<Event>` cut from the stream as the hunt cuts it (bounded, one at a time)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    for piece, _ in xml_events(stream, Tally("evidence", "xml")):
        if piece is None:
            continue
        try:
            element = etree.fromstring(piece, parser)
            raw = from_xml(element)
        except (etree.XMLSyntaxError, NotAnEvent, ValueError, TypeError):
            continue
        if raw.event_id in event_ids:
            yield raw, etree.tostring(element, encoding="unicode", with_tail=False)
