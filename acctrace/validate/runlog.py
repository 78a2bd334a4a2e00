"""The run log the plan's script appends to: one JSON line per method it ran.

It holds what ran, as whom, on which host and when, and whether creation and deletion
succeeded; never the password. `check` uses it to tell a method that failed to run from
one whose events are missing, and a cleared log from auditing that is off.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from acctrace.errors import AcctraceError


class RunEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    run_id: str
    method: str
    account: str
    scope: str
    host: str
    user: str
    started: str  # UTC, ISO 8601 with Z: compared as text with the logs' times
    created: bool
    deleted: bool
    error: str | None = None
    finished: str | None = None


class RunLogError(AcctraceError):
    """A run log that cannot be read."""


def load_run_log(path: Path) -> list[RunEntry]:
    """Every entry; a line that is not an entry is one error naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Windows PowerShell writes a BOM
    except OSError as exc:
        raise RunLogError(f"cannot read the run log ({exc.strerror or exc})", str(path)) from exc
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            entries.append(RunEntry.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise RunLogError(
                f"line {number} is not a run-log entry ({where}: {first['msg']})", str(path)
            ) from exc
    return entries
