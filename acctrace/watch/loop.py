"""The watch cycle: read what is new, store it with the checkpoints in one transaction,
hunt the creations whose grace ended (and, once in a while, those new events may have
changed: see tracking.py), link related findings over every open one, queue alerts and
updates, deliver them, publish a snapshot.

Every step after a crash starts again from what the store says: sources from their
checkpoints (events and checkpoints are committed together), alerts from the outbox
(queued in the transaction that records the revision), deliveries from their state.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import duckdb

from acctrace.correlate.engine import Engine
from acctrace.errors import AcctraceError, InputProblem
from acctrace.findings import Finding
from acctrace.normalise import fields
from acctrace.normalise.store import EventStore
from acctrace.pipeline import HuntOptions, assess_tables
from acctrace.reading import Reading
from acctrace.storage.database import EventDatabase
from acctrace.watch import state
from acctrace.watch.alerts import Timing, digest, render
from acctrace.watch.follow import FileSource, Polled
from acctrace.watch.sinks import FileSink, Sink
from acctrace.watch.slicing import Slice, SlicedEngine, chunks
from acctrace.watch.tracking import Changes, Footprint, OpenFindings

log = logging.getLogger("acctrace.watch")
SECOND_US = 1_000_000
DAY_S = 24 * 3600.0


class Source(Protocol):
    name: str

    def poll(self) -> Polled: ...

    def commit(self, polled: Polled) -> None: ...

    def lag(self) -> dict[str, float]: ...

    def close(self) -> None: ...


@dataclass
class WatchOptions:
    hunt: HuntOptions = field(default_factory=HuntOptions)
    timing: Timing = field(default_factory=Timing)
    interval_s: float = 5.0  # between cycles when nothing is waiting
    health_every_s: float = 60.0
    snapshot_every_s: float = 10.0  # at least; at most a tenth of the time goes to snapshots
    hunt_every_s: float = 2.0  # at most, while a backlog is read
    update_every_s: float = 60.0  # hunts for updates of findings already alerted
    sweep: int = 50  # open creations hunted again in turn at each of those, changed or not
    # Event time a hunt looks back from its creations for their story (see `slicing.chunks`).
    look_back_s: float = 7 * DAY_S
    memory_limit: str = "256MB"  # DuckDB's, its cache of the store included


@dataclass
class Health:
    """Counters for the health line."""

    records: int = 0
    events: int = 0
    stored: int = 0
    alerts: int = 0
    hunts: int = 0
    started: float = field(default_factory=time.monotonic)
    seconds: dict[str, float] = field(default_factory=dict)  # time spent, by step of the cycle
    # The last hunt's: creations, events in the slices it read, seconds.
    last_hunt: dict[str, float] = field(default_factory=dict)


class _Stopwatch:
    """Adds the time since the last lap to a step's total."""

    def __init__(self, totals: dict[str, float]):
        self.totals, self.last = totals, time.monotonic()

    def lap(self, step: str) -> None:
        now = time.monotonic()
        self.totals[step] = self.totals.get(step, 0.0) + now - self.last
        self.last = now


