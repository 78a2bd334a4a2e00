"""Every export of the demo policy, byte for byte. A change to what an export says must be
reviewed: regenerate in the same commit with

    ACCTRACE_UPDATE_GOLDEN=1 pytest tests/export/test_golden.py

KQL and SPL cannot run here (no Kusto or Splunk engine); their golden files are the
reviewed text (docs/export.md says what each expresses)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlglot

from acctrace.assess.policy import load_policy
from acctrace.commands.demo import DEMO_POLICY
from acctrace.correlate.window import Window
from acctrace.export import eql, kql, sigma, spl, sql
from acctrace.export.definition import analytic_of

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("ACCTRACE_UPDATE_GOLDEN") == "1"
DEMO = analytic_of(load_policy(DEMO_POLICY), Window())
OUTPUTS = {
    "an1604.sigma.yml": lambda: sigma.render(DEMO),
    "an1604.eql": lambda: eql.render(DEMO),
    "an1604.kql": lambda: kql.render(DEMO),
    "an1604.spl": lambda: spl.render(DEMO),
    **{f"an1604.{d}.sql": (lambda d=d: sql.render(DEMO, d)) for d in sql.DIALECTS},
}


def _stable(text: str) -> str:
    """The version changes with every release; the rest must not change unreviewed."""
    return re.sub(r"acctrace \S+ export", "acctrace VERSION export", text, count=1)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_export_matches_its_golden_file(name: str) -> None:
    text = _stable(OUTPUTS[name]())
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{name} changed: review it, then regenerate with "
        "`ACCTRACE_UPDATE_GOLDEN=1 pytest tests/export/test_golden.py`"
    )


def test_every_output_starts_with_the_header() -> None:
    for name, render in OUTPUTS.items():
        text = render()
        head = text[:2000]
        assert "export of MITRE ATT&CK AN1604" in head.splitlines()[0], name
        assert f"sha256 {DEMO.policy_hash}" in head and "Cannot express" in head, name


@pytest.mark.parametrize("dialect", sorted(sql.DIALECTS))
def test_golden_sql_parses_in_its_dialect(dialect: str) -> None:
    text = (GOLDEN / f"an1604.{dialect}.sql").read_text(encoding="utf-8")
    statements = sqlglot.parse(text, read=sql.reader(dialect))
    views = [s.this.sql() for s in statements if s is not None]
    assert views == [sql.CREATION_VIEW, sql.PAIR_VIEW]
