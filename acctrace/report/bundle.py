"""Evidence bundles: one finding, its report page and the records it rests on, in a zip
with a manifest of SHA-256 hashes that `acctrace verify` checks.

Records are carried redacted (knowledge/secrets.yaml), each with the SHA-256 of the
original record, so `verify --logs` still proves they came from the logs; `--include-secrets`
keeps them raw and says so in the manifest. The manifest proves the bundle is intact and
consistent with the logs; who made it is proved by an Ed25519 signature of the manifest
(`manifest.sig`, with the user's key), or by the manifest's SHA-256 (printed by `case`
and `verify`) recorded in the ticket.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import orjson
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, ValidationError

from acctrace import __version__
from acctrace.errors import AcctraceError, InputProblem
from acctrace.findings import Finding, HuntResult, Source
from acctrace.normalise.redact import redact_record
from acctrace.report import html
from acctrace.report.evidence import RawRecord, reread
from acctrace.sources import discover, sha256_of

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # base64 of the Ed25519 signature of manifest.json's bytes
FINDING = "finding.json"
PAGE = "report.html"
MEMBER_LIMIT = 64 << 20  # no member of a bundle acctrace writes comes near; a bomb stops here


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileEntry(_Entry):
    path: str
    sha256: str
    bytes: int


class InputEntry(_Entry):
    file: str
    sha256: str


class RecordEntry(_Entry):
    path: str
    role: str
    file: str
    sha256: str | None  # of the input file
    record_id: int | None
    event_id: int
    channel: str | None
    format: str
    record_sha256: str  # of the record as read from the input, before redaction
    redacted: bool  # the bundled text had secrets removed


class Manifest(_Entry):
    acctrace_version: str
    created: str
    command_line: list[str]
    finding_id: str
    secrets_included: bool
    files: list[FileEntry]
    inputs: list[InputEntry]
    records: list[RecordEntry]
    missing: list[Source]


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
    manifest_sha256: str | None = None

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
    include_secrets: bool = False,
    signing_key: Path | None = None,
) -> Bundle:
    records, missing = reread(log_paths, finding.sources)
    roles = {(s.file, s.record_id, s.event_id): s.role for s in finding.sources}
    members: dict[str, bytes] = {FINDING: finding.model_dump_json(indent=2).encode()}
    record_entries = []
    shown: dict[tuple[str, int | None, int], str] = {}
    for i, record in enumerate(sorted(records, key=_record_order), start=1):
        stem = f"{i:02d}-{roles[record.key]}-{record.event_id}-{record.record_id}"
        name = f"records/{stem}.{record.suffix}"
        kept = record.text if include_secrets else redact_record(record.text, record.format)
        shown[record.key] = kept
        members[name] = kept.encode("utf-8")
        record_entries.append(
            RecordEntry(
                path=name,
                role=roles[record.key],
                file=record.file,
                sha256=record.sha256,
                record_id=record.record_id,
                event_id=record.event_id,
                channel=record.channel,
                format=record.format,
                record_sha256=_sha256(record.text.encode("utf-8")),
                redacted=kept != record.text,
            )
        )
    inputs = sorted({(s.file, s.sha256) for s in finding.sources if s.sha256}, key=lambda x: x[0])
    page_result = HuntResult(
        findings=[finding],
        files=[f for f in result.files if any(f.sha256 == sha for _, sha in inputs)],
        problems=[],
        knowledge=result.knowledge,
    )
    context = html.ReportContext(
        title=f"Case {finding.id}: {finding.account.name} on {finding.host}",
        raw_records=shown,
        single_case=True,
    )
    members[PAGE] = html.page(page_result, context).encode("utf-8")
    manifest = Manifest(
        acctrace_version=__version__,
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        command_line=command_line,
        finding_id=finding.id,
        secrets_included=include_secrets,
        files=[
            FileEntry(path=name, sha256=_sha256(data), bytes=len(data))
            for name, data in members.items()
        ],
        inputs=[InputEntry(file=file, sha256=sha) for file, sha in inputs],
        records=record_entries,
        missing=missing,
    )
    manifest_bytes = orjson.dumps(manifest.model_dump(), option=orjson.OPT_INDENT_2)
    signature = _sign(signing_key, manifest_bytes) if signing_key else None
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST, manifest_bytes)
        if signature is not None:
            archive.writestr(SIGNATURE, base64.b64encode(signature) + b"\n")
    return Bundle(out, _sha256(manifest_bytes), len(records), len(missing))


def _record_order(r: RawRecord) -> tuple:
    return (r.file, r.record_id or 0, r.event_id)


class _TooLarge(Exception):
    pass


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member, read in blocks and refused past MEMBER_LIMIT (a zip bomb stops there)."""
    info = archive.getinfo(name)
    if info.file_size > MEMBER_LIMIT:
        raise _TooLarge(name)
    blocks, size = [], 0
    with archive.open(info) as stream:
        while block := stream.read(1 << 20):
            size += len(block)
            if size > MEMBER_LIMIT:
                raise _TooLarge(name)
            blocks.append(block)
    return b"".join(blocks)


