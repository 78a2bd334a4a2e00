"""`validate check` on real recordings (../shared/data/README.md lists their facts): a plan
whose accounts are the ones those logs created, as if a team had run the methods there."""

from __future__ import annotations

from pathlib import Path

import evtx
import pytest

from acctrace.validate.check import ValidationReport, check
from acctrace.validate.plan import Plan, build_plan
from acctrace.validate.script_blocks import script_blocks

# method -> the account a real recording shows created that way (or the closest to it)
ACCOUNTS = {
    "net-user-local": "toto3",  # net.exe -> net1.exe, Security 4688 only
    "new-localuser": "hacking-local-acct",  # 4720 with no process telemetry at all
    "adsi-winnt": "hideme0007$",  # no 4720: only Sysmon 13 on the SAM
}
FILES = (
    "mdecrevoisier/ID4688-User creation via commandline.evtx",
    "mdecrevoisier/ID4720-Local user created.evtx",
    "evtx-attack-samples/Persistence/persistence_hidden_local_account_sysmon.evtx",
    "evtx-attack-samples/Defense Evasion/DE_1102_security_log_cleared.evtx",
)


def real_plan() -> Plan:
    plan = build_plan(["local"], run_id="000000")
    methods = [
        p.model_copy(update={"account": ACCOUNTS[p.id]}) for p in plan.methods if p.id in ACCOUNTS
    ]
    return plan.model_copy(update={"methods": methods})


@pytest.fixture(scope="module")
def report(shared_data: Path) -> ValidationReport:
    return check(real_plan(), [shared_data / "evtx" / f for f in FILES])


def method(report: ValidationReport, method_id: str):  # type: ignore[no-untyped-def]
    return next(m for m in report.methods if m.id == method_id)


def test_net_user_is_seen_and_attributed_to_net1_with_its_command_line(report) -> None:  # type: ignore[no-untyped-def]
    m = method(report, "net-user-local")
    assert (m.creation, m.host, m.creator) == ("event_4720", "FS03.offsec.lan", "OFFSEC\\admmig")
    assert m.process_result == "expected" and m.process.endswith("net1.exe")  # type: ignore[union-attr]
    assert m.command_line_seen is True and m.confidence and m.confidence >= 0.9
    # net.exe's parent (PID 0xb5c) has no 4688 in the file: not the expected powershell.exe
    assert m.lineage == ["net.exe", "pid 2908"] and m.lineage_ok is False
    assert m.status == "partial" and "logon" in m.fixes  # no 4624 in this extract


def test_no_process_telemetry_leaves_the_creator_unknown(report) -> None:  # type: ignore[no-untyped-def]
    m = method(report, "new-localuser")
    assert m.creation == "event_4720" and m.process is None and m.process_result == "unknown"
    assert m.status == "partial"


def test_registry_only_creation_is_a_failure_fixed_by_account_management(report) -> None:  # type: ignore[no-untyped-def]
    m = method(report, "adsi-winnt")
    assert (m.creation, m.status, m.host) == ("registry", "fail", "MSEDGEWIN10")
    assert "account_management" in m.fixes and m.creator is None
    fix = next(f for f in report.fixes if f.key == "account_management")
    assert "{0CCE9235-69AE-11D9-BED3-505054503030}" in fix.commands[0]


def test_a_cleared_security_log_is_listed_with_who_cleared_it(report) -> None:  # type: ignore[no-untyped-def]
    pc01 = next(h for h in report.hosts if h.host == "pc01")
    assert pc01.cleared == ["Security cleared at 2019-03-19T23:35:07.524Z by EXAMPLE\\user01"]


def test_the_password_on_the_real_command_line_is_not_repeated(report, shared_data) -> None:  # type: ignore[no-untyped-def]
    raw = evtx.PyEvtxParser(str(shared_data / "evtx" / FILES[0])).records_json()
    assert any("kjh@(@Jd" in r["data"] for r in raw)  # the recording holds it in clear
    assert "kjh@(@Jd" not in report.model_dump_json()


def test_real_script_block_logging_is_reassembled(shared_data: Path) -> None:
    path = "evtx-attack-samples/Credential Access/Powershell_4104_MiniDumpWriteDump_Lsass.evtx"
    blocks = script_blocks([shared_data / "evtx" / path])
    assert list(blocks) == ["msedgewin10"]
    assert any("MiniDumpWriteDump" in text for text in blocks["msedgewin10"])
