"""The commands agree: `report`, `coverage` and `baseline` take the inputs `hunt` takes
(a store, a host inventory, a baseline) and mean the same by them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.scenario.writers import write_demo

INVENTORY = "name,ips,role\nSRV01,10.0.0.20,server\nDC01,10.0.0.10,domain_controller\n"


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("parity")
    write_demo(root / "logs", "ecs")
    (root / "hosts.csv").write_text(INVENTORY, encoding="utf-8")
    assert invoke("ingest", root / "logs", "--db", root / "store.duckdb").exit_code == 0
    return root


@pytest.mark.parametrize("command", ["hunt", "report"])
def test_since_after_until_is_a_usage_error(command: str, demo: Path) -> None:
    run = invoke(command, demo / "logs", "--since", "2024-03-05", "--until", "2024-03-04")
    assert run.exit_code == 2
    assert "--since 2024-03-05 is after --until 2024-03-04" in run.output


def test_report_reads_the_store_and_the_inventory_like_hunt(demo: Path) -> None:
    hunted = invoke("hunt", "--db", demo / "store.duckdb", "--hosts", demo / "hosts.csv", "--json")
    findings = [json.loads(line) for line in hunted.stdout.splitlines()]
    support = next(f for f in findings if f["account"]["name"] == "support_tmp")
    assert support["host_role"] == "server"
    page = demo / "report.md"
    made = invoke(
        "report", "--db", demo / "store.duckdb", "--hosts", demo / "hosts.csv",
        "--format", "md", "-o", page,
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    text = page.read_text(encoding="utf-8")
    assert all(f"](#case-{f['id']})" in text for f in findings)
    assert "Created on a server" in text  # the inventory's role reached the verdict


def test_report_takes_a_baseline_like_hunt(demo: Path) -> None:
    proposed = demo / "proposed.yaml"
    learned = invoke("baseline", "--db", demo / "store.duckdb", "--out", proposed)
    assert learned.exit_code == 0, learned.output
    hunted = invoke("hunt", demo / "logs", "--baseline", proposed, "--json")
    made = invoke("report", demo / "logs", "--baseline", proposed, "--format", "md")
    findings = [json.loads(line) for line in hunted.stdout.splitlines()]
    codes = {r["code"] for f in findings for r in f["verdict"]["reasons"]}
    shown = {code for code in ("first_seen_creator", "first_seen_tool", "burst") if code in codes}
    assert shown, codes  # the demo's attackers never created accounts in its history
    assert all(f"(`{code}`)" in made.stdout for code in shown)


def test_coverage_takes_the_inventory(demo: Path) -> None:
    plain = invoke("coverage", demo / "logs", "--json")
    with_hosts = invoke("coverage", demo / "logs", "--json", "--hosts", demo / "hosts.csv")
    assert plain.exit_code == with_hosts.exit_code == 0
    bad = invoke("coverage", demo / "logs", "--hosts", demo / "missing.csv")
    assert bad.exit_code != 0 and "missing.csv" in bad.output
