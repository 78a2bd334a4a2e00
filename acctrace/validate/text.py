"""The validation report as text: one block per method, the hosts' retention, the fixes."""

from __future__ import annotations

from typing import TextIO

from acctrace.report.text import safe
from acctrace.validate.check import MethodCheck, ValidationReport

_STATUS = {"pass": "PASS", "partial": "PARTIAL", "fail": "FAIL", "not_run": "NOT RUN"}
_YES_NO = {True: "yes", False: "NO", None: "?"}


def render(report: ValidationReport, out: TextIO) -> None:
    out.write(
        f"acctrace validation run {report.run_id}: {report.verdict.upper()} ({report.summary})\n\n"
    )
    for m in report.methods:
        _method(m, out)
    out.write("Security log retention per host:\n")
    for h in report.hosts:
        reach = {True: "reaches the run", False: "STARTS AFTER THE RUN", None: ""}[h.reaches_run]
        out.write(
            f"  {safe(h.host):<20} {h.security_events:>7} events  {h.security_first or '-'} to "
            f"{h.security_last or '-'}  ({h.days if h.days is not None else '?'} days) {reach}\n"
        )
        for clear in h.cleared:
            out.write(f"  {'':<20} {safe(clear)}\n")
    if report.fixes:
        out.write("\nFixes:\n")
        for fix in report.fixes:
            out.write(f"  [{fix.key}] {fix.setting}\n")
            for command in fix.commands:
                out.write(f"      {command}\n")
            if fix.sysmon:
                out.write("      Sysmon (inside <EventFiltering>):\n")
                for line in fix.sysmon.splitlines():
                    out.write(f"        {line}\n")
    for problem in report.problems:
        out.write(f"problem: {safe(problem)}\n")


def _method(m: MethodCheck, out: TextIO) -> None:
    out.write(
        f"{_STATUS[m.status]:<8} {m.title} [{m.technique}, {m.scope}, {m.mode}] "
        f"account {m.account}\n"
    )
    seen = {"event_4720": "yes (4720)", "registry": "registry only", "not_seen": "NO"}
    out.write(f"         created:  {seen[m.creation]}{_at(m)}\n")
    if m.creation != "not_seen":
        creator = f"{safe(m.creator or '?')} (run log: {_YES_NO[m.creator_ok]})"
        session = f"{safe(m.session or 'unknown')} (where the run was: {_YES_NO[m.session_ok]})"
        out.write(f"         creator:  {creator}; session {session}\n")
        process = safe(m.process or "unknown")
        confidence = f", confidence {m.confidence}" if m.confidence is not None else ""
        expected = " or ".join(m.expected_process)
        judged = {
            "expected": "as expected",
            "unexpected": f"WRONG, expected {expected}",
            "unknown": f"expected {expected}",
        }[m.process_result]
        out.write(f"         process:  {process} ({judged}{confidence})\n")
        if m.lineage:
            out.write(f"         lineage:  {safe(' <- '.join(m.lineage))}\n")
        out.write(f"         deleted:  {_YES_NO[m.deletion_seen]}\n")
    if m.script_text != "not_applicable":
        out.write(f"         script:   {m.script_text.replace('_', ' ')} (4104)\n")
    for note in m.notes:
        out.write(f"         gap:      {safe(note)}\n")
    if m.fixes:
        out.write(f"         fix:      {', '.join(m.fixes)} (below)\n")
    out.write("\n")


def _at(m: MethodCheck) -> str:
    return f" on {safe(m.host)} at {m.time}" if m.host and m.time else ""
