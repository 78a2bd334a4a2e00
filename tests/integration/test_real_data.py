"""Facts read from the raw records of ../shared/data (its README), asserted on the findings."""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import jsonschema
import orjson
import pytest
from evtx import PyEvtxParser

from acctrace.findings import Finding, HuntResult
from tests.conftest import hunt

MDEC = "evtx/mdecrevoisier"


def by_name(result: HuntResult, name: str) -> Finding:
    matches = [f for f in result.findings if f.account.name == name]
    assert len(matches) == 1, [f.account.name for f in result.findings]
    return matches[0]


@pytest.fixture(scope="module")
def mdec(shared_data: Path) -> HuntResult:
    return hunt(shared_data / MDEC)


def test_toto3_is_attributed_to_net1_in_its_session(mdec: HuntResult) -> None:
    f = by_name(mdec, "toto3")
    assert f.account.sid == "S-1-5-21-3410678313-1251427014-1131291384-1004"
    assert f.account.scope == "local" and f.account.domain == "FS03"
    assert f.attack.technique == "T1136.001"
    assert (f.creator.domain, f.creator.name, f.creator.logon_id) == (
        "OFFSEC",
        "admmig",
        "0x1f4c65f",
    )
    assert f.time == "2021-10-19T14:42:41.234Z"
    assert f.process is not None and f.process.image.lower().endswith("\\net1.exe")
    assert f.process.pid == 0xF30 and f.process.parent_pid == 0xDE4
    assert f.process.telemetry == "security-4688"
    # net.exe is the parent; its own parent 0xb5c has no 4688, so only its PID is known.
    assert f.lineage[0].image.lower().endswith("\\net.exe") and f.lineage[0].pid == 0xDE4
    assert f.lineage[1].pid == 0xB5C and f.lineage[1].telemetry is None
    # net.exe shows the same command but only launched net1.exe: it is lineage, not a rival.
    assert f.alternatives == []


def test_toto3_follow_ups_are_the_automatic_memberships_and_enable(mdec: HuntResult) -> None:
    f = by_name(mdec, "toto3")
    actions = [(x.action, x.group.sid if x.group else None) for x in f.follow_up]
    assert ("group_added", "S-1-5-21-3410678313-1251427014-1131291384-513") in actions
    assert ("group_added", "S-1-5-32-545") in actions
    assert ("enabled", None) in actions
    assert not any(x.privileged_group for x in f.follow_up)
    assert "privileged_group" not in {r.code for r in f.verdict.reasons}


def test_password_on_the_command_line_never_reaches_any_output(shared_data: Path) -> None:
    from click.testing import CliRunner

    from acctrace.cli import cli

    for args in (["--json"], []):
        out = CliRunner().invoke(cli, ["hunt", str(shared_data / MDEC), *args]).output
        assert "toto3" in out and "[redacted]" in out
        assert "@#(*kjh@(@Jd" not in out and "kjh@" not in out


def test_hacking_local_acct_has_no_process_and_says_why(mdec: HuntResult) -> None:
    f = by_name(mdec, "hacking-local-acct")
    assert f.host == "jump01.offsec.lan" and f.account.scope == "local"
    assert (f.creator.name, f.creator.logon_id) == ("admmig", "0x58d874")
    assert f.process is None and f.lineage == [] and f.alternatives == []
    assert "no_process_telemetry" in {r.code for r in f.verdict.reasons}
    assert [(x.action, x.group.name) for x in f.follow_up] == [("group_added", "Users")]


def test_admin_kriss_is_a_short_lived_domain_account(mdec: HuntResult) -> None:
    f = by_name(mdec, "admin-kriss")
    assert f.account.scope == "domain" and f.account.domain == "OFFSEC"
    assert f.attack.technique == "T1136.002"
    assert (f.creator.name, f.creator.logon_id) == ("lambda-user", "0x8051950")
    deleted = [x for x in f.follow_up if x.action == "deleted"]
    assert len(deleted) == 1 and deleted[0].actor.name == "lambda-user"
    assert "short_lived" in {r.code for r in f.verdict.reasons}
    assert "78 s" in next(r.text for r in f.verdict.reasons if r.code == "short_lived")


