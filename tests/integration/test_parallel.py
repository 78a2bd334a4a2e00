"""Reading with worker processes gives exactly what one process gives."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import asdict
from pathlib import Path

import orjson
import pytest

from acctrace import reading
from acctrace.normalise.model import SCHEMAS
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.writers import write_demo
from acctrace.sources import evtx
from acctrace.sources.tally import MAX_PROBLEMS_KEPT


def test_two_workers_find_and_count_what_one_does(shared_data: Path, tmp_path: Path) -> None:
    mdec = shared_data / "evtx/mdecrevoisier"
    copy = tmp_path / "again.evtx"  # the same events in a second file: one finding, counted
    copy.write_bytes((mdec / "ID4688-User creation via commandline.evtx").read_bytes())
    paths = [mdec, shared_data / "otrf", copy, *write_demo(tmp_path / "demo", "xml")]
    one = run(paths, HuntOptions(workers=1))
    two = run(paths, HuntOptions(workers=2))
    assert [f.model_dump() for f in two.findings] == [f.model_dump() for f in one.findings]
    assert [f.model_dump() for f in two.files] == [f.model_dump() for f in one.files]
    assert two.problems == one.problems
    again = next(f for f in two.files if f.file == str(copy))
    assert again.duplicates > 0 and again.used == 0


def test_workers_follow_the_collection_and_the_idle_cores(tmp_path: Path, monkeypatch) -> None:
    paths = write_demo(tmp_path, "ecs")
    assert reading._auto_workers(paths) == 1  # a few small files: not worth a process
    assert reading._auto_workers(paths[:1]) == 1
    monkeypatch.setattr(reading, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(reading.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reading, "_others_running", lambda: 2)
    monkeypatch.setattr(reading.os, "getloadavg", lambda: (0.2, 0.5, 0.5))
    assert reading._auto_workers(paths) == 2  # large enough, and both cores idle
    monkeypatch.setattr(reading.os, "getloadavg", lambda: (1.7, 0.5, 0.5))
    assert reading._auto_workers(paths) == 1  # the other core is busy: a second reader waits
    monkeypatch.setattr(reading, "_others_running", lambda: 0)
    assert reading._auto_workers(paths) == 2  # busy a moment ago, idle now (a hunt just ended)


def _collection(root: Path) -> list[Path]:
    """The demo domain three times over (XML, ECS, and NXLog in a zip whose members repeat
    one another), a file in no known format, and a copy whose name sorts first but which
    is listed last."""
    xml = write_demo(root / "b-xml", "xml")
    write_demo(root / "c-ecs", "ecs")
    nxlog = write_demo(root / "nx", "nxlog")
    dc01 = next(p for p in nxlog if p.name.startswith("dc01"))
    with zipfile.ZipFile(root / "d.zip", "w") as archive:
        archive.write(dc01, "z-dc01.jsonl")  # read first, then its copy named to sort first
        archive.write(dc01, "a-dc01.jsonl")
        for path in nxlog:
            archive.write(path, path.name)
    (root / "junk.txt").write_text("not an event log\n")
    copy = root / "a-copy.xml"
    copy.write_bytes(next(p for p in xml if p.name.startswith("dc01")).read_bytes())
    return [root / "b-xml", root / "c-ecs", root / "d.zip", root / "junk.txt", copy]


@pytest.mark.parametrize("runs_per_worker", [1, reading.RUNS_PER_WORKER])
def test_workers_merge_into_the_store_one_process_fills(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs_per_worker: int
) -> None:
    paths = _collection(tmp_path)
    one = reading.read_inputs(paths, workers=1)
    monkeypatch.setattr(reading, "RUNS_PER_WORKER", runs_per_worker)
    two = reading.read_inputs(paths, workers=2)
    tables = two.store.tables()
    assert {k: t.to_pylist() for k, t in tables.items()} == {
        k: t.to_pylist() for k, t in one.store.tables().items()
    }
    assert {k: t.schema for k, t in tables.items()} == SCHEMAS
    assert two.store.host_names == one.store.host_names
    assert [asdict(t) for t in two.tallies] == [asdict(t) for t in one.tallies]
    assert two.problems == one.problems and [p.reason for p in two.problems] == ["unknown_format"]
    # what users read in the file table: the first reading of an event is used, every
    # later one a duplicate of the file that brought it again; the row names the file
    # whose name sorts first
    first = [t for t in two.tallies if "/b-xml/" in t.file]
    assert all(t.used > 0 and t.duplicates == 0 for t in first)
    later = [t for t in two.tallies if t not in first]
    assert all(t.used == 0 and t.duplicates == t.read - t.passed_over for t in later)
    assert next(t for t in later if t.file.endswith("!z-dc01.jsonl")).duplicates > 0
    dc01 = [r for r in tables["process"].to_pylist() if r["host"] == "dc01"]
    assert dc01 and {r["file"] for r in dc01} == {str(tmp_path / "a-copy.xml")}


def test_a_large_evtx_file_read_in_pieces_is_counted_as_one_file(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readers share a large EVTX file by its chunks; the events, the counts, the hash and
    each problem's place (a bad chunk, a cut last chunk) are those of one reading."""
    security = (shared_data / "evtx/evtx-rs-samples/security.evtx").read_bytes()  # 26 chunks
    header, chunk = 4096, evtx.CHUNK_BYTES
    damaged = bytearray(security)
    damaged[header + 17 * chunk : header + 17 * chunk + 8] = b"\0" * 8  # chunk 17's magic
    (tmp_path / "a-damaged.evtx").write_bytes(bytes(damaged[: header + 25 * chunk + 20_000]))
    (tmp_path / "b-whole.evtx").write_bytes(security)  # the same events again: duplicates
    paths = [tmp_path]
    one = reading.read_inputs(paths, workers=1)
    monkeypatch.setattr(reading, "PIECE_MIN_BYTES", 3 * chunk)
    sized = reading._sized(list(reading.files(paths)), 2 * reading.RUNS_PER_WORKER)
    assert sum(isinstance(item, reading.Piece) for item, _ in sized) > 4  # both files cut
    two = reading.read_inputs(paths, workers=2)
    assert {k: t.to_pylist() for k, t in two.store.tables().items()} == {
        k: t.to_pylist() for k, t in one.store.tables().items()
    }
    assert [asdict(t) for t in two.tallies] == [asdict(t) for t in one.tallies]
    assert two.problems == one.problems
    damaged_tally, whole = two.tallies
    assert damaged_tally.skipped["evtx_bad_chunk"] == 1 and damaged_tally.skipped["evtx_truncated"]
    assert [p.where for p in damaged_tally.problems] == ["chunk 17", "chunk 25"]
    # only the chunks the damaged copy lacks are new in the whole file
    assert whole.read == 2261 and whole.duplicates > whole.used > 0
    assert whole.sha256 == hashlib.sha256(security).hexdigest()


