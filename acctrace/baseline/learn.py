"""`acctrace baseline`: recurring account creations in past data, written as *proposed*
approved workflows in the policy format (acctrace/assess/policy.py), for an analyst to review.

A finding is grouped by creator, host role (the host name with digits generalised),
tool chain (creating process and its parent), account-name shape and, inside each group,
the hours of the day it happens. Attack-looking findings are never proposed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from acctrace import knowledge
from acctrace.assess.tools import basename
from acctrace.findings import Finding
from acctrace.pipeline import HuntOptions, ProblemHandler, run
from acctrace.report.casefile import plural
from acctrace.storage.database import EventDatabase

# Reasons that make a creation look like an attack whatever its score: never proposed.
ATTACK_REASONS = frozenset({"hidden_name", "privileged_group", "short_lived", "encoded_command"})
BANDS = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18), ("evening", 18, 24))
_RUNS = re.compile(r"[A-Za-z]+|[0-9]+|[^A-Za-z0-9]")


@dataclass(frozen=True, order=True)
class Key:
    creator: str
    host_role: str
    process: str | None
    parent: str | None
    name_pattern: str


@dataclass
class Group:
    key: Key
    findings: list[Finding] = field(default_factory=list)

    @property
    def days(self) -> int:
        return len({(f.time or "")[:10] for f in self.findings})

    @property
    def bands(self) -> Counter[str]:
        return Counter(hour_band(f.time) for f in self.findings)


@dataclass
class Proposal:
    groups: list[Group]  # proposed, most frequent first
    too_rare: list[Group]
    attack_looking: list[Finding]
    unattributed: int  # no creator to propose (registry-only evidence)


def host_role(host: str | None) -> str:
    """`DC01.corp.local` -> `dc*`; `idm-srv02` -> `idm-srv*`; a name without digits stays."""
    short = (host or "").split(".", 1)[0].lower()
    return re.sub(r"\d+", "*", short) or "*"


def name_pattern(name: str | None) -> str:
    """A glob of the account name's shape: letters and digits generalised, the rest kept.

    `anna.smith` -> `[a-z]*.[a-z]*[a-z]`, `temp07` -> `[a-z]*[0-9]*[0-9]`. The name's last
    character stays a class, so a trailing `$` never matches a pattern learned from names
    without one.
    """
    pieces = _RUNS.findall(name or "")
    parts = []
    for i, piece in enumerate(pieces):
        cls = "[a-z]" if piece.isalpha() else "[0-9]" if piece.isdigit() else None
        if cls is None:
            parts.append(f"[{piece}]" if piece in "[]*?" else piece)
        elif i < len(pieces) - 1:
            parts.append(f"{cls}*")
        else:
            parts.append(f"{cls}*{cls}" if len(piece) > 1 else cls)
    return "".join(parts) or "*"


def hour_band(time: str | None) -> str:
    if not time:
        return "unknown"
    hour = datetime.fromisoformat(time.replace("Z", "+00:00")).hour
    return next(f"{name} {lo:02d}-{hi:02d}" for name, lo, hi in BANDS if lo <= hour < hi)


def looks_like_attack(f: Finding) -> bool:
    high = knowledge.load("scoring")["severities"]["high"]
    codes = {r.code for r in f.verdict.reasons}
    return (
        f.verdict.severity in ("high", "critical")
        or f.verdict.score >= high
        or bool(codes & ATTACK_REASONS)
    )


def key_of(f: Finding) -> Key | None:
    c = f.creator
    if c is None or not c.name:
        return None
    parent = f.lineage[0].image if f.lineage else None
    return Key(
        creator=f"{c.domain}\\{c.name}" if c.domain else c.name,
        host_role=host_role(f.host),
        process=(basename(f.process.image) or None) if f.process else None,
        parent=(basename(parent) or None) if f.process else None,
        name_pattern=name_pattern(f.account.name),
    )


def propose(findings: list[Finding], min_count: int = 3, min_days: int = 2) -> Proposal:
    """Groups seen at least `min_count` times on `min_days` different days become proposals."""
    groups: dict[Key, Group] = {}
    attack, unattributed = [], 0
    for f in findings:
        if looks_like_attack(f):
            attack.append(f)
            continue
        key = key_of(f)
        if key is None:
            unattributed += 1
            continue
        groups.setdefault(key, Group(key)).findings.append(f)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.findings), g.key))
    proposed = [g for g in ordered if len(g.findings) >= min_count and g.days >= min_days]
    rare = [g for g in ordered if g not in proposed]
    return Proposal(proposed, rare, attack, unattributed)


def workflow_of(group: Group, number: int) -> dict:
    k = group.key
    slug = re.sub(r"[^a-z0-9]+", "-", f"{k.creator.split(chr(92))[-1]}-{k.host_role}".lower())
    wf: dict = {
        "name": f"proposed-{number:02d}-{slug.strip('-')}",
        "description": "Proposed by acctrace baseline from past findings; review before adopting.",
        "creators": [k.creator],
        "hosts": [k.host_role],
    }
    if k.process:
        wf["process_images"] = [k.process]
    if k.parent:
        wf["parent_images"] = [k.parent]
    wf["account_names"] = [k.name_pattern]
    return wf


def _comment(group: Group) -> list[str]:
    fs = sorted(group.findings, key=lambda f: f.time or "")
    hosts = sorted({f.host or "?" for f in fs})
    bands = ", ".join(f"{band} UTC x{n}" for band, n in sorted(group.bands.items()))
    severities = Counter(f.verdict.severity for f in fs)
    chain = " <- ".join(x for x in (group.key.process, group.key.parent) if x) or (
        "creating process not seen (no process telemetry, or none in the session): this "
        "workflow does not constrain the tool"
    )
    return [
        f"{len(fs)} creations on {group.days} days, first {fs[0].time}, last {fs[-1].time}",
        f"hosts: {', '.join(hosts[:5])}{' ...' if len(hosts) > 5 else ''}",
        f"tool chain: {chain}",
        f"hours: {bands} (the policy cannot restrict hours: check them yourself)",
        f"severities seen: {', '.join(f'{s} x{n}' for s, n in severities.most_common())}; "
        f"example finding id {fs[0].id} ({fs[0].account.name})",
    ]


def render_policy(proposal: Proposal, sources: list[str]) -> str:
    """The proposals as a commented policy file that `load_policy` accepts."""
    lines = [
        "# PROPOSED approved workflows, learned by `acctrace baseline` from:",
        *[f"#   {s}" for s in sources[:10]],
        "# Each one is what recurred in that data, not what is allowed. Review every entry,",
        "# tighten it (ticket, valid_from/valid_until, narrower names) and delete what you",
        "# do not recognise before using this file with `acctrace hunt --policy`.",
        "# `acctrace hunt --baseline THIS_FILE` reads it as history (first_seen_* reasons).",
        "version: 1",
    ]
    if not proposal.groups:
        lines.append("workflows: []")
    else:
        lines.append("workflows:")
    for number, group in enumerate(proposal.groups, 1):
        lines += [f"  # {c}" for c in _comment(group)]
        body = yaml.safe_dump([workflow_of(group, number)], sort_keys=False, allow_unicode=True)
        lines += [f"  {line}" for line in body.rstrip("\n").splitlines()]
    if proposal.attack_looking:
        ids = ", ".join(f.id for f in proposal.attack_looking[:10])
        lines.append(
            f"# Not proposed: {plural(len(proposal.attack_looking), 'attack-looking creation')} "
            f"(high/critical, or {', '.join(sorted(ATTACK_REASONS))}): {ids}"
        )
    if proposal.too_rare:
        n = sum(len(g.findings) for g in proposal.too_rare)
        lines.append(
            f"# Not proposed: {plural(len(proposal.too_rare), 'combination')} "
            f"({plural(n, 'creation')}) seen too "
            "rarely to call routine."
        )
    if proposal.unattributed:
        lines.append(
            f"# Not proposed: {plural(proposal.unattributed, 'creation')} with no known creator."
        )
    return "\n".join(lines) + "\n"


def learn(
    paths: list[Path],
    min_count: int = 3,
    min_days: int = 2,
    on_problem: ProblemHandler | None = None,
    options: HuntOptions | None = None,
    database: EventDatabase | None = None,
) -> tuple[Proposal, str, int]:
    """Hunt the paths (with a `database`: added to it, then all it holds) and propose
    workflows; returns the proposal, the policy text and the files read (or stored)."""
    result = run(paths, options or HuntOptions(), on_problem=on_problem, database=database)
    proposal = propose(result.findings, min_count, min_days)
    return proposal, render_policy(proposal, [str(p) for p in paths]), len(result.files)
