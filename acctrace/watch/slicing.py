"""What a watch hunt reads: a slice of the store in event time around the creations it
covers, so that a hunt costs what its creations need, not what the store holds (the store
grows for as long as watch runs).

A hunt runs the analytic's steps as they are (`correlate.run`) over tables of the store's
names that hold only the events from the look-back before its earliest creation to the
reach after its latest (`WatchOptions.look_back_s`; the horizon), and those of unknown
time. What is older is not seen, as if the log had rolled over: a parent process started
before the look-back is the parent its child names, not in the telemetry; a logon session
opened before it is unknown; never another one in their place, since the slice is one
stretch of time (a row chosen as the latest before a creation is the batch hunt's choice or
none). The steps that state facts about whole files (the first and last process event of
each file, which a finding without a process cites) read the whole store: a group-by over
three columns.

The slice is copied into an in-memory database attached for the hunt and first on its
connection's search path; the store's tables are appended in arrival order, about event
time for a stream, so DuckDB reads only the row groups whose time range meets the bounds.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import dataclass

import duckdb

from acctrace.correlate.engine import Engine, Tunable
from acctrace.correlate.window import Window
from acctrace.normalise.model import COLUMNS
from acctrace.storage.database import EventDatabase

HUNT_CHUNK = 500  # creations per hunt at most: bounds what one hunt holds in memory
_WHOLE_STORE = {"analytic.process_spans"}  # facts about whole files
_names = itertools.count()


@dataclass
class Chunk:
    """Creations hunted together, and the event times of the earliest and the latest."""

    keys: list[str]
    first_us: int
    last_us: int


def chunks(times: dict[str, int | None], now_us: int, span_us: int) -> list[Chunk]:
    """The creations of these event keys (-> event time, None: unknown) in chunks of at most
    `HUNT_CHUNK`, in event-time order, each spanning at most `span_us` of event time: a
    chunk's slice is then at most its span plus the reach either side, however far apart
    the creations hunted at once are (a sweep of old ones, the first hunt of a replay). A
    creation of unknown time has no story to place in time: it goes with the newest chunk
    (at `now_us` when every one is of unknown time)."""
    found: list[Chunk] = []
    for t, key in sorted((t, k) for k, t in times.items() if t is not None):
        last = found[-1] if found else None
        if last is None or len(last.keys) >= HUNT_CHUNK or t - last.first_us > span_us:
            found.append(Chunk([key], t, t))
        else:
            last.keys.append(key)
            last.last_us = t
    unknown = sorted(k for k, t in times.items() if t is None)
    if unknown and not found:
        found.append(Chunk([], now_us, now_us))
    for key in unknown:
        if len(found[-1].keys) >= HUNT_CHUNK:
            found.append(Chunk([], found[-1].first_us, found[-1].last_us))
        found[-1].keys.append(key)
    return found


class Slice:
    """A connection apart to the store (see `EventDatabase.apart`) on which the event
    tables are those of the events between `since_us` and `until_us` (both included) and of
    unknown time. Close it after the hunt: the copy and the hunt's tables go with it."""

    def __init__(self, database: EventDatabase, since_us: int, until_us: int):
        self.con = database.apart()
        self.name = f"acctrace_slice_{next(_names)}"
        (store,) = self.con.execute("select current_database()").fetchone()
        self.store_path = _quoted(store) + ".main"
        self.slice_path = f"{self.name}.main,{self.store_path}"
        try:
            self.con.execute(f"attach ':memory:' as {self.name}")
            for kind in COLUMNS:
                stored = f'{self.store_path}."{kind}"'
                # Two scans, not one with an OR: each filter alone prunes by zone maps.
                self.con.execute(
                    f'create table {self.name}.main."{kind}" as select * from {stored} '
                    f"where time_us between {int(since_us)} and {int(until_us)} "
                    f"union all select * from {stored} where time_us is null"
                )
            self.con.execute(f"set search_path = '{self.slice_path}'")
        except BaseException:
            self.close()
            raise

    def events(self) -> int:
        counts = " + ".join(f'(select count(*) from {self.name}.main."{k}")' for k in COLUMNS)
        return self.con.execute(f"select {counts}").fetchone()[0]

    def close(self) -> None:
        with contextlib.suppress(duckdb.Error):  # else closing the connection ends it
            self.con.execute("reset search_path")
            self.con.execute(f"detach database if exists {self.name}")
        self.con.close()


class SlicedEngine(Engine):
    """DuckDB on a slice: every step reads the slice, but those of `_WHOLE_STORE`."""

    def __init__(self, piece: Slice):
        super().__init__(piece.con)
        self.piece = piece

    def step(
        self, name: str, build: str, *inputs: str, window: Window | None = None, **tunables: Tunable
    ) -> str:
        if build not in _WHOLE_STORE:
            return super().step(name, build, *inputs, window=window, **tunables)
        self.con.execute(f"set search_path = '{self.piece.store_path}'")
        try:
            return super().step(name, build, *inputs, window=window, **tunables)
        finally:
            self.con.execute(f"set search_path = '{self.piece.slice_path}'")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
