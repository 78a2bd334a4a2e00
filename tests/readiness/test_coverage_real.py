"""Coverage facts of real third-party logs in ../shared/data (see its README)."""

from __future__ import annotations

from pathlib import Path

import pytest

from acctrace.readiness import coverage
from acctrace.readiness.report import CoverageReport, HostCoverage, Method


def host(report: CoverageReport, key: str) -> HostCoverage:
    return next(h for h in report.hosts if h.host == key)


def status(h: HostCoverage, key: str) -> str:
    return next(t.status for t in h.telemetry if t.key == key)


def method(h: HostCoverage, key: str) -> Method:
    return next(m for m in h.methods if m.key == key)


@pytest.fixture(scope="module")
def mdecrevoisier(shared_data: Path) -> CoverageReport:
    return coverage([shared_data / "evtx" / "mdecrevoisier"])


@pytest.fixture(scope="module")
def otrf(shared_data: Path) -> CoverageReport:
    return coverage([shared_data / "otrf"])


def test_fs03_has_account_auditing_and_4688_with_command_lines_but_no_sysmon(
    mdecrevoisier: CoverageReport,
) -> None:
    fs03 = host(mdecrevoisier, "fs03")
    assert fs03.names == ["FS03.offsec.lan"]
    assert status(fs03, "account_management") == "evidenced"
    assert status(fs03, "process_4688") == "evidenced"
    detail = next(t.detail for t in fs03.telemetry if t.key == "process_4688")
    assert "CommandLine populated in 2 of 2" in detail
    assert status(fs03, "sysmon_1") == "unknown"  # no Sysmon log: not proof it is missing
    net_user = method(fs03, "net_user")
    assert net_user.readiness == "ready" and net_user.names_process
    assert any("e0f29044e673ec2403fd" in e and "net1.exe" in e for e in net_user.evidence)


def test_jump01_sees_creations_but_not_the_creating_process(mdecrevoisier: CoverageReport) -> None:
    jump01 = host(mdecrevoisier, "jump01")
    assert status(jump01, "account_management") == "evidenced"
    assert status(jump01, "process_4688") in ("absent", "unknown")
    assert status(jump01, "sysmon_1") == "unknown"
    net_user = method(jump01, "net_user")
    assert net_user.readiness == "blind" and not net_user.names_process
    assert any("no process telemetry" in e for e in net_user.evidence)
    assert any("Audit Process Creation" in f for f in net_user.fixes)
    # seen, but every method is blind: never PARTIAL
    assert jump01.verdict == "blind" and jump01.why.startswith("creations are seen")


def test_filtered_extracts_are_never_called_absent(mdecrevoisier: CoverageReport) -> None:
    for h in mdecrevoisier.hosts:
        security = next(c for c in h.channels if c.channel == "Security")
        assert not security.whole_log
        assert all(t.status != "absent" for t in h.telemetry), h.host


def test_otrf_lab_hosts_have_sysmon_and_security_telemetry(otrf: CoverageReport) -> None:
    ws6 = host(otrf, "workstation6")
    assert set(ws6.names) == {"WORKSTATION6", "WORKSTATION6.theshire.local"}  # one host
    for key in ("sysmon_1", "sysmon_3", "sysmon_12_13", "logon_4624", "process_4688"):
        assert status(ws6, key) == "evidenced", key
    dc = host(otrf, "mordordc")
    for key in ("sysmon_1", "sysmon_3", "sysmon_12_13", "logon_4624", "process_4688"):
        assert status(dc, key) == "evidenced", key
    logons = next(t.detail for t in dc.telemetry if t.key == "logon_4624")
    assert "carry a remote source address" in logons and not logons.startswith("0 ")
    # channel spellings differ between the lab's files ('security'); counted as one channel
    assert [c.channel for c in ws6.channels].count("Security") == 1


def test_cleared_logs_are_reported(shared_data: Path) -> None:
    folder = shared_data / "evtx" / "evtx-attack-samples" / "Defense Evasion"
    report = coverage(
        [folder / "DE_1102_security_log_cleared.evtx", folder / "DE_104_system_log_cleared.evtx"]
    )
    pc01 = host(report, "pc01")
    clears = {(c.event_id, c.log, c.by) for c in pc01.clears}
    assert (1102, "Security", "EXAMPLE\\user01") in clears
    assert (104, "System", "EXAMPLE\\user01") in clears
    assert all(c.file.endswith(".evtx") for c in pc01.clears)


def test_audit_policy_changes_name_who_and_which_subcategory(shared_data: Path) -> None:
    sample = (
        shared_data
        / "evtx"
        / "evtx-attack-samples"
        / "Credential Access"
        / "ACL_ForcePwd_SPNAdd_User_Computer_Accounts.evtx"
    )
    dc1 = host(coverage([sample]), "dc1")
    changes = {(p.subcategory, tuple(p.changes), p.by) for p in dc1.audit_policy_changes}
    assert ("User Account Management", ("success added",), "insecurebank\\DC1$") in changes
    assert ("Logon", ("success added", "failure added"), "insecurebank\\DC1$") in changes
    assert not any(p.blinds_an1604 for p in dc1.audit_policy_changes)  # all are additions


def test_the_whole_tree_fits_a_screen_with_hosts_grouped(shared_data: Path) -> None:
    """39 hosts: one group per gap, each fix once per group, names cut with an ellipsis."""
    from click.testing import CliRunner

    from acctrace.cli import cli

    out = CliRunner().invoke(cli, ["coverage", str(shared_data / "evtx")]).stdout
    assert len(out.splitlines()) < 80
    groups = [line for line in out.splitlines() if line.startswith(("BLIND ", "PARTIAL", "READY"))]
    assert len(groups) < 10 and any("… " in g and " more" in g for g in groups)
    blocks = out.split("\n\n")
    for block in blocks:
        fixes = [line for line in block.splitlines() if line.startswith("   fix  ")]
        assert len(fixes) == len(set(fixes))
    detail = CliRunner().invoke(cli, ["coverage", str(shared_data / "evtx"), "--detail"]).stdout
    assert detail.count("\n== ") + detail.startswith("== ") == 39
