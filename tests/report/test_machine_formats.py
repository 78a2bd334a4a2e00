"""CSV timeline, ECS and OCSF: formula cells neutralised, field names those of the schemas."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.report import csv_timeline, ecs, ocsf
from tests.report.conftest import by_name

FIELDS = Path(__file__).parent / "fields"


def _field_list(name: str) -> set[str]:
    lines = (FIELDS / name).read_text().splitlines()
    return {x.strip() for x in lines if x.strip() and not x.startswith("#")}


ECS_FIELDS = _field_list("ecs_fields.txt")
OCSF_FIELDS = _field_list("ocsf_detection_finding.txt")
OCSF_FREE_FORM = ("evidences.data", "unmapped")


def paths(value: Any, prefix: str = "", free_form: tuple[str, ...] = ()) -> set[str]:
    """Dotted paths of every leaf; arrays of objects without an index."""
    if prefix in free_form:
        return {prefix}
    if isinstance(value, dict):
        out = {prefix} if prefix else set()
        for key, inner in value.items():
            out |= paths(inner, f"{prefix}.{key}" if prefix else key, free_form)
        return out
    if isinstance(value, list) and any(isinstance(x, dict) for x in value):
        return {prefix}.union(*(paths(x, prefix, free_form) for x in value))
    return {prefix}


def _render(module: Any, result: HuntResult) -> str:
    out = io.StringIO()
    module.render(result, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def real_result(shared_data: Path) -> HuntResult:
    return run([shared_data / "evtx" / "mdecrevoisier"], HuntOptions())


# --- CSV ---------------------------------------------------------------------------------


def test_formula_cells_are_neutralised() -> None:
    for cell in ("=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert csv_timeline.neutralise(cell) == "'" + cell
    assert csv_timeline.neutralise("backdoor") == "backdoor"
    assert csv_timeline.neutralise(None) == ""


def test_csv_timeline_one_row_per_story_event(demo_result: HuntResult) -> None:
    evil = by_name(demo_result, "backdoor").model_copy(deep=True)
    evil.account.name = '=HYPERLINK("http://x","click")'
    evil.account.domain = None  # so the account cell starts with the name
    result = demo_result.model_copy(update={"findings": [*demo_result.findings, evil]})
    rows = list(csv.DictReader(io.StringIO(_render(csv_timeline, result))))
    assert list(rows[0]) == list(csv_timeline.COLUMNS)
    assert {r["finding_id"] for r in rows} == {f.id for f in demo_result.findings}
    created = [r for r in rows if r["timestamp_desc"] == "Account Created"]
    assert len(created) == len(result.findings)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert any(r["account"].startswith("'") and "HYPERLINK" in r["account"] for r in rows)
    backdoor = [r for r in rows if r["account"] == "WS01\\backdoor"]
    kinds = [r["timestamp_desc"] for r in backdoor]
    assert "Creator Logon" in kinds and "Logon By New Account" in kinds
    assert [r["datetime"] for r in backdoor] == sorted(r["datetime"] for r in backdoor)


def test_csv_timeline_of_real_logs(real_result: HuntResult) -> None:
    rows = list(csv.DictReader(io.StringIO(_render(csv_timeline, real_result))))
    toto3 = [r for r in rows if r["account"].endswith("toto3")]
    assert [r["timestamp_desc"] for r in toto3][:2] == ["Process Start", "Process Start"]
    assert any(r["timestamp_desc"] == "Account Created" for r in toto3)


# --- ECS ---------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["demo", "real"])
def test_ecs_documents_use_only_ecs_fields(
    which: str, demo_result: HuntResult, request: pytest.FixtureRequest
) -> None:
    result = demo_result if which == "demo" else request.getfixturevalue("real_result")
    docs = [json.loads(x) for x in _render(ecs, result).splitlines()]
    assert len(docs) == len(result.findings)
    for doc in docs:
        unknown = {
            p
            for p in paths(doc)
            if p not in ECS_FIELDS
            and not p.startswith("acctrace")
            and not any(f.startswith(p + ".") for f in ECS_FIELDS)
        }
        assert not unknown, unknown
        assert doc["event"]["kind"] == "alert"
        assert doc["threat"]["technique"]["id"] == ["T1136"]


def test_ecs_names_creator_new_account_and_process(real_result: HuntResult) -> None:
    toto3 = by_name(real_result, "toto3")
    doc = ecs.document(toto3)
    assert doc["user"]["name"] == "admmig" and doc["user"]["target"]["name"] == "toto3"
    assert doc["threat"]["technique"]["subtechnique"]["id"] == ["T1136.001"]
    assert doc["process"]["name"] == "net1.exe"
    assert doc["process"]["parent"]["executable"].lower().endswith("net.exe")
    assert doc["host"]["name"] == "FS03.offsec.lan" and doc["@timestamp"] == toto3.time


def test_ecs_source_ip_of_a_remote_session(demo_result: HuntResult) -> None:
    doc = ecs.document(by_name(demo_result, "backdoor"))
    assert doc["source"]["ip"] == "10.0.0.102"
    assert doc["rule"]["id"] == "AN1604"


# --- OCSF --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["demo", "real"])
def test_ocsf_detection_findings_use_only_schema_attributes(
    which: str, demo_result: HuntResult, request: pytest.FixtureRequest
) -> None:
    result = demo_result if which == "demo" else request.getfixturevalue("real_result")
    objects = [json.loads(x) for x in _render(ocsf, result).splitlines()]
    assert len(objects) == len(result.findings)
    for obj in objects:
        unknown = paths(obj, free_form=OCSF_FREE_FORM) - OCSF_FIELDS
        assert not unknown, unknown
        assert obj["class_uid"] == 2004 and obj["type_uid"] == 200401
        assert obj["category_uid"] == 2 and obj["metadata"]["product"]["name"] == "acctrace"
        for required in ("activity_id", "severity_id", "time", "metadata", "finding_info"):
            assert required in obj
        assert obj["finding_info"]["uid"] in {f.id for f in result.findings}


def test_ocsf_severity_attacks_and_evidence(demo_result: HuntResult) -> None:
    backdoor = by_name(demo_result, "backdoor")
    obj = ocsf.detection_finding(backdoor)
    assert obj["severity_id"] == 5 and obj["severity"] == "Critical"
    attack = obj["finding_info"]["attacks"][0]
    assert attack["sub_technique"]["uid"] == "T1136.001" and attack["tactic"]["uid"] == "TA0003"
    evidence = obj["evidences"][0]
    assert evidence["user"]["name"] == "backdoor"
    assert evidence["actor"]["user"]["name"] == "alice"
    assert evidence["process"]["name"] == "net1.exe"
    assert evidence["src_endpoint"]["ip"] == "10.0.0.102"
    assert "Disable-LocalUser -Name 'backdoor'" in obj["remediation"]["desc"]


# --- the hunt command --------------------------------------------------------------------


def test_hunt_format_json_is_json_and_the_machine_formats_are_data_only(demo_dir: Path) -> None:
    runner = CliRunner()
    as_json = runner.invoke(cli, ["hunt", str(demo_dir), "--json"])
    as_format = runner.invoke(cli, ["hunt", str(demo_dir), "--format", "json"])
    assert as_json.stdout == as_format.stdout and as_json.stdout
    for fmt in ("ecs", "ocsf"):
        out = runner.invoke(cli, ["hunt", str(demo_dir), "--format", fmt])
        assert out.exit_code == 0
        assert len([json.loads(x) for x in out.stdout.splitlines()]) == 7
        assert "7 findings" in out.stderr
    timeline = runner.invoke(cli, ["hunt", str(demo_dir), "--format", "csv-timeline"])
    assert timeline.stdout.startswith("datetime,timestamp_desc,message,")
    clash = runner.invoke(cli, ["hunt", str(demo_dir), "--json", "--format", "ecs"])
    assert clash.exit_code == 2
