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
it, which it already has. Only the touched are hunted again. Related findings are linked as
over every open finding, here: after a hunt, those it found; at a hunt for updates, those
that the findings noted or closed since can be linked with. Both are found from indexes,
so what a hunt or a batch of events costs here is what it touches, however many are open.

What no single event shows (a host's clock measured again over all its processes, a host
found to be a domain controller) is caught by hunting the open creations again in turn, a
few at every hunt for updates (`WatchOptions.sweep`).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from acctrace.assess.related import Linked, LinkIndex, link_keys
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


@dataclass(frozen=True, slots=True)
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


class Footprints:
    """Footprints by id, indexed by what touches them (`Footprint.touched_by`): which a
    batch of new events touches is found from the hosts, accounts and times it names, not
    by asking every open finding."""

    def __init__(self) -> None:
        self._hosts: dict[str, list[tuple[int, str]]] = defaultdict(list)  # sorted by time
        self._sids: dict[str, set[str]] = defaultdict(set)
        self._names: dict[str, set[str]] = defaultdict(set)  # of those without a SID
        self._blind: dict[str, set[str]] = defaultdict(set)  # hosts -> without telemetry

    def add(self, finding_id: str, footprint: Footprint) -> None:
        for host in footprint.hosts:
            insort(self._hosts[host], (_time(footprint), finding_id))
        for index, key in self._keys(footprint):
            index[key].add(finding_id)

    def remove(self, finding_id: str, footprint: Footprint) -> None:
        for host in footprint.hosts:
            entries = self._hosts[host]
            del entries[bisect_left(entries, (_time(footprint), finding_id))]
            if not entries:
                del self._hosts[host]
        for index, key in self._keys(footprint):
            index[key].discard(finding_id)
            if not index[key]:
                del index[key]

    def touched(self, changes: Changes, reach_us: int) -> set[str]:
        found: set[str] = set()
        for index, keys in (
            (self._blind, changes.process_hosts),
            (self._sids, changes.sids),
            (self._names, changes.names),
        ):
            for key in keys:
                found.update(index.get(key, ()))
        for host, earliest in changes.earliest.items():
            entries = self._hosts.get(host, [])
            found.update(i for _, i in entries[bisect_left(entries, (earliest - reach_us,)) :])
        return found

    def _keys(self, footprint: Footprint) -> list[tuple[dict[str, set[str]], str]]:
        keys: list[tuple[dict[str, set[str]], str]] = []
        if footprint.sid is not None:
            keys.append((self._sids, footprint.sid))
        elif footprint.name is not None:
            keys.append((self._names, footprint.name))
        if footprint.without_telemetry:
            keys.extend((self._blind, host) for host in footprint.hosts)
        return keys


def _time(footprint: Footprint) -> int:
    """A footprint's time in the host index: of unknown time, touched by any event there."""
    return _ALWAYS if footprint.time_us is None else footprint.time_us


_ALWAYS = 2**63


@dataclass(slots=True)
class OpenFinding:
    """What the watcher keeps of a finding still open for updates (its link keys are in
    `OpenFindings.links`)."""

    place: str | None  # its creation event's place in the store (see loop._creation_place)
    footprint: Footprint
    first_seen_us: int
    alerted: bool = False
    linked: int = 0  # a hash of its related findings, as last linked


class OpenFindings:
    """The open findings by id, linked to each other like a hunt over all of them would.
    What a hunt or a batch of events asks of them costs what it touches: the link keys and
    footprints are indexed (`LinkIndex`, `Footprints`)."""

    def __init__(self) -> None:
        self.by_id: dict[str, OpenFinding] = {}
        self.links = LinkIndex()
        self._footprints = Footprints()
        self._oldest: int | None = None  # at most the earliest first seen of those open

    def note(
        self, finding: Finding, place: str | None, first_seen_us: int, alerted: bool
    ) -> OpenFinding:
        keys = link_keys(finding)
        self.links.add(keys)
        before = self.by_id.get(finding.id)
        footprint = Footprint.of(finding, keys.when)
        if before is None or before.footprint != footprint:  # most are hunted again unchanged
            if before is not None:
                self._footprints.remove(finding.id, before.footprint)
            self._footprints.add(finding.id, footprint)
        noted = self.by_id[finding.id] = OpenFinding(place, footprint, first_seen_us, alerted)
        self._oldest = first_seen_us if self._oldest is None else min(self._oldest, first_seen_us)
        return noted

    def close(self, first_seen_before_us: int) -> None:
        """Forget the findings past their horizon (looked for only when one may be)."""
        if self._oldest is None or self._oldest >= first_seen_before_us:
            return
        closed = [i for i, o in self.by_id.items() if o.first_seen_us < first_seen_before_us]
        for finding_id in closed:
            self._footprints.remove(finding_id, self.by_id.pop(finding_id).footprint)
            self.links.remove(finding_id)
        self._oldest = min((o.first_seen_us for o in self.by_id.values()), default=None)

    def link(self, findings: list[Finding]) -> None:
        """Fill the related findings of these (noted already) as linking every open finding
        would."""
        linked = self.links.link([f.id for f in findings])
        for finding, (counts, related) in zip(findings, linked, strict=True):
            finding.related_counts, finding.related = counts, related
            self.by_id[finding.id].linked = _signature((counts, related))

    def relink(self) -> dict[str, Linked]:
        """The open findings whose related findings changed since they were last linked, as
        linked now: only those the findings noted or closed since can be linked with."""
        unsettled = self.links.unsettled()
        changed = {}
        for finding_id, linked in zip(unsettled, self.links.link(unsettled), strict=True):
            signature = _signature(linked)
            if signature != self.by_id[finding_id].linked:
                self.by_id[finding_id].linked = signature
                changed[finding_id] = linked
        return changed

    def touched(self, changes: Changes, reach_us: int) -> list[str]:
        """The places of the alerted findings these changes may have changed."""
        found = (self.by_id[i] for i in self._footprints.touched(changes, reach_us))
        return [o.place for o in found if o.alerted and o.place is not None]


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
