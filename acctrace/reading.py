"""Reading the inputs into one store of normalised events, in one process or several.

Kept apart from the analytic (no Ibis here) so that worker processes start quickly: the
EVTX parser holds the GIL while it parses, so only processes read files in parallel.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import multiprocessing.context
import os
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from acctrace.errors import InputProblem
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.shapes import RawEvent
from acctrace.normalise.store import Batch, EventStore
from acctrace.sources import Input, Tally, discover, evtx, read, sha256_of
from acctrace.sources.inputs import files, hashing

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
    """What reading a run of listed files gave: its events as Arrow tables (compact to
    pickle from a worker, merged in bulk), and its accounting."""

    batch: Batch
    tallies: list[Tally]
    problems: list[InputProblem]
    already_stored: list[str]


def _combine(parts: list[_Part]) -> Reading:
    """The parts in order as one reading. An event that an earlier part holds already is a
    duplicate, counted against the input of the later part that brought it again."""
    store, again = EventStore.merged([part.batch for part in parts])
    reading = Reading(store)
    for part, duplicates in zip(parts, again, strict=True):
        for tally in part.tallies:
            again_here = duplicates.pop(tally.file, 0)  # a file listed twice: its first reading
            tally.used -= again_here
            tally.duplicates += again_here
        reading.tallies.extend(part.tallies)
        reading.problems.extend(part.problems)
        reading.already_stored.extend(part.already_stored)
    return reading


def read_inputs(
    paths: list[Path],
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
    skip_sha256: frozenset[str] | set[str] = frozenset(),
    workers: int | None = 1,
) -> Reading:
    """Read every input under `paths` into one store, counting and reporting problems.

    With `workers` > 1, files are read by that many processes, in runs of consecutive
    files, and their events merged here in file order, so the result is the one a single
    process gives. `None` chooses: every core for a collection of files worth it, else one.
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
    reads instead of waiting, and is one process fewer to start (~0.3 s of CPU each)."""
    runs = _runs(listed, workers * RUNS_PER_WORKER)
    parts: list[_Part | None] = [None] * len(runs)

    def done(index: int, part: _Part, announce: bool = True) -> None:
        parts[index] = part
        for tally in part.tallies:
            if on_input and announce:
                on_input(tally.file, tally.read)
        for problem in part.problems:
            report(problem)

    threads, evtx.PARSER_THREADS = evtx.PARSER_THREADS, 1
    try:
        with ProcessPoolExecutor(
            workers - 1, _LeanSpawnContext(), _start_worker, (os.getpid(),)
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
    return _combine([part for part in parts if part is not None])


RUNS_PER_WORKER = 16  # runs per reader: enough to balance, few enough to merge cheaply


def _runs(listed: list[Path | InputProblem], count: int) -> list[list[Path | InputProblem]]:
    """`listed` cut into about `count` runs of consecutive files of similar total size."""
    sizes = []
    for item in listed:
        size = 0
        if isinstance(item, Path):
            with contextlib.suppress(OSError):
                size = item.stat().st_size
        sizes.append(size)
    share = max(sum(sizes) / max(count, 1), 1)
    runs: list[list[Path | InputProblem]] = [[]]
    filled = 0
    for item, size in zip(listed, sizes, strict=True):
        if runs[-1] and filled + size / 2 > share:
            runs.append([])
            filled = 0
        runs[-1].append(item)
        filled += size
    return runs


PARALLEL_MIN_BYTES = 32 * 1024 * 1024  # below this, starting processes costs more than it saves


def _auto_workers(listed: list[Path | InputProblem]) -> int:
    """One reader per idle core for a collection worth it. Measured (benchmarks/README.md):
    two readers beat one only where the second core is free; on a busy machine the second
    process's start and the merge are pure cost."""
    paths = [p for p in listed if isinstance(p, Path)]
    if len(paths) < 2:
        return 1
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    if size < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(_idle_cores(), len(paths)))


def _idle_cores() -> int:
    """Cores not kept busy by other processes (load average of the last minute)."""
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): count every core
        return cores
    return round(cores - min(busy, cores))


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


def _start_worker(parent: int) -> None:
    evtx.PARSER_THREADS = 1  # the other cores have workers of their own
    sys.meta_path.insert(0, _WithoutPandas())
    _exit_with_parent(parent)  # given by the parent: it may be gone before this runs


def _exit_with_parent(parent: int) -> None:
    """A parent killed with -9 cannot stop its pool, and workers would read on for minutes:
    each worker watches its parent's id and exits once it is another (it was adopted)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="acctrace-parent-watch", daemon=True).start()


class _WithoutPandas(importlib.abc.MetaPathFinder):
    """pyarrow imports pandas, when installed, the first time it converts Python objects:
    0.25 s of CPU in each worker, which never needs pandas. Here it is not installed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("pandas is not used in a reading worker", name=name)


def _read_files(
    job: tuple[list[Path | InputProblem], frozenset[str] | set[str]],
    on_input: ProgressHandler | None = None,
) -> _Part:
    """A worker's task: consecutive listed files (archives' members included), read into
    one store as a single process would."""
    run, skip_sha256 = job
    reading = Reading()
    for item in run:
        found = [item] if isinstance(item, InputProblem) else discover([item])
        for part in _read_each(found, reading.store, skip_sha256, on_input):
            reading.merge(part, lambda _: None)
    return _Part(reading.store.batch(), reading.tallies, reading.problems, reading.already_stored)


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
    for raw in read(source, tally, RELEVANT_EVENT_IDS):
        outcome = store.add(raw, source.name)
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
    tally.sha256 = sha256 = sha256 if digest is None else digest.hexdigest()
    store.hashed(source.name, sha256)
    return tally


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
