"""The block-at-a-time JSON-lines reader gives exactly what reading line by line gives:
the same events, the same counts, the same problems at the same line numbers, wherever
the block boundaries fall."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from unittest import mock

import orjson
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_json
from acctrace.scenario.story import generate
from acctrace.scenario.writers import write
from acctrace.sources import jsonlines
from acctrace.sources.tally import Tally
from tests.reliability.hostile import balanced, creation_line, other_line

# The per-line reader as it was before blocks (readline, then the checks on each line):
# the specification the fast path must meet.
_EVENT_ID = re.compile(
    rb'"(?:EventID|event_id|EventId|code)"\s*:\s*(?:\{(?:[^{}]|\{[^{}]*\})*?"#text"\s*:\s*)?"?(\d{1,10})(?!\d)'
)
_RECORD_ERRORS = (NotAnEvent, ValueError, TypeError, KeyError, AttributeError, IndexError)


def reference_read(stream: IO[bytes], tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    limit = jsonlines.MAX_LINE_BYTES
    for number, line in enumerate(_reference_lines(stream, limit), start=1):
        if line is not None and not line.strip():
            continue
        tally.read += 1
        where = f"line {number}"
        if line is None:
            tally.skip("line_too_long", f"longer than {limit} bytes", where)
            continue
        stripped = line.strip()
        if stripped.startswith(b"{") and stripped.endswith(b"}"):
            ids = [int(m.group(1)) for m in _EVENT_ID.finditer(line)]
            if not ids:
                tally.skip("not_an_event", "a JSON object with no event id", where)
                continue
            if not any(i in relevant for i in ids):
                tally.passed_over += 1
                continue
        try:
            raw = from_json(jsonlines._decode(line, tally, where))
        except orjson.JSONDecodeError as exc:
            tally.skip("invalid_json", str(exc).splitlines()[0], where)
        except jsonlines._TooDeep as exc:
            tally.skip("too_deep", str(exc), where)
        except _RECORD_ERRORS as exc:
            reason = "not_an_event" if isinstance(exc, NotAnEvent) else "bad_record"
            tally.skip(reason, str(exc) or type(exc).__name__, where)
        else:
            yield raw


def _reference_lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    while line := stream.readline(limit):
        if len(line) == limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _winlogbeat(event_id: int, code: int, user: str) -> bytes:
    doc = {
        "@timestamp": "2024-03-01T10:00:00.000Z",
        "event": {"code": str(code), "provider": "Microsoft-Windows-Security-Auditing"},
        "winlog": {
            "event_id": str(event_id),
            "channel": "Security",
            "computer_name": "ws1.corp.local",
            "record_id": 7,
            "event_data": {"TargetUserName": user, "LogonType": "3"},
        },
    }
    return orjson.dumps(doc)


# Lines without their ending, each a kind the reader treats differently.
LINES = [
    creation_line("wanted", 1).rstrip(b"\n"),  # relevant (4720)
    other_line(2).rstrip(b"\n"),  # irrelevant (5156)
    other_line(3, 11).rstrip(b"\n"),  # Sysmon 11: digits of a wanted id (1), not one
    other_line(4, 47200).rstrip(b"\n"),  # 47200 contains 4720
    b'{"EventID": "04720", "Channel": "Security", "Hostname": "h"}',  # zero-padded id
    b'{"EventID": {"#text": "4624"}, "Channel": "Security", "Computer": "h"}',  # XML as JSON
    b'{"EventID" : 4634 , "x": {"code": 4688}}',  # a wanted id only in a later key
    _winlogbeat(4634, 4634, "quiet"),
    _winlogbeat(4624, 4624, "bob"),
    _winlogbeat(4634, 4720, "mixed"),  # the two ids disagree
    b"",
    b"   ",
    b"\r",
    b'{"hello": "world"}',  # an object without an event id
    b"[1, 2, 3]",
    b'{"EventID": 4720, "Channel": "Security", "TargetUserName": "cut',  # cut short
    b"not json at all 4720",
    b'  {"EventID": 4688, "Channel": "Security"}  ',  # padded
    b'{"EventID": 5156, "pad": "' + b"x" * 150 + b'"}',  # long when the limit is small
    b'{"EventID": 4720, "pad": "' + b"y" * 150 + b'"}',
    b'{"EventID": 4720, "Channel": "Security", "TargetUserName": "ev\xffil"}',  # repaired
    b'{"EventId": 99999999999, "code": "x"}',  # too many digits: no event id
    b'{"EventID": 5156, "Channel": "Secu',  # cut short, not wanted: still invalid JSON
    b'{"EventID": 4634} and more',  # an id, but not one object
    b'5156 {"EventID": 4634}',
    b'{"eventId": 4720, "errorcode": 4720, "PreventID": 4720}',  # near-miss keys: no event id
    b'{"eventId": 4634}',
    b'{"errorcode": 4634}',
    b'{"PreventID": 4634, "Event_id": 4634}',
]
ENDINGS = [b"\n", b"\r\n"]
# Limits a padded line meets exactly, or misses by one byte either side.
LIMITS_AT_A_LINE = [len(LINES[18]) + d for d in (-1, 0, 1, 2)]


@settings(max_examples=300, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, len(LINES) - 1), st.sampled_from(ENDINGS)), max_size=30
    ),
    last_ended=st.booleans(),
    block=st.integers(1, 300),
    limit=st.sampled_from([40, 1000, jsonlines.MAX_LINE_BYTES, *LIMITS_AT_A_LINE]),
)
@example(picks=[(0, b"\n"), (13, b"\n"), (1, b"\n")], last_ended=True, block=7, limit=1000)
@example(picks=[(18, b"\n"), (0, b"\n")], last_ended=False, block=3, limit=160)
@example(picks=[(15, b"\n"), (15, b"\n")], last_ended=False, block=5, limit=1000)
def test_blocks_read_exactly_as_lines_do(
    picks: list[tuple[int, bytes]], last_ended: bool, block: int, limit: int
) -> None:
    data = b"".join(LINES[i] + end for i, end in picks)
    if picks and not last_ended:
        data = data.rstrip(b"\r\n")
    with (
        mock.patch.object(jsonlines, "BLOCK_BYTES", block),
        mock.patch.object(jsonlines, "MAX_LINE_BYTES", limit),
    ):
        expected_tally, got_tally = Tally("f", "jsonl"), Tally("f", "jsonl")
        expected = list(reference_read(io.BytesIO(data), expected_tally, RELEVANT_EVENT_IDS))
        got = list(jsonlines.read(io.BytesIO(data), got_tally, RELEVANT_EVENT_IDS))
    assert got == expected
    assert got_tally == expected_tally
    assert balanced(got_tally, len(got))


@pytest.mark.parametrize("shape", ["ecs", "nxlog", "event-json"])
@pytest.mark.parametrize("relevant", [RELEVANT_EVENT_IDS, frozenset({4688, 1})])
def test_a_generated_day_reads_as_line_by_line(
    tmp_path: Path, shape: str, relevant: frozenset[int]
) -> None:
    """The scenario's day with its noise, in each shape, read in blocks smaller than a line
    and in blocks holding many lines."""
    data = write(generate(noise=300), tmp_path / "day.json", shape).read_bytes()
    expected_tally = Tally("f", "jsonl")
    expected = list(reference_read(io.BytesIO(data), expected_tally, relevant))
    assert expected and expected_tally.passed_over > 0
    for block in (97, 8192, jsonlines.BLOCK_BYTES):
        tally = Tally("f", "jsonl")
        with mock.patch.object(jsonlines, "BLOCK_BYTES", block):
            assert list(jsonlines.read(io.BytesIO(data), tally, relevant)) == expected
        assert tally == expected_tally


def test_relevance_follows_the_wanted_set() -> None:
    data = b"".join(other_line(i, event_id) for i, event_id in enumerate([5156, 4634, 11, 1]))
    tally = Tally("f", "jsonl")
    with mock.patch.object(jsonlines, "BLOCK_BYTES", 16):
        events = list(jsonlines.read(io.BytesIO(data), tally, frozenset({11})))
    assert [e.event_id for e in events] == [11]
    assert tally.read == 4 and tally.passed_over == 3


class _Everything:
    """A relevance set that only answers membership, as readiness passes one."""

    def __contains__(self, _: object) -> bool:
        return True


def test_a_membership_only_relevance_set_reads_every_event() -> None:
    data = b"".join(other_line(i, event_id) for i, event_id in enumerate([5156, 4634, 11]))
    data += b'{"hello": 1}\n' + creation_line("a", 9)
    tally = Tally("f", "jsonl")
    events = list(jsonlines.read(io.BytesIO(data), tally, _Everything()))  # type: ignore[arg-type]
    assert [e.event_id for e in events] == [5156, 4634, 11, 4720]
    assert tally.passed_over == 0 and dict(tally.skipped) == {"not_an_event": 1}


def test_an_object_without_an_id_among_passed_over_lines_keeps_its_line_number() -> None:
    noise = other_line(1) * 500
    data = noise + b'{"hello": "world"}\n' + noise + creation_line("after", 2)
    tally = Tally("f", "jsonl")
    events = list(jsonlines.read(io.BytesIO(data), tally, RELEVANT_EVENT_IDS))
    assert [e.data["TargetUserName"] for e in events] == ["after"]
    assert dict(tally.skipped) == {"not_an_event": 1}
    assert [p.where for p in tally.problems] == ["line 501"]
    assert tally.passed_over == 1000 and tally.read == 1002
