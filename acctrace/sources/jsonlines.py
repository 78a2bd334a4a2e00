"""JSON lines in any of the three accepted shapes (event-json, OTRF/NXLog, Winlogbeat/ECS).

Relevance is decided on the raw bytes of each line (its EventID) before any JSON is decoded:
most lines of a real log are not events the analytic reads. A relevant line that strict
JSON rejects only for its characters (invalid UTF-8, a lone UTF-16 surrogate, a raw control
character) is repaired and used, with a note: an adversary cannot hide an event with one
bad byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import IO, Any

import orjson

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_json
from acctrace.sources.tally import Tally

MAX_LINE_BYTES = 8 * 1024 * 1024
_EVENT_ID = re.compile(
    rb'"(?:EventID|event_id|EventId|code)"\s*:\s*(?:\{(?:[^{}]|\{[^{}]*\})*?"#text"\s*:\s*)?"?(\d{1,10})(?!\d)'
)
_SURROGATE = re.compile("[\ud800-\udfff]")
# A record whose fields have types no shape expects: that record is skipped, never the file.
_RECORD_ERRORS = (NotAnEvent, ValueError, TypeError, KeyError, AttributeError, IndexError)


class _TooDeep(ValueError):
    pass


def read(stream: IO[bytes], tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    for number, line in enumerate(_lines(stream), start=1):
        if line is not None and not line.strip():
            continue
        tally.read += 1
        where = f"line {number}"
        if line is None:
            tally.skip("line_too_long", f"longer than {MAX_LINE_BYTES} bytes", where)
            continue
        stripped = line.strip()
        if stripped.startswith(b"{") and stripped.endswith(b"}"):
            ids = [int(m.group(1)) for m in _EVENT_ID.finditer(line)]
            if not ids:
                tally.skip("not_an_event", "a JSON object with no event id", where)
                continue
            if not any(i in relevant for i in ids):
                tally.passed_over += 1
                continue
        try:  # relevant, or not an object at all (cut short, or JSON of another kind)
            obj = _decode(line, tally, where)
            raw = from_json(obj)
        except orjson.JSONDecodeError as exc:
            tally.skip("invalid_json", str(exc).splitlines()[0], where)
        except _TooDeep as exc:
            tally.skip("too_deep", str(exc), where)
        except _RECORD_ERRORS as exc:
            reason = "not_an_event" if isinstance(exc, NotAnEvent) else "bad_record"
            tally.skip(reason, str(exc) or type(exc).__name__, where)
        else:
            yield raw


def _decode(line: bytes, tally: Tally, where: str) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):
            raise _TooDeep("nested more than 1024 levels deep") from exc
        try:
            obj = _scrub(json.loads(line.decode("utf-8", "replace"), strict=False))
        except (ValueError, RecursionError):
            raise exc from None
        tally.note("repaired", f"{str(exc).split(':')[0]}; bad characters replaced", where)
        return obj


def _scrub(value: Any) -> Any:
    """Lone surrogates replaced, so every string can be written as UTF-8 later."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _lines(stream: IO[bytes]) -> Iterator[bytes | None]:
    """Lines of at most MAX_LINE_BYTES; a longer one is consumed and yielded as None."""
    while True:
        line = stream.readline(MAX_LINE_BYTES)
        if not line:
            return
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line
