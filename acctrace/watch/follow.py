"""Following files as they grow, rotate and are replaced.

JSON lines (Winlogbeat's file output, NXLog, evtx_dump): a file is known by a fingerprint
of its first line (at most its first KiB), never by inode or name: inodes are reused and
rotation renames files. Its checkpoint is the offset after the last whole line read, so a
rotated file (`winlogbeat.ndjson` renamed `winlogbeat.ndjson.1`) is read on from where it
was, and a new file from its start. A line is read once its newline is written, or, the
last line of a file, once the file stayed unchanged for `last_line_wait_s` and the line is
whole JSON (a shipper writes a line in one go; a file rotated away never gets the newline).
A rotated file compressed (`.1` -> `.1.gz`) is the same file: its fingerprint is that of its
decompressed first line, so it is read on from its checkpoint (in decompressed bytes), and
lines written before the compression but not read yet are read from it, once.

EVTX (a collector's log exported again and again, or a live copy that grows): read when
its size or modification time changes, from the first chunk not read yet, keeping only the
records newer than those seen in their log (see `_LogMark`). A file is known by its first
record (its id and time: a log's export begins with it until the log wraps or is cleared);
its checkpoint is the last record id of the chunks read whose header is final (every chunk
but the last), so chunks whose header ends at or before it are skipped, and the last chunk,
which may still grow, is read again.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import struct
import time
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from acctrace.errors import InputProblem
from acctrace.normalise import fields
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.shapes import RawEvent
from acctrace.sources import evtx, jsonlines, sniff
from acctrace.sources.tally import Tally

FINGERPRINT_BYTES = 1024
READ_BUDGET_BYTES = 16 * 1024 * 1024  # per file per cycle: a huge backlog is read in steps
LAST_LINE_WAIT_S = 30.0  # unchanged this long, a file's unterminated last line is finished
_PIECE_BYTES = 1 << 20  # read in pieces (read1: one block each), so that what a gzip file
# still being written holds is kept when it ends early
_RECORD_MAGIC = b"\x2a\x2a\x00\x00"
_CHUNK_HEADER_BYTES = 512  # a chunk's records start after its header
_CHUNK_COUNT = struct.Struct("<H")  # the file header's chunk count, at byte 42


@dataclass
class Polled:
    """What one poll of a source read: its events (each with the name of where it came
    from), its problems, and the checkpoints to store with those events."""

    events: list[tuple[RawEvent, str]] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    positions: dict[str, object] = field(default_factory=dict)
    records: int = 0  # records read (lines or EVTX records), relevant or not
    more: bool = False  # the budget ran out: more is waiting

    def extend(self, other: Polled) -> None:
        self.events += other.events
        self.problems += other.problems
        self.positions.update(other.positions)
        self.records += other.records
        self.more = self.more or other.more


@dataclass(frozen=True)
class _Seen:
    """A file's size and modification time: unchanged while both are."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class _Lines:
    """A JSON-lines file to read: plain, or a rotated one compressed with gzip."""

    path: Path
    stream: IO[bytes]  # decompressed, for a gzip file
    size: int  # on disk
    mtime_ns: int
    compressed: bool
    quiet: bool  # unchanged for the last line's wait


