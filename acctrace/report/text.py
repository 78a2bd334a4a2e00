"""The readable summary: one block per created account, most severe first, then the counts.

Logged strings are attacker-controlled: control characters (terminal escapes, newlines)
are shown escaped, never written raw to a terminal.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TextIO

from acctrace.assess.reasons import title
from acctrace.assess.tools import basename
from acctrace.findings import SEVERITY_ORDER, Finding, FollowUp, HuntResult

# C0/C1 controls, Unicode line and paragraph separators (line breaks to many readers),
# bidirectional overrides (text that displays in another order) and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe(value: object) -> str:
    return _CONTROL.sub(_escape, str(value))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def render(result: HuntResult, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(block(finding))
        stream.write("\n")
    stream.write(summary_line(result) + "\n")


def block(f: Finding) -> str:
    a, v = f.account, f.verdict
    basis = "" if f.evidence_basis == "event_4720" else " (seen in the registry only)"
    lines = [
        f"[{v.severity.upper()} {v.score}] {safe(a.name)} ({a.scope} account {safe(a.domain)}\\"
        f"{safe(a.name)}, {safe(a.sid)}) created {f.time} on {safe(f.host)}{_role(f)}{basis}",
        f"  who    {_creator(f)}",
        f"  what   {_process(f)}",
    ]
    if f.lineage:
        lines.append(f"         launched by {_chain(f.lineage)}")
    hop, prefix = f.origin, "  from  "
    while hop is not None:
        process = f", {safe(basename(hop.process.image))}" if hop.process else ""
        lineage = f" <- {_chain(hop.lineage)}" if hop.lineage else ""
        lines.append(
            f"{prefix} {safe(hop.host or 'unresolved host')} ({safe(hop.source_ip)}) via "
            f"{hop.via.mechanism}{process}{lineage} [confidence {hop.confidence}]"
        )
        hop, prefix = hop.origin, "   and  "
    if f.follow_up:
        lines.append(
            "  next   "
            + "; ".join(_follow_up(x) for x in f.follow_up[:6])
            + (f"; ... {len(f.follow_up) - 6} more" if len(f.follow_up) > 6 else "")
        )
    for i, reason in enumerate(v.reasons):
        lines.append(f"  {'why' if i == 0 else '':6} {title(reason.code)}: {safe(reason.text)}")
    lines.append(f"  id     {f.id} ({f.attack.technique})")
    return "\n".join(lines) + "\n"


def _role(f: Finding) -> str:
    return f" ({f.host_role.replace('_', ' ')})" if f.host_role else ""


def _creator(f: Finding) -> str:
    c = f.creator
    if c is None:
        return "unknown (no 4720: Security auditing of account management was not collected)"
    return (
        f"{safe(c.domain)}\\{safe(c.name)} ({c.kind}, {_admin(c.admin)}), logon session "
        f"{c.logon_id}{_session(f)}"
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
    return f": {s.logon_type_name} logon" + (f" from {source}" if source else "") + f" at {s.start}"


def _process(f: Finding) -> str:
    p = f.process
    if p is None:
        return "unknown (see below)"
    return (
        f"{safe(p.image)} pid {p.pid} [{p.telemetry}, confidence {p.confidence}]"
        f"\n         {safe(p.command_line or '(command line not logged)')}"
    )


def _follow_up(x: FollowUp) -> str:
    what = x.action.replace("_", " ")
    if x.group:
        what += f" {safe(x.group.name or x.group.sid)}" + (
            " (privileged)" if x.privileged_group else ""
        )
    if x.action == "logon":
        what += f" type {x.logon_type}" + (f" from {safe(x.source_ip)}" if x.source_ip else "")
    if x.new_name:
        what += f" to {safe(x.new_name)}"
    return f"{what} at {x.time}"


def summary_line(result: HuntResult) -> str:
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
        f"{len(result.files)} files, {read:,} records read, skipped: {skipped_text}; "
        f"{len(result.problems)} input problems; {len(result.findings)} findings"
        + (f" ({by_severity})" if by_severity else "")
    )
