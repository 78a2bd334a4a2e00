"""Follow logon sessions back to the host and process they came from, hop by hop.

Runs the joins of `origin.py` once per hop level for all the sessions that need it (the
creators' remote sessions, and the sessions that installed a service), then ranks what
they found per session. Every choice carries the evidence it rests on; where nothing links
two hosts, the origin names the source address and says the process is unknown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ibis
import pyarrow as pa

from acctrace.correlate import origin as joins
from acctrace.correlate.engine import Engine
from acctrace.normalise.fields import host_key

Row = dict[str, Any]
REMOTE_LOGON_TYPES = (3, 10)
_LOOPBACK = ("127.0.0.1", "::1")
_SPN_MECHANISM = {
    "http": "winrm",
    "wsman": "winrm",
    "cifs": "smb",
    "host": "rpc",
    "rpcss": "rpc",
    "termsrv": "rdp",
    "ldap": "ldap",
}
_PORT_MECHANISM = {
    445: "smb",
    139: "smb",
    135: "rpc",
    5985: "winrm",
    5986: "winrm",
    3389: "rdp",
    389: "ldap",
    636: "ldap",
}
_HOST_MECHANISM = {"wmiprvse.exe": "wmi", "wsmprovhost.exe": "winrm", "services.exe": "service"}


@dataclass
class Hop:
    """Where one remote session came from."""

    host: str | None  # the source host's name, when the address could be resolved
    host_evidence: str | None
    source_ip: str | None
    user: str | None
    mechanism: str
    user_domain: str | None = None
    evidence: list[str] = field(default_factory=list)
    process: Row | None = None  # the process on the source host that opened the session
    lineage: list[Row] = field(default_factory=list)
    confidence: float = 0.0
    sources: list[Row] = field(default_factory=list)
    previous: Hop | None = None  # when that process itself ran in a remote session
    explicit: Row | None = field(default=None, repr=False)  # a 4648 that placed the source
    wanted: tuple | None = field(default=None, repr=False)  # (by, id, row): process to look up


@dataclass
class SessionToTrace:
    key: str  # the caller's name for this request (an account creation's event key)
    target_host: str
    session: Row  # a `logon` row
    chain: list[Row]  # the process and its ancestors on the target, nearest first
    via_service: Row | None = None  # the service installation behind the chain, if any


def is_remote(session: Row | None) -> bool:
    """A network or RDP logon that did not come from the host itself."""
    return bool(
        session
        and session["logon_type"] in REMOTE_LOGON_TYPES
        and session["source_ip"] not in _LOOPBACK
    )


LineageWalker = Callable[[list[Row]], dict[str, list[Row]]]


class OriginTracer:
    def __init__(
        self,
        engine: Engine,
        tables: dict[str, Any],
        walk: LineageWalker,
        max_hops: int = 3,
        inventory: dict[str, str] | None = None,
        host_names: dict[str, str] | None = None,
    ):
        self.engine, self.t, self.walk = engine, tables, walk
        self.max_hops = max_hops
        self.inventory = inventory or {}  # address -> host name, given by the user
        self.host_names = host_names or {}  # host key -> the fullest name it was logged under
        self._ip_hosts: list[Row] | None = None

    def _grouped(self, expr, key: str = "w_key") -> dict[str, list[Row]]:
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in self.engine.rows(expr):
            groups[row[key]].append(row)
        return groups

    # --- services: the session behind a service-launched chain ----------------------------

    def services_behind(
        self, chains: dict[str, tuple[str, list[Row]]]
    ) -> dict[str, tuple[Row, Row | None]]:
        """For each chain (by key: host and processes) that services.exe started, the
        installation of that service (7045/4697) and the session that installed it."""
        children = {
            key: (host, child)
            for key, (host, chain) in chains.items()
            if (child := next((r for r, p in _with_parents(chain) if p == "services.exe"), None))
        }
        if not children:
            return {}
        wanted = _table(
            [{"w_key": k, "w_host": h, "w_time": c["time_us"]} for k, (h, c) in children.items()]
        )
        installs = self._grouped(joins.service_installs_on(wanted, self.t["service_install"]))
        found: dict[str, Row] = {}
        for key, (_, child) in children.items():
            matching = [
                r
                for r in installs.get(key, [])
                if _same_command(r["image_path"], child["command_line"])
            ]
            if matching:
                found[key] = max(
                    matching,
                    key=lambda r: (
                        r["installer_logon_id"] is not None,
                        r["time_us"],
                        r["event_key"],
                    ),
                )
        sessions = self._sessions(
            {
                k: (children[k][0], r["installer_logon_id"])
                for k, r in found.items()
                if r["installer_logon_id"]
            }
        )
        return {key: (install, sessions.get(key)) for key, install in found.items()}

    def _sessions(self, wanted: dict[str, tuple[str, str]]) -> dict[str, Row]:
        """The 4624 that opened each (host, logon id), by key."""
        if not wanted:
            return {}
        table = _table(
            [{"w_key": k, "w_host": h, "w_logon": lid} for k, (h, lid) in wanted.items()]
        )
        return {
            k: rows[0]
            for k, rows in self._grouped(joins.sessions_by_logon_id(table, self.t["logon"])).items()
        }

    # --- hops -----------------------------------------------------------------------------

    def trace_all(
        self,
        requests: list[SessionToTrace],
        depth: int = 0,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> dict[str, Hop]:
        """Where each request's session came from, following up to `max_hops` hops."""
        todo = [
            r
            for r in requests
            if is_remote(r.session)
            and depth < self.max_hops
            and (r.target_host, r.session["logon_id"]) not in seen
        ]
        if not todo:
            return {}
        hops = {r.key: self._start(r) for r in todo}
        self._resolve_all(todo, hops)
        searchable = [r for r in todo if _searchable(hops[r.key], r)]
        self._find_processes(searchable, hops)
        lineages = self.walk([h.process for h in hops.values() if _walkable(h.process)])
        for hop in hops.values():
            if _walkable(hop.process):
                hop.lineage = lineages.get(hop.process["event_key"], [])
                hop.sources.append(hop.process)
        self._previous_hops(
            todo, hops, depth, seen | {(r.target_host, r.session["logon_id"]) for r in todo}
        )
        return hops

    def _start(self, request: SessionToTrace) -> Hop:
        session = request.session
        hop = Hop(
            host=None,
            host_evidence=None,
            source_ip=session["source_ip"],
            user=session["user_name"],
            user_domain=session["user_domain"],
            mechanism=self._mechanism(request),
            sources=[session],
        )
        if request.via_service:
            svc = request.via_service
            hop.evidence.append(
                f"service '{svc['service_name']}' installed on the target "
                f"({svc['event_id']}) runs: {svc['image_path']}"
            )
            hop.sources.append(svc)
        return hop

    def _previous_hops(
        self,
        todo: list[SessionToTrace],
        hops: dict[str, Hop],
        depth: int,
        seen: frozenset[tuple[str, str]],
    ) -> None:
        """When an origin process itself ran in a remote session, trace that one too."""
        wanted = {
            r.key: (host_key(hops[r.key].host), hops[r.key].process["logon_id"])
            for r in todo
            if hops[r.key].process
            and hops[r.key].process.get("logon_id")
            and host_key(hops[r.key].host)
        }
        sessions = self._sessions(wanted)
        following = [
            SessionToTrace(key, wanted[key][0], session, [hops[key].process, *hops[key].lineage])
            for key, session in sessions.items()
        ]
        for key, previous in self.trace_all(following, depth + 1, seen).items():
            hops[key].previous = previous

    def _mechanism(self, request: SessionToTrace) -> str:
        for _, parent in _with_parents(request.chain):
            mechanism = _HOST_MECHANISM.get(parent)
            if mechanism:
                return mechanism
        return "rdp" if request.session["logon_type"] == 10 else "unknown"

    # --- which host is that address? ------------------------------------------------------

    def _resolve_all(self, todo: list[SessionToTrace], hops: dict[str, Hop]) -> None:
        book = self._address_book()
        unknown = (
            {r.session["source_ip"] for r in todo if r.session["source_ip"]}
            - set(self.inventory)
            - set(book)
        )
        answers = self._dns(unknown)
        unplaced = []
        for r in todo:
            ip, hop = r.session["source_ip"], hops[r.key]
            if ip and ip in self.inventory:
                hop.host, hop.host_evidence = self.inventory[ip], "the host inventory (--hosts)"
            elif ip and ip in book:
                hop.host = self.host_names.get(book[ip][0], book[ip][0])
                hop.host_evidence = book[ip][1]
            elif ip and ip in answers:
                hop.host, hop.host_evidence = answers[ip], "a Sysmon 22 DNS answer for that address"
            elif r.session["workstation"]:
                hop.host = r.session["workstation"]
                hop.host_evidence = "the WorkstationName of the logon"
            else:
                unplaced.append(r)
        for key, explicit in self._explicit_logons_anywhere(unplaced).items():
            hop = hops[key]
            hop.host = explicit["host_name"]
            hop.host_evidence = (
                f"{_basename(explicit['image'])} there used explicit credentials "
                f"for {explicit['target_server']} at the logon time (4648)"
            )
            hop.explicit = explicit
        for r in todo:
            hop = hops[r.key]
            if hop.host_evidence:
                hop.evidence.append(
                    f"{hop.source_ip or 'the source'} is {hop.host}: {hop.host_evidence}"
                )
            if not _searchable(hop, r):
                hop.confidence = 0.2 if hop.source_ip else 0.0

    def _address_book(self) -> dict[str, tuple[str, str]]:
        """Address -> (host key, evidence), first evidence kind first."""
        if self._ip_hosts is None:
            rows = self.engine.rows(joins.ip_hosts(self.t["logon"], self.t["connection"]))
            self._ip_hosts = sorted(rows, key=lambda r: (r["evidence"], r["host"], r["ip"]))
        book: dict[str, tuple[str, str]] = {}
        for row in self._ip_hosts:
            book.setdefault(row["ip"], (row["host"], row["evidence"]))
        return book

    def _addresses_of(self, host: str) -> list[str]:
        known = [ip for ip, name in self.inventory.items() if host_key(name) == host]
        return known + [r["ip"] for r in self._ip_hosts or [] if host_key(r["host"]) == host]

    def _dns(self, ips: set[str]) -> dict[str, str]:
        if not ips:
            return {}
        table = _table([{"request_key": ip, "source_ip": ip} for ip in sorted(ips)])
        rows = self.engine.rows(joins.dns_answers(table, self.t["dns"]))
        return {
            r["request_key"]: r["host_name"] for r in sorted(rows, key=lambda r: r["host_name"])
        }

    def _explicit_logons_anywhere(self, todo: list[SessionToTrace]) -> dict[str, Row]:
        """Kerberos network logons often log no address: the 4648 on the source names them."""
        if not todo:
            return {}
        table = _table(
            [
                {
                    "request_key": r.key,
                    "target_host": r.target_host,
                    "logon_time": r.session["time_us"],
                }
                for r in todo
            ]
        )
        groups = self._grouped(
            joins.explicit_logons_anywhere(table, self.t["explicit_logon"]), "request_key"
        )
        found = {}
        for r in todo:
            user = (r.session["user_name"] or "").lower()
            rows = [
                x
                for x in groups.get(r.key, [])
                if host_key(x["target_server"]) == r.target_host
                and (x["target_user"] or "").lower() == user
            ]
            if rows:
                found[r.key] = min(rows, key=lambda x: _nearest(x, r))
        return found

    # --- which process on the source host opened the session? -----------------------------

    def _find_processes(self, todo: list[SessionToTrace], hops: dict[str, Hop]) -> None:
        if not todo:
            return
        table = _table(
            [
                {
                    "request_key": r.key,
                    "source_host": host_key(hops[r.key].host),
                    "target_host": r.target_host,
                    "target_ip": ip,
                    "logon_time": r.session["time_us"],
                    "source_ip": hops[r.key].source_ip or "",
                }
                for r in todo
                for ip in (self._addresses_of(r.target_host) or [""])  # "" matches none
            ]
        )
        connections = self._grouped(
            joins.connections_to_target(table, self.t["connection"]), "request_key"
        )
        explicit = self._grouped(
            joins.explicit_logons_from(table, self.t["explicit_logon"]), "request_key"
        )
        commands = self._grouped(joins.commands_from(table, self.t["process"]), "request_key")
        for r in todo:
            hop = hops[r.key]
            self._judge_connection(hop, r, connections.get(r.key, []))
            self._judge_explicit(hop, r, explicit.get(r.key, []))
            self._judge_command(hop, r, commands.get(r.key, []))
        self._fill_processes(todo, hops)

    def _judge_connection(self, hop: Hop, r: SessionToTrace, rows: list[Row]) -> None:
        if not rows:
            return
        user = (r.session["user_name"] or "").lower()
        best = min(
            rows,
            key=lambda x: (
                (x["user_name"] or "").lower() != user,
                *_nearest(x, r),
            ),
        )
        port = best["dest_port"]
        hop.sources.append(best)
        if hop.mechanism == "unknown":
            hop.mechanism = _PORT_MECHANISM.get(
                port, "rpc" if port and port >= 49152 else "unknown"
            )
        hop.evidence.append(
            f"{_basename(best['image'])} on {host_key(hop.host)} connected to "
            f"{best['dest_ip']}:{port} {_seconds(best['time_us'] - r.session['time_us'])} "
            "the logon (Sysmon 3)"
        )
        hop.confidence = 0.9 if (best["user_name"] or "").lower() == user else 0.7
        hop.wanted = ("guid", best["process_guid"], best)

    def _judge_explicit(self, hop: Hop, r: SessionToTrace, rows: list[Row]) -> None:
        candidates = [x for x in rows if host_key(x["target_server"]) == r.target_host]
        explicit = hop.explicit or (
            min(candidates, key=lambda x: _nearest(x, r)) if candidates else None
        )
        if explicit is None:
            return
        hop.sources.append(explicit)
        hop.evidence.append(
            f"{_basename(explicit['image'])} (pid {explicit['pid']}) used "
            f"explicit credentials for {explicit['target_server']} (4648)"
        )
        hop.confidence = max(hop.confidence, 0.8)
        if hop.mechanism == "unknown":
            spn = (explicit["target_info"] or "").split("/", 1)[0].lower()
            hop.mechanism = _SPN_MECHANISM.get(spn, "unknown")
        if hop.wanted is None:
            hop.wanted = ("pid", explicit["pid"], explicit)

    def _judge_command(self, hop: Hop, r: SessionToTrace, rows: list[Row]) -> None:
        if not rows:
            return
        best = min(rows, key=lambda x: _nearest(x, r))
        hop.evidence.append(f"{_basename(best['image'])} named {r.target_host} on its command line")
        hop.confidence = max(hop.confidence, 0.75)
        if hop.wanted is None:
            hop.process = best

    def _fill_processes(self, todo: list[SessionToTrace], hops: dict[str, Hop]) -> None:
        """The process record behind each chosen connection (by GUID) or 4648 (by PID)."""
        by_guid = {
            r.key: hops[r.key].wanted
            for r in todo
            if hops[r.key].wanted and hops[r.key].wanted[0] == "guid"
        }
        by_pid = {
            r.key: hops[r.key].wanted
            for r in todo
            if hops[r.key].wanted and hops[r.key].wanted[0] == "pid"
        }
        guid_rows = (
            self._grouped(
                joins.processes_by_guid(
                    _table(
                        [
                            {"w_key": k, "w_host": w[2]["host"], "w_guid": w[1] or ""}
                            for k, w in by_guid.items()
                        ]
                    ),
                    self.t["process"],
                )
            )
            if by_guid
            else {}
        )
        pid_rows = (
            self._grouped(
                joins.processes_by_pid(
                    _table(
                        [
                            {
                                "w_key": k,
                                "w_host": w[2]["host"],
                                "w_pid": w[1] or -1,
                                "w_time": w[2]["time_us"],
                            }
                            for k, w in by_pid.items()
                        ]
                    ),
                    self.t["process"],
                )
            )
            if by_pid
            else {}
        )
        for key, (_, _, row) in by_guid.items():
            found = guid_rows.get(key)
            hops[key].process = found[0] if found else _seen_process(row, "sysmon-3")
        for key, (_, _, row) in by_pid.items():
            found = pid_rows.get(key)
            hops[key].process = found[0] if found else _seen_process(row, "security-4648")
        for r in todo:
            if hops[r.key].process is None:
                hops[r.key].confidence = 0.3