class FileSource:
    """The JSON-lines and EVTX files at or under one path, followed from their checkpoints."""

    def __init__(
        self,
        root: Path,
        checkpoints: dict[str, object],
        last_line_wait_s: float = LAST_LINE_WAIT_S,
    ):
        self.root = root.absolute()  # the files it names, in alerts and the store
        self.name = str(root)
        self.checkpoints = checkpoints  # jsonl:<fingerprint>, evtx:<host>|<channel>; shared
        self.last_line_wait_s = last_line_wait_s
        self._evtx_seen: dict[str, _Seen] = {}
        self._gzip_read: dict[str, _Seen] = {}  # compressed files read to their end
        self._unchanged: dict[str, tuple[_Seen, float]] = {}  # since when, by path
        self._said: set[InputProblem] = set()  # what is reported once, not every cycle
        self.lag_bytes = 0

    def poll(self) -> Polled:
        polled = Polled()
        now = time.monotonic()
        listed: dict[str, tuple[_Seen, float]] = {}
        # Each file is read through the descriptor its fingerprint was read from: a name
        # may point to another file a moment later (rotation renames a whole chain).
        with ExitStack() as opened:
            chosen: dict[str, _Lines] = {}
            for path in self._files():
                try:
                    stream = opened.enter_context(open(path, "rb"))
                    head = stream.read(FINGERPRINT_BYTES)
                    status = os.fstat(stream.fileno())
                except FileNotFoundError:  # rotated away since listed: read under its new name
                    continue
                except OSError as exc:  # unreadable: said once, tried again next cycle
                    self._ignore(path, polled, exc.strerror or str(exc))
                    continue
                seen = _Seen(status.st_size, status.st_mtime_ns)
                since = self._unchanged.get(str(path))
                listed[str(path)] = since if since and since[0] == seen else (seen, now)
                quiet = now - listed[str(path)][1] >= self.last_line_wait_s
                kind = sniff(head)
                compressed = kind == "gzip"
                if compressed:
                    if self._gzip_read.get(str(path)) == seen:
                        continue  # read to its end, unchanged since
                    stream.seek(0)
                    stream = opened.enter_context(gzip.GzipFile(fileobj=stream))
                    try:
                        head = _read(stream, 0, FINGERPRINT_BYTES)[0]
                    except (OSError, zlib.error) as exc:
                        self._ignore(path, polled, f"unreadable gzip data: {exc}")
                        continue
                    if not head:
                        continue  # nothing to decompress yet: being written
                    kind = sniff(head)
                if kind == "evtx" and not compressed:
                    self._evtx(path, stream, status.st_size, status.st_mtime_ns, polled)
                elif kind == "jsonl":
                    lines = _Lines(path, stream, seen.size, seen.mtime_ns, compressed, quiet)
                    print_ = fingerprint(head, finished=quiet)
                    known = chosen.get(print_) if print_ else None
                    if print_ and (known is None or _better(lines, known)):
                        chosen[print_] = lines
                    # (no fingerprint: its first line is still being written)
                elif head.strip():
                    what = f"{'compressed, ' if compressed else ''}{kind or 'unknown'}"
                    self._ignore(path, polled, f"not JSON lines or EVTX ({what})")
            self._unchanged = listed
            lag = 0
            for print_, lines in sorted(chosen.items(), key=lambda i: str(i[1].path)):
                key = f"jsonl:{print_}"
                offset = int(self.checkpoints.get(key, {}).get("offset", 0))
                if lines.size < offset and not lines.compressed:
                    offset = 0  # cut shorter under the same first line: read it again
                part = self._jsonl(lines, key, offset)
                polled.extend(part)
                if not lines.compressed:  # (how much a compressed file holds is not known)
                    lag += lines.size - part.positions.get(key, {"offset": offset})["offset"]
        self.lag_bytes = lag
        return polled

    def commit(self, polled: Polled) -> None:
        """The poll's events are stored: its positions are where the next poll starts."""
        self.checkpoints.update(polled.positions)

    def lag(self) -> dict[str, float]:
        return {"bytes_unread": self.lag_bytes}

    def close(self) -> None:
        return None

    def _files(self) -> Iterator[Path]:
        if self.root.is_file():
            yield self.root
        elif self.root.is_dir():
            yield from sorted(p for p in self.root.rglob("*") if p.is_file())

    def _ignore(self, path: Path, polled: Polled, why: str, reason: str = "not_followed") -> None:
        """Report a file not read (or not yet), once: it is tried again every cycle."""
        problem = InputProblem(str(path), reason, why)
        if problem not in self._said:
            self._said.add(problem)
            polled.problems.append(problem)

    def _jsonl(self, lines: _Lines, key: str, offset: int) -> Polled:
        polled = Polled()
        path = lines.path
        position = self.checkpoints.get(key, {})
        lines_before = int(position.get("lines", 0)) if offset else 0
        try:
            data, cut = _read(lines.stream, offset, READ_BUDGET_BYTES)
        except (OSError, zlib.error) as exc:  # a damaged gzip file
            self._ignore(path, polled, f"unreadable gzip data: {exc}")
            return polled
        end = data.rfind(b"\n") + 1
        at_end = len(data) < READ_BUDGET_BYTES and not cut
        if end < len(data) and at_end and lines.quiet:
            if _is_whole_json(data[end:]):
                end = len(data)  # the last line, finished without its newline
            else:
                self._ignore(
                    path,
                    polled,
                    f"its last line (from byte {offset + end}) has no newline and is not whole "
                    f"JSON after {self.last_line_wait_s:g} s unchanged: left until it is finished",
                    "unfinished_line",
                )
        if lines.compressed and at_end and end == len(data):
            self._gzip_read[str(path)] = _Seen(lines.size, lines.mtime_ns)
        if end == 0:
            return polled  # no whole new line yet
        polled.more = len(data) == READ_BUDGET_BYTES
        chunk = data[:end]
        tally = Tally(str(path), "jsonl")
        polled.events = [
            (raw, str(path)) for raw in jsonlines.read(io.BytesIO(chunk), tally, RELEVANT_EVENT_IDS)
        ]
        polled.records = tally.read
        polled.problems = [_shifted(p, "line", lines_before) for p in tally.problems]
        polled.positions[key] = {
            "offset": offset + end,
            "lines": lines_before + chunk.count(b"\n"),
            "path": str(path),
        }
        return polled

    def _evtx(
        self, path: Path, stream: IO[bytes], size: int, mtime_ns: int, polled: Polled
    ) -> None:
        """Add the new records of an EVTX file to `polled`, which may hold records of the
        same logs from other files: the positions it keeps are the furthest."""
        seen = self._evtx_seen.get(str(path))
        if seen is not None and (seen.size, seen.mtime_ns) == (size, mtime_ns):
            return
        self._evtx_seen[str(path)] = _Seen(size, mtime_ns)
        unread = _unread_chunks(stream, self.checkpoints)
        if unread.position is not None:
            earlier = polled.positions.get(unread.key, {}).get("chunk_record_id", -1)
            polled.positions[unread.key] = {"chunk_record_id": max(earlier, unread.position)}
        tally = Tally(str(path), "evtx")
        read_before: dict[str, _LogMark] = {}  # as stored: what decides what is new
        read_now: dict[str, _LogMark] = {}
        for raw in evtx.read(unread.stream, tally, RELEVANT_EVENT_IDS):
            log = f"evtx:{fields.host_key(raw.computer) or 'unknown'}|{raw.channel.lower()}"
            before = read_before.get(log)
            if before is None:
                before = read_before[log] = _LogMark.of(self.checkpoints.get(log, {}))
                read_now[log] = before.beyond(_LogMark.of(polled.positions.get(log, {})))
            if not before.is_new(raw):
                continue  # read in an earlier cycle, from this file or an earlier export
            restarted = read_now[log].newest_id < before.newest_id  # reported already
            if before.restarts_at(raw) and not restarted:
                polled.problems.append(_restarted(path, log, raw, before))
            read_now[log] = read_now[log].beyond(_LogMark.at(raw))
            polled.events.append((raw, str(path)))
        polled.positions.update(
            (log, now.position()) for log, now in read_now.items() if now != read_before[log]
        )
        polled.records += tally.read
        # A log still being written may end inside a chunk: that is expected here, not a fault.
        polled.problems += [
            _shifted(p, "chunk", unread.skipped)
            for p in tally.problems
            if p.reason != "evtx_truncated"
        ]


