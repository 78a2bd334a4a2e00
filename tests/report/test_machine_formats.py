"""CSV timeline, ECS and OCSF: formula cells neutralised, fields and values those of the schemas.

ECS documents are checked against field definitions copied verbatim from Elastic's
`generated/csv/fields.csv` (tests/report/fields/ecs_fields.csv, source in its README);
OCSF objects are validated against the OCSF 1.5.0 JSON Schema that the `ocsf-json-schema`
package ships (the schema server's export, installed with the `test` extra).
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema

from acctrace.cli import cli
from acctrace.findings import HuntResult
from acctrace.pipeline import HuntOptions, run
from acctrace.report import csv_timeline, ecs, ocsf
from tests.report.conftest import by_name

FIELDS = Path(__file__).parent / "fields"


def _ecs_fields() -> dict[str, dict[str, str]]:
    with (FIELDS / "ecs_fields.csv").open(encoding="utf-8", newline="") as rows:
        return {row["Field"]: row for row in csv.DictReader(rows)}


ECS_FIELDS = _ecs_fields()
# ECS asks that custom fields live under a namespace of their own: acctrace's is `acctrace`.
ECS_CUSTOM = "acctrace"


# Generated data, the same with logged strings made hostile, and every real log in shared/.
RESULTS = ["demo_result", "hostile_result", "whole_tree"]


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
    assert {r["FindingID"] for r in rows} == {f.id for f in demo_result.findings}
    created = [r for r in rows if r["timestamp_desc"] == "Account Created"]
    assert len(created) == len(result.findings)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert any(r["Account"].startswith("'") and "HYPERLINK" in r["Account"] for r in rows)
    backdoor = [r for r in rows if r["Account"] == "WS01\\backdoor"]
    kinds = [r["timestamp_desc"] for r in backdoor]
    assert "Creator Logon" in kinds and "Logon By New Account" in kinds


def test_csv_timeline_is_one_time_line_across_findings(demo_result: HuntResult) -> None:
    """Sorted by time across findings (not finding by finding), each row pointing at the
    event it rests on: channel, event id, record id and file, as Hayabusa's rows do."""
    rows = list(csv.DictReader(io.StringIO(_render(csv_timeline, demo_result))))
    times = [r["datetime"] for r in rows]
    assert times == sorted(times)
    assert len({r["FindingID"] for r in rows[:10]}) > 1  # interleaved, not grouped
    created = next(r for r in rows if r["timestamp_desc"] == "Account Created")
    assert created["EventID"] == "4720" and created["Channel"] == "Security"
    assert created["RecordID"].isdigit() and created["EvtxFile"].endswith(".ndjson")
    assert created["Level"] in ("info", "low", "medium", "high", "critical")
    assert created["MitreTags"].startswith("T1136.") and created["OtherTags"] == "AN1604 DET0583"
    assert created["Details"].startswith("Account: ")


def test_csv_timeline_of_real_logs(real_result: HuntResult) -> None:
    rows = list(csv.DictReader(io.StringIO(_render(csv_timeline, real_result))))
    toto3 = [r for r in rows if r["Account"].endswith("toto3")]
    assert [r["timestamp_desc"] for r in toto3][:2] == ["Process Start", "Process Start"]
    net1 = toto3[1]
    assert (net1["EventID"], net1["Channel"], net1["Computer"]) == (
        "4688",
        "Security",
        "FS03.offsec.lan",
    )
    assert net1["EvtxFile"].endswith("ID4688-User creation via commandline.evtx")
    assert any(r["timestamp_desc"] == "Account Created" for r in toto3)


# --- ECS ---------------------------------------------------------------------------------


