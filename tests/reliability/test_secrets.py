"""Secrets never leave: no password typed on a command line appears in any byte acctrace
writes (every hunt format, reports, the store, evidence bundles, stderr), while bundles
still prove with `verify --logs` that their records came from the logs."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import duckdb
import orjson
import pytest
from click.testing import CliRunner

from acctrace.cli import cli
from acctrace.normalise.redact import REDACTED, redact_command_line, redact_record
from acctrace.pipeline import HuntOptions, run
from acctrace.report import bundle
from acctrace.scenario.story import PASSWORDS
from acctrace.scenario.writers import write_demo

_ENCODED = base64.b64encode("net user enc S3cr3tEnc0ded /add".encode("utf-16-le")).decode()

# (command line, the secret on it): every form issue #11 lists, and the older ones.
FORMS = [
    ("net user n1 /add Pw1-After-Add", "Pw1-After-Add"),
    ("net user n2 /add /passwordreq:yes Pw2-Req", "Pw2-Req"),
    ("powershell ConvertTo-SecureString -AsPlainText -Force -String Pw3-String", "Pw3-String"),
    ('powershell ConvertTo-SecureString -AsPlainText "Pw4-Quoted"', "Pw4-Quoted"),
    ("powershell 'Pw5-Piped' | ConvertTo-SecureString -AsPlainText -Force", "Pw5-Piped"),
    ("powershell $pw='Pw6-Var'; net user n6 $pw /add", "Pw6-Var"),
    ("cmd /c n^et us^er n7 Pw7-Caret /add", "Pw7-Caret"),
    ("cmd /c n^et us^er n8 P^w8-C^aret /add", "w8-C"),
    (f"powershell -EncodedCommand {_ENCODED}", "S3cr3tEnc0ded"),
    ("net use \\\\dc01\\c$ Pw10-NetUse /user:corp\\admin", "Pw10-NetUse"),
    ("schtasks /create /tn t /tr x.exe /ru corp\\svc /rp Pw11-Schtasks", "Pw11-Schtasks"),
    (
        'reg add "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon" '
        "/v DefaultPassword /t REG_SZ /d Pw12-Autologon /f",
        "Pw12-Autologon",
    ),
    ("psexec \\\\srv -u admin -pPw13-Psexec cmd", "Pw13-Psexec"),
    ("curl -u admin:Pw14-Curl https://x.corp/api", "Pw14-Curl"),
    ("net  user toto9 @#(*kjh@(@Jd9 /add", "kjh@(@Jd9"),
    ("dsadd user cn=x,dc=corp -pwd Pw16-Dsadd", "Pw16-Dsadd"),
    ('wmic useraccount call create name="x",password="Pw17-Wmic"', "Pw17-Wmic"),
    ("net user n18 Pw18-Chain /add && net localgroup administrators n18 /add", "Pw18-Chain"),
]
SECRETS = [secret for _, secret in FORMS]


@pytest.mark.parametrize(("command_line", "secret"), FORMS)
def test_every_form_is_redacted_and_the_command_stays_readable(
    command_line: str, secret: str
) -> None:
    redacted = redact_command_line(command_line)
    assert secret not in redacted and (REDACTED in redacted or "EncodedCommand" in redacted)
    assert redacted.split()[0] == command_line.split()[0]
    assert redact_command_line(redacted) == redacted  # one pass is enough


def test_an_encoded_command_still_decodes_to_the_redacted_script() -> None:
    redacted = redact_command_line(f"powershell -EncodedCommand {_ENCODED}")
    payload = redacted.rsplit(" ", 1)[1]
    assert base64.b64decode(payload).decode("utf-16-le") == f"net user enc {REDACTED} /add"


def test_a_chained_command_keeps_what_follows_the_password() -> None:
    redacted = redact_command_line(FORMS[-1][0])
    assert redacted.endswith("&& net localgroup administrators n18 /add")


def test_raw_records_are_redacted_in_every_string_and_untouched_without_secrets() -> None:
    record = orjson.dumps({"Event": {"EventData": {"CommandLine": FORMS[0][0], "Pid": 4}}})
    assert "Pw1-After-Add" not in redact_record(record.decode(), "jsonl")
    clean = '{"Event":  {"CommandLine": "net user x /add"}}'
    assert redact_record(clean, "jsonl") == clean  # byte for byte
    xml = (
        "<Event><EventData><Data Name='CommandLine'>net user x Pw-Xml /add</Data>"
        "</EventData></Event>"
    )
    assert "Pw-Xml" not in redact_record(xml, "xml") and REDACTED in redact_record(xml, "xml")


def _lines() -> list[bytes]:
    """One creation per form, created by the process that ran it, on its own host, with a
    Sysmon 1 whose parent command line carries the secret too."""
    out = []
    for i, (command_line, _) in enumerate(FORMS):
        host, session, pid = f"h{i}.corp.local", hex(0x10000 + i), 0x400 + i
        common = {
            "Hostname": host,
            "SubjectUserSid": "S-1-5-21-7-7-7-1104",
            "SubjectUserName": "alice",
            "SubjectDomainName": "CORP",
            "SubjectLogonId": session,
        }
        out.append(
            {
                **common,
                "EventID": 4688,
                "Channel": "Security",
                "SourceName": "Microsoft-Windows-Security-Auditing",
                "@timestamp": "2024-03-01T10:00:00.000Z",
                "RecordNumber": 1,
                "NewProcessId": hex(pid),
                "ProcessId": "0x100",
                "NewProcessName": "C:\\Windows\\System32\\net.exe",
                "ParentProcessName": "C:\\Windows\\System32\\cmd.exe",
                "CommandLine": command_line,
                "TargetLogonId": "0x0",
            }
        )
        out.append(
            {
                "Hostname": host,
                "EventID": 1,
                "SourceName": "Microsoft-Windows-Sysmon",
                "Channel": "Microsoft-Windows-Sysmon/Operational",
                "@timestamp": "2024-03-01T10:00:00.100Z",
                "RecordNumber": 2,
                "ProcessId": pid + 1,
                "ParentProcessId": pid,
                "LogonId": session,
                "Image": "C:\\Windows\\System32\\net1.exe",
                "ParentImage": "C:\\Windows\\System32\\net.exe",
                "User": "CORP\\alice",
                "CommandLine": command_line,
                "ParentCommandLine": command_line,
            }
        )
        out.append(
            {
                **common,
                "EventID": 4720,
                "Channel": "Security",
                "SourceName": "Microsoft-Windows-Security-Auditing",
                "@timestamp": "2024-03-01T10:00:00.200Z",
                "RecordNumber": 3,
                "TargetUserName": f"n{i}",
                "TargetDomainName": f"H{i}",
                "TargetSid": f"S-1-5-21-{i}-1-1-1001",
            }
        )
    return [orjson.dumps(x) + b"\n" for x in out]


@pytest.fixture(scope="module")
def forms_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    (out / "forms.jsonl").write_bytes(b"".join(_lines()))
    return out


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_demo(out, "ecs")
    return out


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _leaks(data: bytes, secrets: list[str]) -> list[str]:
    return [s for s in secrets if s.encode() in data or s.encode("utf-16-le") in data]


def _every_output(logs: Path, out: Path) -> dict[str, bytes]:
    """Every byte acctrace writes for these logs, by where it went."""
    written: dict[str, bytes] = {}
    for fmt in ("text", "json", "csv-timeline", "ecs", "ocsf"):
        result = invoke("hunt", logs, "--format", fmt)
        assert result.exit_code == 0, result.output
        written[f"hunt {fmt}"] = (result.stdout + result.stderr).encode()
    for fmt in ("html", "md"):
        result = invoke("report", logs, "--format", fmt, "-o", out / f"report.{fmt}")
        assert result.exit_code == 0, result.output
        written[f"report {fmt}"] = (out / f"report.{fmt}").read_bytes() + result.stderr.encode()
    store = out / "store.duckdb"
    assert invoke("ingest", logs, "--db", store).exit_code == 0
    stored = invoke("hunt", "--db", store, "--json")
    assert stored.exit_code == 0, stored.output
    written["hunt --db"] = stored.stdout.encode()
    with duckdb.connect(str(store), read_only=True) as db:
        for (table,) in db.execute("SELECT table_name FROM information_schema.tables").fetchall():
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
            written[f"store table {table}"] = repr(rows).encode()
    written["store file"] = store.read_bytes()
    result = run([logs], HuntOptions())
    secretive = [f for f in result.findings if REDACTED in f.model_dump_json()]
    assert secretive
    for i, finding in enumerate(secretive):  # bundles of the findings that rest on a secret
        case = out / f"{finding.id}.zip"
        if i == 0:  # through the command line once; the library, as `case` calls it, after
            made = invoke("case", finding.id, logs, "--bundle", case)
            assert made.exit_code == 0, made.output
            checked = invoke("verify", case, "--logs", logs)
            assert checked.exit_code == 0 and checked.stdout.rstrip().endswith("verified")
        else:
            bundle.make_bundle(finding, result, [logs], case, ["acctrace", "case"])
            assert bundle.verify(case, [logs]).ok
        with zipfile.ZipFile(case) as z:
            for name in z.namelist():
                written[f"bundle {finding.id} {name}"] = z.read(name)
    return written


def test_no_secret_of_any_form_in_any_output(forms_dir: Path, tmp_path: Path) -> None:
    written = _every_output(forms_dir, tmp_path)
    assert {where: _leaks(data, SECRETS) for where, data in written.items()} == {
        where: [] for where in written
    }
    # The command lines did go out, redacted: the test is not passing on empty outputs.
    assert written["hunt json"].count(REDACTED.encode()) >= len(FORMS)
    assert sum(REDACTED.encode() in data for k, data in written.items() if "records/" in k) >= len(
        FORMS
    )


def test_no_password_of_the_demo_in_any_output(demo_dir: Path, tmp_path: Path) -> None:
    written = _every_output(demo_dir, tmp_path)
    assert any(b"backdoor" in data for data in written.values())
    assert {where: _leaks(data, list(PASSWORDS)) for where, data in written.items()} == {
        where: [] for where in written
    }


def test_the_real_toto3_password_stays_out_of_its_bundle(shared_data: Path, tmp_path: Path) -> None:
    logs = shared_data / "evtx" / "mdecrevoisier" / "ID4688-User creation via commandline.evtx"
    case = tmp_path / "toto3.zip"
    made = invoke("case", "e0f29", logs, "--bundle", case)
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(case) as z:
        members = {name: z.read(name) for name in z.namelist()}
    assert {n: _leaks(d, ["kjh@(@Jd", "@#(*kjh"]) for n, d in members.items()} == {
        n: [] for n in members
    }
    manifest = json.loads(members["manifest.json"])
    assert manifest["secrets_included"] is False
    assert any(r["redacted"] for r in manifest["records"])
    assert invoke("verify", case, "--logs", logs).exit_code == 0

    raw = tmp_path / "raw.zip"
    made = invoke("case", "e0f29", logs, "--bundle", raw, "--include-secrets")
    assert made.exit_code == 0 and "secrets" in made.stderr
    with zipfile.ZipFile(raw) as z:
        assert json.loads(z.read("manifest.json"))["secrets_included"] is True
        assert any(b"kjh@(@Jd" in z.read(n) for n in z.namelist() if n.startswith("records/"))
    checked = invoke("verify", raw, "--logs", logs)
    assert checked.exit_code == 0 and "--include-secrets" in checked.stdout
