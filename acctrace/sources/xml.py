"""Windows event XML (`wevtutil qe /f:xml`, `Get-WinEvent | % ToXml`), streamed.

The export is often a bare sequence of `<Event>` elements with no root, so the stream is
wrapped in one. Entities are never expanded and no DTD or network resource is loaded.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import IO

from lxml import etree

from acctrace.normalise.shapes import NotAnEvent, RawEvent, from_xml
from acctrace.sources.tally import Tally

_CHUNK_BYTES = 1 << 20
_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_WRAPPER = b"acctrace-events"


def read(stream: IO[bytes], tally: Tally, relevant: frozenset[int]) -> Iterator[RawEvent]:
    parser = etree.XMLPullParser(
        events=("end",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        for chunk in _wrapped(stream):
            parser.feed(chunk)
            yield from _events(parser, tally, relevant)
        parser.close()
        yield from _events(parser, tally, relevant)
    except etree.XMLSyntaxError as exc:
        tally.note(
            "malformed_xml", f"{exc.msg}; the rest of the file is not read", f"line {exc.lineno}"
        )
    except UnicodeDecodeError as exc:
        tally.note("bad_encoding", str(exc))


def _events(
    parser: etree.XMLPullParser, tally: Tally, relevant: frozenset[int]
) -> Iterator[RawEvent]:
    for _, element in parser.read_events():
        if not isinstance(element.tag, str) or element.tag.rsplit("}", 1)[-1] != "Event":
            continue
        tally.read += 1
        try:
            raw = from_xml(element)
        except NotAnEvent as exc:
            tally.skip("not_an_event", str(exc), f"line {element.sourceline}")
        else:
            if raw.event_id in relevant:
                yield raw
            else:
                tally.passed_over += 1
        element.clear(keep_tail=False)
        parent = element.getparent()
        while parent is not None and element.getprevious() is not None:
            del parent[0]


def _wrapped(stream: IO[bytes]) -> Iterator[bytes]:
    """The document as UTF-8 chunks inside one root element, its XML declaration removed."""
    head = stream.read(_CHUNK_BYTES)
    encoding = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
    decoder = codecs.getincrementaldecoder(encoding)()
    first = decoder.decode(head).encode("utf-8")
    yield b"<" + _WRAPPER + b">"
    yield _DECLARATION.sub(b"", first, count=1)
    while chunk := stream.read(_CHUNK_BYTES):
        yield decoder.decode(chunk).encode("utf-8")
    yield decoder.decode(b"", final=True).encode("utf-8")
    yield b"</" + _WRAPPER + b">"
