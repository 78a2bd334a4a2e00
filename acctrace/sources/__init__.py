"""Sources: find inputs, detect their format from content, read them as `RawEvent`s.

Each reader takes a stream, a `Tally` to count into, and the set of wanted EventIDs; it
yields only wanted events and never raises on bad input.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO

from acctrace.normalise.shapes import RawEvent
from acctrace.sources import evtx, jsonlines, xml
from acctrace.sources.inputs import Input, discover, sha256_of, sniff
from acctrace.sources.tally import Tally

__all__ = ["Input", "Tally", "discover", "read", "sha256_of", "sniff"]

# What a stream can raise while it is read: a disk error, a file cut or changed meanwhile.
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)


def read(source: Input, tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    """The wanted events of one input; a stream that fails midway is noted, not raised."""
    try:
        yield from _read(source, tally, relevant)
    except _STREAM_ERRORS as exc:
        detail = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        tally.note("read_error", f"{detail}; the rest of the input is not read")


def _read(source: Input, tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    if source.format == "evtx":
        if source.path is not None:
            yield from evtx.read(str(source.path), tally, relevant)
        elif source.stream.seekable():
            yield from evtx.read(source.stream, tally, relevant)
        else:
            with _seekable_copy(source.stream) as copy:
                yield from evtx.read(copy, tally, relevant)
    elif source.format == "jsonl":
        yield from jsonlines.read(source.stream, tally, relevant)
    elif source.format == "xml":
        yield from xml.read(source.stream, tally, relevant)
    else:
        raise ValueError(f"no reader for format {source.format!r}")


def _seekable_copy(stream: IO[bytes]) -> IO[bytes]:
    """The EVTX parser seeks freely; a stream that cannot seek is copied to a temp file."""
    copy = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    while chunk := stream.read(1 << 20):
        copy.write(chunk)
    copy.seek(0)
    return copy
