"""`acctrace export` as a user runs it."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.commands.demo import DEMO_POLICY


def test_export_writes_each_target_to_a_file(tmp_path: Path) -> None:
    for target, first in [("sigma", "# "), ("eql", "// "), ("sql", "-- "), ("kql", "// ")]:
        out = tmp_path / f"an1604.{target}"
        result = CliRunner().invoke(
            cli, ["export", "--to", target, "--policy", str(DEMO_POLICY), "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert result.output == ""
        assert out.read_text(encoding="utf-8").startswith(first + "acctrace ")


def test_window_reaches_the_output() -> None:
    result = CliRunner().invoke(cli, ["export", "--to", "sigma", "--window", "300"])
    assert result.exit_code == 0
    timespans = [
        d["correlation"]["timespan"]
        for d in yaml.safe_load_all(result.output)
        if "correlation" in d
    ]
    assert timespans == ["300s"] * 3


def test_a_bad_policy_is_one_line_naming_the_file(tmp_path: Path) -> None:
    policy = tmp_path / "approved.yaml"
    policy.write_text("workflows: [{name: everything}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", "--to", "spl", "--policy", str(policy)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and str(policy) in result.output


def test_dialect_is_for_sql_only() -> None:
    result = CliRunner().invoke(cli, ["export", "--to", "eql", "--dialect", "postgres"])
    assert result.exit_code == 2 and "--dialect applies to --to sql only" in result.output
    result = CliRunner().invoke(cli, ["export", "--to", "sql", "--dialect", "snowflake"])
    assert result.exit_code == 0 and "dialect snowflake" in result.output


def test_the_policy_hash_is_of_its_content_not_its_formatting(tmp_path: Path) -> None:
    from acctrace.assess.policy import load_policy
    from acctrace.export.definition import policy_hash

    terse = tmp_path / "terse.yaml"
    terse.write_text("workflows: [{name: hr, creators: ['CORP\\svc']}]\n", encoding="utf-8")
    spaced = tmp_path / "spaced.yaml"
    spaced.write_text(
        "# approved\nversion: 1\nworkflows:\n  - name: hr\n    creators:\n      - 'CORP\\svc'\n",
        encoding="utf-8",
    )
    other = tmp_path / "other.yaml"
    other.write_text("workflows: [{name: hr, creators: ['CORP\\svd']}]\n", encoding="utf-8")
    hashes = [policy_hash(load_policy(p)) for p in (terse, spaced, other)]
    assert hashes[0] == hashes[1] != hashes[2]


def test_the_command_offers_every_dialect_the_sql_target_compiles() -> None:
    from acctrace.export import sql
    from acctrace.export.command import SQL_DIALECTS  # kept apart: the command loads no Ibis

    assert set(SQL_DIALECTS) == set(sql.DIALECTS)
