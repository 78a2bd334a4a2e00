"""Evidence bundles: made from the logs, verified, and tampering detected."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
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


def test_case_from_a_store_reads_the_records_from_the_files_it_names(
    shared_data: Path, tmp_path: Path
) -> None:
    path = shared_data / MDEC / "ID4688-User creation via commandline.evtx"
    store = tmp_path / "soc.duckdb"
    assert invoke("ingest", str(path), "--db", str(store)).exit_code == 0
    hunted = invoke("hunt", "--db", str(store), "--json")
    toto3 = json.loads(hunted.stdout.splitlines()[0])
    case = tmp_path / "toto3.zip"
    made = invoke("case", toto3["id"][:12], "--db", str(store), "--bundle", str(case))
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(case) as z:
        manifest = json.loads(z.read("manifest.json"))
        records = {r["role"]: z.read(r["path"]).decode() for r in manifest["records"]}
    assert (
        not manifest["missing"] and manifest["inputs"][0]["sha256"] == toto3["sources"][0]["sha256"]
    )
    assert "toto3" in records["creation"] and "net1.exe" in records["process"].lower()
    assert bundle.verify(case, [path]).ok
    elsewhere = tmp_path / "moved"  # the logs moved since: given as PATHS
    elsewhere.mkdir()
    shutil.copyfile(path, elsewhere / "copy.evtx")
    again = invoke("case", toto3["id"], str(elsewhere), "--db", str(store), "--bundle", str(case))
    assert again.exit_code == 0 and "not found" not in again.stderr


def test_case_with_an_unknown_id_exits_1(demo_dir: Path, tmp_path: Path) -> None:
    result = invoke("case", "ffffffffff", str(demo_dir), "--bundle", str(tmp_path / "x.zip"))
    assert result.exit_code == 1 and "no finding" in result.stderr


def _manifest_edit(change):  # type: ignore[no-untyped-def]
    """An edit of the manifest's JSON, written back as indented JSON bytes."""

    def edit(data: bytes) -> bytes:
        document = json.loads(data)
        return json.dumps(change(document), indent=2).encode()

    return edit


def _forged(case: Path, tmp_path: Path, name: str, member: str, change) -> Path:  # type: ignore[no-untyped-def]
    forged = tmp_path / name
    shutil.copy(case, forged)
    rewrite(forged, member, change)
    return forged


def _rehash(archive: Path) -> None:
    """What a careful forger does after editing members: recompute the manifest's hashes."""
    with zipfile.ZipFile(archive) as z:
        hashes = {n: bundle._sha256(z.read(n)) for n in z.namelist()}

    def fix(document: dict) -> dict:
        for entry in document["files"]:
            entry["sha256"] = hashes[entry["path"]]
        return document

    rewrite(archive, "manifest.json", _manifest_edit(fix))


def test_every_tampering_of_issue_11_is_reported(
    demo_dir: Path, demo_result: HuntResult, tmp_path: Path
) -> None:
    finding = by_name(demo_result, "backdoor")
    case = tmp_path / "case.zip"
    made = invoke("case", finding.id, str(demo_dir), "--bundle", str(case))
    printed = made.stderr.rsplit("manifest SHA-256 ", 1)[1].strip()

    # The finding edited and the manifest rehashed: every hash holds, but the manifest's own
    # SHA-256, printed by verify, is no longer the one `case` printed for the ticket.
    edited = _forged(
        case, tmp_path, "edited.zip", "finding.json", lambda b: b.replace(b'"critical"', b'"info"')
    )
    _rehash(edited)
    shown = invoke("verify", str(edited)).stdout
    assert f"manifest SHA-256 {printed}" not in shown and "manifest SHA-256 " in shown
    assert f"manifest SHA-256 {printed}" in invoke("verify", str(case)).stdout

    # A 4688 record removed and declared missing: the logs hold it.
    def drop_process(document: dict) -> dict:
        (gone,) = [r for r in document["records"] if r["role"] == "process"][:1]
        document["records"].remove(gone)
        document["files"] = [f for f in document["files"] if f["path"] != gone["path"]]
        document["missing"].append(
            {k: gone[k] for k in ("role", "file", "sha256", "record_id", "channel", "event_id")}
        )
        return document

    hidden = tmp_path / "hidden.zip"
    with zipfile.ZipFile(case) as src, zipfile.ZipFile(hidden, "w") as dst:
        manifest = drop_process(json.loads(src.read("manifest.json")))
        kept = {f["path"] for f in manifest["files"]}
        for name in src.namelist():
            if name in kept:
                dst.writestr(name, src.read(name))
        dst.writestr("manifest.json", json.dumps(manifest))
    result = invoke("verify", str(hidden), "--logs", str(demo_dir))
    assert result.exit_code == 1 and "declared missing, but the logs hold it" in result.stdout

    # A byte flipped inside the manifest's record list, without --logs.
    def flip(document: dict) -> dict:
        document["records"][0]["record_id"] += 1
        return document

    flipped = _forged(case, tmp_path, "flipped.zip", "manifest.json", _manifest_edit(flip))
    result = invoke("verify", str(flipped))
    assert result.exit_code == 1 and "FAILED  " in result.stdout


