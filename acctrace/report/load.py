"""Inputs of `report` and `case`: event logs to hunt, or saved `hunt --json` findings.

A file whose first line is a finding (it has `schema_version` and `verdict`) is loaded as
findings, so a saved result renders again without re-analysis; anything else is a log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from pydantic import ValidationError

from acctrace.errors import AcctraceError, InputProblem
from acctrace.findings import Finding, HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.report.casefile import severity_order
from acctrace.storage.database import EventDatabase

_HEAD_BYTES = 1 << 20


@dataclass
class Gathered:
    result: HuntResult
    saved_findings: list[str] = field(default_factory=list)
    log_paths: list[Path] = field(default_factory=list)


def is_findings_file(path: Path) -> bool:
    """True when the first non-empty line of a plain file is one acctrace finding."""
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as stream:
            head = stream.read(_HEAD_BYTES)
    except OSError:
        return False
    for line in head.splitlines():
        if line.strip():
            try:
                first = orjson.loads(line)
            except orjson.JSONDecodeError:
                return False
            return isinstance(first, dict) and "schema_version" in first and "verdict" in first
    return False


def load_findings(path: Path) -> list[Finding]:
    findings = []
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                findings.append(Finding.model_validate_json(line))
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(x) for x in first["loc"])
                raise AcctraceError(
                    f"not a finding of this acctrace version ({where}: {first['msg']})",
                    f"{path}:{number}",
                ) from None
    return findings


def gather(
    paths: list[Path],
    options: HuntOptions,
    on_problem: Callable[[InputProblem], None] | None = None,
    database: EventDatabase | None = None,
) -> Gathered:
    """Hunt the logs among `paths` (with a `database`: added to it, then all it holds) and
    add the findings saved in the others."""
    saved = [p for p in paths if is_findings_file(p)]
    logs = [p for p in paths if p not in saved]
    loaded = [f for p in saved for f in load_findings(p)]
    if logs or database is not None:
        result = run(logs, options, on_problem=on_problem, database=database)
    else:
        result = HuntResult(findings=[], files=[], problems=[], knowledge={})
    merged = {f.id: f for f in loaded}
    merged.update((f.id, f) for f in result.findings)  # a fresh hunt wins over a saved copy
    result.findings = sorted(merged.values(), key=severity_order)
    return Gathered(result, [str(p) for p in saved], logs)
