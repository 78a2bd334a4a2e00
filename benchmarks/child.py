"""What the benchmark runs in a child process, where its peak memory can be read alone.

    python child.py raw-evtx PATH      bare pyevtx-rs iteration: the EVTX baseline
    python child.py raw-evtx-tree DIR  the same over every file under DIR (one parser each)
    python child.py correlate FOLDER   acctrace's correlation over saved event-model tables
    python child.py stages PATH:N      one hunt of PATH with N readers, CPU seconds per stage

Each prints one JSON object on stdout.
"""

from __future__ import annotations

import sys
import time

import orjson


def raw_evtx(path: str) -> dict:
    from evtx import PyEvtxParser

    records = 0
    for _ in PyEvtxParser(path).records_json():
        records += 1
    return {"records": records}


def raw_evtx_tree(folder: str) -> dict:
    """What a bare hunter does over a folder of logs: parse each file, skipping what fails."""
    import warnings
    from pathlib import Path

    from evtx import PyEvtxParser

    records = files = 0
    warnings.simplefilter("ignore")  # damaged samples warn per bad chunk
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file():
            continue
        files += 1
        try:
            for _ in PyEvtxParser(str(path)).records_json():
                records += 1
        except (OSError, RuntimeError):  # a file the parser refuses, as a hunter would skip it
            continue
    return {"records": records, "files": files}


def correlate(folder: str) -> dict:
    from pathlib import Path

    import correlation_gen

    from acctrace.correlate.analytic import Window
    from acctrace.correlate.run import correlate

    tables = correlation_gen.load(Path(folder))
    started = time.perf_counter()
    result = correlate(tables, Window())
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "stories": len(result.stories),
        "candidates": sum(len(s.candidates) for s in result.stories),
        "lineages": len(result.lineages),
    }


def stages(path_and_readers: str) -> dict:
    """CPU seconds of each stage of one hunt (`--json` output left out), this process's and
    the reading workers' apart: with N readers the reading stage's critical path is the
    busier of this process and a worker, which a busy machine cannot stretch."""
    import resource
    from pathlib import Path

    path, _, readers = path_and_readers.rpartition(":")
    cpu, workers_cpu = {}, {}

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def lap(name: str, since: list[float]) -> None:
        now = [time.process_time(), children(), time.perf_counter()]
        cpu[name], workers_cpu[name] = now[0] - since[0], now[1] - since[1]
        cpu[f"{name}_wall"] = now[2] - since[2]
        since[:] = now

    since = [time.process_time(), children(), time.perf_counter()]
    from acctrace.reading import read_inputs

    lap("import_reading", since)
    from acctrace import pipeline
    from acctrace.options import HuntOptions

    lap("import_pipeline", since)
    reading = read_inputs([Path(path)], workers=int(readers))
    lap("read", since)
    engine = pipeline.Engine()
    reading.store.load_into(engine)  # as pipeline.run does
    lap("load", since)
    host_names = reading.store.host_names
    result = pipeline.assess_tables(engine, host_names, HuntOptions(), reading)
    lap("assess", since)
    return {
        "readers": int(readers),
        "cpu_s": {k: round(v, 4) for k, v in cpu.items() if not k.endswith("_wall")},
        "wall_s": {k[:-5]: round(v, 4) for k, v in cpu.items() if k.endswith("_wall")},
        "workers_cpu_s": round(sum(workers_cpu.values()), 4),
        "records": sum(t.read for t in reading.tallies),
        "findings": len(result.findings),
    }


def main(argv: list[str]) -> int:
    commands = {
        "raw-evtx": raw_evtx,
        "raw-evtx-tree": raw_evtx_tree,
        "correlate": correlate,
        "stages": stages,
    }
    if len(argv) != 2 or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.buffer.write(orjson.dumps(commands[argv[0]](argv[1])) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