class BundleKeyError(AcctraceError):
    """A signing or public key that cannot be used."""


def _key(path: Path, private: bool) -> Ed25519PrivateKey | Ed25519PublicKey:
    """An Ed25519 key from a PEM file (`openssl genpkey -algorithm ed25519`)."""
    try:
        data = path.read_bytes()
        key = (
            serialization.load_pem_private_key(data, password=None)
            if private
            else serialization.load_pem_public_key(data)
        )
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm) as exc:
        kind = "an unencrypted PEM private key" if private else "a PEM public key"
        raise BundleKeyError(f"not {kind} ({str(exc).splitlines()[0]})", str(path)) from exc
    if not isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
        raise BundleKeyError("not an Ed25519 key", str(path))
    return key


def _sign(path: Path, manifest_bytes: bytes) -> bytes:
    key = _key(path, private=True)
    if not isinstance(key, Ed25519PrivateKey):  # narrowed for the type checker
        raise BundleKeyError("not an Ed25519 private key", str(path))
    return key.sign(manifest_bytes)


def verify(
    bundle: Path, logs: list[Path] | None = None, public_key: Path | None = None
) -> Verification:
    v = Verification()
    try:
        archive = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile) as exc:
        v.problems.append(f"{bundle}: not a readable zip ({exc})")
        return v
    key = _key(public_key, private=False) if public_key else None
    with archive:
        try:
            _verify_archive(archive, logs, v, key)
        except _TooLarge as exc:
            v.problems.append(f"{exc}: over {MEMBER_LIMIT >> 20} MiB, not read (not a bundle)")
        except (OSError, zipfile.BadZipFile, NotImplementedError, EOFError) as exc:
            v.problems.append(f"{bundle}: damaged zip ({exc})")
    return v


def _verify_archive(
    archive: zipfile.ZipFile,
    logs: list[Path] | None,
    v: Verification,
    key: Ed25519PublicKey | Ed25519PrivateKey | None,
) -> None:
    names = set(archive.namelist())
    if MANIFEST not in names:
        v.problems.append(f"no {MANIFEST}")
        return
    manifest_bytes = _read(archive, MANIFEST)
    v.manifest_sha256 = _sha256(manifest_bytes)
    _check_signature(archive, names, manifest_bytes, key, v)
    try:
        manifest = Manifest.model_validate_json(manifest_bytes)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(map(str, error["loc"])) or "document"
        v.problems.append(f"{MANIFEST}: not a bundle manifest ({where}: {error['msg']})")
        return
    listed = {entry.path: entry for entry in manifest.files}
    for name, entry in listed.items():
        if name not in names:
            v.problems.append(f"{name}: listed in the manifest but not in the bundle")
        elif _sha256(_read(archive, name)) != entry.sha256:
            v.problems.append(f"{name}: SHA-256 differs from the manifest (changed)")
        else:
            v.checked.append(f"{name}: SHA-256 {entry.sha256}")
    for name in sorted(names - set(listed) - {MANIFEST, SIGNATURE}):
        v.problems.append(f"{name}: in the bundle but not in the manifest")
    for record in manifest.records:
        if record.path not in listed:
            v.problems.append(f"{record.path}: a record the manifest does not hash")
    if manifest.secrets_included:
        v.checked.append("records kept with their secrets (made with --include-secrets)")
    finding = _finding(archive, names, manifest, v)
    if finding is not None:
        _check_records(finding, manifest, v)
    if logs is not None:
        _check_logs(archive, names, manifest, logs, v)


def _check_signature(
    archive: zipfile.ZipFile,
    names: set[str],
    manifest_bytes: bytes,
    key: Ed25519PublicKey | Ed25519PrivateKey | None,
    v: Verification,
) -> None:
    if SIGNATURE not in names:
        if key is not None:
            v.problems.append(f"{SIGNATURE}: missing, but a public key was given (not signed)")
        return
    if key is None:
        v.checked.append(f"{SIGNATURE}: present, not checked (give --public-key)")
        return
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    try:
        signature = base64.b64decode(_read(archive, SIGNATURE).strip(), validate=True)
        public.verify(signature, manifest_bytes)
    except (InvalidSignature, binascii.Error, ValueError):
        v.problems.append(f"{SIGNATURE}: not a signature of this manifest by the given key")
    else:
        v.checked.append(f"{SIGNATURE}: the manifest is signed by the given key")


