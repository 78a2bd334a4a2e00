"""Every row needed to follow logon sessions back to the host and process they came from.

Runs the joins of `origin.py` in batches, one hop level at a time, before the assessment
starts; which of the rows found is believed, and how much, is decided in `assess/origin.py`.

The session traced depends on the creator the assessment picks (the creator's own remote
session, or the one that installed the service its chain runs under), and each next hop on
the host and process the assessment believes. So the rows are gathered for every
possibility, which stays small: the chain of every candidate (a few per creation), every
host an address might be (the inventory, the telemetry's address book, DNS answers, the
logon's workstation, a 4648 naming the target), and every process those hosts show
reaching the target, up to `max_hops` levels. A session reached twice is queried once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from acctrace.correlate.engine import Columns, Engine
from acctrace.correlate.rows import (
    ConnectionRow,
    ExplicitLogonRow,
    IpHostRow,
    LogonRow,
    ProcessRow,
    ServiceInstallRow,
)
from acctrace.normalise.fields import host_key
from acctrace.normalise.model import COLUMNS

REMOTE_LOGON_TYPES = (3, 10)
_LOOPBACK = ("127.0.0.1", "::1")
PROCESS_EVENTS = ("sysmon-1", "security-4688")

LineageWalker = Callable[[list[ProcessRow]], dict[str, list[ProcessRow]]]


@dataclass
class NearSource:
    """What one possible source host logged around a remote logon to the target."""

    connections: list[ConnectionRow] = field(default_factory=list)  # Sysmon 3 to the target
    explicit: list[ExplicitLogonRow] = field(default_factory=list)  # 4648 there
    commands: list[ProcessRow] = field(default_factory=list)  # processes naming the target


@dataclass
class OriginRows:
    """What the cross-host joins found, for the assessment to choose from."""

    max_hops: int  # how many hops the rows reach
    inventory: dict[str, str]  # address -> host name, given by the user
    host_names: dict[str, str]  # host key -> the fullest name it was logged under
    addresses: list[IpHostRow] = field(default_factory=list)  # who used which address
    # The installations (7045/4697) of the service that started a candidate's chain, by the
    # candidate's event key, the service's ImagePath being the command the chain ran.
    installs: dict[str, list[ServiceInstallRow]] = field(default_factory=dict)
    sessions: dict[tuple[str, str], LogonRow] = field(default_factory=dict)  # (host, logon id)
    dns: dict[str, list[str]] = field(default_factory=dict)  # address -> names answered for it
    # By session event key: 4648s on other hosts around its logon (sessions without an address)
    explicit_anywhere: dict[str, list[ExplicitLogonRow]] = field(default_factory=dict)
    near_source: dict[tuple[str, str], NearSource] = field(default_factory=dict)  # (session, host)
    by_guid: dict[tuple[str, str], ProcessRow] = field(default_factory=dict)  # (host, guid)
    by_pid: dict[str, ProcessRow] = field(default_factory=dict)  # a 4648's key -> its process
    lineages: dict[str, list[ProcessRow]] = field(default_factory=dict)  # origin processes'


def is_remote(session: LogonRow | None) -> bool:
    """A network or RDP logon that did not come from the host itself."""
    return bool(
        session
        and session["logon_type"] in REMOTE_LOGON_TYPES
        and session["source_ip"] not in _LOOPBACK
    )


def walkable(process: ProcessRow | None) -> bool:
    """A process whose own start was logged, so that its ancestry can be walked."""
    return bool(process and process.get("event_key") and process.get("telemetry") in PROCESS_EVENTS)


def with_parents(chain: Sequence[ProcessRow]) -> Iterator[tuple[ProcessRow, str]]:
    """Each process of a chain (nearest first) with its parent's image name; the last
    one's parent is known only by the name its child logged."""
    for i, row in enumerate(chain):
        parent = chain[i + 1]["image"] if i + 1 < len(chain) else row.get("parent_image")
        yield row, _basename(parent)


