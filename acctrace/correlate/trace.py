"""Follow a logon session back to the host and process it came from, hop by hop.

Runs the joins of `origin.py` for the few sessions that need it (the creators' remote
sessions, and the sessions that installed a service) and ranks what they find. Every
choice carries the evidence it rests on; where nothing links two hosts, the origin names
the source address and says the process is unknown.
"""

from __future__ import annotations

import re
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
    evidence: list[str] = field(default_factory=list)
    process: Row | None = None  # the process on the source host that opened the session
    lineage: list[Row] = field(default_factory=list)
    confidence: float = 0.0
    sources: list[Row] = field(default_factory=list)
    previous: Hop | None = None  # when that process itself ran in a remote session


@dataclass
class SessionToTrace:
    target_host: str
    session: Row  # a `logon` row
    chain: list[Row]  # the creating process and its ancestors on the target, nearest first
    via_service: Row | None = None  # the service installation behind the chain, if any


def is_remote(session: Row | None) -> bool:
    """A network or RDP logon that did not come from the host itself."""
    return bool(
        session
        and session["logon_type"] in REMOTE_LOGON_TYPES
        and session["source_ip"] not in _LOOPBACK
    )


class OriginTracer:
    def __init__(
        self,
        engine: Engine,
        tables: dict[str, Any],
        lineage_walker,
        max_hops: int = 3,
        inventory: dict[str, str] | None = None,
        host_names: dict[str, str] | None = None,
    ):
        self.engine, self.t, self.walk = engine, tables, lineage_walker
        self.max_hops = max_hops
        self.inventory = inventory or {}  # address -> host name, given by the user
        self.host_names = host_names or {}  # host key -> the fullest name it was logged under
        self._ip_hosts: list[Row] | None = None

    # --- the session a creation depends on -------------------------------------------------

    def service_behind(self, host: str, chain: list[Row]) -> tuple[Row | None, Row | None]:
        """The installation of the service that started `chain`, and its installer's session."""
        child = next(
            (row for row, parent in _with_parents(chain) if parent == "services.exe"), None
        )
        if child is None:
            return None, None
        wanted = _table([{"w_host": host, "w_time": child["time_us"]}])
        installs = self.engine.rows(joins.service_installs_on(wanted, self.t["service_install"]))
        installs = [r for r in installs if _same_command(r["image_path"], child["command_line"])]
        if not installs:
            return None, None
        install = max(installs, key=lambda r: (r["installer_logon_id"] is not None, r["time_us"]))
        if install["installer_logon_id"] is None:
            return install, None
        sessions = self.engine.rows(
            joins.sessions_by_logon_id(
                _table([{"w_key": "s", "w_host": host, "w_logon": install["installer_logon_id"]}]),
                self.t["logon"],
            )
        )
        return install, (sessions[0] if sessions else None)

    # --- one hop -------------------------------------------------------------------------

    def trace(
        self,
        request: SessionToTrace,
        depth: int = 0,
        seen: frozenset[tuple[str, str]] = frozenset(),
    ) -> Hop | None:
        session = request.session
        if not is_remote(session) or depth >= self.max_hops:
            return None
        key = (request.target_host, session["logon_id"])
        if key in seen:
            return None
        source_ip = session["source_ip"]
        host, host_evidence = self._resolve(source_ip, session["workstation"])
        explicit = None
        if host is None:  # Kerberos network logons often log no address: look for the 4648
            explicit = self._explicit_logon_anywhere(request)
            if explicit is not None:
                host = explicit["host_name"]
                host_evidence = (
                    f"{_basename(explicit['image'])} there used explicit credentials "
                    f"for {explicit['target_server']} at the logon time (4648)"
                )
        hop = Hop(
            host=host,
            host_evidence=host_evidence,
            source_ip=source_ip,
            user=session["user_name"],
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
        if host_evidence:
            hop.evidence.append(f"{source_ip or 'the source'} is {host}: {host_evidence}")
        source_host = host_key(host)
        if source_host is None or source_host == request.target_host:
            hop.confidence = 0.2 if source_ip else 0.0
            return hop
        self._find_process(hop, request, source_host, explicit)
        if hop.process is not None and depth + 1 < self.max_hops:
            hop.previous = self._previous_hop(hop, source_host, depth, seen | {key})
        return hop

    def _previous_hop(self, hop: Hop, source_host: str, depth: int, seen) -> Hop | None:
        logon_id = hop.process.get("logon_id")
        if not logon_id:
            return None
        sessions = self.engine.rows(
            joins.sessions_by_logon_id(
                _table([{"w_key": "s", "w_host": source_host, "w_logon": logon_id}]),
                self.t["logon"],
            )
        )
        if not sessions:
            return None
        chain = [hop.process, *hop.lineage]
        return self.trace(SessionToTrace(source_host, sessions[0], chain), depth + 1, seen)

    def _mechanism(self, request: SessionToTrace) -> str:
        for _, parent in _with_parents(request.chain):
            mechanism = _HOST_MECHANISM.get(parent)
            if mechanism:
                return mechanism
        return "rdp" if request.session["logon_type"] == 10 else "unknown"

    # --- which host is that address? ------------------------------------------------------

    def _resolve(self, ip: str | None, workstation: str | None) -> tuple[str | None, str | None]:
        if ip and ip in self.inventory:
            return self.inventory[ip], "the host inventory (--hosts)"
        if ip:
            for row in self._address_book():
                if row["ip"] == ip:
                    return self.host_names.get(row["host"], row["host"]), row["evidence"]
            answers = self.engine.rows(
                joins.dns_answers(_table([{"request_key": "r", "source_ip": ip}]), self.t["dns"])
            )
            if answers:
                return answers[0]["host_name"], "a Sysmon 22 DNS answer for that address"
        if workstation:
            return workstation, "the WorkstationName of the logon"
        return None, None

    def _address_book(self) -> list[Row]:
        if self._ip_hosts is None:
            rows = self.engine.rows(joins.ip_hosts(self.t["logon"], self.t["connection"]))
            self._ip_hosts = sorted(rows, key=lambda r: (r["evidence"], r["host"]))
        return self._ip_hosts

    def _addresses_of(self, host: str) -> list[str]:
        known = [ip for ip, name in self.inventory.items() if host_key(name) == host]
        return known + [r["ip"] for r in self._address_book() if host_key(r["host"]) == host]

    # --- which process on the source host opened the session? -----------------------------

    def _find_process(
        self, hop: Hop, request: SessionToTrace, source_host: str, explicit: Row | None
    ) -> None:
        session = request.session
        target_ips = self._addresses_of(request.target_host) or [""]  # "" matches no address
        requests = _table(
            [
                {
                    "request_key": "r",
                    "source_host": source_host,
                    "target_host": request.target_host,
                    "target_ip": ip,
                    "logon_time": session["time_us"],
                    "source_ip": hop.source_ip or "",
                }
                for ip in target_ips
            ]
        )
        user = (session["user_name"] or "").lower()
        near = lambda r: abs(r["time_us"] - session["time_us"])  # noqa: E731
        connections = self.engine.rows(joins.connections_to_target(requests, self.t["connection"]))
        connections.sort(key=lambda r: ((r["user_name"] or "").lower() != user, near(r)))
        if connections:
            best = connections[0]
            hop.sources.append(best)
            port = best["dest_port"]
            if hop.mechanism == "unknown":
                hop.mechanism = _PORT_MECHANISM.get(
                    port, "rpc" if port and port >= 49152 else "unknown"
                )
            hop.evidence.append(
                f"{_basename(best['image'])} on {source_host} connected to "
                f"{best['dest_ip']}:{port} {_seconds(best['time_us'] - session['time_us'])} "
                "the logon (Sysmon 3)"
            )
            hop.confidence = 0.9 if (best["user_name"] or "").lower() == user else 0.7
            hop.process = self._process_by_guid(source_host, best["process_guid"]) or _seen_process(
                best, "sysmon-3"
            )
        if explicit is None:
            candidates = self.engine.rows(
                joins.explicit_logons_from(requests, self.t["explicit_logon"])
            )
            candidates = [
                r for r in candidates if host_key(r["target_server"]) == request.target_host
            ]
            explicit = min(candidates, key=near) if candidates else None
        if explicit is not None:
            hop.sources.append(explicit)
            hop.evidence.append(
                f"{_basename(explicit['image'])} (pid {explicit['pid']}) used "
                f"explicit credentials for {explicit['target_server']} (4648)"
            )
            hop.confidence = max(hop.confidence, 0.8)
            if hop.mechanism == "unknown":
                spn = (explicit["target_info"] or "").split("/", 1)[0].lower()
                hop.mechanism = _SPN_MECHANISM.get(spn, "unknown")
            if hop.process is None:
                hop.process = self._process_by_pid(
                    source_host, explicit["pid"], explicit["time_us"]
                ) or _seen_process(explicit, "security-4648")
        commands = self.engine.rows(joins.commands_from(requests, self.t["process"]))
        if commands:
            best = min(commands, key=near)
            hop.evidence.append(
                f"{_basename(best['image'])} named {request.target_host} on its command line"
            )
            hop.confidence = max(hop.confidence, 0.75)
            if hop.process is None:
                hop.process = best
        if hop.process is None:
            hop.confidence = 0.3
        elif hop.process.get("event_key") and hop.process.get("telemetry") in _PROCESS_EVENTS:
            hop.lineage = self.walk(hop.process)
            hop.sources.append(hop.process)

    def _explicit_logon_anywhere(self, request: SessionToTrace) -> Row | None:
        session = request.session
        requests = _table(
            [
                {
                    "request_key": "r",
                    "target_host": request.target_host,
                    "logon_time": session["time_us"],
                }
            ]
        )
        rows = self.engine.rows(joins.explicit_logons_anywhere(requests, self.t["explicit_logon"]))
        user = (session["user_name"] or "").lower()
        rows = [
            r
            for r in rows
            if host_key(r["target_server"]) == request.target_host
            and (r["target_user"] or "").lower() == user
        ]
        return min(rows, key=lambda r: abs(r["time_us"] - session["time_us"])) if rows else None

    def _process_by_pid(self, host: str, pid: int | None, time_us: int) -> Row | None:
        if pid is None:
            return None
        rows = self.engine.rows(
            joins.processes_by_pid(
                _table([{"w_host": host, "w_pid": pid, "w_time": time_us}]), self.t["process"]
            )
        )
        return rows[0] if rows else None

    def _process_by_guid(self, host: str, guid: str | None) -> Row | None:
        if not guid:
            return None
        rows = self.engine.rows(
            joins.processes_by_guid(_table([{"w_host": host, "w_guid": guid}]), self.t["process"])
        )
        return rows[0] if rows else None


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


def _with_parents(chain: list[Row]):
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
