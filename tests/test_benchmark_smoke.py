"""The shipped benchmark (benchmarks/run.py) runs end to end at its tiny size and reports
every measurement; its dense EVTX builder makes logs the parser reads whole. No timing is
asserted: the numbers belong in benchmarks/README.md, not in a test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
MEASUREMENTS = (
    "startup_s",
    "one_file_hunt_s",
    "small_files_ratio",
    "evtx_ratio",
    "jsonl_lines_per_s",
    "jsonl_peak_rss_mb",
    "triage_speedup",
    "triage_two_readers_cpu_bound",
    "correlation_s",
)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "results.json"
    argv = [sys.executable, str(BENCHMARKS / "run.py"), "--size", "tiny", "--repeats", "1",
            "--warmup", "0", "--out", str(out), "--work", str(tmp / "work")]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    return done, out


def test_tiny_benchmark_reports_every_measurement(tiny_run) -> None:
    done, out = tiny_run
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    measured = results["measurements"]
    assert set(MEASUREMENTS) <= set(measured)
    for name in MEASUREMENTS:
        entry = measured[name]
        assert entry["status"] in ("PASS", "MISS", "NOT MEASURED", "SKIPPED"), name
        assert entry["target"] and entry["unit"], name
        if entry["status"] in ("PASS", "MISS"):
            assert entry["value"] is not None and entry["value"] > 0, name
        assert name in done.stdout  # the printed table has a row for it
    for name in ("jsonl_lines_per_s", "jsonl_peak_rss_mb", "correlation_s"):
        assert measured[name]["status"] in ("PASS", "MISS"), name  # no shared data needed
    assert results["machine"]["nproc"] >= 1 and results["machine"]["versions"]["evtx"]
    assert results["inputs"]["jsonl"]["relevant"] * 40 < results["inputs"]["jsonl"]["lines"]
    assert (
        measured["correlation_s"]["stories"] == results["inputs"]["correlation"]["rows"]["creation"]
    )


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data is not present")
def test_tiny_benchmark_times_the_dense_evtx(tiny_run) -> None:
    _, out = tiny_run
    results = json.loads(out.read_text())
    evtx = results["measurements"]["evtx_ratio"]
    assert evtx["status"] in ("PASS", "MISS")
    assert evtx["records"] == results["inputs"]["evtx"]["records"] > 0


def test_dense_evtx_copies_are_renumbered_and_a_day_apart(shared_data: Path, tmp_path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import evtx_chunks
    finally:
        sys.path.remove(str(BENCHMARKS))
    from evtx import PyEvtxParser

    chunks = evtx_chunks.harvest(shared_data / "evtx" / "evtx-rs-samples")
    source = [c for c in chunks if c.channel == "Security"][:1]
    assert source, "no usable Security chunk in the evtx-rs samples"
    written = evtx_chunks.write_log(tmp_path / "two.evtx", source, 2, first_id=100)
    records = list(PyEvtxParser(str(written.path)).records_json())
    per_chunk = len(source[0].records)
    assert len(records) == written.records == 2 * per_chunk
    ids = [json.loads(r["data"])["Event"]["System"]["EventRecordID"] for r in records]
    assert ids == list(range(100, 100 + 2 * per_chunk))

    def created(record: dict) -> str:
        return json.loads(record["data"])["Event"]["System"]["TimeCreated"]["#attributes"][
            "SystemTime"
        ]

    first, copy = created(records[0]), created(records[per_chunk])
    assert first[10:] == copy[10:] and first[:10] != copy[:10]  # same time, the next day
