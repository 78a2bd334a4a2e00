"""One hunt, top to bottom: sources -> normalise -> correlate -> assess -> result document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from acctrace import knowledge
from acctrace.assess.build import AssessOptions, build_findings
from acctrace.assess.inventory import Inventory
from acctrace.assess.policy import Policy
from acctrace.baseline.novelty import Baseline, apply_baseline
from acctrace.correlate.analytic import Window
from acctrace.correlate.engine import Engine
from acctrace.correlate.run import correlate
from acctrace.errors import InputProblem
from acctrace.findings import SEVERITY_ORDER, FileStats, Finding, HuntResult
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.store import EventStore
from acctrace.sources import Input, Tally, discover, read, sha256_of
from acctrace.storage.database import EventDatabase, StoredFile

ProblemHandler = Callable[[InputProblem], None]
ProgressHandler = Callable[[str], None]


@dataclass
class HuntOptions:
    window: Window = field(default_factory=Window)
    policy: Policy | None = None
    builtin_benign: bool = True
    since_us: int | None = None
    until_us: int | None = None
    max_hops: int = 3  # how many remote-session hops to follow back
    inventory: Inventory = field(default_factory=Inventory)
    baseline: Baseline | None = None  # hunt --baseline: history reasons (docs/baseline.md)


@dataclass
class Reading:
    """What reading the inputs produced: their events, and the accounting."""

    store: EventStore = field(default_factory=EventStore)
    tallies: list[Tally] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    already_stored: list[str] = field(default_factory=list)  # inputs the store holds already


def run(
    paths: list[Path],
    options: HuntOptions | None = None,
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
    database: EventDatabase | None = None,
) -> HuntResult:
    """Hunt PATHS; with a `database`, store their events there first and hunt all it holds."""
    options = options or HuntOptions()
    skip = database.known_sha256() if database else frozenset()
    reading = read_inputs(paths, on_problem, on_input, skip)
    if database is None:
        return assess_store(reading.store, options, reading.tallies, reading.problems)
    database.add(reading.store.tables(), stored_files(reading))
    con, tables = database.tables()
    return assess_tables(tables, database.host_names(), options, reading, Engine(con))


def read_inputs(
    paths: list[Path],
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
    skip_sha256: frozenset[str] | set[str] = frozenset(),
) -> Reading:
    """Read every input under `paths` into one store, counting and reporting problems."""
    report = on_problem or (lambda _: None)
    reading = Reading()
    for item in discover(paths):
        if isinstance(item, InputProblem):
            reading.problems.append(item)
            report(item)
            continue
        if on_input:
            on_input(item.name)
        sha256 = sha256_of(item.stream)
        if sha256 in skip_sha256:
            reading.already_stored.append(item.name)
            continue
        tally = ingest(item, reading.store, sha256)
        reading.tallies.append(tally)
        for problem in tally.problems:
            reading.problems.append(problem)
            report(problem)
    return reading


def assess_store(
    store: EventStore,
    options: HuntOptions,
    tallies: list[Tally] | None = None,
    problems: list[InputProblem] | None = None,
) -> HuntResult:
    """Correlate and assess the events already in `store` (tests fill it in memory)."""
    reading = Reading(store, tallies or [], problems or [])
    return assess_tables(store.tables(), store.host_names, options, reading)


def assess_tables(
    tables: dict,
    host_names: dict[str, str],
    options: HuntOptions,
    reading: Reading,
    engine: Engine | None = None,
) -> HuntResult:
    correlation = correlate(
        tables,
        options.window,
        engine=engine,
        since_us=options.since_us,
        until_us=options.until_us,
        max_hops=options.max_hops,
        inventory=options.inventory.addresses,
        inventory_roles=options.inventory.roles,
        host_names=host_names,
    )
    assess = AssessOptions(options.window, options.policy, options.builtin_benign)
    findings = build_findings(correlation, assess)
    findings = apply_baseline(findings, options.baseline)
    return HuntResult(
        findings=sorted(findings, key=_most_severe_first),
        files=[_file_stats(t) for t in reading.tallies],
        problems=[str(p) for p in reading.problems],
        knowledge=knowledge.versions(),
    )


def stored_files(reading: Reading) -> list[StoredFile]:
    """What the store records of each input read: path, size, SHA-256, modification time."""
    files = []
    for tally in reading.tallies:
        path = Path(tally.file)
        stat = path.stat() if "!" not in tally.file and path.is_file() else None
        files.append(StoredFile(
            file=tally.file, size=stat.st_size if stat else None, sha256=tally.sha256,
            mtime=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat() if stat else None))
    return files


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