@dataclass(frozen=True)
class _LogMark:
    """How far one log (host and channel) was read: its highest record id, its newest
    record time and that record's id. A record is new when it is beyond the highest id or
    the newest time. Record ids count up per log and begin again at 1 when the log is
    cleared: the records of a cleared log are no higher in id but newer in time, so they
    are read, never skipped as seen; the first of them (newer, yet not above the newest
    record's id) is reported."""

    record_id: int = -1
    time_us: int = -1
    newest_id: int = -1

    @classmethod
    def of(cls, position: dict) -> _LogMark:
        return cls(*(int(position.get(k, -1)) for k in ("record_id", "time_us", "newest_id")))

    @classmethod
    def at(cls, raw: RawEvent) -> _LogMark:
        record_id = -1 if raw.record_id is None else raw.record_id
        return cls(record_id, -1 if raw.time_us is None else raw.time_us, record_id)

    def is_new(self, raw: RawEvent) -> bool:
        if raw.record_id is None or raw.record_id > self.record_id:
            return True
        return raw.time_us is not None and raw.time_us > self.time_us

    def restarts_at(self, raw: RawEvent) -> bool:
        """Newer in time than the newest record, yet not above its id: ids began again."""
        newer = raw.time_us is not None and raw.time_us > self.time_us
        return newer and raw.record_id is not None and raw.record_id <= self.newest_id

    def beyond(self, other: _LogMark) -> _LogMark:
        newest = max(self, other, key=lambda m: (m.time_us, m.newest_id))
        return _LogMark(max(self.record_id, other.record_id), newest.time_us, newest.newest_id)

    def position(self) -> dict[str, int]:
        return {"record_id": self.record_id, "time_us": self.time_us, "newest_id": self.newest_id}


def _restarted(path: Path, log: str, raw: RawEvent, mark: _LogMark) -> InputProblem:
    host, channel = log.removeprefix("evtx:").split("|", 1)
    return InputProblem(
        str(path),
        "evtx_log_restarted",
        f"record ids of the {channel} log of {host} began again: record {raw.record_id} is "
        f"newer than record {mark.record_id} read before (the log was cleared or made "
        "anew); its records are read",
        f"record {raw.record_id}",
    )


