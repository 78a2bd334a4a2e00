"""One hunt, top to bottom: sources -> normalise -> correlate -> assess -> result document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from acctrace import knowledge
from acctrace.assess.build import AssessOptions, build_finding
from acctrace.assess.inventory import Inventory
from acctrace.assess.policy import Policy
from acctrace.baseline.novelty import Baseline, apply_baseline
from acctrace.correlate.analytic import Window
from acctrace.correlate.run import correlate
from acctrace.errors import InputProblem
from acctrace.findings import SEVERITY_ORDER, FileStats, Finding, HuntResult
from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.store import EventStore
from acctrace.sources import Input, Tally, discover, read, sha256_of

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


def run(
    paths: list[Path],
    options: HuntOptions | None = None,
    on_problem: ProblemHandler | None = None,
    on_input: ProgressHandler | None = None,
) -> HuntResult:
    options = options or HuntOptions()
    report = on_problem or (lambda _: None)
    store = EventStore()
    tallies: list[Tally] = []
    problems: list[InputProblem] = []
    for item in discover(paths):
        if isinstance(item, InputProblem):
            problems.append(item)
            report(item)
            continue
        if on_input:
            on_input(item.name)
        tally = ingest(item, store)
        tallies.append(tally)
        for problem in tally.problems:
            problems.append(problem)
            report(problem)

    return assess_store(store, options, tallies, problems)


def assess_store(
    store: EventStore,
    options: HuntOptions,
    tallies: list[Tally] | None = None,
    problems: list[InputProblem] | None = None,
) -> HuntResult:
    """Correlate and assess the events already in `store` (tests fill it in memory)."""
    correlation = correlate(
        store.tables(),
        options.window,
        since_us=options.since_us,
        until_us=options.until_us,
        max_hops=options.max_hops,
        inventory=options.inventory.addresses,
        inventory_roles=options.inventory.roles,
        host_names=store.host_names,
    )
    assess = AssessOptions(options.window, options.policy, options.builtin_benign)
    findings = [build_finding(story, correlation, assess) for story in correlation.stories]
    findings = apply_baseline(findings, options.baseline)
    return HuntResult(
        findings=sorted(findings, key=_most_severe_first),
        files=[_file_stats(t) for t in tallies or []],
        problems=[str(p) for p in problems or []],
        knowledge=knowledge.versions(),
    )


def ingest(source: Input, store: EventStore) -> Tally:
    """Read one input into the store, counting every record."""
    sha256 = sha256_of(source.stream)
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
