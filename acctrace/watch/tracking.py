"""The findings `acctrace watch` keeps open for updates, and which new events may change them.

A hunt costs seconds, and more the more creations it covers, so the watcher does not hunt
every open creation again to find its updates (with a horizon of a day, thousands). It
keeps, per open finding, a few hundred bytes instead of the finding: what linking related
findings needs, and where and when its story happened. New events touch a finding when
they are on its host or on a host its origin was traced to, at a time up to the end of its
correlation window (a process, logon or privilege that arrived late; ancestors and sessions
may be much older than the creation), or when they name its account's SID (its follow-ups:
group changes, enable, reset, delete, logons; the name, for an account only the registry
shows); a finding without process telemetry around its time, by any process event on its
host (it names the host's nearest process telemetry, from when to when: any process event
there may move it). A finding with telemetry around its time but no process in the
creator's session is not: a process event after its window can only add telemetry around
it, which it already has. Only the touched are hunted again; related findings are linked
over every open finding, here, after each hunt.

What no single event shows (a host's clock measured again over all its processes, a host
found to be a domain controller) is caught by hunting the open creations again in turn, a
few at every hunt for updates (`WatchOptions.sweep`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from acctrace.assess.related import Linked, LinkKeys, link_keys, linkable, links
from acctrace.findings import Finding
from acctrace.normalise.fields import host_key

_SIDS = ("account_sid", "user_sid")  # columns that name an account by SID
_NAMES = ("account_name", "user_name", "old_name", "new_name", "target_user")
_UNKNOWN_TIME = -(2**62)  # an event of unknown time may belong to any window


@dataclass
class Changes:
    """What the events stored since the last hunt for updates may change: the earliest
    event time per host, and the accounts they name (lower case)."""

    earliest: dict[str, int] = field(default_factory=dict)
    sids: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    process_hosts: set[str] = field(default_factory=set)  # hosts with new process events

    def add(self, tables: dict[str, pa.Table]) -> None:
        for kind, table in tables.items():
            if not table.num_rows:
                continue
            if kind == "process":
                self.process_hosts.update(h for h in pc.unique(table["host"]).to_pylist() if h)
            times = pc.fill_null(table["time_us"], _UNKNOWN_TIME)
            grouped = pa.table({"host": table["host"], "t": times}).group_by("host")
            earliest = grouped.aggregate([("t", "min")])
            hosts, times = earliest["host"].to_pylist(), earliest["t_min"].to_pylist()
            for host, t in zip(hosts, times, strict=True):
                if host is not None and t < self.earliest.get(host, t + 1):
                    self.earliest[host] = t
            for names, wanted in ((self.sids, _SIDS), (self.names, _NAMES)):
                for column in wanted:
                    if column in table.column_names:
                        values = pc.unique(pc.utf8_lower(table[column].drop_null()))
                        names.update(values.to_pylist())


@dataclass(frozen=True)
class Footprint:
    """Where and when a creation's story happened, and its account: what tells which new
    events may change its finding."""

    hosts: frozenset[str]  # its host and the hosts its origin was traced to
    time_us: int | None
    sid: str | None
    name: str | None
    # No process telemetry around its time: the finding names its host's nearest, and when.
    without_telemetry: bool = True

    @classmethod
    def of(cls, finding: Finding, time_us: int | None) -> Footprint:
        account = finding.account
        return cls(
            hosts=frozenset(h for h in _hosts(finding) if h),
            time_us=time_us,
            sid=account.sid.lower() if account.sid else None,
            name=account.name.lower() if account.name else None,
            without_telemetry=finding.process is None
            and any(r.code == "no_process_telemetry" for r in finding.verdict.reasons),
        )

    def touched_by(self, changes: Changes, reach_us: int) -> bool:
        if self.without_telemetry and not self.hosts.isdisjoint(changes.process_hosts):
            return True
        if self.sid is not None:
            if self.sid in changes.sids:
                return True
        elif self.name is not None and self.name in changes.names:
            return True
        for host in self.hosts:
            earliest = changes.earliest.get(host)
            if earliest is not None and (
                self.time_us is None or earliest <= self.time_us + reach_us
            ):
                return True
        return False


@dataclass
class OpenFinding:
    """What the watcher keeps of a finding still open for updates."""

    keys: LinkKeys
    place: str | None  # its creation event's place in the store (see loop._creation_place)
    footprint: Footprint
    first_seen_us: int
    alerted: bool = False
    linked: int = 0  # a hash of its related findings, as last linked


class OpenFindings:
    """The open findings by id, linked to each other like a hunt over all of them would."""

    def __init__(self) -> None:
        self.by_id: dict[str, OpenFinding] = {}

    def note(
        self, finding: Finding, place: str | None, first_seen_us: int, alerted: bool
    ) -> OpenFinding:
        keys = link_keys(finding)
        noted = self.by_id[finding.id] = OpenFinding(
            keys, place, Footprint.of(finding, keys.when), first_seen_us, alerted
        )
        return noted

    def close(self, first_seen_before_us: int) -> None:
        """Forget the findings past their horizon."""
        closed = [i for i, o in self.by_id.items() if o.first_seen_us < first_seen_before_us]
        for finding_id in closed:
            del self.by_id[finding_id]

    def link(self, findings: list[Finding]) -> None:
        """Fill the related findings of these (noted already) as linking every open finding
        would, over the open findings they can be linked with (`related.linkable`): linking
        groups whatever it is given, and the open findings are thousands."""
        keys = [o.keys for o in self.by_id.values()]
        index = {finding_id: i for i, finding_id in enumerate(self.by_id)}
        subset = linkable(keys, [index[f.id] for f in findings])
        position = {i: p for p, i in enumerate(subset)}
        linked = links([keys[i] for i in subset], [position[index[f.id]] for f in findings])
        for finding, (counts, related) in zip(findings, linked, strict=True):
            finding.related_counts, finding.related = counts, related
            self.by_id[finding.id].linked = _signature((counts, related))

    def relink(self) -> dict[str, Linked]:
        """Link every open finding again; those whose related findings changed since."""
        order = list(self.by_id)
        changed = {}
        for finding_id, linked in zip(
            order, links([self.by_id[i].keys for i in order]), strict=True
        ):
            signature = _signature(linked)
            if signature != self.by_id[finding_id].linked:
                self.by_id[finding_id].linked = signature
                changed[finding_id] = linked
        return changed

    def touched(self, changes: Changes, reach_us: int) -> list[str]:
        """The places of the alerted findings these changes may have changed."""
        return [
            o.place
            for o in self.by_id.values()
            if o.alerted and o.place is not None and o.footprint.touched_by(changes, reach_us)
        ]


def _hosts(finding: Finding) -> list[str | None]:
    hosts = [host_key(finding.host)]
    if finding.session is not None:
        hosts.append(host_key(finding.session.workstation))
    origin = finding.origin
    while origin is not None:
        hosts.append(host_key(origin.host))
        origin = origin.origin
    return hosts


def _signature(linked: Linked) -> int:
    counts, related = linked
    return hash((tuple(sorted(counts.items())), tuple((r.id, tuple(r.links)) for r in related)))
