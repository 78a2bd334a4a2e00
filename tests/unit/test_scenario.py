"""The scenario generator: deterministic, parseable in every shape, and faithful to Windows."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from acctrace.scenario.events import SECURITY, SYSMON, Event
from acctrace.scenario.story import CREATIONS, PASSWORDS, generate
from acctrace.scenario.writers import SHAPES, SUFFIXES, write, write_demo

_MS = 1000


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return generate()


def _creations(events: list[Event]) -> list[Event]:
    return [e for e in events if e.event_id == 4720]


def test_same_seed_gives_same_bytes(tmp_path: Path) -> None:
    for shape in SHAPES:
        first = write_demo(tmp_path / "a" / shape, shape, seed=7)
        second = write_demo(tmp_path / "b" / shape, shape, seed=7)
        assert [p.name for p in first] == [p.name for p in second]
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_another_seed_gives_another_day() -> None:
    assert generate(seed=7) != generate(seed=8)


def test_one_file_per_host(tmp_path: Path) -> None:
    for shape in SHAPES:
        paths = write_demo(tmp_path / shape, shape)
        expected = [f"{h}{SUFFIXES[shape]}" for h in ("dc01", "srv01", "ws01", "ws02")]
        assert [p.name for p in paths] == expected


@pytest.mark.parametrize("shape", ["ecs", "nxlog", "event-json"])
def test_json_shapes_parse_line_by_line(tmp_path: Path, events: list[Event], shape: str) -> None:
    lines = write(events, tmp_path / "out.jsonl", shape).read_text("utf-8").splitlines()
    assert len(lines) == len(events)
    assert all(isinstance(json.loads(line), dict) for line in lines)


def test_xml_parses_inside_a_root(tmp_path: Path, events: list[Event]) -> None:
    body = write(events, tmp_path / "out.xml", "xml").read_bytes()
    root = etree.fromstring(b"<Events>" + body + b"</Events>")
    assert len(root) == len(events)
    first = root[0]
    assert first.tag == "{http://schemas.microsoft.com/win/2004/08/events/event}Event"
    created = next(el for el in root if el.findtext("{*}System/{*}EventID") == "4720")
    uac = created.find("{*}EventData/{*}Data[@Name='UserAccountControl']")
    assert uac.text == "\r\n\t\t%%2080\r\n\t\t%%2082\r\n\t\t%%2084"


def test_unknown_shape_is_refused(tmp_path: Path, events: list[Event]) -> None:
    with pytest.raises(ValueError, match="unknown shape"):
        write(events, tmp_path / "x", "csv")


def test_every_seventh_event_json_id_has_qualifiers(tmp_path: Path, events: list[Event]) -> None:
    lines = write(events, tmp_path / "e.jsonl", "event-json").read_text("utf-8").splitlines()
    ids = [json.loads(line)["Event"]["System"]["EventID"] for line in lines]
    assert all(isinstance(ids[i], dict) == ((i + 1) % 7 == 0) for i in range(len(ids)))
    assert ids[6] == {"#attributes": {"Qualifiers": 0}, "#text": events[6].event_id}


def test_ecs_and_nxlog_quirks(tmp_path: Path, events: list[Event]) -> None:
    ecs = json.loads(write(events[:1], tmp_path / "e.ndjson", "ecs").read_text("utf-8"))
    assert isinstance(ecs["winlog"]["event_id"], str)
    assert isinstance(ecs["winlog"]["record_id"], int)
    assert ecs["host"]["name"] == events[0].computer.split(".")[0].lower()

    security = next(e for e in events if e.channel == SECURITY)
    nx = json.loads(write([security], tmp_path / "n.jsonl", "nxlog").read_text("utf-8"))
    created = datetime.fromtimestamp(security.time_us / 1e6, tz=UTC)
    assert nx["Channel"] == "security"
    assert nx["ProcessID"] == 1234
    assert nx["EventTime"] == f"{created - timedelta(hours=4):%Y-%m-%d %H:%M:%S}"
    assert nx["@timestamp"].endswith("Z")


def test_seven_accounts_are_created(events: list[Event]) -> None:
    created = _creations(events)
    assert len(created) == len(CREATIONS) == 7
    found = {
        (
            f"{e.data['TargetDomainName']}\\{e.data['TargetUserName']}",
            e.computer,
            f"{e.data['SubjectDomainName']}\\{e.data['SubjectUserName']}",
        )
        for e in created
    }
    assert found == {(c.account, c.host, c.creator) for c in CREATIONS}


def test_each_creation_has_its_own_minute(events: list[Event]) -> None:
    minutes = {e.time_us // 60_000_000 for e in _creations(events)}
    assert len(minutes) == 7
    times = [e.time_us for e in events]
    assert max(times) - min(times) < 24 * 3600 * 1_000_000


def test_record_ids_increase_per_host_and_channel(events: list[Event]) -> None:
    last: dict[tuple[str, str], int] = {}
    for event in events:
        key = (event.computer, event.channel)
        assert event.record_id > last.get(key, 0)
        last[key] = event.record_id
    assert {channel for _, channel in last} == {SECURITY, SYSMON, "System"}
    assert [e.time_us for e in events] == sorted(e.time_us for e in events)


def test_local_creation_has_the_automatic_group_adds(events: list[Event]) -> None:
    for created in _creations(events):
        host = created.computer
        if host.startswith("DC01"):
            continue
        sid = created.data["TargetSid"]
        same_ms = [
            e
            for e in events
            if e.computer == host
            and e.time_us // _MS == created.time_us // _MS
            and e.data.get("MemberSid") == sid
        ]
        groups = {
            (e.event_id, e.data["TargetUserName"], e.data["TargetDomainName"]) for e in same_ms
        }
        assert groups == {
            (4728, "None", created.data["TargetDomainName"]),
            (4732, "Users", "Builtin"),
        }
        after = [
            e.event_id
            for e in events
            if e.computer == host and e.data.get("TargetSid") == sid and e.time_us > created.time_us
        ]
        assert after[:1] == [4722] and 4738 in after


def test_net1_runs_in_the_creator_session_just_before(events: list[Event]) -> None:
    created = next(e for e in _creations(events) if e.data["TargetUserName"] == "backdoor")
    net_chain = [
        e
        for e in events
        if e.event_id == 4688
        and e.computer == created.computer
        and "user backdoor" in e.data["CommandLine"]
        and 0 <= created.time_us - e.time_us < 100 * _MS
    ]
    assert [e.data["NewProcessName"].rsplit("\\", 1)[-1] for e in net_chain] == [
        "net.exe",
        "net1.exe",
    ]
    net, net1 = net_chain
    assert net1.data["CommandLine"] == (
        "C:\\Windows\\system32\\net1  user backdoor P@ssw0rd123 /add"
    )
    assert net1.data["ProcessId"] == net.data["NewProcessId"]
    assert 10 * _MS <= created.time_us - net1.time_us <= 20 * _MS
    logon_id = created.data["SubjectLogonId"]
    assert {net.data["SubjectLogonId"], net1.data["SubjectLogonId"]} == {logon_id}
    logons = [e for e in events if e.event_id == 4624 and e.data["TargetLogonId"] == logon_id]
    assert [
        (e.data["LogonType"], e.data["IpAddress"], e.data["WorkstationName"]) for e in logons
    ] == [("3", "10.0.0.102", "WS02")]


def test_sysmon_and_4688_describe_the_same_process(events: list[Event]) -> None:
    sysmon = {
        (e.computer, int(e.data["ProcessId"])): e
        for e in events
        if e.event_id == 1 and e.computer.startswith("WS01")
    }
    audited = [e for e in events if e.event_id == 4688 and e.computer.startswith("WS01")]
    assert audited
    for e in audited:
        twin = sysmon[(e.computer, int(e.data["NewProcessId"], 16))]
        assert twin.data["CommandLine"] == e.data["CommandLine"]
        assert twin.data["ProcessGuid"].startswith("{")


def test_encoded_powershell_decodes_to_new_local_user(events: list[Event]) -> None:
    encoded = next(e for e in events if e.event_id == 1 and "-enc " in e.data["CommandLine"])
    payload = encoded.data["CommandLine"].rsplit(" ", 1)[-1]
    assert base64.b64decode(payload).decode("utf-16-le") == (
        "New-LocalUser -Name support_tmp -NoPassword"
    )
    assert encoded.data["ParentImage"].endswith("WINWORD.EXE")
    never_expires = [
        e for e in events if e.event_id == 4738 and e.data["TargetUserName"] == "support_tmp"
    ]
    assert never_expires[-1].data["NewUacValue"] == "0x210"


def test_defaultuser0_has_no_process_telemetry_around_it(events: list[Event]) -> None:
    created = next(e for e in _creations(events) if e.data["TargetUserName"] == "defaultuser0")
    window = 5 * 60 * 1_000_000
    near = [
        e
        for e in events
        if e.computer == created.computer
        and e.event_id in (1, 5, 4688, 4689)
        and abs(e.time_us - created.time_us) <= window
    ]
    assert near == []
    assert any(
        e.event_id == 4726 and e.data["TargetSid"] == created.data["TargetSid"] for e in events
    )


def test_noise_count_is_exact() -> None:
    assert len(generate(noise=50)) - len(generate(noise=0)) == 50


def test_passwords_are_in_the_raw_data(tmp_path: Path) -> None:
    """They must be: acctrace is the one that redacts them."""
    for shape in SHAPES:
        raw = b"".join(p.read_bytes() for p in write_demo(tmp_path / shape, shape))
        for password in PASSWORDS:
            assert password.encode() in raw, (shape, password)
