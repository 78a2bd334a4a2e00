"""Hosts with identical gaps, grouped: the same verdict, the same reason and the same fixes
are shown (and fixed) once for all of them."""

from __future__ import annotations

from dataclasses import dataclass

from acctrace.readiness.report import HostCoverage

_ORDER = {"blind": 0, "partial": 1, "ready": 2}


@dataclass(frozen=True)
class HostGroup:
    verdict: str
    why: str
    fixes: tuple[str, ...]
    hosts: tuple[HostCoverage, ...]

    def names(self, limit: int = 6) -> str:
        """The hosts' names, the first `limit` of them, then how many more."""
        shown = [h.names[0] if h.names else h.host for h in self.hosts[:limit]]
        more = len(self.hosts) - limit
        return ", ".join(shown) + (f", … {more} more" if more > 0 else "")


def group_hosts(hosts: list[HostCoverage]) -> list[HostGroup]:
    """Worst verdict first, then the largest group; hosts keep their order within a group."""
    groups: dict[tuple, list[HostCoverage]] = {}
    for h in hosts:
        groups.setdefault((h.verdict, h.why, tuple(h.fixes)), []).append(h)
    ordered = sorted(groups.items(), key=lambda g: (_ORDER[g[0][0]], -len(g[1]), g[0][1]))
    return [HostGroup(v, why, fixes, tuple(members)) for (v, why, fixes), members in ordered]
