"""`validate check`: hunt the logs collected after a plan ran and say, per method, what was
seen, what was attributed, and the exact fix for each gap.

The logs are read three ways, each by the code that already does it: the hunt
(pipeline.run) finds each test account's creation and attributes it; readiness
(collect + judge) tells which telemetry each host keeps, how far back its Security log
reaches and whether it was cleared; a pass over PowerShell 4104 reassembles script blocks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from acctrace import __version__
from acctrace.assess.tools import basename
from acctrace.errors import InputProblem
from acctrace.findings import Ancestor, Finding, Process
from acctrace.normalise.fields import host_key
from acctrace.pipeline import HuntOptions, run
from acctrace.readiness.collect import collect
from acctrace.readiness.judge import build_report
from acctrace.readiness.report import Clear, HostCoverage
from acctrace.readiness.settings import FIXES
from acctrace.validate.fixes import FixAdvice, advice, all_keys
from acctrace.validate.methods import Method
from acctrace.validate.plan import Plan, PlannedMethod
from acctrace.validate.runlog import RunEntry
from acctrace.validate.script_blocks import script_blocks

VALIDATION_SCHEMA = "acctrace-validation/1"
Status = Literal["pass", "partial", "fail", "not_run"]
_PROCESS_FIXES = ("process_creation", "command_line", "parent_name")


class MethodCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    technique: str
    scope: str
    mode: str
    account: str
    status: Status
    ran: Literal["yes", "failed", "unknown"] = Field(description="from the run log")
    host: str | None
    time: str | None
    finding: str | None
    creation: Literal["event_4720", "registry", "not_seen"]
    creator: str | None
    creator_ok: bool | None = Field(description="the run log's user; null without a run log")
    session: str | None
    session_ok: bool | None = Field(description="the session comes from where the run log ran")
    process: str | None
    process_result: Literal["expected", "unexpected", "unknown"]
    expected_process: list[str]
    confidence: float | None
    lineage: list[str]
    lineage_ok: bool | None
    command_line_seen: bool | None = Field(description="null where the method runs no tool")
    script_text: Literal["seen", "not_seen", "not_applicable"]
    deletion_seen: bool
    notes: list[str]
    fixes: list[str] = Field(description="keys into the report's fixes")


class HostRetention(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str
    names: list[str]
    security_first: str | None
    security_last: str | None
    security_events: int
    days: float | None
    reaches_run: bool | None = Field(description="the Security log starts before the run")
    cleared: list[str]


class ValidationReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    validation_schema: str = VALIDATION_SCHEMA
    run_id: str
    plan_created: str
    checked: str
    acctrace_version: str
    knowledge: dict[str, int]
    verdict: Literal["proven", "gaps", "blind"]
    summary: str
    methods: list[MethodCheck]
    hosts: list[HostRetention]
    fixes: list[FixAdvice]
    files: list[str]
    problems: list[str]


def check(
    plan: Plan,
    paths: list[Path],
    run_log: list[RunEntry] | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    now: datetime | None = None,
) -> ValidationReport:
    collection = collect(paths, on_problem)
    hunt = run(paths, HuntOptions())  # its problems are the same inputs': reported once
    coverage = build_report(collection, hunt.findings, [])
    context = _Context(
        plan=plan,
        findings=_by_account(hunt.findings),
        hosts={h.host: h for h in coverage.hosts},
        blocks=script_blocks(paths),
        runs={e.method: e for e in run_log or [] if e.run_id == plan.run_id},
    )
    methods = [_check_method(context, planned) for planned in plan.methods]
    needed = {key for m in methods for key in m.fixes}
    verdict, summary = _verdict(methods)
    return ValidationReport(
        run_id=plan.run_id,
        plan_created=plan.created,
        checked=(now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        acctrace_version=__version__,
        knowledge=hunt.knowledge,
        verdict=verdict,
        summary=summary,
        methods=methods,
        hosts=[_retention(h, context) for h in coverage.hosts],
        fixes=[advice(key) for key in all_keys() if key in needed],
        files=[f"{f.file} sha256:{f.sha256}" for f in hunt.files],
        problems=[str(p) for p in collection.problems],
    )


@dataclass
class _Context:
    plan: Plan
    findings: dict[str, Finding]
    hosts: dict[str, HostCoverage]
    blocks: dict[str, list[str]]
    runs: dict[str, RunEntry]

    def earliest_run(self) -> str | None:
        return min((e.started for e in self.runs.values()), default=None)


def _by_account(findings: list[Finding]) -> dict[str, Finding]:
    """The first creation of each account name (a plan's names are unique per run)."""
    found: dict[str, Finding] = {}
    for f in sorted(findings, key=lambda f: f.time or ""):
        found.setdefault((f.account.name or "").lower(), f)
    return found


class _Gaps:
    """Notes and fix keys gathered while one method is checked."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.fixes: list[str] = []

    def add(self, note: str, *fixes: str) -> None:
        self.notes.append(note)
        self.fixes += [f for f in fixes if f not in self.fixes]


# What a method whose account is not in the logs reports beyond its notes and fixes.
_NOT_SEEN = {
    "time": None,
    "finding": None,
    "creation": "not_seen",
    "creator": None,
    "creator_ok": None,
    "session": None,
    "session_ok": None,
    "process": None,
    "process_result": "unknown",
    "confidence": None,
    "lineage": [],
    "lineage_ok": None,
    "command_line_seen": None,
    "deletion_seen": False,
}


def _check_method(ctx: _Context, planned: PlannedMethod) -> MethodCheck:
    method = ctx.plan.method(planned)
    entry = ctx.runs.get(planned.id)
    gaps = _Gaps()
    base = {
        "id": planned.id,
        "title": planned.title,
        "technique": planned.technique,
        "scope": planned.scope,
        "mode": planned.mode,
        "account": planned.account,
        "ran": "unknown" if entry is None else "yes" if entry.created else "failed",
        "expected_process": list(method.image),
        "script_text": _script_text(ctx, planned, method, entry, gaps),
    }
    finding = ctx.findings.get(planned.account.lower())
    if finding is None:
        if entry is not None and not entry.created:
            gaps.notes.append(f"the script could not create the account: {entry.error}")
        else:
            _unseen(ctx, planned, entry, gaps)
        status: Status = "not_run" if base["ran"] == "failed" else "fail"
        host = entry.host if entry and planned.scope == "local" else None
        return MethodCheck(
            **base, **_NOT_SEEN, status=status, host=host, notes=gaps.notes, fixes=gaps.fixes
        )
    return _seen(ctx, planned, method, entry, finding, base, gaps)


def _seen(
    ctx: _Context,
    planned: PlannedMethod,
    method: Method,
    entry: RunEntry | None,
    finding: Finding,
    base: dict,
    gaps: _Gaps,
) -> MethodCheck:
    creator = _creator(finding)
    creator_ok = None
    if entry is not None and creator is not None:
        creator_ok = creator.lower() == entry.user.lower()
        if not creator_ok:
            gaps.notes.append(f"the creator is {creator}, the run log says {entry.user}")
    if finding.evidence_basis == "registry":
        gaps.add(
            "no 4720: only Sysmon registry events show the creation, and they always name "
            "lsass.exe: the creator and its session stay unknown",
            "account_management",
        )
    _session(finding, ctx.hosts.get(host_key(finding.host) or ""), gaps)
    process, lineage, where = _attributed(finding, planned.scope)
    result = _process_result(ctx, planned, method, finding, process, where, gaps)
    lineage_names = [basename(a.image) or f"pid {a.pid}" for a in lineage]
    lineage_ok = _lineage_ok(method, lineage_names) if result == "expected" else None
    if lineage_ok is False:
        wanted = " <- ".join("/".join(level) for level in method.lineage)
        gaps.notes.append(f"lineage {' <- '.join(lineage_names) or 'unknown'}; expected {wanted}")
    command_line_seen = _command_line(method, planned, process, result, gaps)
    deletion_seen = any(u.action == "deleted" for u in finding.follow_up)
    if not deletion_seen:
        gaps.notes.append(
            "the deletion (4726) is not in the logs"
            + ("" if entry is None or entry.deleted else ": the run log says it failed")
        )
    if (
        planned.scope == "local"
        and finding.evidence_basis == "event_4720"
        and not any(u.action == "group_added" for u in finding.follow_up)
    ):
        gaps.add(
            "the SAM's automatic group adds (4728/4732) are not in the logs",
            "group_management",
        )
    session_ok = _session_ok(planned, finding, entry)
    if session_ok is False:
        gaps.notes.append(f"the session does not come from the test host {entry.host}")  # type: ignore[union-attr]
    complete = (
        result == "expected"
        and not gaps.fixes
        and base["script_text"] != "not_seen"
        and deletion_seen
        and lineage_ok is not False
        and creator_ok is not False
        and session_ok is not False
    )
    wrong = finding.evidence_basis == "registry" or result == "unexpected"
    return MethodCheck(
        **base,
        status="fail" if wrong else "pass" if complete else "partial",
        host=finding.host,
        time=finding.time,
        finding=finding.id,
        creation=finding.evidence_basis,
        creator=creator,
        creator_ok=creator_ok,
        session=_session_text(finding),
        session_ok=session_ok,
        process=process.image if process else None,
        process_result=result,
        confidence=process.confidence if process and process.confidence is not None else None,
        lineage=lineage_names,
        lineage_ok=lineage_ok,
        command_line_seen=command_line_seen,
        deletion_seen=deletion_seen,
        notes=gaps.notes,
        fixes=gaps.fixes,
    )


def _session_ok(planned: PlannedMethod, f: Finding, entry: RunEntry | None) -> bool | None:
    """The creator's session is where the run happened: on the test host itself for a local
    method, a logon coming from the test host for a domain one. Null when either is unknown."""
    if entry is None or f.session is None:
        return None
    if planned.scope == "local":
        return host_key(f.host) == host_key(entry.host)
    # Kerberos network logons often log no workstation: then the traced origin host tells.
    source = host_key(f.session.workstation) or host_key(f.origin.host if f.origin else None)
    return None if source is None else source == host_key(entry.host)


def _creator(f: Finding) -> str | None:
    if f.creator is None or not f.creator.name:
        return None
    return f"{f.creator.domain}\\{f.creator.name}" if f.creator.domain else f.creator.name


def _session(f: Finding, host: HostCoverage | None, gaps: _Gaps) -> None:
    if f.creator is None:
        return
    clear = _last_clear(host, f.time) if f.time else None
    if host is not None and clear is not None and (f.session is None or f.creator.admin is None):
        gaps.add(
            f"the creator's logon (4624/4672) is gone: the Security log of {_cleared(host, clear)}",
            "log_retention",
        )
        return
    if f.session is None:
        gaps.add("the creator's logon session (4624) is not in the logs", "logon")
    if f.creator.admin is None:
        gaps.add("whether the creator held admin rights (4672) is unknown", "special_logon")


def _last_clear(host: HostCoverage | None, before: str | None = None) -> Clear | None:
    """The host's last Security log clear (before `before`, when given)."""
    if host is None:
        return None
    clears = [
        c
        for c in host.clears
        if c.log.lower() == "security" and (before is None or (c.time or "") <= before)
    ]
    return max(clears, key=lambda c: c.time or "", default=None)


def _cleared(host: HostCoverage, clear: Clear) -> str:
    return f"{host.host} was cleared at {clear.time} by {clear.by or 'unknown'}"


def _session_text(f: Finding) -> str | None:
    s = f.session
    if s is None:
        return None
    source = f" from {s.workstation or s.source_ip}" if (s.workstation or s.source_ip) else ""
    return f"{s.logon_id} {s.logon_type_name or s.logon_type} logon{source}"


def _attributed(f: Finding, scope: str) -> tuple[Process | None, list[Ancestor], str]:
    """The creating process. A domain account is made on a DC over the network from the
    test host: there the tool is the process on the host the session came from (the
    origin), and a process in the DC's network session is its server side at best."""
    origin, origin_lineage = (f.origin.process, f.origin.lineage) if f.origin else (None, [])
    if origin is not None and (scope == "domain" or f.process is None):
        return origin, origin_lineage, "origin"
    if f.process is not None:
        return f.process, f.lineage, "host"
    return None, [], "none"


def _process_result(
    ctx: _Context,
    planned: PlannedMethod,
    method: Method,
    finding: Finding,
    process: Process | None,
    where: str,
    gaps: _Gaps,
) -> Literal["expected", "unexpected", "unknown"]:
    if finding.evidence_basis == "registry":
        return "unknown"
    if process is None:
        if planned.scope == "domain":
            gaps.add(
                f"the creation on {finding.host} came over the network; the process on the "
                "host it came from is not named",
                "source_process",
            )
        else:
            host = ctx.hosts.get(host_key(finding.host) or "")
            fixes = _readiness_fixes(host, method)
            if fixes:
                gaps.add("the creating process is unknown", *fixes)
            else:
                gaps.add(
                    "the creating process is unknown although process telemetry is collected: "
                    "acctrace could not single it out among the session's processes"
                )
        return "unknown"
    name = (basename(process.image) or "").lower()
    command_line = (process.command_line or "").lower()
    names_other = bool(command_line) and planned.account.lower() not in command_line
    if name in method.image and not (method.logged_command_line and names_other):
        return "expected"
    if name in method.image:
        gaps.notes.append(
            f"attributed to a {basename(process.image)} whose command line does not name "
            f"{planned.account} (confidence {process.confidence}): the wrong process"
        )
        return "unexpected"
    gaps.notes.append(
        f"attributed to {basename(process.image)} (confidence {process.confidence}), expected "
        f"{' or '.join(method.image)}: a wrong answer with this telemetry"
        + (" on the host the session came from" if where == "origin" else "")
    )
    return "unexpected"


def _readiness_fixes(host: HostCoverage | None, method: Method) -> list[str]:
    """The process settings `coverage` judged missing for this kind of method on the host."""
    if host is None:
        return ["process_creation"]
    texts = next((m.fixes for m in host.methods if m.key == method.readiness), [])
    return [k for k in _PROCESS_FIXES if FIXES[k] in texts]


def _lineage_ok(method: Method, names: list[str]) -> bool:
    lowered = [n.lower() for n in names]
    return len(lowered) >= len(method.lineage) and all(
        name in level for name, level in zip(lowered, method.lineage, strict=False)
    )


def _command_line(
    method: Method, planned: PlannedMethod, process: Process | None, result: str, gaps: _Gaps
) -> bool | None:
    if method.logged_command_line is None or result != "expected" or process is None:
        return None
    seen = planned.account.lower() in (process.command_line or "").lower()
    if not seen:
        gaps.add(
            f"{basename(process.image)} is named but not its command line",
            "command_line",
        )
    return seen


def _script_text(
    ctx: _Context, planned: PlannedMethod, method: Method, entry: RunEntry | None, gaps: _Gaps
) -> Literal["seen", "not_seen", "not_applicable"]:
    if method.mode != "scripted" or (entry is not None and not entry.created):
        return "not_applicable"
    hosts = [host_key(entry.host)] if entry else list(ctx.blocks)
    name = planned.account.lower()
    if any(name in block.lower() for h in hosts for block in ctx.blocks.get(h or "", [])):
        return "seen"
    gaps.add("the script's text (PowerShell 4104) is not in the logs", "script_block")
    return "not_seen"


def _unseen(ctx: _Context, planned: PlannedMethod, entry: RunEntry | None, gaps: _Gaps) -> None:
    """Why a creation that ran is not in the logs: a clear, a log that starts too late, or
    auditing that is off."""
    host = ctx.hosts.get(host_key(entry.host) or "") if entry else None
    started = entry.started if entry else None
    if host is not None and started is not None and planned.scope == "local":
        clear = _last_clear(host)
        if clear is not None and (clear.time or "") >= started:
            gaps.add(
                f"the Security log of {_cleared(host, clear)}, after this method ran ({started})",
                "log_retention",
            )
            return
        first = _security_first(host)
        if first is not None and first > started:
            gaps.add(
                f"the Security log of {host.host} starts at {first}, after this method ran "
                f"({started})",
                "log_retention",
            )
            return
    if planned.scope == "domain":
        where = " on any domain controller in the logs"
    else:
        where = f" on {host.host}" if host else ""
    gaps.add(f"no 4720 for {planned.account}{where}", "account_management")


def _security_first(host: HostCoverage) -> str | None:
    return next((c.first for c in host.channels if c.channel == "Security"), None)


def _verdict(methods: list[MethodCheck]) -> tuple[Literal["proven", "gaps", "blind"], str]:
    tried = [m for m in methods if m.status != "not_run"]
    passed = sum(m.status == "pass" for m in tried)
    seen = sum(m.creation == "event_4720" for m in tried)
    counts = f"{passed} of {len(tried)} methods proven, {seen} creations seen in 4720"
    if tried and passed == len(tried):
        return "proven", counts
    if seen == 0:
        return "blind", counts
    return "gaps", counts


def _retention(host: HostCoverage, ctx: _Context) -> HostRetention:
    security = next((c for c in host.channels if c.channel == "Security"), None)
    first, last = (security.first, security.last) if security else (None, None)
    days = None
    if first and last:
        span = datetime.fromisoformat(last.replace("Z", "+00:00")) - datetime.fromisoformat(
            first.replace("Z", "+00:00")
        )
        days = round(span.total_seconds() / 86_400, 1)
    earliest = ctx.earliest_run()
    return HostRetention(
        host=host.host,
        names=host.names,
        security_first=first,
        security_last=last,
        security_events=security.events if security else 0,
        days=days,
        reaches_run=None if earliest is None or first is None else first <= earliest,
        cleared=[f"{c.log} cleared at {c.time} by {c.by or 'unknown'}" for c in host.clears],
    )
