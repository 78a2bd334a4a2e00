"""Generated history for readiness and baseline tests: weeks of routine provisioning, then
an intrusion (acctrace/scenario/history.py), written as files the way a collector ships them.
Hunts and coverage of it are computed once per session: they are what the tests examine."""

from __future__ import annotations

from pathlib import Path

import pytest

from acctrace.readiness import coverage
from acctrace.readiness.report import CoverageReport
from acctrace.scenario.history import intrusion, routine
from acctrace.scenario.writers import write

WEEKS = 2


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("history")
    (root / "past").mkdir()
    (root / "night").mkdir()
    write(routine(weeks=WEEKS), root / "past" / "security.jsonl", "event-json")
    write(intrusion(weeks=WEEKS), root / "night" / "dc01.xml", "xml")
    return {"past": root / "past", "night": root / "night", "root": root}


@pytest.fixture(scope="session")
def past_coverage(history: dict[str, Path]) -> CoverageReport:
    return coverage([history["past"]])
