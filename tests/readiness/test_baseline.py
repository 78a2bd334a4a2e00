"""Tuning from history: weeks of routine provisioning are proposed as a workflow, the
intrusion after them is not, and `hunt --baseline` raises what the history never saw."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.assess.policy import load_policy
from acctrace.assess.reasons import registry
from acctrace.baseline.learn import Proposal, host_role, learn, name_pattern
from acctrace.baseline.novelty import load_baseline
from acctrace.cli import cli
from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.history import INTRUSION_ACCOUNTS, ROUTINE_CREATOR
from acctrace.scenario.writers import write_demo

BASELINE_CODES = ("first_seen_creator", "first_seen_tool", "burst")


@pytest.fixture(scope="session")
def learned(history: dict[str, Path]) -> tuple[Proposal, Path]:
    proposal, text, files = learn([history["past"]])
    assert files == 1
    path = history["root"] / "proposed.yaml"
    path.write_text(text, encoding="utf-8")
    return proposal, path


@pytest.fixture(scope="session")
def night(history: dict[str, Path], learned: tuple[Proposal, Path]) -> dict[str, HuntResult]:
    policy_file = learned[1]
    paths = [history["night"]]
    return {
        "plain": run(paths, HuntOptions()),
        "baseline": run(paths, HuntOptions(baseline=load_baseline(policy_file))),
        "policy": run(paths, HuntOptions(policy=load_policy(policy_file))),
    }


def test_account_names_generalise_to_their_shape() -> None:
    pattern = name_pattern("anna.smith")
    assert fnmatchcase("ben.novak", pattern)
    assert not fnmatchcase("svc-sql$", pattern) and not fnmatchcase("bensmith", pattern)
    assert not fnmatchcase("tmp1$", name_pattern("tmp1"))
    assert fnmatchcase("tmp42", name_pattern("tmp1"))
    assert name_pattern("a[1]") == "[a-z]*[[][0-9]*[]]"  # glob characters are literal


def test_host_roles_generalise_digits() -> None:
    assert host_role("DC01.corp.local") == "dc*"
    assert host_role("idm-srv02") == "idm-srv*"
    assert host_role("fileserver") == "fileserver"


def test_routine_provisioning_is_proposed_as_one_workflow(
    learned: tuple[Proposal, Path],
) -> None:
    proposal, path = learned
    policy = load_policy(path)  # the file is a valid policy
    assert len(policy.workflows) == 1
    wf = policy.workflows[0]
    assert wf.creators == [ROUTINE_CREATOR]
    assert wf.hosts == ["dc*"]
    assert wf.process_images == ["wsmprovhost.exe"] and wf.parent_images == ["svchost.exe"]
    assert wf.account_names == ["[a-z]*.[a-z]*[a-z]"]
    group = proposal.groups[0]
    text = path.read_text(encoding="utf-8")
    first = min(f.time for f in group.findings)
    last = max(f.time for f in group.findings)
    assert (
        f"# {len(group.findings)} creations on {group.days} days, first {first}, last {last}"
        in (text)
    )
    assert f"example finding id {sorted(group.findings, key=lambda f: f.time)[0].id}" in text
    assert "PROPOSED" in text and "review" in text.lower()


def test_adopting_the_proposal_approves_the_routine_but_not_the_intrusion(
    history: dict[str, Path], learned: tuple[Proposal, Path], night: dict[str, HuntResult]
) -> None:
    routine = run([history["past"]], HuntOptions(policy=load_policy(learned[1])))
    assert routine.findings and {f.verdict.severity for f in routine.findings} == {"info"}
    adopted = {f.account.name: f for f in night["policy"].findings}
    assert adopted["svc-sql$"].verdict.severity in ("high", "critical")
    assert all(adopted[name].approval is None for name in INTRUSION_ACCOUNTS)


def test_intrusion_in_the_history_is_never_proposed(history: dict[str, Path]) -> None:
    proposal, text, _ = learn([history["past"], history["night"]])
    assert all(g.key.process != "net1.exe" for g in proposal.groups)
    assert "svc-sql$" in {f.account.name for f in proposal.attack_looking}
    assert "attack-looking creation" in text and "(s)" not in text
    # the four tmpN accounts were made in one night: too rare to call routine
    assert any(g.key.process == "net1.exe" for g in proposal.too_rare)


def test_baseline_reasons_raise_the_intrusion(night: dict[str, HuntResult]) -> None:
    plain = {f.account.name: f for f in night["plain"].findings}
    tuned = {f.account.name: f for f in night["baseline"].findings}
    weights = {code: entry.weight for code, entry in registry().items()}
    hidden = tuned["svc-sql$"]
    assert hidden.verdict.severity in ("high", "critical")
    codes = [r.code for r in hidden.verdict.reasons]
    assert "first_seen_tool" in codes and "burst" in codes and "first_seen_creator" not in codes
    burst = next(r.text for r in hidden.verdict.reasons if r.code == "burst")
    assert "One of 5 accounts created by CORP\\helpdesk1 within 160 s" in burst
    tool = next(r.text for r in hidden.verdict.reasons if r.code == "first_seen_tool")
    assert "net1.exe <- net.exe" in tool
    gained = weights["first_seen_tool"] + weights["burst"]
    assert tuned["tmp1"].verdict.score == plain["tmp1"].verdict.score + gained


def test_routine_findings_gain_nothing_from_their_own_baseline(
    history: dict[str, Path], learned: tuple[Proposal, Path]
) -> None:
    tuned = run([history["past"]], HuntOptions(baseline=load_baseline(learned[1])))
    for f in tuned.findings:
        assert not {r.code for r in f.verdict.reasons} & set(BASELINE_CODES), f.account.name


def test_another_creator_and_another_tool_are_first_seen(
    tmp_path: Path, learned: tuple[Proposal, Path]
) -> None:
    """The demo domain: helpdesk1 uses MMC there (a new tool), svc-provision is new."""
    result = run(write_demo(tmp_path, "ecs"), HuntOptions(baseline=load_baseline(learned[1])))
    by_name = {f.account.name: {r.code for r in f.verdict.reasons} for f in result.findings}
    assert "first_seen_tool" in by_name["asmith"] and "first_seen_creator" not in by_name["asmith"]
    assert "first_seen_creator" in by_name["jdoe"]


def test_cli_baseline_then_hunt_with_it(history: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "proposed.yaml"
    learned = runner.invoke(cli, ["baseline", str(history["past"]), "--out", str(out)])
    assert learned.exit_code == 0, learned.output
    assert "1 proposed workflow written" in learned.stderr
    hunted = runner.invoke(cli, ["hunt", str(history["night"]), "--baseline", str(out), "--json"])
    assert hunted.exit_code == 0, hunted.output
    findings = [json.loads(line) for line in hunted.stdout.splitlines()]
    assert all("burst" in {r["code"] for r in f["verdict"]["reasons"]} for f in findings)


def test_cli_bad_baseline_file_is_exit_1(history: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("workflows: [{name: x}]\n")  # a workflow with no condition
    result = CliRunner().invoke(cli, ["hunt", str(history["night"]), "--baseline", str(bad)])
    assert result.exit_code == 1 and "bad.yaml" in result.stderr
