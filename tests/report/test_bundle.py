"""Evidence bundles: made from the logs, verified, and tampering detected."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.findings import HuntResult
from acctrace.report import bundle
from tests.report.conftest import by_name

MDEC = "evtx/mdecrevoisier"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def rewrite(archive: Path, member: str, change) -> None:  # type: ignore[no-untyped-def]
    """Replace one member of a zip with change(its bytes), keeping the rest as is."""
    copy = archive.with_suffix(".tmp")
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(copy, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data) if info.filename == member else data)
    copy.replace(archive)


def test_bundle_round_trip_and_tampering(
    demo_dir: Path, demo_result: HuntResult, tmp_path: Path
) -> None:
    finding = by_name(demo_result, "backdoor")
    case = tmp_path / "case.zip"
    made = invoke("case", finding.id[:10], str(demo_dir), "--bundle", str(case))
    assert made.exit_code == 0, made.output
    assert "manifest SHA-256" in made.stderr

    with zipfile.ZipFile(case) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        saved = json.loads(z.read("finding.json"))
        page = z.read("report.html").decode()
    assert saved["id"] == finding.id and manifest["finding_id"] == finding.id
    assert {"finding.json", "report.html", "manifest.json"} <= names
    assert len(manifest["records"]) == len({(s.file, s.record_id) for s in finding.sources})
    assert not manifest["missing"]
    assert manifest["command_line"][:2] == ["acctrace", "case"]
    assert {i["sha256"] for i in manifest["inputs"]} == {s.sha256 for s in finding.sources}
    creation = next(r for r in manifest["records"] if r["role"] == "creation")
    with zipfile.ZipFile(case) as z:
        assert '"backdoor"' in z.read(creation["path"]).decode()
    assert "Raw event:" in page and f'id="case-{finding.id}"' in page
    # a case's own page: the case itself, no findings table and no empty overview
    assert 'id="findings"' not in page and 'id="overview"' not in page
    assert page.index('id="cases"') < page.index('id="inputs"')

    ok = invoke("verify", str(case), "--logs", str(demo_dir))
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.rstrip().endswith("verified")

    tampered = tmp_path / "tampered.zip"
    shutil.copy(case, tampered)
    rewrite(tampered, "finding.json", lambda b: b.replace(b'"critical"', b'"info"'))
    bad = invoke("verify", str(tampered))
    assert bad.exit_code == 1 and "finding.json: SHA-256 differs" in bad.stdout

    record = tmp_path / "record.zip"
    shutil.copy(case, record)
    rewrite(record, creation["path"], lambda b: b.replace(b"backdoor", b"b4ckdoor"))
    assert "SHA-256 differs" in invoke("verify", str(record)).stdout


def test_verify_against_logs_that_changed(demo_dir: Path, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    shutil.copytree(demo_dir, logs)
    result = invoke("hunt", str(logs), "--json")
    finding = next(json.loads(x) for x in result.stdout.splitlines() if '"backdoor"' in x)
    case = tmp_path / "case.zip"
    assert invoke("case", finding["id"], str(logs), "--bundle", str(case)).exit_code == 0
    ws01 = logs / "ws01.ndjson"
    ws01.write_text(ws01.read_text().replace("backdoor", "b4ckdoor"))
    checked = bundle.verify(case, [logs])
    assert not checked.ok
    assert any("no log with SHA-256" in p for p in checked.problems)


def test_bundle_of_real_evtx_records(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / MDEC / "ID4688-User creation via commandline.evtx"
    hunted = invoke("hunt", str(path), "--json")
    toto3 = json.loads(hunted.stdout.splitlines()[0])
    case = tmp_path / "toto3.zip"
    made = invoke("case", toto3["id"], str(path), "--bundle", str(case))
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(case) as z:
        manifest = json.loads(z.read("manifest.json"))
        records = {r["role"]: z.read(r["path"]).decode() for r in manifest["records"]}
    assert manifest["inputs"][0]["sha256"] == toto3["sources"][0]["sha256"]
    assert '"EventRecordID"' in records["creation"] and "toto3" in records["creation"]
    assert "net1.exe" in records["process"].lower()
    assert bundle.verify(case, [path]).ok


def test_case_with_an_unknown_id_exits_1(demo_dir: Path, tmp_path: Path) -> None:
    result = invoke("case", "ffffffffff", str(demo_dir), "--bundle", str(tmp_path / "x.zip"))
    assert result.exit_code == 1 and "no finding" in result.stderr
