"""Related findings: accounts made in the same creator session, from the same origin, or
with the same tool within minutes, so an analyst reviews them together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from acctrace import knowledge
from acctrace.assess.tools import basename
from acctrace.findings import Finding, Related
from acctrace.normalise.fields import host_key, parse_iso

_SYSTEM_SESSION = "0x3e7"  # every SYSTEM service shares it: not one person's session
Key = Callable[[Finding], tuple | None]


def _session(f: Finding) -> tuple | None:
    if f.creator is None or not f.creator.logon_id:
        return None
    return (host_key(f.host), f.creator.logon_id.lower())


def _origin(f: Finding) -> tuple | None:
    """Who drove it from where: the traced origin's user and host, or the remote session's
    source when it was not traced further."""
    if f.origin is not None:
        where = host_key(f.origin.host) or f.origin.source_ip
        return ((f.origin.user or "").lower(), where) if where else None
    s = f.session
    if s is not None and s.logon_type in (3, 10) and (s.workstation or s.source_ip):
        who = (f.creator.name or "") if f.creator else ""
        return (who.lower(), host_key(s.workstation) or s.source_ip)
    return None


def _tool(f: Finding) -> tuple | None:
    image = basename(f.process.image) if f.process else ""
    return (image,) if image else None


LINKS: dict[str, Key] = {"session": _session, "origin": _origin, "tool": _tool}


def link_related(findings: list[Finding]) -> list[Finding]:
    """Fill each finding's `related` with the others it shares a session, origin or tool
    with: the same origin or tool only within `related_seconds`, the same person's session
    whenever it happened."""
    seconds = knowledge.load("scoring")["related_seconds"]
    when = {f.id: _timestamp(f.time) for f in findings}
    links: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, key in LINKS.items():
        groups: dict[tuple, list[Finding]] = defaultdict(list)
        for f in findings:
            k = key(f)
            if k is not None:
                groups[k].append(f)
        for members in groups.values():
            members.sort(key=lambda f: when[f.id])
            always = name == "session" and _person(members[0])
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    if not always and not when[b.id] - when[a.id] <= seconds:
                        break  # sorted by time: the rest are further away
                    links[(a.id, b.id)].append(name)
                    links[(b.id, a.id)].append(name)
    by_id = {f.id: f for f in findings}
    others: dict[str, list[str]] = defaultdict(list)
    for this, other in links:
        others[this].append(other)
    for f in findings:
        f.related = [
            Related(id=o, account=_account(by_id[o]), links=links[(f.id, o)])
            for o in sorted(others[f.id], key=lambda o: (when[o], o))
        ]
    return findings


def _person(f: Finding) -> bool:
    return f.creator is not None and (f.creator.logon_id or "").lower() != _SYSTEM_SESSION


def _timestamp(iso_time: str | None) -> float:
    if not iso_time:
        return float("inf")
    return parse_iso(iso_time).timestamp()


def _account(f: Finding) -> str | None:
    a = f.account
    return f"{a.domain}\\{a.name}" if a.domain and a.name else a.name