def test_fake_computer_account_is_hidden(mdec: HuntResult) -> None:
    f = by_name(mdec, "FAKE-COMPUTER$")
    assert f.account.hidden and f.account.scope == "domain"
    assert f.creator.name == "lambda-user"
    assert "hidden_name" in {r.code for r in f.verdict.reasons}


def test_two_dollar_accounts_created_by_system_are_two_findings(shared_data: Path) -> None:
    result = hunt(
        shared_data / "evtx/evtx-attack-samples/Defense Evasion/DE_Fake_ComputerAccount_4720.evtx"
    )
    assert sorted(f.account.sid.rsplit("-", 1)[1] for f in result.findings) == ["107103", "107104"]
    for f in result.findings:
        assert f.account.name == "$" and f.account.domain == "3B" and f.account.hidden
        assert f.host == "01566s-win16-ir.threebeesco.com"
        # SYSTEM shows as the machine account in 4720; it is still SYSTEM.
        assert (f.creator.sid, f.creator.name, f.creator.logon_id) == (
            "S-1-5-18",
            "01566S-WIN16-IR$",
            "0x3e7",
        )
        assert f.creator.kind == "system"
        assert {"hidden_name", "system_context"} <= {r.code for r in f.verdict.reasons}


SAM_NAMES = re.compile(r"\\SAM\\SAM\\Domains\\Account\\Users\\Names\\([^\\]+)", re.I)


