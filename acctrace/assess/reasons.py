"""The registry of reason codes (knowledge/reasons.yaml) and the one score-to-severity mapping.

Every reason a finding carries is made by `reason(code, text)`, which refuses a code the
registry does not hold; renderers take titles from here, and docs/findings.md's table is
`markdown_table()`.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict

from acctrace import knowledge
from acctrace.findings import SEVERITY_ORDER, Reason, Severity


class ReasonCode(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    title: str
    weight: int
    doc: str
    ceiling: Severity | None = None  # the highest severity a finding with this reason gets


@cache
def registry() -> dict[str, ReasonCode]:
    entries = [ReasonCode(**e) for e in knowledge.load("reasons")["reasons"]]
    return {e.code: e for e in entries}


def reason(code: str, text: str) -> Reason:
    """A finding's reason; raises KeyError for a code missing from knowledge/reasons.yaml."""
    if code not in registry():
        raise KeyError(f"reason code {code!r} is not in knowledge/reasons.yaml")
    return Reason(code=code, text=text)


def title(code: str) -> str:
    """The registered title; a code from an older saved result shows as itself."""
    entry = registry().get(code)
    return entry.title if entry else code


def bands() -> dict[str, tuple[int, int]]:
    """Each severity's (lowest, highest) score: the one mapping from score to severity."""
    floors = sorted(knowledge.load("scoring")["severities"].items(), key=lambda x: x[1])
    return {
        severity: (floor, floors[i + 1][1] - 1 if i + 1 < len(floors) else 100)
        for i, (severity, floor) in enumerate(floors)
    }


def severity_of(score: int) -> Severity:
    return next(s for s, (low, high) in bands().items() if low <= score <= high)  # type: ignore[return-value]


def score_of(reasons: list[Reason]) -> int:
    """Base plus the weights, within 0-100, then lowered into the lowest ceiling's band."""
    entries = [registry()[r.code] for r in reasons if r.code in registry()]
    score = knowledge.load("scoring")["base"] + sum(e.weight for e in entries)
    score = max(0, min(100, score))
    ceilings = [e.ceiling for e in entries if e.ceiling]
    if ceilings:
        lowest = min(ceilings, key=SEVERITY_ORDER.__getitem__)
        score = min(score, bands()[lowest][1])
    return score


def markdown_table() -> str:
    """The reason-code table of docs/findings.md."""
    rows = ["| code | title | weight | when |", "| --- | --- | --- | --- |"]
    for e in registry().values():
        weight = f"{e.weight:+d}" if e.weight else "0"
        if e.ceiling:
            weight += f", at most {e.ceiling}"
        rows.append(f"| `{e.code}` | {e.title} | {weight} | {e.doc} |")
    return "\n".join(rows) + "\n"
