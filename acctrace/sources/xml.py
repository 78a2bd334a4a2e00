"""Windows event XML (`wevtutil qe /f:xml`, `Get-WinEvent | % ToXml`), streamed.

Each `<Event>...</Event>` is cut from the stream and parsed on its own, so a malformed or
cut-short event costs only itself, never the events after it, and memory stays bounded
whatever the file's size or root. Entities are never expanded and no DTD or network
resource is loaded: a DOCTYPE can only appear outside the events, where it is ignored.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_xml
from acctrace.sources.tally import Tally

MAX_EVENT_BYTES = 16 * 1024 * 1024
_CHUNK_BYTES = 1 << 20
_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Event[\s>/]")
_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?Event\s*>")
_EVENT_ID = re.compile(rb"<(?:[\w.-]+:)?EventID(?:\s[^>]*)?>\s*(\d{1,10})\s*<")
_KEEP = 64  # bytes kept between chunks, so a start tag split by a chunk boundary is found
# A record whose content no shape expects: that event is skipped, never the file.
_RECORD_ERRORS = (NotAnEvent, ValueError, TypeError, KeyError, AttributeError, IndexError)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read(stream: IO[bytes], tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    parser = _parser()
    found = False
    for piece, line in pieces(stream, tally):
        found = True
        tally.read += 1
        where = f"line {line}"
        if piece is None:
            tally.skip("event_too_large", f"an <Event> longer than {MAX_EVENT_BYTES} bytes", where)
            continue
        if not piece.rstrip().endswith(b">") or _END.search(piece) is None:
            tally.skip("malformed_xml", "an <Event> cut short, with no </Event>", where)
            continue
        match = _EVENT_ID.search(piece)
        if match and int(match.group(1)) not in relevant:
            tally.passed_over += 1
            continue
        try:
            raw = from_xml(etree.fromstring(piece, parser))
        except etree.XMLSyntaxError as exc:
            tally.skip("malformed_xml", exc.msg, f"line {line + max(exc.lineno - 1, 0)}")
        except _RECORD_ERRORS as exc:
            reason = "not_an_event" if isinstance(exc, NotAnEvent) else "bad_record"
            tally.skip(reason, str(exc) or type(exc).__name__, where)
        else:
            if raw.event_id in relevant:
                yield raw
            else:
                tally.passed_over += 1
    if not found:
        tally.note("no_events", "no <Event> element in the document")


def pieces(stream: IO[bytes], tally: Tally) -> Iterator[tuple[bytes | None, int]]:
    """Each `<Event ...>...</Event>` with the line it starts on; None for an oversized one.

    An event that a following `<Event` interrupts, or that the file cuts off, is yielded as
    it is and fails to parse, so it is counted. `at` walks the buffer, which is compacted
    only when more bytes are read, so each byte is copied a bounded number of times.
    """
    at = _Cursor()
    skipping = False
    for chunk in _decoded(stream, tally):
        at.buffer, at.pos = at.buffer[at.pos :] + chunk, 0
        buffer = at.buffer
        while True:
            if skipping:  # inside an oversized event: drop bytes until its end
                end = _END.search(buffer, at.pos)
                if end is None:
                    at.advance(max(len(buffer) - _KEEP, at.pos))
                    break
                at.advance(end.end())
                skipping = False
            start = _START.search(buffer, at.pos)
            if start is None:
                at.advance(max(len(buffer) - _KEEP, at.pos))
                break
            at.advance(start.start())
            # The end is looked for only up to the next start: searching the whole buffer
            # for each of many unterminated events would be quadratic.
            after = _START.search(buffer, start.end())
            end = _END.search(buffer, start.end(), after.start() if after else len(buffer))
            if after is not None and end is None:
                stop = after.start()  # unterminated: it ends where the next one begins
            elif end is not None:
                stop = end.end()
            elif len(buffer) - start.start() > MAX_EVENT_BYTES:
                yield None, at.line
                skipping = True
                continue
            else:
                break  # need more bytes
            yield buffer[start.start() : stop], at.line
            at.advance(stop)
    if not skipping and (start := _START.search(at.buffer, at.pos)) is not None:
        at.advance(start.start())
        yield at.buffer[start.start() :], at.line


class _Cursor:
    """A position in the buffer and the line it is on."""

    def __init__(self) -> None:
        self.buffer, self.pos, self.line = b"", 0, 1

    def advance(self, to: int) -> None:
        self.line += self.buffer.count(b"\n", self.pos, to)
        self.pos = to


def _decoded(stream: IO[bytes], tally: Tally) -> Iterator[bytes]:
    """The document as UTF-8 chunks; undecodable bytes are replaced, with one note."""
    head = stream.read(_CHUNK_BYTES)
    encoding = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    decoder = codecs.getincrementaldecoder(encoding)()
    chunk, final = head, False
    while True:
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as exc:  # the decoder keeps its state: decode again
            tally.note("bad_encoding", f"{exc.reason}; bad bytes replaced", None)
            decoder.errors = "replace"
            text = decoder.decode(chunk, final=final)
        yield text.encode("utf-8", "replace")
        if final:
            return
        chunk = stream.read(_CHUNK_BYTES)
        final = not chunk
