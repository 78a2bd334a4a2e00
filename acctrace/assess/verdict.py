"""Reasons, score and severity for one finding, each reason one sentence an analyst can act on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from acctrace import knowledge
from acctrace.assess.lookalike import Imitation
from acctrace.assess.reasons import reason, score_of, severity_of
from acctrace.assess.setup import relative_id, setup_context
from acctrace.assess.tools import (
    basename,
    decoded_command,
    encoded_command,
    unusual_tool_reason,
)
from acctrace.findings import Finding, Reason, Verdict
from acctrace.normalise.fields import seconds_between
from acctrace.normalise.redact import REDACTED


@dataclass
class Assessment:
    """What the caller knows beyond the finding itself."""

    process_gap: Reason | None = None  # why the creating process is unknown, if it is
    approval_text: str | None = None  # approved: which workflow; unapproved: why none matched
    approved: bool | None = None  # None when no policy was given
    benign_why: str | None = None
    registry_only: bool = False  # only Sysmon registry writes show the creation
    hidden_from_logon: bool = False  # Winlogon SpecialAccounts\UserList hides it (AN1001)
    origin_role: str | None = None  # role of the host the creator's session came from
    imitation: Imitation | None = None  # the name imitates a built-in or known account


@cache
def _privileged() -> tuple[dict[str, str], dict[int, str], set[str]]:
    data = knowledge.load("privileged_groups")
    return (
        {e["sid"]: e["name"] for e in data["sids"]},
        {e["rid"]: e["name"] for e in data["rids"] if not e.get("by_name")},
        {n.lower() for n in data["names"]},
    )


def privileged_group(sid: str | None, name: str | None) -> bool:
    by_sid, by_rid, by_name = _privileged()
    if sid and sid.upper() in by_sid:
        return True
    if relative_id(sid) in by_rid:
        return True
    return bool(name) and name.lower() in by_name


def uac_flags(value: str | None) -> list[tuple[str, str | None]]:
    """The (name, risky) of each bit set in a SAM account-control value like '0x15'."""
    bits = _bits(value)
    return [
        (f["name"], f.get("risky")) for f in knowledge.load("uac_flags")["flags"] if bits & f["bit"]
    ]


def _reasons(finding: Finding, a: Assessment) -> list[Reason]:
    reasons: list[Reason] = []
    add = lambda code, text: reasons.append(reason(code, text))  # noqa: E731
    account, creator = finding.account, finding.creator

    setup = setup_context(finding)
    if setup:  # first, since it explains the reasons that follow
        add(
            "setup_context",
            f"One of the first local accounts, created by SYSTEM during Windows setup ({setup}): "
            "routine when the host was being installed.",
        )
    if a.registry_only:
        add(
            "registry_only",
            "Only Sysmon registry writes to the SAM show this account being created: Security "
            "auditing of account management (4720) was not collected from this host, so the "
            "creator is unknown. Enable 'Audit User Account Management: Success'.",
        )
    if a.hidden_from_logon:
        add(
            "hidden_name",
            f"'{account.name}' is hidden from the logon screen by a Winlogon SpecialAccounts "
            "UserList value of 0 (ATT&CK AN1001).",
        )
    elif account.hidden:
        add(
            "hidden_name",
            f"The name '{account.name}' ends in '$', which hides a user account "
            "among computer accounts in most listings.",
        )
    groups = sorted(
        {
            f.group.name or f.group.sid
            for f in finding.follow_up
            if f.action == "group_added" and f.privileged_group and f.group
        }
    )
    if groups:
        add(
            "privileged_group",
            f"Added to privileged group{'s' if len(groups) > 1 else ''} {', '.join(groups)}: "
            "review who "
            "approved the membership and remove it if nobody did.",
        )
    deleted = next((f for f in finding.follow_up if f.action == "deleted"), None)
    if deleted and deleted.time and finding.time:
        seconds = seconds_between(finding.time, deleted.time)
        if seconds <= knowledge.load("scoring")["short_lived_seconds"]:
            by = f" by {deleted.actor.domain}\\{deleted.actor.name}" if deleted.actor else ""
            add(
                "short_lived",
                f"Deleted {seconds:.0f} s after creation{by}: a short-lived account "
                "often covers its tracks; check what it did while it existed.",
            )
    if creator and creator.kind == "system" and not setup:
        add(
            "system_context",
            f"Created by SYSTEM ({creator.name}), not by a person: find the "
            "service, scheduled task or exploit that ran as SYSTEM.",
        )
    if a.imitation:
        whose = "the built-in account" if a.imitation.builtin else "the existing account"
        add(
            "lookalike_name",
            f"'{account.name}' imitates {whose} '{a.imitation.imitated}' ({a.imitation.how}): "
            "a name made to be mistaken for a trusted one (ATT&CK AN1077).",
        )
    reasons += _role_reasons(finding, a)
    remote = _remote_session_text(finding)
    if remote:
        add("remote_session", remote)
    chain = ([finding.process] if finding.process else []) + list(finding.lineage)
    unusual = next(((p.image, why) for p in chain if (why := unusual_tool_reason(p.image))), None)
    if unusual:
        add(
            "unusual_tool",
            f"{basename(unusual[0])} in the creating process chain is not a "
            f"standard account-management tool ({unusual[1]}).",
        )
    encoded = next(((p, kind) for p in chain if (kind := encoded_command(p.command_line))), None)
    if encoded:
        script = decoded_command(encoded[0].command_line)
        add(
            "encoded_command",
            f"{basename(encoded[0].image)} ran encoded or obfuscated PowerShell ({encoded[1]})"
            + (f"; decoded: {script}" if script else "; it could not be decoded here")
            + ". Look for what else it did.",
        )
    typed = next((p for p in chain if REDACTED in (p.command_line or "")), None)
    if typed:
        add(
            "password_on_command_line",
            f"A password was typed on the command line of {basename(typed.image)} (shown "
            "[redacted]): it now sits in the process logs of every system that collected them. "
            "Change it.",
        )
    if creator and creator.admin is False:
        add(
            "non_admin_creator",
            f"{creator.domain}\\{creator.name}'s session held no special "
            "privileges (no 4672): account creation rights may have been delegated or abused.",
        )
    risky = _risky_uac(finding)
    if risky:
        add(
            "risky_uac",
            f"Account control set to {', '.join(risky)}: weaker than a normal account.",
        )
    if a.process_gap:
        reasons.append(a.process_gap)
    if a.benign_why:
        add("known_benign", f"'{account.name}' is {a.benign_why}; lowered, not hidden.")
    if a.approved is True:
        add("approved", f"Matches approved workflow {a.approval_text}.")
    elif a.approved is False:
        add("unapproved", f"Matches no approved workflow ({a.approval_text}).")
    else:
        add("approval_not_checked", "run with --policy FILE to match it to approved workflows.")
    return reasons


def _role_reasons(finding: Finding, a: Assessment) -> list[Reason]:
    role, scope = finding.host_role, finding.account.scope
    if role == "domain_controller" and scope == "local":
        return [
            reason(
                "local_on_domain_controller",
                f"A local account was created on domain controller {finding.host}, which "
                "has no local accounts of its own: check for DSRM or SAM tampering.",
            )
        ]
    if scope == "domain" and a.origin_role == "workstation":
        return [
            reason(
                "domain_account_from_workstation",
                "A domain account was created from a workstation session, not from an "
                "administration or identity-management host.",
            )
        ]
    if role == "server":
        return [
            reason(
                "creation_on_server",
                f"An account was created on server {finding.host}, which is not an "
                "identity-management host.",
            )
        ]
    return []


def _remote_session_text(finding: Finding) -> str | None:
    """Name where the command was driven from: the origin host and tool when traced."""
    origin, session = finding.origin, finding.session
    if origin is not None:
        source = " / ".join(x for x in (origin.host, origin.source_ip) if x) or "another host"
        tool = f" with {basename(origin.process.image)}" if origin.process else ""
        user = "\\".join(x for x in (origin.user_domain, origin.user) if x)
        by = f" by {user}" if user else ""
        whose = "the creator's" if origin.via.mechanism != "service" else "the service installer's"
        return (
            f"Driven remotely{by} from {source}{tool} via {origin.via.mechanism} "
            f"({whose} session, confidence {origin.confidence})."
        )
    if session and session.logon_type in (3, 10) and (session.source_ip or session.workstation):
        source = " / ".join(x for x in (session.workstation, session.source_ip) if x)
        return (
            f"The creator's session is a {session.logon_type_name} logon from {source}: "
            "the command was driven from that machine."
        )
    return None


def _risky_uac(finding: Finding) -> list[str]:
    """Risky flags present at creation, and risky flags a later change (4738) newly set."""
    risky = {name for name, when in uac_flags(finding.account.uac_value) if when == "at_creation"}
    previous = _bits(finding.account.uac_value)
    for change in finding.follow_up:
        if change.action == "changed" and change.uac_value:
            current = _bits(change.uac_value)
            newly_set = hex(current & ~previous)
            risky |= {name for name, when in uac_flags(newly_set) if when}
            previous = current
    return sorted(risky)


def _bits(value: str | None) -> int:
    try:
        return int(value, 16) if value else 0
    except ValueError:
        return 0


def judge(finding: Finding, assessment: Assessment) -> Verdict:
    return verdict_from(_reasons(finding, assessment))


def verdict_from(reasons: list[Reason]) -> Verdict:
    """Score and severity from the reasons alone; also re-scores after reasons are appended.
    The severity is the score's band (knowledge/scoring.yaml), never set apart from it."""
    score = score_of(reasons)
    return Verdict(severity=severity_of(score), score=score, reasons=reasons)
