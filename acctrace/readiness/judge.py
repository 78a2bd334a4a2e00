"""From statistics to judgments: what each host's logs show, and what acctrace can do with them.

Wording is deliberately modest: logs prove that something was collected; that a setting
was off can only be inferred, and only from a whole log (not from a filtered extract).
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from acctrace.assess.tools import basename
from acctrace.findings import Finding
from acctrace.normalise.fields import host_key, iso
from acctrace.readiness import collect as raw
from acctrace.readiness.collect import ChannelStats, Collection, HostStats, day_count
from acctrace.readiness.report import (
    AuditPolicyChange,
    ChannelCoverage,
    Clear,
    CoverageReport,
    Fix,
    HostCoverage,
    Method,
    RecordGap,
    SilentGap,
    Telemetry,
)
from acctrace.readiness.settings import (
    CRITICAL_SUBCATEGORIES,
    FIXES,
    POLICY_CHANGES,
    SUBCATEGORIES,
)

WHOLE_LOG_MIN_EVENTS = 20
WHOLE_LOG_MIN_SHARE = 0.5
WHOLE_LOG_MIN_US = 3600 * 1_000_000  # seconds of log cannot show that something never happens
SILENCE_MIN_EVENTS = 50
SILENCE_MIN_US = 3600 * 1_000_000
SILENCE_MEDIANS = 50  # a silence is this many median inter-event gaps, and at least an hour
_LISTED = 5
ACCOUNT_MANAGEMENT_IDS = (4720, 4722, 4724, 4738, 4726, 4798, 4799)


def _is_security(c: str) -> bool:
    return c == "security"


def _is_sysmon(c: str) -> bool:
    return "sysmon" in c


def _is_powershell(c: str) -> bool:
    return c in ("microsoft-windows-powershell/operational", "powershellcore/operational")


def _is_system(c: str) -> bool:
    return c == "system"


@dataclass(frozen=True)
class _Spec:
    key: str
    label: str
    channel: Callable[[str], bool]
    channel_name: str
    event_ids: tuple[int, ...]


TELEMETRY = (
    _Spec(
        "account_management",
        "Account management auditing (4720, 4722/4724/4738/4726/4798/4799)",
        _is_security,
        "Security",
        ACCOUNT_MANAGEMENT_IDS,
    ),
    _Spec("process_4688", "Process creation (Security 4688)", _is_security, "Security", (4688,)),
    _Spec("sysmon_1", "Sysmon process creation (1)", _is_sysmon, "Sysmon", (1,)),
    _Spec("logon_4624", "Logons (4624)", _is_security, "Security", (4624,)),
    _Spec(
        "special_logon_4672", "Special-privilege logons (4672)", _is_security, "Security", (4672,)
    ),
    _Spec(
        "powershell_4104",
        "PowerShell script block logging (4104)",
        _is_powershell,
        "PowerShell Operational",
        (4104,),
    ),
    _Spec("sysmon_3", "Sysmon network connections (3)", _is_sysmon, "Sysmon", (3,)),
    _Spec("sysmon_12_13", "Sysmon registry events (12/13)", _is_sysmon, "Sysmon", (12, 13)),
    _Spec(
        "service_install",
        "Service installs (System 7045, Security 4697)",
        lambda c: _is_system(c) or _is_security(c),
        "System or Security",
        (7045, 4697),
    ),
)


def build_report(
    collection: Collection, findings: Iterable[Finding], problems: list[str]
) -> CoverageReport:
    by_host: dict[str, list[Finding]] = {}
    for f in findings:
        by_host.setdefault(host_key(f.host) or "", []).append(f)
    hosts = [
        judge_host(stats, by_host.get(key, [])) for key, stats in sorted(collection.hosts.items())
    ]
    return CoverageReport(
        hosts=hosts, fixes=estate_fixes(hosts), files=len(collection.tallies), problems=problems
    )


def judge_host(stats: HostStats, findings: list[Finding]) -> HostCoverage:
    channels = {key: channel_coverage(c) for key, c in stats.channels.items()}
    telemetry = {spec.key: _telemetry(spec, stats, channels) for spec in TELEMETRY}
    methods = _methods(stats, telemetry, channels, findings)
    verdict, why = _verdict(telemetry, methods)
    fixes = list(dict.fromkeys(fix for m in methods for fix in m.fixes))
    return HostCoverage(
        host=stats.host,
        names=sorted(stats.names),
        verdict=verdict,
        why=why,
        channels=sorted(channels.values(), key=lambda c: -c.events),
        telemetry=list(telemetry.values()),
        methods=methods,
        clears=[_clear(c) for c in stats.clears],
        audit_policy_changes=[_policy_change(p) for p in stats.policy_changes],
        findings=len(findings),
        fixes=fixes,
    )


# --- channels -------------------------------------------------------------------------


def channel_coverage(c: ChannelStats) -> ChannelCoverage:
    order = sorted(range(len(c.times)), key=lambda i: (c.times[i], c.records[i]))
    times = [c.times[i] for i in order]
    records = [c.records[i] for i in order]
    known = sorted({r for r in c.records if r >= 0})
    jumps = [
        RecordGap(after=a, before=b, missing=b - a - 1)
        for a, b in itertools.pairwise(known)
        if b - a > 1
    ]
    span = (known[-1] - known[0] + 1) if known else 0
    missing = span - len(known)
    days = day_count(c.times)
    return ChannelCoverage(
        channel=c.channel,
        events=c.events,
        duplicates=c.duplicates,
        first=iso(times[0]) if times else None,
        last=iso(times[-1]) if times else None,
        days_with_events=days,
        events_per_day=round(len(times) / days, 1) if days else 0.0,
        event_ids={str(k): v for k, v in c.event_ids.most_common()},
        record_range=(known[0], known[-1]) if known else None,
        records_missing=missing,
        whole_log=c.events >= WHOLE_LOG_MIN_EVENTS
        and bool(span)
        and len(known) / span >= WHOLE_LOG_MIN_SHARE
        and bool(times)
        and times[-1] - times[0] >= WHOLE_LOG_MIN_US,
        record_gaps=sorted(jumps, key=lambda g: -g.missing)[:_LISTED],
        silent_gaps=_silences(times, records),
    )


def _silences(times: list[int], records: list[int]) -> list[SilentGap]:
    """Silences far longer than the channel's usual pace, and whether records vanished in them."""
    if len(times) < SILENCE_MIN_EVENTS:
        return []
    gaps = [b - a for a, b in itertools.pairwise(times)]
    threshold = max(SILENCE_MIN_US, SILENCE_MEDIANS * statistics.median(gaps))
    found = []
    for i, gap in enumerate(gaps):
        if gap < threshold:
            continue
        before, after = records[i], records[i + 1]
        lost = after - before - 1 if before >= 0 and after >= 0 and after > before else None
        found.append(
            SilentGap(
                start=iso(times[i]) or "",
                end=iso(times[i + 1]) or "",
                hours=round(gap / 3.6e9, 1),
                records_missing=lost,
            )
        )
    return sorted(found, key=lambda g: -g.hours)[:_LISTED]