def service_child(chain: Sequence[ProcessRow]) -> ProcessRow | None:
    """The process of a chain that services.exe started, if any."""
    return next((row for row, parent in with_parents(chain) if parent == "services.exe"), None)


def _schema(*names: str) -> Columns:
    integers = {"w_time", "w_pid", "logon_time"}
    return [(n, "int64" if n in integers else "string") for n in names]


_NUMBERED: Columns = [("w_key", "int64")]  # requests numbered in a sorted list
_FROM_SOURCE = _schema("request_key", "source_host", "target_host", "target_ip", "logon_time")
# Each join of origin.py: the requests it reads, as OriginQueries makes them, and the events.
JOINS = {
    "service_installs_on": (_schema("w_host", "w_time"), "service_install"),
    "sessions_by_logon_id": (
        _NUMBERED + _schema("w_host", "w_logon"),
        "logon",
    ),
    "dns_answers": (_schema("request_key", "source_ip"), "dns"),
    "explicit_logons_anywhere": (
        _schema("request_key", "target_host", "logon_time"),
        "explicit_logon",
    ),
    "connections_to_target": (_FROM_SOURCE, "connection"),
    "explicit_logons_from": (_FROM_SOURCE, "explicit_logon"),
    "commands_from": (_FROM_SOURCE, "process"),
    "processes_by_guid": (_NUMBERED + _schema("w_host", "w_guid"), "process"),
    "processes_by_pid": (_schema("w_key", "w_host", "w_pid", "w_time"), "process"),
}


