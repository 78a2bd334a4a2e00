"""The findings table: one row per finding, with search, filters and sorting.

Filters come from the page's query string and are plain equality on a row's field (search
is a case-insensitive substring over the row's text), so a shared link shows the same view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from acctrace.assess.tools import basename
from acctrace.findings import SEVERITY_ORDER, Finding
from acctrace.report.casefile import account_label, creator_label
from acctrace.serve.review import state_of

FILTERS = ("severity", "host", "creator", "tool", "reason", "review")
SORTS = ("time", "severity", "host", "account", "creator", "tool", "review")


@dataclass(frozen=True)
class Row:
    finding: Finding
    time: str
    severity: str
    score: int
    host: str
    account: str
    creator: str
    tool: str
    reasons: tuple[str, ...]
    review: str
    reviewer: str | None

    def sort_key(self, column: str) -> tuple:
        if column == "severity":
            return (SEVERITY_ORDER[self.severity], self.score, self.time)
        return (getattr(self, column), self.time)

    def text(self) -> str:
        f = self.finding
        parts = [f.id, self.host, self.account, self.creator, self.tool, *self.reasons]
        parts += [f.process.command_line or "" if f.process else "", f.account.sid or ""]
        parts += [r.text for r in f.verdict.reasons]
        return "\n".join(parts).lower()


def row(finding: Finding, review: dict[str, Any] | None) -> Row:
    return Row(
        finding=finding,
        time=finding.time or "",
        severity=finding.verdict.severity,
        score=finding.verdict.score,
        host=finding.host or "unknown",
        account=account_label(finding),
        creator=creator_label(finding),
        tool=basename(finding.process.image) if finding.process else "unknown",
        reasons=tuple(r.code for r in finding.verdict.reasons),
        review=state_of(finding, review),
        reviewer=review.get("reviewer") if review else None,
    )


@dataclass(frozen=True)
class View:
    q: str
    filters: dict[str, str]
    since: str
    until: str
    sort: str
    descending: bool

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> View:
        sort = query.get("sort", "severity")
        return cls(
            q=query.get("q", "").strip(),
            filters={k: query[k] for k in FILTERS if query.get(k)},
            since=query.get("since", "").strip(),
            until=query.get("until", "").strip(),
            sort=sort if sort in SORTS else "severity",
            descending=query.get("order", "desc") != "asc",
        )

    def select(self, rows: list[Row]) -> list[Row]:
        chosen = [r for r in rows if self._keeps(r)]
        return sorted(chosen, key=lambda r: r.sort_key(self.sort), reverse=self.descending)

    def _keeps(self, r: Row) -> bool:
        for name, wanted in self.filters.items():
            value = r.reasons if name == "reason" else (getattr(r, name),)
            if wanted not in value:
                return False
        # ISO times compare as text; a bare date as `until` includes that whole day
        if self.since and r.time < self.since:
            return False
        if self.until and r.time[: len(self.until)] > self.until:
            return False
        return not self.q or self.q.lower() in r.text()

    def query(self, **change: str) -> dict[str, str]:
        """This view's query string as a dict, with some parameters changed."""
        current = {"q": self.q, **self.filters, "since": self.since, "until": self.until}
        current |= {"sort": self.sort, "order": "desc" if self.descending else "asc"}
        current |= change
        return {k: v for k, v in current.items() if v}


def facets(rows: list[Row]) -> dict[str, list[str]]:
    """The values each filter can take, from the findings at hand."""
    values: dict[str, set[str]] = {name: set() for name in FILTERS}
    for r in rows:
        for name in FILTERS:
            values[name].update(r.reasons if name == "reason" else (getattr(r, name),))
    ordered = {name: sorted(v) for name, v in values.items()}
    ordered["severity"] = sorted(values["severity"], key=SEVERITY_ORDER.__getitem__, reverse=True)
    return ordered
