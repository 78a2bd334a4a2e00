"""The generated demo domain, in every input shape: the same, correct findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.assess.policy import load_policy
from acctrace.cli import cli
from acctrace.commands.demo import DEMO_POLICY
from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.story import CREATIONS, PASSWORDS
from acctrace.scenario.writers import SHAPES, write_demo


@pytest.fixture(scope="module")
def hunts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, HuntResult]:
    root = tmp_path_factory.mktemp("demo")
    policy = load_policy(DEMO_POLICY)
    return {
        shape: run(write_demo(root / shape, shape), HuntOptions(policy=policy)) for shape in SHAPES
    }


def essentials(result: HuntResult) -> list[tuple]:
    return sorted(
        (
            f.id,
            f.account.name,
            f.process.image if f.process else None,
            tuple(a.image for a in f.lineage),
            tuple(x.action for x in f.follow_up),
            f.verdict.severity,
            tuple(r.code for r in f.verdict.reasons),
        )
        for f in result.findings
    )


def test_every_shape_gives_the_same_findings(hunts: dict[str, HuntResult]) -> None:
    reference = essentials(hunts["ecs"])
    for shape in SHAPES:
        assert essentials(hunts[shape]) == reference, shape


@pytest.mark.parametrize("shape", SHAPES)
def test_each_creation_is_attributed_as_the_story_says(
    hunts: dict[str, HuntResult], shape: str
) -> None:
    found = {f"{f.account.domain}\\{f.account.name}": f for f in hunts[shape].findings}
    assert set(found) == {c.account for c in CREATIONS}
    for c in CREATIONS:
        f = found[c.account]
        assert f.host == c.host
        assert f"{f.creator.domain}\\{f.creator.name}" == c.creator
        assert (f.process.image if f.process else None) == c.tool, c.account
        if c.malicious:
            assert f.verdict.severity in ("medium", "high", "critical"), c.account
            assert "unapproved" in {r.code for r in f.verdict.reasons}
        else:
            assert f.verdict.severity in ("info", "low"), c.account


def test_the_story_behind_each_attack(hunts: dict[str, HuntResult]) -> None:
    f = {x.account.name: x for x in hunts["xml"].findings}
    codes = {name: {r.code for r in x.verdict.reasons} for name, x in f.items()}
    assert {"privileged_group", "remote_session"} <= codes["backdoor"]
    assert f["backdoor"].session.source_ip == "10.0.0.102" and f["backdoor"].session.logon_type == 3
    assert "logon" in {x.action for x in f["backdoor"].follow_up}
    assert {"hidden_name", "short_lived", "privileged_group"} <= codes["adm1n$"]
    assert {"encoded_command", "risky_uac"} <= codes["support_tmp"]
    assert f["support_tmp"].process.telemetry == "sysmon-1"  # SRV01 keeps Sysmon only
    assert "system_context" in codes["svc_update"]
    assert [a.image.rsplit("\\", 1)[1].lower() for a in f["svc_update"].lineage[:3]] == [
        "net.exe",
        "cmd.exe",
        "services.exe",
    ]
    assert {"known_benign", "no_process_telemetry"} <= codes["defaultuser0"]
    assert f["jdoe"].approval.workflow == "hr-onboarding-feed"
    assert f["asmith"].approval.workflow == "helpdesk-aduc"
    assert f["jdoe"].process.telemetry == "security-4688"  # DC01 keeps 4688 only


def test_no_password_from_the_story_reaches_a_finding(hunts: dict[str, HuntResult]) -> None:
    for result in hunts.values():
        text = result.model_dump_json()
        assert not [p for p in PASSWORDS if p in text]


def test_the_demo_command_writes_logs_and_policy_then_hunts(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "d"), "--format", "nxlog"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "policy.yaml").is_file()
    assert len(list((tmp_path / "d" / "logs").glob("*.jsonl"))) == 4
    assert "7 findings" in result.stdout.splitlines()[-1]
    assert "Approved: Matches approved workflow 'hr-onboarding-feed'" in result.stdout