def run_join(engine: Engine, join: str, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the join `join` of origin.py finds for these requests."""
    schema, events = JOINS[join]
    engine.load_rows("trace_requests", requests, schema)
    engine.step("trace_found", f"origin.{join}", "trace_requests", events)
    return engine.rows("trace_found")


class OriginQueries:
    """The joins of origin.py, each run once for a whole batch of requests."""

    def __init__(self, engine: Engine, walk: LineageWalker):
        self.engine, self.walk = engine, walk

    def _grouped(self, join: str, requests: list[dict[str, Any]], key: str) -> dict[Any, list]:
        """Rows of the joined events' columns only, grouped by the request column `key`."""
        columns = [name for name, _ in COLUMNS[JOINS[join][1]]]
        groups: dict[Any, list] = defaultdict(list)
        for row in run_join(self.engine, join, requests):
            groups[row[key]].append({name: row[name] for name in columns})
        return groups

    def addresses(self) -> list[IpHostRow]:
        self.engine.step("ip_hosts", "origin.ip_hosts", "logon", "connection")
        rows = self.engine.rows("ip_hosts")
        return sorted(rows, key=lambda r: (r["evidence"], r["host"], r["ip"]))

    def installs_behind(
        self, children: dict[str, ProcessRow]
    ) -> dict[str, list[ServiceInstallRow]]:
        """For each process (by key) that services.exe started, the installations before it
        of a service whose ImagePath is the command it ran."""
        if not children:
            return {}
        wanted = [
            {"w_host": child["host"], "w_time": child["time_us"]} for child in children.values()
        ]
        on_host: dict[str, list[ServiceInstallRow]] = defaultdict(list)
        for row in run_join(self.engine, "service_installs_on", wanted):
            on_host[row["host"]].append(row)
        return {
            key: matching
            for key, child in children.items()
            if (
                matching := [
                    r
                    for r in on_host[child["host"]]
                    if r["time_us"] <= child["time_us"]
                    and _same_command(r["image_path"], child["command_line"])
                ]
            )
        }

    def sessions(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], LogonRow]:
        """The 4624 that opened each (host, logon id)."""
        keys = sorted(set(wanted))
        if not keys:
            return {}
        wanted = [{"w_key": i, "w_host": h, "w_logon": lid} for i, (h, lid) in enumerate(keys)]
        found = self._grouped("sessions_by_logon_id", wanted, "w_key")
        return {keys[i]: rows[0] for i, rows in found.items()}

    def dns(self, ips: Iterable[str]) -> dict[str, list[str]]:
        """The names Sysmon 22 answers resolved to each address."""
        ips = sorted(set(ips))
        if not ips:
            return {}
        wanted = [{"request_key": ip, "source_ip": ip} for ip in ips]
        names: dict[str, list[str]] = defaultdict(list)
        for r in run_join(self.engine, "dns_answers", wanted):
            names[r["request_key"]].append(r["host_name"])
        return {ip: sorted(found) for ip, found in names.items()}

    def explicit_anywhere(self, sessions: list[LogonRow]) -> dict[str, list[ExplicitLogonRow]]:
        if not sessions:
            return {}
        wanted = [
            {"request_key": s["event_key"], "target_host": s["host"], "logon_time": s["time_us"]}
            for s in sessions
        ]
        return dict(self._grouped("explicit_logons_anywhere", wanted, "request_key"))

    def near_sources(
        self, wanted: list[tuple[LogonRow, str, list[str]]]
    ) -> dict[tuple[str, str], NearSource]:
        """For each (session, possible source host, the target's addresses): what the
        source host logged reaching the target around the logon."""
        if not wanted:
            return {}
        requests = [
            {
                "request_key": session["event_key"],
                "source_host": source,
                "target_host": session["host"],
                "target_ip": ip,
                "logon_time": session["time_us"],
            }
            for session, source, ips in wanted
            for ip in (ips or [""])  # "" matches none
        ]
        found = {(s["event_key"], source): NearSource() for s, source, _ in wanted}
        for join, name in (
            ("connections_to_target", "connections"),
            ("explicit_logons_from", "explicit"),
            ("commands_from", "commands"),
        ):
            columns = [name for name, _ in COLUMNS[JOINS[join][1]]]
            seen: set[tuple[str, str, str]] = set()  # one row per target address joined
            for row in run_join(self.engine, join, requests):
                key = (row["request_key"], row["source_host"])
                if (*key, row["event_key"]) not in seen:
                    seen.add((*key, row["event_key"]))
                    getattr(found[key], name).append({c: row[c] for c in columns})
        return found

    def by_guid(self, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], ProcessRow]:
        """The Sysmon 1 of processes named by (host, GUID) in a Sysmon 3."""
        keys = sorted(set(wanted))
        if not keys:
            return {}
        requests = [{"w_key": i, "w_host": h, "w_guid": g} for i, (h, g) in enumerate(keys)]
        found = self._grouped("processes_by_guid", requests, "w_key")
        return {keys[i]: rows[0] for i, rows in found.items()}

    def by_pid(self, explicit: Iterable[ExplicitLogonRow]) -> dict[str, ProcessRow]:
        """The process of each 4648: the latest with its PID on its host before it."""
        wanted = {
            e["event_key"]: {
                "w_key": e["event_key"],
                "w_host": e["host"],
                "w_pid": e["pid"] if e["pid"] is not None else -1,
                "w_time": e["time_us"],
            }
            for e in explicit
        }
        if not wanted:
            return {}
        found = self._grouped("processes_by_pid", list(wanted.values()), "w_key")
        return {key: rows[0] for key, rows in found.items()}


def origins_of_creations(
    queries: OriginQueries,
    chains: Iterable[list[ProcessRow]],
    creator_sessions: Iterable[LogonRow | None],
    rows: OriginRows,
) -> OriginRows:
    """The rows behind every chain a creator may have (each candidate's, nearest first):
    the service installations behind it and the sessions that installed them; then the
    origins of those sessions and of the creators' own remote sessions."""
    children = {chain[0]["event_key"]: child for chain in chains if (child := service_child(chain))}
    rows.installs = queries.installs_behind(children)
    installers = {
        (install["host"], install["installer_logon_id"])
        for found in rows.installs.values()
        for install in found
        if install["installer_logon_id"]
    }
    rows.sessions.update(queries.sessions(installers))
    first = [s for s in creator_sessions if s is not None]
    first += [rows.sessions[key] for key in sorted(installers) if key in rows.sessions]
    return origins_of_sessions(queries, first, rows)


