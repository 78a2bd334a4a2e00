"""EVTX files, parsed by pyevtx-rs; records are decoded only when their EventID is wanted.

The parser skips bad chunks and records (`skip_errors=True`) and reports each as a
RuntimeWarning, which is counted. What it does not report is a file cut short: it drops a
partial last chunk silently and never compares the file with its header. So the layout is
checked here from the file and chunk headers (read with `struct`; the records themselves
always come from the parser), a partial last chunk is read from a zero-padded copy, and
the cut is reported as "file ends inside chunk N; records after R are missing".
"""

from __future__ import annotations

import io
import os
import re
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import orjson
from evtx import PyEvtxParser

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_event_json
from acctrace.sources.tally import Tally

# Threads pyevtx-rs may use per file (0: one per core). Worker processes set 1, so that
# several files read at once do not compete for the same cores.
PARSER_THREADS = 0

CHUNK_BYTES = 65536
_FILE_HEADER = struct.Struct("<8sQQQIHHHH")  # magic, first/last chunk, next record, sizes, count
_CHUNK_HEADER = struct.Struct("<8sQQQQ")  # magic, first/last record number, first/last record id
_MAX_RECORDS_IN_CHUNK = CHUNK_BYTES // 24  # a record is at least 24 bytes
# EventID is either a number or {"#attributes": {...}, "#text": number}.
_EVENT_ID = re.compile(r'"EventID":\s*(?:\{(?:[^{}]|\{[^{}]*\})*?"#text":\s*)?"?(\d{1,10})(?!\d)')
_CHUNK = re.compile(r"chunk number (\d+)")
_RECORD = re.compile(r"record (?:number |id )?(\d+)")
# Problems with the record data that is not the record's fault: counted as bad records.
_RECORD_ERRORS = (orjson.JSONDecodeError, NotAnEvent, KeyError, TypeError, ValueError)


@dataclass(frozen=True)
class Layout:
    """What the file and chunk headers promise, and how much of it the file holds."""

    size: int
    header: bytes  # the whole file header block
    declared_chunks: int
    whole_chunks: int
    tail: bytes  # a partial last chunk, empty when the file ends on a chunk boundary

    @property
    def tail_records(self) -> tuple[int, int] | None:
        """First and last record id the partial chunk's own header declares, if readable."""
        return chunk_records(self.tail)


def chunk_records(chunk: bytes) -> tuple[int, int] | None:
    """First and last record id a chunk's header declares; None when it is no chunk header
    or its ids make no sense."""
    if len(chunk) < _CHUNK_HEADER.size or not chunk.startswith(b"ElfChnk\x00"):
        return None
    first, last = _CHUNK_HEADER.unpack_from(chunk)[3:5]
    return (first, last) if 0 <= last - first < _MAX_RECORDS_IN_CHUNK else None


def layout(stream: IO[bytes]) -> Layout | None:
    """The layout of an EVTX stream, or None when its file header is cut short."""
    size = stream.seek(0, os.SEEK_END)
    stream.seek(0)
    fixed = stream.read(_FILE_HEADER.size)
    if len(fixed) < _FILE_HEADER.size:
        return None
    block, declared = _FILE_HEADER.unpack(fixed)[-2:]
    block = block if 128 <= block <= CHUNK_BYTES else 4096  # a damaged field: assume the norm
    if size < block:
        return None
    whole, partial = divmod(size - block, CHUNK_BYTES)
    stream.seek(0)
    header = stream.read(block)
    tail = b""
    if partial:
        stream.seek(block + whole * CHUNK_BYTES)
        tail = stream.read(partial)
    stream.seek(0)
    return Layout(size, header, declared, whole, tail)


def read(
    source: str | IO[bytes], tally: Tally, relevant: frozenset[int], chunks: range | None = None
) -> Iterator[RawEvent]:
    """The wanted events of an EVTX file, or only of its whole `chunks` (a file's chunks can
    be read apart: each carries its own strings and templates). The part that ends with the
    file's last whole chunk also reads a partial last chunk and says when the file is cut."""
    try:
        if isinstance(source, str):
            with open(source, "rb") as stream:
                shape = layout(stream)
                part = source if chunks is None else _chunks_of(stream, shape, chunks)
        else:
            shape = layout(source)
            part = source if chunks is None else _chunks_of(source, shape, chunks)
    except OSError as exc:
        tally.note("unreadable_evtx", exc.strerror or str(exc))
        return
    if shape is None:
        tally.note("unreadable_evtx", "the file header is cut short: no chunk to read")
        return
    reader = _Records(tally, relevant, first_chunk=chunks.start if chunks else 0)
    yield from reader.parse(part)
    if chunks is not None and chunks.stop < shape.whole_chunks:
        return
    if shape.tail:
        yield from _read_tail(shape, reader, tally)
    elif shape.whole_chunks < shape.declared_chunks:
        ends = f"after chunk {shape.whole_chunks - 1}" if shape.whole_chunks else "after its header"
        lost = f"records after {reader.last_id}" if reader.last_id is not None else "all records"
        tally.note(
            "evtx_truncated",
            f"file ends {ends}, of the {shape.declared_chunks} chunks its header declares; "
            f"{lost} are missing (how many is unknown)",
            f"chunk {shape.whole_chunks}",
        )


