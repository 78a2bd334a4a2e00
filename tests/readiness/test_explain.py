"""`acctrace explain` prints the analytic from bundled data, with its licence notice."""

from __future__ import annotations

from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.readiness.explain import excerpt


def test_explain_covers_the_analytic_its_tunables_and_siblings() -> None:
    result = CliRunner().invoke(cli, ["explain"])
    assert result.exit_code == 0
    out = result.stdout
    assert "AN1604 (Windows)" in out and "DET0583" in out and "T1136" in out
    assert "Detection focuses on Event ID 4720 paired with process lineage" in out
    assert "WinEventLog:Security EventCode=4720" in out and "WinEventLog:Sysmon EventCode=1" in out
    for tunable, where in (
        ("TimeWindow", "--window"),
        ("ParentProcessName", "parent_images"),
        ("UserContext", "creators"),
    ):
        block = out[out.index(tunable) :]
        assert "acctrace:" in block and where in block[: block.index("set it with") + 200]
    for sibling in ("AN0006", "AN1235", "AN1001", "AN1077", "AN1605", "AN1606", "AN1607", "AN1608"):
        assert f"  {sibling} (" in out
    assert "ATT&CK is © The MITRE Corporation, reproduced under its terms of use" in out


def test_the_bundled_excerpt_is_complete_data() -> None:
    data = excerpt()
    assert data["version"] >= 1 and "MITRE" in data["licence"]
    assert [m["field"] for m in data["analytic"]["mutable_elements"]] == [
        "TimeWindow",
        "ParentProcessName",
        "UserContext",
    ]
    assert all(m["acctrace"] and m["where"] for m in data["analytic"]["mutable_elements"])
    assert data["strategy"]["analytics"] == ["AN1604", "AN1605", "AN1606", "AN1607", "AN1608"]