# --- telemetry ------------------------------------------------------------------------


def _telemetry(spec: _Spec, stats: HostStats, channels: dict[str, ChannelCoverage]) -> Telemetry:
    events = stats.count(spec.channel, *spec.event_ids)
    present = [channels[k] for k in channels if spec.channel(k)]
    if events:
        return Telemetry(
            key=spec.key,
            label=spec.label,
            status="evidenced",
            events=events,
            detail=_evidence_detail(spec.key, stats, events),
        )
    whole = [c for c in present if c.whole_log]
    if whole:
        c = whole[0]
        return Telemetry(
            key=spec.key,
            label=spec.label,
            status="absent",
            events=0,
            detail=f"none in the {c.channel} log from this host ({c.events} events, {c.first} to "
            f"{c.last}); {_ABSENT_MEANS.get(spec.key, 'it is probably not enabled')}",
        )
    if present:
        c = present[0]
        return Telemetry(
            key=spec.key,
            label=spec.label,
            status="unknown",
            events=0,
            detail=f"the {c.channel} events here are only an extract or a short stretch "
            f"({c.events} events, {c.first} to {c.last}, {c.records_missing} record ids of their "
            "range missing): nothing can be concluded from what is not there",
        )
    return Telemetry(
        key=spec.key,
        label=spec.label,
        status="unknown",
        events=0,
        detail=f"no {spec.channel_name} log from this host in the data",
    )


_ABSENT_MEANS = {
    "account_management": "either no account was managed in that time or Audit User Account "
    "Management is off",
    "service_install": "either no service was installed in that time or the events are not audited",
    "sysmon_12_13": "the Sysmon configuration probably does not include these registry keys",
    "sysmon_3": "the Sysmon configuration probably excludes network events",
}


def _share(stats: HostStats, source: str, name: str, total: int) -> str:
    return f"{name} populated in {stats.populated[(source, name)]} of {total}"


