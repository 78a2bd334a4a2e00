"""Every field is hostile: times, numbers and ids that cannot be used become a counted
problem or "time unknown", never an exception, in every command and in the store; and one
creation that cannot be assessed costs its own finding, not the hunt (issue #11)."""

from __future__ import annotations

import inspect
import json
import re
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import orjson
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acctrace.cli import cli
from acctrace.normalise import model
from acctrace.normalise.fields import logon_id, timestamp_us
from acctrace.normalise.store import EventStore
from acctrace.pipeline import HuntOptions, run
from acctrace.reading import ingest
from acctrace.sources import discover
from acctrace.storage.database import EventDatabase

SECURITY = "Microsoft-Windows-Security-Auditing"
SYSMON = "Microsoft-Windows-Sysmon"

BAD_TIMES = {
    "empty": "",
    "us-style": "05/01/2024 10:00:06 AM",
    "last-microsecond": "9999-12-31T23:59:59.999999Z",
    "year-one-east": "0001-01-01T00:00:00+01:00",
    "ecs-1e300": 1e300,
    "absent": None,
}


def record(event_id: int, time: object, number: int, **data: object) -> dict:
    """An NXLog-shaped Security record on ws1 (the shape of OTRF's data)."""
    rec = {
        "EventID": event_id,
        "SourceName": SECURITY,
        "Channel": "Security",
        "Hostname": "ws1.corp.local",
        "RecordNumber": number,
        "SubjectUserSid": "S-1-5-21-1-2-3-500",
        "SubjectUserName": "admin",
        "SubjectDomainName": "WS1",
        "SubjectLogonId": "0x3e7",
        **data,
    }
    if time is not None:
        rec["@timestamp"] = time
    return rec


def creation(time: object, number: int, name: str) -> dict:
    return record(
        4720, time, number, TargetUserName=name, TargetDomainName="WS1",
        TargetSid=f"S-1-5-21-1-2-3-{1000 + number}",
    )  # fmt: skip


def write(path: Path, records: list[dict]) -> Path:
    # json, not orjson: the records may hold integers beyond 64 bits, as a hostile file can
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _untimed_logs(path: Path, time: object) -> Path:
    return write(
        path,
        [
            record(4688, time, 1, NewProcessId="0x10", ProcessId="0x4", TargetLogonId="0x0",
                   NewProcessName="C:\\Windows\\System32\\net.exe", CommandLine="net user x /add"),
            creation(time, 2, "untimed"),
            creation("2024-03-01T10:00:00Z", 3, "timed"),
        ],
    )  # fmt: skip


def _findings(stdout: str) -> dict[str, dict]:
    return {f["account"]["name"]: f for f in map(orjson.loads, stdout.splitlines())}


@pytest.mark.parametrize("time", list(BAD_TIMES.values()), ids=list(BAD_TIMES))
def test_a_creation_without_a_usable_time_is_a_finding_with_time_unknown(
    tmp_path: Path, time: object
) -> None:
    result = invoke("hunt", _untimed_logs(tmp_path / "x.jsonl", time), "--json")
    assert result.exit_code == 3, result.output  # something could not be used: said, and 3
    found = _findings(result.stdout)
    assert set(found) == {"untimed", "timed"} and found["untimed"]["time"] is None
    assert "time_unknown" in result.stderr and "(record 2)" in result.stderr


def test_time_unknown_in_every_command_and_the_store(tmp_path: Path) -> None:
    logs = _untimed_logs(tmp_path / "x.jsonl", "")
    found = _findings(invoke("hunt", logs, "--json").stdout)
    for fmt in ("text", "csv-timeline", "ecs", "ocsf"):
        assert invoke("hunt", logs, "--format", fmt).exit_code == 3, fmt
    for command in (["report", logs], ["report", logs, "--format", "md"], ["coverage", logs]):
        done = invoke(*command)
        assert done.exception is None or isinstance(done.exception, SystemExit), command
    bundle = tmp_path / "case.zip"
    made = invoke("case", found["untimed"]["id"], logs, "--bundle", bundle)
    assert bundle.exists(), made.output
    assert invoke("verify", bundle, "--logs", logs).exit_code == 0
    store = tmp_path / "store.duckdb"
    assert invoke("ingest", logs, "--db", store).exit_code == 3
    stored = invoke("hunt", "--db", store, "--json")
    assert stored.exit_code == 0, stored.output
    assert set(_findings(stored.stdout)) == set(found)


