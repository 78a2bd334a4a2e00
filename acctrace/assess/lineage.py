"""Processes and their ancestry as they appear in findings (the creator's and the origin's)."""

from __future__ import annotations

from acctrace.correlate.rows import ProcessRow
from acctrace.findings import Ancestor, Process
from acctrace.normalise.fields import iso


def process_model(
    row: ProcessRow,
    confidence: float | None = None,
    evidence: list[str] | None = None,
    script: str | None = None,
) -> Process:
    user = "\\".join(x for x in (row["user_domain"], row["user_name"]) if x) or None
    return Process(
        image=row["image"],
        command_line=row["command_line"],
        pid=row["pid"],
        parent_pid=row["parent_pid"],
        process_guid=row["process_guid"],
        start=iso(row["time_us"]),
        user=user,
        integrity=row["integrity"],
        telemetry=row["telemetry"],
        record_id=row["record_id"],
        confidence=None if confidence is None else round(confidence, 2),
        evidence=evidence or [],
        script=script,
    )


def _ancestor(row: ProcessRow) -> Ancestor:
    return Ancestor(
        image=row["image"],
        command_line=row["command_line"],
        pid=row["pid"],
        process_guid=row["process_guid"],
        start=iso(row["time_us"]),
        telemetry=row["telemetry"],
    )


def ancestors(process: ProcessRow, rows: list[ProcessRow]) -> list[Ancestor]:
    """Known ancestors, then the last one's parent as far as its child named it."""
    chain, seen = [], {process["event_key"]}
    for row in rows:
        if row["event_key"] in seen:  # a PID-reuse loop in damaged data: stop, never cycle
            break
        seen.add(row["event_key"])
        chain.append(_ancestor(row))
    last = rows[len(chain) - 1] if chain else process
    if last["parent_pid"] is not None or last["parent_image"]:
        chain.append(
            Ancestor(
                image=last["parent_image"],
                command_line=last["parent_command_line"],
                pid=last["parent_pid"],
                process_guid=last["parent_process_guid"],
                telemetry=None,
            )
        )
    return chain
