"""JSON lines in any of the three accepted shapes (event-json, OTRF/NXLog, Winlogbeat/ECS).

Relevance is decided on the raw bytes of each line (its EventID) before any JSON is decoded:
most lines of a real log are not events the analytic reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

import orjson

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_json
from acctrace.sources.tally import Tally

MAX_LINE_BYTES = 8 * 1024 * 1024
_EVENT_ID = re.compile(
    rb'"(?:EventID|event_id|EventId|code)"\s*:\s*(?:\{(?:[^{}]|\{[^{}]*\})*?"#text"\s*:\s*)?"?(\d+)'
)


def read(stream: IO[bytes], tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    for number, line in enumerate(_lines(stream), start=1):
        if line is not None and not line.strip():
            continue
        tally.read += 1
        if line is None:
            tally.skip("line_too_long", f"longer than {MAX_LINE_BYTES} bytes", f"line {number}")
            continue
        stripped = line.strip()
        well_framed = stripped.startswith(b"{") and stripped.endswith(b"}")
        if well_framed and not any(int(m.group(1)) in relevant for m in _EVENT_ID.finditer(line)):
            tally.passed_over += 1
            continue
        try:  # relevant, or not an object at all (cut short, or JSON of another kind)
            yield from_json(orjson.loads(line))
        except orjson.JSONDecodeError as exc:
            tally.skip("invalid_json", str(exc).splitlines()[0], f"line {number}")
        except NotAnEvent as exc:
            tally.skip("not_an_event", str(exc), f"line {number}")


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