def origins_of_sessions(
    queries: OriginQueries, sessions: list[LogonRow], rows: OriginRows
) -> OriginRows:
    """The rows behind the origins of remote `sessions`, hop level by hop level."""
    done: set[str] = set()
    for depth in range(rows.max_hops):
        frontier = {
            s["event_key"]: s for s in sessions if is_remote(s) and s["event_key"] not in done
        }
        if not frontier:
            break
        if not done:  # the address book, once, and only when some session is remote
            rows.addresses = queries.addresses()
        done |= set(frontier)
        level = list(frontier.values())
        rows.dns.update(queries.dns(s["source_ip"] for s in level if s["source_ip"]))
        rows.explicit_anywhere.update(queries.explicit_anywhere(level))
        wanted = [
            (s, source, _addresses_of(s["host"], rows))
            for s in level
            for source in _possible_sources(s, rows)
        ]
        near = queries.near_sources(wanted)
        rows.near_source.update(near)
        rows.by_guid.update(
            queries.by_guid(
                (c["host"], c["process_guid"])
                for n in near.values()
                for c in n.connections
                if c["process_guid"]
            )
        )
        anywhere = [e for s in level for e in rows.explicit_anywhere.get(s["event_key"], [])]
        rows.by_pid.update(
            queries.by_pid([*anywhere, *(e for n in near.values() for e in n.explicit)])
        )
        reached = [
            (source, process)
            for (key, source), n in near.items()
            for process in _processes(n, rows.explicit_anywhere.get(key, []), source, rows)
        ]
        new = {
            p["event_key"]: p
            for _, p in reached
            if walkable(p) and p["event_key"] not in rows.lineages
        }
        rows.lineages.update(queries.walk(list(new.values())))
        if depth + 1 < rows.max_hops:  # the sessions those processes ran in: the next hop
            found = queries.sessions(
                (source, p["logon_id"]) for source, p in reached if p["logon_id"]
            )
            rows.sessions.update(found)
            sessions = list(found.values())
    return rows


def _possible_sources(session: LogonRow, rows: OriginRows) -> list[str]:
    """Every host the session's source might be, by any evidence the assessment weighs;
    the target itself is never searched as its own source."""
    ip = session["source_ip"]
    names = [
        rows.inventory.get(ip or ""),
        *(rows.host_names.get(a["host"], a["host"]) for a in rows.addresses if a["ip"] == ip),
        *rows.dns.get(ip or "", []),
        session["workstation"],
        *(e["host_name"] for e in rows.explicit_anywhere.get(session["event_key"], [])),
    ]
    keys = {host_key(name) for name in names}
    return sorted(k for k in keys if k is not None and k != session["host"])


def _addresses_of(host: str, rows: OriginRows) -> list[str]:
    known = [ip for ip, name in rows.inventory.items() if host_key(name) == host]
    return known + [r["ip"] for r in rows.addresses if host_key(r["host"]) == host]


def _processes(
    near: NearSource, anywhere: list[ExplicitLogonRow], source: str, rows: OriginRows
) -> Iterator[ProcessRow]:
    """Every process on `source` that may have opened the session."""
    for c in near.connections:
        if (found := rows.by_guid.get((c["host"], c["process_guid"]))) is not None:
            yield found
    for e in [*near.explicit, *(e for e in anywhere if host_key(e["host_name"]) == source)]:
        if (found := rows.by_pid.get(e["event_key"])) is not None:
            yield found
    yield from near.commands


def _basename(image: str | None) -> str:
    return image.replace("/", "\\").rsplit("\\", 1)[-1].lower() if image else ""


_ENV = re.compile(r"%\w+%")


def _same_command(image_path: str | None, command_line: str | None) -> bool:
    """A service's ImagePath and the command line its process ran, compared loosely:
    environment variables (%COMSPEC%) and quoting differ between the two."""
    if not image_path or not command_line:
        return False
    a = _ENV.sub("", image_path).replace('"', "").lower().split()
    b = command_line.replace('"', "").lower().split()
    tail = [w for w in a if "\\" not in w][-6:]
    return bool(tail) and " ".join(tail) in " ".join(b)
