"""Reading the inputs into one store of normalised events, in one process or several.

Kept apart from the analytic (no Ibis here) so that worker processes start quickly: the
EVTX parser holds the GIL while it parses, so only processes read files in parallel.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import multiprocessing.context
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from acctrace.errors import InputProblem
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.shapes import RawEvent
from acctrace.normalise.store import Batch, EventStore
from acctrace.sources import Input, Tally, discover, evtx, jsonlines, read, sha256_of, sniff
from acctrace.sources.inputs import files, hashing
from acctrace.sources.tally import MAX_PROBLEMS_KEPT

if TYPE_CHECKING:  # imported where used: DuckDB would slow every worker's start
    from acctrace.storage.database import StoredFile

ProblemHandler = Callable[[InputProblem], None]
ProgressHandler = Callable[[str, int], None]  # (input read, its records) after each input


@dataclass
class Reading:
    """What reading the inputs produced: their events, and the accounting."""

    store: EventStore = field(default_factory=EventStore)
    tallies: list[Tally] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)  # inputs the store holds already

    def merge(self, part: Reading, report: ProblemHandler) -> None:
        """Add the accounting of later inputs read into this store, reporting problems."""
        self.tallies.extend(part.tallies)
        self.already_stored.extend(part.already_stored)
        for problem in part.problems:
            self.problems.append(problem)
            report(problem)


@dataclass
class _Part:
    """What reading a run of listed files gave: its events (a batch, compact to pickle from
    a worker), and its accounting."""

    batch: Batch
    tallies: list[Tally]
    problems: list[InputProblem]
    already_stored: list[str]
    continues: list[bool]  # per tally: a later piece of the file of the tally before it
    lines: list[int]  # per tally: the lines a piece of a JSON-lines file holds (else 0)


def _combine(parts: list[_Part], report: ProblemHandler) -> Reading:
    """The parts in order as one reading. An event that an earlier part holds already is a
    duplicate, counted against the input of the later part that brought it again. The
    pieces of a file read in pieces are counted as the one file they are; the problems of
    its later pieces, placed by line in the file only now, are reported here."""
    store, again = EventStore.merged([part.batch for part in parts])
    reading = Reading(store)
    lines_before = 0  # in the file being read in pieces, before the current piece
    for part, duplicates in zip(parts, again, strict=True):
        for tally in part.tallies:
            again_here = duplicates.pop(tally.file, 0)  # a file listed twice: its first reading
            tally.used -= again_here
            tally.duplicates += again_here
        placed: dict[int, InputProblem | None] = {}  # a later piece's problems: as kept
        for tally, continues, lines in zip(part.tallies, part.continues, part.lines, strict=True):
            if not continues:
                reading.tallies.append(tally)
                lines_before = lines
                continue
            moved = [_after_lines(p, lines_before) for p in tally.problems]
            kept = len(_add_piece(reading.tallies[-1], tally, moved))
            for i, problem in enumerate(tally.problems):
                placed[id(problem)] = moved[i] if i < kept else None
            lines_before += lines
        for problem in part.problems:
            if id(problem) not in placed:
                reading.problems.append(problem)
            elif (moved := placed[id(problem)]) is not None:
                reading.problems.append(moved)
                report(moved)
        reading.already_stored.extend(part.already_stored)
    return reading


def _add_piece(whole: Tally, piece: Tally, problems: list[InputProblem]) -> list[InputProblem]:
    """Count a later piece of a file (its `problems` placed in the file) into the file's
    tally; returns those problems the file keeps (`MAX_PROBLEMS_KEPT`), as one reading."""
    whole.read += piece.read
    whole.used += piece.used
    whole.duplicates += piece.duplicates
    whole.passed_over += piece.passed_over
    whole.skipped.update(piece.skipped)
    kept = problems[: max(MAX_PROBLEMS_KEPT - len(whole.problems), 0)]
    whole.problems.extend(kept)
    return kept


def _after_lines(problem: InputProblem, lines: int) -> InputProblem:
    """A problem placed at a line of a piece, placed in the whole file instead."""
    if not lines or not (problem.where or "").startswith("line "):
        return problem
    return replace(problem, where=f"line {int(problem.where[5:]) + lines}")


def read_inputs(
    paths: list[Path],
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
    skip_sha256: frozenset[str] | set[str] = frozenset(),
    workers: int | None = 1,
) -> Reading:
    """Read every input under `paths` into one store, counting and reporting problems.

    With `workers` > 1, files are read by that many processes, in runs of consecutive
    files (a large EVTX or JSON-lines file in pieces), and their events merged here in file
    order, so the result is the one a single process gives. `None` chooses: one reader per
    idle core for input worth it (`_auto_workers`), else one.
    """
    report = on_problem or (lambda _: None)
    reading = Reading()
    listed = list(files(paths))
    workers = _auto_workers(listed) if workers is None else workers
    if workers <= 1:
        for item in listed:
            found = [item] if isinstance(item, InputProblem) else discover([item])
            for part in _read_each(found, reading.store, skip_sha256, on_input):
                reading.merge(part, report)
        return reading
    return _read_in_parallel(listed, workers, skip_sha256, on_input, report)


@dataclass(frozen=True)
class Piece:
    """A part of one large file, read apart from the rest of it so that several readers
    share the file: consecutive whole chunks of an EVTX file (each carries its own strings
    and templates; where the parser fails outright, a panic, only the rest of that piece is
    lost), or consecutive whole lines of a JSON-lines file, by byte offset. The piece that
    starts the file hashes the whole file."""

    path: Path
    format: str  # evtx: `part` numbers whole chunks; jsonl: bytes
    part: range

    @property
    def size(self) -> int:
        return len(self.part) * (evtx.CHUNK_BYTES if self.format == "evtx" else 1)


Item = Path | InputProblem | Piece


def _read_in_parallel(
    listed: list[Path | InputProblem],
    workers: int,
    skip_sha256: frozenset[str] | set[str],
    on_input: ProgressHandler | None,
    report: ProblemHandler,
) -> Reading:
    """Read `listed` with this process and `workers - 1` more. Every run of files is
    queued for the pool, which takes them from the front; this process takes them back from
    the end (a queued task can be cancelled until a worker takes it) until they meet. So it
    reads instead of waiting, and is one process fewer to start (~0.16 s of CPU each).
    A large EVTX or JSON-lines file is cut into pieces, unless hashes decide what is read."""
    runs = _runs(
        _sized(listed, workers * RUNS_PER_WORKER, split=not skip_sha256), workers * RUNS_PER_WORKER
    )
    parts: list[_Part | None] = [None] * len(runs)

    def done(index: int, part: _Part, announce: bool = True) -> None:
        parts[index] = part
        for tally in part.tallies:
            if on_input and announce:
                on_input(tally.file, tally.read)
        continuing = zip(part.tallies, part.continues, strict=True)
        later = {id(p) for tally, continues in continuing if continues for p in tally.problems}
        for problem in part.problems:
            if id(problem) not in later:  # a later piece's: reported once placed (_combine)
                report(problem)

    threads, evtx.PARSER_THREADS = evtx.PARSER_THREADS, 1
    try:
        with ProcessPoolExecutor(
            workers - 1, _LeanSpawnContext(), start_worker, (os.getpid(),)
        ) as pool:
            queued = {i: pool.submit(_read_files, (run, skip_sha256)) for i, run in enumerate(runs)}
            for index in reversed(range(len(runs))):
                future = queued.get(index)
                if future is None or not future.cancel():
                    break
                del queued[index]
                done(index, _read_files((runs[index], skip_sha256), on_input), announce=False)
                for i in [i for i, f in queued.items() if f.done()]:
                    done(i, queued.pop(i).result())
            index_of = {future: i for i, future in queued.items()}
            for future in as_completed(index_of):
                done(index_of[future], future.result())
    finally:
        evtx.PARSER_THREADS = threads
    return _combine([part for part in parts if part is not None], report)


RUNS_PER_WORKER = 16  # runs per reader: enough to balance, few enough to merge cheaply


def _sized(
    listed: list[Path | InputProblem], count: int, split: bool = True
) -> list[tuple[Item, int]]:
    """Each listed file with its size; an EVTX file larger than a `count`th of them all
    (kept within PIECE_MIN_BYTES and PIECE_MAX_BYTES) as pieces of about that size, when
    `split`."""
    sized: list[tuple[Item, int]] = []
    for item in listed:
        size = 0
        if isinstance(item, Path):
            with contextlib.suppress(OSError):
                size = item.stat().st_size
        sized.append((item, size))
    share = sum(size for _, size in sized) / max(count, 1)
    share = min(max(share, PIECE_MIN_BYTES), PIECE_MAX_BYTES)
    if not split:
        return sized
    cut: list[tuple[Item, int]] = []
    for item, size in sized:
        pieces = _pieces(item, share) if isinstance(item, Path) and size > share else []
        if pieces:
            cut.extend((piece, piece.size) for piece in pieces)
        else:
            cut.append((item, size))
    return cut


PIECE_MIN_BYTES = 4 << 20  # smaller pieces would cost more to merge than they save
PIECE_MAX_BYTES = 64 << 20  # a piece is read into memory: bounded, however large the file


def _pieces(path: Path, share: float) -> list[Piece]:
    """An EVTX or (UTF-8) JSON-lines file as pieces of about `share` bytes; none for another
    format, or an EVTX file whose header cannot be read (it is read whole, its problem told)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(4096)
            kind = sniff(head)
            if kind == "evtx":
                return _evtx_pieces(path, evtx.layout(stream), share)
            if kind == "jsonl" and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
                return _line_pieces(path, stream, share)
    except OSError:
        pass
    return []


