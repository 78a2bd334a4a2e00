"""EVTX files, parsed by pyevtx-rs; records are decoded only when their EventID is wanted."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import IO

import orjson
from evtx import PyEvtxParser

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_event_json
from acctrace.sources.tally import Tally

# EventID is either a number or {"#attributes": {...}, "#text": number}.
_EVENT_ID = re.compile(r'"EventID":\s*(?:\{(?:[^{}]|\{[^{}]*\})*?"#text":\s*)?"?(\d+)')
_CHUNK = re.compile(r"chunk number (\d+)")
_RECORD = re.compile(r"record (?:id )?(\d+)")


def read(source: str | IO[bytes], tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    try:
        parser = PyEvtxParser(source, skip_errors=True)
    except (OSError, RuntimeError) as exc:
        tally.note("unreadable_evtx", _first_line(exc) or "empty file")
        return
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        records = parser.records_json()
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except RuntimeError as exc:  # not recoverable by skip_errors: the rest is lost
                tally.note("evtx_parse_error", _first_line(exc), _where(str(exc)))
                break
            finally:
                _count_skips(caught, tally)
            tally.read += 1
            data = record["data"]
            match = _EVENT_ID.search(data)
            if match is None or int(match.group(1)) not in relevant:
                tally.passed_over += 1
                continue
            try:
                yield from_event_json(orjson.loads(data)["Event"])
            except (orjson.JSONDecodeError, KeyError, NotAnEvent) as exc:
                tally.skip("bad_record", str(exc), f"record {record['event_record_id']}")


def _count_skips(caught: list[warnings.WarningMessage], tally: Tally) -> None:
    """pyevtx-rs reports each skipped chunk or record as a RuntimeWarning."""
    for w in caught:
        message = str(w.message)
        reason = "evtx_bad_chunk" if "chunk" in message.lower() else "evtx_bad_record"
        tally.read += 1
        tally.skip(reason, _first_line(message), _where(message))
    caught.clear()


def _where(message: str) -> str | None:
    chunk = _CHUNK.search(message)
    if chunk:
        return f"chunk {chunk.group(1)}"
    record = _RECORD.search(message)
    return f"record {record.group(1)}" if record else None


def _first_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
