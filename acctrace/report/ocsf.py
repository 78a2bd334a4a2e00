"""OCSF Detection Finding (class 2004) objects, one JSON object per line (one per finding).

`finding_info` names the analytic (AN1604) and the ATT&CK tactic, technique and
sub-technique; `evidences` holds the creator (actor user, session, process) and the
creating process with its parent and lineage, the session's source endpoint and the new
account; `resources` is the new account; `remediation` the response checklist. Times are
epoch milliseconds. Objects are validated against the OCSF 1.5.0 JSON Schema in the tests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TextIO

import orjson

from acctrace import __version__
from acctrace.assess.tools import basename
from acctrace.findings import Ancestor, Creator, Finding, HuntResult, Process
from acctrace.report import attack_names
from acctrace.report.casefile import account_label, checklist, creator_label
from acctrace.report.ecs import pruned
from acctrace.report.inert import json_line

OCSF_VERSION = "1.5.0"
CLASS_UID, CATEGORY_UID, ACTIVITY_CREATE = 2004, 2, 1
SEVERITY_ID = {"info": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
SEVERITY_NAME = {1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical"}
RISK_LEVEL_ID = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
USER_TYPE_ID = {"user": 1, "system": 3, "machine": 3, "service": 4}


def render(result: HuntResult, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(json_line(orjson.dumps(detection_finding(finding)).decode()))
        stream.write("\n")


def _ms(iso: str | None) -> int | None:
    if not iso:
        return None
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def detection_finding(f: Finding) -> dict[str, Any]:
    severity_id = SEVERITY_ID[f.verdict.severity]
    sub_name, sub_url = attack_names.subtechnique(f.attack.technique)
    tactic_id, tactic_name, tactic_url = attack_names.TACTIC
    technique_id, technique_name, technique_url = attack_names.TECHNIQUE
    times = [t for t in [f.time, *(x.time for x in f.follow_up)] if t]
    c, s = f.creator, f.session
    response = checklist(f)
    finding: dict[str, Any] = {
        "class_uid": CLASS_UID,
        "class_name": "Detection Finding",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Detection Finding: Create",
        "severity_id": severity_id,
        "severity": SEVERITY_NAME[severity_id],
        "status_id": 1,
        "status": "New",
        "is_alert": f.verdict.severity != "info",
        "time": _ms(f.time),
        "start_time": _ms(min(times)) if times else None,
        "end_time": _ms(max(times)) if times else None,
        "message": f"{f.account.scope} account {account_label(f)} created on {f.host} by "
        f"{creator_label(f)}",
        "risk_score": f.verdict.score,
        "risk_level_id": RISK_LEVEL_ID[f.verdict.severity],
        "risk_level": f.verdict.severity.capitalize() if f.verdict.severity != "info" else "Info",
        "risk_details": " ".join(r.text for r in f.verdict.reasons),
        "confidence_score": round(f.process.confidence * 100)
        if f.process and f.process.confidence is not None
        else None,
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "acctrace", "vendor_name": "acctrace", "version": __version__},
            "uid": f.id,
            "log_name": "Security",
            "event_code": "4720",
            "original_time": f.time,
        },
        "finding_info": {
            "uid": f.id,
            "title": f"Account {account_label(f)} created on {f.host}",
            "desc": " ".join(r.text for r in f.verdict.reasons),
            "types": ["Account Creation", f.attack.technique],
            "first_seen_time": _ms(f.time),
            "last_seen_time": _ms(max(times)) if times else None,
            "analytic": {
                "uid": f.attack.analytic,
                "name": attack_names.ANALYTIC_NAME,
                "type_id": 1,
                "type": "Rule",
            },
            "attacks": [
                {
                    "tactic": {"uid": tactic_id, "name": tactic_name, "src_url": tactic_url},
                    "technique": {
                        "uid": technique_id,
                        "name": technique_name,
                        "src_url": technique_url,
                    },
                    "sub_technique": {
                        "uid": f.attack.technique,
                        "name": sub_name,
                        "src_url": sub_url,
                    },
                }
            ],
            "data_sources": sorted({f"{x.channel} {x.event_id}" for x in f.sources}),
            "related_events_count": len(f.sources),
        },
        "device": {
            "hostname": f.host,
            "name": (f.host or "").split(".", 1)[0] or None,
            "type_id": 0,
        },
        "evidences": [
            {
                "name": "account creation",
                "actor": {
                    "user": _user(c),
                    "session": {
                        "uid": c.logon_id,
                        "created_time": _ms(s.start) if s else None,
                        "is_remote": bool(s.source_ip) if s else None,
                    }
                    if c
                    else None,
                },
                "process": _process(f.process, f.lineage) if f.process else None,
                "src_endpoint": {
                    "ip": s.source_ip,
                    "port": s.source_port,
                    "name": s.workstation,
                }
                if s and (s.source_ip or s.workstation)
                else None,
                "user": {
                    "name": f.account.name,
                    "domain": f.account.domain,
                    "uid": f.account.sid,
                    "type_id": 1,
                    "type": "User",
                },
                "data": {"sources": [x.model_dump() for x in f.sources]},
            }
        ],
        "resources": [
            {
                "uid": f.account.sid,
                "name": account_label(f),
                "type": f"Windows {f.account.scope} user account",
            }
        ],
        "remediation": {
            "desc": "\n".join(
                [
                    *response.notes,
                    *(f"{cmd.purpose} (on {cmd.where}): {cmd.text}" for cmd in response.commands),
                ]
            )
            or "Review the account with its owner."
        },
        "unmapped": {
            "acctrace": {
                "approval": f.approval.model_dump() if f.approval else None,
                "reasons": [r.code for r in f.verdict.reasons],
                # OCSF 1.5's user object has no privilege attribute (`is_privileged` is only
                # in the schema's development branch), so 4672 special privileges go here.
                "creator_admin": c.admin if c else None,
            }
        },
    }
    return pruned(finding)


def _user(c: Creator | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "name": c.name,
        "domain": c.domain,
        "uid": c.sid,
        "type_id": USER_TYPE_ID.get(c.kind, 0),
    }


def _process(p: Process, lineage: list[Ancestor]) -> dict[str, Any]:
    parent = lineage[0] if lineage else None
    return {
        "pid": p.pid,
        "uid": p.process_guid,
        "name": basename(p.image) or None,
        "cmd_line": p.command_line,
        "created_time": _ms(p.start),
        "file": _file(p.image),
        "lineage": [a.image for a in lineage if a.image] or None,
        "parent_process": {
            "pid": parent.pid if parent else p.parent_pid,
            "uid": parent.process_guid if parent else None,
            "name": basename(parent.image) or None if parent else None,
            "cmd_line": parent.command_line if parent else None,
            "created_time": _ms(parent.start) if parent else None,
            "file": _file(parent.image) if parent else None,
        },
    }


def _file(image: str | None) -> dict[str, Any] | None:
    if not image:
        return None
    return {"name": basename(image), "path": image, "type_id": 1}
