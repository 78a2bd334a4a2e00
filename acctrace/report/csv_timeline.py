"""One CSV row per event of each finding's story, for Timeline Explorer and Timesketch.

Timesketch needs `datetime`, `timestamp_desc` and `message`; the other columns say whose
story a row belongs to. A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a
tab or a carriage return as a formula, and logged strings are attacker-controlled: such
cells are prefixed with `'` (the OWASP CSV-injection advice), which shows the text as is.
"""

from __future__ import annotations

import csv
from typing import TextIO

from acctrace.findings import HuntResult
from acctrace.report.casefile import account_label, build_cases, creator_label

COLUMNS = (
    "datetime",
    "timestamp_desc",
    "message",
    "host",
    "account",
    "creator",
    "process",
    "severity",
    "finding_id",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(result: HuntResult, stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for case in build_cases(result):
        f = case.finding
        process = f.process.image if f.process else ""
        for event in case.story:
            row = (
                event.time or "",
                event.kind,
                event.message,
                event.host or f.host,
                account_label(f),
                creator_label(f),
                process,
                f.verdict.severity,
                f.id,
            )
            writer.writerow([neutralise(v) for v in row])
