"""Sigma: base rules and a Sigma v2 `temporal_ordered` correlation per process telemetry.

A process creation of an account-management image, then a 4720, on the same host, in the
same logon session (aliased: 4688 and 4720 `SubjectLogonId`, Sysmon 1 `LogonId`), within
the window. Field names are the Windows event's own (as Zircolite and the Sigma Windows
taxonomy use them). Workflows whose conditions are all on one of the two events become
filters of that event's rule; the others cannot be said by a per-event filter and stay out,
so what they approve still alerts.
"""

from __future__ import annotations

import uuid

import yaml

from acctrace.export.definition import (
    CREATION_EVENT,
    CREATION_LOGON_ID,
    NO_LOGON_ID,
    PAIRING_LIMITS,
    PRIVILEGE_EVENT,
    PROCESS_TELEMETRY,
    RUNAS_LOGON_ID,
    Analytic,
    Approval,
    Telemetry,
    event_field,
)

_NAMESPACE = uuid.UUID("0f5c3a52-6d0e-4c55-9a1e-7e1f3b2a1604")
CREATION_RULE = "acctrace_an1604_creation"
PRIVILEGE_RULE = "acctrace_an1604_privileged_session"

CANNOT = [
    "the process that did the work: an alert names the earliest matching process in the "
    "window (net.exe), where acctrace ranks candidates (net1.exe, launched by it)",
    "a second creation in the same session within the window: it folds into the same alert",
    "a process started after the 4720 (clock skew between channels): the order is strict",
    *PAIRING_LIMITS,
    "workflows with conditions on both events, validity dates, or [character classes]",
]


def _id(name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, name))


def _item(field: str, glob: str) -> tuple[str, str]:
    """A detection item for a glob: a leading or trailing `*` alone as Sigma's modifier."""
    lead, trail, inner = glob.startswith("*"), glob.endswith("*"), glob.strip("*")
    if not inner or "*" in inner or "?" in inner or not (lead or trail):
        modifier, value = "", glob
    else:
        modifier = "|contains" if lead and trail else ("|endswith" if lead else "|startswith")
        value = inner
    # Sigma reads `*` and `?` as wildcards and a backslash as an escape only before them
    # or another backslash; fnmatch has no escapes, so every backslash is literal.
    return field + modifier, value.replace("\\", "\\\\")


def _filters(
    approvals: list[Approval], telemetry: Telemetry | None
) -> tuple[dict[str, object], str]:
    """Detection items and the condition fragment that excludes what `approvals` approve."""
    items: dict[str, object] = {}
    workflows = []
    for i, approval in enumerate(approvals):
        names = []
        for j, alternatives in enumerate(approval.conditions):
            name = f"approved_{i}_{j}"
            items[name] = [
                dict(_item(event_field(m.field, telemetry), m.glob) for m in alt)
                for alt in alternatives
            ]
            names.append(name)
        workflows.append("(" + " and ".join(names) + ")")
    return items, (" and not (" + " or ".join(workflows) + ")" if workflows else "")


def _rule(name: str, title: str, description: str, logsource: dict, detection: dict) -> dict:
    return {
        "title": title,
        "id": _id(name),
        "name": name,
        "status": "experimental",
        "description": description,
        "author": "acctrace export",
        "references": ["https://attack.mitre.org/techniques/T1136/"],
        "tags": ["attack.persistence", "attack.t1136"],
        "logsource": logsource,
        "detection": detection,
        "level": "medium",
    }


def _creation_rule(spec: Analytic) -> dict:
    items, excluded = _filters(spec.single_event_approvals("creation"), None)
    return _rule(
        CREATION_RULE,
        "User account created (4720)",
        "A user account was created; paired with its process by the correlations below.",
        {"product": "windows", "service": "security"},
        {"selection": {"EventID": CREATION_EVENT}, **items, "condition": "selection" + excluded},
    )


def _process_rule(spec: Analytic, telemetry: Telemetry) -> dict:
    items, excluded = _filters(spec.single_event_approvals("process"), telemetry)
    service = "security" if telemetry.event_id == 4688 else "sysmon"
    selection = {
        "EventID": telemetry.event_id,
        f"{telemetry.image}|endswith": [f"\\{image}" for image in spec.tools],
    }
    condition = "selection"
    if telemetry.runas is not None:
        items["creator_session"] = [
            {RUNAS_LOGON_ID: NO_LOGON_ID},
            {f"{RUNAS_LOGON_ID}|exists": False},
        ]
        condition += " and not creator_session" if telemetry.runas else " and creator_session"
    return _rule(
        f"acctrace_an1604_process_{telemetry.name.replace('-', '_')}",
        f"Account-management process started ({telemetry.name})",
        "A process whose image creates accounts (acctrace knowledge: account_tools)"
        + (
            ", started under other credentials: its session is TargetLogonId."
            if telemetry.runas
            else "."
        ),
        {"product": "windows", "service": service},
        {"selection": selection, **items, "condition": condition + excluded},
    )


def _privilege_rule() -> dict:
    rule = _rule(
        PRIVILEGE_RULE,
        "Special privileges assigned to a new logon (4672)",
        "Context for triage, not correlated: the privileged logon session an alert's "
        "logon id names (it is logged at logon, usually long before the creation).",
        {"product": "windows", "service": "security"},
        {"selection": {"EventID": PRIVILEGE_EVENT}, "condition": "selection"},
    )
    rule["level"] = "informational"
    return rule


def _correlation(spec: Analytic, process_rule: str, telemetry: Telemetry) -> dict:
    return {
        "title": f"Account created in the logon session of an account tool ({telemetry.name})",
        "id": _id(f"{process_rule}_correlation"),
        "name": f"{process_rule}_then_creation",
        "status": "experimental",
        "description": "AN1604: an account-management process, then a 4720 by the same "
        "logon session on the same host, within the window.",
        "author": "acctrace export",
        "correlation": {
            "type": "temporal_ordered",
            "rules": [process_rule, CREATION_RULE],
            "group-by": ["Computer", "logon_id"],
            "aliases": {
                "logon_id": {process_rule: telemetry.logon_id, CREATION_RULE: CREATION_LOGON_ID}
            },
            # Sigma timespans are whole units: round the window up, never lose a pair.
            "timespan": f"{spec.span_s}s",
        },
        "level": "high",
    }


def documents(spec: Analytic) -> list[dict]:
    docs = [_creation_rule(spec)]
    for telemetry in PROCESS_TELEMETRY:
        rule = _process_rule(spec, telemetry)
        docs += [rule, _correlation(spec, rule["name"], telemetry)]
    return [*docs, _privilege_rule()]


def render(spec: Analytic) -> str:
    header = spec.header(
        "a user account created (4720) in the logon session of an account-management "
        "process (4688 or Sysmon 1) on the same host that started before it within the "
        "window. Convert the correlations with a backend that supports temporal_ordered "
        "(verified: pySigma 2.0.1 with pysigma-backend-sqlite 2.1.1).",
        CANNOT + spec.left_out_of_filters(),
    )
    comment = "".join(f"# {line}\n" for line in header)
    body = yaml.safe_dump_all(documents(spec), sort_keys=False, allow_unicode=True, width=100)
    return comment + body