def _evtx_pieces(path: Path, shape: evtx.Layout | None, share: float) -> list[Piece]:
    if shape is None or shape.whole_chunks < 2:
        return []
    per = max(int(share // evtx.CHUNK_BYTES), 1)
    return [
        Piece(path, "evtx", range(first, min(first + per, shape.whole_chunks)))
        for first in range(0, shape.whole_chunks, per)
    ]


def _line_pieces(path: Path, stream: IO[bytes], share: float) -> list[Piece]:
    """Cut after the newline that follows each multiple of `share`."""
    size = stream.seek(0, os.SEEK_END)
    cuts = [0]
    while cuts[-1] + share < size:
        cuts.append(_after_newline(stream, int(cuts[-1] + share)))
    cuts.append(size)
    return [Piece(path, "jsonl", range(a, b)) for a, b in itertools.pairwise(cuts) if b > a]


def _after_newline(stream: IO[bytes], at: int) -> int:
    """The offset just after the first newline from `at` (the end if none), found a block
    at a time: a line may be longer than memory should hold."""
    stream.seek(at)
    while block := stream.read(1 << 20):
        if (newline := block.find(b"\n")) >= 0:
            return at + newline + 1
        at += len(block)
    return at


def _runs(sized: list[tuple[Item, int]], count: int) -> list[list[Item]]:
    """The items cut into about `count` runs of consecutive items of similar total size."""
    share = max(sum(size for _, size in sized) / max(count, 1), 1)
    runs: list[list[Item]] = [[]]
    filled = 0
    for item, size in sized:
        if runs[-1] and filled + size / 2 > share:
            runs.append([])
            filled = 0
        runs[-1].append(item)
        filled += size
    return runs


PARALLEL_MIN_BYTES = 32 * 1024 * 1024  # below this, starting processes costs more than it saves


def _auto_workers(listed: list[Path | InputProblem]) -> int:
    """One reader per idle core for input worth it: a collection, or a large EVTX or
    JSON-lines file, which is read in pieces. Measured (benchmarks/README.md): two readers
    beat one only where the second core is free; on a busy machine the second process's
    start and the merge are pure cost."""
    cores = _idle_cores()
    sized = _sized(listed, cores * RUNS_PER_WORKER)
    if sum(size for _, size in sized) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(cores, sum(1 for item, _ in sized if not isinstance(item, InputProblem))))


def _idle_cores() -> int:
    """Cores not kept busy by other processes: by the last minute's load average or, when
    fewer, by the processes runnable right now besides this one. A run that just ended (a
    hunt before this one) still weighs on the average for a minute; it is not running."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): count every core
        return cores
    now = _others_running()
    busy = busy if now is None else min(busy, now)
    return round(cores - min(busy, cores))


def _others_running() -> int | None:
    """Threads runnable at this instant besides this one (Linux), else None."""
    try:
        running = Path("/proc/loadavg").read_text().split()[3].partition("/")[0]
        return max(int(running) - 1, 0)
    except (OSError, IndexError, ValueError):
        return None


class _LeanSpawnProcess(multiprocessing.context.SpawnProcess):
    """A spawned worker that does not run the parent's main script again, as spawn does by
    default: for `acctrace` that is the CLI, importing Ibis, DuckDB and every report (~0.8 s
    of CPU a worker, more than it then reads). Its task is in this module, imported anyway."""

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")  # no file: nothing to re-run
        try:
            return multiprocessing.context.SpawnProcess._Popen(process_obj)
        finally:
            sys.modules["__main__"] = main


class _LeanSpawnContext(multiprocessing.context.SpawnContext):
    """Spawn (no fork of a process holding threads), with lean workers."""

    Process = _LeanSpawnProcess


def start_worker(parent: int) -> None:
    """A reading worker's start: pyevtx-rs to one thread, and an exit with its parent."""
    evtx.PARSER_THREADS = 1  # the other cores have workers of their own
    _exit_with_parent(parent)  # given by the parent: it may be gone before this runs


def _exit_with_parent(parent: int) -> None:
    """A parent killed with -9 cannot stop its pool, and workers would read on for minutes:
    each worker watches its parent's id and exits once it is another (it was adopted)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="acctrace-parent-watch", daemon=True).start()


def _read_files(
    job: tuple[list[Item], frozenset[str] | set[str]],
    on_input: ProgressHandler | None = None,
) -> _Part:
    """A worker's task: consecutive listed files (archives' members included) or pieces of
    one, read into one store as a single process would."""
    run, skip_sha256 = job
    reading = Reading()
    continues: list[bool] = []
    lines: list[int] = []
    for item in run:
        piece_lines = 0
        if isinstance(item, Piece):
            piece_reading, piece_lines = _read_piece(item, reading.store, on_input)
            parts: Iterable[Reading] = [piece_reading]
        else:
            found = [item] if isinstance(item, InputProblem) else discover([item])
            parts = _read_each(found, reading.store, skip_sha256, on_input)
        for part in parts:
            reading.merge(part, lambda _: None)
            later_piece = isinstance(item, Piece) and item.part.start > 0
            continues.extend([later_piece] * len(part.tallies))
            lines.extend([piece_lines if isinstance(item, Piece) else 0] * len(part.tallies))
    return _Part(
        reading.store.batch(),
        reading.tallies,
        reading.problems,
        reading.already_stored,
        continues,
        lines,
    )


def _read_piece(
    piece: Piece, store: EventStore, on_input: ProgressHandler | None
) -> tuple[Reading, int]:
    """Read one piece into `store`; the first piece hashes the whole file. Returns its
    reading and, for JSON lines, its lines (to place what later pieces say by line)."""
    name = str(piece.path)
    tally = Tally(name, piece.format)
    counted: list[int] = []
    try:
        if piece.format == "evtx":
            _keep_events(evtx.read(name, tally, RELEVANT_EVENT_IDS, piece.part), store, tally)
        else:
            with open(piece.path, "rb", buffering=0) as raw:
                lines = io.BufferedReader(_Span(raw, piece.part), 1 << 16)
                events = jsonlines.read(lines, tally, RELEVANT_EVENT_IDS)
                _keep_events(_counting(events, counted), store, tally)
        if piece.part.start == 0:
            with open(piece.path, "rb", buffering=0) as stream:  # read into one buffer
                tally.sha256 = hashlib.file_digest(stream, "sha256").hexdigest()
            store.hashed(name, tally.sha256)
    except OSError as exc:  # the file changed or vanished since it was cut into pieces
        tally.note("read_error", f"{exc.strerror or exc}; the rest of the input is not read")
    if on_input:
        on_input(name, tally.read)
    return Reading(store, [tally], list(tally.problems)), sum(counted)


class _Span(io.RawIOBase):
    """The bytes `part` of a file, read as a stream of their own."""

    def __init__(self, raw: IO[bytes], part: range):
        super().__init__()
        self._raw, self._left = raw, len(part)
        raw.seek(part.start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = self._raw.readinto(memoryview(buffer).cast("B")[: self._left]) or 0  # type: ignore[attr-defined]
        self._left -= n
        return n


def _counting(events: Generator[RawEvent, None, int], lines: list[int]) -> Iterator[RawEvent]:
    """The events of a JSON-lines reading; the lines it read (its return) go to `lines`."""
    lines.append((yield from events))


def _read_each(
    items: Iterable[Input | InputProblem],
    store: EventStore,
    skip_sha256: frozenset[str] | set[str],
    on_input: ProgressHandler | None,
) -> Iterator[Reading]:
    """Read each input into `store`; yields the accounting of each (sharing that store)."""
    for item in items:
        part = Reading(store)
        if isinstance(item, InputProblem):
            part.problems.append(item)
            yield part
            continue
        # Hashed first only when the hash decides whether to read; else while reading.
        sha256 = sha256_of(item.stream) if skip_sha256 else None
        if sha256 in skip_sha256:
            part.already_stored.append(item.name)
        else:
            tally = ingest(item, part.store, sha256)
            part.tallies.append(tally)
            part.problems.extend(tally.problems)
            if on_input:
                on_input(item.name, tally.read)
        yield part


def ingest(source: Input, store: EventStore, sha256: str | None = None) -> Tally:
    """Read one input into the store, counting every record; its SHA-256 is computed in the
    same pass unless given."""
    digest = None
    if sha256 is None:
        stream, digest = hashing(source.stream)
        source = replace(source, stream=stream, path=None)  # the parser reads what is hashed
    tally = Tally(source.name, source.format, sha256)
    _keep_events(read(source, tally, RELEVANT_EVENT_IDS), store, tally)
    tally.sha256 = sha256 = sha256 if digest is None else digest.hexdigest()
    store.hashed(source.name, sha256)
    return tally


def _keep_events(events: Iterable[RawEvent], store: EventStore, tally: Tally) -> None:
    """Store the events one input gave, counting each as used, duplicate or passed over."""
    for raw in events:
        outcome = store.add(raw, tally.file)
        if outcome == "used":
            tally.used += 1
            if raw.time_us is None:
                tally.note("time_unknown", "account creation kept, time unknown", _where(raw))
        elif outcome == "untimed":
            tally.skip("time_unknown", f"event {raw.event_id} without a usable time", _where(raw))
        elif outcome == "duplicate":
            tally.duplicates += 1
        else:
            tally.passed_over += 1


def _where(raw: RawEvent) -> str:
    return f"record {raw.record_id}" if raw.record_id is not None else f"event {raw.event_id}"


def stored_files(reading: Reading) -> list[StoredFile]:
    """What the store records of each input read: path, size, SHA-256, modification time."""
    from acctrace.storage.database import StoredFile

    files = []
    for tally in reading.tallies:
        path = Path(tally.file)
        stat = path.stat() if "!" not in tally.file and path.is_file() else None
        files.append(
            StoredFile(
                file=tally.file,
                size=stat.st_size if stat else None,
                sha256=tally.sha256,
                mtime=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat() if stat else None,
            )
        )
    return files