def _raw_creations(shared_data: Path) -> set[tuple[str, str]]:
    """An independent plain scan of every EVTX and JSON file for account creations: 4720
    records, and Sysmon 12/13 writes of a SAM `Users\\Names\\<name>` key. By (host, name)."""
    found: set[tuple[str, str]] = set()
    for path in sorted(shared_data.rglob("*.evtx")):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                records = list(PyEvtxParser(str(path), skip_errors=True).records_json())
        except (OSError, RuntimeError):
            continue
        for record in records:
            event = json.loads(record["data"])["Event"]
            eid = event["System"]["EventID"]
            eid = int(eid["#text"] if isinstance(eid, dict) else eid)
            host = event["System"]["Computer"].split(".")[0].lower()
            data = event.get("EventData") or {}
            if eid == 4720:
                found.add((host, data["TargetUserName"].lower()))
            elif eid in (12, 13) and (name := SAM_NAMES.search(str(data.get("TargetObject")))):
                found.add((host, name.group(1).lower()))
    for path in sorted(shared_data.rglob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                for line in archive.open(member):
                    if b"4720" in line or b"Users\\\\Names" in line:
                        rec = orjson.loads(line)
                        if rec.get("EventID") == 4720:
                            found.add(
                                (
                                    rec["Hostname"].split(".")[0].lower(),
                                    rec["TargetUserName"].lower(),
                                )
                            )
    return found


def test_findings_are_exactly_the_account_creations_in_the_data(
    shared_data: Path, whole_tree: HuntResult
) -> None:
    raw = _raw_creations(shared_data)
    reported = Counter(
        (f.host.split(".")[0].lower(), f.account.name.lower()) for f in whole_tree.findings
    )
    # The same 4720 in two files (security.evtx and security_bad_string_cache.evtx) is one
    # finding; the two '$' accounts share a name but are two accounts (two SIDs).
    assert set(reported) == raw
    assert reported[("01566s-win16-ir", "$")] == 2
    assert sum(reported.values()) == len(raw) + 1


def test_a_registry_only_creation_is_a_finding(shared_data: Path) -> None:
    path = (
        shared_data
        / "evtx/evtx-attack-samples/Persistence/persistence_hidden_local_account_sysmon.evtx"
    )
    (f,) = hunt(path).findings
    assert (f.account.name, f.host, f.evidence_basis) == ("hideme0007$", "MSEDGEWIN10", "registry")
    assert f.account.scope == "local" and f.account.domain == "MSEDGEWIN10"
    assert f.creator is None and f.process is None  # lsass.exe wrote the key: not the creator
    codes = {r.code for r in f.verdict.reasons}
    assert {"registry_only", "hidden_name"} <= codes
    assert [s.event_id for s in f.sources] == [13]


def test_the_whole_tree_yields_the_known_accounts(whole_tree: HuntResult) -> None:
    names = Counter(f.account.name for f in whole_tree.findings)
    # The README's four mdecrevoisier accounts and the two '$' accounts; the evtx crate's
    # samples security.evtx / post-Security.evtx really hold setup-time creations of
    # fsir, archir and John (their 4720 records are in the files).
    assert names == Counter(
        {
            "toto3": 1,
            "hacking-local-acct": 1,
            "admin-kriss": 1,
            "FAKE-COMPUTER$": 1,
            "hideme0007$": 1,
            "$": 2,
            "fsir": 1,
            "archir": 1,
            "John": 1,
        }
    )


def test_otrf_archives_hold_no_account_creation(shared_data: Path) -> None:
    result = hunt(shared_data / "otrf")
    assert result.findings == []
    assert len(result.files) == 6 and all(f.format == "jsonl" for f in result.files)
    assert all(f.used > 0 and f.skipped == {} for f in result.files)


@pytest.mark.parametrize(
    ("name", "good", "failing"),
    [
        ("sample_with_a_bad_chunk_magic.evtx", 270, 2),
        ("2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx", 1910, 4),
        ("2-vss_7-System.evtx", 1160, 0),
        ("Microsoft-Windows-HelloForBusiness%4Operational.evtx", 6, 0),
        ("Microsoft-Windows-LanguagePackSetup%4Operational.evtx", 17, 0),
        ("Application_no_crc32.evtx", 17, 0),
        ("post-Security.evtx", 126, 0),
        ("sample-with-irregular-bool-values.evtx", 3028, 0),
        ("sample-with-zero-data-size-event.evtx", 335, 1),
    ],
)
def test_damaged_samples_are_read_with_failures_counted(
    shared_data: Path, name: str, good: int, failing: int
) -> None:
    result = hunt(shared_data / "evtx/evtx-rs-samples" / name)
    (stats,) = result.files
    skipped = sum(stats.skipped.values())
    assert stats.read - skipped >= good
    assert skipped == failing
    assert stats.read == stats.used + stats.duplicates + stats.passed_over + skipped
    assert len(result.problems) == failing


def test_every_file_is_accounted_for(whole_tree: HuntResult, shared_data: Path) -> None:
    for stats in whole_tree.files:
        assert stats.read == stats.used + stats.duplicates + stats.passed_over + sum(
            stats.skipped.values()
        )
    read_files = {s.file.split("!")[0] for s in whole_tree.files}
    not_logs = {p for p in whole_tree.problems if "unknown_format" in p}
    assert len(read_files) + len(not_logs) == sum(1 for p in shared_data.rglob("*") if p.is_file())


def test_duplicate_files_yield_one_finding_each(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / MDEC / "ID4688-User creation via commandline.evtx"
    copy = tmp_path / "exported-again.evtx"
    copy.write_bytes(source.read_bytes())
    result = hunt(source, copy)
    assert [f.account.name for f in result.findings] == ["toto3"]
    first, second = result.files
    assert first.used == second.duplicates > 0 and second.used == 0


def test_every_finding_validates_against_the_shipped_schema(whole_tree: HuntResult) -> None:
    schema = Finding.model_json_schema()
    for finding in whole_tree.findings:
        jsonschema.validate(json.loads(finding.model_dump_json()), schema)


def test_finding_ids_do_not_depend_on_input_order(shared_data: Path) -> None:
    files = sorted((shared_data / MDEC).glob("*.evtx"))
    forward = hunt(*files)
    backward = hunt(*reversed(files))
    assert len(forward.findings) == 4
    assert {f.id for f in forward.findings} == {f.id for f in backward.findings}
    assert [f.id for f in forward.findings] == [f.id for f in backward.findings]