def leaves(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of every leaf; a list is one leaf (ECS has no index in names)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, value


def _ecs_value_ok(ecs_type: str, value: Any) -> bool:
    if ecs_type in {"keyword", "wildcard", "match_only_text", "constant_keyword"}:
        return isinstance(value, str)
    if ecs_type == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if ecs_type in {"float", "scaled_float"}:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if ecs_type == "boolean":
        return isinstance(value, bool)
    if ecs_type == "date":
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return False
        return isinstance(value, str)
    if ecs_type == "ip":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return False
        return True
    raise AssertionError(f"ECS type {ecs_type} has no check here yet")


def ecs_problems(doc: dict[str, Any]) -> list[str]:
    """Every field of `doc` that is not in ECS, or whose value does not fit its ECS type."""
    problems = []
    for path, value in leaves(doc):
        if path.split(".", 1)[0] == ECS_CUSTOM:
            continue
        field = ECS_FIELDS.get(path)
        if field is None:
            problems.append(f"{path}: not an ECS field")
            continue
        if field["Normalization"] == "array" and not isinstance(value, list):
            problems.append(f"{path}: ECS expects an array, got {value!r}")
        for item in value if isinstance(value, list) else [value]:
            if not _ecs_value_ok(field["Type"], item):
                problems.append(f"{path}: {item!r} is not an ECS {field['Type']}")
    return problems


def test_the_vendored_ecs_rows_are_whole_rows_of_one_snapshot() -> None:
    """A row typed in by hand, or copied from another release, shows here (see README)."""
    for name, row in ECS_FIELDS.items():
        assert row["ECS_Version"] == "8.12.0-dev" and row["Indexed"] == "true", name
        assert None not in row and all(v is not None for v in row.values()), name
        field_set = "base" if "." not in name else name.split(".", 1)[0]
        assert row["Field_Set"] == field_set and row["Description"], name


def test_the_ecs_check_rejects_unknown_fields_and_wrong_types() -> None:
    assert ecs_problems({"user": {"target": {"name": "x"}}, "acctrace": {"any": 1}}) == []
    assert ecs_problems({"user": {"target": {"privileged": True}}}) == [
        "user.target.privileged: not an ECS field"
    ]
    assert ecs_problems({"process": {"pid": "4242"}, "source": {"ip": "-"}}) == [
        "process.pid: '4242' is not an ECS long",
        "source.ip: '-' is not an ECS ip",
    ]
    assert ecs_problems({"event": {"category": "iam"}}) == [
        "event.category: ECS expects an array, got 'iam'"
    ]


@pytest.mark.parametrize("which", RESULTS)
def test_ecs_documents_use_only_ecs_fields_with_ecs_types(
    which: str, request: pytest.FixtureRequest
) -> None:
    result = request.getfixturevalue(which)
    docs = [json.loads(x) for x in _render(ecs, result).splitlines()]
    assert len(docs) == len(result.findings)
    for doc in docs:
        assert ecs_problems(doc) == [], doc["event"]["id"]
        assert doc["event"]["kind"] == "alert"
        assert doc["threat"]["technique"]["id"] == ["T1136"]
        assert doc[ECS_CUSTOM]["finding_id"] == doc["event"]["id"]


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


@pytest.fixture(scope="module")
def ocsf_schema() -> dict[str, Any]:
    """The published OCSF schema of the version acctrace declares in `metadata.version`."""
    raw = get_ocsf_schema(ocsf.OCSF_VERSION)
    assert raw["version"] == ocsf.OCSF_VERSION
    return raw


@pytest.fixture(scope="module")
def ocsf_validator(ocsf_schema: dict[str, Any]) -> Draft202012Validator:
    schema = OcsfJsonSchemaEmbedded(ocsf_schema).get_class_schema("detection_finding")
    # No attribute outside the class and its objects: the JSON Schema says so at every level.
    assert schema["additionalProperties"] is False
    return Draft202012Validator(schema)


def ocsf_errors(validator: Draft202012Validator, obj: dict[str, Any]) -> list[str]:
    return sorted(
        f"{'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
        for e in validator.iter_errors(obj)
    )


def caption_mismatches(obj: dict[str, Any], attrs: dict[str, Any], raw: dict[str, Any]) -> list:
    """`X_id` values whose sibling caption (`severity`, `type`, ...) is not the schema's."""
    out = []
    for key, value in obj.items():
        attr = attrs.get(key, {})
        enum, sibling = attr.get("enum"), attr.get("sibling")
        caption = enum.get(str(value), {}).get("caption") if enum else None
        if caption and str(value) != "99" and sibling in obj and obj[sibling] != caption:
            out.append((key, value, obj[sibling]))
        kind = attr.get("object_type")
        if kind and kind != "object":  # `object` is free-form (unmapped)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    out += caption_mismatches(item, raw["objects"][kind]["attributes"], raw)
    return out


def test_the_ocsf_check_rejects_attributes_the_version_does_not_have(
    ocsf_validator: Draft202012Validator, demo_result: HuntResult
) -> None:
    obj = ocsf.detection_finding(by_name(demo_result, "backdoor"))
    assert ocsf_errors(ocsf_validator, obj) == []
    # What acctrace wrote before: `is_privileged` is only in the schema's development branch.
    obj["evidences"][0]["actor"]["user"]["is_privileged"] = True
    obj["severity_id"] = 7
    assert ocsf_errors(ocsf_validator, obj) == [
        "evidences.0.actor.user: Additional properties are not allowed "
        "('is_privileged' was unexpected)",
        "severity_id: 7 is not one of [3, 6, 0, 1, 2, 99, 4, 5]",
    ]


@pytest.mark.parametrize("which", RESULTS)
def test_ocsf_detection_findings_validate_against_the_published_schema(
    which: str,
    request: pytest.FixtureRequest,
    ocsf_schema: dict[str, Any],
    ocsf_validator: Draft202012Validator,
) -> None:
    result = request.getfixturevalue(which)
    objects = [json.loads(x) for x in _render(ocsf, result).splitlines()]
    assert len(objects) == len(result.findings)
    attrs = ocsf_schema["classes"]["detection_finding"]["attributes"]
    for obj in objects:
        assert ocsf_errors(ocsf_validator, obj) == [], obj["finding_info"]["uid"]
        assert caption_mismatches(obj, attrs, ocsf_schema) == []
        assert obj["class_uid"] == 2004 and obj["type_uid"] == 200401
        assert obj["metadata"]["version"] == ocsf_schema["version"]
        assert obj["metadata"]["product"]["name"] == "acctrace"
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
    # alice's session held special privileges (4672); OCSF 1.5 has no attribute for that.
    assert backdoor.creator and backdoor.creator.admin is True
    assert obj["unmapped"]["acctrace"]["creator_admin"] is True
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