@pytest.mark.parametrize(
    ("manifest", "reason"),
    [(b"[]", "document"), (b"null", "document"), (b"{", "document"), (None, "files.0.sha256")],
)
def test_a_malformed_manifest_is_one_line(
    demo_dir: Path, demo_result: HuntResult, tmp_path: Path, manifest: bytes | None, reason: str
) -> None:
    case = tmp_path / "case.zip"
    invoke("case", by_name(demo_result, "backdoor").id, str(demo_dir), "--bundle", str(case))

    def change(data: bytes) -> bytes:
        if manifest is not None:
            return manifest
        document = json.loads(data)
        del document["files"][0]["sha256"]
        return json.dumps(document).encode()

    rewrite(case, "manifest.json", change)
    result = invoke("verify", str(case))
    assert result.exit_code == 1 and "Traceback" not in result.output
    failed = [x for x in result.stdout.splitlines() if x.startswith("FAILED")]
    assert len(failed) == 1 and "not a bundle manifest" in failed[0] and reason in failed[0]


def test_a_zip_bomb_member_is_not_inflated(tmp_path: Path) -> None:
    """A received bundle may be a zip bomb: members are read in blocks, and refused past
    the cap instead of being inflated in memory."""
    bomb = tmp_path / "bomb.zip"
    block = b" " * (1 << 20)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("manifest.json", "w", force_zip64=True) as member,
    ):
        for _ in range(bundle.MEMBER_LIMIT // len(block) + 2):
            member.write(block)
    assert bomb.stat().st_size < 1 << 20
    result = bundle.verify(bomb)
    assert result.problems == ["manifest.json: over 64 MiB, not read (not a bundle)"]


def test_a_signed_bundle_is_checked_with_the_public_key(
    demo_dir: Path, demo_result: HuntResult, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    def pem_pair(name: str) -> tuple[Path, Path]:
        key = Ed25519PrivateKey.generate()
        private, public = tmp_path / f"{name}.pem", tmp_path / f"{name}.pub.pem"
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        public.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return private, public

    ours, ours_public = pem_pair("ours")
    _, theirs_public = pem_pair("theirs")
    case = tmp_path / "signed.zip"
    finding = by_name(demo_result, "backdoor").id
    made = invoke("case", finding, str(demo_dir), "--bundle", str(case), "--sign-key", str(ours))
    assert made.exit_code == 0, made.output
    good = invoke("verify", str(case), "--public-key", str(ours_public))
    assert good.exit_code == 0 and "signed by the given key" in good.stdout
    assert invoke("verify", str(case), "--public-key", str(theirs_public)).exit_code == 1
    assert "not checked" in invoke("verify", str(case)).stdout

    # Edit the finding, rehash the manifest: the signature no longer holds.
    forged = _forged(
        case, tmp_path, "forged.zip", "finding.json", lambda b: b.replace(b'"critical"', b'"info"')
    )
    _rehash(forged)
    bad = invoke("verify", str(forged), "--public-key", str(ours_public))
    assert bad.exit_code == 1 and "not a signature of this manifest" in bad.stdout

    unsigned = tmp_path / "unsigned.zip"
    invoke("case", finding, str(demo_dir), "--bundle", str(unsigned))
    assert "not signed" in invoke("verify", str(unsigned), "--public-key", str(ours_public)).stdout
    wrong = invoke(
        "case",
        finding,
        str(demo_dir),
        "--bundle",
        str(tmp_path / "x.zip"),
        "--sign-key",
        str(ours_public),
    )
    assert wrong.exit_code == 1 and "not an unencrypted PEM private key" in wrong.stderr