def test_a_large_json_lines_file_read_in_pieces_places_each_problem_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Readers share a large JSON-lines file by whole lines: the events, the counts and
    each problem's line in the file are those of one reading, which keeps a file's first
    problems only."""
    lines = b"".join(p.read_bytes() for p in write_demo(tmp_path / "demo", "ecs")).splitlines()
    mixed = []
    for i, line in enumerate(lines):
        mixed.append(line)
        if i % 13 == 5:  # cut short: invalid JSON, about 30 of them, all through the file
            mixed.append(line[: len(line) // 2])
        if i % 50 == 0:
            mixed.append(b"")
    mixed.append(lines[0])  # the first event again, as a last line without its newline
    path = tmp_path / "big.ndjson"
    path.write_bytes(b"\n".join(mixed))
    one = reading.read_inputs([path], workers=1)
    monkeypatch.setattr(reading, "PIECE_MIN_BYTES", 16 * 1024)
    pieces = [item for item, _ in reading._sized([path], 2 * reading.RUNS_PER_WORKER)]
    assert len(pieces) > 8 and all(isinstance(p, reading.Piece) for p in pieces)
    two = reading.read_inputs([path], workers=2)
    assert {k: t.to_pylist() for k, t in two.store.tables().items()} == {
        k: t.to_pylist() for k, t in one.store.tables().items()
    }
    assert [asdict(t) for t in two.tallies] == [asdict(t) for t in one.tallies]
    assert two.problems == one.problems
    (tally,) = two.tallies
    assert tally.skipped["invalid_json"] > MAX_PROBLEMS_KEPT == len(tally.problems)
    assert tally.duplicates == 1 and tally.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # the problems kept come from several pieces, each placed at its cut-short line
    at = [int(p.where.removeprefix("line ")) for p in tally.problems]
    assert at[-1] > path.read_bytes()[: len(pieces[0].part)].count(b"\n") + 1
    for number in at:
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(mixed[number - 1])