def test_since_keeps_a_creation_whose_time_is_unknown(tmp_path: Path) -> None:
    logs = write(
        tmp_path / "x.jsonl",
        [creation("", 1, "untimed"), creation("2024-03-01T10:00:00Z", 2, "old")],
    )
    result = invoke("hunt", logs, "--json", "--since", "2025-01-01")
    assert list(_findings(result.stdout)) == ["untimed"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01T10:00:00.1234567Z", 1709287200123456),
        ("1709287206", 1709287206000000),  # epoch seconds as a string
        (1709287206000, 1709287206000000),  # milliseconds
        ({"#attributes": {"SystemTime": "2024-03-01T10:00:00Z"}}, 1709287200000000),
        ({"#attributes": "x"}, None),
        (float("nan"), None),
        (float("inf"), None),
        *((v, None) for v in BAD_TIMES.values()),
    ],
)
def test_times_are_parsed_or_unknown(value: object, expected: int | None) -> None:
    assert timestamp_us(value) == expected


def test_logon_ids_in_hex_without_0x_are_hex() -> None:
    assert [logon_id(v) for v in ("3e7ab", "0x3E7", "999", 999, "-", "zz")] == [
        "0x3e7ab", "0x3e7", "0x3e7", "0x3e7", None, None,
    ]  # fmt: skip


def test_numbers_beyond_int64_do_not_stop_the_run_or_the_store(tmp_path: Path) -> None:
    big = "0x10000000000000000"
    logs = write(
        tmp_path / "big.jsonl",
        [
            creation("2024-03-01T10:00:00Z", 1, "first") | {"RecordNumber": big},
            record(4688, "2024-03-01T09:59:59Z", 2, NewProcessId=big, ProcessId="9" * 30,
                   TargetLogonId="0x0", NewProcessName="C:\\Windows\\System32\\net.exe"),
            record(4624, "2024-03-01T09:59:00Z", 3, TargetLogonId="3e7ab", IpPort=2**70,
                   LogonType="1e400"),
            creation("2024-03-01T10:00:01Z", 4, "second"),
        ],
    )  # fmt: skip
    result = invoke("hunt", logs, "--json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert set(_findings(result.stdout)) == {"first", "second"}
    store = tmp_path / "s.duckdb"
    invoke("ingest", logs, "--db", store)
    assert invoke("hunt", "--db", store).exit_code == 0


def test_explicit_logon_to_a_server_by_spn_traces_the_origin(tmp_path: Path) -> None:
    """Issue #11's KeyError on target_info: a DC 4624 type 3 (Kerberos, no address) from
    WS02, a 4720 in that session, a 4648 on WS02 naming the DC, no Sysmon 3."""
    dc = {"Hostname": "dc01.corp.local"}
    ws = {"Hostname": "ws02.corp.local"}
    logs = write(
        tmp_path / "x.jsonl",
        [
            record(4648, "2024-03-01T09:59:59Z", 1, **ws, SubjectLogonId="0x777",
                   SubjectUserName="bob", TargetUserName="admin", TargetDomainName="CORP",
                   TargetServerName="dc01.corp.local", TargetInfo="cifs/dc01.corp.local",
                   ProcessId="0x500", ProcessName="C:\\Windows\\System32\\net.exe"),
            record(4624, "2024-03-01T10:00:00Z", 2, **dc, TargetLogonId="0x9999",
                   TargetUserName="admin", TargetDomainName="CORP", LogonType=3,
                   AuthenticationPackageName="Kerberos", WorkstationName="WS02",
                   IpAddress="-", TargetUserSid="S-1-5-21-1-2-3-500"),
            creation("2024-03-01T10:00:01Z", 3, "viaspn") | dc | {"SubjectLogonId": "0x9999"},
        ],
    )  # fmt: skip
    result = run([logs], HuntOptions())
    assert not [p for p in result.problems if "assessed" in p]
    (finding,) = result.findings
    assert finding.origin is not None and finding.origin.host.lower().startswith("ws02")


def _emitted_columns(field_map, data: dict) -> set[str]:  # type: ignore[no-untyped-def]
    row = field_map(data)
    return set(row) if row else set()


def _fields_the_model_reads() -> list[str]:
    return sorted(set(re.findall(r'd\.get\("(\w+)"\)', inspect.getsource(model))))


def test_every_column_a_normaliser_emits_is_in_its_schema() -> None:
    """The target_info defect: a mapping emitted a column its table lacked."""
    data = {name: "1" for name in _fields_the_model_reads()}
    data["TargetObject"] = "HKLM\\SAM\\SAM\\Domains\\Account\\Users\\Names\\x"
    for (_, event_id), (kind, field_map) in model.CATALOGUE.items():
        columns = set(model.SCHEMAS[kind].names) - {name for name, _ in model.COMMON}
        assert _emitted_columns(field_map, data) == columns, (kind, event_id)


# --- property test: hostile values in every field of every event type ---------------------

_HOSTILE_SCALARS = st.one_of(
    st.sampled_from(
        [
            "", "-", "%%1793", "0x10000000000000000", "9" * 40, "-1", "1e400", "0x", "NaN",
            "9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00+01:00", "\x00\u202e\u2028",
            "05/01/2024 10:00:06 AM", "S-1-5-21-1-2-3-500", "0x3e7", "3e7ab",
        ]
    ),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.text(max_size=12),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["#text", "SystemTime", "#attributes"]), st.text(), max_size=2),
)  # fmt: skip
_TYPES = sorted(model.CATALOGUE)
_FIELDS = [*_fields_the_model_reads(), "TargetObject", "UtcTime", "@timestamp", "RecordNumber"]


