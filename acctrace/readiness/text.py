"""The coverage document as text that fits a screen: hosts with identical gaps grouped,
each group's fixes printed once, then the estate's top fixes; with `detail`, one block per
host first."""

from __future__ import annotations

from typing import TextIO

from acctrace.readiness.groups import group_hosts
from acctrace.readiness.report import CoverageReport, HostCoverage
from acctrace.report.casefile import fit, plural

_MARK = {
    "evidenced": "yes",
    "absent": "NO",
    "unknown": "?",
    "ready": "ready",
    "partial": "partial",
    "blind": "BLIND",
}


def render(report: CoverageReport, out: TextIO, detail: bool = False) -> None:
    if detail:
        for host in report.hosts:
            _host(host, out)
    counts = {v: sum(h.verdict == v for h in report.hosts) for v in ("ready", "partial", "blind")}
    out.write(
        f"{plural(len(report.hosts), 'host')} from {plural(report.files, 'file')}: "
        f"{counts['ready']} ready, {counts['partial']} partial, {counts['blind']} blind\n"
    )
    for group in group_hosts(report.hosts):
        out.write(
            f"\n{_MARK[group.verdict].upper():<7} {plural(len(group.hosts), 'host')}: "
            f"{group.names()}\n        {group.why}\n"
        )
        for fix, n in group.fixes:
            share = "" if n == len(group.hosts) else f" ({n} of them)"
            out.write(f"   fix  {fix}{share}\n")
    if report.fixes:
        out.write("\nFixes that matter most across the estate:\n")
        name = {h.host: h.names[0] if h.names else h.host for h in report.hosts}
        for i, fix in enumerate(report.fixes, 1):
            hosts = ", ".join(name.get(h, h) for h in fix.hosts[:6]) + (
                f", … {len(fix.hosts) - 6} more" if len(fix.hosts) > 6 else ""
            )
            out.write(f"  {i}. {fix.setting}\n     {plural(len(fix.hosts), 'host')}: {hosts}\n")
    if not detail:
        out.write(
            "\nEach host's channels, telemetry and methods: acctrace coverage PATH... --detail\n"
        )


def _host(h: HostCoverage, out: TextIO) -> None:
    out.write(f"== {h.host} ({', '.join(h.names) or 'name not logged'}): {h.verdict.upper()}\n")
    out.write(f"   {h.why}\n")
    out.write(
        f"   {'channel':<42} {'events':>8} {'per day':>8}  {'first':<24} {'last':<24} notes\n"
    )
    for c in h.channels:
        notes = []
        if not c.whole_log:
            notes.append("extract")
        if c.records_missing:
            notes.append(f"{c.records_missing} record ids missing")
        if c.silent_gaps:
            notes.append(
                f"{plural(len(c.silent_gaps), 'silence')}, longest {c.silent_gaps[0].hours} h"
            )
        out.write(
            f"   {fit(c.channel, 42):<42} {c.events:>8} {c.events_per_day:>8}  "
            f"{c.first or '-':<24} {c.last or '-':<24} {'; '.join(notes)}\n"
        )
    out.write("   telemetry\n")
    for t in h.telemetry:
        out.write(f"     {_MARK[t.status]:<4} {t.label}: {t.detail}\n")
    out.write("   attribution by creation method\n")
    for m in h.methods:
        out.write(f"     {_MARK[m.readiness]:<8} {m.label}: {m.detail}\n")
        for e in m.evidence[:3]:
            out.write(f"              seen: {e}\n")
        for fix in m.fixes:
            out.write(f"              fix:  {fix}\n")
    for c in h.clears:
        out.write(
            f"   CLEARED  {c.log} log at {c.time} by {c.by or 'unknown'} (event {c.event_id})\n"
        )
    for p in h.audit_policy_changes:
        flag = "  <- AN1604 depends on it" if p.blinds_an1604 else ""
        out.write(
            f"   POLICY   {p.subcategory}: {', '.join(p.changes)} at {p.time} by {p.by}{flag}\n"
        )
    out.write("\n")
