"""Approved workflows: what matches, what does not and why, and what a bad policy says."""

from __future__ import annotations

from pathlib import Path

import pytest

from acctrace.assess.policy import Policy, load_policy, match
from acctrace.errors import PolicyError
from acctrace.findings import (
    Account,
    Ancestor,
    Attack,
    Creator,
    Finding,
    Process,
    Verdict,
)


def finding(
    creator: str = "svc-provision",
    host: str = "DC01.corp.local",
    image: str | None = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
    parent: str | None = "C:\\Windows\\System32\\svchost.exe",
    name: str = "jdoe",
    time: str = "2024-03-04T08:00:00.000Z",
) -> Finding:
    return Finding(
        id="x",
        time=time,
        host=host,
        account=Account(
            name=name, domain="CORP", sid="S-1-5-21-1-2-3-1105", scope="domain", hidden=False
        ),
        creator=Creator(
            name=creator,
            domain="CORP",
            sid="S-1-5-21-1-2-3-1104",
            logon_id="0x1",
            kind="user",
            admin=True,
        ),
        session=None,
        process=Process(image=image, command_line=None, pid=1, start=time, telemetry="sysmon-1")
        if image
        else None,
        lineage=[Ancestor(image=parent, pid=2, telemetry="sysmon-1")] if parent else [],
        verdict=Verdict(severity="info", score=0, reasons=[]),
        attack=Attack(technique="T1136.002"),
        sources=[],
    )


POLICY = Policy.model_validate(
    {
        "groups": {"provisioners": ["CORP\\svc-provision", "CORP\\helpdesk1"]},
        "workflows": [
            {
                "name": "hr-feed",
                "ticket": "CHG-42",
                "creators": ["group:provisioners"],
                "hosts": ["dc*"],
                "process_images": ["powershell.exe"],
                "parent_images": ["svchost.exe"],
                "account_names": ["[a-z]*"],
                "valid_from": "2024-01-01",
                "valid_until": "2024-12-31",
            },
        ],
    }
)


def test_a_finding_that_meets_every_condition_is_approved() -> None:
    workflow, why_not = match(POLICY, finding())
    assert workflow is not None and workflow.name == "hr-feed" and why_not is None


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"creator": "mallory"}, "creator"),
        ({"host": "WS01.corp.local"}, "host WS01.corp.local"),
        ({"image": "C:\\Windows\\System32\\net1.exe"}, "process net1.exe"),
        ({"image": None}, "process unknown"),
        ({"parent": "C:\\Users\\x\\evil.exe"}, "parent evil.exe"),
        ({"name": "1337$"}, "account name 1337$"),
        ({"time": "2025-02-01T00:00:00.000Z"}, "after its validity"),
    ],
)
def test_each_failed_condition_is_named(change: dict, words: str) -> None:
    workflow, why_not = match(POLICY, finding(**change))
    assert workflow is None
    assert "closest workflow 'hr-feed'" in why_not and words in why_not


def test_a_workflow_without_conditions_is_refused() -> None:
    with pytest.raises(ValueError, match="would approve everything"):
        Policy.model_validate({"workflows": [{"name": "all"}]})


def test_bad_policy_files_give_one_line_with_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text("workflows:\n  - name: x\n    hostz: [a]\n")
    with pytest.raises(PolicyError) as err:
        load_policy(bad)
    assert str(err.value).startswith(str(bad)) and "hostz" in str(err.value)
    assert "\n" not in str(err.value)
    bad.write_text("workflows: [unclosed")
    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(bad)
    with pytest.raises(PolicyError):
        load_policy(tmp_path / "absent.yaml")
