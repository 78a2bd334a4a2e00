"""Logged strings are the adversary's: every output shows them inert, the same way.

C0/C1 control characters, the Unicode line and paragraph separators, bidirectional
overrides and isolates, and lone surrogates are shown as escapes (`\\x1b`, `\\u202e`), so a
logged value can neither forge a line, send a terminal sequence, nor display reversed.
Text, Markdown and HTML show them escaped; JSON outputs (JSON lines, ECS, OCSF) write the
same characters as JSON escapes, which decode back to the value logged.
"""

from __future__ import annotations

import re

_OTHERS = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_CONTROL = re.compile(rf"[\x00-\x1f{_OTHERS}]")
_CONTROL_BUT_LAYOUT = re.compile(rf"[\x00-\x08\x0b-\x1f{_OTHERS}]")  # tab, newline kept
_JSON_ESCAPES = str.maketrans(
    {c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)


def inert(value: str, keep_layout: bool = False) -> str:
    """`value` with every unsafe character escaped; `keep_layout` leaves tab and newline
    (a raw record shown whole in a page's <pre>)."""
    return (_CONTROL_BUT_LAYOUT if keep_layout else _CONTROL).sub(_escape, value)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_line(document: str) -> str:
    """A JSON document (orjson escapes C0 controls already) with line separators and
    bidirectional controls as JSON escapes: one document stays one line for any reader."""
    return document.translate(_JSON_ESCAPES)
