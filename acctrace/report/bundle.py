"""Evidence bundles: one finding, its report page and the raw records it rests on, in a zip
with a manifest of SHA-256 hashes that `acctrace verify` checks.

The manifest is not signed: it proves the bundle is intact and consistent with the logs,
not who made it. Record the manifest's SHA-256 (printed by `case`) in the ticket.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from acctrace import __version__
from acctrace.errors import InputProblem
from acctrace.findings import Finding, HuntResult, Source
from acctrace.report import html
from acctrace.report.evidence import RawRecord, reread
from acctrace.sources import discover, sha256_of

MANIFEST = "manifest.json"
FINDING = "finding.json"
PAGE = "report.html"


@dataclass
class Bundle:
    path: Path
    manifest_sha256: str
    records: int
    missing: int


@dataclass
class Verification:
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_bundle(
    finding: Finding,
    result: HuntResult,
    log_paths: list[Path],
    out: Path,
    command_line: list[str],
) -> Bundle:
    records, missing = reread(log_paths, finding.sources)
    roles = {(s.file, s.record_id, s.event_id): s.role for s in finding.sources}
    members: dict[str, bytes] = {FINDING: finding.model_dump_json(indent=2).encode()}
    record_entries = []
    for i, record in enumerate(sorted(records, key=_record_order), start=1):
        stem = f"{i:02d}-{roles[record.key]}-{record.event_id}-{record.record_id}"
        name = f"records/{stem}.{record.suffix}"
        members[name] = record.text.encode("utf-8")
        record_entries.append(
            {
                "path": name,
                "role": roles[record.key],
                "file": record.file,
                "sha256": record.sha256,
                "record_id": record.record_id,
                "event_id": record.event_id,
                "channel": record.channel,
                "format": record.format,
            }
        )
    inputs = sorted({(s.file, s.sha256) for s in finding.sources}, key=lambda x: x[0])
    page_result = HuntResult(
        findings=[finding],
        files=[f for f in result.files if any(f.sha256 == sha for _, sha in inputs)],
        problems=[],
        knowledge=result.knowledge,
    )
    context = html.ReportContext(
        title=f"Case {finding.id}: {finding.account.name} on {finding.host}",
        raw_records={r.key: r.text for r in records},
    )
    members[PAGE] = html.page(page_result, context).encode("utf-8")
    manifest: dict[str, Any] = {
        "acctrace_version": __version__,
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command_line": command_line,
        "finding_id": finding.id,
        "files": [
            {"path": name, "sha256": _sha256(data), "bytes": len(data)}
            for name, data in members.items()
        ],
        "inputs": [{"file": file, "sha256": sha} for file, sha in inputs],
        "records": record_entries,
        "missing": [s.model_dump() for s in missing],
    }
    manifest_bytes = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, manifest_bytes)
    return Bundle(out, _sha256(manifest_bytes), len(records), len(missing))


def _record_order(r: RawRecord) -> tuple:
    return (r.file, r.record_id or 0, r.event_id)


def verify(bundle: Path, logs: list[Path] | None = None) -> Verification:
    v = Verification()
    try:
        archive = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile) as exc:
        v.problems.append(f"{bundle}: not a readable zip ({exc})")
        return v
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            v.problems.append(f"{bundle}: no {MANIFEST}")
            return v
        try:
            manifest = orjson.loads(archive.read(MANIFEST))
        except orjson.JSONDecodeError as exc:
            v.problems.append(f"{MANIFEST}: not JSON ({exc})")
            return v
        listed = {entry["path"]: entry for entry in manifest.get("files", [])}
        for name, entry in listed.items():
            if name not in names:
                v.problems.append(f"{name}: listed in the manifest but not in the bundle")
            elif _sha256(archive.read(name)) != entry["sha256"]:
                v.problems.append(f"{name}: SHA-256 differs from the manifest (changed)")
            else:
                v.checked.append(f"{name}: SHA-256 {entry['sha256']}")
        for name in sorted(names - set(listed) - {MANIFEST}):
            v.problems.append(f"{name}: in the bundle but not in the manifest")
        finding = _finding(archive, names, manifest, v)
        if finding is not None:
            _check_records(finding, manifest, v)
        if logs is not None:
            _check_logs(archive, names, manifest, logs, v)
    return v


def _finding(
    archive: zipfile.ZipFile, names: set[str], manifest: dict, v: Verification
) -> Finding | None:
    if FINDING not in names:
        v.problems.append(f"{FINDING}: missing")
        return None
    try:
        finding = Finding.model_validate_json(archive.read(FINDING))
    except ValidationError as exc:
        v.problems.append(f"{FINDING}: not a finding ({exc.errors()[0]['msg']})")
        return None
    if finding.id != manifest.get("finding_id"):
        v.problems.append(
            f"{FINDING}: id {finding.id} is not the manifest's {manifest.get('finding_id')}"
        )
    return finding


def _check_records(finding: Finding, manifest: dict, v: Verification) -> None:
    """Every source of the finding is either a record in the bundle or declared missing."""
    sources = {(s.file, s.record_id, s.event_id) for s in finding.sources}
    bundled = {(r["file"], r["record_id"], r["event_id"]) for r in manifest.get("records", [])}
    missing = {(m["file"], m["record_id"], m["event_id"]) for m in manifest.get("missing", [])}
    for key in sorted(bundled - sources, key=str):
        v.problems.append(f"record {key}: in the bundle but not a source of the finding")
    for key in sorted(sources - bundled - missing, key=str):
        v.problems.append(f"source {key}: neither in the bundle nor declared missing")


def _check_logs(
    archive: zipfile.ZipFile, names: set[str], manifest: dict, logs: list[Path], v: Verification
) -> None:
    present = set()
    for item in discover(logs):
        if not isinstance(item, InputProblem):
            present.add(sha256_of(item.stream))
    for entry in manifest.get("inputs", []):
        if entry["sha256"] in present:
            v.checked.append(f"input {entry['file']}: found with SHA-256 {entry['sha256']}")
        else:
            v.problems.append(
                f"input {entry['file']}: no log with SHA-256 {entry['sha256']} in the given paths"
            )
    wanted = [
        _source(r)
        for r in manifest.get("records", [])
        if r["path"] in names and r["sha256"] in present
    ]
    found, _ = reread(logs, wanted)
    by_key = {r.key: r for r in found}
    for r in manifest.get("records", []):
        if r["sha256"] not in present or r["path"] not in names:
            continue
        again = by_key.get((r["file"], r["record_id"], r["event_id"]))
        if again is None:
            v.problems.append(f"{r['path']}: record {r['record_id']} is not in {r['file']}")
        elif again.text.encode("utf-8") != archive.read(r["path"]):
            v.problems.append(f"{r['path']}: differs from record {r['record_id']} in {r['file']}")
        else:
            v.checked.append(f"{r['path']}: same as record {r['record_id']} in {r['file']}")


def _source(entry: dict) -> Source:
    return Source(
        role=entry["role"],
        file=entry["file"],
        sha256=entry["sha256"],
        record_id=entry["record_id"],
        channel=entry["channel"],
        event_id=entry["event_id"],
    )
