"""The `hunt --baseline FILE` hook: reasons for what the learned history has not seen.

FILE is a policy file (usually written by `acctrace baseline`); its workflows are read as
history, not as approval. Three reasons may be appended to a finding, each with a weight
in knowledge/reasons.yaml, and the verdict is re-scored by `verdict.verdict_from`:
`first_seen_creator`, `first_seen_tool` and `burst`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from acctrace import knowledge
from acctrace.assess.policy import Policy, Workflow, load_policy, mismatches
from acctrace.assess.reasons import reason
from acctrace.assess.tools import basename
from acctrace.assess.verdict import verdict_from
from acctrace.findings import Finding, Reason


@dataclass(frozen=True)
class Baseline:
    policy: Policy
    source: str  # the file it came from, named in every reason

    @property
    def known(self) -> list[Workflow]:
        return [w for w in self.policy.workflows if w.creators]


def load_baseline(path: Path) -> Baseline:
    """Raises PolicyError (with the file) when it is not a valid policy file."""
    return Baseline(load_policy(path), path.name)


def apply_baseline(findings: list[Finding], baseline: Baseline | None) -> list[Finding]:
    """Append the baseline's reasons to each finding and re-score it; no baseline, no change."""
    if baseline is None:
        return findings
    bursts = find_bursts(findings)
    for finding in findings:
        extra = novelty_reasons(finding, baseline)
        if finding.id in bursts:
            extra.append(bursts[finding.id])
        if extra:
            finding.verdict = verdict_from([*finding.verdict.reasons, *extra])
    return findings


def _agrees(
    baseline: Baseline, finding: Finding, conditions: tuple[str, ...], required: str | None = None
) -> bool:
    """Some baseline workflow agrees with the finding on these conditions alone (those it
    states); with `required`, only workflows stating that condition count."""
    for w in baseline.known:
        if required and not getattr(w, required):
            continue  # a workflow silent on the tool says nothing about which tool is usual
        stated = {k: getattr(w, k) for k in conditions if getattr(w, k)}
        if not mismatches(Workflow(name=w.name, **stated), baseline.policy, finding):
            return True
    return False


def novelty_reasons(finding: Finding, baseline: Baseline) -> list[Reason]:
    creator = finding.creator
    if creator is None or not (creator.name or creator.sid):
        return []
    who = (
        f"{creator.domain}\\{creator.name}" if creator.domain else str(creator.name or creator.sid)
    )
    known_creator = _agrees(baseline, finding, ("creators",))
    reasons = []
    if not _agrees(baseline, finding, ("creators", "hosts")):
        where = f"on {finding.host} or hosts like it" if known_creator else "on any host"
        reasons.append(
            reason(
                "first_seen_creator",
                f"{who} never created accounts {where} in the baseline {baseline.source}.",
            )
        )
    tool = ("creators", "process_images", "parent_images")
    if known_creator and finding.process and not _agrees(baseline, finding, tool, "process_images"):
        reasons.append(
            reason(
                "first_seen_tool",
                f"{who} never created accounts with {_chain(finding)} in the baseline "
                f"{baseline.source}.",
            )
        )
    return reasons


def _chain(finding: Finding) -> str:
    process = basename(finding.process.image if finding.process else None) or "an unknown process"
    parent = basename(finding.lineage[0].image) if finding.lineage else None
    return f"{process} <- {parent}" if parent else process


def find_bursts(findings: list[Finding]) -> dict[str, Reason]:
    """Findings inside a window of `burst_seconds` holding `burst_count` or more creations
    by one creator; each gets the largest such window it belongs to."""
    scoring = knowledge.load("scoring")
    count, seconds = scoring["burst_count"], scoring["burst_seconds"]
    by_creator: dict[str, list[tuple[float, Finding]]] = {}
    for f in findings:
        if f.creator is None or f.time is None:
            continue
        key = (f.creator.sid or f"{f.creator.domain}\\{f.creator.name}").lower()
        when = datetime.fromisoformat(f.time.replace("Z", "+00:00")).timestamp()
        by_creator.setdefault(key, []).append((when, f))
    bursts: dict[str, tuple[int, Reason]] = {}
    for items in by_creator.values():
        items.sort(key=lambda x: x[0])
        end = 0
        for start in range(len(items)):
            end = max(end, start)
            while end + 1 < len(items) and items[end + 1][0] - items[start][0] <= seconds:
                end += 1
            n = end - start + 1
            if n < count:
                continue
            window = items[start : end + 1]
            span = window[-1][0] - window[0][0]
            c = window[0][1].creator
            who = f"{c.domain}\\{c.name}" if c and c.domain else (c.name if c else "?")
            burst = reason(
                "burst",
                f"One of {n} accounts created by {who} within {span:.0f} s "
                f"({window[0][1].time} to {window[-1][1].time}); more than {count - 1} in "
                f"{seconds} s is a burst.",
            )
            for _, f in window:
                if n > bursts.get(f.id, (0, burst))[0]:
                    bursts[f.id] = (n, burst)
    return {fid: burst for fid, (_, burst) in bursts.items()}
