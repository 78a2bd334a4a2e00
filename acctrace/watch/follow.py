"""Following files as they grow, rotate and are replaced.

JSON lines (Winlogbeat's file output, NXLog, evtx_dump): a file is known by a fingerprint
of its first line (at most its first KiB), never by inode or name: inodes are reused and
rotation renames files. Its checkpoint is the offset after the last whole line read, so a
rotated file (`winlogbeat.ndjson` renamed `winlogbeat.ndjson.1`) is read on from where it
was, and a new file from its start. A line is read once its newline is written.

EVTX (a collector's log exported again and again, or a live copy that grows): read whole
when its size or modification time changes, keeping only records beyond the last
EventRecordID seen in that log (host and channel: record ids count per log, and a
forwarded-events file holds many logs).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from acctrace.errors import InputProblem
from acctrace.normalise import fields
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.shapes import RawEvent
from acctrace.sources import evtx, jsonlines, sniff
from acctrace.sources.tally import Tally

FINGERPRINT_BYTES = 1024
READ_BUDGET_BYTES = 16 * 1024 * 1024  # per file per cycle: a huge backlog is read in steps
_LINE = re.compile(r"line (\d+)")


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


@dataclass
class _SeenEvtx:
    size: int
    mtime_ns: int


class FileSource:
    """The JSON-lines and EVTX files at or under one path, followed from their checkpoints."""

    def __init__(self, root: Path, checkpoints: dict[str, object]):
        self.root = root
        self.name = str(root)
        self.checkpoints = checkpoints  # jsonl:<fingerprint>, evtx:<host>|<channel>; shared
        self._evtx_seen: dict[str, _SeenEvtx] = {}
        self._ignored: set[str] = set()  # files in no followed format, reported once
        self.lag_bytes = 0

    def poll(self) -> Polled:
        polled = Polled()
        # Each file is read through the descriptor its fingerprint was read from: a name
        # may point to another file a moment later (rotation renames a whole chain).
        with ExitStack() as opened:
            chosen: dict[str, tuple[Path, IO[bytes], int]] = {}
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
                kind = sniff(head)
                if kind == "evtx":
                    polled.extend(self._evtx(path, stream, status.st_size, status.st_mtime_ns))
                elif kind == "jsonl":
                    print_ = fingerprint(head)
                    known = chosen.get(print_) if print_ else None
                    if print_ and (known is None or known[2] < status.st_size):
                        chosen[print_] = (path, stream, status.st_size)  # copies: the longest
                    # (no fingerprint: its first line is still being written)
                elif head.strip():
                    self._ignore(path, polled, f"not JSON lines or EVTX ({kind or 'unknown'})")
            lag = 0
            for print_, (path, stream, size) in sorted(chosen.items(), key=lambda i: str(i[1][0])):
                key = f"jsonl:{print_}"
                offset = int(self.checkpoints.get(key, {}).get("offset", 0))
                if size < offset:  # cut shorter under the same first line: read it again
                    offset = 0
                part = self._jsonl(path, stream, key, offset)
                polled.extend(part)
                lag += size - part.positions.get(key, {"offset": offset})["offset"]
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

    def _ignore(self, path: Path, polled: Polled, why: str) -> None:
        if str(path) not in self._ignored:
            self._ignored.add(str(path))
            polled.problems.append(InputProblem(str(path), "not_followed", why))

    def _jsonl(self, path: Path, stream: IO[bytes], key: str, offset: int) -> Polled:
        polled = Polled()
        position = self.checkpoints.get(key, {})
        lines_before = int(position.get("lines", 0)) if offset else 0
        stream.seek(offset)
        data = stream.read(READ_BUDGET_BYTES)
        end = data.rfind(b"\n") + 1
        if end == 0:
            return polled  # no whole new line yet
        polled.more = len(data) == READ_BUDGET_BYTES
        chunk = data[:end]
        tally = Tally(str(path), "jsonl")
        polled.events = [
            (raw, str(path)) for raw in jsonlines.read(io.BytesIO(chunk), tally, RELEVANT_EVENT_IDS)
        ]
        polled.records = tally.read
        polled.problems = [_shifted(p, lines_before) for p in tally.problems]
        polled.positions[key] = {
            "offset": offset + end,
            "lines": lines_before + chunk.count(b"\n"),
            "path": str(path),
        }
        return polled

    def _evtx(self, path: Path, stream: IO[bytes], size: int, mtime_ns: int) -> Polled:
        polled = Polled()
        seen = self._evtx_seen.get(str(path))
        if seen is not None and (seen.size, seen.mtime_ns) == (size, mtime_ns):
            return polled
        self._evtx_seen[str(path)] = _SeenEvtx(size, mtime_ns)
        tally = Tally(str(path), "evtx")
        last: dict[str, int] = {}
        stream.seek(0)
        for raw in evtx.read(stream, tally, RELEVANT_EVENT_IDS):
            log = f"evtx:{fields.host_key(raw.computer) or 'unknown'}|{raw.channel.lower()}"
            if log not in last:
                last[log] = int(self.checkpoints.get(log, {}).get("record_id", -1))
            if raw.record_id is not None and raw.record_id <= last[log]:
                continue  # read in an earlier cycle, from this file or an earlier export
            polled.events.append((raw, str(path)))
            if raw.record_id is not None:
                newest = polled.positions.get(log, {}).get("record_id", -1)
                polled.positions[log] = {"record_id": max(newest, raw.record_id)}
        polled.records = tally.read
        # A log still being written may end inside a chunk: that is expected here, not a fault.
        polled.problems = [p for p in tally.problems if p.reason != "evtx_truncated"]
        return polled


def fingerprint(head: bytes) -> str | None:
    """The identity of a JSON-lines file: the SHA-256 of its first line, or of its first
    FINGERPRINT_BYTES when that line is longer; None while the first line is unfinished."""
    newline = head.find(b"\n", 0, FINGERPRINT_BYTES)
    if newline >= 0:
        return hashlib.sha256(head[:newline]).hexdigest()[:32]
    if len(head) >= FINGERPRINT_BYTES:
        return hashlib.sha256(head[:FINGERPRINT_BYTES]).hexdigest()[:32]
    return None


def _shifted(problem: InputProblem, lines_before: int) -> InputProblem:
    """A problem's "line N" counted from the start of the file, not of the chunk read."""
    if problem.where is None or not lines_before:
        return problem
    where = _LINE.sub(lambda m: f"line {int(m.group(1)) + lines_before}", problem.where)
    return InputProblem(problem.file, problem.reason, problem.detail, where)


def read_stream(stream: IO[bytes], label: str) -> Polled:
    """Events of a block of JSON lines that arrived from elsewhere (a Kafka batch)."""
    tally = Tally(label, "jsonl")
    polled = Polled()
    polled.events = [(raw, label) for raw in jsonlines.read(stream, tally, RELEVANT_EVENT_IDS)]
    polled.records = tally.read
    polled.problems = list(tally.problems)
    return polled