def _evidence_detail(key: str, stats: HostStats, events: int) -> str:
    if key == "process_4688":
        return (
            f"{events} events; {_share(stats, '4688', 'CommandLine', events)}; "
            f"{_share(stats, '4688', 'ParentProcessName', events)}"
        )
    if key == "sysmon_1":
        return f"{events} events; {_share(stats, 'sysmon-1', 'ProcessGuid', events)}"
    if key == "logon_4624":
        with_source = stats.populated[("4624", "IpAddress")]
        return f"{events} events; {with_source} carry a remote source address"
    return f"{events} events"


def _populated(stats: HostStats, source: str, name: str, total: int) -> bool:
    return total > 0 and stats.populated[(source, name)] * 2 >= total


# --- attribution readiness per creation method ----------------------------------------


@dataclass
class _Have:
    accounts: bool
    process: bool
    command_line: bool
    parent: bool
    logon: bool
    logon_source: bool
    privileges: bool
    script_block: bool
    services: bool
    sam_registry: bool


def _have(stats: HostStats, t: dict[str, Telemetry], channels: dict[str, ChannelCoverage]) -> _Have:
    n4688, n1 = t["process_4688"].events, t["sysmon_1"].events
    evidenced = {k for k, v in t.items() if v.status == "evidenced"}
    return _Have(
        accounts="account_management" in evidenced,
        process=bool(n4688 or n1),
        command_line=bool(n1) or _populated(stats, "4688", "CommandLine", n4688),
        parent=bool(n1) or _populated(stats, "4688", "ParentProcessName", n4688),
        logon="logon_4624" in evidenced,
        logon_source=stats.populated[("4624", "IpAddress")] > 0,
        privileges="special_logon_4672" in evidenced,
        script_block="powershell_4104" in evidenced,
        # 7045 needs no audit setting: a collected System log would show an install.
        services="service_install" in evidenced or "system" in channels,
        sam_registry="sysmon_12_13" in evidenced,
    )


_METHODS = {
    "net_user": "net user on the host",
    "powershell": "PowerShell (New-LocalUser, New-ADUser, ADSI)",
    "mmc": "MMC snap-in (lusrmgr.msc, dsa.msc)",
    "remote": "remote session from another host",
    "service_shell": "service-launched SYSTEM shell",
    "registry_only": "registry-only evidence (Sysmon 13 on the SAM)",
}


def _methods(
    stats: HostStats,
    t: dict[str, Telemetry],
    channels: dict[str, ChannelCoverage],
    findings: list[Finding],
) -> list[Method]:
    h = _have(stats, t, channels)
    base_fixes = [] if h.accounts else ["account_management"]
    process_fixes = [] if h.process else ["process_creation"]
    if h.process and not h.command_line:
        process_fixes.append("command_line")
    evidence = _evidence(findings)
    out = []

    def method(key: str, ready: bool, partial: bool, fixes: list[str], detail: str) -> None:
        readiness = "ready" if ready else "partial" if partial else "blind"
        out.append(
            Method(
                key=key,
                label=_METHODS[key],
                readiness=readiness,
                names_process=h.accounts and h.process and key != "registry_only",
                detail=detail,
                fixes=[FIXES[f] for f in dict.fromkeys(fixes)],
                evidence=evidence.get(key, []),
            )
        )

    seen = h.accounts and h.process
    method(
        "net_user",
        seen and h.command_line,
        seen,
        base_fixes + process_fixes,
        _detail(h, "net.exe / net1.exe and the `user NAME /add` arguments"),
    )
    method(
        "powershell",
        seen and h.command_line and h.script_block,
        seen,
        base_fixes + process_fixes + ([] if h.script_block else ["script_block"]),
        _detail(h, "powershell.exe; what a script did needs script block logging (4104)"),
    )
    method(
        "mmc",
        seen and h.command_line,
        seen,
        base_fixes + process_fixes,
        _detail(h, "mmc.exe; the snap-in (.msc) is on its command line"),
    )
    remote_fixes = base_fixes + ([] if h.logon and h.logon_source else ["logon"])
    remote_fixes += [] if h.privileges else ["special_logon"]
    method(
        "remote",
        h.accounts and h.logon and h.logon_source and h.privileges and h.process,
        h.accounts and h.logon,
        remote_fixes,
        "the creator's logon session (4624) names the source address; the tool used on the "
        f"source host needs {FIXES['source_process']}"
        if h.logon
        else "no 4624 from this host in the data: the session and where it came from stay unknown",
    )
    method(
        "service_shell",
        seen and h.parent and h.services,
        seen,
        base_fixes
        + process_fixes
        + ([] if h.parent or not h.process else ["parent_name"])
        + ([] if h.services else ["service_install"]),
        _detail(
            h, "services.exe -> cmd.exe needs parent names; the service itself needs 7045/4697"
        ),
    )
    out.append(
        Method(
            key="registry_only",
            label=_METHODS["registry_only"],
            readiness="partial" if h.sam_registry else "blind",
            names_process=False,
            detail="Sysmon registry events show the account's SAM key written, always by "
            "lsass.exe: they prove a creation, never the creator"
            if h.sam_registry
            else "no Sysmon registry events from this host",
            fixes=[] if h.sam_registry else [FIXES["sam_registry"]],
            evidence=evidence.get("registry_only", []),
        )
    )
    return out


