"""Execute the analytic on an engine and group its rows per account creation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa

from acctrace.correlate import analytic
from acctrace.correlate.analytic import Window
from acctrace.correlate.engine import Engine
from acctrace.correlate.rows import (
    CandidateRow,
    CreationRow,
    FollowUpRow,
    ProcessRow,
    SamWriteRow,
    SeenScriptBlockRow,
    SessionPrivilegeRow,
    SessionRow,
    SignOfLifeRow,
)
from acctrace.correlate.trace import (
    LineageWalker,
    OriginQueries,
    OriginRows,
    origins_of_creations,
)
from acctrace.normalise.model import SCHEMAS

Row = dict[str, Any]
MAX_LINEAGE_DEPTH = 32


@dataclass
class CreationStory:
    """Everything the joins found for one account creation: the input of the assessment."""

    creation: CreationRow
    candidates: list[CandidateRow] = field(default_factory=list)
    signs_of_life: list[SignOfLifeRow] = field(default_factory=list)  # after the creation
    script_blocks: list[SeenScriptBlockRow] = field(default_factory=list)  # 4104s before it
    session: SessionRow | None = None
    privilege: SessionPrivilegeRow | None = None
    follow_ups: list[FollowUpRow] = field(default_factory=list)


@dataclass
class Correlation:
    stories: list[CreationStory]
    clocks: dict[str, Clock]  # host -> its Sysmon clock against its Security clock
    lineages: dict[str, list[ProcessRow]]  # candidate's event_key -> ancestors, nearest first
    # host -> (file, first and last process event time) for each file with process events
    process_spans: dict[str, list[tuple[str, int, int]]]
    sam_writes: list[SamWriteRow]  # Sysmon registry writes to the SAM's account keys
    host_roles: dict[str, tuple[str, str]]  # host -> (role, evidence)
    account_names: frozenset[str]  # every account name seen in the telemetry
    origins: OriginRows  # where remote sessions came from, for every chain a creator may have


def correlate(
    tables: dict[str, pa.Table | ir.Table],
    window: Window,
    engine: Engine | None = None,
    since_us: int | None = None,
    until_us: int | None = None,
    max_hops: int = 3,
    inventory: dict[str, str] | None = None,
    inventory_roles: dict[str, str] | None = None,
    host_names: dict[str, str] | None = None,
    creation_keys: list[str] | None = None,
) -> Correlation:
    """Run the joins for every account creation (4720s, and SAM writes without one) in
    `tables`, on `engine` (embedded DuckDB unless given), and group the rows per creation.
    Every query ends here, cross-host origins included: the assessment reads rows only.
    With `creation_keys`, only the creations of these event keys (`acctrace watch` hunting
    the few that are due or changed)."""
    engine = engine or Engine()
    t = engine.load(tables)
    registry_only = analytic.registry_only_creations(t["sam_write"], t["creation"])
    creations = t["creation"].union(registry_only, distinct=False)
    # A creation whose time is unknown may be in the range: it is kept, not dropped silently.
    if since_us is not None:
        creations = creations.filter(creations.time_us.isnull() | (creations.time_us >= since_us))
    if until_us is not None:
        creations = creations.filter(creations.time_us.isnull() | (creations.time_us <= until_us))
    if creation_keys is not None:
        keys = engine.load({"keys": pa.table({"event_key": pa.array(creation_keys, pa.string())})})
        creations = creations.semi_join(keys["keys"], "event_key")
    creations = engine.materialise(creations)
    clock_table = engine.settle(analytic.host_clocks(t["process"], window))
    clocks = measure_clocks(engine, clock_table)

    stories = {row["event_key"]: CreationStory(row) for row in engine.rows(creations)}
    ends = t["process_end"]
    in_session = analytic.candidate_processes(creations, t["process"], ends, window, clock_table)
    by_content = analytic.processes_naming_the_account(
        creations, t["process"], ends, window, clock_table
    )
    candidates = engine.settle(in_session.union(by_content, distinct=False))
    for row in engine.rows(candidates):
        stories[row["creation_key"]].candidates.append(row)
    life = analytic.signs_of_life(candidates, creations, t["process"], ends, window, clock_table)
    for row in engine.rows(life):
        stories[row["creation_key"]].signs_of_life.append(row)
    blocks = analytic.script_blocks_of(
        candidates, creations, t["process"], t["script_block"], window, clock_table
    )
    for row in engine.rows(blocks):
        stories[row["creation_key"]].script_blocks.append(row)
    for row in engine.rows(analytic.creator_sessions(creations, t["logon"], window)):
        stories[row["creation_key"]].session = row
    for row in engine.rows(analytic.creator_privileges(creations, t["privilege"], window)):
        stories[row["creation_key"]].privilege = row
    for row in engine.rows(analytic.follow_ups(creations, t["account_change"], t["logon"], window)):
        stories[row["creation_key"]].follow_ups.append(row)

    lineages = _walk_lineages(engine, candidates, t["process"], t["process_end"])
    origins = origins_of_creations(
        OriginQueries(engine, t, lineage_walker(engine, t)),
        [[c, *lineages.get(c["event_key"], [])] for s in stories.values() for c in s.candidates],
        [s.session for s in stories.values()],
        OriginRows(max_hops, inventory or {}, host_names or {}),
    )
    spans = _spans(engine, t["process"])
    unmeasured = Clock(0, 0, window.after_us, False)
    return Correlation(
        stories=sorted(stories.values(), key=lambda s: s.creation["event_key"]),
        clocks={host: clocks.get(host, unmeasured) for host in spans},
        lineages=lineages,
        process_spans=spans,
        sam_writes=engine.rows(t["sam_write"]),
        host_roles=_host_roles(engine, t, inventory_roles or {}),
        account_names=frozenset(
            r["name"]
            for r in engine.rows(
                analytic.account_names(t["logon"], t["creation"], t["account_change"])
            )
        ),
        origins=origins,
    )


def lineage_walker(engine: Engine, t: dict[str, ir.Table]) -> LineageWalker:
    """Walks the ancestry of any processes (the origins' on their hosts) on `engine`."""

    def walk(processes: list) -> dict[str, list]:
        if not processes:
            return {}
        loaded = engine.load(
            {"origin_process": pa.Table.from_pylist(processes, SCHEMAS["process"])}
        )
        return _walk_lineages(engine, loaded["origin_process"], t["process"], t["process_end"])

    return walk


@dataclass(frozen=True)
class Clock:
    """A host's Sysmon clock against its Security clock, from processes both logged."""

    pairs: int
    skew_us: int  # Sysmon minus Security; 0 when not measured
    tolerance_us: int  # events closer than this across the two logs are not ordered
    measured: bool


def measure_clocks(engine: Engine, clock_table) -> dict[str, Clock]:
    return {
        r["host"]: Clock(r["pairs"], r["skew_us"], r["tolerance_us"], r["measured"])
        for r in engine.rows(clock_table)
    }


def _walk_lineages(engine: Engine, candidates, processes, process_ends) -> dict[str, list[Row]]:
    """Ancestors of every candidate, one parent level per query, nearest first."""
    lineages: dict[str, list[Row]] = defaultdict(list)
    frontier = engine.materialise(analytic.lineage_start(candidates))
    for _ in range(MAX_LINEAGE_DEPTH):
        found = engine.materialise(analytic.parents(frontier, processes, process_ends))
        rows = engine.rows(found)
        if not rows:
            break
        for row in rows:
            lineages[row["lineage_of"]].append(row)
        frontier = engine.materialise(analytic.next_frontier(found))
    for chain in lineages.values():
        chain.sort(key=lambda r: r["depth"])
    return dict(lineages)


def _host_roles(engine: Engine, t, given: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Roles the user gave (--hosts) win over what the telemetry shows."""
    roles = {
        r["host"]: ("domain_controller", r["evidence"])
        for r in engine.rows(analytic.domain_controllers(t["kerberos"], t["creation"]))
    }
    roles.update({host: (role, "the host inventory (--hosts)") for host, role in given.items()})
    return roles


def _spans(engine: Engine, processes) -> dict[str, list[tuple[str, int, int]]]:
    """Per file, not per host: logs of one host from months apart do not cover the gap."""
    spans = processes.group_by(["host", "file"]).aggregate(
        first=processes.time_us.min(), last=processes.time_us.max()
    )
    by_host: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for r in sorted(engine.rows(spans), key=lambda r: (r["host"], r["first"], r["file"])):
        by_host[r["host"]].append((r["file"], r["first"], r["last"]))
    return dict(by_host)
