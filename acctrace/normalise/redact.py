"""Secrets never leave: the one redaction pass over what acctrace keeps or writes.

The patterns are data (knowledge/secrets.yaml). Command lines are redacted as events are
normalised, so the store and every report derive from redacted values; raw records (the
evidence a bundle carries) go through `redact_record`, which applies the same pass to
every string of the record.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

import orjson
from lxml import etree

from acctrace import knowledge

REDACTED = "[redacted]"

Span = tuple[int, int]


@cache
def _entries() -> tuple[tuple[re.Pattern[str] | None, re.Pattern[str]], ...]:
    return tuple(
        (re.compile(e["context"], re.IGNORECASE) if "context" in e else None, pattern)
        for e, pattern in knowledge.compiled("secrets")
    )


@lru_cache(maxsize=1 << 16)  # logs repeat command lines (3x in the real EVTX); a pure function
def redact_command_line(command_line: str | None) -> str | None:
    """The command line with every secret replaced by [redacted]; unchanged when it has none."""
    if not command_line:
        return command_line
    spans = list(_secret_spans(command_line))
    if "^" in command_line:  # cmd drops carets: n^et us^er x PW is `net user x PW`
        plain, where = _without_carets(command_line)
        spans += [(where[a], where[b - 1] + 1) for a, b in _secret_spans(plain)]
    return _redact_encoded(_replace(command_line, spans))


def _secret_spans(text: str) -> Iterator[Span]:
    for context, pattern in _entries():
        if context is not None and not context.search(text):
            continue
        for m in pattern.finditer(text):
            if "secret" in pattern.groupindex:
                start, end = m.span("secret")
            else:
                start, end = m.end("keep"), m.end()
            if end > start:
                yield start, end


def _without_carets(text: str) -> tuple[str, list[int]]:
    """The text as cmd sees it (`^x` is `x`), and where each of its characters came from."""
    chars: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        if text[i] == "^" and i + 1 < len(text):
            i += 1
        chars.append(text[i])
        where.append(i)
        i += 1
    return "".join(chars), where


def _replace(text: str, spans: list[Span]) -> str:
    out: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if end <= position:
            continue
        out += [text[position : max(start, position)], REDACTED]
        position = end
    return "".join(out) + text[position:] if out else text


def _redact_encoded(command_line: str) -> str:
    """An encoded PowerShell script that holds a secret is redacted and encoded again, so the
    command still decodes (to the redacted script) for whoever reads it."""
    for (start, end), script in encoded_scripts(command_line):
        redacted = redact_command_line(script)
        if redacted != script:
            encoded = base64.b64encode(redacted.encode("utf-16-le")).decode("ascii")
            command_line = command_line[:start] + encoded + command_line[end:]
    return command_line


def encoded_scripts(command_line: str) -> list[tuple[Span, str]]:
    """Each `-EncodedCommand <base64 of UTF-16LE>` payload's place and decoded script,
    last first (so replacing one keeps the places of the others)."""
    found = []
    for _, pattern in knowledge.compiled("secrets", "encoded_commands"):
        for m in pattern.finditer(command_line):
            try:
                script = base64.b64decode(m.group("payload"), validate=True).decode("utf-16-le")
            except (binascii.Error, UnicodeDecodeError):
                continue
            found.append((m.span("payload"), script))
    return sorted(found, reverse=True)


def redact_record(text: str, record_format: str) -> str:
    """A raw record (JSON or event XML) with the secrets of every string value removed;
    the very same text when it holds none."""
    if record_format == "xml":
        return _redact_xml(text)
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        return redact_command_line(text) or text
    redacted = _redact_value(document)
    if redacted == document:
        return text
    indent = orjson.OPT_INDENT_2 if "\n" in text.strip() else 0
    return orjson.dumps(redacted, option=indent).decode("utf-8")


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_command_line(value)
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v) for v in value]
    return value


def _redact_xml(text: str) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        element = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return redact_command_line(text) or text
    changed = False
    for node in element.iter():
        for attribute, value in node.attrib.items():
            if (clean := redact_command_line(value)) != value:
                node.set(attribute, clean)
                changed = True
        if node.text and (clean := redact_command_line(node.text)) != node.text:
            node.text = clean
            changed = True
    return etree.tostring(element, encoding="unicode") if changed else text
