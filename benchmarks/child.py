"""What the benchmark runs in a child process, where its peak memory can be read alone.

    python child.py raw-evtx PATH      bare pyevtx-rs iteration: the EVTX baseline
    python child.py raw-evtx-tree DIR  the same over every file under DIR (one parser each)
    python child.py correlate FOLDER   acctrace's correlation over saved event-model tables

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


def main(argv: list[str]) -> int:
    commands = {"raw-evtx": raw_evtx, "raw-evtx-tree": raw_evtx_tree, "correlate": correlate}
    if len(argv) != 2 or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.buffer.write(orjson.dumps(commands[argv[0]](argv[1])) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