def _detail(h: _Have, what: str) -> str:
    if not h.accounts:
        return "no account-management events from this host: no creation is seen at all"
    if not h.process:
        return "4720 is seen but no process creation: the creating process stays unknown"
    if not h.command_line:
        return f"process images are named, command lines are not: {what}"
    return f"process creation with command lines: {what}"


def _evidence(findings: list[Finding]) -> dict[str, list[str]]:
    """Which creation methods the findings on this host actually show, and how."""
    shown: dict[str, list[str]] = {}

    def note(key: str, text: str) -> None:
        shown.setdefault(key, []).append(text)

    for f in findings:
        name = f.account.name
        codes = {r.code for r in f.verdict.reasons}
        if f.evidence_basis == "registry":
            note("registry_only", f"finding {f.id} ({name}): seen only in Sysmon registry events")
        if f.process is None:
            if "no_process_telemetry" in codes:
                for key in ("net_user", "powershell", "mmc", "service_shell"):
                    note(
                        key,
                        f"finding {f.id} ({name}): creating process unknown, no process telemetry",
                    )
            continue
        chain = [basename(p.image) or f"pid {p.pid}" for p in [f.process, *f.lineage]]
        names = {c.lower() for c in chain}
        said = f"finding {f.id} ({name}): {' <- '.join(chain)} [{f.process.telemetry}]"
        if names & {"net.exe", "net1.exe"}:
            note("net_user", said)
        if names & {"powershell.exe", "pwsh.exe"}:
            note("powershell", said)
        if "mmc.exe" in names:
            note("mmc", said)
        if f.creator and f.creator.kind == "system" and "services.exe" in names:
            note("service_shell", said)
        if f.session and f.session.logon_type in (3, 10):
            note(
                "remote",
                f"finding {f.id} ({name}): {f.session.logon_type_name} logon from "
                f"{f.session.workstation or f.session.source_ip}",
            )
    return shown


def _verdict(t: dict[str, Telemetry], methods: list[Method]) -> tuple[str, str]:
    if t["account_management"].status != "evidenced":
        return "blind", "no account-management events from this host: creations would go unseen"
    main = [m for m in methods if m.key != "registry_only"]
    if all(m.readiness == "ready" for m in main):
        return "ready", "account creations are seen and every creation method can be attributed"
    if all(m.readiness == "blind" for m in main):  # seen, but no method names its creator
        return "blind", "creations are seen, but no way of creating an account can be attributed"
    lacking = [m.label for m in main if m.readiness != "ready"]
    return "partial", "creations are seen; not fully attributable: " + "; ".join(lacking)


# --- tampering ------------------------------------------------------------------------


def _clear(c: raw.Clear) -> Clear:
    return Clear(
        time=iso(c.time_us),
        log=c.log,
        by=c.by,
        event_id=c.event_id,
        record_id=c.record_id,
        file=c.file,
    )


def _policy_change(p: raw.PolicyChange) -> AuditPolicyChange:
    name = SUBCATEGORIES.get(p.subcategory_guid or "")
    changes = [
        POLICY_CHANGES.get(code.strip(), code.strip()) for code in (p.changes or "").split(",")
    ]
    return AuditPolicyChange(
        time=iso(p.time_us),
        by=p.by,
        subcategory=name or p.subcategory_id,
        subcategory_guid=p.subcategory_guid,
        changes=[c for c in changes if c],
        blinds_an1604=name in CRITICAL_SUBCATEGORIES and any("removed" in c for c in changes),
        record_id=p.record_id,
        file=p.file,
    )


def estate_fixes(hosts: list[HostCoverage]) -> list[Fix]:
    """Settings by hosts needing them times how much attribution each unlocks (FIXES order)."""
    needed: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for h in hosts:
        for fix in h.fixes:
            needed[fix] += 1
            where.setdefault(fix, []).append(h.host)
    rank = {text: i for i, text in enumerate(FIXES.values())}
    value = {text: len(FIXES) - i for text, i in rank.items()}
    order = sorted(needed, key=lambda f: (-needed[f] * value.get(f, 0), rank.get(f, 99)))
    return [Fix(setting=f, hosts=where[f]) for f in order[:_LISTED]]
