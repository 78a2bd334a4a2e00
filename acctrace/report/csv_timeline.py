"""One CSV row per event of every finding's story, sorted by time across findings, for
Timeline Explorer and Timesketch.

The columns are those of Hayabusa's `timesketch-verbose` CSV profile, in its order (so
Timesketch imports the file and a Timeline Explorer layout made for Hayabusa fits it),
then three of acctrace's own to pivot on: the finding, the account and the creator.
docs/reports.md maps each column. A spreadsheet runs a cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return as a formula, and logged strings are
attacker-controlled: such cells are prefixed with `'` (the OWASP CSV-injection advice),
which shows the text as is.
"""

from __future__ import annotations

import csv
from typing import TextIO

from acctrace.findings import Finding, HuntResult
from acctrace.report.casefile import (
    StoryEvent,
    account_label,
    build_cases,
    creator_label,
    severity_order,
)

HAYABUSA_COLUMNS = (  # Hayabusa's timesketch-verbose profile, in its order
    "datetime",
    "timestamp_desc",
    "message",
    "Level",
    "Computer",
    "Channel",
    "EventID",
    "MitreTactics",
    "MitreTags",
    "OtherTags",
    "RecordID",
    "Details",
    "ExtraFieldInfo",
    "RuleFile",
    "EvtxFile",
)
COLUMNS = (*HAYABUSA_COLUMNS, "FindingID", "Account", "Creator")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(result: HuntResult, stream: TextIO) -> None:
    rank = {f.id: i for i, f in enumerate(sorted(result.findings, key=severity_order))}
    rows = [(event, case.finding) for case in build_cases(result) for event in case.story]
    rows.sort(key=lambda r: (r[0].time is None, r[0].time or "", rank[r[1].id]))
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for event, finding in rows:
        writer.writerow([neutralise(v) for v in _row(event, finding)])


def _row(event: StoryEvent, f: Finding) -> tuple:
    shown = event.evidence[0] if event.evidence else None
    process = f.process.image if f.process else "unknown"
    details = (
        f"Account: {account_label(f)} ¦ Creator: {creator_label(f)} ¦ Process: {process} ¦ "
        f"Severity: {f.verdict.severity} {f.verdict.score}"
    )
    reasons = ", ".join(r.code for r in f.verdict.reasons)
    return (
        event.time or "",
        event.kind,
        event.message,
        f.verdict.severity,
        event.host or f.host,
        shown.channel if shown else "",
        shown.event_id if shown else "",
        "Persistence",
        f.attack.technique,
        f"{f.attack.analytic} {f.attack.strategy}",
        shown.record_id if shown and shown.record_id is not None else "",
        details,
        f"Reasons: {reasons}" if reasons else "",
        "acctrace AN1604",
        shown.file if shown else "",
        f.id,
        account_label(f),
        creator_label(f),
    )
