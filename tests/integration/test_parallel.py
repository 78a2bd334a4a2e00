"""Reading with worker processes gives exactly what one process gives."""

from __future__ import annotations

from pathlib import Path

from acctrace import reading
from acctrace.pipeline import HuntOptions, run
from acctrace.scenario.writers import write_demo


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


def test_workers_are_chosen_by_the_size_of_the_collection(tmp_path: Path, monkeypatch) -> None:
    paths = write_demo(tmp_path, "ecs")
    assert reading._auto_workers(paths) == 1  # a few small files: not worth a process
    assert reading._auto_workers(paths[:1]) == 1
    monkeypatch.setattr(reading, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(reading.os, "cpu_count", lambda: 2)
    assert reading._auto_workers(paths) == 2
