"""Stream every event of the inputs into per-host, per-channel statistics.

Nothing is kept per event except its time and EventRecordID (for gaps and jumps), so
coverage runs over logs far larger than the analytic's event store would hold.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from acctrace.errors import InputProblem
from acctrace.normalise import fields
from acctrace.normalise.shapes import RawEvent
from acctrace.sources import Tally, discover, read

UNKNOWN_HOST = "(no computer name)"
_DAY_US = 86_400 * 1_000_000
_LOCAL_ADDRESSES = {"127.0.0.1", "::1"}
# Canonical spellings of channels that exports write in several cases ('security').
_CHANNELS = {
    "security": "Security",
    "system": "System",
    "microsoft-windows-sysmon/operational": "Microsoft-Windows-Sysmon/Operational",
    "microsoft-windows-powershell/operational": "Microsoft-Windows-PowerShell/Operational",
}


class _AcceptAll:
    """A relevance set that holds every event id: the readers only ask `id in relevant`."""

    def __contains__(self, _: object) -> bool:
        return True


ACCEPT_ALL = cast(frozenset[int], _AcceptAll())


@dataclass
class Clear:
    time_us: int | None
    log: str  # the log that was cleared
    by: str | None
    event_id: int
    record_id: int | None
    file: str


@dataclass
class PolicyChange:
    time_us: int | None
    by: str | None
    subcategory_guid: str | None
    subcategory_id: str | None
    changes: str | None
    record_id: int | None
    file: str


@dataclass
class ChannelStats:
    channel: str
    event_ids: Counter[int] = field(default_factory=Counter)
    times: array = field(default_factory=lambda: array("q"))
    records: array = field(default_factory=lambda: array("q"))  # parallel to times; -1 unknown
    seen: set[tuple[int, int, int]] = field(default_factory=set)
    duplicates: int = 0

    @property
    def events(self) -> int:
        return sum(self.event_ids.values())


@dataclass
class HostStats:
    host: str
    names: set[str] = field(default_factory=set)
    channels: dict[str, ChannelStats] = field(default_factory=dict)
    # How often a field that attribution needs was populated, e.g. ("4688", "CommandLine").
    populated: Counter[tuple[str, str]] = field(default_factory=Counter)
    clears: list[Clear] = field(default_factory=list)
    policy_changes: list[PolicyChange] = field(default_factory=list)

    def channel(self, name: str) -> ChannelStats | None:
        return self.channels.get(name.lower())

    def count(self, channel_test: Callable[[str], bool], *event_ids: int) -> int:
        return sum(
            c.event_ids[e]
            for key, c in self.channels.items()
            if channel_test(key)
            for e in event_ids
        )


@dataclass
class Collection:
    hosts: dict[str, HostStats] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def collect(
    paths: list[Path], on_problem: Callable[[InputProblem], None] | None = None
) -> Collection:
    """Read every event of every input once, keeping statistics only."""
    result = Collection()
    report = on_problem or (lambda _: None)
    for item in discover(paths):
        if isinstance(item, InputProblem):
            result.problems.append(item)
            report(item)
            continue
        tally = Tally(item.name, item.format)
        for raw in read(item, tally, ACCEPT_ALL):
            tally.used += 1
            add(result, raw, item.name)
        result.tallies.append(tally)
        for problem in tally.problems:
            result.problems.append(problem)
            report(problem)
    return result


def add(result: Collection, raw: RawEvent, file: str) -> None:
    """Count one event (the same event from two files is counted once)."""
    key = fields.host_key(raw.computer) or UNKNOWN_HOST
    host = result.hosts.get(key) or result.hosts.setdefault(key, HostStats(key))
    if raw.computer:
        host.names.add(raw.computer)
    channel_key = raw.channel.lower()
    stats = host.channels.get(channel_key)
    if stats is None:
        stats = host.channels[channel_key] = ChannelStats(_CHANNELS.get(channel_key, raw.channel))
    identity = (raw.record_id or -1, raw.event_id, raw.time_us or -1)
    if raw.record_id is not None and identity in stats.seen:
        stats.duplicates += 1
        return
    if raw.record_id is not None:
        stats.seen.add(identity)
    stats.event_ids[raw.event_id] += 1
    if raw.time_us is not None:
        stats.times.append(raw.time_us)
        stats.records.append(raw.record_id if raw.record_id is not None else -1)
    _fields(host, raw, channel_key, file)


def _fields(host: HostStats, raw: RawEvent, channel: str, file: str) -> None:
    d, eid = raw.data, raw.event_id
    provider = raw.provider.lower()
    if channel == "security" and eid == 4688:
        host.populated[("4688", "CommandLine")] += bool(fields.text(d.get("CommandLine")))
        host.populated[("4688", "ParentProcessName")] += bool(
            fields.text(d.get("ParentProcessName"))
        )
    elif "sysmon" in channel and eid == 1:
        host.populated[("sysmon-1", "ProcessGuid")] += bool(fields.guid(d.get("ProcessGuid")))
        host.populated[("sysmon-1", "CommandLine")] += bool(fields.text(d.get("CommandLine")))
    elif channel == "security" and eid == 4624:
        ip = fields.text(d.get("IpAddress"))
        host.populated[("4624", "IpAddress")] += bool(ip) and ip not in _LOCAL_ADDRESSES
    elif eid in (1102, 104) and "eventlog" in provider:
        host.clears.append(
            Clear(
                raw.time_us,
                fields.text(d.get("Channel")) or ("Security" if eid == 1102 else raw.channel),
                _who(d),
                eid,
                raw.record_id,
                file,
            )
        )
    elif channel == "security" and eid == 4719:
        host.policy_changes.append(
            PolicyChange(
                raw.time_us,
                _who(d),
                fields.guid(d.get("SubcategoryGuid")),
                fields.text(d.get("SubcategoryId")),
                fields.text(d.get("AuditPolicyChanges")),
                raw.record_id,
                file,
            )
        )


def _who(d: dict) -> str | None:
    name = fields.text(d.get("SubjectUserName"))
    domain = fields.text(d.get("SubjectDomainName"))
    return f"{domain}\\{name}" if domain and name else name


def day_count(times: array) -> int:
    return len({t // _DAY_US for t in times})