@dataclass(frozen=True)
class _Unread:
    """The part of an EVTX file not read yet: a stream of the file header and the chunks
    from the first unread one (`skipped` chunks before it), and the file's next checkpoint
    (`key` is None when the file has no first record yet)."""

    stream: IO[bytes]
    skipped: int = 0
    key: str = ""
    position: int | None = None  # the last record id of the chunks read whose header is final


def _unread_chunks(stream: IO[bytes], checkpoints: dict[str, object]) -> _Unread:
    shape = evtx.layout(stream)
    if shape is None:
        return _Unread(stream)
    block = len(shape.header)
    chunks = []
    for number in range(shape.whole_chunks):
        stream.seek(block + number * evtx.CHUNK_BYTES)
        chunks.append(evtx.chunk_records(stream.read(_CHUNK_HEADER_BYTES)))
    if shape.tail:
        chunks.append(shape.tail_records)
    stream.seek(block + _CHUNK_HEADER_BYTES)
    first = stream.read(24)  # the first record's header: magic, size, id, time written
    stream.seek(0)
    if not chunks or chunks[0] is None or not first.startswith(_RECORD_MAGIC):
        return _Unread(stream)
    key = "evtx:file:" + hashlib.sha256(first[8:24]).hexdigest()[:32]
    done = int(checkpoints.get(key, {}).get("chunk_record_id", -1))
    skipped = 0
    # Never the last chunk: its header may not count the records written into it yet.
    while skipped < len(chunks) - 1 and chunks[skipped] is not None:
        if chunks[skipped][1] > done:
            break
        skipped += 1
    final = [ids[1] for ids in chunks[skipped:-1] if ids is not None]
    position = max([done, *final])
    if not skipped:
        return _Unread(stream, 0, key, position)
    (declared,) = _CHUNK_COUNT.unpack_from(shape.header, 42)
    header = bytearray(shape.header)
    _CHUNK_COUNT.pack_into(header, 42, max(declared - skipped, 0))
    stream.seek(block + skipped * evtx.CHUNK_BYTES)
    rest = io.BytesIO(bytes(header) + stream.read())
    return _Unread(rest, skipped, key, position)


def fingerprint(head: bytes, finished: bool = False) -> str | None:
    """The identity of a JSON-lines file: the SHA-256 of its first line, or of its first
    FINGERPRINT_BYTES when that line is longer; None while the first line is unfinished
    (`finished`: the file stayed unchanged for the last line's wait, so a first line
    without its newline is finished if it is whole JSON)."""
    newline = head.find(b"\n", 0, FINGERPRINT_BYTES)
    if newline >= 0:
        return hashlib.sha256(head[:newline]).hexdigest()[:32]
    if len(head) >= FINGERPRINT_BYTES or (finished and _is_whole_json(head)):
        return hashlib.sha256(head[:FINGERPRINT_BYTES]).hexdigest()[:32]
    return None


def _is_whole_json(text: bytes) -> bool:
    try:
        orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    return True


def _better(lines: _Lines, known: _Lines) -> bool:
    """Of two copies of a file (the same first line), the one to read: a plain file before
    its compressed copy (which may still be being written), then the longest."""
    return (not lines.compressed, lines.size) > (not known.compressed, known.size)


def _read(stream: IO[bytes], offset: int, limit: int) -> tuple[bytes, bool]:
    """Up to `limit` bytes from `offset`, and whether the stream was cut short: a gzip file
    still being written (or truncated) ends early, and what it held up to there is kept."""
    pieces: list[bytes] = []
    got = 0
    try:
        stream.seek(offset)
        while got < limit:
            piece = stream.read1(min(_PIECE_BYTES, limit - got))  # type: ignore[attr-defined]
            if not piece:
                break
            pieces.append(piece)
            got += len(piece)
    except EOFError:
        return b"".join(pieces), True
    return b"".join(pieces), False


def _shifted(problem: InputProblem, unit: str, before: int) -> InputProblem:
    """A problem's "line N" (or "chunk N") counted from the start of the file, not of the
    part read."""
    if problem.where is None or not before:
        return problem
    where = re.sub(rf"{unit} (\d+)", lambda m: f"{unit} {int(m.group(1)) + before}", problem.where)
    return InputProblem(problem.file, problem.reason, problem.detail, where)


def read_stream(stream: IO[bytes], label: str) -> Polled:
    """Events of a block of JSON lines that arrived from elsewhere (a Kafka batch)."""
    tally = Tally(label, "jsonl")
    polled = Polled()
    polled.events = [(raw, label) for raw in jsonlines.read(stream, tally, RELEVANT_EVENT_IDS)]
    polled.records = tally.read
    polled.problems = list(tally.problems)
    return polled
