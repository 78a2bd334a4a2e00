"""The origin of a creation: where the remote session behind it came from, hop by hop.

Plain Python over the rows the correlation gathered (`correlate/trace.py`): which host an
address was, which process there opened the session, how sure that is and why. Where
nothing links two hosts, the origin names the source address and says the process is
unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from acctrace.assess.lineage import ancestors, process_model
from acctrace.assess.tools import basename
from acctrace.correlate.rows import (
    ConnectionRow,
    EventRow,
    ExplicitLogonRow,
    LogonRow,
    ProcessRow,
    ServiceInstallRow,
)
from acctrace.correlate.run import CreationStory
from acctrace.correlate.trace import OriginRows, is_remote, service_child, walkable, with_parents
from acctrace.findings import Origin, Via
from acctrace.normalise.fields import host_key

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
_BY_CONNECTION, _BY_CONNECTION_OTHER_USER = 0.9, 0.7  # Sysmon 3 by the session's user, or not
_BY_EXPLICIT_LOGON, _BY_COMMAND = 0.8, 0.75
_HOST_ONLY = 0.3  # the source host is known, nothing there shows the process
_ADDRESS_ONLY, _NOTHING = 0.2, 0.0  # no host to search: the address alone, or not even that


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
    process: ProcessRow | None = None  # the process on the source host that opened the session
    lineage: list[ProcessRow] = field(default_factory=list)
    confidence: float = 0.0
    sources: list[EventRow] = field(default_factory=list)
    previous: Hop | None = None  # when that process itself ran in a remote session
    explicit: ExplicitLogonRow | None = field(default=None, repr=False)  # placed the source
    # The record that names the process: a Sysmon 3 (by GUID) or a 4648 (by PID).
    link: ConnectionRow | ExplicitLogonRow | None = field(default=None, repr=False)


@dataclass
class SessionToTrace:
    key: str  # the caller's name for this request (an account creation's event key)
    target_host: str
    session: LogonRow
    chain: list[ProcessRow]  # the process and its ancestors on the target, nearest first
    via_service: ServiceInstallRow | None = None  # the service installation behind the chain


def trace_origins(
    chains: dict[str, tuple[CreationStory, list[ProcessRow]]], rows: OriginRows
) -> dict[str, tuple[Hop | None, ServiceInstallRow | None]]:
    """For each creation (by key: its story and the creating chain), where the creator's
    remote session came from; for a service-launched chain, where the session that
    installed the service came from. Values are the hop and the installation."""
    services = {key: service_behind(chain, rows) for key, (_, chain) in chains.items() if chain}
    requests = []
    for key, (story, chain) in chains.items():
        install, installer_session = services.get(key, (None, None))
        session = story.session if is_remote(story.session) else installer_session
        if session is not None:
            requests.append(
                SessionToTrace(key, story.creation["host"], session, chain, via_service=install)
            )
    hops = OriginTracer(rows).trace_all(requests)
    return {key: (hops.get(key), services.get(key, (None, None))[0]) for key in chains}


def service_behind(
    chain: list[ProcessRow], rows: OriginRows
) -> tuple[ServiceInstallRow | None, LogonRow | None]:
    """The installation of the service that started a chain, and the session that installed
    it: of the installations matching its command, one that names its installer, the latest."""
    if service_child(chain) is None:
        return None, None
    installs = rows.installs.get(chain[0]["event_key"], [])
    if not installs:
        return None, None
    install = max(
        installs, key=lambda r: (r["installer_logon_id"] is not None, r["time_us"], r["event_key"])
    )
    logon_id = install["installer_logon_id"]
    return install, rows.sessions.get((chain[0]["host"], logon_id)) if logon_id else None


class OriginTracer:
    """Follows sessions back over the gathered rows, every request of a hop level at once
    (a session traced for one creation is not traced again deeper for another)."""

    def __init__(self, rows: OriginRows):
        self.rows = rows
        book: dict[str, tuple[str, str]] = {}
        for row in rows.addresses:  # sorted: the first evidence kind first
            book.setdefault(row["ip"], (row["host"], row["evidence"]))
        self.book = book

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
            and depth < self.rows.max_hops
            and (r.target_host, r.session["logon_id"]) not in seen
        ]
        if not todo:
            return {}
        hops = {r.key: self._start(r) for r in todo}
        for r in todo:
            hop = hops[r.key]
            self._resolve(hop, r)
            if _searchable(hop, r):
                self._find_process(hop, r)
            else:
                hop.confidence = _ADDRESS_ONLY if hop.source_ip else _NOTHING
            if walkable(hop.process):
                hop.lineage = self.rows.lineages.get(hop.process["event_key"], [])
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
            mechanism=_mechanism(request),
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
        following = []
        for r in todo:
            hop = hops[r.key]
            source = host_key(hop.host)
            if not (hop.process and hop.process.get("logon_id") and source):
                continue
            session = self.rows.sessions.get((source, hop.process["logon_id"]))
            if session is not None:
                chain = [hop.process, *hop.lineage]
                following.append(SessionToTrace(r.key, source, session, chain))
        for key, previous in self.trace_all(following, depth + 1, seen).items():
            hops[key].previous = previous

    # --- which host is that address? ------------------------------------------------------

    def _resolve(self, hop: Hop, r: SessionToTrace) -> None:
        """The host at the source address, by the strongest evidence there is: the user's
        inventory, the telemetry's own address book, a DNS answer, the logon's workstation
        name, or a 4648 on another host naming the target at the logon time."""
        ip, inventory = r.session["source_ip"], self.rows.inventory
        answers = self.rows.dns.get(ip or "")
        if ip and ip in inventory:
            hop.host, hop.host_evidence = inventory[ip], "the host inventory (--hosts)"
        elif ip and ip in self.book:
            host, hop.host_evidence = self.book[ip]
            hop.host = self.rows.host_names.get(host, host)
        elif ip and answers:
            hop.host, hop.host_evidence = answers[-1], "a Sysmon 22 DNS answer for that address"
        elif r.session["workstation"]:
            hop.host = r.session["workstation"]
            hop.host_evidence = "the WorkstationName of the logon"
        elif (explicit := self._explicit_logon_anywhere(r)) is not None:
            hop.host = explicit["host_name"]
            hop.host_evidence = (
                f"{basename(explicit['image'])} there used explicit credentials "
                f"for {explicit['target_server']} at the logon time (4648)"
            )
            hop.explicit = explicit
        if hop.host_evidence:
            hop.evidence.append(
                f"{hop.source_ip or 'the source'} is {hop.host}: {hop.host_evidence}"
            )

    def _explicit_logon_anywhere(self, r: SessionToTrace) -> ExplicitLogonRow | None:
        """Kerberos network logons often log no address: the 4648 on the source names them."""
        user = (r.session["user_name"] or "").lower()
        rows = [
            x
            for x in self.rows.explicit_anywhere.get(r.session["event_key"], [])
            if host_key(x["target_server"]) == r.target_host
            and (x["target_user"] or "").lower() == user
        ]
        return min(rows, key=lambda x: _nearest(x, r)) if rows else None

    # --- which process on the source host opened the session? -----------------------------

    def _find_process(self, hop: Hop, r: SessionToTrace) -> None:
        near = self.rows.near_source[(r.session["event_key"], host_key(hop.host))]
        _judge_connection(hop, r, near.connections)
        _judge_explicit(hop, r, near.explicit)
        _judge_command(hop, r, near.commands)
        if hop.link is not None:
            hop.process = self._process_of(hop.link)
        if hop.process is None:
            hop.confidence = _HOST_ONLY

    def _process_of(self, link: ConnectionRow | ExplicitLogonRow) -> ProcessRow:
        """The process record behind a Sysmon 3 (by GUID) or a 4648 (by PID); without one,
        the process as the event it caused shows it."""
        if link["event_id"] == 4648:
            found = self.rows.by_pid.get(link["event_key"])
            return found if found is not None else _seen_process(link, "security-4648")
        found = self.rows.by_guid.get((link["host"], link.get("process_guid")))
        return found if found is not None else _seen_process(link, "sysmon-3")


def _judge_connection(hop: Hop, r: SessionToTrace, rows: list[ConnectionRow]) -> None:
    """A connection to the target around the logon, the session's user's first."""
    if not rows:
        return
    user = (r.session["user_name"] or "").lower()
    best = min(rows, key=lambda x: ((x["user_name"] or "").lower() != user, *_nearest(x, r)))
    port = best["dest_port"]
    hop.sources.append(best)
    if hop.mechanism == "unknown":
        hop.mechanism = _PORT_MECHANISM.get(port, "rpc" if port and port >= 49152 else "unknown")
    hop.evidence.append(
        f"{basename(best['image'])} on {host_key(hop.host)} connected to "
        f"{best['dest_ip']}:{port} {_seconds(best['time_us'] - r.session['time_us'])} "
        "the logon (Sysmon 3)"
    )
    same_user = (best["user_name"] or "").lower() == user
    hop.confidence = _BY_CONNECTION if same_user else _BY_CONNECTION_OTHER_USER
    hop.link = best


def _judge_explicit(hop: Hop, r: SessionToTrace, rows: list[ExplicitLogonRow]) -> None:
    """A 4648 on the source naming the target: the one that placed the source, if any."""
    candidates = [x for x in rows if host_key(x["target_server"]) == r.target_host]
    explicit = hop.explicit or (
        min(candidates, key=lambda x: _nearest(x, r)) if candidates else None
    )
    if explicit is None:
        return
    hop.sources.append(explicit)
    hop.evidence.append(
        f"{basename(explicit['image'])} (pid {explicit['pid']}) used "
        f"explicit credentials for {explicit['target_server']} (4648)"
    )
    hop.confidence = max(hop.confidence, _BY_EXPLICIT_LOGON)
    if hop.mechanism == "unknown":
        spn = (explicit["target_info"] or "").split("/", 1)[0].lower()
        hop.mechanism = _SPN_MECHANISM.get(spn, "unknown")
    if hop.link is None:
        hop.link = explicit


def _judge_command(hop: Hop, r: SessionToTrace, rows: list[ProcessRow]) -> None:
    """A process on the source whose command line names the target."""
    if not rows:
        return
    best = min(rows, key=lambda x: _nearest(x, r))
    hop.evidence.append(f"{basename(best['image'])} named {r.target_host} on its command line")
    hop.confidence = max(hop.confidence, _BY_COMMAND)
    if hop.link is None:
        hop.process = best


def _mechanism(request: SessionToTrace) -> str:
    for _, parent in with_parents(request.chain):
        mechanism = _HOST_MECHANISM.get(parent)
        if mechanism:
            return mechanism
    return "rdp" if request.session["logon_type"] == 10 else "unknown"


def _nearest(row: EventRow, request: SessionToTrace) -> tuple[int, str]:
    """Closest in time to the logon; the event key breaks ties the same on every engine."""
    return abs(row["time_us"] - request.session["time_us"]), row["event_key"]


def _searchable(hop: Hop, request: SessionToTrace) -> bool:
    source = host_key(hop.host)
    return source is not None and source != request.target_host


def _seen_process(row: ConnectionRow | ExplicitLogonRow, telemetry: str) -> ProcessRow:
    """A process known only from an event it caused (its own start was not in the data)."""
    seen = dict.fromkeys(ProcessRow.__annotations__)
    seen.update(
        host=row["host"],
        image=row["image"],
        pid=row["pid"],
        process_guid=row.get("process_guid"),
        user_name=row.get("user_name"),
        user_domain=row.get("user_domain"),
        telemetry=telemetry,
    )
    return seen  # type: ignore[return-value]  # every column of a process row


def _seconds(delta_us: int) -> str:
    seconds = delta_us / 1_000_000
    return f"{abs(seconds):.1f} s {'after' if seconds >= 0 else 'before'}"


def origin_model(hop: Hop) -> Origin:
    process = hop.process
    return Origin(
        host=hop.host,
        host_evidence=hop.host_evidence,
        source_ip=hop.source_ip,
        user=hop.user,
        user_domain=hop.user_domain,
        process=process_model(process) if process else None,
        lineage=ancestors(process, hop.lineage) if process else [],
        via=Via(mechanism=hop.mechanism, evidence=hop.evidence),
        confidence=round(hop.confidence, 2),
        origin=origin_model(hop.previous) if hop.previous else None,
    )


def hop_sources(hop: Hop | None) -> list[EventRow]:
    rows: list[EventRow] = []
    while hop is not None:
        rows += hop.sources + hop.lineage
        hop = hop.previous
    return rows
