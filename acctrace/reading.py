"""Reading the inputs into one store of normalised events, in one process or several.

Kept apart from the analytic (no Ibis here) so that worker processes start quickly: the
EVTX parser holds the GIL while it parses, so only processes read files in parallel.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from acctrace.errors import InputProblem
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.store import EventStore
from acctrace.sources import Input, Tally, discover, evtx, read, sha256_of
from acctrace.sources.inputs import files
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
        """Add what a worker read (later inputs), reporting its problems. Events already
        here are duplicates, counted against the file that brought them again."""
        again = self.store.absorb(part.store) if part.store is not self.store else {}
        for tally in part.tallies:
            tally.used -= again.get(tally.file, 0)
            tally.duplicates += again.get(tally.file, 0)
        self.tallies.extend(part.tallies)
        self.already_stored.extend(part.already_stored)
        for problem in part.problems:
            self.problems.append(problem)
            report(problem)


def read_inputs(
    paths: list[Path],
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
    skip_sha256: frozenset[str] | set[str] = frozenset(),
    workers: int | None = 1,
) -> Reading:
    """Read every input under `paths` into one store, counting and reporting problems.

    With `workers` > 1, files are read by that many processes, one file each at a time, and
    their events merged here in file order, so the result is the one a single process
    gives. `None` chooses: every core for a collection of files worth it, else one.
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
    context = multiprocessing.get_context("spawn")  # no fork of a process holding threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        parts = pool.map(_read_file, [(item, skip_sha256) for item in listed], chunksize=1)
        for part in parts:
            for tally in part.tallies:
                if on_input:
                    on_input(tally.file, tally.read)
            reading.merge(part, report)
    return reading


PARALLEL_MIN_BYTES = 32 * 1024 * 1024  # below this, starting processes costs more than it saves


def _auto_workers(listed: list[Path | InputProblem]) -> int:
    paths = [p for p in listed if isinstance(p, Path)]
    if len(paths) < 2:
        return 1
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    return min(os.cpu_count() or 1, len(paths)) if size >= PARALLEL_MIN_BYTES else 1


def _read_file(job: tuple[Path | InputProblem, frozenset[str] | set[str]]) -> Reading:
    """One worker's task: everything in one file (an archive's members included)."""
    item, skip_sha256 = job
    evtx.PARSER_THREADS = 1
    reading = Reading()
    if isinstance(item, InputProblem):
        reading.problems.append(item)
        return reading
    for part in _read_each(discover([item]), reading.store, skip_sha256, None):
        reading.merge(part, lambda _: None)
    return reading


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
        sha256 = sha256_of(item.stream)
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
    """Read one input into the store, counting every record."""
    sha256 = sha256 or sha256_of(source.stream)
    tally = Tally(source.name, source.format, sha256)
    for raw in read(source, tally, RELEVANT_EVENT_IDS):
        outcome = store.add(raw, source.name, sha256)
        if outcome == "used":
            tally.used += 1
        elif outcome == "duplicate":
            tally.duplicates += 1
        else:
            tally.passed_over += 1
    return tally


def stored_files(reading: Reading) -> list[StoredFile]:
    """What the store records of each input read: path, size, SHA-256, modification time."""
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
