"""`acctrace serve` refuses bad inputs with one line naming the file, before it listens."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from acctrace.cli import cli
from tests.serve.conftest import Served, finding_ids, ingest


def _serve(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["serve", *args, "--port", "0"])
    return result.exit_code, result.output


def test_bad_inputs_are_one_line_errors(demo_dir: Path, tmp_path: Path) -> None:
    not_a_store = tmp_path / "notes.duckdb"
    not_a_store.write_text("hello", encoding="utf-8")
    code, output = _serve("--db", str(not_a_store))
    assert code == 1 and output.startswith("Error: ") and str(not_a_store) in output
    assert len(output.strip().splitlines()) == 1

    store = ingest(demo_dir, tmp_path / "demo.duckdb")
    policy = tmp_path / "policy.yaml"
    policy.write_text("workflows:\n  - name: all\n", encoding="utf-8")
    code, output = _serve("--db", str(store), "--policy", str(policy))
    assert code == 1 and f"{policy}: workflows.0" in output and "approve everything" in output

    users = tmp_path / "team.yaml"
    users.write_text("users:\n  - name: eve\n    role: root\n    password_hash: x\n")
    code, output = _serve("--db", str(store), "--users", str(users))
    assert code == 1 and f"{users}: users.0.role" in output

    ledger = tmp_path / "ledger.sqlite"
    ledger.write_text("not sqlite at all, just text " * 20, encoding="utf-8")
    code, output = _serve("--db", str(store), "--ledger", str(ledger))
    assert code == 1 and str(ledger) in output


def test_a_policy_broken_while_serving_keeps_the_last_findings(
    demo_served: Served,
) -> None:
    client = demo_served.logged_in()
    shown = finding_ids(client.get("/").text)
    good = demo_served.policy.read_text(encoding="utf-8")  # type: ignore[union-attr]
    demo_served.policy.write_text("workflows: [", encoding="utf-8")  # type: ignore[union-attr]
    try:
        page = client.get("/").text
        assert finding_ids(page) == shown and "could not be read again" in page
        assert "not valid YAML" in page
        workflow = client.get("/workflow", params={"finding": shown[0]})
        assert workflow.status_code == 409 and "The policy cannot be read" in workflow.text
    finally:
        demo_served.policy.write_text(good, encoding="utf-8")  # type: ignore[union-attr]
    assert "could not be read again" not in client.get("/").text
