"""Elastic Common Schema alert documents, one JSON object per line (one per finding).

`event.kind: alert`, `rule.*` and `threat.*` (ATT&CK ids), `host.*`, `user.*` for the
creator and `user.target.*` for the new account, `process.*` / `process.parent.*`, and
`source.ip` of the creator's session. What ECS has no field for (the finding id, reason
codes, confidence, approval, the evidence records) is under the custom `acctrace.*`
namespace. Field names and value types are checked against ECS's own field list in
the tests (tests/report/fields/).
"""

from __future__ import annotations

from typing import Any, TextIO

import orjson

from acctrace import __version__
from acctrace.assess.tools import basename
from acctrace.findings import Finding, HuntResult
from acctrace.report import attack_names
from acctrace.report.casefile import account_label, creator_label
from acctrace.report.inert import json_line

ECS_VERSION = "8.11.0"
# Elastic's detection-rule convention for the numeric severity.
SEVERITY_NUMBER = {"info": 1, "low": 21, "medium": 47, "high": 73, "critical": 99}


def render(result: HuntResult, stream: TextIO) -> None:
    for finding in result.findings:
        stream.write(json_line(orjson.dumps(document(finding)).decode()))
        stream.write("\n")


def document(f: Finding) -> dict[str, Any]:
    sub_name, sub_url = attack_names.subtechnique(f.attack.technique)
    tactic_id, tactic_name, tactic_url = attack_names.TACTIC
    technique_id, technique_name, technique_url = attack_names.TECHNIQUE
    c, s, p = f.creator, f.session, f.process
    parent = f.lineage[0] if f.lineage else None
    doc: dict[str, Any] = {
        "@timestamp": f.time,
        "message": f"{f.account.scope} account {account_label(f)} created on {f.host} by "
        f"{creator_label(f)}",
        "tags": ["acctrace", f.attack.analytic, f.attack.technique],
        "ecs": {"version": ECS_VERSION},
        "event": {
            "kind": "alert",
            "category": ["iam"],
            "type": ["user", "creation"],
            "action": "added-user-account",
            "code": "4720",
            "module": "acctrace",
            "dataset": "acctrace.finding",
            "provider": "acctrace",
            "id": f.id,
            "severity": SEVERITY_NUMBER[f.verdict.severity],
            "risk_score": f.verdict.score,
            "reason": " ".join(r.text for r in f.verdict.reasons),
            "outcome": "success",
        },
        "rule": {
            "id": f.attack.analytic,
            "name": attack_names.ANALYTIC_NAME,
            "description": "Every Windows account creation (Security 4720) joined to the "
            "creating process, its lineage and the creator's logon session.",
            "category": "Account creation",
            "ruleset": f"MITRE ATT&CK {f.attack.strategy}",
            "reference": attack_names.STRATEGY_URL,
            "author": ["acctrace"],
            "version": __version__,
        },
        "threat": {
            "framework": "MITRE ATT&CK",
            "tactic": {"id": [tactic_id], "name": [tactic_name], "reference": [tactic_url]},
            "technique": {
                "id": [technique_id],
                "name": [technique_name],
                "reference": [technique_url],
                "subtechnique": {
                    "id": [f.attack.technique],
                    "name": [sub_name],
                    "reference": [sub_url],
                },
            },
        },
        "host": {"name": f.host, "hostname": (f.host or "").split(".", 1)[0] or None},
        "user": {
            "name": c.name if c else None,
            "domain": c.domain if c else None,
            "id": c.sid if c else None,
            "target": {
                "name": f.account.name,
                "domain": f.account.domain,
                "id": f.account.sid,
                "full_name": f.account.display_name
                if f.account.display_name and not f.account.display_name.startswith("%%")
                else None,
            },
        },
        "source": {"ip": s.source_ip, "port": s.source_port} if s else None,
        "related": {
            "user": sorted({x for x in (c.name if c else None, f.account.name) if x}),
            "ip": [s.source_ip] if s and s.source_ip else None,
            "hosts": [f.host] if f.host else None,
        },
        "acctrace": {
            "finding_id": f.id,
            "severity": f.verdict.severity,
            "reasons": [r.code for r in f.verdict.reasons],
            "creator_kind": c.kind if c else None,
            "creator_logon_id": c.logon_id if c else None,
            "process_confidence": p.confidence if p else None,
            "approval": f.approval.model_dump() if f.approval else None,
            "sources": [x.model_dump() for x in f.sources],
        },
    }
    if p:
        doc["process"] = {
            "pid": p.pid,
            "executable": p.image,
            "name": basename(p.image) or None,
            "command_line": p.command_line,
            "entity_id": p.process_guid,
            "start": p.start,
            "parent": {
                "pid": parent.pid if parent else p.parent_pid,
                "executable": parent.image if parent else None,
                "name": basename(parent.image) or None if parent else None,
                "command_line": parent.command_line if parent else None,
                "entity_id": parent.process_guid if parent else None,
                "start": parent.start if parent else None,
            },
        }
    return pruned(doc)


def pruned(value: Any) -> Any:
    """Without nulls and empty objects: absent, not null, is how ECS says unknown."""
    if isinstance(value, dict):
        out = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v is not None and v != {} and v != []}
    if isinstance(value, list):
        return [pruned(v) for v in value]
    return value
