"""`validate plan` and `validate fix-kit`: the files a team deploys, parsed as PowerShell
(tree-sitter's PowerShell grammar), XML and CSV, and checked for what makes them safe."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.validate.fixes import SUBCATEGORY_EVENTS, guid_of
from acctrace.validate.methods import methods

ts = pytest.importorskip("tree_sitter", reason="the test extra installs tree-sitter")
grammar = pytest.importorskip("tree_sitter_powershell", reason="the test extra installs it")


def parse(text: str):  # type: ignore[no-untyped-def]
    tree = ts.Parser(ts.Language(grammar.language())).parse(text.encode("utf-8"))
    return tree.root_node


def errors(node) -> list[str]:  # type: ignore[no-untyped-def]
    found = [f"{node.start_point}: {node.text[:60]!r}"] if node.is_error or node.is_missing else []
    for child in node.children:
        found += errors(child)
    return found


def nodes(node, kind: str) -> list:  # type: ignore[no-untyped-def]
    found = [node] if node.type == kind else []
    for child in node.children:
        found += nodes(child, kind)
    return found


def plan_dir(tmp_path: Path, *flags: str) -> Path:
    out = tmp_path / "plan"
    result = CliRunner().invoke(cli, ["validate", "plan", *flags, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def full_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan_dir(tmp_path_factory.mktemp("full"))


def test_the_script_parses_as_powershell(full_plan: Path) -> None:
    root = parse((full_plan / "acctrace-validate.ps1").read_text(encoding="utf-8"))
    assert errors(root) == []


def test_every_scripted_method_runs_with_cleanup_under_its_account(full_plan: Path) -> None:
    """One Invoke-TestMethod call per scripted method of plan.json: its account created in
    -Create and deleted in -Delete, disabled in -Disable if deletion fails."""
    plan = json.loads((full_plan / "plan.json").read_text(encoding="utf-8"))
    root = parse((full_plan / "acctrace-validate.ps1").read_text(encoding="utf-8"))
    calls = {}
    for command in nodes(root, "command"):
        name = command.child_by_field_name("command_name")
        if name is None or name.text != b"Invoke-TestMethod":
            continue
        text = command.text.decode()
        method = text.split("-Method '", 1)[1].split("'", 1)[0]
        calls[method] = text
    scripted = [p for p in plan["methods"] if p["mode"] == "scripted"]
    assert sorted(calls) == sorted(p["id"] for p in scripted)
    for planned in scripted:
        call, account = calls[planned["id"]], planned["account"]
        create = call.split("-Create {", 1)[1].split("} -Delete {", 1)[0]
        delete = call.split("-Delete {", 1)[1].split("} -Disable {", 1)[0]
        disable = call.split("-Disable {", 1)[1]
        assert account in create and f"net user {account} /delete" in delete
        assert f"net user {account} /active:no" in disable


def test_the_script_refuses_without_the_switch_and_cleans_up_in_finally(full_plan: Path) -> None:
    text = (full_plan / "acctrace-validate.ps1").read_text(encoding="utf-8")
    root = parse(text)
    refusal = text.index("if (-not $IUnderstandThisCreatesAccounts)")
    first_call = text.index("Invoke-TestMethod -Method")
    assert refusal < first_call and "exit 2" in text[refusal:first_call]
    tries = [n.text.decode() for n in nodes(root, "try_statement")]
    runner = next(t for t in tries if "& $Create" in t)
    finally_part = runner.split("finally", 1)[1]
    assert "& $Delete" in finally_part and "& $Disable" in finally_part
    assert "Add-Content -Path $RunLog" in finally_part  # the run log `check` reads


def test_the_password_is_made_at_run_time_and_never_logged(full_plan: Path) -> None:
    text = (full_plan / "acctrace-validate.ps1").read_text(encoding="utf-8")
    assert "RandomNumberGenerator" in text and "$Password = New-TestPassword" in text
    entry = text.split("$entry = [ordered]@{", 1)[1].split("}", 1)[0]
    assert "Password" not in entry  # the run log's fields
    assert "Write-Host" not in " ".join(
        line for line in text.splitlines() if "$Password" in line and "New-TestPassword" not in line
    )


def test_the_script_prints_how_to_collect_the_logs(full_plan: Path) -> None:
    text = (full_plan / "acctrace-validate.ps1").read_text(encoding="utf-8")
    assert 'wevtutil epl "Security"' in text and "acctrace validate check" in text


def test_local_only_plans_need_no_ou(tmp_path: Path) -> None:
    out = plan_dir(tmp_path, "--local")
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert {p["scope"] for p in plan["methods"]} == {"local"}
    assert "$DomainMethods = $false" in (out / "acctrace-validate.ps1").read_text(encoding="utf-8")


def test_manual_steps_name_each_mmc_account(full_plan: Path) -> None:
    plan = json.loads((full_plan / "plan.json").read_text(encoding="utf-8"))
    steps = (full_plan / "manual-steps.md").read_text(encoding="utf-8")
    manual = [p for p in plan["methods"] if p["mode"] == "manual"]
    assert len(manual) == sum(m.mode == "manual" for m in methods())
    for planned in manual:
        assert planned["account"] in steps
    for snap_in in ("lusrmgr.msc", "compmgmt.msc", "dsa.msc"):
        assert snap_in in steps


def test_the_fix_kit_is_valid_powershell_csv_and_sysmon_xml(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "fix-kit", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    script = (tmp_path / "acctrace-audit-settings.ps1").read_text(encoding="utf-8")
    assert errors(parse(script)) == []
    assert "{0CCE9235-69AE-11D9-BED3-505054503030}" in script  # User Account Management
    assert "{0CCE922B-69AE-11D9-BED3-505054503030}" in script  # Process Creation
    assert "ProcessCreationIncludeCmdLine_Enabled /t REG_DWORD /d 1" in script
    assert "EnableScriptBlockLogging /t REG_DWORD /d 1" in script
    rows = list(csv.DictReader(io.StringIO((tmp_path / "audit.csv").read_text("utf-8"))))
    assert {r["Subcategory GUID"] for r in rows} == {
        "{" + guid_of(name) + "}" for name in SUBCATEGORY_EVENTS
    }
    assert {r["Subcategory GUID"] for r in rows} >= {
        "{0CCE9215-69AE-11D9-BED3-505054503030}",  # Logon
        "{0CCE921B-69AE-11D9-BED3-505054503030}",  # Special Logon
        "{0CCE9237-69AE-11D9-BED3-505054503030}",  # Security Group Management
    }
    sysmon = ElementTree.parse(tmp_path / "sysmon-acctrace.xml").getroot()
    groups = {g.get("name") for g in sysmon.iter("RuleGroup")}
    assert groups == {
        "acctrace-process",
        "acctrace-process-end",
        "acctrace-network",
        "acctrace-sam",
    }