def _nearest(row: Row, request: SessionToTrace) -> tuple[int, str]:
    """Closest in time to the logon; the event key breaks ties the same on every engine."""
    return abs(row["time_us"] - request.session["time_us"]), row["event_key"]


def _searchable(hop: Hop, request: SessionToTrace) -> bool:
    source = host_key(hop.host)
    return source is not None and source != request.target_host


def _walkable(process: Row | None) -> bool:
    return bool(
        process and process.get("event_key") and process.get("telemetry") in _PROCESS_EVENTS
    )


_PROCESS_EVENTS = ("sysmon-1", "security-4688")


def _seen_process(row: Row, telemetry: str) -> Row:
    """A process known only from an event it caused (its own start was not in the data)."""
    return {
        "event_key": None,
        "host": row["host"],
        "image": row["image"],
        "pid": row["pid"],
        "process_guid": row.get("process_guid"),
        "time_us": None,
        "command_line": None,
        "parent_pid": None,
        "parent_image": None,
        "parent_command_line": None,
        "parent_process_guid": None,
        "logon_id": None,
        "user_name": row.get("user_name"),
        "user_domain": row.get("user_domain"),
        "integrity": None,
        "telemetry": telemetry,
        "record_id": None,
    }


def _with_parents(chain: list[Row]) -> Iterator[tuple[Row, str]]:
    """Each process of a chain (nearest first) with its parent's image name; the last
    one's parent is known only by the name its child logged."""
    for i, row in enumerate(chain):
        parent = chain[i + 1]["image"] if i + 1 < len(chain) else row.get("parent_image")
        yield row, _basename(parent)


def _table(rows: list[Row]):
    return ibis.memtable(pa.Table.from_pylist(rows))


def _basename(image: str | None) -> str:
    return image.replace("/", "\\").rsplit("\\", 1)[-1].lower() if image else ""


def _seconds(delta_us: int) -> str:
    seconds = delta_us / 1_000_000
    return f"{abs(seconds):.1f} s {'after' if seconds >= 0 else 'before'}"


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