class Watcher:
    def __init__(
        self,
        database: EventDatabase,
        sources: list[Source],
        sinks: list[Sink],
        options: WatchOptions,
        clock: Callable[[], float] = time.time,
    ):
        self.database, self.sources, self.sinks = database, sources, sinks
        self.options, self.clock = options, clock
        self.health = Health()
        self._last_hunt_us = -1
        self._due_after = -1  # the creations whose grace ended by then are alerted or pending
        self._pending: set[str] = set()  # creations whose grace ended, to hunt
        # Creations hunted before their grace ended, untouched by the events stored since:
        # event key -> its finding's id (None: no finding) and footprint.
        self._early: dict[str, tuple[str | None, Footprint]] = {}
        self._unhunted = 0  # events stored since the last hunt
        self._hunt_took_us = 0
        self._last_update_us = -1
        self._open = OpenFindings()
        # The places of alerted findings that events stored since they were last hunted
        # may have changed: hunted again at the next hunt for updates.
        self._touched: set[str] = set()
        self._swept: tuple[int, str] | None = None  # where the last sweep ended
        self._linked_anew = False  # findings were hunted since related findings were relinked
        self._last_health = time.monotonic()
        self._last_snapshot = 0.0
        self._snapshot_took = 0.0
        self._snapshotting: threading.Thread | None = None
        self._changed = False
        self.queued = 0
        database.bound_memory(options.memory_limit)
        if state.prepare(database.con, self.now_us()):
            self._track_history()

    def _track_history(self) -> None:
        """A store `ingest` filled before watch first ran: its findings are history, known
        from the start (never alerted, so never updated either)."""
        history = state.Tracked(0, 0, None, None)
        state.track(self.database.con, {f.id: (history, None) for f in self.hunt(None)})

    def now_us(self) -> int:
        return int(self.clock() * SECOND_US)

    def run(self, stop: threading.Event, once: bool = False) -> None:
        """Cycle until `stop` is set; with `once`, until everything waiting was read and
        what is due was alerted."""
        self._deliver()  # what a crash left pending
        while not stop.is_set():
            more = self.cycle()
            if once and not more:
                self._alert(backlog=False, final=True)
                self._deliver()
                break
            if not more:
                stop.wait(self.options.interval_s)
        self._publish(force=True)
        self._health_line()

    def cycle(self) -> bool:
        """One cycle; True when a source has more waiting right now."""
        clock = _Stopwatch(self.health.seconds)
        polled, parts = Polled(), {}
        for source in self.sources:
            parts[source.name] = part = source.poll()
            for problem in part.problems:
                _warn(problem)
            polled.extend(part)
        clock.lap("read")
        added = self._store(polled)
        for source in self.sources:
            source.commit(parts[source.name])
        clock.lap("store")
        self._unhunted += added
        self._alert(backlog=polled.more)
        clock.lap("hunt")
        self._deliver()
        clock.lap("deliver")
        self._publish()
        clock.lap("snapshot")
        if time.monotonic() - self._last_health >= self.options.health_every_s:
            self._health_line()
        return polled.more

    def _store(self, polled: Polled) -> int:
        """The polled events and the checkpoints after them, in one transaction."""
        self.health.records += polled.records
        self.health.events += len(polled.events)
        if not polled.events and not polled.positions:
            return 0
        store = EventStore()
        for raw, where in polled.events:
            store.add(raw, where, None)  # type: ignore[arg-type]  # a stream has no SHA-256
        arrived = self.now_us()
        tables = store.tables()

        def bookkeeping(con) -> None:  # type: ignore[no-untyped-def]
            state.save_positions(con, polled.positions)
            state.note_arrivals(con, arrived, tables)

        added = self.database.add(tables, [], also=bookkeeping)
        changes = Changes()
        changes.add(tables)
        self._touched.update(self._open.touched(changes, self._reach_us()))
        self._forget_touched(changes)
        self.health.stored += added
        self._changed = self._changed or added > 0
        return added

    def _alert(self, backlog: bool, final: bool = False) -> None:
        """Hunt, and queue the alerts and updates that are due.

        A hunt covers the creations that arrived since the last one, before their grace
        period ends: when it ends, a creation no event stored since may have changed (see
        tracking.py) is alerted as that hunt found it, without waiting for another; the
        others are hunted again. Every `update_every_s`, when something changed meanwhile,
        the hunt also covers the alerted creations new events may have changed and a few
        others in turn, and related findings are linked again over every open finding:
        updates. The first cycle and `final` (the last cycle of --once) hunt every open
        creation. While a backlog waits, reading goes on, and hunts are at least
        `max(hunt_every_s, the last one's duration)` apart.
        """
        con = self.database.con
        timing, options = self.options.timing, self.options
        now = self.now_us()
        open_since = now - timing.grace_us - timing.horizon_us
        everything = final or self._last_hunt_us < 0
        ready = self._take_due(now, open_since)
        fresh = {} if everything else state.arrived_after(con, self._last_hunt_us)
        updates = everything or (
            (self._unhunted > 0 or self._linked_anew)
            and now - self._last_update_us >= options.update_every_s * SECOND_US
        )
        pause = max(options.hunt_every_s * SECOND_US, self._hunt_took_us)
        paused = backlog and not final and now - self._last_hunt_us - self._hunt_took_us < pause
        if paused or not (updates or fresh or self._pending):
            if ready:
                self._queue_changes(now, ready, relink=False)
            self.queued = self._count_queued(now)
            return
        keys = {k for _, k in state.open_creations(con, open_since)} if everything else set()
        keys.update(self._pending)
        keys.update(fresh)
        if updates and not everything:
            keys.update(state.creations_at(con, sorted(self._touched)))
            keys.update(self._sweep(open_since))
        if updates:
            self._last_update_us, self._unhunted, self._touched = now, 0, set()
            self._linked_anew = False
        self._last_hunt_us = now
        self._pending = set()
        self.health.hunts += 1
        try:
            found = self.hunt(sorted(keys)) if keys else []
            hunted = {f.id for f in found}  # as found now, rather than as found early
            self._touched.difference_update(_creation_place(f) for f in found)
            self._queue_changes(now, [f for f in ready if f.id not in hunted] + found, updates)
            if not everything:
                early = [k for k, arrived in fresh.items() if arrived + timing.grace_us > now]
                self._hunted_early(early, found)
        finally:
            self._hunt_took_us = self.now_us() - now
            self.queued = self._count_queued(now)

    def _reach_us(self) -> int:
        """How long after a creation an event on its host may still change its finding."""
        window = self.options.hunt.window
        return window.before_us + 2 * window.after_us

    def _take_due(self, now: int, open_since: int) -> list[Finding]:
        """The findings of creations whose grace just ended and that were hunted early, as
        hunted then; the other creations whose grace ended are left to hunt (none of those
        past their horizon)."""
        grace = self.options.timing.grace_us
        after = max(self._due_after, open_since + grace - 1)
        due = state.due_creations(self.database.con, after, now, grace)
        self._due_after = now
        ready: list[str] = []
        for key in due:
            early = self._early.pop(key, None)
            if early is None:
                self._pending.add(key)
            elif early[0] is not None:
                ready.append(early[0])
        documents = state.findings(self.database.con, ready)
        return [Finding.model_validate_json(document) for document in documents.values()]

    def _hunted_early(self, keys: list[str], found: list[Finding]) -> None:
        """Remember the creations this hunt covered before their grace ended."""
        by_place = {_creation_place(f): f.id for f in found}
        for key in keys:
            finding_id = by_place.get(key.split("#", 1)[0])
            if finding_id is not None and finding_id in self._open.by_id:
                self._early[key] = (finding_id, self._open.by_id[finding_id].footprint)
            else:  # no finding (yet): any event on its host may make one
                self._early[key] = (
                    None,
                    Footprint(frozenset({key.split("|", 1)[0]}), None, None, None),
                )

    def _forget_touched(self, changes: Changes) -> None:
        """Creations hunted early that these new events may change are hunted again."""
        if not self._early:
            return
        reach = self._reach_us()
        for key in [k for k, (_, fp) in self._early.items() if fp.touched_by(changes, reach)]:
            del self._early[key]

    def _sweep(self, open_since: int) -> list[str]:
        """The next `sweep` open creations in turn."""
        sweep = self.options.sweep
        if not sweep:
            return []
        keys = state.open_creations(self.database.con, open_since, self._swept, sweep)
        self._swept = keys[-1] if len(keys) == sweep else None
        return [key for _, key in keys]

    def _queue_changes(self, now: int, findings: list[Finding], relink: bool) -> None:
        """Track the findings first seen, link them to every open finding, and queue those
        whose grace ended and changed; with `relink`, also the open findings whose related
        findings alone changed."""
        con = self.database.con
        timing = self.options.timing
        tracked = state.tracked(con, [f.id for f in findings])
        places = {f.id: _creation_place(f) for f in findings}
        arrivals = state.arrivals(con, list(places.values()))
        due: list[tuple[Finding, state.Tracked]] = []
        current: list[tuple[Finding, state.Tracked]] = []
        seen: dict[str, tuple[state.Tracked, str | None]] = {}
        for finding in findings:
            known = tracked.get(finding.id)
            if known is None:  # first seen: held from when its creation arrived
                arrived = arrivals.get(places[finding.id], now)
                known = tracked[finding.id] = state.Tracked(arrived, 0, None, None)
                seen[finding.id] = (known, None)
            if now > known.first_seen_us + timing.grace_us + timing.horizon_us:
                continue  # past the horizon: no more updates
            if known.revision == 0 and now < known.first_seen_us + timing.grace_us:
                seen[finding.id] = (known, finding.model_dump_json())  # held as is
            self._open.note(finding, places[finding.id], known.first_seen_us, known.revision > 0)
            current.append((finding, known))
        state.track(con, seen)
        self._open.close(now - timing.grace_us - timing.horizon_us)
        self._open.link([f for f, _ in current])
        self._linked_anew = self._linked_anew or bool(current)  # the others' links may change
        if relink:
            current.extend(self._relinked({f.id for f, _ in current}))
        for finding, known in current:
            if now < known.first_seen_us + timing.grace_us:
                continue  # held: more of its story may still arrive
            if digest(finding) != known.digest:
                due.append((finding, known))
        if due:
            self._queue(due)

    def _relinked(self, hunted: set[str]) -> list[tuple[Finding, state.Tracked]]:
        """The alerted findings not hunted now whose related findings changed, as alerted
        last with their related findings of now."""
        changed = {i: linked for i, linked in self._open.relink().items() if i not in hunted}
        relinked = []
        tracked = state.tracked(self.database.con, list(changed))
        alerted = [i for i in changed if tracked[i].revision > 0]
        for finding_id, document in state.findings(self.database.con, alerted).items():
            finding = Finding.model_validate_json(document)
            finding.related_counts, finding.related = changed[finding_id]
            relinked.append((finding, tracked[finding_id]))
        return relinked

    def hunt(self, keys: list[str] | None) -> list[Finding]:
        """The findings of the creations of these event keys, each chunk of them (see
        `slicing.chunks`) over its slice of the store; every creation over everything stored when
        None (a store's history, once)."""
        if keys is None:
            return self._hunt_chunk(None, None)[0]
        started, events = time.monotonic(), 0
        times = state.event_times(self.database.con, keys)
        look_back, ahead = self._slice_reach_us()
        found: list[Finding] = []
        for chunk in chunks({k: times.get(k) for k in keys}, self.now_us(), look_back):
            bounds = (chunk.first_us - look_back, chunk.last_us + ahead)
            chunk_found, chunk_events = self._hunt_chunk(chunk.keys, bounds)
            found.extend(chunk_found)
            events += chunk_events
        self.health.last_hunt = {
            "creations": len(keys),
            "events": events,
            "seconds": round(time.monotonic() - started, 2),
        }
        return found

    def _slice_reach_us(self) -> tuple[int, int]:
        """How far before its earliest creation, and after its latest, a hunt's slice of
        the store reaches in event time: the look-back (at least the window's reach: the
        candidates and their clock slack), and the horizon (follow-ups: a live stream's
        events come about when they happen, so those watch sees within the horizon are
        within it in event time too) or the window's reach, whichever is longer."""
        reach = self._reach_us()
        look_back = max(int(self.options.look_back_s * SECOND_US), reach)
        return look_back, max(self.options.timing.horizon_us, reach)

    def _hunt_chunk(
        self, keys: list[str] | None, bounds: tuple[int, int] | None
    ) -> tuple[list[Finding], int]:
        """The findings of these creations (every one: None) over the events in `bounds`
        (everything stored: None), and how many events that was (0: not counted)."""
        options = replace(self.options.hunt, creations=keys)
        reading = Reading(EventStore())
        if bounds is None:
            with contextlib.closing(self.database.apart()) as con:  # its temporary tables go too
                return assess_tables(Engine(con), None, options, reading).findings, 0
        with contextlib.closing(Slice(self.database, *bounds)) as piece:
            found = assess_tables(SlicedEngine(piece), None, options, reading).findings
            return found, piece.events()

    def _queue(self, due: list[tuple[Finding, state.Tracked]]) -> None:
        """Record the new revisions and queue them for every sink that wants them, in one
        transaction: an alert is queued exactly once."""
        con = self.database.con
        con.begin()
        try:
            received = {sink.name: state.received(con, sink.name) for sink in self.sinks}
            alerted: dict[str, tuple[state.Tracked, str | None]] = {}
            deliveries: dict[str, list[state.Delivery]] = {sink.name: [] for sink in self.sinks}
            for finding, known in due:
                revision = known.revision + 1
                severity = finding.verdict.severity
                alerted[finding.id] = (
                    state.Tracked(known.first_seen_us, revision, digest(finding), severity),
                    finding.model_dump_json(),
                )
                for sink in self.sinks:
                    if sink.wants(severity, finding.id in received[sink.name]):
                        document = render(finding, revision, sink.shape)
                        delivery = state.Delivery(finding.id, revision, severity, document)
                        deliveries[sink.name].append(delivery)
            state.track(con, alerted)
            for sink_name, queued in deliveries.items():
                state.queue(con, sink_name, queued)
            con.commit()
        except BaseException:
            con.rollback()
            raise
        self.health.alerts += len(due)
        self._changed = True
        for finding, _ in due:
            self._open.by_id[finding.id].alerted = True
        for finding, known in due:
            log.info(
                "alert",
                extra={
                    "finding": finding.id,
                    "revision": known.revision + 1,
                    "severity": finding.verdict.severity,
                    "account": finding.account.name,
                    "host": finding.host,
                },
            )

    def _count_queued(self, now: int) -> int:
        """Creations held for their grace period (seen, not alerted yet)."""
        return self.database.con.execute(
            "select count(*) from watch_findings where revision = 0 and first_seen_us + ? > ?",
            [self.options.timing.grace_us, now],
        ).fetchone()[0]

    def _deliver(self) -> None:
        con = self.database.con
        for sink in self.sinks:
            waiting = state.pending(con, sink.name)
            if not waiting:
                continue
            if isinstance(sink, FileSink):
                waiting = self._reconcile(sink, waiting)
            outcome = sink.send(waiting) if waiting else None
            if outcome is None:
                continue
            con.begin()
            state.settle(con, sink.name, [(d.id, d.revision) for d in outcome.sent], "sent")
            state.settle(
                con, sink.name, [(d.id, d.revision) for d in outcome.dead], "dead", outcome.detail
            )
            if isinstance(sink, FileSink):
                state.save_sink_size(con, sink.name, sink.size())
            con.commit()
            if outcome.detail and not outcome.dead:
                log.warning(
                    "sink unavailable; alerts stay queued",
                    extra={"sink": sink.name, "error": outcome.detail},
                )

    def _reconcile(self, sink: FileSink, waiting: list[state.Delivery]) -> list[state.Delivery]:
        """Deliveries a crash interrupted after the write: found in the file, not rewritten."""
        con = self.database.con
        recorded = state.sink_size(con, sink.name)
        if recorded is None or sink.size() < recorded:  # new, or replaced by someone else
            state.save_sink_size(con, sink.name, sink.size())
            return waiting
        written = sink.written_after(recorded)
        if written:
            done = [(d.id, d.revision) for d in waiting if (d.id, d.revision) in written]
            con.begin()
            state.settle(con, sink.name, done, "sent")
            state.save_sink_size(con, sink.name, sink.size())
            con.commit()
        return [d for d in waiting if (d.id, d.revision) not in written]

    def _publish(self, force: bool = False) -> None:
        """The snapshot, at most every `snapshot_every_s`, and at most a tenth of the time:
        a snapshot copies the whole store, so a large store is published less often. It is
        copied in a thread beside the cycle (DuckDB works outside the interpreter's lock):
        as the store grows a copy takes seconds, and a cycle waiting for it would hold back
        every alert due meanwhile. With `force` (at exit), after the copy under way."""
        if self._snapshotting is not None and self._snapshotting.is_alive():
            if not force:
                return
            self._snapshotting.join()
        if not self._changed and not force:
            return
        apart = max(self.options.snapshot_every_s, 10 * self._snapshot_took)
        if not force and time.monotonic() - self._last_snapshot < apart:
            return
        self._changed = False
        if force:
            self._snapshot(self.database.con)
            return
        self._snapshotting = threading.Thread(
            target=self._snapshot, args=(self.database.apart(),), name="acctrace-snapshot"
        )
        self._snapshotting.start()

    def _snapshot(self, con: duckdb.DuckDBPyConnection) -> None:
        started = time.monotonic()
        try:
            self.database.publish_snapshot(con)
        except (duckdb.Error, OSError) as exc:  # a full disk: readers keep the last one
            log.warning("snapshot not published", extra={"error": str(exc).splitlines()[0]})
            self._changed = True
        finally:
            if con is not self.database.con:
                con.close()
        self._last_snapshot = time.monotonic()
        self._snapshot_took = self._last_snapshot - started

    def _duckdb_mib(self) -> float:
        """What DuckDB holds now (of its `--memory-limit`): the rest of the RSS is Python's."""
        (used,) = self.database.con.execute(
            "select coalesce(sum(memory_usage_bytes), 0) from duckdb_memory()"
        ).fetchone()
        return round(used / 2**20, 1)

    def _health_line(self) -> None:
        seconds = max(time.monotonic() - self.health.started, 1e-6)
        log.info(
            "health",
            extra={
                "lag": {s.name: s.lag() for s in self.sources},
                "records": self.health.records,
                "events_stored": self.health.stored,
                "events_per_s": round(self.health.records / seconds, 1),
                "queued_creations": self.queued,
                "alerts": self.health.alerts,
                "hunts": self.health.hunts,
                "last_hunt": self.health.last_hunt,
                "duckdb_mib": self._duckdb_mib(),
                "seconds_by_step": {k: round(v, 2) for k, v in self.health.seconds.items()},
            },
        )
        self._last_health = time.monotonic()


