"""Hosts with the same gap, grouped: the same verdict for the same reason is shown once,
with the fixes its hosts need, each printed once with how many of them need it."""

from __future__ import annotations

from dataclasses import dataclass

from acctrace.readiness.report import HostCoverage

_ORDER = {"blind": 0, "partial": 1, "ready": 2}


@dataclass(frozen=True)
class HostGroup:
    verdict: str
    why: str
    fixes: tuple[tuple[str, int], ...]  # each fix and how many of the hosts need it
    hosts: tuple[HostCoverage, ...]

    def names(self, limit: int = 6) -> str:
        """The hosts' names, the first `limit` of them, then how many more."""
        shown = [h.names[0] if h.names else h.host for h in self.hosts[:limit]]
        more = len(self.hosts) - limit
        return ", ".join(shown) + (f", … {more} more" if more > 0 else "")


def group_hosts(hosts: list[HostCoverage]) -> list[HostGroup]:
    """Worst verdict first, then the largest group; hosts keep their order within a group."""
    groups: dict[tuple[str, str], list[HostCoverage]] = {}
    for h in hosts:
        groups.setdefault((h.verdict, h.why), []).append(h)
    ordered = sorted(groups.items(), key=lambda g: (_ORDER[g[0][0]], -len(g[1]), g[0][1]))
    return [HostGroup(v, why, _fixes(members), tuple(members)) for (v, why), members in ordered]


def _fixes(hosts: list[HostCoverage]) -> tuple[tuple[str, int], ...]:
    """Every fix any of the hosts needs, the most needed first (then in the order given)."""
    counts: dict[str, int] = {}
    for h in hosts:
        for fix in h.fixes:
            counts[fix] = counts.get(fix, 0) + 1
    return tuple(sorted(counts.items(), key=lambda x: -x[1]))
