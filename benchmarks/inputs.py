"""The benchmark's inputs, built afresh in a work folder: one dense EVTX log, one JSON-lines
file, a triage collection of many logs from many hosts, and event-model tables for the
correlation alone. Real EVTX chunks come from ../shared/data/evtx when it is present."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import correlation_gen
import evtx_chunks
import jsonl_gen

SHARED_EVTX = Path(__file__).resolve().parents[2] / "shared" / "data" / "evtx"
DENSE_FILL = 0.5  # a chunk at least half full of records counts as dense


@dataclass(frozen=True)
class Size:
    evtx_chunks: int  # 64 KiB each
    jsonl_lines: int
    triage_files: int
    triage_chunks: int  # average chunks per EVTX file of the collection
    processes: int
    logons: int
    creations: int


SIZES = {
    "tiny": Size(4, 20_000, 8, 2, 20_000, 2_000, 200),
    "small": Size(32, 100_000, 40, 4, 100_000, 10_000, 1_000),  # ~2 MB of EVTX
    "medium": Size(1_600, 2_000_000, 200, 16, 1_000_000, 100_000, 10_000),  # ~100 MB
    "large": Size(16_384, 10_000_000, 400, 40, 1_000_000, 100_000, 10_000),  # ~1 GB
}


@dataclass
class Inputs:
    evtx: dict[str, Any] | None  # None when no real EVTX chunk is available
    jsonl: dict[str, Any]
    triage: dict[str, Any]
    correlation: dict[str, Any]


def source_chunks(root: Path = SHARED_EVTX) -> list[evtx_chunks.SourceChunk]:
    return evtx_chunks.harvest(root) if root.is_dir() else []


def dense_sources(chunks: list[evtx_chunks.SourceChunk]) -> list[evtx_chunks.SourceChunk]:
    """Dense Security chunks when there are enough of them, else any dense chunk; a chunk
    two sample logs share (one is a damaged copy of the other) is used once."""
    unique = {c.identity: c for c in reversed(chunks)}  # the first in path order wins
    chunks = [c for c in chunks if unique[c.identity] is c]
    dense = [c for c in chunks if c.fill >= DENSE_FILL]
    security = [c for c in dense if c.channel == "Security"]
    return security if len(security) >= 8 else dense or chunks


def build_evtx(folder: Path, size: Size, chunks: list[evtx_chunks.SourceChunk]) -> dict | None:
    if not chunks:
        return None
    sources = dense_sources(chunks)
    written = evtx_chunks.write_log(folder / "dense.evtx", sources, size.evtx_chunks)
    parsed, distinct = evtx_chunks.count_records(written.path)
    if parsed != written.records or distinct != parsed:
        raise RuntimeError(
            f"{written.path}: pyevtx-rs reads {parsed} records ({distinct} distinct ids), "
            f"{written.records} were written"
        )
    channels = sorted({c.channel for c in sources})
    return {
        "path": str(written.path),
        "bytes": written.bytes,
        "chunks": written.chunks,
        "records": written.records,
        "source_chunks": len(sources),
        "channels": channels,
        "source_files": len({c.file for c in sources}),
    }


def build_jsonl(folder: Path, size: Size) -> dict:
    made = jsonl_gen.write_lines(folder / "winlogbeat.ndjson", size.jsonl_lines)
    info = asdict(made)
    info["path"] = str(made.path)
    return info


def build_triage(folder: Path, size: Size, chunks: list[evtx_chunks.SourceChunk]) -> dict:
    """`triage_files` logs: renumbered copies of the real EVTX files, some lengthened (their
    chunks repeated days later) to sizes that vary around `triage_chunks`, and one in ten a
    generated JSON-lines export; one folder per source log, as collected per machine."""
    by_file: dict[Path, list[evtx_chunks.SourceChunk]] = defaultdict(list)
    for chunk in chunks:
        by_file[chunk.file].append(chunk)
    files = sorted(by_file)
    factors = (0.25, 0.5, 1.0, 2.0, 1.25)  # averages 1.0
    made, records, total_bytes, json_files = 0, 0, 0, 0
    for i in range(size.triage_files):
        if not files or i % 10 == 9:  # a generated Winlogbeat export
            host = folder / f"collector{i:03d}"
            host.mkdir(parents=True, exist_ok=True)
            lines = max(1_000, size.triage_chunks * 400)
            out = jsonl_gen.write_lines(
                host / "winlogbeat.ndjson", lines, first_round=1000 + i * 50
            )
            records += out.lines
            total_bytes += out.bytes
            json_files += 1
        else:
            source = files[i % len(files)]
            own = by_file[source]
            count = max(len(own), round(size.triage_chunks * factors[i % len(factors)]))
            host = folder / f"host{i % max(len(files), 1):03d}"
            host.mkdir(parents=True, exist_ok=True)
            out_evtx = evtx_chunks.write_log(
                host / f"{i:03d}-{source.name}",
                own,
                count,
                first_id=1 + i * 10_000_000,
                first_round=(i // len(files)) * 1000,  # copies of one file: 1000 days apart
            )
            records += out_evtx.records
            total_bytes += out_evtx.bytes
        made += 1
    return {
        "path": str(folder),
        "files": made,
        "json_files": json_files,
        "records": records,
        "bytes": total_bytes,
        "source_files": len(files),
    }


def build_correlation(folder: Path, size: Size) -> dict:
    tables = correlation_gen.generate(size.processes, size.logons, size.creations)
    saved = correlation_gen.save(folder, tables)
    return {"path": str(saved.folder), "rows": saved.rows}


def build(work: Path, size: Size, log=print) -> Inputs:
    work.mkdir(parents=True, exist_ok=True)
    chunks = source_chunks()
    log(f"building inputs in {work} ({len(chunks)} usable real EVTX chunks)")
    evtx = build_evtx(work, size, chunks)
    log(
        "  dense EVTX: "
        + (
            f"{evtx['bytes']:,} bytes, {evtx['records']:,} records"
            if evtx
            else f"skipped: no usable chunks in {SHARED_EVTX}"
        )
    )
    jsonl = build_jsonl(work, size)
    log(f"  JSON lines: {jsonl['lines']:,} lines, {jsonl['bytes']:,} bytes")
    triage = build_triage(work / "triage", size, chunks)
    log(f"  triage: {triage['files']} files, {triage['records']:,} records")
    correlation = build_correlation(work / "correlation", size)
    log(f"  correlation tables: {correlation['rows']}")
    return Inputs(evtx, jsonl, triage, correlation)
