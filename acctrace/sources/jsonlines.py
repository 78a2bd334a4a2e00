"""JSON lines in any of the three accepted shapes (event-json, OTRF/NXLog, Winlogbeat/ECS).

Relevance is decided on the raw bytes before any JSON is decoded: most lines of a real log
are not events the analytic reads. The stream is read in blocks, and each block is judged
with a few scans that run in C, not a Python loop per line: a split on newlines, a check
that each line is one object with an event id, and two regex searches of the whole block
for the wanted EventIDs. Only the lines those scans single out (wanted, or odd in any way)
go through the per-line logic in `_one`; the rest are counted as passed over in bulk. A
block the scans cannot vouch for (an object without an event id, or an enormous line) is
read line by line, so the result is always what the per-line logic alone would give
(tests/reliability/test_json_lines_blocks.py holds the two to that).

A relevant line that strict JSON rejects only for its characters (invalid UTF-8, a lone
UTF-16 surrogate, a raw control character) is repaired and used, with a note: an
adversary cannot hide an event with one bad byte.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, not_
from typing import IO, Any

import orjson

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_json
from acctrace.sources.tally import Tally

MAX_LINE_BYTES = 8 * 1024 * 1024
# Read at a time; tests shrink it to put lines across blocks. Larger blocks measured slower
# (each is scanned several times, better from cache).
BLOCK_BYTES = 256 * 1024
_KEY = rb'"(?:EventID|event_id|EventId|code)"'
# After the key: optional {"#text": ...} wrapper (XML rendered as JSON), then the number.
_AFTER_KEY = rb'\s*:\s*(?:\{(?:[^{}]|\{[^{}]*\})*?"#text"\s*:\s*)?"?'
_EVENT_ID = re.compile(_KEY + _AFTER_KEY + rb"(\d{1,10})(?!\d)")
# The same, for a whole block: never crossing a newline, so it matches within a line
# exactly where _EVENT_ID matches that line alone.
_AFTER_KEY_IN_LINE = _AFTER_KEY.replace(rb"\s", rb"[ \t\r\f\v]").replace(rb"[^{}]", rb"[^{}\n]")
# _KEY's spellings as two patterns led by literals: a search led by a literal that is rare
# in JSON runs several times faster than one led by '"', which JSON has everywhere.
_KEY_LEADS = (
    rb'vent(?:ID"(?<="EventID")|_id"(?<="event_id")|Id"(?<="EventId"))',
    rb'code"(?<="code")',
)
# A line has an event id (_EVENT_ID matches it) when one of these matches it.
_ANY_ID = tuple(re.compile(lead + _AFTER_KEY_IN_LINE + rb"\d{1,10}(?!\d)") for lead in _KEY_LEADS)
# When more than one line in _DENSE of a block needs the per-line logic anyway (wanted, or
# odd), the block scans cost more than they save: the next block is read line by line,
# and the scans come back once a block is mostly passed over again.
_DENSE = 3
_CLOSERS = (b"}", b"}\r")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A record whose fields have types no shape expects: that record is skipped, never the file.
_RECORD_ERRORS = (NotAnEvent, ValueError, TypeError, KeyError, AttributeError, IndexError)


class _TooDeep(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class _Piece:
    """Whole lines from the stream: `lines` (without their newlines) are `data[:end]`."""

    data: bytes
    end: int
    lines: list[bytes]
    terminated: bool  # every line ended with a newline (not so for a last line at EOF)


def read(
    stream: IO[bytes], tally: Tally, relevant: frozenset[int]
) -> Generator[RawEvent, None, int]:
    """The events of `stream` whose EventID is in `relevant`; every line is counted. Returns
    the number of lines, blank ones included (the newlines, and an unfinished last line)."""
    wanted = _wanted_patterns(relevant)
    before = 0  # lines before the current piece, for "line N"
    dense = False  # the last block was mostly lines to check: skip the scans
    for piece in _pieces(stream):
        if piece is None:
            before += 1
            _one(None, before, tally, relevant)
            continue
        lines = piece.lines
        n = len(lines)
        chosen = None if dense else _lines_to_check(piece, wanted)
        passed_before = tally.passed_over
        if chosen is None:
            chosen = range(n)
        else:
            tally.read += n - len(chosen)
            tally.passed_over += n - len(chosen)
        for i in chosen:
            text = None if len(lines[i]) >= MAX_LINE_BYTES else lines[i]
            if (raw := _one(text, before + i + 1, tally, relevant, piece.terminated)) is not None:
                yield raw
        before += n
        dense = (n - (tally.passed_over - passed_before)) * _DENSE > n
    return before


def _one(
    text: bytes | None,
    number: int,
    tally: Tally,
    relevant: frozenset[int],
    newline: bool = True,
) -> RawEvent | None:
    """The per-line logic: one line (without its newline; None if too long) counted,
    skipped or decoded."""
    if text is not None and not text.strip():
        return None
    tally.read += 1
    if text is None:
        tally.skip("line_too_long", f"longer than {MAX_LINE_BYTES} bytes", f"line {number}")
        return None
    stripped = text.strip()
    if stripped.startswith(b"{") and stripped.endswith(b"}"):
        ids = _EVENT_ID.findall(text)
        if not ids:
            tally.skip("not_an_event", "a JSON object with no event id", f"line {number}")
            return None
        if not any(map(relevant.__contains__, map(int, ids))):
            tally.passed_over += 1
            return None
    where = f"line {number}"
    # Decoded as it was read, newline included: JSON errors name the same line and column.
    line = text + b"\n" if newline else text
    try:  # relevant, or not an object at all (cut short, or JSON of another kind)
        return from_json(_decode(line, tally, where))
    except orjson.JSONDecodeError as exc:
        tally.skip("invalid_json", str(exc).splitlines()[0], where)
    except _TooDeep as exc:
        tally.skip("too_deep", str(exc), where)
    except _RECORD_ERRORS as exc:
        reason = "not_an_event" if isinstance(exc, NotAnEvent) else "bad_record"
        tally.skip(reason, str(exc) or type(exc).__name__, where)
    return None


def _lines_to_check(piece: _Piece, wanted: tuple[re.Pattern[bytes], ...]) -> list[int] | None:
    """Indices of the lines `_one` must see; every other line is an object with an event
    id, none of them wanted: passed over. None when the block must go line by line."""
    data, end, lines = piece.data, piece.end, piece.lines
    n = len(lines)
    if end >= MAX_LINE_BYTES and max(map(len, lines)) >= MAX_LINE_BYTES:
        return None
    starts = sum(map(bytes.startswith, lines, repeat(b"{")))
    ends = sum(map(bytes.endswith, lines, repeat(_CLOSERS)))
    if starts == n and ends == n:  # every line one object: the usual case
        odd: list[int] = []
        objects = lines
    else:  # blank, padded, or not an object: `_one` decides
        framed = list(
            map(
                bool.__and__,
                map(bytes.startswith, lines, repeat(b"{")),
                map(bytes.endswith, lines, repeat(_CLOSERS)),
            )
        )
        odd = list(compress(range(n), map(not_, framed)))
        objects = list(compress(lines, framed))
    # Each object is searched for one kind of key, and those without it for the other:
    # first the kind found earliest in the first line (a file keeps its shape), so most
    # searches stop early (Winlogbeat has both: `event.code` comes well before `event_id`).
    at = [m.start() if (m := pattern.search(lines[0])) else len(lines[0]) for pattern in _ANY_ID]
    first, second = _ANY_ID if at[0] <= at[1] else _ANY_ID[::-1]
    without = list(compress(objects, map(not_, map(first.search, objects))))
    if without and not all(map(second.search, without)):  # an object without an event id
        return None
    hits = [m.start() for pattern in wanted for m in pattern.finditer(data, 0, end)]
    if not hits:
        return odd
    line_ends = list(map(add, accumulate(map(len, lines)), count(1)))  # offset after each "\n"
    return sorted({bisect_right(line_ends, h) for h in hits}.union(odd))


def _wanted_patterns(relevant: frozenset[int]) -> tuple[re.Pattern[bytes], ...]:
    """Block-level searches for an event-id key holding one of the `relevant` ids. Callers
    may pass any object that answers `id in relevant` (readiness reads every event): then
    every id is a candidate, and `_one` asks."""
    if isinstance(relevant, set | frozenset):
        return _patterns_for(frozenset(relevant))
    return _patterns_for(None)


@lru_cache(maxsize=8)
def _patterns_for(ids: frozenset[int] | None) -> tuple[re.Pattern[bytes], ...]:
    if ids is None:
        number = rb"\d{1,10}(?!\d)"
    elif wanted := sorted({str(int(i)).encode() for i in ids if isinstance(i, int) and i >= 0}):
        number = rb"0*" + _alternatives(wanted) + rb"(?!\d)"
    else:
        return ()
    return tuple(re.compile(lead + _AFTER_KEY_IN_LINE + number) for lead in _KEY_LEADS)


def _alternatives(words: list[bytes]) -> bytes:
    """A regex matching any of `words`, branching on one character at a time: tried after
    every event-id key in the input, it must reject a number in a step or two."""
    if words == [b""]:
        return b""
    by_first: dict[bytes, list[bytes]] = {}
    for word in words:
        by_first.setdefault(word[:1], []).append(word[1:])
    branches = [
        re.escape(first) + _alternatives(rest) for first, rest in sorted(by_first.items()) if first
    ]
    optional = b"" in by_first  # one word is a prefix of others: the branch may end here
    return rb"(?:" + b"|".join(branches) + (rb")?" if optional else rb")")


def _pieces(stream: IO[bytes]) -> Iterator[_Piece | None]:
    """The stream's lines, a block at a time; None (in its place) for each line of
    MAX_LINE_BYTES or more, which is consumed without being held."""
    unfinished: list[bytes] = []  # the last line so far, which has no newline yet
    held = 0  # its length
    skipping = False  # inside a line already reported as too long, until its newline
    while block := stream.read(BLOCK_BYTES):
        if skipping:
            newline = block.find(b"\n")
            if newline < 0:
                continue
            block, skipping = block[newline + 1 :], False
        if b"\n" not in block:  # a long line goes on: collect it, do not split it again
            unfinished.append(block)
            held += len(block)
        else:
            data = b"".join((*unfinished, block)) if unfinished else block
            lines = data.split(b"\n")
            carry = lines.pop()
            yield _Piece(data, len(data) - len(carry), lines, terminated=True)
            unfinished, held = ([carry] if carry else []), len(carry)
        if held >= MAX_LINE_BYTES:
            yield None
            unfinished, held, skipping = [], 0, True
    if held:
        last = b"".join(unfinished)
        yield _Piece(last, held, [last], terminated=False)


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
