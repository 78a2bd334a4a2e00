"""The text output an analyst reads first: the answer on the first line of each finding,
colour only where it belongs, and the options Hayabusa users expect."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.commands.common import use_color
from acctrace.findings import HuntResult
from acctrace.report import text
from tests.report.conftest import by_name

PYTHON_NONE = re.compile(r"(?<![\"'])\bNone\b(?![\"'])")


def _blocks(output: str) -> dict[str, str]:
    """Text blocks by account name (read from the `account` line); a name seen twice (the
    two accounts named `$`) keys its second block with the finding id appended."""
    blocks: dict[str, str] = {}
    for block in output.split("\n\n"):
        match = re.search(r"^  account  \S+?\\(\S+) ", block, re.MULTILINE)
        if match:
            name = match.group(1)
            blocks[name if name not in blocks else name + block.rsplit("id ", 1)[-1]] = block
    return blocks


def test_the_headline_names_the_remote_user_and_host_behind_a_service(
    demo_result: HuntResult,
) -> None:
    block = text.block(by_name(demo_result, "svc_update"))
    first = block.splitlines()[0]
    assert first.startswith("[HIGH ") or first.startswith("[CRITICAL ")
    assert "CORP\\alice on WS01.corp.local" in first
    assert "sc.exe" in first and "net1.exe" in first and "WS02\\svc_update" in first
    assert "as SYSTEM" in first and first.endswith(".")


def test_every_headline_reads_as_one_sentence(demo_result: HuntResult) -> None:
    for f in demo_result.findings:
        first = text.block(f).splitlines()[0]
        assert re.match(r"^\[(CRITICAL|HIGH|MEDIUM|LOW|INFO) \d+\] \S.* created ", first), first
        assert first.endswith(".") and f.account.name in first and (f.host or "") in first


def test_encoded_powershell_is_decoded_in_place(demo_result: HuntResult) -> None:
    block = text.block(by_name(demo_result, "support_tmp"))
    assert "decoded: New-LocalUser -Name support_tmp -NoPassword" in block
    reasons = by_name(demo_result, "support_tmp").verdict.reasons
    encoded = next(r.text for r in reasons if r.code == "encoded_command")
    assert "decoded: New-LocalUser -Name support_tmp" in encoded and "decode it" not in encoded


def test_related_findings_are_linked_in_text_and_json(demo_dir: Path) -> None:
    out = CliRunner().invoke(cli, ["hunt", str(demo_dir), "--json"]).stdout
    findings = {f["account"]["name"]: f for f in map(json.loads, out.splitlines())}
    backdoor, adm1n = findings["backdoor"], findings["adm1n$"]
    assert [r["id"] for r in backdoor["related"]] == [adm1n["id"]]
    assert backdoor["related"][0]["links"][0] == "session"
    assert findings["jdoe"]["related"] == []
    shown = _blocks(CliRunner().invoke(cli, ["hunt", str(demo_dir)]).stdout)
    assert "related  1 other account from this session: WS01\\adm1n$" in shown["backdoor"]


def test_no_python_none_and_no_approval_silence(shared_data: Path) -> None:
    out = CliRunner().invoke(cli, ["hunt", str(shared_data / "evtx")]).stdout
    blocks = _blocks(out)
    assert len(blocks) == 10
    for name, block in blocks.items():
        assert not PYTHON_NONE.search(block), block
        assert "Approval not checked (no policy given)" in block, name
    assert '"None" (default group, RID 513)' in blocks["toto3"]


def test_plurals_and_the_summary_table(shared_data: Path) -> None:
    one = shared_data / "evtx" / "mdecrevoisier" / "ID4720-Local user created.evtx"
    last = CliRunner().invoke(cli, ["hunt", str(one)]).stdout.splitlines()
    assert last[-1].startswith("1 file, ") and "; 1 finding (1 info)" in last[-1]
    assert "0 input problems" in last[-1]
    assert any(line.startswith("  creator ") for line in last)
    assert any(line.startswith("  OFFSEC\\admmig ") for line in last)


def test_min_severity_and_output_file(demo_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "high.txt"
    run = CliRunner().invoke(
        cli, ["hunt", str(demo_dir), "--min-severity", "high", "-o", str(target)]
    )
    assert run.exit_code == 0 and run.stdout == ""
    written = target.read_text(encoding="utf-8")
    shown = _blocks(written)
    assert set(shown) == {"backdoor", "adm1n$", "support_tmp", "svc_update"}
    assert written.rstrip().endswith("3 below --min-severity not shown")
    lines = CliRunner().invoke(cli, ["hunt", str(demo_dir), "--json", "--min-severity", "high"])
    assert len(lines.stdout.splitlines()) == 4


@pytest.fixture
def terminal():
    """A real terminal (a pseudo-terminal pair) for the colour decision."""
    leader, follower = os.openpty()
    with open(follower, "w", closefd=True) as stream:
        yield stream
    os.close(leader)


def test_colour_only_on_a_terminal_and_never_with_no_color(
    terminal: io.TextIOBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(terminal, no_color=False)
    assert not use_color(terminal, no_color=True)
    assert not use_color(io.StringIO(), no_color=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(terminal, no_color=False)


def test_colour_wraps_only_the_severity(demo_result: HuntResult) -> None:
    stream = io.StringIO()
    text.render(demo_result, stream, color=True)
    coloured = stream.getvalue()
    assert "\x1b[31m\x1b[1m[CRITICAL 100]\x1b[0m" in coloured
    plain = io.StringIO()
    text.render(demo_result, plain)
    assert "\x1b" not in plain.getvalue()
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain.getvalue()
