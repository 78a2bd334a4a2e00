"""The readable summary: one block per created account, most severe first, each opening with
its answer in one sentence; then a summary table and the counts.

Logged strings are attacker-controlled: control characters (terminal escapes, newlines)
are shown escaped, never written raw to a terminal. Colour, when asked for, only wraps
text this module wrote.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

import click

from acctrace.assess.reasons import title
from acctrace.assess.tools import basename, decoded_command
from acctrace.findings import SEVERITY_ORDER, Finding, HuntResult
from acctrace.report.casefile import (
    creator_label,
    fit,
    follow_up_text,
    headline,
    plural,
    qualified,
    related_groups,
)
from acctrace.report.inert import inert

# C0/C1 controls, Unicode line and paragraph separators (line breaks to many readers),
# bidirectional overrides (text that displays in another order) and lone surrogates.
_COLOURS = {
    "critical": {"fg": "red", "bold": True},
    "high": {"fg": "red"},
    "medium": {"fg": "yellow"},
    "low": {"fg": "cyan"},
    "info": {"dim": True},
}
_NEXT_SHOWN, _TABLE_ROWS = 6, 10
_SCRIPT_SHOWN = 300  # characters of a script block in the summary; JSON has it whole


def safe(value: object) -> str:
    return inert("unknown" if value is None else str(value))


def render(result: HuntResult, stream: TextIO, color: bool = False, hidden: int = 0) -> None:
    """`hidden`: findings left out below --min-severity, said in the closing line."""
    for finding in result.findings:
        stream.write(block(finding, color))
        stream.write("\n")
    if result.findings:
        stream.write(summary_table(result.findings) + "\n")
    stream.write(summary_line(result, hidden) + "\n")


def severity_tag(f: Finding, color: bool = False) -> str:
    tag = f"[{f.verdict.severity.upper()} {f.verdict.score}]"
    return click.style(tag, **_COLOURS[f.verdict.severity]) if color else tag


def block(f: Finding, color: bool = False) -> str:
    a = f.account
    basis = "" if f.evidence_basis == "event_4720" else ", seen in the registry only"
    lines = [
        f"{severity_tag(f, color)} {safe(headline(f))}",
        f"  account  {safe(qualified(a.domain, a.name))} ({a.scope}, SID {safe(a.sid)}{basis}), "
        f"created {safe(f.time)} on {safe(f.host)}{_role(f)}",
        f"  who      {_creator(f)}",
        f"  what     {_process(f)}",
    ]
    if f.lineage:
        lines.append(f"           launched by {_chain(f.lineage)}")
    hop, prefix = f.origin, "  from   "
    while hop is not None:
        user = f"{safe(qualified(hop.user_domain, hop.user))} on " if hop.user else ""
        process = f", {safe(basename(hop.process.image))}" if hop.process else ""
        lineage = f" <- {_chain(hop.lineage)}" if hop.lineage else ""
        lines.append(
            f"{prefix}  {user}{safe(hop.host or 'an unresolved host')} ({safe(hop.source_ip)}) "
            f"via {hop.via.mechanism}{process}{lineage} [confidence {hop.confidence}]"
        )
        hop, prefix = hop.origin, "   and   "
    if f.follow_up:
        shown = [
            f"{safe(follow_up_text(x, brief=True))} at {safe(x.time)}"
            for x in f.follow_up[:_NEXT_SHOWN]
        ]
        more = len(f.follow_up) - _NEXT_SHOWN
        lines.append("  next     " + "; ".join(shown) + (f"; … {more} more" if more > 0 else ""))
    for i, reason in enumerate(f.verdict.reasons):
        lines.append(f"  {'why' if i == 0 else '':8} {title(reason.code)}: {safe(reason.text)}")
    if f.related:
        lines.append(f"  related  {related_text(f)}")
    lines.append(f"  id       {f.id} ({f.attack.technique})")
    return "\n".join(lines) + "\n"


def related_text(f: Finding) -> str:
    """Grouped by the closest link: "1 other account from this session: CORP\\a (id)"."""
    parts = []
    for words, total, nearest in related_groups(f):
        names = ", ".join(f"{safe(r.account)} ({r.id[:12]})" for r in nearest[:5])
        more = f", … {total - 5} more" if total > 5 else ""
        parts.append(f"{plural(total, 'other account')} {words}: {names}{more}")
    return "; ".join(parts)


def _role(f: Finding) -> str:
    return f" ({f.host_role.replace('_', ' ')})" if f.host_role else ""


def _creator(f: Finding) -> str:
    c = f.creator
    if c is None:
        return "unknown (no 4720: Security auditing of account management was not collected)"
    return (
        f"{safe(qualified(c.domain, c.name))} ({c.kind}, {_admin(c.admin)}), logon session "
        f"{safe(c.logon_id)}{_session(f)}"
    )


def _chain(lineage: list) -> str:
    return " <- ".join(safe(basename(x.image) or f"pid {x.pid}") for x in lineage)


def _admin(admin: bool | None) -> str:
    return {True: "admin", False: "not admin", None: "privileges unknown"}[admin]


def _session(f: Finding) -> str:
    s = f.session
    if s is None:
        return " (its logon was not recorded)"
    source = " / ".join(safe(x) for x in (s.workstation, s.source_ip) if x)
    kind = s.logon_type_name or f"type {s.logon_type}"
    return f": {kind} logon" + (f" from {source}" if source else "") + f" at {safe(s.start)}"


def _process(f: Finding) -> str:
    p = f.process
    if p is None:
        return "unknown (see why)"
    text = (
        f"{safe(p.image)} pid {safe(p.pid)} [{p.telemetry}, confidence {p.confidence}]"
        f"\n           {safe(p.command_line or '(command line not logged)')}"
    )
    script = decoded_command(p.command_line)
    if script:
        text += f"\n           decoded: {safe(script)}"
    if p.script:  # what PowerShell logged it ran (4104), reassembled and redacted
        text += f"\n           script: {safe(fit(p.script, _SCRIPT_SHOWN))}"
    return text


def summary_table(findings: list[Finding]) -> str:
    """Counts by severity, then the busiest hosts and creators with their worst severity."""
    severities = Counter(f.verdict.severity for f in findings)
    lines = [
        "summary  "
        + ", ".join(
            f"{severities[s]} {s}" for s in sorted(severities, key=SEVERITY_ORDER.get, reverse=True)
        )
    ]
    for heading, label in (("host", lambda f: f.host), ("creator", _creator_name)):
        worst: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for f in findings:
            key = safe(label(f))
            counts[key] += 1
            if SEVERITY_ORDER[f.verdict.severity] > SEVERITY_ORDER.get(worst.get(key, ""), -1):
                worst[key] = f.verdict.severity
        rows = sorted(counts, key=lambda k: (-SEVERITY_ORDER[worst[k]], -counts[k], k))
        width = min(max(len(heading), *(len(r) for r in rows[:_TABLE_ROWS])), 48)
        lines.append(f"  {heading:<{width}}  findings  worst")
        for key in rows[:_TABLE_ROWS]:
            lines.append(f"  {fit(key, width):<{width}}  {counts[key]:>8}  {worst[key]}")
        if len(rows) > _TABLE_ROWS:
            lines.append(f"  … {plural(len(rows) - _TABLE_ROWS, heading)} more")
    return "\n".join(lines) + "\n"


def _creator_name(f: Finding) -> str:
    return creator_label(f) if f.creator else "unknown (registry only)"


def summary_line(result: HuntResult, hidden: int = 0) -> str:
    read = sum(f.read for f in result.files)
    skipped: Counter[str] = Counter()
    for f in result.files:
        skipped.update(f.skipped)
    severities = Counter(f.verdict.severity for f in result.findings)
    by_severity = ", ".join(
        f"{severities[s]} {s}"
        for s in sorted(severities, key=SEVERITY_ORDER.__getitem__, reverse=True)
    )
    skipped_text = ", ".join(f"{n} {reason}" for reason, n in sorted(skipped.items())) or "none"
    return (
        f"{plural(len(result.files), 'file')}, {plural(read, 'record')} read, skipped: "
        f"{skipped_text}; {plural(len(result.problems), 'input problem')}; "
        f"{plural(len(result.findings), 'finding')}"
        + (f" ({by_severity})" if by_severity else "")
        + (f"; {hidden} below --min-severity not shown" if hidden else "")
    )
