"""Assemble the `Finding`s from the rows the correlation found for each account creation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from acctrace import knowledge
from acctrace.assess import attribution
from acctrace.assess.lineage import ancestors, process_model
from acctrace.assess.lookalike import imitation
from acctrace.assess.origin import Hop, hop_sources, origin_model, trace_origins
from acctrace.assess.policy import match
from acctrace.assess.reasons import reason
from acctrace.assess.registry import registry_story
from acctrace.assess.verdict import Assessment, judge, privileged_group, uac_flags
from acctrace.correlate.rows import (
    CreationRow,
    EventRow,
    FollowUpRow,
    LogonRow,
    ProcessRow,
    SamWriteRow,
    ServiceInstallRow,
)
from acctrace.correlate.run import Correlation, CreationStory
from acctrace.correlate.window import Window
from acctrace.errors import InputProblem
from acctrace.findings import (
    Account,
    Approval,
    Attack,
    Creator,
    Finding,
    FollowUp,
    Party,
    Reason,
    Session,
    Source,
    Verdict,
)
from acctrace.normalise.fields import host_key, iso
from acctrace.normalise.model import ACCOUNT_CHANGES
from acctrace.options import HuntOptions

LOGON_TYPES = {
    2: "interactive",
    3: "network",
    4: "batch",
    5: "service",
    7: "unlock",
    8: "network cleartext",
    9: "new credentials",
    10: "remote interactive (RDP)",
    11: "cached interactive",
}
_SYSTEM_LOGON, _SERVICE_LOGONS = "0x3e7", {"0x3e4", "0x3e5"}


def build_findings(
    correlation: Correlation, options: HuntOptions, problems: list[InputProblem] | None = None
) -> list[Finding]:
    """One finding per account creation. The origins of all of them are traced together,
    so the cross-host joins run once per hop level, not once per finding.

    A creation that cannot be assessed (a defect, or a record no test foresaw) costs its own
    finding only: it is named in `problems` and the hunt goes on."""
    ranked = {
        s.creation["event_key"]: attribution.rank(
            s.creation,
            s.candidates,
            s.signs_of_life,
            correlation.clocks.get(s.creation["host"]),
            s.script_blocks,
        )
        if s.creation["time_us"] is not None
        else []  # without a time, no process can be placed before the creation
        for s in correlation.stories
    }
    chains = {}
    for story in correlation.stories:
        key = story.creation["event_key"]
        chosen = ranked[key][0] if ranked[key] else None
        lineage = correlation.lineages.get(chosen.row["event_key"], []) if chosen else []
        chains[key] = (story, [chosen.row, *lineage] if chosen else [])
    origins = trace_origins(chains, correlation.origins)
    on_host = _by_host(correlation)
    findings = []
    for key, (story, _) in chains.items():
        try:
            findings.append(
                build_finding(story, ranked[key], origins[key], on_host, correlation, options)
            )
        except Exception as exc:  # one creation must not cost the others: see the docstring
            if problems is None:
                raise
            problems.append(_unassessed(story.creation, exc))
    return findings


def _unassessed(c: CreationRow, exc: Exception) -> InputProblem:
    return InputProblem(
        c["file"],
        "unassessed",
        f"the creation of {c['account_name']!r} on {c['host_name']!r} could not be assessed "
        f"({type(exc).__name__}: {exc}); its finding is left out",
        f"record {c['record_id']}",
    )


@dataclass
class _HostContext:
    """What the registry reading of one finding needs from the rest of its host."""

    sam_writes: list[SamWriteRow]
    creation_times: list[int]


def _by_host(correlation: Correlation) -> dict[str, _HostContext]:
    hosts: dict[str, _HostContext] = {}
    for row in sorted(correlation.sam_writes, key=lambda r: (r["time_us"] or 0, r["event_key"])):
        hosts.setdefault(row["host"], _HostContext([], [])).sam_writes.append(row)
    for story in correlation.stories:
        hosts.setdefault(story.creation["host"], _HostContext([], [])).creation_times.append(
            story.creation["time_us"]
        )
    return hosts


def build_finding(
    story: CreationStory,
    ranked: list[attribution.Ranked],
    origin: tuple[Hop | None, ServiceInstallRow | None],
    on_host: dict[str, _HostContext],
    correlation: Correlation,
    options: HuntOptions,
) -> Finding:
    c = story.creation
    from_registry = c["event_id"] != 4720
    chosen = ranked[0] if ranked else None
    lineage_rows = correlation.lineages.get(chosen.row["event_key"], []) if chosen else []
    host = on_host.get(c["host"], _HostContext([], []))
    registry = registry_story(c, host.sam_writes, host.creation_times)
    hop, install = origin
    follow_ups = [_follow_up(r) for r in sorted(story.follow_ups, key=_time_order)]
    finding = Finding(
        id=_finding_id(c),
        time=iso(c["time_us"]),
        host=c["host_name"],
        host_role=_host_role(c["host"], correlation, options),
        evidence_basis="registry" if from_registry else "event_4720",
        account=_account(c, from_registry),
        creator=None if from_registry else _creator(c, story),
        session=_session(story.session),
        process=process_model(chosen.row, chosen.confidence, chosen.evidence, chosen.script)
        if chosen
        else None,
        alternatives=[process_model(r.row, r.confidence, r.evidence) for r in ranked[1:]],
        lineage=ancestors(chosen.row, lineage_rows) if chosen else [],
        follow_up=_merge_follow_ups(follow_ups, registry.follow_ups),
        origin=origin_model(hop) if hop else None,
        verdict=Verdict(severity="info", score=0, reasons=[]),
        attack=Attack(technique="T1136.001" if _is_local(c) or from_registry else "T1136.002"),
        sources=_sources(story, chosen, lineage_rows, registry.sources, hop_sources(hop), install),
    )
    assessment = Assessment(
        process_gap=None if chosen else _process_gap(c, correlation, options.window),
        registry_only=from_registry,
        hidden_from_logon=registry.hidden_from_logon,
        origin_role=_origin_role(hop, story.session, correlation, options),
        imitation=imitation(c["account_name"] or "", correlation.account_names),
    )
    if options.builtin_benign:
        assessment.benign_why = _known_benign(finding.account.name)
    if options.policy is not None:
        workflow, why_not = match(options.policy, finding)
        assessment.approved = workflow is not None
        if workflow is not None:
            finding.approval = Approval(workflow=workflow.name, ticket=workflow.ticket)
            ticket = f" (ticket {workflow.ticket})" if workflow.ticket else ""
            assessment.approval_text = f"'{workflow.name}'{ticket}"
        else:
            assessment.approval_text = why_not
    finding.verdict = judge(finding, assessment)
    return finding


def _finding_id(c: CreationRow) -> str:
    ident = f"{c['host']}|{c['account_sid'] or c['account_name']}|{c['record_id']}"
    return hashlib.sha256(ident.encode()).hexdigest()[:20]


def _time_order(row: FollowUpRow) -> tuple:
    return (row["time_us"] or 0, row["record_id"] or 0, row["event_key"])


def _is_local(c: CreationRow) -> bool:
    # NetBIOS names are at most 15 characters; a local account's domain is the host's.
    return bool(c["account_domain"]) and c["account_domain"].upper() == c["host"][:15].upper()


def _account(c: CreationRow, from_registry: bool) -> Account:
    name = c["account_name"]
    return Account(
        name=name,
        # The registry's SAM is the host's own: its accounts' domain is the host's name.
        domain=c["host"][:15].upper() if from_registry else c["account_domain"],
        sid=c["account_sid"],
        scope="local" if from_registry or _is_local(c) else "domain",
        sam_account_name=c["sam_account_name"],
        display_name=c["display_name"],
        user_principal_name=c["user_principal_name"],
        uac_value=c["new_uac"],
        uac_flags=[flag for flag, _ in uac_flags(c["new_uac"])],
        hidden=bool(name) and name.endswith("$"),
    )


def _creator_kind(sid: str | None, name: str | None, logon_id: str | None) -> str:
    if sid == "S-1-5-18" or logon_id == _SYSTEM_LOGON:
        return "system"
    if sid in ("S-1-5-19", "S-1-5-20") or logon_id in _SERVICE_LOGONS:
        return "service"
    if name and name.endswith("$"):
        return "machine"
    return "user"


def _creator(c: CreationRow, story: CreationStory) -> Creator:
    kind = _creator_kind(c["creator_sid"], c["creator_name"], c["creator_logon_id"])
    if kind == "system" or story.privilege is not None:
        admin: bool | None = True
    else:  # 4672 follows the 4624 of every privileged logon: a seen session without one had none
        admin = False if story.session is not None else None
    return Creator(
        name=c["creator_name"],
        domain=c["creator_domain"],
        sid=c["creator_sid"],
        logon_id=c["creator_logon_id"],
        kind=kind,
        admin=admin,
    )


def _session(row: LogonRow | None) -> Session | None:
    if row is None:
        return None
    return Session(
        logon_id=row["logon_id"],
        logon_type=row["logon_type"],
        logon_type_name=LOGON_TYPES.get(row["logon_type"]),
        source_ip=row["source_ip"],
        source_port=row["source_port"],
        workstation=row["workstation"],
        auth_package=row["auth_package"],
        logon_process=row["logon_process"],
        start=iso(row["time_us"]),
        elevated=row["elevated"],
    )


def _follow_up(row: FollowUpRow) -> FollowUp:
    action = ACCOUNT_CHANGES.get(row["event_id"], "logon")
    group = None
    if row["group_sid"] or row["group_name"]:
        group = Party(name=row["group_name"], domain=row["group_domain"], sid=row["group_sid"])
    actor = None
    if row["actor_name"] or row["actor_sid"]:
        actor = Party(
            name=row["actor_name"],
            domain=row["actor_domain"],
            sid=row["actor_sid"],
            logon_id=row["actor_logon_id"],
        )
    return FollowUp(
        time=iso(row["time_us"]),
        event_id=row["event_id"],
        action=action,
        host=row["host_name"],
        group=group,
        privileged_group=bool(group) and privileged_group(row["group_sid"], row["group_name"]),
        actor=actor,
        new_name=row["new_name"],
        uac_value=row["new_uac"],
        logon_type=row["logon_type"],
        source_ip=row["source_ip"],
        workstation=row["workstation"],
    )


def _process_gap(c: CreationRow, correlation: Correlation, window: Window) -> Reason:
    """Why no process is named: no telemetry at all, none at that time, or none in the session.
    Telemetry from another file that covers the time is named, since it changes the answer."""
    host, when = c["host_name"] or "a host whose name was not logged", c["time_us"]
    if when is None:
        return reason(
            "no_process_telemetry",
            f"The time of this creation on {host} is unknown (its record holds no usable "
            "time): no process can be placed before it.",
        )
    spans = correlation.process_spans.get(c["host"], [])
    if not spans:
        return reason(
            "no_process_telemetry",
            f"No process-creation telemetry (Security 4688 or Sysmon 1) from {host}: the "
            "creating process cannot be named. Enable Audit Process Creation with command "
            "lines, or Sysmon.",
        )
    covering = [
        file
        for file, first, last in spans
        if first - window.before_us <= when <= last + window.after_us
    ]
    if not covering:
        file, first, last = min(spans, key=lambda s: min(abs(s[1] - when), abs(s[2] - when)))
        return reason(
            "no_process_telemetry",
            f"No process-creation telemetry from {host} at {iso(when)} (the nearest, in "
            f"{file}, covers {iso(first)} to {iso(last)}): the creating process cannot be named.",
        )
    elsewhere = "" if c["file"] in covering else f" (process telemetry from {covering[0]})"
    if c["creator_logon_id"] is None:  # known from the registry only: no session to search
        return reason(
            "no_process_in_session",
            f"No process on {host} within {window.before_s:.0f} s before the creation named "
            f"the account on its command line{elsewhere}; the registry writes show lsass.exe, "
            "never the creator.",
        )
    return reason(
        "no_process_in_session",
        f"No process ran in the creator's logon session {c['creator_logon_id']} on {host} "
        f"within {window.before_s:.0f} s before the creation{elsewhere}; processes of other "
        "sessions are not attributed.",
    )


def _known_benign(name: str | None) -> str | None:
    if not name:
        return None
    for entry, pattern in knowledge.compiled("benign_accounts"):
        if pattern.search(name):
            return entry["why"]
    return None


def _source(role: str, row: EventRow) -> Source:
    return Source(
        role=role,
        file=row["file"],
        sha256=row["sha256"],
        record_id=row["record_id"],
        channel=row["channel"],
        event_id=row["event_id"],
    )


def _sources(
    story: CreationStory,
    chosen: attribution.Ranked | None,
    lineage: list[ProcessRow],
    registry: list[SamWriteRow],
    origin: list[EventRow],
    install: ServiceInstallRow | None,
) -> list[Source]:
    sources = [_source("creation", story.creation)]
    sources += [
        _source("registry", r) for r in registry if r["event_key"] != story.creation["event_key"]
    ]
    if chosen:
        sources.append(_source("process", chosen.row))
        if chosen.also_logged_as:
            sources.append(_source("process", chosen.also_logged_as))
    sources += [_source("lineage", r) for r in lineage]
    if story.session:
        sources.append(_source("session", story.session))
    if story.privilege:
        sources.append(_source("privilege", story.privilege))
    sources += [_source("follow_up", r) for r in sorted(story.follow_ups, key=_time_order)]
    if install:
        sources.append(_source("service", install))
    seen = {(s.file, s.record_id, s.event_id) for s in sources}
    for row in origin:
        source = _source("origin", row)
        if (source.file, source.record_id, source.event_id) not in seen:
            seen.add((source.file, source.record_id, source.event_id))
            sources.append(source)
    return sources


def _host_role(host: str | None, correlation: Correlation, options: HuntOptions) -> str | None:
    """The role the user gave the host (--hosts), else the one the telemetry shows."""
    given = options.inventory.roles.get(host or "")
    return given or ("domain_controller" if host in correlation.domain_controllers else None)


def _origin_role(
    hop: Hop | None, session: LogonRow | None, correlation: Correlation, options: HuntOptions
) -> str | None:
    """The role of the host the creator's session came from, when it is known."""
    name = hop.host if hop else (session or {}).get("workstation")
    return _host_role(host_key(name), correlation, options) if name else None


def _merge_follow_ups(audited: list[FollowUp], inferred: list[FollowUp]) -> list[FollowUp]:
    """Registry-inferred follow-ups add only what no audit event already shows."""
    shown = {(f.action, f.group.sid if f.group else None) for f in audited}
    extra = [f for f in inferred if (f.action, f.group.sid if f.group else None) not in shown]
    return sorted(audited + extra, key=lambda f: f.time or "")
