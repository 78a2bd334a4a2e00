"""Execute the analytic on an engine and group its rows per account creation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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
from acctrace.correlate.window import Window
from acctrace.normalise.model import COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa

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
    domain_controllers: dict[str, str]  # host -> what shows it is one
    account_names: frozenset[str]  # every account name seen in the telemetry
    origins: OriginRows  # where remote sessions came from, for every chain a creator may have


def correlate(
    tables: dict[str, pa.Table] | None,
    window: Window,
    engine: Engine | None = None,
    since_us: int | None = None,
    until_us: int | None = None,
    max_hops: int = 3,
    inventory: dict[str, str] | None = None,
    host_names: dict[str, str] | None = None,
    creation_keys: list[str] | None = None,
) -> Correlation:
    """Run the joins for every account creation (4720s, and SAM writes without one) in
    `tables` (or in the tables `engine` already holds, when None), on `engine` (embedded
    DuckDB unless given), and group the rows per creation. Every query ends here,
    cross-host origins included: the assessment reads rows only. With `creation_keys`,
    only the creations of these event keys (`acctrace watch` hunting the few that are due
    or changed)."""
    engine = engine or Engine()
    if tables is not None:
        engine.load(tables)
    # A creation whose time is unknown may be in the range: it is kept, not dropped silently.
    in_range = "creations" if creation_keys is None else "creations_in_range"
    engine.step(
        in_range,
        "analytic.creations_in_range",
        "creation",
        "sam_write",
        since_us=since_us,
        until_us=until_us,
    )
    if creation_keys is not None:
        engine.load_rows(
            "creation_keys", ({"event_key": k} for k in creation_keys), [("event_key", "string")]
        )
        engine.step("creations", "analytic.creations_of", in_range, "creation_keys")
    engine.step("clocks", "analytic.host_clocks", "process", window=window)
    clocks = measure_clocks(engine)

    stories = {row["event_key"]: CreationStory(row) for row in engine.rows("creations")}
    events = ("creations", "process", "process_end", "clocks")
    engine.step("candidates", "analytic.candidates", *events, window=window)
    for row in engine.rows("candidates"):
        stories[row["creation_key"]].candidates.append(row)
    engine.step("life", "analytic.signs_of_life", "candidates", *events, window=window)
    for row in engine.rows("life"):
        stories[row["creation_key"]].signs_of_life.append(row)
    engine.step(
        "blocks",
        "analytic.script_blocks_of",
        "candidates",
        "creations",
        "process",
        "script_block",
        "clocks",
        window=window,
    )
    for row in engine.rows("blocks"):
        stories[row["creation_key"]].script_blocks.append(row)
    engine.step("sessions", "analytic.creator_sessions", "creations", "logon", window=window)
    for row in engine.rows("sessions"):
        stories[row["creation_key"]].session = row
    engine.step(
        "privileges", "analytic.creator_privileges", "creations", "privilege", window=window
    )
    for row in engine.rows("privileges"):
        stories[row["creation_key"]].privilege = row
    engine.step(
        "follow_ups",
        "analytic.follow_ups",
        "creations",
        "account_change",
        "logon",
        window=window,
    )
    for row in engine.rows("follow_ups"):
        stories[row["creation_key"]].follow_ups.append(row)

    lineages = _walk_lineages(engine, "candidates")
    origins = origins_of_creations(
        OriginQueries(engine, lineage_walker(engine)),
        [[c, *lineages.get(c["event_key"], [])] for s in stories.values() for c in s.candidates],
        [s.session for s in stories.values()],
        OriginRows(max_hops, inventory or {}, host_names or {}),
    )
    spans = _spans(engine)
    unmeasured = Clock(0, 0, window.after_us, False)
    engine.step("account_names", "analytic.account_names", "logon", "creation", "account_change")
    return Correlation(
        stories=sorted(stories.values(), key=lambda s: s.creation["event_key"]),
        clocks={host: clocks.get(host, unmeasured) for host in spans},
        lineages=lineages,
        process_spans=spans,
        sam_writes=engine.rows("sam_write"),
        domain_controllers=_domain_controllers(engine),
        account_names=frozenset(r["name"] for r in engine.rows("account_names")),
        origins=origins,
    )


def lineage_walker(engine: Engine) -> LineageWalker:
    """Walks the ancestry of any processes (the origins' on their hosts) on `engine`."""

    def walk(processes: list[ProcessRow]) -> dict[str, list[ProcessRow]]:
        if not processes:
            return {}
        engine.load_rows("origin_process", processes, COLUMNS["process"])
        return _walk_lineages(engine, "origin_process")

    return walk


@dataclass(frozen=True)
class Clock:
    """A host's Sysmon clock against its Security clock, from processes both logged."""

    pairs: int
    skew_us: int  # Sysmon minus Security; 0 when not measured
    tolerance_us: int  # events closer than this across the two logs are not ordered
    measured: bool


def host_names(engine: Engine) -> dict[str, str]:
    """Each host key with the fullest name it was logged under, from every event table."""
    engine.step("host_names", "analytic.host_display_names", *COLUMNS)
    return {r["host"]: r["host_name"] for r in engine.rows("host_names")}


def measure_clocks(engine: Engine) -> dict[str, Clock]:
    return {
        r["host"]: Clock(r["pairs"], r["skew_us"], r["tolerance_us"], r["measured"])
        for r in engine.rows("clocks")
    }


def _walk_lineages(engine: Engine, processes: str) -> dict[str, list[ProcessRow]]:
    """Ancestors of every process in the table `processes`, one parent level per query,
    nearest first (process rows, with the walk's own columns beside)."""
    lineages: dict[str, list[ProcessRow]] = defaultdict(list)
    engine.step("lineage_frontier", "analytic.lineage_start", processes)
    for _ in range(MAX_LINEAGE_DEPTH):
        engine.step(
            "lineage_found", "analytic.parents", "lineage_frontier", "process", "process_end"
        )
        rows = engine.rows("lineage_found")
        if not rows:
            break
        for row in rows:
            lineages[row["lineage_of"]].append(row)
        engine.step("lineage_frontier", "analytic.next_frontier", "lineage_found")
    for chain in lineages.values():
        chain.sort(key=lambda r: r["depth"])
    return dict(lineages)


def _domain_controllers(engine: Engine) -> dict[str, str]:
    engine.step("domain_controllers", "analytic.domain_controllers", "kerberos", "creation")
    return {r["host"]: r["evidence"] for r in engine.rows("domain_controllers")}


def _spans(engine: Engine) -> dict[str, list[tuple[str, int, int]]]:
    """Per file, not per host: logs of one host from months apart do not cover the gap."""
    engine.step("process_spans", "analytic.process_spans", "process")
    by_host: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    rows = engine.rows("process_spans")
    for r in sorted(rows, key=lambda r: (r["host"], r["first"], r["file"])):
        by_host[r["host"]].append((r["file"], r["first"], r["last"]))
    return dict(by_host)