def _chunks_of(stream: IO[bytes], shape: Layout | None, chunks: range) -> IO[bytes]:
    """The file header and the whole `chunks`, as a file the parser reads like the whole one
    (it reads chunks up to the end of its input, whatever the header's count)."""
    if shape is None:
        return stream
    stream.seek(len(shape.header) + chunks.start * CHUNK_BYTES)
    count = min(chunks.stop, shape.whole_chunks) - chunks.start
    return io.BytesIO(shape.header + stream.read(max(count, 0) * CHUNK_BYTES))


def _read_tail(shape: Layout, reader: _Records, tally: Tally) -> Iterator[RawEvent]:
    """Read what a partial last chunk holds, from a copy padded to a whole chunk."""
    number = shape.whole_chunks
    declared = shape.tail_records
    before = tally.read, tally.skipped_total
    padded = shape.header + shape.tail + bytes(CHUNK_BYTES - len(shape.tail))
    reader.last_id = declared[0] - 1 if declared else reader.last_id
    yield from reader.parse(io.BytesIO(padded), count_failures=declared is None)
    got = tally.read - before[0]
    where = f"chunk {number}"
    cut = f"file ends inside chunk {number} ({len(shape.tail):,} of {CHUNK_BYTES:,} bytes)"
    if declared is None:
        tally.note("evtx_truncated", f"{cut}; records after {reader.last_id} are missing", where)
        return
    missing = declared[1] - declared[0] + 1 - got
    if missing > 0:  # the chunk header says how many: count them as read and skipped
        tally.read += missing
        tally.skipped["evtx_truncated"] += missing
    tally.note(
        "evtx_truncated",
        f"{cut}; records after {reader.last_id} are missing "
        f"({max(missing, 0)} of the {declared[0]}-{declared[1]} its header declares)",
        where,
    )


class _Records:
    """Counts and filters the records one parse yields; remembers the last record id."""

    def __init__(self, tally: Tally, relevant: frozenset[int], first_chunk: int = 0):
        self.tally, self.relevant = tally, relevant
        self.last_id: int | None = None
        self.first_chunk = first_chunk  # the parser numbers the chunks it is given from 0

    def parse(self, source: str | IO[bytes], count_failures: bool = True) -> Iterator[RawEvent]:
        tally = self.tally
        try:
            parser = PyEvtxParser(source, number_of_threads=PARSER_THREADS, skip_errors=True)
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
                except BaseException as exc:  # see _is_parser_failure
                    if not _is_parser_failure(exc):
                        raise
                    message = self._in_file(str(exc))
                    where = _where(message) or self._after()
                    detail = f"{_first_line(message)}; the rest is lost"
                    tally.note("evtx_parse_error", detail, where)
                    break
                finally:
                    if caught:
                        if count_failures:
                            self._count_skips(caught)
                        caught.clear()
                tally.read += 1
                self.last_id = record.get("event_record_id", self.last_id)
                if (raw := self._decode(record)) is not None:
                    yield raw

    def _decode(self, record: dict) -> RawEvent | None:
        data = record["data"]
        match = _EVENT_ID.search(data)
        if match is None or int(match.group(1)) not in self.relevant:
            self.tally.passed_over += 1
            return None
        try:
            return from_event_json(orjson.loads(data)["Event"])
        except _RECORD_ERRORS as exc:
            self.tally.skip("bad_record", str(exc), f"record {record.get('event_record_id')}")
            return None

    def _count_skips(self, caught: list[warnings.WarningMessage]) -> None:
        """pyevtx-rs reports each skipped chunk or record as a RuntimeWarning."""
        for w in caught:
            message = self._in_file(str(w.message))
            reason = "evtx_bad_chunk" if "chunk" in message.lower() else "evtx_bad_record"
            self.tally.read += 1
            self.tally.skip(reason, _first_line(message), _where(message) or self._after())

    def _in_file(self, message: str) -> str:
        """The parser's message with its chunk numbers counted in the whole file."""
        if not self.first_chunk:
            return message
        return _CHUNK.sub(lambda m: f"chunk number {int(m.group(1)) + self.first_chunk}", message)

    def _after(self) -> str | None:
        return f"after record {self.last_id}" if self.last_id is not None else None


def _is_parser_failure(exc: BaseException) -> bool:
    """A failure of the Rust parser: an error, or a panic (pyo3's PanicException is a
    BaseException), but never Ctrl-C or an interpreter exit."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        return False
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _where(message: str) -> str | None:
    chunk = _CHUNK.search(message)
    if chunk:
        return f"chunk {chunk.group(1)}"
    record = _RECORD.search(message)
    return f"record {record.group(1)}" if record else None


def _first_line(exc: object) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