def open_sources(specs: list[str], database: EventDatabase, kafka_group: str) -> list[Source]:
    """The sources named on the command line, each from its checkpoints in the store. File
    sources share one dict of checkpoints: an EVTX log exported into two folders is one log.
    Call after the Watcher was made (it prepares the store's tables)."""
    files = {
        **state.positions(database.con, "jsonl:"),
        **state.positions(database.con, "evtx:"),
    }
    sources: list[Source] = []
    for spec in specs:
        if spec.startswith("kafka://"):
            from acctrace.watch.kafka import KafkaSource  # only Kafka users need the client

            kafka = state.positions(database.con, "kafka:")
            sources.append(KafkaSource.from_url(spec, kafka_group, kafka))
            continue
        path = Path(spec)
        if not path.exists():
            raise AcctraceError("no such file or folder", spec)
        sources.append(FileSource(path, files))
    return sources


def _creation_place(finding: Finding) -> str | None:
    """Where the event a finding's creation rests on is: its store key (as
    normalise/store.py makes it) up to the `#`, from the finding's own evidence; None when
    it has no record id."""
    creation = next((s for s in finding.sources if s.role == "creation"), None)
    if creation is None or creation.record_id is None or creation.channel is None:
        return None
    host = fields.host_key(finding.host) or "unknown"
    return f"{host}|{creation.channel.lower()}|{creation.event_id}|{creation.record_id}"


def _warn(problem: InputProblem) -> None:
    log.warning(
        str(problem),
        extra={"file": problem.file, "reason": problem.reason, "where": problem.where},
    )