@st.composite
def hostile_event(draw: st.DrawFn) -> dict:
    family, event_id = draw(st.sampled_from(_TYPES))
    source = {
        "security": SECURITY,
        "sysmon": SYSMON,
        "system": "Service Control Manager",
        "powershell": "Microsoft-Windows-PowerShell",
    }
    channel = {
        "security": "Security",
        "sysmon": "Microsoft-Windows-Sysmon/Operational",
        "powershell": "Microsoft-Windows-PowerShell/Operational",
    }
    rec = {
        "EventID": event_id,
        "SourceName": source[family],
        "Channel": channel.get(family, "System"),
        "Hostname": draw(st.sampled_from(["ws1", "", None, "dc01.corp.local", "\u202e"])),
        "@timestamp": "2024-03-01T10:00:00Z",
        "RecordNumber": draw(st.integers(1, 50)),
    }
    for name in draw(st.lists(st.sampled_from(_FIELDS), max_size=12, unique=True)):
        rec[name] = draw(_HOSTILE_SCALARS)
    return rec


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(hostile_event(), min_size=1, max_size=24))
def test_hostile_values_in_every_field_never_raise(events: list[dict]) -> None:
    """Through the JSON-lines and the XML readers (the same events in both), the store's
    Arrow tables, a DuckDB store and the whole hunt: no exception, and the accounting
    identity holds for each input."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [write(Path(tmp) / "hostile.jsonl", events), _write_xml(Path(tmp), events)]
        store = EventStore()
        formats = []
        for source in discover(paths):
            formats.append(source.format)
            tally = ingest(source, store)
            assert tally.read == tally.used + tally.duplicates + tally.passed_over + (
                tally.skipped_total
            )
        assert formats == ["jsonl", "xml"]
        tables = store.tables()
        assert all(isinstance(t, pa.Table) for t in tables.values())
        database = EventDatabase(Path(tmp) / "s.duckdb")
        try:
            database.add(tables, [])
        finally:
            database.close()
        result = run(paths, HuntOptions())
        assert not [p for p in result.problems if "assessed" in p], result.problems


_SYSTEM = {"EventID", "SourceName", "Channel", "Hostname", "@timestamp", "RecordNumber"}


def _write_xml(folder: Path, events: list[dict]) -> Path:
    """The events as `wevtutil qe /f:xml` writes them, every value as text."""

    def text(value: object) -> str:
        return escape("" if value is None else str(value))

    out = []
    for e in events:
        data = "".join(
            f"<Data Name={quoteattr(k)}>{text(v)}</Data>" for k, v in e.items() if k not in _SYSTEM
        )
        out.append(
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>"
            f"<Provider Name={quoteattr(text(e['SourceName']))}/><EventID>{e['EventID']}</EventID>"
            f"<TimeCreated SystemTime={quoteattr(text(e.get('@timestamp')))}/>"
            f"<EventRecordID>{text(e.get('RecordNumber'))}</EventRecordID>"
            f"<Channel>{text(e['Channel'])}</Channel><Computer>{text(e.get('Hostname'))}</Computer>"
            f"</System><EventData>{data}</EventData></Event>\n"
        )
    path = folder / "hostile.xml"
    path.write_text("".join(out), encoding="utf-8", errors="surrogatepass")
    return path


# --- evidence that holds: duplicates by content, citations naming their own file -------------


def _nxlog_without_host(name: str) -> dict:
    """NXLog without a Hostname: only the record id tells events apart (issue #11)."""
    rec = creation("2024-03-01T10:00:00Z", 7, name)
    del rec["Hostname"]
    return rec | {"TargetSid": f"S-1-5-21-1-2-3-{1000 + len(name) * ord(name[0])}"}


def test_two_events_sharing_a_record_id_are_both_kept_and_cited_from_their_files(
    tmp_path: Path,
) -> None:
    a = write(tmp_path / "a.jsonl", [_nxlog_without_host("alpha")])
    b = write(tmp_path / "b.jsonl", [_nxlog_without_host("bravo")])
    for order in ([a, b], [b, a]):
        result = run(order, HuntOptions())
        cited = {f.account.name: {s.file for s in f.sources} for f in result.findings}
        assert cited == {"alpha": {str(a)}, "bravo": {str(b)}}
    found = _findings(invoke("hunt", b, a, "--json").stdout)
    bundle = tmp_path / "bravo.zip"
    assert invoke("case", found["bravo"]["id"], a, b, "--bundle", bundle).exit_code == 0
    assert invoke("verify", bundle, "--logs", a, "--logs", b).exit_code == 0
    with zipfile.ZipFile(bundle) as z:
        (entry,) = orjson.loads(z.read("manifest.json"))["records"]
        assert entry["file"] == str(b) and b'"bravo"' in z.read(entry["path"])


def test_a_copy_is_a_duplicate_cited_from_the_first_name_in_memory_and_in_the_store(
    tmp_path: Path,
) -> None:
    events = [creation("2024-03-01T10:00:00Z", 1, "same")]
    other = record(5156, "2024-03-01T10:00:00Z", 2)  # so the files differ (not one SHA-256)
    first, second = (
        write(tmp_path / "a.jsonl", events),
        write(tmp_path / "b.jsonl", [other, *events]),
    )
    in_memory = run([second, first], HuntOptions())
    assert [s.file for s in in_memory.findings[0].sources] == [str(first)]
    assert in_memory.files[1].duplicates == 1 or in_memory.files[0].duplicates == 1
    store = tmp_path / "s.duckdb"
    assert invoke("ingest", second, "--db", store).exit_code == 0
    assert invoke("ingest", first, "--db", store).exit_code == 0
    (stored,) = _findings(invoke("hunt", "--db", store, "--json").stdout).values()
    assert [s["file"] for s in stored["sources"]] == [str(first)]


# --- bounded work: follow-ups by host for local accounts, up to the next creation ----------


def test_follow_ups_of_a_shared_local_sid_stay_on_their_host_and_do_not_multiply(
    tmp_path: Path,
) -> None:
    """Cloned machines share local SIDs: N creations x M logons gave N x M rows (issue #11)."""
    sid = "S-1-5-21-9-9-9-1001"
    events = []
    for n in range(12):
        host = f"clone{n:02d}"
        events.append(
            creation("2024-03-01T10:00:00Z", 1, "helpdesk")
            | {"Hostname": host, "TargetDomainName": host.upper(), "TargetSid": sid}
        )
        for m in range(12):
            events.append(
                record(4624, f"2024-03-01T11:{m:02d}:00Z", 10 + m, Hostname=host,
                       TargetUserSid=sid, TargetUserName="helpdesk", TargetLogonId=hex(m + 99),
                       LogonType=2)
            )  # fmt: skip
    result = run([write(tmp_path / "clones.jsonl", events)], HuntOptions())
    assert len(result.findings) == 12
    for finding in result.findings:
        logons = [x for x in finding.follow_up if x.action == "logon"]
        assert len(logons) == 12
        assert {s.file for s in finding.sources} == {str(tmp_path / "clones.jsonl")}
        assert {x.host for x in logons} == {finding.host}


def test_an_account_created_again_keeps_the_follow_ups_of_each_life_apart(tmp_path: Path) -> None:
    sid = "S-1-5-21-1-2-3-1555"
    events = [
        creation("2024-03-01T10:00:00Z", 1, "temp") | {"TargetSid": sid},
        record(4724, "2024-03-01T10:05:00Z", 2, TargetSid=sid, TargetUserName="temp"),
        creation("2024-03-02T10:00:00Z", 3, "temp") | {"TargetSid": sid},
        record(4722, "2024-03-02T10:05:00Z", 4, TargetSid=sid, TargetUserName="temp"),
    ]
    result = run([write(tmp_path / "x.jsonl", events)], HuntOptions())
    actions = {f.time: [x.action for x in f.follow_up] for f in result.findings}
    assert actions == {
        "2024-03-01T10:00:00.000Z": ["password_reset"],
        "2024-03-02T10:00:00.000Z": ["enabled"],
    }


def test_case_and_verify_read_under_the_hunts_limits(tmp_path: Path) -> None:
    """`case` and `verify --logs` used to read a JSON line or an XML file whole."""
    from acctrace.scenario.writers import write_demo

    logs = tmp_path / "x.jsonl"
    logs.write_bytes(
        b'{"x": "'
        + b"a" * (9 << 20)
        + b'"}\n'
        + orjson.dumps(creation("2024-03-01T10:00:00Z", 2, "after"))
        + b"\n"
    )
    (finding,) = _findings(invoke("hunt", logs, "--json").stdout).values()
    bundle = tmp_path / "c.zip"
    assert invoke("case", finding["id"], logs, "--bundle", bundle).exit_code == 3  # the long line
    assert invoke("verify", bundle, "--logs", logs).exit_code == 0

    xml_logs = write_demo(tmp_path / "xml", "xml")
    hunted = _findings(invoke("hunt", *xml_logs, "--json").stdout)
    xml_bundle = tmp_path / "x.zip"
    made = invoke("case", hunted["backdoor"]["id"], *xml_logs, "--bundle", xml_bundle)
    assert made.exit_code == 0 and "not found in the logs" not in made.stderr, made.output
    assert invoke("verify", xml_bundle, *(f"--logs={p}" for p in xml_logs)).exit_code == 0


def test_every_kind_has_an_identity_of_its_own_columns() -> None:
    from acctrace.normalise.store import _IDENTITY

    assert set(_IDENTITY) == set(model.SCHEMAS)
    assert {k: set(c) - set(model.SCHEMAS[k].names) for k, c in _IDENTITY.items()} == {
        k: set() for k in _IDENTITY
    }
