"""`validate check` on a plan run simulated on hosts with different audit settings
(acctrace/scenario/validation.py): each situation reported as it is, with the right fix."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.scenario.events import Event
from acctrace.scenario.validation import POWERSHELL_CHANNEL, PROFILES, SimulatedRun, simulate
from acctrace.scenario.writers import write
from acctrace.validate.check import MethodCheck, ValidationReport, check
from acctrace.validate.plan import build_plan, write_plan
from acctrace.validate.runlog import RunEntry, load_run_log
from acctrace.validate.script import script
from acctrace.validate.script_blocks import script_blocks

PLAN = build_plan(["local", "domain"], run_id="5eed18")
SECRET = "Xy7#kLm9!pQ2_z"  # the password the simulation types on command lines
SHAPES = {"everything": "xml", "sysmon-no-4688": "ecs"}  # the others: evtx_dump JSON lines
IN_PROCESS_LOCAL = ("new-localuser", "adsi-winnt", "dotnet-accountmanagement", "netuseradd-api")
DOMAIN = ("net-user-domain", "new-aduser", "dsadd-user", "mmc-dsa")


class Simulated:
    def __init__(self, root: Path, profile: str) -> None:
        self.run: SimulatedRun = simulate(PLAN, PROFILES[profile], script(PLAN))
        self.logs = root / profile / "logs"
        self.logs.mkdir(parents=True)
        write(self.run.events, self.logs / "collected.log", SHAPES.get(profile, "event-json"))
        self.run_log = root / profile / "run-log.jsonl"
        self.run_log.write_text("".join(json.dumps(e) + "\n" for e in self.run.run_log))
        self.report = check(PLAN, [self.logs], load_run_log(self.run_log))

    def method(self, method_id: str) -> MethodCheck:
        return next(m for m in self.report.methods if m.id == method_id)

    def fix(self, key: str) -> str:
        advice = next(f for f in self.report.fixes if f.key == key)
        return "\n".join([advice.setting, *advice.commands, advice.sysmon or ""])


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Simulated]:
    root = tmp_path_factory.mktemp("validation")
    return {name: Simulated(root, name) for name in PROFILES}


def test_everything_on_sees_every_creation_creator_script_and_deletion(runs) -> None:  # type: ignore[no-untyped-def]
    r = runs["everything"]
    assert all(m.creation == "event_4720" and m.deletion_seen for m in r.report.methods)
    assert all(m.creator == "CORP\\purple" for m in r.report.methods)
    assert all(m.creator_ok for m in r.report.methods if m.mode == "scripted")
    assert all(m.session_ok for m in r.report.methods if m.mode == "scripted")
    assert all(m.script_text == "seen" for m in r.report.methods if m.mode == "scripted")
    for method_id in ("net-user-local", "new-localuser", "adsi-winnt", "mmc-lusrmgr", *DOMAIN):
        m = r.method(method_id)
        assert (m.status, m.process_result, m.fixes) == ("pass", "expected", []), m
    net = r.method("net-user-local")
    assert net.lineage[:2] == ["net.exe", "powershell.exe"] and net.confidence
    # domain creations: the process is the one on the host the network session came from
    assert r.method("dsadd-user").process.endswith("dsadd.exe")  # type: ignore[union-attr]
    assert all(h.reaches_run and not h.cleared for h in r.report.hosts)
    assert all(h.days == 3.0 for h in r.report.hosts)


def test_everything_on_proves_every_method(runs) -> None:  # type: ignore[no-untyped-def]
    r = runs["everything"]
    assert r.report.verdict == "proven"
    # made minutes into the plan's one PowerShell session, inside that process: the script
    # host started long before the window, and its later children show it ran across them
    for method_id in ("dotnet-accountmanagement", "netuseradd-api"):
        m = r.method(method_id)
        assert m.process and m.process.lower().endswith("powershell.exe"), m
        assert (m.status, m.process_result) == ("pass", "expected"), m


def test_a_wrong_creator_is_reported_as_wrong_never_as_a_pass(runs) -> None:  # type: ignore[no-untyped-def]
    for r in runs.values():
        for m in r.report.methods:
            if m.process and m.process.rsplit("\\", 1)[-1].lower() not in m.expected_process:
                assert (m.status, m.process_result) == ("fail", "unexpected")
                assert any("attributed to" in n for n in m.notes)


def test_sysmon_without_4688_attributes_as_well_as_everything(runs) -> None:  # type: ignore[no-untyped-def]
    both, sysmon = runs["everything"].report, runs["sysmon-no-4688"].report
    assert [m.status for m in sysmon.methods] == [m.status for m in both.methods]
    assert not any("process_creation" in m.fixes for m in sysmon.methods)


def test_without_command_lines_net_user_needs_the_registry_value(runs) -> None:  # type: ignore[no-untyped-def]
    r = runs["no-command-lines"]
    net = r.method("net-user-local")
    assert net.status == "partial" and net.process_result == "expected"
    assert net.command_line_seen is False and net.fixes == ["command_line"]
    assert "ProcessCreationIncludeCmdLine_Enabled /t REG_DWORD /d 1" in r.fix("command_line")
    # no Sysmon either: nothing on the source host ties a DC's creation to a process
    for method_id in DOMAIN:
        assert r.method(method_id).fixes == ["source_process"]
    assert "<NetworkConnect" in r.fix("source_process")


def test_without_process_telemetry_the_creator_is_unknown_and_process_creation_is_the_fix(
    runs,  # type: ignore[no-untyped-def]
) -> None:
    r = runs["no-process-telemetry"]
    assert not any(m.status == "pass" for m in r.report.methods)
    for m in r.report.methods:
        assert m.creation == "event_4720" and m.process is None and m.process_result == "unknown"
        assert m.fixes == (["source_process"] if m.scope == "domain" else ["process_creation"])
    fix = r.fix("process_creation")
    assert "{0CCE922B-69AE-11D9-BED3-505054503030}" in fix  # Process Creation
    assert "ProcessCreationIncludeCmdLine_Enabled" in fix and "<ProcessCreate" in fix


def test_with_4720_off_registry_events_prove_creations_but_not_creators(runs) -> None:  # type: ignore[no-untyped-def]
    r = runs["registry-only"]
    assert r.report.verdict == "blind"
    for m in r.report.methods:
        assert m.status == "fail" and m.fixes == ["account_management"]
        # local accounts live in the host's SAM (Sysmon sees its keys); domain ones do not
        assert m.creation == ("not_seen" if m.scope == "domain" else "registry")
        assert m.creator is None and m.process is None
    assert "{0CCE9235-69AE-11D9-BED3-505054503030}" in r.fix("account_management")
    assert "domain controller" in r.method("new-aduser").notes[0]


def test_a_log_cleared_midway_is_named_not_blamed_on_auditing(runs) -> None:  # type: ignore[no-untyped-def]
    r = runs["log-cleared"]
    assert r.run.cleared_at_us is not None
    before = [p.id for p in PLAN.methods if p.mode == "scripted"][
        : PROFILES["log-cleared"].clear_after
    ]
    for method_id in before:
        m = r.method(method_id)
        if m.scope == "local":
            assert m.creation == "not_seen" and m.fixes == ["log_retention"]
            assert "was cleared at" in m.notes[0] and "CORP\\purple" in m.notes[0]
        else:  # the DC's log was not cleared
            assert m.creation == "event_4720"
    assert r.method("adsi-winnt").creation == "event_4720"  # after the clear
    ws = next(h for h in r.report.hosts if h.host == "ws-test")
    assert ws.reaches_run is False and ws.cleared and ws.days == 0.0
    assert not any("account_management" in m.fixes for m in r.report.methods)


def test_a_method_the_script_could_not_run_is_not_a_telemetry_gap(runs) -> None:  # type: ignore[no-untyped-def]
    """A plan none of whose accounts are in these logs: the method the run log marks failed
    is `not_run`; the others are gaps (4720 not seen)."""
    other = build_plan(["local"], run_id="0dd000")
    entry = RunEntry(
        run_id="0dd000", method="new-localuser", account=other.methods[1].account, scope="local",
        host="WS-TEST", user="CORP\\purple", started="2026-11-02T09:00:00.000Z", created=False,
        deleted=False, error="Access is denied",
    )  # fmt: skip
    report = check(other, [runs["everything"].logs], [entry])
    failed = next(m for m in report.methods if m.id == "new-localuser")
    assert failed.status == "not_run" and "Access is denied" in failed.notes[0]
    assert failed.fixes == []
    assert all(m.status == "fail" for m in report.methods if m.id != "new-localuser")


def test_passwords_typed_on_command_lines_never_reach_the_output(runs) -> None:  # type: ignore[no-untyped-def]
    r = runs["everything"]
    assert any(SECRET in json.dumps(e.data) for e in r.run.events)  # they are in the logs
    assert SECRET not in r.report.model_dump_json()
    hunted = CliRunner().invoke(cli, ["hunt", str(r.logs), "--json"])
    assert "acv5eed18nl" in hunted.output and SECRET not in hunted.output


def test_script_blocks_are_reassembled_across_parts(tmp_path: Path) -> None:
    """4104 splits long scripts; a name cut between two parts is still found."""
    text = "Invoke-TestMethod -Account 'acv5eed18nl' -Create { net user acv5eed18nl }"
    cut = text.index("5eed18")
    events = [
        Event(4104, POWERSHELL_CHANNEL, "Microsoft-Windows-PowerShell", "WS-TEST.corp.local",
              1_700_000_000_000_000 + n, 100 + n,
              {"MessageNumber": str(n), "MessageTotal": "2", "ScriptBlockText": part,
               "ScriptBlockId": "b1"})
        for n, part in ((2, text[cut:]), (1, text[:cut]))
    ]  # fmt: skip
    write(events, tmp_path / "ps.jsonl", "event-json")
    assert script_blocks([tmp_path]) == {"ws-test": [text]}


def test_check_from_the_command_line_with_json_and_attestation(runs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = runs["no-command-lines"]
    plan_dir = tmp_path / "plan"
    write_plan(PLAN, plan_dir)
    args = ["validate", "check", str(plan_dir), str(r.logs), "--run-log", str(r.run_log)]
    result = CliRunner().invoke(cli, [*args, "--json", "--attest", str(tmp_path / "evidence")])
    assert result.exit_code == 0, result.output
    report = ValidationReport.model_validate_json(result.stdout)
    assert report.model_dump() == ValidationReport.model_validate_json(
        (tmp_path / "evidence" / "attestation.json").read_text(encoding="utf-8")
    ).model_dump() | {"checked": report.checked}
    page = (tmp_path / "evidence" / "attestation.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" in page
    assert "<script" not in page and "acv5eed18nl" in page
    assert "ProcessCreationIncludeCmdLine_Enabled" in page
    text = CliRunner().invoke(cli, args)
    assert "PARTIAL  net user /add [T1136.001, local, scripted]" in text.output
    assert "fix:      command_line" in text.output


def test_bad_plan_and_run_log_are_one_line_errors_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "check", str(bad), str(tmp_path)])
    assert result.exit_code == 1
    assert f"{bad}: not an acctrace validation plan" in result.output
    assert len(result.output.strip().splitlines()) == 1
    write_plan(PLAN, tmp_path / "p")
    log = tmp_path / "run-log.jsonl"
    log.write_text('{"run_id": "5eed18"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["validate", "check", str(tmp_path / "p"), str(tmp_path), "--run-log", str(log)]
    )
    assert result.exit_code == 1 and f"{log}: line 1 is not a run-log entry" in result.output
    log.write_text(runs_entry_of_another_run(), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["validate", "check", str(tmp_path / "p"), str(tmp_path), "--run-log", str(log)]
    )
    assert f"warning: {log}: no entry of run 5eed18: not used" in result.stderr


def runs_entry_of_another_run() -> str:
    entry = RunEntry(
        run_id="0ther0", method="net-user-local", account="acv0ther0nl", scope="local",
        host="WS-TEST", user="CORP\\purple", started="2026-11-02T09:00:00.000Z", created=True,
        deleted=True,
    )  # fmt: skip
    return entry.model_dump_json() + "\n"


def test_a_rehearsal_from_the_command_line_matches_the_simulation(runs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """plan -> simulate -> check, as docs/validate.md rehearses it without Windows."""
    simulate_command = cli.commands["validate"].commands["simulate"]  # type: ignore[attr-defined]
    choices = next(p for p in simulate_command.params if p.name == "settings").type.choices
    assert list(choices) == list(PROFILES)
    runner = CliRunner()
    write_plan(PLAN, tmp_path / "plan")
    out = tmp_path / "rehearsal"
    done = runner.invoke(
        cli,
        ["validate", "simulate", str(tmp_path / "plan"), "--settings", "no-process-telemetry",
         "-o", str(out)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    args = [str(tmp_path / "plan"), str(out / "logs"), "--run-log", str(out / "run-log.jsonl")]
    checked = runner.invoke(cli, ["validate", "check", *args, "--json"])
    report = ValidationReport.model_validate_json(checked.stdout)
    expected = runs["no-process-telemetry"].report
    assert [(m.id, m.status, m.fixes) for m in report.methods] == [
        (m.id, m.status, m.fixes) for m in expected.methods
    ]


def test_a_network_logon_without_workstation_is_placed_by_its_traced_origin(
    runs,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Kerberos network logons often log WorkstationName '-': the session is still judged
    by the host the origin trace found, never flagged as coming from elsewhere."""
    r = runs["everything"]
    events = [
        replace(e, data={**e.data, "WorkstationName": "-"}) if e.event_id == 4624 else e
        for e in r.run.events
    ]
    write(events, tmp_path / "collected.jsonl", "event-json")
    report = check(PLAN, [tmp_path], load_run_log(r.run_log))
    domain = [m for m in report.methods if m.id in DOMAIN and m.mode == "scripted"]
    assert domain and all(m.session_ok is True for m in domain)
