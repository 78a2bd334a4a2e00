"""When a finding is alerted, when it is updated, and what an alert looks like.

A creation is held for a grace period after it reached the store: the process events of
another channel, or of a Sysmon forwarder running behind, may still be on their way
(collectors deliver seconds to minutes late). Then the finding is alerted as revision 1.
Until the horizon has passed since then, every change of its content (the creating
process shows up late, the account is added to a privileged group, deleted, or logs on)
is sent again with the same finding id and the next revision.

An alert is the finding in one of three shapes, each with its revision: `json` (the
finding as `hunt --json` prints it, plus `revision`), `ecs` (plus `acctrace.revision`) and
`ocsf` (a Detection Finding whose activity is Create for revision 1, Update after; plus
`unmapped.acctrace.revision`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from acctrace.findings import Finding
from acctrace.report import ecs, ocsf

# Valid inside JSON strings, but line breaks to some log shippers (as in report/jsonl.py).
_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True)
class Timing:
    grace_s: float = 180.0  # held this long after the creation reached the store
    horizon_s: float = 24 * 3600.0  # updates sent for this long after that

    @property
    def grace_us(self) -> int:
        return int(self.grace_s * 1_000_000)

    @property
    def horizon_us(self) -> int:
        return int(self.horizon_s * 1_000_000)


def digest(finding: Finding) -> str:
    """What a revision is about: a change of this digest is an update."""
    return hashlib.sha256(finding.model_dump_json().encode()).hexdigest()[:24]


def _json(finding: Finding, revision: int) -> dict[str, Any]:
    return {**finding.model_dump(mode="json"), "revision": revision}


def _ecs(finding: Finding, revision: int) -> dict[str, Any]:
    document = ecs.document(finding)
    document.setdefault("acctrace", {})["revision"] = revision
    return document


def _ocsf(finding: Finding, revision: int) -> dict[str, Any]:
    document = ocsf.detection_finding(finding)
    if revision > 1:
        document.update(
            activity_id=ACTIVITY_UPDATE,
            activity_name="Update",
            type_uid=ocsf.CLASS_UID * 100 + ACTIVITY_UPDATE,
            type_name="Detection Finding: Update",
        )
    document.setdefault("unmapped", {}).setdefault("acctrace", {})["revision"] = revision
    return document


ACTIVITY_UPDATE = 2
SHAPES: dict[str, Callable[[Finding, int], dict[str, Any]]] = {
    "json": _json,
    "ecs": _ecs,
    "ocsf": _ocsf,
}


def render(finding: Finding, revision: int, shape: str) -> str:
    """One alert as one line of JSON (no newline)."""
    text = orjson.dumps(SHAPES[shape](finding, revision)).decode()
    return text.translate(_LINE_SEPARATORS)


def identity(line: str) -> tuple[str, int] | None:
    """The finding id and revision of an alert line of any shape; None if it is not one."""
    try:
        doc = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(doc, dict):
        return None
    if "revision" in doc:
        return doc.get("id"), doc["revision"]
    if "acctrace" in doc:
        return doc.get("event", {}).get("id"), doc["acctrace"].get("revision")
    if "finding_info" in doc:
        unmapped = doc.get("unmapped", {}).get("acctrace", {})
        return doc["finding_info"].get("uid"), unmapped.get("revision")
    return None
