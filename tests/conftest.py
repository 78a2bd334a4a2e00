"""Shared fixtures. Real Windows event data lives beside the project in ../shared/data;
tests that need it are skipped, not failed, where it is absent (a user's checkout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data (real Windows event logs) is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def whole_tree(shared_data: Path) -> HuntResult:
    """One hunt over every real file, shared by the tests that assert facts about it."""
    return run([shared_data], HuntOptions())


def hunt(*paths: Path, options: HuntOptions | None = None) -> HuntResult:
    return run(list(paths), options or HuntOptions())
