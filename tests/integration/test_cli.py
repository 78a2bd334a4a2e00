"""The command line contract: stdout is data, stderr is for people, exit codes are documented."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from acctrace.cli import cli

MDEC = "evtx/mdecrevoisier"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_json_stdout_is_one_finding_per_line_and_nothing_else(shared_data: Path) -> None:
    result = invoke("hunt", str(shared_data / MDEC), "--json")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    schema = json.loads(invoke("schema").stdout)
    for line in lines:
        jsonschema.validate(json.loads(line), schema)
    assert sorted(json.loads(x)["account"]["name"] for x in lines) == [
        "FAKE-COMPUTER$",
        "admin-kriss",
        "hacking-local-acct",
        "toto3",
    ]
    assert "4 findings" in result.stderr


def test_summary_puts_the_most_severe_first_and_counts_at_the_end(shared_data: Path) -> None:
    result = invoke("hunt", str(shared_data / MDEC))
    assert result.exit_code == 0
    headers = [x for x in result.stdout.splitlines() if x.startswith("[")]
    order = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"]
    ranks = [order.index(h[1:].split()[0]) for h in headers]
    assert ranks == sorted(ranks) and len(headers) == 4
    assert result.stdout.splitlines()[-1].startswith("4 files, 14 records read")


def test_bad_input_is_one_line_on_stderr_and_the_run_goes_on(
    shared_data: Path, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.evtx"
    junk.write_bytes(b"ElfFile\x00" + b"\xff" * 100)
    result = invoke("hunt", str(junk), str(shared_data / MDEC), "--json")
    assert result.exit_code == 3  # ran, but something could not be read
    assert len(result.stdout.splitlines()) == 4
    warnings = [x for x in result.stderr.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1 and str(junk) in warnings[0]


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a log")
    result = invoke("hunt", str(tmp_path))
    assert result.exit_code == 1 and "no readable event log" in result.stderr


def test_a_bad_policy_exits_1_naming_the_file(shared_data: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("workflows: [{name: all}]")
    result = invoke("hunt", str(shared_data / MDEC), "--policy", str(policy))
    assert result.exit_code == 1 and str(policy) in result.stderr


def test_since_and_until_select_creations_by_time(shared_data: Path) -> None:
    result = invoke("hunt", str(shared_data / MDEC), "--json", "--since", "2021-01-01")
    assert [json.loads(x)["account"]["name"] for x in result.stdout.splitlines()] == ["toto3"]
    result = invoke("hunt", str(shared_data / MDEC), "--json", "--until", "2020-07-12T06:00:00Z")
    names = sorted(json.loads(x)["account"]["name"] for x in result.stdout.splitlines())
    assert names == ["admin-kriss", "hacking-local-acct"]
    assert invoke("hunt", str(shared_data / MDEC), "--since", "last week").exit_code == 2


def test_a_narrow_window_loses_the_process_but_says_why(shared_data: Path) -> None:
    path = shared_data / MDEC / "ID4688-User creation via commandline.evtx"
    (line,) = invoke("hunt", str(path), "--json", "--window", "0.001").stdout.splitlines()
    finding = json.loads(line)
    assert finding["process"] is None
    assert "no_process_in_session" in [r["code"] for r in finding["verdict"]["reasons"]]
