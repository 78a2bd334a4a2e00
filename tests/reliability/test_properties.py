"""Property tests: random and mutated bytes fed to every reader and through the pipeline's
ingest; no exception escapes, and read = used + duplicates + passed over + skipped."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acctrace.errors import InputProblem
from acctrace.normalise.store import EventStore
from acctrace.reading import ingest
from acctrace.sources import discover, jsonlines, xml
from tests.reliability.hostile import balanced, creation, creation_line, creation_xml, read_bytes

FAST = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SEED_JSON = b"".join(creation_line(f"user{i}", i) for i in range(4))
SEED_XML = "".join(creation_xml(f"user{i}", i) for i in range(4)).encode()

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
# Events whose fields are replaced by arbitrary JSON: every shape's mapping meets odd types.
odd_events = st.builds(
    lambda base, key, value: {**base, key: value},
    st.sampled_from(
        [
            creation("x", 1),
            {"Event": {"System": {"EventID": 4720, "Channel": "Security"}, "EventData": {}}},
            {"winlog": {"event_id": "4720", "channel": "Security"}, "event": {"code": "4720"}},
        ]
    ),
    st.sampled_from(
        [
            "EventID",
            "Channel",
            "Hostname",
            "RecordNumber",
            "TargetSid",
            "Event",
            "winlog",
            "@timestamp",
            "TargetUserName",
            "SubjectLogonId",
        ]
    ),
    json_values,
)


def mutate(seed: bytes, edits: list[tuple[int, int]], keep: int | None) -> bytes:
    data = bytearray(seed)
    for position, value in edits:
        data[position % len(data)] = value
    return bytes(data[:keep])


edits = st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=40)


@FAST
@given(data=st.binary(max_size=4096))
def test_random_bytes_as_json_lines(data: bytes) -> None:
    events, tally = read_bytes(jsonlines, data)
    assert balanced(tally, len(events))


@FAST
@given(edits=edits, keep=st.none() | st.integers(0, len(SEED_JSON)))
def test_mutated_json_lines(edits: list[tuple[int, int]], keep: int | None) -> None:
    events, tally = read_bytes(jsonlines, mutate(SEED_JSON, edits, keep))
    assert balanced(tally, len(events))


@FAST
@given(records=st.lists(odd_events | json_values, max_size=6))
def test_json_lines_of_odd_values(records: list[object]) -> None:
    data = b"".join(orjson.dumps(r) + b"\n" for r in records)
    events, tally = read_bytes(jsonlines, data)
    assert balanced(tally, len(events))
    assert tally.read == sum(1 for r in records if orjson.dumps(r).strip())
    # and the pipeline keeps the whole identity when it stores them
    assert_ingest_balances("odd.json", data)


@FAST
@given(data=st.binary(max_size=4096))
def test_random_bytes_as_xml(data: bytes) -> None:
    events, tally = read_bytes(xml, b"<Events>" + data)
    assert balanced(tally, len(events))


@FAST
@given(edits=edits, keep=st.none() | st.integers(0, len(SEED_XML)))
def test_mutated_xml(edits: list[tuple[int, int]], keep: int | None) -> None:
    events, tally = read_bytes(xml, mutate(SEED_XML, edits, keep))
    assert balanced(tally, len(events))


@FAST
@given(
    shape=st.sampled_from(["zip", "gzip", "tar"]),
    edits=st.lists(st.tuples(st.integers(0, 1 << 12), st.integers(0, 255)), max_size=12),
    keep=st.none() | st.integers(0, 2048),
)
def test_mutated_archives(tmp_path_factory, shape: str, edits, keep: int | None) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("arch") / f"a.{shape}"
    path.write_bytes(mutate(_archive(shape, SEED_JSON), edits, keep))
    for item in discover([path]):
        if isinstance(item, InputProblem):
            assert item.file.startswith(str(path)) and item.reason
            continue
        tally = ingest(item, EventStore())
        assert tally.read == tally.used + tally.duplicates + tally.passed_over + tally.skipped_total


def assert_ingest_balances(name: str, data: bytes) -> None:
    from acctrace.sources.inputs import Input

    tally = ingest(Input(name, "jsonl", io.BytesIO(data), None), EventStore())
    assert tally.read == tally.used + tally.duplicates + tally.passed_over + tally.skipped_total


def _archive(shape: str, payload: bytes) -> bytes:
    buffer = io.BytesIO()
    if shape == "zip":
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("log.json", payload)
            z.writestr("again.json", payload)
        return buffer.getvalue()
    if shape == "gzip":
        return gzip.compress(payload)
    with tarfile.open(fileobj=buffer, mode="w") as t:
        info = tarfile.TarInfo("log.json")
        info.size = len(payload)
        t.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def test_duplicates_across_shapes_keep_the_identity(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(SEED_JSON)
    (tmp_path / "b.xml").write_bytes(SEED_XML)
    (tmp_path / "c.json.gz").write_bytes(gzip.compress(SEED_JSON))
    store = EventStore()
    tallies = [ingest(i, store) for i in discover([tmp_path]) if not isinstance(i, InputProblem)]
    assert [t.used for t in tallies] == [4, 0, 0]
    assert [t.duplicates for t in tallies] == [0, 4, 4]
