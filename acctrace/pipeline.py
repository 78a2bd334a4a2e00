"""One hunt, top to bottom: sources -> normalise -> correlate -> assess -> result document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from acctrace import knowledge
from acctrace.assess.build import build_findings
from acctrace.assess.related import link_related
from acctrace.baseline.novelty import apply_baseline
from acctrace.correlate.engine import Engine
from acctrace.correlate.run import Clock, correlate
from acctrace.correlate.run import host_names as logged_host_names
from acctrace.errors import InputProblem
from acctrace.findings import SEVERITY_ORDER, FileStats, Finding, HostClock, HuntResult
from acctrace.normalise.store import EventStore
from acctrace.options import HuntOptions
from acctrace.reading import ProblemHandler, ProgressHandler, Reading, read_inputs, stored_files
from acctrace.sources import Tally

if TYPE_CHECKING:
    from acctrace.storage.database import EventDatabase


def run(
    paths: list[Path],
    options: HuntOptions | None = None,
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
    database: EventDatabase | None = None,
) -> HuntResult:
    """Hunt PATHS. With a `database` or a Parquet dataset (`options.parquet`), their events
    are stored there first and everything stored is hunted. On the Spark engine, PATHS are
    read on the executors."""
    options = options or HuntOptions()
    engine = _engine(options)
    if options.engine == "spark" and paths and options.parquet is None:
        from acctrace.spark.ingest import read_on_executors

        frames, reading = read_on_executors(engine.spark, paths)
        for problem in reading.problems:
            (on_problem or (lambda _: None))(problem)
        for kind, frame in frames.items():
            engine.view(kind, frame)
        return assess_tables(engine, None, options, reading, on_problem)
    skip = database.known_sha256() if database else frozenset()
    reading = read_inputs(paths, on_problem, on_input, skip, options.workers)
    if database is not None:
        if paths:  # without paths the store is only read (it may be a read-only snapshot)
            database.add(reading.store.tables(), stored_files(reading))
        return assess_tables(Engine(database.con), None, options, reading, on_problem)
    if options.parquet is not None:
        from acctrace.storage import parquet  # pyarrow.dataset: 0.25 s to import, seldom used

        parquet.write(reading.store.tables(), options.parquet)
        engine.read_parquet(options.parquet)
        return assess_tables(engine, None, options, reading, on_problem)
    reading.store.load_into(engine)
    return assess_tables(engine, reading.store.host_names, options, reading, on_problem)


def _engine(options: HuntOptions) -> Engine:
    if options.engine == "spark":
        from acctrace.spark.engine import SparkEngine, session

        return SparkEngine(session(options.spark_master))
    return Engine()


def assess_store(
    store: EventStore,
    options: HuntOptions,
    tallies: list[Tally] | None = None,
    problems: list[InputProblem] | None = None,
) -> HuntResult:
    """Correlate and assess the events already in `store` (tests fill it in memory)."""
    reading = Reading(store, tallies or [], problems or [])
    engine = Engine()
    store.load_into(engine)
    return assess_tables(engine, store.host_names, options, reading)


def assess_tables(
    engine: Engine,
    host_names: dict[str, str] | None,
    options: HuntOptions,
    reading: Reading,
    on_problem: ProblemHandler | None = None,
) -> HuntResult:
    """Correlate the event tables `engine` holds, then assess on this machine. Without
    `host_names`, each host's fullest name is read from the tables."""
    if host_names is None:
        host_names = logged_host_names(engine)
    correlation = correlate(
        None,
        options.window,
        engine=engine,
        since_us=options.since_us,
        until_us=options.until_us,
        max_hops=options.max_hops,
        inventory=options.inventory.addresses,
        host_names=host_names,
        creation_keys=options.creations,
    )
    unassessed: list[InputProblem] = []
    findings = build_findings(correlation, options, unassessed)
    for problem in unassessed:
        (on_problem or (lambda _: None))(problem)
    findings = link_related(apply_baseline(findings, options.baseline))
    return HuntResult(
        findings=sorted(findings, key=_most_severe_first),
        files=[_file_stats(t) for t in reading.tallies],
        problems=[str(p) for p in [*reading.problems, *unassessed]],
        knowledge=knowledge.versions(),
        clocks=[
            _host_clock(host_names.get(h, h), c) for h, c in sorted(correlation.clocks.items())
        ],
    )


def _host_clock(host: str, clock: Clock) -> HostClock:
    return HostClock(
        host=host,
        pairs=clock.pairs,
        skew_ms=clock.skew_us / 1000 if clock.measured else None,
        tolerance_ms=clock.tolerance_us / 1000,
    )


def _most_severe_first(f: Finding) -> tuple:
    return (-SEVERITY_ORDER[f.verdict.severity], -f.verdict.score, f.time or "", f.id)


def _file_stats(t: Tally) -> FileStats:
    return FileStats(
        file=t.file,
        format=t.format,
        sha256=t.sha256,
        read=t.read,
        used=t.used,
        duplicates=t.duplicates,
        passed_over=t.passed_over,
        skipped=dict(t.skipped),
    )
