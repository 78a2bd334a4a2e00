"""Ranking without a policy, on the real recordings: attacks above the users Windows setup
creates, a reason behind every finding, and verdicts that do not depend on the company."""

from __future__ import annotations

from pathlib import Path

from acctrace.assess.reasons import severity_of
from acctrace.assess.setup import setup_context
from acctrace.findings import HuntResult, Process
from acctrace.report.casefile import severity_order
from tests.conftest import hunt

# The first accounts of freshly installed hosts: RID 1000, by SYSTEM, in the first records.
SETUP_USERS = {"John", "fsir"}
# The attack samples (../shared/data README): each was created to be found.
ATTACKS = {"toto3", "hacking-local-acct", "admin-kriss", "FAKE-COMPUTER$", "$", "hideme0007$"}
HIDEME = "evtx/evtx-attack-samples/Persistence/persistence_hidden_local_account_sysmon.evtx"


def test_attack_samples_rank_above_setup_time_users(whole_tree: HuntResult) -> None:
    ranked = [f.account.name for f in sorted(whole_tree.findings, key=severity_order)]
    last_attack = max(i for i, name in enumerate(ranked) if name in ATTACKS)
    first_setup = min(i for i, name in enumerate(ranked) if name in SETUP_USERS)
    assert last_attack < first_setup, ranked


def test_setup_time_users_are_routine_with_the_reason_said(whole_tree: HuntResult) -> None:
    for f in whole_tree.findings:
        codes = [r.code for r in f.verdict.reasons]
        if f.account.name in SETUP_USERS:
            assert codes[0] == "setup_context" and "system_context" not in codes
            assert f.verdict.severity == "info"
            assert "record" in f.verdict.reasons[0].text  # says which evidence showed setup
        else:
            assert "setup_context" not in codes, f.account.name


def test_a_creating_process_that_is_not_setup_rules_setup_out(whole_tree: HuntResult) -> None:
    john = next(f for f in whole_tree.findings if f.account.name == "John")
    assert setup_context(john) is not None
    by_net = Process(
        image="C:\\Windows\\System32\\net1.exe",
        command_line="net1 user John [redacted] /add",
        pid=1,
        start=john.time,
        telemetry="security-4688",
    )
    assert setup_context(john.model_copy(update={"process": by_net})) is None
    by_oobe = by_net.model_copy(update={"image": "C:\\Windows\\System32\\oobe\\msoobe.exe"})
    assert "msoobe.exe" in (setup_context(john.model_copy(update={"process": by_oobe})) or "")


def test_every_finding_has_a_reason_and_says_approval_was_not_checked(
    whole_tree: HuntResult,
) -> None:
    for f in whole_tree.findings:
        codes = [r.code for r in f.verdict.reasons]
        assert "approval_not_checked" in codes, f.account.name
        assert set(codes) - {"approval_not_checked"}, f.account.name


def test_a_password_typed_on_the_command_line_is_a_reason(whole_tree: HuntResult) -> None:
    toto3 = next(f for f in whole_tree.findings if f.account.name == "toto3")
    typed = next(r for r in toto3.verdict.reasons if r.code == "password_on_command_line")
    assert "net1.exe" in typed.text and "[redacted]" in typed.text
    assert toto3.verdict.severity != "info"


def test_severity_is_the_band_of_the_score(whole_tree: HuntResult) -> None:
    for f in whole_tree.findings:
        assert f.verdict.severity == severity_of(f.verdict.score), f.account.name


def test_a_verdict_does_not_depend_on_what_else_is_hunted(whole_tree: HuntResult) -> None:
    """Each file holding a creation, hunted alone, gives every verdict it gives among all the
    others (hideme0007$ once moved between HIGH 60 and MEDIUM 55 with the company)."""
    together = {f.id: f.verdict for f in whole_tree.findings}
    files = sorted({s.file for f in whole_tree.findings for s in f.sources if s.role == "creation"})
    assert any(HIDEME in file for file in files)
    for file in files:
        for f in hunt(Path(file)).findings:
            alone, among = f.verdict, together[f.id]
            assert (alone.severity, alone.score) == (among.severity, among.score), file
            assert [r.code for r in alone.reasons] == [r.code for r in among.reasons], file
