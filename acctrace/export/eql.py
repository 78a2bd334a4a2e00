"""EQL: one `sequence` per process telemetry over the documents Winlogbeat writes.

Fields are Winlogbeat's own: `host.name`, `event.code` and the event's data under
`winlog.event_data.*`, present with or without Elastic's ingest pipelines. The sequence
joins on the host and, per event, the field that holds its logon session; `:` compares
case-insensitively with `*` and `?` wildcards. Single-event workflows become exclusions.
"""

from __future__ import annotations

from acctrace.export.definition import (
    CREATION_EVENT,
    CREATION_LOGON_ID,
    NO_LOGON_ID,
    PAIRING_LIMITS,
    PROCESS_TELEMETRY,
    RUNAS_LOGON_ID,
    Analytic,
    Telemetry,
    event_field,
)

DATA = "winlog.event_data."

CANNOT = [
    "which candidate created the account: a sequence cites the latest matching process "
    "before the 4720 in the session; acctrace ranks every candidate",
    "a process started after the 4720 (clock skew between channels): the order is strict",
    *PAIRING_LIMITS,
]


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _joined(parts: list[str], operator: str) -> str:
    return parts[0] if len(parts) == 1 else "(" + f" {operator} ".join(parts) + ")"


def _excluded(spec: Analytic, side: str, telemetry: Telemetry | None) -> str:
    """` and not (...)` for the workflows a filter on this event can test, else ''."""
    workflows = []
    for approval in spec.single_event_approvals(side):
        conditions = []
        for alternatives in approval.conditions:
            either = [
                _joined(
                    [f"{DATA}{event_field(m.field, telemetry)} : {_string(m.glob)}" for m in alt],
                    "and",
                )
                for alt in alternatives
            ]
            conditions.append(_joined(either, "or"))
        workflows.append(_joined(conditions, "and"))
    if not workflows:
        return ""
    either = _joined(workflows, "or")  # atomic, or wrapped in parentheses
    return f" and not {either if either.startswith('(') else '(' + either + ')'}"


def _session_kind(telemetry: Telemetry) -> str:
    if telemetry.runas is None:
        return ""
    field = DATA + RUNAS_LOGON_ID
    own = f"({field} == null or {field} == {_string(NO_LOGON_ID)})"
    return f" and not {own}" if telemetry.runas else f" and {own}"


def sequence(spec: Analytic, telemetry: Telemetry) -> str:
    tools = ", ".join(_string("*\\" + image) for image in spec.tools)
    process = (
        f'event.code == "{telemetry.event_id}" and {DATA}{telemetry.image} : ({tools})'
        + _session_kind(telemetry)
        + _excluded(spec, "process", telemetry)
    )
    creation = f'event.code == "{CREATION_EVENT}"' + _excluded(spec, "creation", None)
    return (
        f"sequence by host.name with maxspan={spec.span_s}s\n"
        f"  [any where {process}] by {DATA}{telemetry.logon_id}\n"
        f"  [any where {creation}] by {DATA}{CREATION_LOGON_ID}\n"
    )


def queries(spec: Analytic) -> list[tuple[str, str]]:
    """(telemetry name, query) for each process telemetry: one detection rule each."""
    return [(t.name, sequence(spec, t)) for t in PROCESS_TELEMETRY]


def render(spec: Analytic) -> str:
    header = spec.header(
        "a user account created (4720) in the logon session of an account-management "
        "process (4688 or Sysmon 1) on the same host that started before it within the "
        "window. Three queries, one per process telemetry: deploy each as an EQL rule.",
        CANNOT + spec.left_out_of_filters(),
    )
    comment = "".join(f"// {line}\n" for line in header)
    blocks = [f"// Query {i}: {name}\n{query}" for i, (name, query) in enumerate(queries(spec), 1)]
    return comment + "\n" + "\n".join(blocks)
