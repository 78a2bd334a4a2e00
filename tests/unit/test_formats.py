"""Every accepted input shape becomes the same normalised event (examples from docs/formats.md)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import orjson
import pytest

from acctrace.normalise.model import RELEVANT_EVENT_IDS, to_row
from acctrace.normalise.store import EventStore
from acctrace.sources import Tally, jsonlines, sniff, xml

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
BLOCKS = re.findall(r"```(json|xml)\n(.*?)\n```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def normalised(kind: str, text: str) -> dict:
    reader = jsonlines if kind == "json" else xml
    tally = Tally("doc", kind)
    (raw,) = list(reader.read(io.BytesIO(text.encode()), tally, RELEVANT_EVENT_IDS))
    store = EventStore()
    assert store.add(raw, "doc", "0" * 64) == "used"
    (row,) = store.rows["process"]
    return row


def test_the_docs_show_every_text_shape() -> None:
    assert [k for k, _ in BLOCKS] == ["json", "json", "json", "xml"]


@pytest.mark.parametrize(("kind", "text"), BLOCKS, ids=["event-json", "nxlog", "ecs", "xml"])
def test_each_shape_normalises_to_the_same_event(kind: str, text: str) -> None:
    row = normalised(kind, text)
    assert row["host"] == "fs03"
    assert row["event_id"] == 4688 and row["record_id"] == 60383
    assert row["pid"] == 0xDE4 and row["parent_pid"] == 0xB5C  # NXLog's own ProcessID ignored
    assert row["logon_id"] == "0x1f4c65f"
    assert row["image"] == "C:\\Windows\\System32\\net.exe"
    assert row["user_name"] == "admmig" and row["user_domain"] == "OFFSEC"
    # NXLog has whole seconds; the others keep the sub-second part.
    assert abs(row["time_us"] - 1634654561202764) < 1_000_000
    assert row["event_key"].startswith("fs03|security|4688|60383#")


def test_one_event_has_one_key_in_every_shape() -> None:
    """The key carries a hash of the event's content as the model reads it, which every
    export format gives alike: the same event in two formats is still one event."""
    assert len({normalised(kind, text)["event_key"] for kind, text in BLOCKS}) == 1


@pytest.mark.parametrize(("kind", "text"), BLOCKS)
def test_the_format_is_sniffed_from_content(kind: str, text: str) -> None:
    assert sniff(text.encode()) == ("jsonl" if kind == "json" else "xml")
    assert sniff(b"\xef\xbb\xbf  \r\n" + text.encode()) == ("jsonl" if kind == "json" else "xml")


def test_xml_with_a_root_and_utf16_as_powershell_writes_it() -> None:
    (_, event) = BLOCKS[3]
    document = (
        "<?xml version='1.0' encoding='utf-16'?><Events>"
        + event
        + event.replace("60383", "60384")
        + "</Events>"
    ).encode("utf-16")
    tally = Tally("doc", "xml")
    raws = list(xml.read(io.BytesIO(document), tally, RELEVANT_EVENT_IDS))
    assert [r.record_id for r in raws] == [60383, 60384]
    assert tally.read == 2 and tally.problems == []


def test_event_id_spellings() -> None:
    (_, line) = BLOCKS[0]
    for spelling in ('"4688"', '{"#attributes": {"Qualifiers": 0}, "#text": 4688}'):
        text = line.replace('"EventID": 4688', f'"EventID": {spelling}')
        assert normalised("json", text)["event_id"] == 4688


def test_winlogbeat_4624_session_is_the_target_logon_id() -> None:
    # Winlogbeat puts the *subject's* logon id in winlog.logon.id; the session is TargetLogonId.
    line = orjson.dumps(
        {
            "@timestamp": "2024-01-01T00:00:00Z",
            "winlog": {
                "event_id": 4624,
                "channel": "Security",
                "computer_name": "WS01",
                "record_id": 1,
                "provider_name": "Microsoft-Windows-Security-Auditing",
                "logon": {"id": "0x3e7"},
                "event_data": {
                    "SubjectLogonId": "0x3e7",
                    "TargetLogonId": "0xABC",
                    "LogonType": "3",
                    "IpAddress": "10.0.0.5",
                    "TargetUserSid": "S-1-5-21-1-2-3-1000",
                },
            },
        }
    ).decode()
    tally = Tally("doc", "jsonl")
    (raw,) = list(jsonlines.read(io.BytesIO(line.encode()), tally, RELEVANT_EVENT_IDS))
    kind, row = to_row(raw)
    assert kind == "logon" and row["logon_id"] == "0xabc" and row["logon_type"] == 3


def test_bad_lines_are_counted_with_their_line_number() -> None:
    (_, good) = BLOCKS[0]
    data = "\n".join(["{not json 4688", '{"EventID": 4688}', "[1, 2]", good, ""]).encode()
    tally = Tally("mixed.jsonl", "jsonl")
    raws = list(jsonlines.read(io.BytesIO(data), tally, RELEVANT_EVENT_IDS))
    assert len(raws) == 1
    assert tally.read == 4
    assert tally.skipped == {"invalid_json": 1, "not_an_event": 2}
    assert tally.passed_over == 0
    assert [p.where for p in tally.problems] == ["line 1", "line 2", "line 3"]