def _finding(
    archive: zipfile.ZipFile, names: set[str], manifest: Manifest, v: Verification
) -> Finding | None:
    if FINDING not in names:
        v.problems.append(f"{FINDING}: missing")
        return None
    try:
        finding = Finding.model_validate_json(_read(archive, FINDING))
    except ValidationError as exc:
        v.problems.append(f"{FINDING}: not a finding ({exc.errors()[0]['msg']})")
        return None
    if finding.id != manifest.finding_id:
        v.problems.append(f"{FINDING}: id {finding.id} is not the manifest's {manifest.finding_id}")
    return finding


def _citation(s: Source | RecordEntry) -> tuple:
    return (s.file, s.sha256, s.record_id, s.event_id, s.channel)


def _check_records(finding: Finding, manifest: Manifest, v: Verification) -> None:
    """Every source of the finding is either a record in the bundle or declared missing, and
    each bundled record is cited exactly as the finding cites it."""
    roles: dict[tuple, set[str]] = {}
    for s in finding.sources:
        roles.setdefault(_citation(s), set()).add(s.role)
    bundled = {_citation(r) for r in manifest.records}
    missing = {_citation(m) for m in manifest.missing}
    for r in manifest.records:
        if _citation(r) not in roles:
            v.problems.append(f"{r.path}: not cited by the finding as the manifest says")
        elif r.role not in roles[_citation(r)]:
            v.problems.append(f"{r.path}: role {r.role} is not the finding's")
    for key in sorted(missing - set(roles), key=str):
        v.problems.append(f"declared missing {key}: not a source of the finding")
    for key in sorted(set(roles) - bundled - missing, key=str):
        v.problems.append(f"source {key}: neither in the bundle nor declared missing")


def _check_logs(
    archive: zipfile.ZipFile,
    names: set[str],
    manifest: Manifest,
    logs: list[Path],
    v: Verification,
) -> None:
    present, log_names = set(), set()
    for item in discover(logs):
        if not isinstance(item, InputProblem):
            present.add(sha256_of(item.stream))
            log_names |= {item.name, os.path.abspath(item.name)}
    for entry in manifest.inputs:
        if entry.sha256 in present:
            v.checked.append(f"input {entry.file}: found with SHA-256 {entry.sha256}")
        else:
            v.problems.append(
                f"input {entry.file}: no log with SHA-256 {entry.sha256} in the given paths"
            )
    # A record `watch` read from a file it follows has no SHA-256 of its input (the file
    # grows): its input is found by name.
    for file in sorted({r.file for r in manifest.records if r.sha256 is None} - log_names):
        v.problems.append(f"input {file}: not in the given paths")

    def given(r: RecordEntry | Source) -> bool:
        return r.sha256 in present if r.sha256 is not None else r.file in log_names

    wanted = [_source(r) for r in manifest.records if r.path in names and given(r)]
    found, _ = reread(logs, wanted + [m for m in manifest.missing if given(m)])
    by_key = {r.key: r for r in found}
    for m in manifest.missing:
        if (m.file, m.record_id, m.event_id) in by_key:
            v.problems.append(
                f"record {m.record_id} (event {m.event_id}) of {m.file}: declared missing, "
                "but the logs hold it"
            )
    for r in manifest.records:
        if not given(r) or r.path not in names:
            continue
        again = by_key.get((r.file, r.record_id, r.event_id))
        if again is None:
            v.problems.append(f"{r.path}: record {r.record_id} is not in {r.file}")
            continue
        original = again.text.encode("utf-8")
        expected = again.text if manifest.secrets_included else redact_record(again.text, r.format)
        if _sha256(original) != r.record_sha256:
            v.problems.append(f"{r.path}: record {r.record_id} in {r.file} has another SHA-256")
        elif expected.encode("utf-8") != _read(archive, r.path):
            v.problems.append(f"{r.path}: differs from record {r.record_id} in {r.file}")
        else:
            v.checked.append(f"{r.path}: same as record {r.record_id} in {r.file}")


def _source(entry: RecordEntry) -> Source:
    return Source(
        role=entry.role,  # type: ignore[arg-type]
        file=entry.file,
        sha256=entry.sha256,
        record_id=entry.record_id,
        channel=entry.channel,
        event_id=entry.event_id,
    )
