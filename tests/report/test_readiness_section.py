"""The report's overview carries the telemetry readiness of the hosts when given logs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.scenario.writers import write_demo


def test_a_report_of_logs_says_how_ready_each_host_is(tmp_path: Path) -> None:
    logs = write_demo(tmp_path / "logs", "ecs")
    out = tmp_path / "report.html"
    assert CliRunner().invoke(cli, ["report", *map(str, logs), "-o", str(out)]).exit_code == 0
    page = out.read_text(encoding="utf-8")
    section = page[page.index('id="readiness"') :]
    for host in ("DC01.corp.local", "SRV01.corp.local", "WS01.corp.local", "WS02.corp.local"):
        assert host in section
    assert "PowerShell script block logging" in section  # a fix the demo's hosts need


def test_a_report_of_saved_findings_has_no_readiness_section(tmp_path: Path) -> None:
    logs = write_demo(tmp_path / "logs", "ecs")
    saved = tmp_path / "findings.jsonl"
    hunted = CliRunner().invoke(cli, ["hunt", *map(str, logs), "--json"])
    saved.write_text(hunted.stdout, encoding="utf-8")
    assert all(json.loads(line)["id"] for line in hunted.stdout.splitlines())
    out = tmp_path / "report.html"
    assert CliRunner().invoke(cli, ["report", str(saved), "-o", str(out)]).exit_code == 0
    assert 'id="readiness"' not in out.read_text(encoding="utf-8")
