"""The XML reader on hostile input stays linear: `<Events>` followed by N unterminated
`<Event>` tags (issue 11 measured 24 s per MB when each one searched the rest of the
chunk for its end). Prints seconds per MB at two sizes and their ratio, beside lxml
parsing as many well-formed empty events (the raw parser's cost per event); asserts nothing.

    .venv/bin/python benchmarks/hostile_xml.py [--events 150000]
"""

from __future__ import annotations

import argparse
import io
import time

from lxml import etree

from acctrace.normalise.model import RELEVANT_EVENT_IDS
from acctrace.sources import xml
from acctrace.sources.tally import Tally


def unterminated(events: int) -> bytes:
    return b"<Events>" + b"<Event>" * events + b"</Events>"


def seconds(data: bytes) -> tuple[float, float]:
    """acctrace's reader on `data`, then lxml on as many well-formed empty events."""
    started = time.perf_counter()
    list(xml.read(io.BytesIO(data), Tally("hostile.xml", "xml"), RELEVANT_EVENT_IDS))
    reader = time.perf_counter() - started
    events = data.count(b"<Event>")
    started = time.perf_counter()
    for _ in etree.iterparse(io.BytesIO(b"<Events>" + b"<Event/>" * events + b"</Events>")):
        pass
    return reader, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=150_000)
    args = parser.parse_args()
    rates = []
    for n in (args.events, 4 * args.events):
        data = unterminated(n)
        reader, raw = seconds(data)
        mb = len(data) / 1e6
        rates.append(reader / mb)
        print(
            f"{n:>9,} unterminated <Event> ({mb:.1f} MB): acctrace {reader:.2f} s "
            f"({reader / mb:.2f} s/MB), lxml {raw:.2f} s, ratio {reader / max(raw, 1e-9):.0f}x"
        )
    print(f"s/MB at 4x the size / s/MB at 1x: {rates[1] / rates[0]:.2f} (1.0 is linear)")


if __name__ == "__main__":
    main()
