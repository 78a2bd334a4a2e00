"""Promise 1 for JSON lines: every bad line is counted and named, and the lines after it read."""

from __future__ import annotations

import io

import orjson
import pytest

from acctrace.sources import jsonlines
from tests.reliability.hostile import balanced, creation_line, other_line, read_bytes


def names(events: list) -> list[str]:
    return [e.data.get("TargetUserName", "") for e in events]


def test_bad_lines_are_skipped_by_reason_and_the_rest_is_read() -> None:
    data = b"".join(
        [
            creation_line("first", 1),
            b'{"EventID": 4720, "Channel": "Security", "TargetUserName": "cut\n',  # cut short
            b"[1, 2, 3]\n",  # JSON, not an object
            b'{"hello": "world"}\n',  # an object, not an event
            b'{"EventID": 4720, "Hostname": "x"}\n',  # an id, but no channel or source
            b"\n   \n",  # blank lines are not records
            other_line(7),
            b"not json at all\n",
            creation_line("last", 9),
        ]
    )
    events, tally = read_bytes(jsonlines, data)
    assert names(events) == ["first", "last"]
    assert tally.passed_over == 1
    assert dict(tally.skipped) == {"invalid_json": 2, "not_an_event": 3}
    assert tally.read == 8 and balanced(tally, len(events))
    assert [p.where for p in tally.problems] == ["line 2", "line 3", "line 4", "line 5", "line 9"]


def test_an_enormous_line_is_skipped_without_being_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonlines, "MAX_LINE_BYTES", 1024)
    huge = b'{"EventID": 4720, "pad": "' + b"x" * 5000 + b'"}\n'
    events, tally = read_bytes(jsonlines, creation_line("a", 1) + huge + creation_line("b", 3))
    assert names(events) == ["a", "b"]
    assert dict(tally.skipped) == {"line_too_long": 1} and tally.problems[0].where == "line 2"


def test_a_real_line_over_8_mib_is_skipped() -> None:
    huge = b'{"EventID": 4720, "pad": "' + b"x" * (jsonlines.MAX_LINE_BYTES + 10) + b'"}\n'
    events, tally = read_bytes(jsonlines, huge + creation_line("after", 2))
    assert names(events) == ["after"] and dict(tally.skipped) == {"line_too_long": 1}


def test_deep_nesting_is_counted_not_raised() -> None:
    deep = b'{"EventID": 4720, "Channel": "Security", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}\n"
    events, tally = read_bytes(jsonlines, deep + creation_line("ok", 2))
    assert names(events) == ["ok"]
    assert dict(tally.skipped) == {"too_deep": 1} and balanced(tally, len(events))


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (b"ev\xffil", "ev\ufffdil"),  # invalid UTF-8
        (b"ev\\ud800il", "ev\ufffdil"),  # a lone UTF-16 surrogate
        (b"ev\x01il", "ev\x01il"),  # a raw control character (invalid in strict JSON)
        (b"ev\\u0000il", "ev\x00il"),  # an escaped NUL (valid JSON)
    ],
)
def test_a_creation_with_bad_characters_is_still_read(bad: bytes, expected: str) -> None:
    line = creation_line("PLACEHOLDER", 4).replace(b"PLACEHOLDER", bad)
    events, tally = read_bytes(jsonlines, line)
    assert names(events) == [expected]
    assert tally.skipped_total == 0 and balanced(tally, len(events))
    expected.encode("utf-8")  # every string can be written out
    if bad not in (b"ev\\u0000il",):
        assert [p.reason for p in tally.problems] == ["repaired"]


def test_wrong_types_in_a_relevant_record_cost_only_that_record() -> None:
    odd = [
        {"EventID": 4720, "Channel": ["Security"], "Hostname": {"a": 1}},
        {"EventID": "4720", "Channel": "Security", "RecordNumber": "abc", "TargetSid": 7},
        {"Event": {"System": "a string", "EventID": 4720}},
        {"Event": {"System": {"EventID": {"#text": [4720]}}}},
        {"winlog": {"event_id": 4720, "event_data": [1, 2]}, "event": {"code": 4720}},
    ]
    data = b"".join(orjson.dumps(o) + b"\n" for o in odd) + creation_line("survivor", 9)
    events, tally = read_bytes(jsonlines, data)
    assert "survivor" in [e.data.get("TargetUserName") for e in events]
    assert balanced(tally, len(events)) and tally.read == len(odd) + 1


def test_a_stream_failing_midway_is_noted_by_the_dispatcher() -> None:
    from acctrace.normalise.model import RELEVANT_EVENT_IDS
    from acctrace.sources import Tally, read
    from tests.reliability.hostile import FailingStream, as_input

    data = creation_line("before", 1) * 3 + creation_line("after", 2) * 1000
    tally = Tally("flaky.json", "jsonl")
    events = list(
        read(as_input("flaky.json", "jsonl", FailingStream(data, 300)), tally, RELEVANT_EVENT_IDS)
    )
    assert events and all(e.data["TargetUserName"] in ("before", "after") for e in events)
    assert [p.reason for p in tally.problems] == ["read_error"]
    assert "Input/output error" in tally.problems[0].detail


def test_utf16_or_binary_junk_after_a_brace_is_not_fatal() -> None:
    junk = b"{" + bytes(range(256)) * 20 + b"\n" + b"{\x00\x00\x00}\n"
    events, tally = read_bytes(jsonlines, io.BytesIO(junk).getvalue())
    assert events == [] and balanced(tally, 0) and tally.read >= 2
