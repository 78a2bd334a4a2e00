"""Which candidate process created the account, and how sure we are.

Candidates come from the correlation (same host, same logon session, alive in the
window). The ranking prefers command lines that create accounts, then the process that
did the work over the one that launched it (net1.exe over net.exe) when both show the
creation, then the process closest in time. A child whose command line shows something
else never beats a parent that shows the creation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from acctrace.assess.tools import basename, creation_evidence, is_standard_tool

Row = dict[str, Any]
_SECOND_US = 1_000_000
_SAME_PROCESS_US = 2 * _SECOND_US  # 4688 and Sysmon 1 of one process are written within this


@dataclass
class Ranked:
    row: Row
    confidence: float  # unrounded, so that near ties still rank by proximity
    evidence: list[str]
    also_logged_as: Row | None = None  # the other telemetry's record of the same process


def rank(candidates: list[Row], creation_time_us: int) -> list[Ranked]:
    """Candidates best first, with a confidence in 0..1 and the evidence behind it."""
    if creation_time_us % _SECOND_US == 0:
        # Logged with whole seconds only (NXLog's EventTime): it happened within that second.
        creation_time_us += _SECOND_US - 1
    processes = _merge_duplicates(candidates)
    keys_with_evidence = {
        p.row["event_key"] for p in processes if creation_evidence(p.row["command_line"])[0] > 0
    }
    for p in processes:
        p.confidence, p.evidence = _score(p, creation_time_us, processes, keys_with_evidence)
    return sorted(processes, key=lambda p: (-p.confidence, p.row["event_key"]))


def _score(p: Ranked, creation_time_us: int, all_: list[Ranked], with_evidence: set[str]):
    row = p.row
    weight, pattern = creation_evidence(row["command_line"])
    evidence = []
    if pattern:
        evidence.append(f"command line matches '{pattern}'")
    elif row["command_line"] is None and is_standard_tool(row["image"]):
        weight = 0.4
        evidence.append(f"{basename(row['image'])} manages accounts (no command line logged)")
    delay_s = max(creation_time_us - row["time_us"], 0) / 1_000_000
    proximity = 1.0 / (1.0 + delay_s / 10.0)
    evidence.append(f"started {delay_s:.3f} s before the creation in the creator's session")
    worker_bonus = 0.0
    parent = _parent_among(row, all_)
    if parent is not None and parent.row["event_key"] in with_evidence and weight > 0:
        worker_bonus = 0.04
        evidence.append(f"child of {basename(parent.row['image'])}, which also shows the creation")
    return min(1.0, 0.7 * weight + 0.25 * proximity + worker_bonus), evidence


def _parent_among(row: Row, processes: list[Ranked]) -> Ranked | None:
    for p in processes:
        other = p.row
        if other["host"] != row["host"]:
            continue
        if row["parent_process_guid"] and other["process_guid"] == row["parent_process_guid"]:
            return p
        if other["pid"] == row["parent_pid"] and other["time_us"] <= row["time_us"]:
            return p
    return None


def _merge_duplicates(candidates: list[Row]) -> list[Ranked]:
    """One entry per process when both 4688 and Sysmon 1 logged it; Sysmon's is kept."""
    ordered = sorted(candidates, key=lambda r: (r["telemetry"] != "sysmon-1", r["event_key"]))
    kept: list[Ranked] = []
    for row in ordered:
        twin = next((k for k in kept if _same_process(k.row, row)), None)
        if twin is None:
            kept.append(Ranked(row, 0.0, []))
        elif twin.also_logged_as is None:
            twin.also_logged_as = row
    return kept


def _same_process(a: Row, b: Row) -> bool:
    return (
        a["telemetry"] != b["telemetry"]
        and a["pid"] == b["pid"]
        and basename(a["image"]) == basename(b["image"])
        and abs(a["time_us"] - b["time_us"]) <= _SAME_PROCESS_US
    )
