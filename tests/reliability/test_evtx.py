"""Promise 1 for EVTX: a file cut short says where and how much is missing, a bad chunk costs
only itself, and a bounded fuzz run over mutated real chunks never raises."""

from __future__ import annotations

import io
import struct
import warnings
from pathlib import Path

import pytest
from evtx import PyEvtxParser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.sources import Tally, evtx
from acctrace.sources.evtx import CHUNK_BYTES

HEADER = 4096
SAMPLE = "evtx/evtx-rs-samples/security.evtx"  # records 1..2261 in 26 chunks


@pytest.fixture(scope="module")
def security(shared_data: Path) -> bytes:
    return (shared_data / SAMPLE).read_bytes()


def read_file(path: Path) -> tuple[int, Tally]:
    tally = Tally(path.name, "evtx")
    yielded = sum(1 for _ in evtx.read(str(path), tally, RELEVANT_EVENT_IDS))
    return yielded, tally


def balanced(tally: Tally, yielded: int) -> bool:
    return tally.read == yielded + tally.passed_over + tally.skipped_total


def record_ids(data: bytes, tmp_path: Path) -> list[int]:
    path = tmp_path / "plain.evtx"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [r["event_record_id"] for r in PyEvtxParser(str(path)).records_json()]


def test_a_file_cut_inside_a_chunk_keeps_what_the_chunk_holds(
    security: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "cut.evtx"
    path.write_bytes(security[: HEADER + 3 * CHUNK_BYTES + 30_000])
    yielded, tally = read_file(path)
    # Chunk 3 holds records 261-349 (its header says so); the first 30,000 bytes hold 261-296.
    assert tally.read - tally.skipped_total == 296
    assert dict(tally.skipped) == {"evtx_truncated": 349 - 296}
    (problem,) = tally.problems
    assert problem.where == "chunk 3"
    assert "file ends inside chunk 3" in problem.detail
    assert "records after 296 are missing" in problem.detail
    assert balanced(tally, yielded)
    # pyevtx-rs alone drops the partial chunk without a word: the numbers above are ours.
    assert len(record_ids(security[: HEADER + 3 * CHUNK_BYTES + 30_000], tmp_path)) == 260


def test_a_file_cut_on_a_chunk_boundary_is_named_from_its_header(
    security: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "cut.evtx"
    path.write_bytes(security[: HEADER + 3 * CHUNK_BYTES])
    yielded, tally = read_file(path)
    assert tally.read == 260 and tally.skipped_total == 0 and balanced(tally, yielded)
    (problem,) = tally.problems
    assert problem.reason == "evtx_truncated"
    assert "file ends after chunk 2, of the 26 chunks its header declares" in problem.detail
    assert "records after 260 are missing" in problem.detail


def test_header_only_and_header_cut_short_are_told_apart(security: bytes, tmp_path: Path) -> None:
    (tmp_path / "header.evtx").write_bytes(security[:HEADER])
    _, tally = read_file(tmp_path / "header.evtx")
    assert [p.reason for p in tally.problems] == ["evtx_truncated"]
    assert "ends after its header" in tally.problems[0].detail
    (tmp_path / "stub.evtx").write_bytes(security[:100])
    _, tally = read_file(tmp_path / "stub.evtx")
    assert [p.reason for p in tally.problems] == ["unreadable_evtx"]
    assert "header is cut short" in tally.problems[0].detail


def test_an_intact_file_has_no_problem(security: bytes, tmp_path: Path) -> None:
    path = tmp_path / "whole.evtx"
    path.write_bytes(security)
    yielded, tally = read_file(path)
    assert tally.read == 2261 and tally.problems == [] and balanced(tally, yielded)


def test_a_bad_chunk_costs_only_itself(security: bytes, tmp_path: Path) -> None:
    data = bytearray(security[: HEADER + 5 * CHUNK_BYTES])
    data[HEADER + CHUNK_BYTES : HEADER + CHUNK_BYTES + 8] = b"\0" * 8  # chunk 1's magic
    path = tmp_path / "bad.evtx"
    path.write_bytes(bytes(data))
    yielded, tally = read_file(path)
    intact = record_ids(security[: HEADER + 5 * CHUNK_BYTES], tmp_path)
    assert dict(tally.skipped) == {"evtx_bad_chunk": 1}
    assert tally.problems[0].where == "chunk 1"
    # every record outside chunk 1 is read, including all of chunks 2 to 4
    assert tally.read - 1 == len(intact) - len(_chunk_records(security, 1))
    assert balanced(tally, yielded) and len(_chunk_records(security, 1)) > 50


def _chunk_records(data: bytes, n: int) -> range:
    """The record ids a chunk's own header declares."""
    first, last = struct.unpack_from("<QQ", data, HEADER + n * CHUNK_BYTES + 24)
    return range(first, last + 1)


def test_the_same_file_read_from_a_stream_gives_the_same_counts(
    security: bytes, tmp_path: Path
) -> None:
    cut = security[: HEADER + 2 * CHUNK_BYTES + 12_345]
    path = tmp_path / "cut.evtx"
    path.write_bytes(cut)
    _, by_path = read_file(path)
    by_stream = Tally("s", "evtx")
    list(evtx.read(io.BytesIO(cut), by_stream, RELEVANT_EVENT_IDS))
    assert (by_stream.read, by_stream.passed_over, dict(by_stream.skipped)) == (
        by_path.read,
        by_path.passed_over,
        dict(by_path.skipped),
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, HEADER + 2 * CHUNK_BYTES - 1), st.integers(0, 255)),
        min_size=1,
        max_size=64,
    ),
    hot=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 255)), max_size=16),
    keep=st.one_of(st.none(), st.integers(0, HEADER + 2 * CHUNK_BYTES)),
)
def test_fuzz_mutated_real_chunks_never_raise_and_always_balance(
    security: bytes,
    tmp_path_factory: pytest.TempPathFactory,
    edits: list[tuple[int, int]],
    hot: list[tuple[int, int]],
    keep: int | None,
) -> None:
    data = bytearray(security[: HEADER + 2 * CHUNK_BYTES])
    for position, value in edits:
        data[position] = value
    for offset, value in hot:  # headers and first records, where parsers break most
        data[HEADER + offset] = value
    data[:8] = b"ElfFile\x00"  # what sniffing sends to this reader
    path = tmp_path_factory.mktemp("fuzz") / "mutated.evtx"
    path.write_bytes(bytes(data[:keep]))
    yielded, tally = read_file(path)
    assert balanced(tally, yielded)
    assert tally.read <= 2 * 200 + 2 * CHUNK_BYTES // 24
